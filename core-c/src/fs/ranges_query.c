/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A stream's recorded ranges (valkka_fs_get_ranges): inside a block from the ranges index, or
 * the table's slot times where the index does not tell that block; between blocks joined when
 * the step from one to the next is no gap (FORMAT.md, "Ranges index"). Reads memory only.
 *
 * One pass over the table joins every stream's ranges at once, and is kept: a timeline asks for
 * each of its lanes in turn, every second and at every finished block, and a day of a large FS
 * is hundreds of thousands of blocks, too many to walk once a lane or once a second (and the
 * writer waits for table_lock meanwhile). From then on a question adds the blocks finished since
 * the last one and joins in the block being written; a stream whose oldest block was written over
 * is trimmed at its front.
 */
#include <stdlib.h>
#include <string.h>

#include <valkka/error.h>

#include "fs/fs_internal.h"
#include "fs/table.h"
#include "util/array.h"

/* A joined range, and the blocks it came from: where its first stretch was (to tell when that
   block's use is gone) and the use of the last block that added to it. */
typedef struct cached_range {
  fs_range_t r;
  uint32_t first_slot;
  uint64_t first_seq, last_seq;
} cached_range_t;

typedef struct stream_ranges {
  uint32_t id;
  cached_range_t *r; /* joined, oldest first; the last one still open to joining */
  size_t n, cap;
} stream_ranges_t;

/* The finished blocks' ranges: every block written before `head` (of use `head_seq`), the block
   being written when the cache was last brought up to date. The head itself is joined in at
   each question, so the writer's flushes into it change nothing here. */
struct fs_ranges_cache {
  bool valid;
  uint32_t head;
  uint64_t head_seq;
  stream_ranges_t *streams;
  size_t n_streams, cap_streams;
};

/* `*hint`: where the next stream is looked for first. Blocks name their streams in much the same
   order one after another (each camera's frames come round in turn), so it is mostly there. */
static stream_ranges_t *stream_of(fs_ranges_cache_t *c, uint32_t id, size_t *hint) {
  for (size_t k = 0; k < c->n_streams; k++) {
    const size_t i = (*hint + k) % c->n_streams;
    if (c->streams[i].id != id) continue;
    *hint = i + 1;
    return &c->streams[i];
  }
  if (array_reserve((void **)&c->streams, &c->cap_streams, c->n_streams + 1, sizeof *c->streams,
                    16))
    return NULL;
  stream_ranges_t *s = &c->streams[c->n_streams++];
  *hint = c->n_streams;
  memset(s, 0, sizeof *s);
  s->id = id;
  return s;
}

/* `r`, the next stretch of a stream in write order, joined to `last` unless a gap parts them. */
static bool join(fs_range_t *last, const fs_range_t *r) {
  if (r->first_ms - last->last_ms > fs_range_gap_ms(last->interval_ms)) return false;
  if (r->last_ms > last->last_ms) last->last_ms = r->last_ms;
  if (r->interval_ms) last->interval_ms = r->interval_ms;
  return true;
}

static int push(fs_ranges_cache_t *c, const fs_range_t *r, uint32_t slot, uint64_t seq,
                size_t *hint) {
  stream_ranges_t *s = stream_of(c, r->id, hint);
  if (!s) return VALKKA_ENOMEM;
  if (s->n && join(&s->r[s->n - 1].r, r)) {
    s->r[s->n - 1].last_seq = seq;
    return 0;
  }
  if (array_reserve((void **)&s->r, &s->cap, s->n + 1, sizeof *s->r, 16)) return VALKKA_ENOMEM;
  s->r[s->n++] = (cached_range_t){*r, slot, seq, seq};
  return 0;
}

/* Block `slot`'s stretches of its streams in write order, each to `each` until it fails: the
   ranges index's where it tells this block, else a stretch a stream from the table's slot. */
typedef int (*stretch_fn)(void *ctx, const fs_range_t *r);

static int each_stretch(const valkka_fs_t *fs, uint32_t slot, stretch_fn each, void *ctx) {
  const fs_entry_t *e = &fs->table[slot];
  const fs_ranges_t *g = &fs->ranges[slot];
  int err = 0;
  if (fs_ranges_match(g, e)) {
    for (uint32_t i = 0; i < g->n && !err; i++) err = each(ctx, &g->r[i]);
    return err;
  }
  for (uint32_t i = 0; i < e->n_streams && !err; i++) {
    const fs_stream_slot_t *s = &e->streams[i];
    const fs_range_t whole = {s->id, 0, s->min_ms, s->max_ms};
    if (s->frames) err = each(ctx, &whole);
  }
  return err;
}

