/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera that changes its resolution mid-stream (issue 12): two libx264 segments, 640x360 then
// 320x240, 25 fps, each starting with an IDR, written as raw Annex B and concatenated, so that
// the second brings its own SPS and PPS in-band, as an IP camera sends them after a change (both
// with id 0: the new sets replace the old). No B-frames, as such cameras send. Two cameras: one
// that repeats the sets before every IDR (as libx264 does, and most cameras), one that sends them
// only where they change. Recorded from the file source (once through), then:
//  - the FS stores before every keyframe the configuration in force at it, so that a decoder
//    started at any keyframe gets the right sets, also where the keyframe carries none;
//  - `valkka play --json --speed max` presents every picture once, in order, 40 ms apart, 640x360
//    before the change and 320x240 after it, also when it starts in a GOP after the change;
//  - `valkka export` of the whole range reads without an error and holds the source's very
//    pictures, each at its own size (framemd5 with -autoscale 0); its sample entry is 'avc3', the
//    one that lets samples carry parameter sets (ISO/IEC 14496-15), since they change within it;
//  - exports of a range on one side of the change keep 'avc1', and their configuration box holds
//    that side's SPS (the later one starting a GOP after the change).
#include <jansson.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

const int STEP_MS = 40, SEGMENT_FRAMES = 50, GOP = 25;

std::vector<uint8_t> read_bytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// One segment: SEGMENT_FRAMES frames of width x height, raw Annex B, an IDR every second.
void make_segment(const std::string &path, int width, int height) {
  const std::string make = "ffmpeg -v error -y -f lavfi -i testsrc2=size=" + std::to_string(width) +
                           "x" + std::to_string(height) + ":rate=25 -frames:v " +
                           std::to_string(SEGMENT_FRAMES) + " -c:v libx264 -bf 0 -g " +
                           std::to_string(GOP) + " -pix_fmt yuv420p -f h264 '" + path + "'";
  ASSERT_EQ(std::system(make.c_str()), 0) << make;
}

// The NAL units of an Annex B stream (start codes and trailing zero bytes left out).
std::vector<std::vector<uint8_t>> nal_units(const std::vector<uint8_t> &b) {
  auto start_at = [&](size_t k) { return k + 2 < b.size() && !b[k] && !b[k + 1] && b[k + 2] == 1; };
  std::vector<std::vector<uint8_t>> out;
  size_t i = 0;
  while (i < b.size() && !start_at(i)) i++;
  while (i < b.size()) {
    const size_t begin = i + 3;
    size_t end = begin;
    while (end < b.size() && !start_at(end)) end++;
    size_t last = end;
    while (last > begin && !b[last - 1]) last--;
    if (last > begin) out.emplace_back(b.begin() + (long)begin, b.begin() + (long)last);
    i = end;
  }
  return out;
}

int nal_type(const std::vector<uint8_t> &nal) { return nal[0] & 0x1f; }
bool is_param_set(const std::vector<uint8_t> &nal) {
  return nal_type(nal) == 7 || nal_type(nal) == 8;
}
bool is_picture(const std::vector<uint8_t> &nal) {
  return nal_type(nal) >= 1 && nal_type(nal) <= 5;
}

std::vector<uint8_t> annexb(const std::vector<std::vector<uint8_t>> &nals) {
  std::vector<uint8_t> out;
  for (const auto &nal : nals) {
    out.insert(out.end(), {0, 0, 0, 1});
    out.insert(out.end(), nal.begin(), nal.end());
  }
  return out;
}

// A segment's parameter sets, as a CONFIG frame holds them: SPS and PPS behind 4-byte start codes.
std::vector<uint8_t> param_sets(const std::vector<uint8_t> &segment) {
  std::vector<std::vector<uint8_t>> sets;
  for (const auto &nal : nal_units(segment)) {
    if (is_picture(nal)) break;
    if (is_param_set(nal)) sets.push_back(nal);
  }
  return annexb(sets);
}

