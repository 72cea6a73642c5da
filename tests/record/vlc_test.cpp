/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera that is not ours and takes RTP over UDP only: VLC's RTSP server (Debian's vlc-bin),
// which answers a TCP SETUP with 461 Unsupported transport. `valkka record` with no transport
// option records it (TCP refused, one UDP attempt, remembered), and says so once on stderr.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

#include "cli_process.h"
#include "fs_test_util.h"
#include "vlc_server.h"

using namespace fstest;
using namespace recordtest;

namespace {

TEST(RecordVlc, AUdpOnlyCameraIsRecordedWithTheDefaultTransport) {
  TempDir tmp;
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);  // VLC runs as nobody and reads the clip
  const std::string clip = tmp.sub("clip.mp4");
  const std::string make = "ffmpeg -v error -y -f lavfi -i testsrc2=size=640x360:rate=25 -t 10 "
                           "-c:v libx264 -g 25 -pix_fmt yuv420p '" +
                           clip + "'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  ASSERT_EQ(chmod(clip.c_str(), 0644), 0);
  const int port = free_port();
  ASSERT_GT(port, 0);
  VlcServer vlc(clip, port, tmp.sub("vlc.log"));
  ASSERT_GT(vlc.pid(), 0);
  ASSERT_TRUE(vlc.wait_listening())
      << "cvlc did not listen within 10 s: " << read_text(tmp.sub("vlc.log"));

  const std::string dir = tmp.sub("fs"), config = tmp.sub("cameras.json");
  write_text(config, "{\"fs\": {\"dir\": \"" + dir +
                         "\", \"create\": {\"block_size\": \"1M\", \"blocks\": 16}},"
                         " \"cameras\": [{\"name\": \"vlc\", \"url\": \"rtsp://127.0.0.1:" +
                         std::to_string(port) + "/cam\"}]}");
  CliResult r = cli_run({"record", "--config", config, "--duration", "4"}, tmp.path(), 90000);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("server refused TCP transport (461 Unsupported transport): using UDP"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("vlc: streaming over udp"), std::string::npos) << r.err;

  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::vector<valkka_fs_stream_info_t> streams(2);
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(fs, streams.data(), 2), 1);
  // 4 s at 25 fps, less what UDP on a loaded machine may lose.
  EXPECT_GE(streams[0].frames, 75u);
  EXPECT_EQ(streams[0].codec, (uint32_t)VALKKA_CODEC_H264);
  valkka_fs_close(fs);
}

}  // namespace