/* What a walk of one block's stretches carries: the cache and the block it adds; or a stream's
   first stretch in the block, looked for; or a question's answer, the block's stretches of the
   stream joined on to `last`. */
typedef struct stretch_ctx {
  fs_ranges_cache_t *c;
  uint32_t slot, id;
  uint64_t seq;
  size_t hint;
  struct answer *a;
  bool open; /* `last` holds a range */
  fs_range_t last;
} stretch_ctx_t;

static int push_stretch(void *ctx, const fs_range_t *r) {
  stretch_ctx_t *p = ctx;
  return push(p->c, r, p->slot, p->seq, &p->hint);
}

static int push_block(fs_ranges_cache_t *c, const valkka_fs_t *fs, uint32_t slot, size_t *hint) {
  stretch_ctx_t p = {.c = c, .slot = slot, .seq = fs->table[slot].seq, .hint = *hint};
  const int err = each_stretch(fs, slot, push_stretch, &p);
  *hint = p.hint;
  return err;
}

static int out_of_memory(void) {
  return valkka_error_set(VALKKA_ENOMEM, "fs_get_ranges: out of memory");
}

/* Every finished block walked anew, oldest first. */
static int cache_rebuild(const valkka_fs_t *fs, fs_ranges_cache_t *c) {
  for (size_t i = 0; i < c->n_streams; i++) c->streams[i].n = 0;
  c->valid = false;
  const uint32_t n = fs->layout.n_blocks;
  /* Write order: the block after the one being written is the oldest. */
  const uint32_t oldest = fs->seq ? (fs->cur + 1) % n : 0;
  size_t hint = 0;
  for (uint32_t k = 0; k < n; k++) {
    const uint32_t i = (oldest + k) % n;
    if (fs->seq && i == fs->cur) break;
    if (!fs_entry_is_void(&fs->table[i]) && push_block(c, fs, i, &hint)) return out_of_memory();
  }
  c->head = fs->cur;
  c->head_seq = fs->seq;
  c->valid = true;
  return 0;
}

static int find_first(void *ctx, const fs_range_t *r) {
  stretch_ctx_t *f = ctx;
  if (r->id != f->id) return 0;
  f->open = true;
  f->last = *r;
  return 1; /* the first of the stream's in the block is all that is asked */
}

/* A stream whose oldest block was written over starts again in the oldest finished block that
   still has it: the ranges wholly before that go, the next one starts where that block's
   stretch does, as a walk from that block would have made it. */
static void trim_front(const valkka_fs_t *fs, const fs_ranges_cache_t *c, stream_ranges_t *s) {
  const cached_range_t *first = &s->r[0];
  const fs_entry_t *kept = &fs->table[first->first_slot];
  if (!fs_entry_is_void(kept) && kept->seq == first->first_seq) return;
  const uint32_t n = fs->layout.n_blocks;
  for (uint32_t i = (fs->cur + 1) % n; i != c->head; i = (i + 1) % n) {
    const fs_entry_t *e = &fs->table[i];
    if (fs_entry_is_void(e) || e->seq <= first->first_seq) continue;
    stretch_ctx_t f = {.id = s->id};
    each_stretch(fs, i, find_first, &f);
    if (!f.open) continue;
    size_t drop = 0;
    while (drop < s->n && s->r[drop].last_seq < e->seq) drop++;
    memmove(s->r, s->r + drop, (s->n - drop) * sizeof *s->r);
    s->n -= drop;
    if (s->n) {
      cached_range_t *front = &s->r[0];
      front->r.first_ms = f.last.first_ms;
      front->first_slot = i;
      front->first_seq = e->seq;
    }
    return;
  }
  s->n = 0; /* none of its blocks is left */
}

/* Under table_lock: the cache as the table stands. The blocks finished since it was last asked
   are added and the streams whose oldest block went are trimmed, so a question costs the blocks
   that changed, not the table; anything but the writer's steps forward walks it all again. */