std::vector<uint8_t> first_sps(const std::vector<uint8_t> &segment) {
  for (const auto &nal : nal_units(segment))
    if (nal_type(nal) == 7) return nal;
  return {};
}

// The segment as a camera sends it that repeats no parameter set: only its first IDR has them.
std::vector<uint8_t> sets_once(const std::vector<uint8_t> &segment) {
  std::vector<std::vector<uint8_t>> kept;
  bool pictures = false;
  for (const auto &nal : nal_units(segment)) {
    if (pictures && is_param_set(nal)) continue;
    pictures = pictures || is_picture(nal);
    kept.push_back(nal);
  }
  return annexb(kept);
}

void write_bytes(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()), (std::streamsize)bytes.size());
}

// The SPS of an MP4's avcC (ISO/IEC 14496-15: 5 bytes, the SPS count, then length and bytes),
// from ffprobe's hex dump of the video stream's extradata.
std::vector<uint8_t> avcc_sps(const std::string &mp4) {
  std::vector<uint8_t> avcc;
  for (const std::string &line :
       split_lines(shell_output("ffprobe -v error -select_streams v -show_entries "
                                "stream=extradata -show_data -of default=nw=1 '" +
                                mp4 + "'"))) {
    const size_t colon = line.find(": ");
    if (line.size() < 10 || colon != 8) continue;  // "00000000: 0164 001e ...  .d.."
    const std::string hex = line.substr(10, line.find("  ", 10) - 10);
    std::string digits;
    for (char ch : hex)
      if (ch != ' ') digits += ch;
    for (size_t i = 0; i + 1 < digits.size(); i += 2)
      avcc.push_back((uint8_t)std::stoi(digits.substr(i, 2), nullptr, 16));
  }
  if (avcc.size() < 8 || (avcc[5] & 0x1f) == 0) return {};
  const size_t n = (size_t)avcc[6] << 8 | avcc[7];
  if (avcc.size() < 8 + n) return {};
  return std::vector<uint8_t>(avcc.begin() + 8, avcc.begin() + 8 + (long)n);
}

// Each decoded picture as "bytes,md5", at its own size (no scaling to the first picture's).
std::vector<std::string> pictures(const std::string &path) {
  std::vector<std::string> out;
  for (const std::string &line : split_lines(
           shell_output("ffmpeg -v error -i '" + path + "' -map 0:v -autoscale 0 -f framemd5 -"))) {
    if (line.empty() || line[0] == '#') continue;
    // "stream, dts, pts, duration, bytes, md5"
    const size_t md5 = line.rfind(','), size = line.rfind(',', md5 - 1);
    std::string fields = line.substr(size + 1);
    fields.erase(std::remove(fields.begin(), fields.end(), ' '), fields.end());
    out.push_back(fields);
  }
  return out;
}

// Each decoded picture's "WIDTHxHEIGHT".
std::vector<std::string> sizes(const std::string &path) {
  std::vector<std::string> out;
  for (const std::string &line : split_lines(shell_output(
           "ffprobe -v error -select_streams v -show_entries frame=width,height -of csv=p=0 '" +
           path + "'"))) {
    // "640,360", with a trailing field on frames that carry side data (an SEI)
    const size_t comma = line.find(',');
    if (comma == std::string::npos) continue;
    out.push_back(line.substr(0, comma) + "x" +
                  line.substr(comma + 1, line.find(',', comma + 1) - comma - 1));
  }
  return out;
}

std::string sample_entry(const std::string &mp4) {
  std::string tag = shell_output("ffprobe -v error -select_streams v -show_entries "
                                 "stream=codec_tag_string -of csv=p=0 '" +
                                 mp4 + "'");
  while (!tag.empty() && (tag.back() == '\n' || tag.back() == '\r')) tag.pop_back();
  return tag;
}

struct Played {
  int64_t mstime;
  std::string size;
};

