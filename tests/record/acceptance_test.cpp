/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The acceptance run, exactly as a user types it:
//   valkka fs create DIR --kind multi --block-size 1M --blocks 64
//   valkka record --fs DIR --synthetic 4 --duration 10
//   valkka fs inspect DIR --json
// One 10 s recording (the suite runs several times in CI), checked three ways: the status lines,
// the inspect object (time range about 10 s, four streams of about 250 frames), and every block
// read back through the public API (each keyframe preceded by its stream's configuration there).
#include <jansson.h>

#include <cctype>
#include <map>
#include <sstream>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

const int kSeconds = 10, kCameras = 4, kFps = 25;

// Per block: for every stream, whether its configuration came since its last keyframe.
struct BlockCheck {
  std::map<uint32_t, bool> config_ready;
  int keyframes = 0, keyframes_without_config = 0;
};

bool digits(const std::string &s, size_t from, size_t to) {
  if (from >= to || to > s.size()) return false;
  for (size_t i = from; i < to; i++)
    if (!isdigit((unsigned char)s[i])) return false;
  return true;
}

// "2026-11-25T06:01:02.120Z"
bool iso_time(const std::string &s) {
  return s.size() == 24 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 7) && s[7] == '-' &&
         digits(s, 8, 10) && s[10] == 'T' && digits(s, 11, 13) && s[13] == ':' &&
         digits(s, 14, 16) && s[16] == ':' && digits(s, 17, 19) && s[19] == '.' &&
         digits(s, 20, 23) && s[23] == 'Z';
}

// The status line of README.md: these keys in this order, each value in its shape.
bool status_line_ok(const std::string &line) {
  static const char *const keys[] = {"t",   "cams",    "streaming", "frames",
                                     "fps", "dropped", "blocks",    "range"};
  std::istringstream in(line);
  std::string item;
  size_t k = 0;
  for (; in >> item; k++) {
    if (k >= 8) return false;
    const std::string key = keys[k] + std::string("=");
    if (item.rfind(key, 0) != 0) return false;
    const std::string v = item.substr(key.size());
    const size_t dot = v.find('.'), slash = v.find('/'), dots = v.find("..");
    bool ok = false;
    switch (k) {
      case 0: ok = v.size() > 1 && v.back() == 's' && digits(v, 0, v.size() - 1); break;
      case 4:
        ok = dot != std::string::npos && digits(v, 0, dot) && digits(v, dot + 1, v.size());
        break;
      case 6:
        ok = slash != std::string::npos && digits(v, 0, slash) && digits(v, slash + 1, v.size());
        break;
      case 7:
        ok = v == "-" || (dots != std::string::npos && iso_time(v.substr(0, dots)) &&
                          iso_time(v.substr(dots + 2)));
        break;
      default: ok = digits(v, 0, v.size()); break;
    }
    if (!ok) return false;
  }
  return k == 8 && line.find("  ") == std::string::npos;
}

int check_record(void *user, const valkka_frame_t *f) {
  auto *c = static_cast<BlockCheck *>(user);
  if (f->kind == VALKKA_FRAME_CONFIG) {
    c->config_ready[f->stream_id] = true;
  } else if (f->kind == VALKKA_FRAME_ENCODED && (f->flags & VALKKA_FRAME_KEYFRAME)) {
    c->keyframes++;
    if (!c->config_ready[f->stream_id]) c->keyframes_without_config++;
    c->config_ready[f->stream_id] = false;  // the next keyframe needs its own (FORMAT.md)
  }
  return 0;
}

