/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Format versions (FORMAT.md, "Versions"): presentation offsets are stored and read back, bad ones
// are refused, and an FS of format 1 opens, reads and fscks unchanged, and is upgraded only by a
// writable open. A format 1 FS is made by this code with every offset 0 and "version": 1: format 1
// records are exactly format 2 records with a zero offset, so that is what format 1 code wrote.
#include <fstream>
#include <sstream>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

std::string slurp(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void spit(const std::string &path, const std::string &text) { std::ofstream(path) << text; }

struct Read {
  int64_t mstime;
  int32_t pts_offset;
  uint32_t kind;
};

int collect_offsets(void *user, const valkka_frame_t *f) {
  static_cast<std::vector<Read> *>(user)->push_back(Read{f->mstime, f->pts_offset, f->kind});
  return 0;
}

std::vector<Read> read_block0(valkka_fs_t *fs) {
  std::vector<Read> got;
  EXPECT_GT(valkka_fs_read_block(fs, 0, collect_offsets, &got), 0) << valkka_last_error();
  return got;
}

TEST(FsVersion, PresentationOffsetsAreStoredAndReadBack) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
  EXPECT_NE(slurp(dir + "/valkkafs.json").find("\"version\": 2"), std::string::npos);
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  // I P B B in decode order: offsets as libx264 -bf 2 gives them at 25 fps.
  const int32_t offsets[] = {80, 120, 0, 0, 120, 0, 0};
  auto config = payload(1, 999, 20);
  valkka_frame_t c = frame_of(VALKKA_FRAME_CONFIG, T0, false, config);
  ASSERT_EQ(valkka_fs_append(fs, 1, &c), 0) << valkka_last_error();
  for (int i = 0; i < 7; i++) {
    auto data = payload(1, i, 500);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 40 * i, i == 0, data);
    f.pts_offset = offsets[i];
    ASSERT_EQ(valkka_fs_append(fs, 1, &f), 0) << valkka_last_error();
  }
  auto data = payload(1, 7, 500);
  valkka_frame_t bad = frame_of(VALKKA_FRAME_ENCODED, T0 + 400, false, data);
  for (int32_t off : {-1, VALKKA_PTS_OFFSET_MAX + 1}) {
    bad.pts_offset = off;
    EXPECT_EQ(valkka_fs_append(fs, 1, &bad), VALKKA_EINVAL) << off;
    EXPECT_NE(std::string(valkka_last_error()).find("presentation offset"), std::string::npos);
  }
  valkka_frame_t bad_config = frame_of(VALKKA_FRAME_CONFIG, T0 + 400, false, config);
  bad_config.pts_offset = 40;
  EXPECT_EQ(valkka_fs_append(fs, 1, &bad_config), VALKKA_EINVAL);
  valkka_fs_close(fs);

  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).format_version, 2u);
  std::vector<Read> got = read_block0(fs);
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(got[0].kind, (uint32_t)VALKKA_FRAME_CONFIG);
  EXPECT_EQ(got[0].pts_offset, 0);
  for (int i = 0; i < 7; i++) {
    EXPECT_EQ(got[i + 1].mstime, T0 + 40 * i);
    EXPECT_EQ(got[i + 1].pts_offset, offsets[i]) << i;
  }
  valkka_fs_close(fs);
}

TEST(FsVersion, FormatOneOpensReadsAndIsUpgradedOnlyByAWriter) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  ASSERT_EQ(create_fs(dir, VALKKA_FS_SINGLE, 65536, 4), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  for (int i = 0; i < 30; i++) {
    auto data = payload(3, i, 700);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + 40 * i, i % 10 == 0, data);
    ASSERT_EQ(valkka_fs_append(fs, 3, &f), 0) << valkka_last_error();
  }
  valkka_fs_close(fs);
  const std::string json_path = dir + "/valkkafs.json";
  std::string json = slurp(json_path);
  const size_t at = json.find("\"version\": 2");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 12, "\"version\": 1");
  spit(json_path, json);

  fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).format_version, 1u);
  std::vector<Read> got = read_block0(fs);
  ASSERT_EQ(got.size(), 30u);
  for (const Read &r : got) EXPECT_EQ(r.pts_offset, 0);
  valkka_fs_close(fs);
  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &report), 0) << valkka_last_error();
  EXPECT_EQ(report.bad_entries, 0u);
  EXPECT_EQ(report.bad_records, 0u);
  EXPECT_NE(slurp(json_path).find("\"version\": 1"), std::string::npos)
      << "read-only opens and fsck leave the version";

  fs = open_fs(dir);
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  EXPECT_EQ(info_of(fs).format_version, 2u);
  EXPECT_NE(slurp(json_path).find("\"version\": 2"), std::string::npos)
      << "a writer upgrades before it writes";
  EXPECT_EQ(read_block0(fs).size(), 30u);
  valkka_fs_close(fs);
}

}  // namespace
