/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The path an encoded frame takes from a source into the writer: valkka_fs_sink (the FS input
// sink: copy into a pool frame, queue) and the writer thread, and valkka_fs_append directly, with
// frames of random kind, codec, flags, slot, time, size and payload, sizes beyond a block
// included. Each input records into a fresh 3 x 64 KiB FS (multi or single).
// Promises checked: what is read back is only ENCODED and CONFIG frames with a time, none larger
// than a block can hold, and the FS the writer leaves checks clean.
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.h"

namespace {

using fuzz::broken;
using fuzz::kBlockSize;

constexpr uint32_t kFsBlocks = 3;
constexpr uint32_t kMaxFrames = 64;
constexpr uint32_t kSlots = 4;  // slots 0..2 are mapped, slot 3 is not

int check_frame(void *, const valkka_frame_t *f) {
  if (f->kind != VALKKA_FRAME_ENCODED && f->kind != VALKKA_FRAME_CONFIG)
    broken("read back a frame of another kind", 0);
  if (f->mstime <= 0) broken("read back a frame without a time", 0);
  if (f->size > kBlockSize - 64 - 48) broken("read back a frame larger than a block holds", 0);
  return 0;
}

// The input, read front to back; past its end every field is 0.
class Reader {
 public:
  Reader(const uint8_t *data, size_t size) : p_(data), left_(size) {}
  bool empty() const { return left_ == 0; }
  uint8_t u8() {
    if (!left_) return 0;
    left_--;
    return *p_++;
  }
  uint16_t u16() { return (uint16_t)(u8() | u8() << 8); }
  uint32_t u32() { return (uint32_t)u16() | (uint32_t)u16() << 16; }
  const uint8_t *take(size_t n, size_t *got) {
    *got = n < left_ ? n : left_;
    const uint8_t *at = p_;
    p_ += *got;
    left_ -= *got;
    return at;
  }

 private:
  const uint8_t *p_;
  size_t left_;
};

// Sizes by class: any up to 9000, at the edge of what one block holds, beyond a block, tiny.
uint32_t frame_size(uint8_t size_class, uint32_t raw) {
  const uint32_t most = kBlockSize - 64 - 48;
  switch (size_class & 3) {
    case 0: return raw % 9001;
    case 1: return most - 256 + raw % 513;
    case 2: return kBlockSize + raw % (2 * kBlockSize);
    default: return raw % 17;
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::init();
  return 0;
}

// Input: byte 0 bit 0 single FS; then per frame: kind byte
// (bits 0-2 pick the kind, bit 6 a time <= 0), codec byte, u32 flags, slot byte, i16 time step,
// size class byte, u32 size, path byte (bit 0: valkka_fs_append, else the sink), pattern length
// byte and that many payload bytes, repeated to the size. Little-endian throughout.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Reader in(data, size);
  const bool single = in.u8() & 1;
  const std::string dir = fuzz::scratch() + "/fs";
  fuzz::remove_tree(dir);
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = single ? VALKKA_FS_SINGLE : VALKKA_FS_MULTI;
  cp.block_size = kBlockSize;
  cp.n_blocks = kFsBlocks;
  int err = valkka_fs_create(dir.c_str(), &cp);
  valkka_fs_t *fs = nullptr;
  if (!err) err = valkka_fs_open(dir.c_str(), nullptr, &fs);
  if (err) broken("cannot make the FS", err);

  valkka_fs_writer_params_t wp{};
  wp.struct_size = sizeof wp;
  wp.queue_length = kMaxFrames;  // never full: what reaches the writer does not depend on timing
  wp.frame_capacity = 1024;      // small, so big frames take the pool frames' growth path
  wp.progress_frames = 3;
  if ((err = valkka_fs_writer_start(fs, &wp))) broken("writer start", err);
  for (uint32_t slot = 0; slot + 1 < kSlots; slot++)
    if (!single || slot == 0) valkka_fs_map(fs, slot, slot + 1);

  static const uint32_t kinds[8] = {VALKKA_FRAME_ENCODED, VALKKA_FRAME_ENCODED,
                                    VALKKA_FRAME_CONFIG,  VALKKA_FRAME_ENCODED,
                                    VALKKA_FRAME_CONFIG,  VALKKA_FRAME_NONE,
                                    VALKKA_FRAME_DECODED, 77};
  std::vector<uint8_t> payload;
  int64_t mstime = 1700000000000;
  for (uint32_t i = 0; i < kMaxFrames && !in.empty(); i++) {
    valkka_frame_t f{};
    f.struct_size = sizeof f;
    const uint8_t kind = in.u8();
    f.kind = kinds[kind & 7];
    f.codec = in.u8();
    f.flags = in.u32();
    f.slot = in.u8() % kSlots;
    const int16_t step = (int16_t)in.u16();
    mstime += step;
    f.mstime = kind & 0x40 ? -(int64_t)(uint16_t)step : mstime;
    const uint8_t size_class = in.u8();
    const uint32_t n = frame_size(size_class, in.u32());
    const bool direct = in.u8() & 1;
    size_t got = 0;
    const uint8_t *pattern = in.take(in.u8(), &got);
    payload.assign(n, 0);
    for (uint32_t k = 0; got && k < n; k++) payload[k] = pattern[k % got];
    f.data = n ? payload.data() : nullptr;
    f.size = f.capacity = n;
    if (direct)
      valkka_fs_append(fs, f.slot + 1, &f);
    else
      valkka_fs_sink(fs, &f);
  }
  if ((err = valkka_fs_writer_stop(fs))) broken("writer stop", err);
  valkka_fs_close(fs);

  valkka_fs_open_params_t ro{};
  ro.struct_size = sizeof ro;
  ro.flags = VALKKA_FS_READONLY;
  if ((err = valkka_fs_open(dir.c_str(), &ro, &fs))) broken("reopen", err);
  fuzz::read_all(fs, check_frame, nullptr);
  valkka_fs_close(fs);
  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  if ((err = valkka_fs_fsck(dir.c_str(), 0, &report)))
    broken("the FS the writer left does not check clean", err);
  return 0;
}