static int cache_update(const valkka_fs_t *fs, fs_ranges_cache_t *c) {
  const uint32_t n = fs->layout.n_blocks;
  if (!c->valid || fs->seq < c->head_seq || fs->seq - c->head_seq >= n ||
      (c->head + (fs->seq - c->head_seq)) % n != fs->cur)
    return cache_rebuild(fs, c);
  size_t hint = 0;
  for (uint32_t i = c->head; fs->seq != c->head_seq && i != fs->cur; i = (i + 1) % n) {
    const fs_entry_t *e = &fs->table[i];
    if (fs_entry_is_void(e)) continue;
    if (e->seq < c->head_seq || e->seq >= fs->seq) return cache_rebuild(fs, c);
    if (push_block(c, fs, i, &hint)) {
      c->valid = false;
      return out_of_memory();
    }
  }
  c->head = fs->cur;
  c->head_seq = fs->seq;
  for (size_t i = 0; i < c->n_streams; i++)
    if (c->streams[i].n) trim_front(fs, c, &c->streams[i]);
  return 0;
}

void fs_ranges_cache_free(fs_ranges_cache_t *c) {
  if (!c) return;
  for (size_t i = 0; i < c->n_streams; i++) free(c->streams[i].r);
  free(c->streams);
  free(c);
}

struct answer {
  int64_t from_ms, to_ms;
  valkka_fs_range_t *out;
  uint32_t stride, max, count;
};

static void answer(struct answer *a, const fs_range_t *r) {
  if (r->last_ms < a->from_ms || r->first_ms > a->to_ms) return;
  if (a->count < a->max) {
    valkka_fs_range_t full = {0};
    full.first_ms = r->first_ms;
    full.last_ms = r->last_ms;
    full.struct_size = a->stride < sizeof full ? a->stride : (uint32_t)sizeof full;
    memcpy((uint8_t *)a->out + (size_t)a->count * a->stride, &full, full.struct_size);
  }
  if (a->count < UINT32_MAX) a->count++;
}

/* The head block's stretches of one stream, joined on to the finished blocks' last range. */
static int head_stretch(void *ctx, const fs_range_t *r) {
  stretch_ctx_t *h = ctx;
  if (r->id != h->id || (h->open && join(&h->last, r))) return 0;
  if (h->open) answer(h->a, &h->last);
  h->last = *r;
  h->open = true;
  return 0;
}

static void answer_stream(const valkka_fs_t *fs, const stream_ranges_t *s, uint32_t id,
                          struct answer *a) {
  stretch_ctx_t h = {.id = id, .a = a};
  if (s && s->n) {
    for (size_t k = 0; k + 1 < s->n; k++) answer(a, &s->r[k].r);
    h.open = true;
    h.last = s->r[s->n - 1].r;
  }
  if (fs->seq && !fs_entry_is_void(&fs->table[fs->cur]))
    each_stretch(fs, fs->cur, head_stretch, &h);
  if (h.open) answer(a, &h.last);
}

int valkka_fs_get_ranges(valkka_fs_t *fs, uint32_t stream_id, int64_t from_ms, int64_t to_ms,
                         valkka_fs_range_t *out, uint32_t max) {
  if (!fs || (max && (!out || out[0].struct_size < sizeof(uint32_t))))
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: NULL argument or struct_size 0");
  if (to_ms < from_ms)
    return valkka_error_set(VALKKA_EINVAL, "fs_get_ranges: to %lld before from %lld",
                            (long long)to_ms, (long long)from_ms);
  struct answer a = {from_ms, to_ms, out, max ? out[0].struct_size : 0, max, 0};
  int err = 0;
  pthread_mutex_lock(&fs->table_lock);
  if (!fs->ranges_cache && !(fs->ranges_cache = calloc(1, sizeof *fs->ranges_cache)))
    err = out_of_memory();
  if (!err) err = cache_update(fs, fs->ranges_cache);
  if (!err) {
    const fs_ranges_cache_t *c = fs->ranges_cache;
    const stream_ranges_t *s = NULL;
    for (size_t i = 0; i < c->n_streams && !s; i++)
      if (c->streams[i].id == stream_id) s = &c->streams[i];
    answer_stream(fs, s, stream_id, &a);
  }
  pthread_mutex_unlock(&fs->table_lock);
  if (err) return err;
  return a.count > INT32_MAX ? INT32_MAX : (int)a.count;
}
