/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Recovery, reads and fsck over a damaged block on disk (core-c/src/fs/recover.c, read.c,
// fsck.c through the public API): the input's block is written into a 4-block FS whose other
// blocks are empty; the FS is opened (recovery), read, checked, repaired and written to.
//
// Input: as fuzz_records (control byte, uuid, block); control bit 3 also writes the block's
// table entry as "being written" (void, carrying the header's sequence number), so recovery
// scans it record by record as after a killed recorder. Promises checked: a repair leaves an FS
// that checks clean, and so does appending to it afterwards.
#include <sys/stat.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz_support.h"

extern "C" {
#include "fs/format.h"
#include "fs/table.h"
}

namespace {

using fuzz::kBlocks;
using fuzz::kBlockSize;

std::string g_dir;
std::vector<uint8_t> g_void_table;

int count_frame(void *user, const valkka_frame_t *f) {
  if (f->kind != VALKKA_FRAME_ENCODED && f->kind != VALKKA_FRAME_CONFIG)
    fuzz::broken("a read delivered a frame of another kind", 0);
  ++*static_cast<int *>(user);
  return 0;
}

void browse(valkka_fs_t *fs) {
  int frames = 0;
  fuzz::read_all(fs, count_frame, &frames);
  int64_t first = 0, last = 0;
  valkka_fs_time_range(fs, &first, &last);
  uint32_t found[kBlocks];
  valkka_fs_get_ind(fs, first, last, found, kBlocks);
  valkka_fs_get_ind_neigh(fs, last, 2, found, kBlocks);
  valkka_fs_stream_info_t streams[8] = {};
  streams[0].struct_size = sizeof streams[0];
  valkka_fs_get_streams(fs, streams, 8);
}

void append_some(valkka_fs_t *fs) {
  int64_t last = 0;
  valkka_fs_time_range(fs, nullptr, &last);
  uint8_t bytes[300];
  memset(bytes, 0x5a, sizeof bytes);
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.codec = VALKKA_CODEC_H264;
  f.data = bytes;
  f.size = sizeof bytes;
  // A recovered table may claim any time: stay clear of the end of int64.
  f.mstime = (last > 0 && last < INT64_MAX / 2 ? last : 1700000000000) + 40;
  f.kind = VALKKA_FRAME_CONFIG;
  valkka_fs_append(fs, 7, &f);
  f.kind = VALKKA_FRAME_ENCODED;
  f.flags = VALKKA_FRAME_KEYFRAME;
  int err = valkka_fs_append(fs, 7, &f);
  if (err) fuzz::broken("append after recovery failed", err);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::init();
  g_dir = fuzz::scratch() + "/fs";
  mkdir(g_dir.c_str(), 0700);
  g_void_table.assign((size_t)kBlocks * FS_ENTRY_SIZE, 0);
  fs_entry_t empty;
  fs_entry_set_void(&empty, 0);
  for (uint32_t i = 0; i < kBlocks; i++) fs_entry_encode(&empty, &g_void_table[i * FS_ENTRY_SIZE]);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 17) return 0;
  const uint8_t ctl = data[0];
  const uint8_t *uuid = data + 1;
  const uint32_t index = (ctl >> 1) & 3;
  std::vector<uint8_t> blocks((size_t)kBlocks * kBlockSize, 0);
  uint8_t *block = &blocks[(size_t)index * kBlockSize];
  memcpy(block, data + 17, size - 17 < kBlockSize ? size - 17 : kBlockSize);
  if (ctl & 1) fuzz::fix_block(uuid, block, kBlockSize);
  std::vector<uint8_t> table = g_void_table;
  if (ctl & 8) {
    uint64_t seq = 0;
    for (int i = 7; i >= 0; i--) seq = seq << 8 | block[24 + i];
    fs_entry_t being_written;
    fs_entry_set_void(&being_written, seq);
    fs_entry_encode(&being_written, &table[index * FS_ENTRY_SIZE]);
  }
  const std::string json = fuzz::fs_json(uuid);
  if (!fuzz::write_file(g_dir + "/blocks", blocks.data(), blocks.size()) ||
      !fuzz::write_file(g_dir + "/blocktable", table.data(), table.size()) ||
      !fuzz::write_file(g_dir + "/valkkafs.json", json.data(), json.size()))
    fuzz::broken("cannot write the FS files", 0);

  valkka_fs_open_params_t ro{};
  ro.struct_size = sizeof ro;
  ro.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(g_dir.c_str(), &ro, &fs) == 0) {
    browse(fs);
    valkka_fs_close(fs);
  }
  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  valkka_fs_fsck(g_dir.c_str(), 0, &report);
  fuzz::expect_repair_cleans(g_dir);

  int err = valkka_fs_open(g_dir.c_str(), nullptr, &fs);
  if (err) fuzz::broken("a repaired FS does not open", err);
  browse(fs);
  append_some(fs);
  valkka_fs_close(fs);
  report = valkka_fs_fsck_report_t{};
  report.struct_size = sizeof report;
  err = valkka_fs_fsck(g_dir.c_str(), 0, &report);
  if (err) fuzz::broken("fsck after appending to a repaired FS is not clean", err);
  return 0;
}
