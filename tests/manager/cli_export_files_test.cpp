/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka export`'s files as README's Playback section describes them, on a real FS that
// `valkka record --synthetic 2` wrote (cameras "camera 0" and "camera 1"), read back by ffprobe:
// an existing file refused without --force and replaced with it only by a complete one, the
// container from the extension or --format, the MP4/MOV index before the media (faststart), the
// camera, recorder and first frame's time in the file's tags, --camera by name, several cameras
// into a directory, and --progress's lines on a pipe and on a terminal.
#include <dirent.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "cli_support.h"
#include "export_probe.h"
#include "iso_time.h"

using namespace mgr_test;
using recordtest::CliResult;
using recordtest::read_text;
using recordtest::split_lines;
using recordtest::write_text;

namespace {

struct Camera {
  uint32_t id = 0;
  int64_t first_ms = 0, last_ms = 0;
};

// One recording for every test: two synthetic cameras for 4 s.
class ManagerCliExportFiles : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    dir_ = tmp_->sub("fs");
    CliResult r = valkka(
        {"fs", "create", dir_, "--kind", "multi", "--block-size", "1M", "--blocks", "16"}, *tmp_);
    ASSERT_EQ(r.status, 0) << r.err;
    r = valkka({"record", "--fs", dir_, "--synthetic", "2", "--duration", "4"}, *tmp_);
    ASSERT_EQ(r.status, 0) << r.err;
    r = valkka({"fs", "inspect", dir_, "--json"}, *tmp_);
    ASSERT_EQ(r.status, 0) << r.err;
    json_t *root = json_loads(r.out.c_str(), 0, nullptr);
    ASSERT_NE(root, nullptr) << r.out;
    size_t i;
    json_t *s;
    json_array_foreach(json_object_get(root, "streams"), i, s) {
      const char *name = json_string_value(json_object_get(s, "name"));
      json_t *range = json_object_get(s, "time_range");
      if (!name) continue;
      Camera &c = cameras_[name];
      c.id = uint32_t(json_integer_value(json_object_get(s, "id")));
      c.first_ms = json_integer_value(json_array_get(range, 0));
      c.last_ms = json_integer_value(json_array_get(range, 1));
    }
    json_decref(root);
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  // `export --fs DIR --from FROM --to TO` with `args` before OUT, `out` in the test's directory.
  CliResult run(std::vector<std::string> args, const std::string &out) {
    std::vector<std::string> all = {
        "export", "--fs", dir_, "--from", std::to_string(from()), "--to", std::to_string(to())};
    all.insert(all.end(), args.begin(), args.end());
    all.push_back(out);
    return valkka(all, out_);
  }
  // The range: from the start of the recording to its end (all of it, every camera's).
  static int64_t from() { return std::min(cam("camera 0").first_ms, cam("camera 1").first_ms); }
  static int64_t to() { return std::max(cam("camera 0").last_ms, cam("camera 1").last_ms); }
  static const Camera &cam(const std::string &name) { return cameras_[name]; }
  static std::string id_of(const std::string &name) { return std::to_string(cam(name).id); }

  // The names in directory `dir`, sorted.
  static std::vector<std::string> names_in(const std::string &dir) {
    std::vector<std::string> names;
    if (DIR *d = opendir(dir.c_str())) {
      while (dirent *e = readdir(d))
        if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
          names.push_back(e->d_name);
      closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  static TempDir *tmp_;
  static std::string dir_;
  static std::map<std::string, Camera> cameras_;
  TempDir out_;
};

TempDir *ManagerCliExportFiles::tmp_ = nullptr;
std::string ManagerCliExportFiles::dir_;
std::map<std::string, Camera> ManagerCliExportFiles::cameras_;

void expect_one_line(const CliResult &r, int status, const std::string &says) {
  EXPECT_EQ(r.status, status) << r.err;
  EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
  EXPECT_EQ(r.err.rfind("valkka: export: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(says), std::string::npos) << r.err;
}

// The packets of `path`'s video as text, to compare two exports.
std::string packets_text(const std::string &path) {
  std::string text;
  for (const ProbedPacket &p : probe_packets(path, "v"))
    text += std::to_string(p.pts_ms) + (p.keyframe ? " K\n" : "\n");
  return text;
}

}  // namespace

TEST_F(ManagerCliExportFiles, RecordedTwoNamedCameras) {
  ASSERT_EQ(cameras_.size(), 2u);
  EXPECT_NE(cam("camera 0").id, 0u);
  EXPECT_NE(cam("camera 1").id, 0u);
}

// Without --force an existing OUT is refused and left as it was; a failed export (a stream with
// no frame, so no keyframe) under --force leaves the old file and no temporary one; a complete
// export under --force replaces it.
TEST_F(ManagerCliExportFiles, AnExistingFileIsReplacedOnlyWithForceAndOnlyByACompleteOne) {
  const std::string dir = out_.sub("files");  // apart from the runs' stdout.txt and stderr.txt
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string out = dir + "/clip.mp4";
  write_text(out, "the old file\n", 0644);
  expect_one_line(run({"--stream", id_of("camera 0")}, out), 1, "--force");
  EXPECT_EQ(read_text(out), "the old file\n");

  expect_one_line(run({"--force", "--stream", "4242"}, out), 1, "no keyframe");
  EXPECT_EQ(read_text(out), "the old file\n");
  EXPECT_EQ(names_in(dir), std::vector<std::string>({"clip.mp4"})) << "nothing left over";

  CliResult r = run({"--force", "--stream", id_of("camera 0")}, out);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(probe_format(out).major_brand, "isom");
  EXPECT_GT(probe_packets(out, "v").size(), 50u);
  EXPECT_EQ(decode_errors(out), "");
  EXPECT_EQ(access(out.c_str(), R_OK), 0);
  EXPECT_EQ(names_in(dir), std::vector<std::string>({"clip.mp4"})) << "nothing left over";
}

// The container by extension (any case) or --format; MP4 and MOV with moov before mdat; an
// extension of none of them refused as a usage error naming the extensions, writing nothing.
TEST_F(ManagerCliExportFiles, TheContainerComesFromTheExtensionOrFormatAndMp4IsFaststart) {
  struct Case {
    std::string name, format, format_name, brand;
  } cases[] = {
      {"a.mp4", "", "mov,mp4,m4a,3gp,3g2,mj2", "isom"},
      {"b.MOV", "", "mov,mp4,m4a,3gp,3g2,mj2", "qt  "},
      {"c.mkv", "", "matroska,webm", ""},
      {"d.video", "mp4", "mov,mp4,m4a,3gp,3g2,mj2", "isom"},
      {"e.mp4", "matroska", "matroska,webm", ""},  // --format wins over the extension
      {"f", "mov", "mov,mp4,m4a,3gp,3g2,mj2", "qt  "},
  };
  for (const Case &c : cases) {
    const std::string out = out_.sub(c.name);
    std::vector<std::string> args = {"--stream", id_of("camera 1")};
    if (!c.format.empty()) args.insert(args.end(), {"--format", c.format});
    CliResult r = run(args, out);
    ASSERT_EQ(r.status, 0) << c.name << ": " << r.err;
    const ProbedFormat f = probe_format(out);
    EXPECT_EQ(f.name, c.format_name) << c.name;
    EXPECT_EQ(f.major_brand, c.brand) << c.name;
    const std::vector<std::string> atoms = top_level_atoms(out);
    if (c.format_name == "matroska,webm") continue;
    const auto moov = std::find(atoms.begin(), atoms.end(), "moov");
    const auto mdat = std::find(atoms.begin(), atoms.end(), "mdat");
    ASSERT_NE(moov, atoms.end()) << c.name;
    ASSERT_NE(mdat, atoms.end()) << c.name;
    EXPECT_LT(moov - atoms.begin(), mdat - atoms.begin()) << c.name << ": faststart";
  }
  for (const std::string name : {"g", "h.avi", "i.mp4.part"}) {
    const CliResult r = run({"--stream", id_of("camera 1")}, out_.sub(name));
    EXPECT_EQ(r.status, 2) << name << ": " << r.err;
    EXPECT_NE(r.err.find(".mp4, .mkv, .mov"), std::string::npos) << name << ": " << r.err;
    EXPECT_FALSE(file_exists(out_.sub(name))) << name;
  }
  expect_one_line(run({"--stream", id_of("camera 1"), "--format", "avi"}, out_.sub("j.mp4")), 2,
                  "--format 'avi'");
}

// title = the camera's name, recorder = --recorder (else the hostname), creation_time = the
// first exported frame's time: the camera's first, as the export starts before the recording.
TEST_F(ManagerCliExportFiles, TheFileNamesTheCameraTheRecorderAndTheFirstFramesTime) {
  char host[256] = "";
  ASSERT_EQ(gethostname(host, sizeof host - 1), 0);
  // The first exported frame: camera 1's first keyframe, as `valkka play` shows it.
  CliResult play = valkka({"play", "--fs", dir_, "--from", std::to_string(from()), "--to",
                           std::to_string(to()), "--speed", "max", "--json"},
                          out_);
  ASSERT_EQ(play.status, 0) << play.err;
  int64_t first_ms = 0;
  for (const PlayLine &l : play_lines(play.out))
    if (!first_ms && l.stream == cam("camera 1").id && l.keyframe) first_ms = l.mstime;
  ASSERT_NE(first_ms, 0) << play.out;
  const std::string first = iso_time(first_ms, 0);  // "...T..:..:...250Z"
  for (const std::string name : {"t.mp4", "t.mov", "t.mkv"}) {
    const std::string out = out_.sub(name);
    ASSERT_EQ(run({"--stream", id_of("camera 1"), "--recorder", "gate-box"}, out).status, 0);
    std::map<std::string, std::string> tags = probe_tags(out);
    EXPECT_EQ(tags["title"], "camera 1") << name;
    EXPECT_EQ(tags["recorder"], "gate-box") << name;
    // ISO 8601 UTC, with fractions ("2026-12-04T14:05:03.250Z", Matroska: ".250000Z").
    const std::string when = tags["creation_time"];
    EXPECT_EQ(when.substr(0, 23), first.substr(0, 23)) << name << ": " << when;
    EXPECT_EQ(when.back(), 'Z') << name << ": " << when;
  }
  const std::string out = out_.sub("host.mp4");
  ASSERT_EQ(run({"--stream", id_of("camera 1")}, out).status, 0);
  EXPECT_EQ(probe_tags(out)["recorder"], host);
}

// --camera NAME exports the same frames as --stream ID; an unknown name lists the cameras.
TEST_F(ManagerCliExportFiles, CameraByNameIsItsStreamAndAnUnknownNameListsTheCameras) {
  const std::string by_name = out_.sub("by-name.mkv"), by_id = out_.sub("by-id.mkv");
  ASSERT_EQ(run({"--camera", "camera 1"}, by_name).status, 0);
  ASSERT_EQ(run({"--stream", id_of("camera 1")}, by_id).status, 0);
  EXPECT_EQ(packets_text(by_name), packets_text(by_id));
  EXPECT_FALSE(packets_text(by_name).empty());
  const CliResult r = run({"--camera", "camera 7"}, out_.sub("none.mkv"));
  expect_one_line(r, 1, "no camera 'camera 7'");
  EXPECT_NE(r.err.find("'camera 0', 'camera 1'"), std::string::npos) << r.err;
  EXPECT_FALSE(file_exists(out_.sub("none.mkv")));
}

// --all into a directory it creates: one file per camera, named after it and --from's local
// time, holding what a single-camera export of it holds; a summary line. Once one camera fails
// (a stream that does not exist) the others are still exported and the exit status is 1.
TEST_F(ManagerCliExportFiles, SeveralCamerasGoIntoADirectoryAFileEach) {
  const std::string dir = out_.sub("cams");
  CliResult r = run({"--all", "--format", "matroska"}, dir);
  ASSERT_EQ(r.status, 0) << r.err;
  char when[32];
  const time_t secs = time_t(from() / 1000);
  struct tm tm;
  localtime_r(&secs, &tm);
  strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
  const std::string f0 = std::string("camera_0_") + when + ".mkv";
  const std::string f1 = std::string("camera_1_") + when + ".mkv";
  ASSERT_EQ(names_in(dir), std::vector<std::string>({f0, f1}));
  EXPECT_NE(r.out.find("exported 2 of 2 cameras to " + dir), std::string::npos) << r.out;
  for (const std::string name : {"camera 0", "camera 1"}) {
    const std::string single = out_.sub(name + ".mkv");
    ASSERT_EQ(run({"--camera", name}, single).status, 0);
    EXPECT_EQ(packets_text(dir + "/" + (name == "camera 0" ? f0 : f1)), packets_text(single));
  }
  // Again into the same directory: its files exist, so each is refused without --force.
  r = run({"--all", "--format", "matroska"}, dir);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find("exported 0 of 2 cameras"), std::string::npos) << r.out;

  const std::string two = out_.sub("two");
  r = run({"--stream", "4242", "--camera", "camera 0"}, two);
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(names_in(two), std::vector<std::string>({std::string("camera_0_") + when + ".mp4"}));
  EXPECT_NE(r.out.find("exported 1 of 2 cameras"), std::string::npos) << r.out;
}

// On a pipe --progress writes one line per 10 %, each once, up to 100 %; without it stderr
// stays empty and stdout has the closing line. On a terminal it is one line rewritten in place.
TEST_F(ManagerCliExportFiles, ProgressOnAPipeIsALinePerTenPercent) {
  CliResult r = run({"--stream", id_of("camera 0"), "--progress"}, out_.sub("p.mp4"));
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> expected;
  for (int p = 10; p <= 100; p += 10)
    expected.push_back("valkka: export: camera 0: " + std::to_string(p) + "%");
  EXPECT_EQ(split_lines(r.err), expected) << r.err;
  r = run({"--stream", id_of("camera 0")}, out_.sub("q.mp4"));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out.rfind("exported ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find(" of camera 0 (stream " + id_of("camera 0") + "), "), std::string::npos)
      << r.out;
  // On a terminal (script(1) gives it one): one line rewritten in place up to 100 %, no decile
  // lines, then the closing line.
  const char *bin = getenv("VALKKA_TEST_BIN_DIR");
  const std::string command = std::string(bin ? bin : ".") + "/valkka export --fs " + dir_ +
                              " --stream " + id_of("camera 0") + " --from " +
                              std::to_string(from()) + " --to " + std::to_string(to()) +
                              " --progress " + out_.sub("t.mkv");
  const std::string screen =
      recordtest::shell_output("script -qec '" + command + "' /dev/null </dev/null");
  EXPECT_NE(screen.find("\rvalkka: export: camera 0: 100%\r\nexported "), std::string::npos)
      << screen;
  EXPECT_GT(std::count(screen.begin(), screen.end(), '\r'), 5) << screen;
  EXPECT_EQ(screen.find("camera 0: 10%"), std::string::npos) << screen;
  EXPECT_TRUE(file_exists(out_.sub("t.mkv")));
}

// A signal while exporting (here SIGTERM while the export waits to write its first progress
// line: its stderr is a pipe already full) removes the half-written temporary file and leaves
// the old OUT as it was.
TEST_F(ManagerCliExportFiles, ASignalMidExportRemovesTheTemporaryFile) {
  const std::string dir = out_.sub("files");
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0);
  const std::string out = dir + "/clip.mp4";
  write_text(out, "the old file\n", 0644);
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_NONBLOCK), 0);
  const std::string block(4096, 'x');
  while (write(fds[1], block.data(), block.size()) > 0) {
  }
  ASSERT_EQ(errno, EAGAIN);
  fcntl(fds[1], F_SETFL, 0);  // the child's writes block
  const char *bin = getenv("VALKKA_TEST_BIN_DIR");
  const std::string exe = std::string(bin ? bin : ".") + "/valkka";
  const std::string from_text = std::to_string(from()), to_text = std::to_string(to());
  const std::string id = id_of("camera 0");
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(fds[1], 2);
    execl(exe.c_str(), "valkka", "export", "--fs", dir_.c_str(), "--stream", id.c_str(), "--from",
          from_text.c_str(), "--to", to_text.c_str(), "--force", "--progress", out.c_str(),
          (char *)nullptr);
    _exit(127);
  }
  close(fds[1]);
  // The temporary file appears beside OUT, then the child blocks on its full stderr.
  bool started = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!started && std::chrono::steady_clock::now() < deadline) {
    started = names_in(dir).size() == 2;
    if (!started) usleep(10000);
  }
  EXPECT_TRUE(started) << "no temporary file beside OUT";
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  close(fds[0]);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  EXPECT_EQ(names_in(dir), std::vector<std::string>({"clip.mp4"})) << "nothing left over";
  EXPECT_EQ(read_text(out), "the old file\n");
}
