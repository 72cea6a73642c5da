/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The values of `valkka record`'s status line (README.md, "The status line"): `frames` is what
// the cameras delivered, every one of them in the FS afterwards; `fps` agrees with how fast
// `frames` grew over the run's own seconds; `dropped` counts the frames whose write failed, a
// frame larger than a block and the frames a full FS input queue refused.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

// The environment entry that finds the built plugins and storage-faulty.
std::string faulty_plugins_env() {
  const std::string faulty = faulty_plugin_path();
  return "VALKKA_PLUGIN_PATH=" + build_plugin_dir() + ":" + faulty.substr(0, faulty.rfind('/'));
}

// A multi FS of 16 blocks of `block_size` on storage-faulty, made by `valkka fs create`.
void create_faulty_fs(const std::string &fs, const std::string &block_size,
                      const std::string &dir) {
  CliResult created = cli_run({"fs", "create", fs, "--kind", "multi", "--block-size", block_size,
                               "--blocks", "16", "--backend", "storage-faulty"},
                              dir, 60000, {faulty_plugins_env()});
  ASSERT_EQ(created.status, 0) << created.err;
}

// Two cameras playing a 2 s clip once each: the run ends when both have, so the last status line
// counts every frame they will ever deliver: each picture of the clip, all in the FS (whose
// counts leave configurations out), and the one configuration each sends before them (the
// clip's parameter sets never change).
TEST(RecordStatus, FramesAreWhatTheCamerasDeliveredAndTheFsHolds) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), clip = tmp.sub("clip.mp4"), config = tmp.sub("cams.json");
  ASSERT_TRUE(make_clip(clip, 2, "libx264", false));
  const int64_t packets = video_packets(clip);
  ASSERT_GT(packets, 0);
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"url": ")" + clip +
                         R"(", "options": {"loop": false}},
      {"url": ")" + clip +
                         R"(", "options": {"loop": false}}]})");
  CliResult r = cli_run({"record", "--config", config}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  ASSERT_NE(r.err.find("every source ended"), std::string::npos) << r.err;
  auto lines = status_lines(r.out);
  ASSERT_FALSE(lines.empty()) << r.out;
  const double frames = status_value(lines.back(), "frames");
  EXPECT_EQ(status_value(lines.back(), "dropped"), 0) << r.out;
  auto streams = fs_streams(fs, tmp.path());
  EXPECT_EQ(streams[1].frames, packets) << r.out;
  EXPECT_EQ(streams[2].frames, packets) << r.out;
  EXPECT_EQ(frames, streams[1].frames + streams[2].frames + 2) << r.out;
}

// Cameras at 10 and 30 fps for 6 s. From t=2s on, each camera's one-second window is its own:
// the mean of the fps values is the rate at which frames grew between the first and last line.
TEST(RecordStatus, FpsFollowsTheFramesOfTheRun) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 16), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"url": "synthetic://0", "options": {"fps": 10}},
      {"url": "synthetic://1", "options": {"fps": 30}}]})");
  CliResult r = cli_run({"record", "--config", config, "--duration", "6"}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<StatusLine> steady;
  for (const StatusLine &line : status_lines(r.out))
    if (status_value(line, "t") >= 2) steady.push_back(line);
  ASSERT_GE(steady.size(), 3u) << r.out;
  const double seconds = status_value(steady.back(), "t") - status_value(steady.front(), "t");
  const double rate =
      (status_value(steady.back(), "frames") - status_value(steady.front(), "frames")) / seconds;
  double sum = 0;
  for (const StatusLine &line : steady) sum += status_value(line, "fps");
  const double mean_fps = sum / steady.size();
  EXPECT_GT(rate, 0) << r.out;
  EXPECT_NEAR(mean_fps, rate, 0.15 * rate) << r.out;
}

