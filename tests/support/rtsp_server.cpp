/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka-test-rtsp-server: synthetic RTSP streams on loopback for tests.
//
// Prints "PORT <n>" on stdout once it is listening, then serves until
// SIGINT/SIGTERM, stdin EOF (with --exit-on-stdin-eof) or --max-seconds.

#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>
#include <glib-unix.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

struct Options {
  int port = 0;
  int fps = 25;
  int width = 640;
  int height = 360;
  int gop = 0;  // 0 = one key frame per second (= fps)
  int max_seconds = 600;
  bool exit_on_stdin_eof = false;
  bool udp_only = false;  // SETUP over TCP is answered 461 Unsupported transport, as VLC does
  std::vector<std::string> auth;  // "USER:PASS" each: every mount requires one of them (basic)
  std::string file;               // an MP4 (H.264, optionally AAC) served as it is on /file
};

void print_usage(FILE *out, const char *argv0) {
  std::fprintf(out,
               "Usage: %s [options]\n"
               "Serves synthetic RTSP streams on 127.0.0.1 for tests.\n"
               "\n"
               "Options:\n"
               "  --port N              TCP port for RTSP (default 0 = any free port)\n"
               "  --fps N               frame rate (default 25)\n"
               "  --width N             frame width, even (default 640)\n"
               "  --height N            frame height, even (default 360)\n"
               "  --gop N               key frame interval in frames (default = fps)\n"
               "  --max-seconds N       exit after N seconds (default 600)\n"
               "  --exit-on-stdin-eof   exit when stdin is closed\n"
               "  --udp-only            refuse RTP over the RTSP connection (461 to a TCP SETUP)\n"
               "  --file PATH           also serve PATH, an MP4 of H.264 and AAC, on /file as it\n"
               "                        is (B-frames and sound kept), in real time, once\n"
               "  --auth USER:PASS      require these credentials on every mount (basic auth);\n"
               "                        repeat it for more users\n"

               "  --help                show this help\n"
               "\n"
               "Mounts: /h264 /h265 /mjpeg /cam0 .. /cam7 (cams are H.264)\n"
               "Prints \"PORT <n>\" on stdout once listening.\n",
               argv0);
}

bool parse_int(const char *text, int min, int max, int *out) {
  char *end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < min || value > max) return false;
  *out = static_cast<int>(value);
  return true;
}

// Returns an exit code when the program should stop right away (--help or a
// bad argument), nothing when it should go on serving.
std::optional<int> parse_args(int argc, char **argv, Options *opt) {
  struct IntOption {
    const char *name;
    int min;
    int max;
    int *target;
  };
  const std::array<IntOption, 6> int_options{{
      {"--port", 0, 65535, &opt->port},
      {"--fps", 1, 240, &opt->fps},
      {"--width", 16, 7680, &opt->width},
      {"--height", 16, 4320, &opt->height},
      {"--gop", 1, 10000, &opt->gop},
      {"--max-seconds", 1, 7 * 24 * 3600, &opt->max_seconds},
  }};

  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_usage(stdout, argv[0]);
      return EXIT_SUCCESS;
    }
    if (arg == "--exit-on-stdin-eof") {
      opt->exit_on_stdin_eof = true;
      continue;
    }
    if (arg == "--udp-only") {
      opt->udp_only = true;
      continue;
    }
    if (arg == "--file") {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s: --file needs a path\n", argv[0]);
        return EXIT_FAILURE;
      }
      opt->file = argv[++i];
      continue;
    }
    if (arg == "--auth" || arg.rfind("--auth=", 0) == 0) {
      if (arg == "--auth" && i + 1 >= argc) {
        std::fprintf(stderr, "%s: --auth needs USER:PASS\n", argv[0]);
        return EXIT_FAILURE;
      }
      opt->auth.push_back(arg == "--auth" ? argv[++i] : arg.substr(7));
      if (opt->auth.back().find(':') == std::string::npos) {
        std::fprintf(stderr, "%s: --auth: expected USER:PASS\n", argv[0]);
        return EXIT_FAILURE;
      }
      continue;
    }

    bool matched = false;
    for (const IntOption &o : int_options) {
      const std::string name = o.name;
      const char *value = nullptr;
      if (arg == name) {
        if (i + 1 >= argc) {
          std::fprintf(stderr, "%s: %s needs a value\n", argv[0], o.name);
          return EXIT_FAILURE;
        }
        value = argv[++i];
      } else if (arg.rfind(name + "=", 0) == 0) {
        value = argv[i] + name.size() + 1;
      } else {
        continue;
      }
      if (!parse_int(value, o.min, o.max, o.target)) {
        std::fprintf(stderr, "%s: invalid value for %s: '%s' (range %d..%d)\n", argv[0], o.name,
                     value, o.min, o.max);
        return EXIT_FAILURE;
      }
      matched = true;
      break;
    }
    if (!matched) {
      std::fprintf(stderr, "%s: unknown option '%s'\n", argv[0], argv[i]);
      print_usage(stderr, argv[0]);
      return EXIT_FAILURE;
    }
  }

  // 4:2:0 encoders reject odd frame sizes.
  if (opt->width % 2 != 0 || opt->height % 2 != 0) {
    std::fprintf(stderr, "%s: --width and --height must be even\n", argv[0]);
    return EXIT_FAILURE;
  }
  if (opt->gop == 0) opt->gop = opt->fps;
  return std::nullopt;
}