std::vector<Played> play(const std::string &dir, const std::string &tmp, int64_t from = 1) {
  std::vector<Played> out;
  CliResult r = cli_run(
      {"play", "--fs", dir, "--from", std::to_string(from), "--speed", "max", "--json"}, tmp);
  EXPECT_EQ(r.status, 0) << r.err;
  for (const std::string &line : split_lines(r.out)) {
    json_t *row = json_loads(line.c_str(), 0, nullptr);
    if (!row) continue;
    out.push_back({json_integer_value(json_object_get(row, "mstime")),
                   std::to_string(json_integer_value(json_object_get(row, "width"))) + "x" +
                       std::to_string(json_integer_value(json_object_get(row, "height")))});
    json_decref(row);
  }
  return out;
}

// Exports stream 1 over [from, to]; checks it reads without a word from ffmpeg.
std::string export_range(const std::string &dir, const std::string &tmp, int64_t from, int64_t to,
                         const std::string &name) {
  const std::string out = tmp + "/" + name;
  CliResult r = cli_run({"export", "--fs", dir, "--stream", "1", "--from", std::to_string(from),
                         "--to", std::to_string(to), out},
                        tmp);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(shell_output("ffmpeg -v error -i '" + out + "' -f null -", true), "")
      << "ffmpeg reading " << name;
  return out;
}

// Stream 1's records in write order (blocks by sequence number).
std::vector<Got> recorded(const std::string &dir) {
  std::vector<Got> got;
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(fs, nullptr) << valkka_last_error();
  if (!fs) return got;
  std::vector<valkka_fs_block_t> table = read_table(fs);
  std::sort(table.begin(), table.end(),
            [](const valkka_fs_block_t &a, const valkka_fs_block_t &b) { return a.seq < b.seq; });
  for (const valkka_fs_block_t &b : table) {
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) {
      EXPECT_GE(valkka_fs_read_block(fs, b.index, collect, &got), 0);
    }
  }
  valkka_fs_close(fs);
  got.erase(std::remove_if(got.begin(), got.end(), [](const Got &g) { return g.stream_id != 1; }),
            got.end());
  return got;
}

