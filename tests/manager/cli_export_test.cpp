/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka export` as README's Playback section describes it, through the binary, on a recording
// whose every frame the test knows: the container the file name asks for (.mkv, .mov, .mp4),
// each holding every frame of the range; a malformed TIME and a range without a keyframe refused
// with one line. cli_export_files_test.cpp has the rest (--force, --format, tags, cameras).
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_support.h"
#include "export_probe.h"

using namespace mgr_test;
using recordtest::CliResult;

namespace {

constexpr uint32_t kId = 5;
constexpr int kStepMs = 40;

// Exports [from, to] of stream 5 to `path`; checks the file holds exactly the frames of the
// range, from the keyframe at or before `from`, at their own times, and that it decodes.
void expect_range_exported(const TempDir &tmp, const std::string &dir, const Oracle &oracle,
                           const std::string &path) {
  const int64_t from = kT0 + 3210, to = kT0 + 7650;
  CliResult r = valkka({"export", "--fs", dir, "--stream", std::to_string(kId), "--from",
                        std::to_string(from), "--to", std::to_string(to), path},
                       tmp);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<int64_t> &times = oracle.times.at(kId);
  const std::vector<bool> &keys = oracle.keys.at(kId);
  size_t start = 0, end = 0;
  for (size_t i = 0; i < times.size(); i++) {
    if (times[i] <= from && keys[i]) start = i;
    if (times[i] <= to) end = i;
  }
  const std::vector<ProbedPacket> packets = probe_packets(path, "v");
  ASSERT_EQ(packets.size(), end - start + 1) << path << ": every frame of the range";
  for (size_t i = 0; i < packets.size(); i++) {
    EXPECT_EQ(packets[i].keyframe, bool(keys[start + i])) << path << " packet " << i;
    EXPECT_NEAR(packets[i].pts_ms, double(times[start + i] - times[start]), 0.5)
        << path << " packet " << i;
  }
  EXPECT_EQ(decode_errors(path), "") << path;
}

}  // namespace

TEST(ManagerCliExport, MkvMovAndMp4HoldEveryFrame) {
  TempDir tmp;
  Clip clip = make_clip(31, 25, 50, 320, 180);
  ASSERT_FALSE(clip.packets.empty());
  const std::string dir = tmp.sub("fs");
  Oracle oracle;
  record_fs(dir, {{kId, &clip, kT0, kStepMs, 250}}, &oracle);

  struct Case {
    std::string name, format, brand;
  } cases[] = {
      {"out.mkv", "matroska,webm", ""},
      {"out.mov", "mov,mp4,m4a,3gp,3g2,mj2", "qt  "},
      {"out.mp4", "mov,mp4,m4a,3gp,3g2,mj2", "isom"},
  };
  for (const Case &c : cases) {
    const std::string path = tmp.sub(c.name);
    expect_range_exported(tmp, dir, oracle, path);
    const ProbedFormat f = probe_format(path);
    EXPECT_EQ(f.name, c.format) << c.name;
    EXPECT_EQ(f.major_brand, c.brand) << c.name;
  }
}

// Recorded from mid-GOP: its frames 10..49 of a clip with keyframes at 0 and 25, so the first
// keyframe is frame 15 of the recording. Up to frame 14 no range holds one.
TEST(ManagerCliExport, AMalformedTimeAndARangeWithoutAKeyframeFailWithOneLine) {
  TempDir tmp;
  Clip whole = make_clip(31, 25, 50, 320, 180);
  ASSERT_EQ(whole.packets.size(), 50u);
  Clip tail = whole;
  tail.packets.erase(tail.packets.begin(), tail.packets.begin() + 10);
  tail.key.erase(tail.key.begin(), tail.key.begin() + 10);
  const std::string dir = tmp.sub("fs");
  Oracle oracle;
  record_fs(dir, {{kId, &tail, kT0, kStepMs, 40}}, &oracle);
  ASSERT_FALSE(oracle.keys.at(kId)[0]);
  ASSERT_TRUE(oracle.keys.at(kId)[15]);

  const std::string out = tmp.sub("out.mkv"), id = std::to_string(kId);
  const std::string t0 = std::to_string(kT0), before_key = std::to_string(kT0 + 14 * kStepMs);
  struct Case {
    std::vector<std::string> times;
    int status;  // 2 for the arguments (a usage error), 1 for the recording
    std::string says;
  } cases[] = {
      {{"--from", "yesterday", "--to", t0}, 2, "TIME"},
      {{"--from", t0, "--to", "2023-02-29T22:13:20"}, 2, "TIME"},  // no such day
      {{"--from", "2023-11-14T25:13:20Z", "--to", t0}, 2, "TIME"},
      {{"--from", t0, "--to", before_key}, 1, "no keyframe"},
      {{"--from", before_key, "--to", before_key}, 1, "no keyframe"},
  };
  for (const Case &c : cases) {
    std::vector<std::string> args = {"export", "--fs", dir, "--stream", id};
    args.insert(args.end(), c.times.begin(), c.times.end());
    args.push_back(out);
    const std::string what = c.times[1] + " .. " + c.times[3];
    CliResult r = valkka(args, tmp);
    EXPECT_EQ(r.status, c.status) << what << ": " << r.err;
    EXPECT_EQ(recordtest::split_lines(r.err).size(), 1u) << what << ": " << r.err;
    EXPECT_EQ(r.err.rfind("valkka: export: ", 0), 0u) << what << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << what << ": " << r.err;
    EXPECT_EQ(r.out, "") << what;
    EXPECT_FALSE(file_exists(out)) << what << ": no file is left";
  }
  // One frame further the keyframe is in the range: the file holds it alone.
  CliResult r = valkka({"export", "--fs", dir, "--stream", id, "--from", t0, "--to",
                        std::to_string(kT0 + 15 * kStepMs), out},
                       tmp);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::vector<ProbedPacket> packets = probe_packets(out, "v");
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_TRUE(packets[0].keyframe);
}