// An FS on storage-faulty whose data file fails its 21st to 23rd writes: the frames those three
// writes carried are lost (the writer writes what 50 ms brought in one write: one or two frames
// of a 25 fps camera each, more when the machine keeps the writer waiting: a loaded CI machine
// lost 7 in three writes), each counted in `dropped` once the writer reaches it (waited for),
// and every other one written: the FS holds the pictures, the writer's count adds the camera's
// one configuration.
TEST(RecordStatus, DroppedCountsFailedWrites) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs");
  const std::string plugins = faulty_plugins_env();
  ASSERT_NO_FATAL_FAILURE(create_faulty_fs(fs, "256K", tmp.path()));
  CliProcess p = cli_start({"record", "--fs", fs, "--synthetic", "1", "--duration", "60"},
                           tmp.sub("out.txt"), tmp.sub("err.txt"),
                           {plugins, "VALKKA_FAULT=pwrite:after=20:times=3:file=/blocks"});
  ASSERT_GT(p.pid, 0);
  bool counted = false;
  for (int waited = 0; waited < 60000 && !counted; waited += 50) {
    auto lines = status_lines(read_text(p.out_path));
    counted = !lines.empty() && status_value(lines.back(), "dropped") >= 3;
    if (!counted) usleep(50000);
  }
  if (counted) kill(p.pid, SIGINT);
  const int status = cli_wait(p, 30000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  ASSERT_TRUE(counted) << out << err;
  EXPECT_EQ(status, 0) << err;
  auto lines = status_lines(out);
  const double dropped = status_value(lines.back(), "dropped");
  for (const StatusLine &line : lines) EXPECT_LE(status_value(line, "dropped"), dropped) << out;
  EXPECT_GE(dropped, 3) << out;
  EXPECT_LE(dropped, 15) << out;  // three writes of at most 200 ms of pictures each
  const std::string stopped = "SIGINT: stopped after ";
  ASSERT_NE(err.find(stopped), std::string::npos) << err;
  const size_t semicolon = err.find("; ", err.find(stopped));
  const int64_t written = std::atoll(err.c_str() + semicolon + 2);
  EXPECT_EQ(fs_streams(fs, tmp.path(), {plugins})[1].frames + 1, written) << err;
  EXPECT_GT(written, 20) << err;
  EXPECT_LE(status_value(lines.back(), "frames"), written + dropped) << out;
}

// A disk that stops taking writes: storage-faulty holds the data file's writes from the first on
// (the writer coalesces records: the whole clip may take only a few writes) while a file exists,
// and the camera, a 30 s clip read as fast as it goes (750 pictures, more than the FS input
// queue's 256), fills the queue behind it and has the rest refused. Released once the camera has
// ended, the writer drains the queue: the FS then holds every frame the status line counted but
// the dropped ones, and the run ends when its camera has.
TEST(RecordStatus, DroppedCountsAFrameRefusedByAFullInputQueue) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), clip = tmp.sub("clip.mp4"), config = tmp.sub("cams.json");
  const std::string hold = tmp.sub("hold");
  const std::string plugins = faulty_plugins_env();
  ASSERT_TRUE(make_clip(clip, 30, "libx264", false));
  const int64_t packets = video_packets(clip);
  ASSERT_GT(packets, 256 + 20);
  ASSERT_NO_FATAL_FAILURE(create_faulty_fs(fs, "1M", tmp.path()));
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [{"name": "held", "url": ")" + clip +
                         R"(", "options": {"loop": false, "realtime": false}}]})");
  write_text(hold, "");
  CliProcess p = cli_start({"record", "--config", config}, tmp.sub("out.txt"), tmp.sub("err.txt"),
                           {plugins, "VALKKA_FAULT=pwrite:after=0:file=/blocks:hold=" + hold});
  ASSERT_GT(p.pid, 0);
  const bool ended = wait_for_text(p.err_path, "held: ended", 60000);
  unlink(hold.c_str());
  const int status = cli_wait(p, 60000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  ASSERT_TRUE(ended) << err;
  ASSERT_EQ(status, 0) << err;
  const std::string done = "every source ended; ";
  ASSERT_NE(err.find(done), std::string::npos) << err;
  const int64_t written = std::atoll(err.c_str() + err.find(done) + done.size());
  auto lines = status_lines(out);
  ASSERT_FALSE(lines.empty()) << out;
  const double frames = status_value(lines.back(), "frames"),
               dropped = status_value(lines.back(), "dropped");
  printf("frames %.0f, dropped %.0f, written %lld\n", frames, dropped, (long long)written);
  // Every picture and the one configuration came from the camera; the held writer let some in.
  EXPECT_EQ(frames, packets + 1) << out;
  EXPECT_GT(dropped, 0) << out;
  EXPECT_GT(written, 20) << err;
  EXPECT_EQ(written, frames - dropped) << out << err;
  EXPECT_EQ(fs_streams(fs, tmp.path(), {plugins})[1].frames + 1, written) << err;
}

