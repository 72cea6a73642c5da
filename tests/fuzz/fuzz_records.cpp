/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The record parser and block scanner, in memory (core-c/src/fs/format.c, scan.c, table.c): one
// block of a 64 KiB FS, as recovery, fsck and reads walk it.
//
// Input: byte 0 control (bit 0: give records and header valid crcs first; bits 1-2: the block's
// index; bits 4-7: the end the stored entry claims, in 4 KiB), bytes 1..16 the FS uuid, then the
// block (zero-filled up to 64 KiB). The seeds are blocks of a recorded FS (make_seeds.sh).
#include <cstring>
#include <vector>

#include "fuzz_support.h"

extern "C" {
#include "fs/format.h"
#include "fs/scan.h"
#include "fs/table.h"
}

namespace {

using fuzz::broken;
using fuzz::kBlockSize;

struct Walk {
  uint32_t last_end = FS_BLOCK_HEADER_SIZE;  // records come in order, back to back or apart
  uint32_t limit = 0;
  uint32_t records = 0;
};

int on_record(void *user, uint32_t offset, const fs_record_t *r, const uint8_t *payload) {
  Walk *w = static_cast<Walk *>(user);
  const uint32_t end = offset + fs_record_size(r->length);
  if (offset < w->last_end || offset % 8 || end > w->limit || end < offset)
    broken("scan delivered a record out of order or past the limit", 0);
  if (!fs_record_payload_ok(r, payload)) broken("scan delivered a damaged payload", 0);
  w->last_end = end;
  w->records++;
  return 0;
}

void on_bad(void *user, uint32_t offset, uint32_t length, bool) {
  Walk *w = static_cast<Walk *>(user);
  if (offset < FS_BLOCK_HEADER_SIZE || length == 0 || offset + length > w->limit)
    broken("scan reported a bad stretch outside the block", 0);
}

void on_rebuild_bad(void *user, uint32_t offset, uint32_t length) {
  on_bad(user, offset, length, false);
}

// A rebuilt entry is what recovery and repair write to the table: it must read back as itself.
void check_entry(const fs_entry_t &e) {
  uint8_t raw[FS_ENTRY_SIZE];
  fs_entry_encode(&e, raw);
  fs_entry_t back;
  if (fs_entry_decode(raw, kBlockSize, &back) != 0) broken("a rebuilt entry does not decode", 0);
  if (!fs_entry_equal(&e, &back)) broken("a rebuilt entry decodes as another", 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 17) return 0;
  const uint8_t ctl = data[0];
  const uint8_t *uuid = data + 1;
  std::vector<uint8_t> block(kBlockSize, 0);
  const size_t body = size - 17 < kBlockSize ? size - 17 : kBlockSize;
  memcpy(block.data(), data + 17, body);
  if (ctl & 1) fuzz::fix_block(uuid, block.data(), block.size());
  const uint32_t index = (ctl >> 1) & 3;
  const uint32_t claim = (uint32_t)(ctl >> 4) * 4096;

  fs_layout_t layout;
  fs_layout_init(&layout, uuid, kBlockSize, fuzz::kBlocks);

  // Every aligned position through the parser, with the bytes left to the end of the block.
  for (uint32_t pos = FS_BLOCK_HEADER_SIZE; pos + FS_RECORD_HEADER_SIZE <= kBlockSize; pos += 8) {
    fs_record_t r;
    if (fs_record_parse(&layout, block.data() + pos, kBlockSize - pos, &r) &&
        pos + (uint64_t)fs_record_size(r.length) > kBlockSize)
      broken("a parsed record does not fit in the block", 0);
  }

  fs_rebuild_t rb;
  Walk w;
  w.limit = kBlockSize;
  fs_block_rebuild(&layout, index, block.data(), 0, claim, on_rebuild_bad, &w, &rb);
  if (rb.end < FS_BLOCK_HEADER_SIZE || rb.end > kBlockSize || rb.end % 8)
    broken("rebuild resumes writing at an impossible offset", 0);
  check_entry(rb.entry);
  // PAD records count nowhere, so an entry may end before a trailing PAD; never after the scan.
  if (rb.entry.end > rb.end) broken("the rebuilt entry claims more than the scan found", 0);

  // The use the header names, and a scan limited as reads limit it (the entry's end).
  uint64_t seq = 0;
  if (fs_block_header_check(&layout, index, block.data(), &seq)) {
    if (seq != rb.seq) broken("rebuild picked another use than the header's", 0);
  }
  const uint64_t max_seq = fs_scan_max_seq(&layout, block.data(), kBlockSize);
  if (!rb.header_seq && rb.seq != max_seq)
    broken("rebuild without a header ignored the records", 0);
  Walk scan;
  scan.limit = rb.entry.end ? rb.entry.end : kBlockSize;
  fs_scan_ops_t ops = {on_record, on_bad, &scan, nullptr};
  uint32_t end = 0;
  fs_scan_records(&layout, block.data(), scan.limit, rb.seq, &ops, &end);
  if (rb.entry.end && scan.records < rb.entry.records)
    broken("a scan up to the entry's end finds fewer records than the entry counts", 0);
  return 0;
}