TEST(RecordAcceptance, FourSyntheticCamerasForTenSeconds) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  CliResult r = cli_run(
      {"fs", "create", dir, "--kind", "multi", "--block-size", "1M", "--blocks", "64"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;

  r = cli_run({"record", "--fs", dir, "--synthetic", std::to_string(kCameras), "--duration",
               std::to_string(kSeconds)},
              tmp.path(), 60000);
  ASSERT_EQ(r.status, 0) << r.err;

  // One status line per second (README.md, "The status line"), and nothing else on stdout.
  const std::string good = "t=3s cams=4 streaming=4 frames=300 fps=100.0 dropped=0 blocks=2/64 "
                           "range=2026-11-25T06:01:02.120Z..2026-11-25T06:01:05.080Z";
  ASSERT_TRUE(status_line_ok(good));
  ASSERT_FALSE(status_line_ok(good.substr(0, good.find(" range"))));
  ASSERT_FALSE(status_line_ok(good + " x=1"));
  ASSERT_FALSE(status_line_ok("cams=4 " + good.substr(5)));
  ASSERT_TRUE(
      status_line_ok("t=0s cams=4 streaming=0 frames=0 fps=0.0 dropped=0 blocks=0/64 range=-"));
  std::vector<std::string> lines = split_lines(r.out);
  EXPECT_GE(lines.size(), (size_t)kSeconds - 1) << r.out;
  EXPECT_LE(lines.size(), (size_t)kSeconds + 2) << r.out;
  for (const std::string &line : lines) {
    EXPECT_TRUE(status_line_ok(line)) << line;
    EXPECT_NE(line.find(" cams=4 "), std::string::npos) << line;
    EXPECT_NE(line.find(" dropped=0 "), std::string::npos) << line;
    EXPECT_NE(line.find("/64 range="), std::string::npos) << line;
  }
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back().rfind("t=10s cams=4 streaming=4 ", 0), 0u) << lines.back();
  for (int cam = 0; cam < kCameras; cam++)
    EXPECT_NE(r.err.find("camera " + std::to_string(cam) + ": streaming"), std::string::npos)
        << r.err;

  r = cli_run({"fs", "inspect", dir, "--json"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  json_error_t error;
  json_t *root = json_loads(r.out.c_str(), 0, &error);
  ASSERT_NE(root, nullptr) << error.text << " in " << r.out;
  json_t *range = json_object_get(root, "time_range");
  ASSERT_EQ(json_array_size(range), 2u) << r.out;
  const json_int_t span = json_integer_value(json_array_get(range, 1)) -
                          json_integer_value(json_array_get(range, 0));
  EXPECT_GE(span, 8500) << r.out;
  EXPECT_LE(span, 11000) << r.out;
  json_t *streams = json_object_get(root, "streams");
  ASSERT_EQ(json_array_size(streams), (size_t)kCameras) << r.out;
  for (size_t i = 0; i < json_array_size(streams); i++) {
    json_t *s = json_array_get(streams, i);
    EXPECT_EQ(json_integer_value(json_object_get(s, "id")), (json_int_t)i + 1) << r.out;
    EXPECT_STREQ(json_string_value(json_object_get(s, "codec")), "H264") << r.out;
    const json_int_t frames = json_integer_value(json_object_get(s, "frames"));
    EXPECT_GE(frames, kSeconds * kFps * 9 / 10) << "stream " << i + 1 << ": " << r.out;
    EXPECT_LE(frames, kSeconds * kFps * 11 / 10) << "stream " << i + 1 << ": " << r.out;
  }
  json_decref(root);

  // Block by block: decoding can start at any keyframe without reading another block.
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  int keyframes = 0, blocks = 0;
  for (const valkka_fs_block_t &b : read_table(fs)) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    blocks++;
    BlockCheck check;
    EXPECT_GT(valkka_fs_read_block(fs, b.index, check_record, &check), 0) << valkka_last_error();
    EXPECT_EQ(check.keyframes_without_config, 0) << "block " << b.index;
    keyframes += check.keyframes;
  }
  // The synthetic cameras send a keyframe every second (gop = fps).
  EXPECT_GE(keyframes, kCameras * (kSeconds - 1));
  EXPECT_GE(blocks, 1);
  valkka_fs_close(fs);

  r = cli_run({"fs", "fsck", dir}, tmp.path());
  EXPECT_EQ(r.status, 0) << r.err;
}

}  // namespace
