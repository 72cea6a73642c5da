/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Record scanning with resynchronisation, and entry rebuilding (FORMAT.md, "Recovery"). */
#include <string.h>

#include "fs/scan.h"
#include "fs/table.h"

/* Zero bytes too few to hold a record header: what repair leaves where it cannot fit a PAD record
   (fsck.c), and no frame can have been lost in them. */
static bool is_filler(const uint8_t *p, uint32_t n) {
  if (n >= FS_RECORD_HEADER_SIZE) return false;
  for (uint32_t i = 0; i < n; i++)
    if (p[i]) return false;
  return true;
}

int fs_scan_records(const fs_layout_t *layout, const uint8_t *block, uint32_t limit, uint64_t seq,
                    const fs_scan_ops_t *ops, uint32_t *end) {
  return fs_scan_records_from(layout, block, FS_BLOCK_HEADER_SIZE, limit, seq, ops, end);
}

int fs_scan_records_from(const fs_layout_t *layout, const uint8_t *block, uint32_t start,
                         uint32_t limit, uint64_t seq, const fs_scan_ops_t *ops, uint32_t *end) {
  if (start < FS_BLOCK_HEADER_SIZE) start = FS_BLOCK_HEADER_SIZE;
  uint32_t pos = start, last_end = start;
  uint32_t bad_start = 0; /* 0: no invalid stretch pending */
  int stop = 0;
  if (limit > layout->block_size) limit = layout->block_size;
  while (pos + FS_RECORD_HEADER_SIZE <= limit) {
    fs_record_t r;
    if (!fs_record_parse(layout, block + pos, limit - pos, &r) || r.seq != seq) {
      if (!bad_start) bad_start = pos;
      pos += 8;
      continue;
    }
    const uint8_t *payload = block + pos + FS_RECORD_HEADER_SIZE;
    uint32_t total = fs_record_size(r.length);
    /* The header's crc held, so its length is trustworthy even when the payload is damaged. */
    if (!fs_record_payload_ok(&r, payload)) {
      if (!bad_start) bad_start = pos;
      if (ops && ops->skipped) ops->skipped(ops->user, pos, total);
      pos += total;
      continue;
    }
    if (bad_start) {
      if (ops && ops->bad && !is_filler(block + bad_start, pos - bad_start))
        ops->bad(ops->user, bad_start, pos - bad_start, false);
      bad_start = 0;
    }
    last_end = pos + total;
    if (ops && ops->record && (stop = ops->record(ops->user, pos, &r, payload)) != 0) break;
    pos += total;
  }
  if (!stop && bad_start && ops && ops->bad)
    ops->bad(ops->user, bad_start, limit - bad_start, true);
  if (end) *end = last_end;
  return stop;
}

uint64_t fs_scan_max_seq(const fs_layout_t *layout, const uint8_t *block, uint32_t limit) {
  uint64_t best = 0;
  uint32_t pos = FS_BLOCK_HEADER_SIZE;
  if (limit > layout->block_size) limit = layout->block_size;
  while (pos + FS_RECORD_HEADER_SIZE <= limit) {
    fs_record_t r;
    if (fs_record_parse(layout, block + pos, limit - pos, &r) &&
        fs_record_payload_ok(&r, block + pos + FS_RECORD_HEADER_SIZE)) {
      if (r.seq > best) best = r.seq;
      pos += fs_record_size(r.length);
    } else {
      pos += 8;
    }
  }
  return best;
}

typedef struct rebuild_ctx {
  fs_rebuild_t *out;
  uint32_t claim_end;
  fs_bad_fn on_bad;
  void *user;
} rebuild_ctx_t;

static int rebuild_record(void *user, uint32_t offset, const fs_record_t *r,
                          const uint8_t *payload) {
  (void)payload;
  rebuild_ctx_t *ctx = user;
  ctx->out->records++;
  ctx->out->torn_end = 0;
  fs_entry_add(&ctx->out->entry, r, offset + fs_record_size(r->length));
  fs_ranges_add(&ctx->out->ranges, r, offset + fs_record_size(r->length));
  return 0;
}

static void rebuild_skipped(void *user, uint32_t offset, uint32_t length) {
  rebuild_ctx_t *ctx = user;
  ctx->out->torn_end = offset + length;
}

static void rebuild_bad(void *user, uint32_t offset, uint32_t length, bool trailing) {
  rebuild_ctx_t *ctx = user;
  if (trailing && offset >= ctx->claim_end) {
    ctx->out->free_stretch = offset;
    return;
  }
  ctx->out->bad_records++;
  /* A trailing stretch inside the claim has no record after it to keep: the entry shrinks past
     it, so there is nothing for repair to cover. */
  if (ctx->on_bad && !trailing) ctx->on_bad(ctx->user, offset, length);
}

void fs_block_rebuild(const fs_layout_t *layout, uint32_t index, const uint8_t *block,
                      uint64_t want_seq, uint32_t claim_end, fs_bad_fn on_bad, void *user,
                      fs_rebuild_t *out) {
  memset(out, 0, sizeof *out);
  uint64_t header_seq = 0;
  if (!fs_block_header_check(layout, index, block, &header_seq)) header_seq = 0;
  uint64_t seq = want_seq;
  if (!seq) seq = header_seq ? header_seq : fs_scan_max_seq(layout, block, layout->block_size);
  out->seq = seq;
  out->header_seq = header_seq;
  out->header_ok = header_seq && header_seq == seq;
  fs_entry_set_void(&out->entry, seq);
  fs_ranges_set_void(&out->ranges, seq);
  out->end = FS_BLOCK_HEADER_SIZE;
  if (!seq) return;
  rebuild_ctx_t ctx = {out, claim_end, on_bad, user};
  fs_scan_ops_t ops = {rebuild_record, rebuild_bad, &ctx, rebuild_skipped};
  fs_scan_records(layout, block, layout->block_size, seq, &ops, &out->end);
  if (!out->entry.records) out->entry.end = out->ranges.end = 0;
}