// Raw I420 source; I420 is forced because the encoders would otherwise
// negotiate Y444 (4:4:4) from videotestsrc, which recorders rarely expect.
std::string raw_source(const Options &opt, int pattern, int horizontal_speed) {
  return "videotestsrc is-live=true pattern=" + std::to_string(pattern) +
         " horizontal-speed=" + std::to_string(horizontal_speed) +
         " ! video/x-raw,format=I420,width=" + std::to_string(opt.width) +
         ",height=" + std::to_string(opt.height) + ",framerate=" + std::to_string(opt.fps) + "/1";
}

// Parameter sets go in-band before every key frame (the parser's
// config-interval=-1) so a client can start at any key frame. The payloader
// must not insert them as well: rtph264pay would put SPS/PPS in front of
// every IDR slice, and x264's zerolatency slices then split one picture into
// two access units on the client.
std::string h264_launch(const Options &opt, int pattern, int horizontal_speed) {
  return "( " + raw_source(opt, pattern, horizontal_speed) +
         " ! x264enc tune=zerolatency speed-preset=ultrafast bitrate=500"
         " key-int-max=" +
         std::to_string(opt.gop) +
         " ! h264parse config-interval=-1"
         " ! rtph264pay name=pay0 pt=96 )";
}

// Closed GOP so key frames are IDR pictures like a camera's, not x265's
// default CRA pictures.
std::string h265_launch(const Options &opt) {
  return "( " + raw_source(opt, 18, 0) +
         " ! x265enc tune=zerolatency speed-preset=ultrafast bitrate=500"
         " option-string=open-gop=0 key-int-max=" +
         std::to_string(opt.gop) +
         " ! h265parse config-interval=-1"
         " ! rtph265pay name=pay0 pt=96 )";
}

// The file's packets as they are: no decoding, so its B-frames and sound reach the client.
std::string file_launch(const Options &opt) {
  return "( filesrc location=\"" + opt.file +
         "\" ! qtdemux name=d d.video_0 ! queue ! h264parse ! rtph264pay name=pay0 pt=96 "
         "config-interval=-1 d.audio_0 ! queue ! aacparse ! rtpmp4gpay name=pay1 pt=97 )";
}

std::string mjpeg_launch(const Options &opt) {
  return "( " + raw_source(opt, 18, 0) + " ! jpegenc ! rtpjpegpay name=pay0 pt=26 )";
}

// The role every mount grants to the one authenticated user of --auth.
constexpr const char *kRole = "viewer";

void add_mount(GstRTSPMountPoints *mounts, GstRTSPAddressPool *pool, const std::string &path,
               const std::string &launch, bool auth, bool udp_only) {
  GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
  gst_rtsp_media_factory_set_launch(factory, launch.c_str());
  // A shared media restarts from timestamp 0 for every new client; each
  // client gets its own pipeline instead.
  gst_rtsp_media_factory_set_shared(factory, FALSE);
  // No multicast: it would leave loopback.
  gst_rtsp_media_factory_set_protocols(factory, static_cast<GstRTSPLowerTrans>(
                                                    udp_only ? GST_RTSP_LOWER_TRANS_UDP
                                                             : GST_RTSP_LOWER_TRANS_UDP |
                                                                   GST_RTSP_LOWER_TRANS_TCP));
  // Without a unicast pool the RTP/RTCP UDP sockets bind to 0.0.0.0.
  gst_rtsp_media_factory_set_address_pool(factory, pool);
  if (auth)
    gst_rtsp_media_factory_add_role(factory, kRole, GST_RTSP_PERM_MEDIA_FACTORY_ACCESS,
                                    G_TYPE_BOOLEAN, TRUE, GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                    G_TYPE_BOOLEAN, TRUE, nullptr);
  gst_rtsp_mount_points_add_factory(mounts, path.c_str(), factory);  // takes ownership
}

gboolean on_quit_signal(gpointer loop) {
  g_main_loop_quit(static_cast<GMainLoop *>(loop));
  return G_SOURCE_CONTINUE;
}

gboolean on_max_seconds(gpointer loop) {
  std::fprintf(stderr, "valkka-test-rtsp-server: --max-seconds reached, exiting\n");
  g_main_loop_quit(static_cast<GMainLoop *>(loop));
  return G_SOURCE_REMOVE;
}

