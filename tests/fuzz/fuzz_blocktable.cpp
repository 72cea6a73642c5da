/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The block table loader (core-c/src/fs/recover.c, format.c's entry decoding, and what reads the
// table: index search, time range, streams, reads) through the public API, over the blocks of a
// real recording: the input replaces the blocktable of a 4-block FS the target records at start.
//
// Input: byte 0 control (bit 0: give every entry a valid crc, so the structure and the values
// behind the crc are what gets fuzzed), then the blocktable (4 x 1344 bytes; the recording's own
// table fills in past the input's end). Promises checked: an entry decodes to what it encodes;
// recovery leaves a table the writer can go on from; a repair leaves an FS that checks clean.
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

using fuzz::broken;
using fuzz::kBlocks;
using fuzz::kBlockSize;

std::string g_dir;
std::vector<uint8_t> g_blocks, g_table;
const int64_t kT0 = 1700000000000;

// Three cameras at 25 fps, a keyframe each second, frames of a few KiB: about six blocks, so the
// FS has wrapped and its table holds streams, keyframes and a block being written.
void record_template(const std::string &dir) {
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = VALKKA_FS_MULTI;
  cp.block_size = kBlockSize;
  cp.n_blocks = kBlocks;
  int err = valkka_fs_create(dir.c_str(), &cp);
  valkka_fs_t *fs = nullptr;
  if (!err) err = valkka_fs_open(dir.c_str(), nullptr, &fs);
  if (err) broken("cannot make the template FS", err);
  std::vector<uint8_t> bytes(6000);
  for (size_t i = 0; i < bytes.size(); i++) bytes[i] = (uint8_t)(i * 131 + 7);
  for (int k = 0; k < 60; k++) {
    for (uint32_t cam = 1; cam <= 3; cam++) {
      valkka_frame_t f{};
      f.struct_size = sizeof f;
      f.codec = cam == 3 ? VALKKA_CODEC_H265 : VALKKA_CODEC_H264;
      f.mstime = kT0 + k * 40 + cam;
      f.data = bytes.data();
      if (k % 25 == 0) {
        f.kind = VALKKA_FRAME_CONFIG;
        f.size = 40;
        if ((err = valkka_fs_append(fs, cam, &f))) broken("template append", err);
      }
      f.kind = VALKKA_FRAME_ENCODED;
      f.flags = k % 25 == 0 ? VALKKA_FRAME_KEYFRAME : 0;
      f.size = k % 25 == 0 ? 6000 : 900 + 37 * (uint32_t)k;
      if ((err = valkka_fs_append(fs, cam, &f))) broken("template append", err);
    }
  }
  valkka_fs_close(fs);
}

int count_frame(void *user, const valkka_frame_t *f) {
  if (f->mstime <= 0) broken("a read delivered a frame without a time", 0);
  ++*static_cast<int *>(user);
  return 0;
}

struct NewFrames {
  int64_t from;
  int count;
};

int count_new(void *user, const valkka_frame_t *f) {
  NewFrames *n = static_cast<NewFrames *>(user);
  if (f->stream_id == 2 && f->size == 20000 && f->mstime >= n->from && f->mstime < n->from + 200)
    n->count++;
  return 0;
}

void browse(valkka_fs_t *fs, uint8_t salt) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  if (info.current_block >= kBlocks) broken("the block being written is out of range", 0);
  int frames = 0;
  fuzz::read_all(fs, count_frame, &frames);
  int64_t first = 0, last = 0;
  valkka_fs_time_range(fs, &first, &last);
  uint32_t found[kBlocks];
  const int64_t probes[] = {first, last, first + (last - first) / 2, kT0 + salt * 20, 1, INT64_MAX};
  for (int64_t t : probes) {
    int n = valkka_fs_get_ind(fs, t, t, found, kBlocks);
    for (int i = 0; i < n && i < (int)kBlocks; i++)
      if (found[i] >= kBlocks) broken("index search named a block out of range", 0);
    valkka_fs_get_ind_neigh(fs, t, salt % 5, found, kBlocks);
  }
  if (first <= last) valkka_fs_get_ind(fs, first, last, found, kBlocks);
  valkka_fs_stream_info_t streams[40] = {};
  streams[0].struct_size = sizeof streams[0];
  valkka_fs_get_streams(fs, streams, 40);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::init();
  const std::string tmpl = fuzz::scratch() + "/template";
  record_template(tmpl);
  if (!fuzz::read_file(tmpl + "/blocks", &g_blocks) ||
      !fuzz::read_file(tmpl + "/blocktable", &g_table))
    broken("cannot read the template FS", 0);
  std::vector<uint8_t> json;
  g_dir = fuzz::scratch() + "/fs";
  mkdir(g_dir.c_str(), 0700);
  if (!fuzz::read_file(tmpl + "/valkkafs.json", &json) ||
      !fuzz::write_file(g_dir + "/valkkafs.json", json.data(), json.size()))
    broken("cannot copy valkkafs.json", 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const uint8_t ctl = data[0];
  std::vector<uint8_t> table = g_table;
  memcpy(table.data(), data + 1, size - 1 < table.size() ? size - 1 : table.size());
  if (ctl & 1) fuzz::fix_entries(table.data(), table.size());

  // Decoding alone: what decodes must encode back to the same entry.
  for (uint32_t i = 0; i < kBlocks; i++) {
    fs_entry_t e, back;
    if (fs_entry_decode(&table[i * FS_ENTRY_SIZE], kBlockSize, &e) != 0) continue;
    uint8_t raw[FS_ENTRY_SIZE];
    fs_entry_encode(&e, raw);
    if (fs_entry_decode(raw, kBlockSize, &back) != 0 || !fs_entry_equal(&e, &back))
      broken("a decoded entry does not survive encoding", 0);
  }

  if (!fuzz::write_file(g_dir + "/blocks", g_blocks.data(), g_blocks.size()) ||
      !fuzz::write_file(g_dir + "/blocktable", table.data(), table.size()))
    broken("cannot write the FS files", 0);
  valkka_fs_open_params_t ro{};
  ro.struct_size = sizeof ro;
  ro.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  int err = valkka_fs_open(g_dir.c_str(), &ro, &fs);
  if (err) broken("a read-only open refused a damaged table", err);
  browse(fs, ctl);
  valkka_fs_close(fs);

  // A writable open stores what recovery rebuilt; the writer goes on from there.
  if ((err = valkka_fs_open(g_dir.c_str(), nullptr, &fs))) broken("a writable open failed", err);
  browse(fs, ctl);
  int64_t last = 0;
  valkka_fs_time_range(fs, nullptr, &last);
  std::vector<uint8_t> bytes(20000, 0x11);
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = VALKKA_FRAME_ENCODED;
  f.codec = VALKKA_CODEC_H264;
  f.flags = VALKKA_FRAME_KEYFRAME;
  f.data = bytes.data();
  f.size = (uint32_t)bytes.size();
  f.mstime = (last > 0 && last < INT64_MAX / 2 ? last : kT0) + 40;
  const int64_t first_new = f.mstime;
  for (int i = 0; i < 5; i++, f.mstime += 40)
    if ((err = valkka_fs_append(fs, 2, &f))) broken("append after recovery failed", err);
  browse(fs, ctl);
  valkka_fs_close(fs);

  // The five frames span at most three of the four blocks: every one must read back.
  if ((err = valkka_fs_open(g_dir.c_str(), &ro, &fs))) broken("a read-only reopen failed", err);
  NewFrames found{first_new, 0};
  fuzz::read_all(fs, count_new, &found);
  valkka_fs_close(fs);
  if (found.count != 5) {
    fuzz::report("fuzz: %d of the 5 frames appended after recovery read back\n", found.count);
    broken("frames appended after recovery are lost", 0);
  }
  fuzz::expect_repair_cleans(g_dir);
  return 0;
}