// A disk that stops taking writes holds up the frames, not the status line: with the data file's
// writes held from the 21st on, the line keeps coming while the hold lasts (the plugin's
// HOLD.held marker says it began and still holds). Released, the run stops at SIGINT as usual.
TEST(RecordStatus, LinesKeepComingWhileTheFsWritesAreHeld) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), hold = tmp.sub("hold"), held = hold + ".held";
  ASSERT_NO_FATAL_FAILURE(create_faulty_fs(fs, "1M", tmp.path()));
  write_text(hold, "");
  CliProcess p =
      cli_start({"record", "--fs", fs, "--synthetic", "1", "--duration", "120"}, tmp.sub("out.txt"),
                tmp.sub("err.txt"),
                {faulty_plugins_env(), "VALKKA_FAULT=pwrite:after=20:file=/blocks:hold=" + hold});
  ASSERT_GT(p.pid, 0);
  bool holding = false;
  for (int waited = 0; waited < 30000 && !holding; waited += 50) {
    holding = access(held.c_str(), F_OK) == 0;
    if (!holding) usleep(50000);
  }
  const size_t before = status_lines(read_text(p.out_path)).size();
  size_t during = before;
  for (int waited = 0; holding && waited < 30000 && during < before + 3; waited += 50) {
    usleep(50000);
    during = status_lines(read_text(p.out_path)).size();
  }
  const bool still_held = access(held.c_str(), F_OK) == 0;
  unlink(hold.c_str());
  if (p.pid > 0) kill(p.pid, SIGINT);
  const int status = cli_wait(p, 60000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  ASSERT_TRUE(holding) << "the writes were never held\n" << err;
  EXPECT_GE(during, before + 3) << "status lines before the hold: " << before << "\n" << out;
  EXPECT_TRUE(still_held) << "the hold ended before the lines were counted\n" << err;
  EXPECT_EQ(status, 0) << err;
  EXPECT_NE(err.find("SIGINT: stopped after "), std::string::npos) << err;
  EXPECT_GT(status_lines(out).size(), during) << "no last line at the stop\n" << out;
}

// A 720p clip whose keyframe (about 80K) is larger than a 64K block and whose other pictures
// (about 20K) are not: played once, the keyframe is the one frame dropped, the rest are written.
TEST(RecordStatus, DroppedCountsAFrameLargerThanABlock) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), clip = tmp.sub("clip.mp4"), config = tmp.sub("cams.json");
  const std::string make =
      "ffmpeg -v error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -t 1 -c:v libx264 -preset "
      "ultrafast -x264-params keyint=250:ipratio=10 -crf 28 -pix_fmt yuv420p '" +
      clip + "'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  std::vector<int64_t> sizes;
  for (const std::string &line : split_lines(
           shell_output("ffprobe -v error -show_entries packet=size -of csv=p=0 '" + clip + "'")))
    sizes.push_back(std::atoll(line.c_str()));
  std::sort(sizes.begin(), sizes.end());
  ASSERT_GE(sizes.size(), 2u);
  ASSERT_GT(sizes.back(), 65536) << "the keyframe fits in a block";
  ASSERT_LT(sizes[sizes.size() - 2], 60000) << "another picture does not fit in a block";
  ASSERT_EQ(create_fs(fs, VALKKA_FS_MULTI, 65536, 64), 0) << valkka_last_error();
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"url": ")" + clip +
                         R"(", "options": {"loop": false}}]})");
  CliResult r = cli_run({"record", "--config", config}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;
  auto lines = status_lines(r.out);
  ASSERT_FALSE(lines.empty()) << r.out;
  EXPECT_EQ(status_value(lines.back(), "dropped"), 1) << r.out;
  EXPECT_EQ(status_value(lines.back(), "frames"), (double)sizes.size() + 1) << r.out;
  EXPECT_EQ(fs_streams(fs, tmp.path())[1].frames, (int64_t)sizes.size() - 1) << r.out;
}

}  // namespace