// Records, plays and exports the two segments one after the other; `repeated`: the camera repeats
// the parameter sets before every IDR, else only the first IDR of each segment has them.
void record_play_export(bool repeated) {
  TempDir tmp;
  const std::string first = tmp.sub("640x360.h264"), second = tmp.sub("320x240.h264"),
                    clip = tmp.sub("clip.h264");
  make_segment(first, 640, 360);
  make_segment(second, 320, 240);
  if (testing::Test::HasFatalFailure()) return;
  std::vector<uint8_t> a = read_bytes(first), b = read_bytes(second);
  if (!repeated) {
    write_bytes(first, a = sets_once(a));
    write_bytes(second, b = sets_once(b));
  }
  std::vector<uint8_t> both = a;
  both.insert(both.end(), b.begin(), b.end());
  write_bytes(clip, both);
  const std::vector<uint8_t> sets_a = param_sets(a), sets_b = param_sets(b);
  ASSERT_FALSE(sets_a.empty());
  ASSERT_NE(sets_a, sets_b);
  const std::vector<std::string> source = pictures(clip), source_sizes = sizes(clip);
  ASSERT_EQ(source.size(), 2u * SEGMENT_FRAMES);
  std::vector<std::string> expected_sizes(SEGMENT_FRAMES, "640x360");
  expected_sizes.resize(2 * SEGMENT_FRAMES, "320x240");
  ASSERT_EQ(source_sizes, expected_sizes) << "one stream that changes size once";
  ASSERT_EQ(pictures(second),
            std::vector<std::string>(source.begin() + SEGMENT_FRAMES, source.end()))
      << "the second segment decodes in the stream as it does alone";

  const std::string dir = tmp.sub("fs"), config = tmp.sub("cameras.json");
  write_text(config, "{\"fs\": {\"dir\": \"" + dir +
                         "\", \"create\": {\"block_size\": \"1M\", \"blocks\": 16}},"
                         " \"cameras\": [{\"name\": \"clip\", \"url\": \"" +
                         clip + "\", \"options\": {\"loop\": \"0\"}}]}");
  CliResult r = cli_run({"record", "--config", config, "--duration", "6"}, tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;

  // What is stored: before each keyframe, at its time, the configuration in force at it.
  const std::vector<Got> records = recorded(dir);
  size_t encoded = 0, keyframes = 0;
  for (size_t i = 0; i < records.size(); i++) {
    if (records[i].kind == VALKKA_FRAME_CONFIG) continue;
    const size_t frame = encoded++;
    if (!(records[i].flags & VALKKA_FRAME_KEYFRAME)) continue;
    keyframes++;
    ASSERT_GT(i, 0u);
    const Got &before = records[i - 1];
    ASSERT_EQ(before.kind, (uint32_t)VALKKA_FRAME_CONFIG) << "keyframe at frame " << frame;
    EXPECT_EQ(before.mstime, records[i].mstime);
    EXPECT_TRUE(before.data == (frame < (size_t)SEGMENT_FRAMES ? sets_a : sets_b))
        << "the configuration stored before the keyframe at frame " << frame
        << " is not the one in force there";
  }
  EXPECT_EQ(encoded, 2u * SEGMENT_FRAMES);
  EXPECT_EQ(keyframes, 2u * SEGMENT_FRAMES / GOP);

  const std::vector<Played> played = play(dir, tmp.path());
  ASSERT_EQ(played.size(), source.size());
  std::vector<std::string> played_sizes;
  for (size_t i = 0; i < played.size(); i++) {
    played_sizes.push_back(played[i].size);
    if (i) {
      EXPECT_EQ(played[i].mstime - played[i - 1].mstime, STEP_MS) << "picture " << i;
    }
  }
  EXPECT_EQ(played_sizes, expected_sizes);
  // Played from inside the second GOP after the change: decoding starts at its keyframe, with
  // the configuration stored before it (the only one there, when the camera sent them once).
  const size_t middle = SEGMENT_FRAMES + GOP + GOP / 2;
  const std::vector<Played> resumed = play(dir, tmp.path(), played[middle].mstime);
  ASSERT_EQ(resumed.size(), source.size() - middle);
  EXPECT_EQ(resumed.front().mstime, played[middle].mstime);
  for (size_t i = 0; i < resumed.size(); i++)
    EXPECT_EQ(resumed[i].size, "320x240") << "picture " << middle + i << " played from there";

  const int64_t change = played[SEGMENT_FRAMES].mstime, end = played.back().mstime;
  const std::string whole = export_range(dir, tmp.path(), 1, 9999999999999, "whole.mp4");
  EXPECT_EQ(pictures(whole), source) << "the export's pictures are the clip's, at their sizes";
  EXPECT_EQ(sample_entry(whole), "avc3") << "parameter sets that change travel in the samples";

  const std::string before = export_range(dir, tmp.path(), 1, change - 1, "before.mp4");
  EXPECT_EQ(pictures(before),
            std::vector<std::string>(source.begin(), source.begin() + SEGMENT_FRAMES));
  EXPECT_EQ(sample_entry(before), "avc1");
  EXPECT_EQ(avcc_sps(before), first_sps(a));

  // From the second GOP after the change: its keyframe carries no sets when they are sent once.
  const std::string after =
      export_range(dir, tmp.path(), played[SEGMENT_FRAMES + GOP].mstime, end, "after.mp4");
  EXPECT_EQ(pictures(after),
            std::vector<std::string>(source.begin() + SEGMENT_FRAMES + GOP, source.end()));
  EXPECT_EQ(sample_entry(after), "avc1");
  EXPECT_EQ(avcc_sps(after), first_sps(b)) << "the configuration box describes 320x240 pictures";
}

}  // namespace

TEST(RecordResolutionChange, SetsRepeatedBeforeEveryIdr) { record_play_export(true); }

TEST(RecordResolutionChange, SetsSentOnlyWhereTheyChange) { record_play_export(false); }
