/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "invariants.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "oracle.h"

namespace soak {

namespace {

constexpr size_t kMaxProblems = 20;
constexpr int kIndexQueries = 24;

void problem(CheckResult *r, const std::string &what) {
  if (r->problems.size() < kMaxProblems) r->problems.push_back(what);
}

std::string block_name(uint32_t index, uint64_t seq) {
  std::ostringstream o;
  o << "block " << index << " (use " << seq << ")";
  return o.str();
}

struct ReadCtx {
  const Schedule *schedule;
  const std::vector<Clip> *clips;
  const valkka_fs_block_t *entry;
  CheckResult *result;
  oracle::Block *block;
  std::map<uint32_t, int64_t> *last_k;        // per stream: the newest frame seen so far
  std::map<uint32_t, bool> config_since_key;  // per stream, in this block
};

int on_record(void *user, const valkka_frame_t *f) {
  auto *c = static_cast<ReadCtx *>(user);
  const std::string where = block_name(c->entry->index, c->entry->seq) + ", stream " +
                            std::to_string(f->stream_id) + ", mstime " + std::to_string(f->mstime);
  c->result->records++;
  if (f->mstime < c->entry->min_ms || f->mstime > c->entry->max_ms)
    problem(c->result, where + ": outside its entry's time range");
  uint64_t k = 0;
  if (!c->schedule->frame_at(f->stream_id, f->mstime, &k)) {
    c->result->corrupt++;
    problem(c->result, where + ": no frame of the schedule has this stream and time");
    return 0;
  }
  const Clip &clip = (*c->clips)[f->stream_id - 1];
  const size_t i = k % clip.packets.size();
  const bool key = (f->flags & VALKKA_FRAME_KEYFRAME) != 0;
  if (f->kind == VALKKA_FRAME_CONFIG) {
    // The camera's own configuration (frame 0) and the core's re-writes carry a keyframe's time.
    if (!clip.key[i] || f->size != clip.config.size() ||
        !std::equal(clip.config.begin(), clip.config.end(), f->data)) {
      c->result->corrupt++;
      problem(c->result, where + ": configuration record is not the camera's");
    }
    c->config_since_key[f->stream_id] = true;
    c->block->frames.push_back({f->stream_id, f->mstime, false});
    return 0;
  }
  if (f->kind != VALKKA_FRAME_ENCODED || key != clip.key[i] || f->size != clip.packets[i].size() ||
      !std::equal(clip.packets[i].begin(), clip.packets[i].end(), f->data)) {
    c->result->corrupt++;
    problem(c->result, where + ": frame is not what was written");
    return 0;
  }
  if (key && !c->config_since_key[f->stream_id])
    problem(c->result, where + ": keyframe without its configuration before it in the block");
  if (key) c->config_since_key[f->stream_id] = false;
  auto last = c->last_k->find(f->stream_id);
  if (last != c->last_k->end() && (int64_t)k != last->second + 1)
    problem(c->result, where + ": frame " + std::to_string(k) + " follows frame " +
                           std::to_string(last->second) + " of its stream in write order");
  (*c->last_k)[f->stream_id] = (int64_t)k;
  c->block->frames.push_back({f->stream_id, f->mstime, key});
  return 0;
}

std::string list(const std::vector<uint32_t> &v) {
  std::ostringstream o;
  for (size_t i = 0; i < v.size(); i++) o << (i ? "," : "") << v[i];
  return "[" + o.str() + "]";
}

void compare(CheckResult *r, const char *what, int64_t t0, int64_t t1, int n, const uint32_t *got,
             const std::vector<uint32_t> &want) {
  r->index_queries++;
  std::vector<uint32_t> have(got, got + (n > 0 ? n : 0));
  if (n < 0 || have != want)
    problem(r, std::string(what) + "(" + std::to_string(t0) + ", " + std::to_string(t1) +
                   "): " + (n < 0 ? std::string(valkka_last_error()) : list(have)) +
                   ", the oracle says " + list(want));
}

}  // namespace

CheckResult check_fs(valkka_fs_t *fs, const Schedule &schedule, const std::vector<Clip> &clips,
                     const std::vector<uint64_t> &fed, std::mt19937_64 *rng, CheckCarry *carry) {
  CheckResult r;
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  const uint32_t n = info.n_blocks, head = info.current_block;
  std::vector<valkka_fs_block_t> table(n);
  table[0].struct_size = sizeof(valkka_fs_block_t);
  if (valkka_fs_read_table(fs, table.data(), n) != (int)n) {
    problem(&r, std::string("read_table: ") + valkka_last_error());
    return r;
  }
  std::vector<oracle::Block> blocks(n);
  std::map<uint32_t, int64_t> last_k;
  uint64_t prev_seq = 0;
  int64_t prev_max = 0;
  const bool wrapped = info.current_seq > n;
  for (uint32_t p = 0; p < n; p++) {  // write order: oldest first
    const valkka_fs_block_t &e = table[(head + 1 + p) % n];
    const std::string name = block_name(e.index, e.seq);
    if (e.flags & VALKKA_FS_BLOCK_VOID) {
      if (wrapped) problem(&r, name + ": void in a full FS with the writer drained");
      continue;
    }
    if (prev_seq && e.seq != prev_seq + 1)
      problem(&r, name + ": follows use " + std::to_string(prev_seq) + " in write order");
    if (e.min_ms < prev_max)
      problem(&r, name + ": starts at " + std::to_string(e.min_ms) +
                      ", before the previous "
                      "block ends (" +
                      std::to_string(prev_max) + ")");
    prev_seq = e.seq;
    prev_max = e.max_ms;
    oracle::Block &ob = blocks[e.index];
    ob.is_void = false;
    ReadCtx ctx{&schedule, &clips, &e, &r, &ob, &last_k, {}};
    const uint64_t before = r.records;
    int got = valkka_fs_read_block(fs, e.index, on_record, &ctx);
    r.blocks_read++;
    if (got < 0)
      problem(&r, name + ": read: " + valkka_last_error());
    else if ((uint32_t)got != e.records || r.records - before != e.records)
      problem(&r, name + ": its entry claims " + std::to_string(e.records) + " records, " +
                      std::to_string(got) + " read");
  }
  if (prev_seq != info.current_seq)
    problem(&r, "the newest block is use " + std::to_string(prev_seq) + ", the FS says " +
                    std::to_string(info.current_seq));
  if (info.bad_records)
    problem(&r, std::to_string(info.bad_records) + " damaged records skipped since open");

  // Every camera's frames up to the newest one fed, none after.
  int64_t newest = 0;
  for (uint32_t c = 0; c < schedule.cameras; c++) {
    if (!fed[c]) continue;
    newest = std::max(newest, schedule.time_of(c, fed[c] - 1));
    auto it = last_k.find(c + 1);
    if (it == last_k.end() || it->second != (int64_t)fed[c] - 1)
      problem(&r, "stream " + std::to_string(c + 1) + ": newest frame on disk " +
                      std::to_string(it == last_k.end() ? -1 : it->second) + ", " +
                      std::to_string(fed[c]) + " were written");
  }
  const auto [first, last] = oracle::time_range(blocks);
  valkka_fs_time_range(fs, &r.first_ms, &r.last_ms);
  if (r.first_ms != first || r.last_ms != last || last != newest)
    problem(&r, "time range " + std::to_string(r.first_ms) + ".." + std::to_string(r.last_ms) +
                    ", the records span " + std::to_string(first) + ".." + std::to_string(last) +
                    ", the newest frame written is at " + std::to_string(newest));
  if (r.first_ms < carry->first_ms || r.last_ms < carry->last_ms ||
      (wrapped && carry->first_ms && r.first_ms == carry->first_ms))
    problem(&r, "time range " + std::to_string(r.first_ms) + ".." + std::to_string(r.last_ms) +
                    " did not move forward from " + std::to_string(carry->first_ms) + ".." +
                    std::to_string(carry->last_ms));
  carry->first_ms = r.first_ms;
  carry->last_ms = r.last_ms;

  // Index search at random times around and inside the range, and at its edges.
  if (first && last) {
    std::vector<uint32_t> got(n);
    const int64_t span = last - first;
    for (int q = 0; q < kIndexQueries; q++) {
      int64_t t0 = q == 0   ? first
                   : q == 1 ? last
                            : first - 1000 + (int64_t)((*rng)() % (uint64_t)(span + 2000));
      int64_t t1 = q % 3 == 2 ? t0 + (int64_t)((*rng)() % (uint64_t)(span / 8 + 1)) : t0;
      int k = valkka_fs_get_ind(fs, t0, t1, got.data(), n);
      compare(&r, "getInd", t0, t1, k, got.data(), oracle::get_ind(blocks, head, t0, t1));
      k = valkka_fs_get_ind_neigh(fs, t0, 2, got.data(), n);
      compare(&r, "getIndNeigh", t0, 2, k, got.data(), oracle::get_ind_neigh(blocks, head, t0, 2));
    }
  }
  return r;
}

}  // namespace soak
