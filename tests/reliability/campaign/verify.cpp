/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "verify.h"

#include <algorithm>
#include <map>
#include <sstream>

#include <valkka/valkka.h>

#include "frames.h"

namespace campaign {

namespace {

constexpr size_t kMaxProblems = 20;

void problem(DiskCheck *c, const std::string &what) {
  if (c->problems.size() < kMaxProblems) c->problems.push_back(what);
}

// What one block read delivers, checked record by record as it comes.
struct BlockRead {
  DiskCheck *check;
  uint32_t block;
  int64_t min_ms, max_ms;
  std::vector<uint64_t> *frames;
  std::map<uint32_t, bool> config_since_key;  // per stream: a CONFIG since its last keyframe
  uint64_t corrupt = 0;
};

std::string where(uint32_t block, int64_t mstime) {
  std::ostringstream o;
  o << "block " << block << ", mstime " << mstime;
  return o.str();
}

int on_frame(void *user, const valkka_frame_t *f) {
  auto *r = static_cast<BlockRead *>(user);
  const int64_t t = f->mstime;
  if (t < r->min_ms || t > r->max_ms)
    problem(r->check, where(r->block, t) + ": outside the block's table range");
  const uint64_t g = t >= kT0 ? (uint64_t)(t - kT0) : 0;
  bool ok = t >= kT0 && stream_of(g) == f->stream_id;
  if (ok && f->kind == VALKKA_FRAME_CONFIG) {
    // The recorder's own CONFIG frames and the core's re-writes both carry a keyframe's time.
    const std::vector<uint8_t> want = config_of(f->stream_id);
    ok = is_key(g) && f->size == want.size() && std::equal(want.begin(), want.end(), f->data);
    if (ok) r->config_since_key[f->stream_id] = true;
  } else if (ok && f->kind == VALKKA_FRAME_ENCODED) {
    const std::vector<uint8_t> want = payload_of(g);
    const bool key = (f->flags & VALKKA_FRAME_KEYFRAME) != 0;
    ok = key == is_key(g) && f->size == want.size() &&
         std::equal(want.begin(), want.end(), f->data);
    if (ok) {
      r->frames->push_back(g);
      if (key && !r->config_since_key[f->stream_id])
        problem(r->check, where(r->block, t) + ": keyframe without its configuration before it");
      if (key) r->config_since_key[f->stream_id] = false;
    }
  } else if (ok) {
    ok = false;
  }
  if (!ok) {
    r->corrupt++;
    problem(r->check, where(r->block, t) + ": record of stream " + std::to_string(f->stream_id) +
                          ", kind " + std::to_string(f->kind) + ", " + std::to_string(f->size) +
                          " bytes is not what was written");
  }
  return 0;
}

}  // namespace

DiskCheck check_disk(const std::string &dir) {
  DiskCheck c;
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  valkka_fs_t *fs = nullptr;
  int err = valkka_fs_open(dir.c_str(), &p, &fs);
  if (err) {
    problem(&c, std::string("open: ") + valkka_last_error());
    return c;
  }
  c.opened = true;
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  c.records_recovered = info.records_recovered;
  c.entries_rebuilt = info.entries_rebuilt;
  c.seq = info.current_seq;
  c.n_blocks = info.n_blocks;

  std::vector<valkka_fs_block_t> table(info.n_blocks);
  table[0].struct_size = sizeof(valkka_fs_block_t);
  valkka_fs_read_table(fs, table.data(), info.n_blocks);
  std::vector<uint64_t> frames;
  uint32_t used = 0;
  for (const valkka_fs_block_t &b : table) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    used++;
    BlockRead r{&c, b.index, b.min_ms, b.max_ms, &frames, {}, 0};
    int n = valkka_fs_read_block(fs, b.index, on_frame, &r);
    c.corrupt += r.corrupt;
    if (n < 0) {
      problem(&c, "block " + std::to_string(b.index) + ": read: " + valkka_last_error());
    } else if ((uint32_t)n != b.records) {
      problem(&c, "block " + std::to_string(b.index) + ": the table claims " +
                      std::to_string(b.records) + " records, " + std::to_string(n) + " read");
    }
  }
  // A wrapped FS keeps every block but the one being started.
  if (info.current_seq > info.n_blocks && used + 1 < info.n_blocks)
    problem(&c, "only " + std::to_string(used) + " of " + std::to_string(info.n_blocks) +
                    " blocks hold data after the FS wrapped");
  valkka_fs_get_info(fs, &info);
  c.bad_records = info.bad_records;
  c.frames = frames.size();
  std::sort(frames.begin(), frames.end());
  for (size_t i = 1; i < frames.size(); i++) {
    if (frames[i] == frames[i - 1])
      problem(&c, "frame " + std::to_string(frames[i]) + " is on disk twice");
    else if (frames[i] != frames[i - 1] + 1)
      problem(&c, "frames " + std::to_string(frames[i - 1] + 1) + ".." +
                      std::to_string(frames[i] - 1) + " are missing between others");
  }
  if (!frames.empty()) {
    c.empty = false;
    c.lo = frames.front();
    c.hi = frames.back();
    // The time range is the records': the oldest frame (or its configuration, same time), the
    // newest frame or the configuration of the keyframe after it.
    if (info.first_ms != time_of(c.lo) || info.last_ms < time_of(c.hi) ||
        info.last_ms > time_of(c.hi + 1))
      problem(&c, "time range " + std::to_string(info.first_ms) + ".." +
                      std::to_string(info.last_ms) + " does not match frames " +
                      std::to_string(c.lo) + ".." + std::to_string(c.hi));
  }
  valkka_fs_close(fs);
  return c;
}

}  // namespace campaign
