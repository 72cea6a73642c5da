/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka play` as README's Playback section describes it, through the binary, on a recording
// whose every frame the test knows (two streams, keyframes 1000 ms apart, 7 ms out of step):
//  - TIME as ISO 8601 with a zone is the instant the epoch-ms form names;
//  - so is TIME relative to now, and epoch seconds; the range is said back in the local zone;
//  - without --json, one line per presented frame, `TIME stream ID WxH[ key]`;
//  - from after the recording's end, each stream's last frame, then the end.
#include <gtest/gtest.h>

#include <sys/time.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "cli_support.h"
#include "iso_time.h"

using namespace mgr_test;
using recordtest::CliResult;

namespace {

constexpr uint32_t kA = 5, kB = 6;
constexpr int kStepMs = 40;

struct PlayRecording {
  TempDir tmp;
  Clip a, b;
  Oracle oracle;
  std::string dir;
};

// 4 s of two 320x180 streams; stream 6 starts 7 ms after stream 5, so no two frames tie.
void make_recording(PlayRecording &r) {
  r.a = make_clip(31, 25, 50, 320, 180);
  r.b = make_clip(32, 25, 50, 320, 180);
  ASSERT_FALSE(r.a.packets.empty());
  ASSERT_FALSE(r.b.packets.empty());
  r.dir = r.tmp.sub("fs");
  record_fs(r.dir, {{kA, &r.a, kT0, kStepMs, 100}, {kB, &r.b, kT0 + 7, kStepMs, 100}}, &r.oracle);
}

std::vector<std::string> play_args(const PlayRecording &r, const std::string &from,
                                   const std::string &to, bool json) {
  std::vector<std::string> args = {"play", "--fs", r.dir, "--from", from, "--speed", "max"};
  if (!to.empty()) args.insert(args.end(), {"--to", to});
  if (json) args.push_back("--json");
  return args;
}

}  // namespace

// The same range named both ways, from mid-GOP: the same frames, the first ones included (each
// stream's picture at --from, decoded from the keyframe before it). A zone applied the wrong way
// would put --from hours off, past the recording's end.
TEST(ManagerCliPlay, IsoTimeWithAZoneIsTheSameInstantAsEpochMs) {
  PlayRecording r;
  make_recording(r);
  const int64_t from = kT0 + 1234, to = kT0 + 2987;
  CliResult epoch = valkka(play_args(r, std::to_string(from), std::to_string(to), true), r.tmp);
  ASSERT_EQ(epoch.status, 0) << epoch.err;
  const std::vector<PlayLine> lines = play_lines(epoch.out);
  ASSERT_GT(lines.size(), 60u) << "both streams from 1234 ms to 2987 ms";
  EXPECT_EQ(lines.front().mstime, r.oracle.frame_at(kA, from)) << "stream 5's picture at --from";
  EXPECT_LE(lines.back().mstime, to);

  for (int offset_min : {120, -330, 0}) {
    const std::string iso_from = iso_time(from, offset_min), iso_to = iso_time(to, -offset_min);
    CliResult iso = valkka(play_args(r, iso_from, iso_to, true), r.tmp);
    ASSERT_EQ(iso.status, 0) << iso_from << " .. " << iso_to << ": " << iso.err;
    EXPECT_EQ(iso.out, epoch.out) << iso_from << " .. " << iso_to;
  }
}

// Line k of the text output is line k of the JSON output, in the text form: the picture's time as
// ISO 8601 UTC with milliseconds, its stream, its size, and " key" on a keyframe.
TEST(ManagerCliPlay, WithoutJsonOneLinePerPresentedFrame) {
  PlayRecording r;
  make_recording(r);
  const std::string from = std::to_string(kT0);
  CliResult json = valkka(play_args(r, from, "", true), r.tmp);
  ASSERT_EQ(json.status, 0) << json.err;
  const std::vector<PlayLine> frames = play_lines(json.out);
  ASSERT_EQ(frames.size(), 200u) << "at max speed every frame of both streams";

  CliResult text = valkka(play_args(r, from, "", false), r.tmp);
  ASSERT_EQ(text.status, 0) << text.err;
  const std::vector<std::string> lines = recordtest::split_lines(text.out);
  ASSERT_EQ(lines.size(), frames.size()) << "one line per presented frame";
  size_t keys = 0;
  for (size_t i = 0; i < lines.size(); i++) {
    const PlayLine &f = frames[i];
    const std::string expected = iso_time(f.mstime, 0) + " stream " + std::to_string(f.stream) +
                                 " " + std::to_string(f.width) + "x" + std::to_string(f.height) +
                                 (f.keyframe ? " key" : "");
    EXPECT_EQ(lines[i], expected) << "line " << i;
    keys += f.keyframe;
  }
  EXPECT_EQ(keys, 8u) << "4 s of two streams with a keyframe a second";
}

// Past the end (by 5 s, and by a day): one picture per stream, its last, and the command ends.
TEST(ManagerCliPlay, FromAfterTheEndShowsEachStreamsLastFrame) {
  PlayRecording r;
  make_recording(r);
  const int64_t last_a = r.oracle.times.at(kA).back(), last_b = r.oracle.times.at(kB).back();
  for (int64_t after : {int64_t(5000), int64_t(86400000)}) {
    const std::string from = std::to_string(r.oracle.last() + after);
    for (const char *speed : {"max", "1"}) {
      std::vector<std::string> args = {"play", "--fs",    r.dir, "--from",
                                       from,   "--speed", speed, "--json"};
      CliResult played = valkka(args, r.tmp);
      ASSERT_EQ(played.status, 0) << played.err;
      const std::vector<PlayLine> lines = play_lines(played.out);
      std::set<std::pair<uint32_t, int64_t>> shown;
      for (const PlayLine &l : lines) shown.insert({l.stream, l.mstime});
      const std::set<std::pair<uint32_t, int64_t>> last = {{kA, last_a}, {kB, last_b}};
      EXPECT_EQ(shown, last) << "--from +" << after << " ms at speed " << speed;
      EXPECT_EQ(lines.size(), 2u) << played.out;
    }
  }
}

// An hour before the recording named as epoch milliseconds, as epoch seconds (10 digits: said on
// stderr) and as now minus whole seconds: all three play every frame from the start. Seconds
// once were read as milliseconds (an empty range in 1970), and a unit or sign read wrong puts
// "now-..." past the end (each stream's last frame alone). In Helsinki the range is said in EET.
TEST(ManagerCliPlay, RelativeToNowAndEpochSecondsNameTheSameFrames) {
  PlayRecording r;
  make_recording(r);
  const int64_t hour_before = kT0 - 3600000;
  const std::vector<std::string> helsinki = {"TZ=Europe/Helsinki"};
  CliResult ms = recordtest::cli_run(play_args(r, std::to_string(hour_before), "", true),
                                     r.tmp.path(), 120000, helsinki);
  ASSERT_EQ(ms.status, 0) << ms.err;
  ASSERT_EQ(play_lines(ms.out).size(), 200u) << "every frame of both streams";
  EXPECT_EQ(ms.err, "valkka: play: from 2023-11-14 23:13:20 EET to the end\n");

  CliResult seconds = recordtest::cli_run(
      play_args(r, std::to_string(hour_before / 1000), "", true), r.tmp.path(), 120000, helsinki);
  ASSERT_EQ(seconds.status, 0) << seconds.err;
  EXPECT_EQ(seconds.out, ms.out);
  EXPECT_EQ(seconds.err, "valkka: play: 1699996400 taken as seconds (2023-11-14 23:13:20 EET)\n"
                         "valkka: play: from 2023-11-14 23:13:20 EET to the end\n");

  // Whole seconds back from the test's now; the CLI's now is a moment later, well within the hour.
  struct timeval now;
  gettimeofday(&now, nullptr);
  const int64_t back_s = now.tv_sec - hour_before / 1000;
  const std::string relative = "now-" + std::to_string(back_s / 86400) + "d" +
                               std::to_string(back_s % 86400) + "s";
  CliResult rel =
      recordtest::cli_run(play_args(r, relative, "", true), r.tmp.path(), 120000, helsinki);
  ASSERT_EQ(rel.status, 0) << relative << ": " << rel.err;
  EXPECT_EQ(rel.out, ms.out) << relative;
  EXPECT_EQ(rel.err.rfind("valkka: play: from 2023-11-14 23:13:", 0), 0u) << rel.err;
}

// `--speed -1 --json` plays backwards: from --from down to --to, the pictures at --from first,
// then every frame of both streams in decreasing time.
TEST(ManagerCliPlay, NegativeSpeedPrintsFramesInDecreasingTime) {
  PlayRecording r;
  make_recording(r);
  const int64_t from = kT0 + 3000, to = kT0 + 1500;
  CliResult played = valkka({"play", "--fs", r.dir, "--from", std::to_string(from), "--to",
                             std::to_string(to), "--speed", "-1", "--json"},
                            r.tmp);
  ASSERT_EQ(played.status, 0) << played.err;
  const std::vector<PlayLine> lines = play_lines(played.out);
  ASSERT_FALSE(lines.empty()) << played.out;
  // First the seek's picture of each stream at --from, then the rest newest first.
  const std::set<std::pair<int64_t, uint32_t>> at_from = {{r.oracle.frame_at(kA, from), kA},
                                                          {r.oracle.frame_at(kB, from), kB}};
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ((std::set<std::pair<int64_t, uint32_t>>{{lines[0].mstime, lines[0].stream},
                                                    {lines[1].mstime, lines[1].stream}}),
            at_from);
  std::vector<std::pair<int64_t, uint32_t>> want;  // (time, stream) newest first
  for (uint32_t id : {kA, kB})
    for (int64_t t : r.oracle.times.at(id))
      if (t < r.oracle.frame_at(id, from) && t >= to) want.push_back({t, id});
  std::sort(want.rbegin(), want.rend());
  std::vector<std::pair<int64_t, uint32_t>> got;
  for (size_t i = 2; i < lines.size(); i++) got.push_back({lines[i].mstime, lines[i].stream});
  EXPECT_EQ(got, want) << played.err;
  // Backwards, --to must be before --from.
  CliResult refused = valkka({"play", "--fs", r.dir, "--from", std::to_string(to), "--to",
                              std::to_string(from), "--speed", "-1"},
                             r.tmp);
  EXPECT_EQ(refused.status, 2) << refused.err;
}