gboolean on_stdin(gint fd, GIOCondition, gpointer loop) {
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN))) return G_SOURCE_CONTINUE;
  g_main_loop_quit(static_cast<GMainLoop *>(loop));
  return G_SOURCE_REMOVE;
}

// Requires the --auth credentials of every client: without (or with other) credentials the
// server answers 401, as a camera with a password does.
void require_auth(GstRTSPServer *server, const Options &opt) {
  GstRTSPAuth *auth = gst_rtsp_auth_new();
  GstRTSPToken *token =
      gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, kRole, nullptr);
  for (const std::string &pair : opt.auth) {
    const size_t colon = pair.find(':');
    // Basic: the password crosses in base64, the form a leak check must look for too.
    gchar *basic =
        gst_rtsp_auth_make_basic(pair.substr(0, colon).c_str(), pair.substr(colon + 1).c_str());
    gst_rtsp_auth_add_basic(auth, basic, token);
    g_free(basic);
  }
  gst_rtsp_token_unref(token);
  gst_rtsp_server_set_auth(server, auth);
  g_object_unref(auth);
}

GstRTSPFilterResult remove_client(GstRTSPServer *, GstRTSPClient *, gpointer) {
  return GST_RTSP_FILTER_REMOVE;
}

}  // namespace

int main(int argc, char **argv) {
  Options opt;
  if (const std::optional<int> rc = parse_args(argc, argv, &opt)) return *rc;

  // A test that reads the PORT line and closes the pipe must not kill us.
  std::signal(SIGPIPE, SIG_IGN);

  gst_init(nullptr, nullptr);
  GMainLoop *loop = g_main_loop_new(nullptr, FALSE);

  GstRTSPServer *server = gst_rtsp_server_new();
  gst_rtsp_server_set_address(server, "127.0.0.1");
  gst_rtsp_server_set_service(server, std::to_string(opt.port).c_str());
  // Tests may open all mounts at once; the default backlog is 5.
  gst_rtsp_server_set_backlog(server, 64);

  GstRTSPAddressPool *pool = gst_rtsp_address_pool_new();
  gst_rtsp_address_pool_add_range(pool, "127.0.0.1", "127.0.0.1", 20000, 60999, 0);

  const bool auth = !opt.auth.empty();
  if (auth) require_auth(server, opt);
  GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(server);
  add_mount(mounts, pool, "/h264", h264_launch(opt, 18, 0), auth, opt.udp_only);
  add_mount(mounts, pool, "/h265", h265_launch(opt), auth, opt.udp_only);
  add_mount(mounts, pool, "/mjpeg", mjpeg_launch(opt), auth, opt.udp_only);
  if (!opt.file.empty()) add_mount(mounts, pool, "/file", file_launch(opt), auth, opt.udp_only);
  // Distinct patterns so the cameras differ visibly; scrolling keeps static
  // patterns moving so every frame carries new content.
  const std::array<int, 8> cam_patterns{0, 18, 21, 22, 24, 10, 13, 23};
  for (size_t i = 0; i < cam_patterns.size(); ++i) {
    const int speed = cam_patterns[i] == 18 ? 0 : 4;
    add_mount(mounts, pool, "/cam" + std::to_string(i), h264_launch(opt, cam_patterns[i], speed),
              auth, opt.udp_only);
  }
  g_object_unref(mounts);
  g_object_unref(pool);

  const guint server_source = gst_rtsp_server_attach(server, nullptr);
  if (server_source == 0) {
    std::fprintf(stderr, "valkka-test-rtsp-server: cannot listen on 127.0.0.1:%d\n", opt.port);
    g_object_unref(server);
    g_main_loop_unref(loop);
    return EXIT_FAILURE;
  }

  g_unix_signal_add(SIGINT, on_quit_signal, loop);
  g_unix_signal_add(SIGTERM, on_quit_signal, loop);
  g_timeout_add_seconds(static_cast<guint>(opt.max_seconds), on_max_seconds, loop);
  if (opt.exit_on_stdin_eof)
    g_unix_fd_add(STDIN_FILENO, static_cast<GIOCondition>(G_IO_IN | G_IO_HUP | G_IO_ERR), on_stdin,
                  loop);

  std::printf("PORT %d\n", gst_rtsp_server_get_bound_port(server));
  std::fflush(stdout);

  g_main_loop_run(loop);

  // Close client connections so peers see an orderly shutdown and the
  // per-client pipelines are torn down before the process exits.
  gst_rtsp_server_client_filter(server, remove_client, nullptr);
  g_source_remove(server_source);
  g_object_unref(server);
  g_main_loop_unref(loop);
  return EXIT_SUCCESS;
}
