/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka play` and `valkka export` as a user runs them: a fresh 4-camera synthetic recording played
// at 4x prints every frame of all 4 streams interleaved in time order; bad arguments fail with one
// line; export writes an MP4 (H.264 and H.265) that ffprobe reads, with the frame count and
// duration of the range and a keyframe first.
#include <gtest/gtest.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "iso_time.h"
#include "manager_support.h"

using namespace mgr_test;

namespace {

std::string bin() {
  const char *dir = getenv("VALKKA_TEST_BIN_DIR");
  return std::string(dir ? dir : ".") + "/valkka";
}

// Runs a shell command; its exit status, stdout in `out`, stderr in `err` (either may be NULL).
int run(const std::string &command, std::string *out, std::string *err = nullptr,
        const std::string &tmp = "/tmp") {
  const std::string err_file = tmp + "/stderr.txt";
  FILE *p = popen((command + " 2>" + err_file).c_str(), "r");
  if (!p) return -1;
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  int status = pclose(p);
  if (out) *out = text;
  if (err) {
    FILE *f = fopen(err_file.c_str(), "r");
    err->clear();
    if (f) {
      while ((n = fread(buf, 1, sizeof buf, f)) > 0) err->append(buf, n);
      fclose(f);
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Line {
  uint32_t stream;
  long long mstime;
  bool key;
  unsigned width, height;
};

std::vector<Line> parse_json_lines(const std::string &text) {
  std::vector<Line> lines;
  std::istringstream in(text);
  std::string s;
  while (std::getline(in, s)) {
    Line l{};
    char key[8] = "";
    int got =
        sscanf(s.c_str(),
               "{\"stream\":%u,\"mstime\":%lld,\"keyframe\":%5[a-z],\"width\":%u,\"height\":%u}",
               &l.stream, &l.mstime, key, &l.width, &l.height);
    EXPECT_EQ(got, 5) << "not a frame line: " << s;
    l.key = std::string(key) == "true";
    lines.push_back(l);
  }
  return lines;
}

}  // namespace

TEST(ManagerCli, PlayFourCamerasAt4xInTimeOrder) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  std::string out, err;
  ASSERT_EQ(run(bin() + " fs create " + dir + " --kind multi --block-size 256K --blocks 64", &out,
                &err),
            0)
      << err;
  ASSERT_EQ(run(bin() + " record --fs " + dir + " --synthetic 4 --duration 2", &out, &err), 0)
      << err;
  valkka_fs_t *fs = open_fs(dir, true);
  ASSERT_NE(fs, nullptr);
  int64_t first = 0, last = 0;
  ASSERT_EQ(valkka_fs_time_range(fs, &first, &last), 0);
  valkka_fs_stream_info_t streams[8];
  streams[0].struct_size = sizeof streams[0];
  ASSERT_EQ(valkka_fs_get_streams(fs, streams, 8), 4);
  uint64_t frames = 0;
  for (int i = 0; i < 4; i++) frames += streams[i].frames;
  valkka_fs_close(fs);

  ASSERT_EQ(run(bin() + " play --fs " + dir + " --from " + std::to_string(first) +
                    " --speed 4 --json",
                &out, &err, tmp.path()),
            0)
      << err;
  std::vector<Line> lines = parse_json_lines(out);
  // At a real-time speed the clock does not wait for a slow (loaded) machine: a frame it passed
  // before the frame could be shown is decoded but not presented, and how many that is depends
  // on the machine's load (14 of 96 seen with a load of 8 on 2 cores). So: none twice, none made
  // up, in time order, every stream shown; the speed-max run below shows every frame.
  EXPECT_LE(lines.size(), frames);
  std::map<uint32_t, int> per_stream;
  std::set<std::pair<uint32_t, int64_t>> seen;
  for (size_t i = 0; i < lines.size(); i++) {
    per_stream[lines[i].stream]++;
    EXPECT_TRUE(seen.insert({lines[i].stream, lines[i].mstime}).second) << "line " << i << " twice";
    if (i) {
      EXPECT_GE(lines[i].mstime, lines[i - 1].mstime) << "line " << i;
    }
    EXPECT_EQ(lines[i].width, 640u);
    EXPECT_EQ(lines[i].height, 360u);
    EXPECT_LE(lines[i].mstime, last);
  }
  EXPECT_EQ(per_stream.size(), 4u);
  // Interleaved: the streams take turns rather than coming one after another.
  int switches = 0;
  for (size_t i = 1; i < lines.size(); i++) switches += lines[i].stream != lines[i - 1].stream;
  EXPECT_GT(switches, (int)lines.size() / 2);

  // As fast as decoding goes, nothing is passed over: every frame of every stream, once.
  ASSERT_EQ(run(bin() + " play --fs " + dir + " --from " + std::to_string(first) +
                    " --speed max --json",
                &out, &err, tmp.path()),
            0)
      << err;
  lines = parse_json_lines(out);
  EXPECT_EQ(lines.size(), frames) << "every frame of every stream, once";
  seen.clear();
  for (size_t i = 0; i < lines.size(); i++) {
    EXPECT_TRUE(seen.insert({lines[i].stream, lines[i].mstime}).second) << "line " << i << " twice";
    if (i) {
      EXPECT_GE(lines[i].mstime, lines[i - 1].mstime) << "line " << i;
    }
  }

  // --to stops there, given as ISO 8601 with an offset: the same instant as epoch ms.
  const int64_t to = first + 1000;
  ASSERT_EQ(run(bin() + " play --fs " + dir + " --from " + std::to_string(first + 500) + " --to " +
                    iso_time(to, 120) + " --speed max --json",
                &out, &err, tmp.path()),
            0)
      << err;
  lines = parse_json_lines(out);
  ASSERT_FALSE(lines.empty());
  for (const Line &l : lines) EXPECT_LE(l.mstime, to);
  EXPECT_GT(lines.back().mstime, to - 100);
}

TEST(ManagerCli, PlayRefusesBadArguments) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 8), 0);
  std::string out, err;
  const std::string play = bin() + " play --fs " + dir;
  // README: an argument error (a malformed TIME, a reversed range, any other) exits 2, a
  // recording that cannot be played 1.
  struct Case {
    std::string args, says;
    int status;
  } cases[] = {
      {" --from 1700000000000 --to 1600000000000", "before --from", 2},
      {" --from yesterday", "--from", 2},
      {" --from 2023-02-29T12:00:00", "--from", 2},  // not a leap year
      {" --from 2024-13-01T12:00:00Z", "--from", 2},
      {" --from 1700000000000 --to 2024-05-01T24:00:00", "--to", 2},
      {" --from 1700000000000 --speed 20", "--speed", 2},
      {" --from 1700000000000 --speed 0.1", "--speed", 2},
      {" --from 1700000000000 --bogus", "unknown option '--bogus'", 2},
      {"", "required", 2},
      {" --from 1700000000000", "nothing is recorded", 1},
  };
  for (const Case &c : cases) {
    EXPECT_EQ(run(play + c.args, &out, &err, tmp.path()), c.status) << c.args << ": " << err;
    EXPECT_NE(err.find(c.says), std::string::npos) << c.args << ": " << err;
    // One line saying what is wrong; a mistake in the arguments' shape adds the usage line.
    const size_t first_end = err.find('\n');
    const std::string rest = first_end == std::string::npos ? "" : err.substr(first_end + 1);
    EXPECT_EQ(err.rfind("valkka: play: ", 0), 0u) << c.args << ": " << err;
    EXPECT_TRUE(rest.empty() || (rest.rfind("usage: valkka play ", 0) == 0 &&
                                 std::count(rest.begin(), rest.end(), '\n') == 1))
        << c.args << ": " << err;
    EXPECT_TRUE(out.empty());
  }
  EXPECT_EQ(run(bin() + " play --fs " + tmp.sub("none") + " --from 1700000000000", &out, &err,
                tmp.path()),
            1)
      << err;
  EXPECT_EQ(run(bin() + " export --fs " + dir +
                    " --stream 1 --from 1700000000001 --to 1700000000000 " + tmp.sub("x.mp4"),
                &out, &err, tmp.path()),
            2)
      << err;
  EXPECT_NE(err.find("before --from"), std::string::npos) << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_EQ(run(bin() + " export --fs " + dir + " --stream 1 --from 1 --to 2 " + tmp.sub("x.mp4"),
                &out, &err, tmp.path()),
            1)
      << err;
  EXPECT_NE(err.find("nothing is recorded"), std::string::npos) << err;
}

namespace {

// Records 10 s of one stream, exports [from, to] and checks the MP4 with ffprobe.
void export_and_probe(const char *codec, const char *codec_name) {
  TempDir tmp;
  Clip clip = make_clip(31, 25, 50, 320, 180, codec);
  ASSERT_FALSE(clip.packets.empty());
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 262144, 32), 0);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  Oracle oracle;
  Clip other = make_clip(32, 10, 20, 160, 90);
  record(fs, {{5, &clip, kT0, 40, 250}, {6, &other, kT0 + 7, 40, 250}}, &oracle);
  valkka_fs_close(fs);

  const int64_t from = kT0 + 3210, to = kT0 + 7650;
  const std::string mp4 = tmp.sub("out.mp4");
  std::string out, err;
  ASSERT_EQ(run(bin() + " export --fs " + dir + " --stream 5 --from " + std::to_string(from) +
                    " --to " + std::to_string(to) + " " + mp4,
                &out, &err, tmp.path()),
            0)
      << err;
  // Expected: from the keyframe at or before `from` (GOP 25: every 1000 ms) to the last frame <= to.
  const auto &times = oracle.times.at(5);
  const auto &keys = oracle.keys.at(5);
  size_t start = 0, end = 0;
  for (size_t i = 0; i < times.size(); i++) {
    if (times[i] <= from && keys[i]) start = i;
    if (times[i] <= to) end = i;
  }
  const size_t frames = end - start + 1;
  const double duration = double(times[end] - times[start] + 40) / 1000.0;

  ASSERT_EQ(run("ffprobe -v error -select_streams v -show_entries stream=codec_name,width,height "
                "-show_entries format=duration -of default=nw=1 " +
                    mp4,
                &out, &err, tmp.path()),
            0)
      << err;
  EXPECT_NE(out.find("codec_name=" + std::string(codec_name)), std::string::npos) << out;
  EXPECT_NE(out.find("width=320"), std::string::npos) << out;
  EXPECT_NE(out.find("height=180"), std::string::npos) << out;
  double got_duration = 0;
  size_t at = out.find("duration=");
  ASSERT_NE(at, std::string::npos) << out;
  got_duration = atof(out.c_str() + at + 9);
  EXPECT_NEAR(got_duration, duration, 0.05);

  ASSERT_EQ(run("ffprobe -v error -select_streams v -show_entries packet=flags -of csv=p=0 " + mp4,
                &out, &err, tmp.path()),
            0)
      << err;
  std::vector<std::string> flags;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) flags.push_back(line);
  EXPECT_EQ(flags.size(), frames);
  ASSERT_FALSE(flags.empty());
  EXPECT_EQ(flags[0][0], 'K') << "the first packet is a keyframe";
  // Every packet decodes.
  ASSERT_EQ(run("ffmpeg -v error -xerror -i " + mp4 + " -f null -", &out, &err, tmp.path()), 0)
      << err;
  EXPECT_TRUE(err.empty()) << err;
}

}  // namespace

TEST(ManagerCli, ExportH264) { export_and_probe("h264", "h264"); }

TEST(ManagerCli, ExportH265) { export_and_probe("h265", "hevc"); }
