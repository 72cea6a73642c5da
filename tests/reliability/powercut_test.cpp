/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Power cuts at chosen moments, made deterministic with the storage-journal backend: the FS is
// written in this process, its files copied as a kill would leave them (journals included), and
// the copy rolled back the way a power cut at that moment would leave it.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <valkka/valkka.h>

#include "frames.h"
#include "journal.h"
#include "verify.h"

namespace fs = std::filesystem;

namespace {

class Scratch {
 public:
  Scratch() {
    const char *base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-powercut-XXXXXX";
    if (!mkdtemp(tmpl.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = tmpl;
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string sub(const char *name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void load_journal_plugin() {
  static bool loaded = false;
  if (loaded) return;
  valkka_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(valkka_plugin_load_file(VALKKA_JOURNAL_PLUGIN, &info), 0) << valkka_last_error();
  loaded = true;
}

valkka_fs_t *open_journaled(const std::string &dir) {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.backend = "storage-journal";
  p.sync_interval_ms = 3600000;  // no table update but the ones the test makes
  valkka_fs_t *fs = nullptr;
  EXPECT_EQ(valkka_fs_open(dir.c_str(), &p, &fs), 0) << valkka_last_error();
  return fs;
}

// Appends campaign frames [from, to) as the recorder's writer would (configs before keyframes).
void append(valkka_fs_t *fs, uint64_t from, uint64_t to) {
  std::vector<uint8_t> config[campaign::kStreams + 1];
  for (uint32_t s = 1; s <= campaign::kStreams; s++) config[s] = campaign::config_of(s);
  for (uint64_t g = from; g < to; g++) {
    const uint32_t s = campaign::stream_of(g);
    valkka_frame_t f{};
    f.struct_size = sizeof f;
    f.codec = VALKKA_CODEC_H264;
    f.mstime = campaign::time_of(g);
    if (campaign::is_key(g)) {
      f.kind = VALKKA_FRAME_CONFIG;
      f.data = config[s].data();
      f.size = f.capacity = (uint32_t)config[s].size();
      ASSERT_EQ(valkka_fs_append(fs, s, &f), 0) << valkka_last_error();
    }
    std::vector<uint8_t> data = campaign::payload_of(g);
    f.kind = VALKKA_FRAME_ENCODED;
    f.flags = campaign::is_key(g) ? VALKKA_FRAME_KEYFRAME : 0;
    f.data = data.data();
    f.size = f.capacity = (uint32_t)data.size();
    ASSERT_EQ(valkka_fs_append(fs, s, &f), 0) << valkka_last_error();
  }
}

// Blocks started since the FS was made.
uint64_t blocks_started(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  return info.current_seq;
}

// The files of an open FS as a kill leaves them: what the process wrote is in them.
void copy_fs(const std::string &from, const std::string &to) {
  fs::create_directory(to);
  for (const auto &e : fs::directory_iterator(from))
    fs::copy_file(e.path(), to + "/" + e.path().filename().string());
}

// The blocks file reached the disk at a sync but the table's fdatasync did not complete: the
// table is as of the sync before, `ahead` blocks behind the blocks. Recovery must find every
// block written since (the headers say which) and rebuild their entries.
void table_behind_the_blocks(uint64_t ahead) {
  load_journal_plugin();
  Scratch tmp;
  const std::string dir = tmp.sub("fs"), cut = tmp.sub("cut");
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = VALKKA_FS_MULTI;
  cp.block_size = 65536;
  cp.n_blocks = 16;
  ASSERT_EQ(valkka_fs_create(dir.c_str(), &cp), 0) << valkka_last_error();
  valkka_fs_t *fs = open_journaled(dir);
  ASSERT_NE(fs, nullptr);
  uint64_t g = 0;
  // Once round the FS and two blocks on, so the table's stale entries name an older use.
  for (; blocks_started(fs) < 18; g += 8) append(fs, g, g + 8);
  ASSERT_EQ(valkka_fs_sync(fs), 0);  // both files durable here
  const uint64_t synced = g;
  for (; blocks_started(fs) < 18 + ahead; g += 8) append(fs, g, g + 8);
  copy_fs(dir, cut);
  valkka_fs_close(fs);

  // The blocks as written (their sync came through), the table as of the sync before.
  std::string error;
  ASSERT_GT(campaign::rollback_to_last_sync(cut + "/blocktable", &error), 0) << error;
  fs::remove(cut + "/blocks.journal");
  campaign::DiskCheck d = campaign::check_disk(cut);
  for (const std::string &p : d.problems) ADD_FAILURE() << p;
  EXPECT_EQ(d.corrupt, 0u);
  ASSERT_FALSE(d.empty);
  EXPECT_EQ(d.hi, g - 1) << "every frame the blocks file holds is found (" << synced
                         << " were in the table)";
  EXPECT_GT(d.records_recovered, 0u);
  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  EXPECT_EQ(valkka_fs_fsck(cut.c_str(), 0, &r), 0) << valkka_last_error();
}

TEST(ReliabilityPowerCut, TableSeveralBlocksBehindTheBlocks) { table_behind_the_blocks(4); }

// At a high rate the writer can go round the whole FS between two syncs: the table's newest
// block is itself reused.
TEST(ReliabilityPowerCut, TableMoreThanAWrapBehindTheBlocks) { table_behind_the_blocks(21); }

}  // namespace
