/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scrubbing (filecache_scrub.h): a keyframe per stream, decoded once on the decoder workers and
 * kept by its block use, so that dragging the playhead costs one keyframe decode per stream and
 * GOP crossed, and nothing for a GOP already on screen or seen before.
 */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/filecache_internal.h"
#include "manager/filecache_scrub.h"
#include "base/log.h"
#include "util/array.h"

/* A decoded keyframe. Its block use (index and write sequence number) tells a picture of the
   same block rewritten after a wrap apart from the old one. */
typedef struct scrub_entry {
  uint32_t group, id, block;
  uint64_t seq;
  int64_t key_ms;        /* the keyframe's decode time */
  uint64_t used;         /* the scrub that used it last: the least recent goes first */
  valkka_frame_t *frame; /* the picture */
} scrub_entry_t;

struct fc_scrub {
  scrub_entry_t *entries;
  size_t n, cap;
  uint64_t bytes;  /* the pictures' payload bytes */
  uint64_t serial; /* scrubs run */
  /* Per stream index, for one scrub's round: */
  size_t *keys; /* its keyframe's track index, or FC_NONE */
  bool *decode; /* not cached: a worker decodes it */
  size_t cap_streams;
};

void fc_scrub_free(fc_scrub_t *sc) {
  if (!sc) return;
  for (size_t i = 0; i < sc->n; i++) valkka_frame_free(sc->entries[i].frame);
  free(sc->entries);
  free(sc->keys);
  free(sc->decode);
  free(sc);
}

/* The scrub state with room for every mapped stream; NULL when out of memory. */
static fc_scrub_t *scrub_state(filecache_t *fc) {
  if (!fc->scrub && !(fc->scrub = calloc(1, sizeof *fc->scrub))) return NULL;
  fc_scrub_t *sc = fc->scrub;
  if (sc->cap_streams < fc->n_streams) {
    size_t *keys = realloc(sc->keys, fc->n_streams * sizeof *keys);
    if (keys) sc->keys = keys;
    bool *decode = keys ? realloc(sc->decode, fc->n_streams * sizeof *decode) : NULL;
    if (!decode) return NULL;
    sc->decode = decode;
    sc->cap_streams = fc->n_streams;
  }
  return sc;
}

static bool same_key(const scrub_entry_t *e, const fc_stream_t *s, const fc_frame_t *key) {
  return e->group == s->group && e->id == s->id && e->block == key->block && e->seq == key->seq &&
         e->key_ms == key->mstime;
}

static scrub_entry_t *find(fc_scrub_t *sc, const fc_stream_t *s, const fc_frame_t *key) {
  for (size_t i = 0; i < sc->n; i++)
    if (same_key(&sc->entries[i], s, key)) return &sc->entries[i];
  return NULL;
}

/* Drops the least recently used picture; its frame is handed back for reuse (its buffer is as
   large as a picture: a new one would cost page faults again). */
static valkka_frame_t *drop_least_recent(fc_scrub_t *sc) {
  size_t old = 0;
  for (size_t i = 1; i < sc->n; i++)
    if (sc->entries[i].used < sc->entries[old].used) old = i;
  valkka_frame_t *frame = sc->entries[old].frame;
  sc->bytes -= frame->size;
  sc->entries[old] = sc->entries[--sc->n];
  return frame;
}

/* Keeps a copy of `picture`, the keyframe `key` of `s`, dropping the least recent to fit. Out of
   memory it is not kept: the next scrub to it decodes it again. */
static void keep(fc_scrub_t *sc, const fc_stream_t *s, const fc_frame_t *key,
                 const valkka_frame_t *picture) {
  if (picture->size > FC_SCRUB_CACHE_BYTES) return;
  valkka_frame_t *copy = NULL;
  while (sc->n && sc->bytes + picture->size > FC_SCRUB_CACHE_BYTES) {
    valkka_frame_free(copy);
    copy = drop_least_recent(sc);
  }
  if (array_reserve((void **)&sc->entries, &sc->cap, sc->n + 1, sizeof *sc->entries, 16) != 0) {
    valkka_frame_free(copy);
    return;
  }
  if (!copy) copy = valkka_frame_new(picture->size);
  if (!copy || valkka_frame_copy(copy, picture) != 0) {
    valkka_frame_free(copy);
    return;
  }
  sc->entries[sc->n++] = (scrub_entry_t){.group = s->group,
                                         .id = s->id,
                                         .block = key->block,
                                         .seq = key->seq,
                                         .key_ms = key->mstime,
                                         .used = sc->serial,
                                         .frame = copy};
  sc->bytes += copy->size;
}

/* A decoder workers' job: stream i's keyframe, when the cache has not got it. */
static void decode_job(void *ctx, size_t i) {
  filecache_t *fc = ctx;
  const fc_scrub_t *sc = fc->scrub;
  if (sc->decode[i])
    fc->got[i] = fc_stream_decode_key(fc->streams[i], &fc->params.decoders, sc->keys[i]);
}

void fc_scrub_start(filecache_t *fc, int64_t t, int64_t now_us) {
  fc->scrubbing = fc->scrubbed = true;
  fc->scrub_target = t;
  fc->scrub_deadline_us = now_us + (int64_t)fc->params.seek_timeout_ms * 1000;
  fc->seeking = false; /* a scrub after a seek is the newer request */
  fc->steps = 0;
  fc->current = t;
  fc->have_playhead = true;
  fc->at_end = false;
  fc->mode = VALKKA_PLAYBACK_PAUSED;
  fc_windows_refresh(fc, false);
  /* Only the blocks of the keyframes: the blocks ahead are for playing, which waits for a seek. */
  fc_windows_request_ahead(fc, t, 0);
  fc->wiring_us = now_us;
}

/* The keyframe stream i shows at t, FC_NONE for none or one on screen already; the picture
   into s->picture from the cache (got[i]), else marked for a worker to decode. */
static void pick(filecache_t *fc, fc_scrub_t *sc, size_t i, int64_t t) {
  fc_stream_t *s = fc->streams[i];
  const fc_track_t *tr = &s->track;
  sc->keys[i] = FC_NONE;
  sc->decode[i] = fc->got[i] = false;
  if (fc_stream_is_audio(s)) return;
  size_t target = fc_track_last_at(tr, t);
  size_t key = target == FC_NONE ? FC_NONE : fc_track_keyframe_before(tr, target);
  if (key == FC_NONE) return;
  const fc_frame_t *k = &tr->frames[key];
  if (s->shown && s->shown_ms == k->mstime + k->pts_offset) return;
  sc->keys[i] = key;
  scrub_entry_t *e = find(sc, s, k);
  if (e && valkka_frame_copy(s->picture, e->frame) == 0) {
    e->used = sc->serial;
    fc->got[i] = true;
  } else {
    sc->decode[i] = true;
  }
}

bool fc_scrub_run(filecache_t *fc, int64_t now_us, int64_t *wake) {
  if (!fc_windows_ready(fc, INT64_MAX) && now_us < fc->scrub_deadline_us) {
    if (fc->scrub_deadline_us < *wake) *wake = fc->scrub_deadline_us;
    return false;
  }
  fc->scrubbing = false;
  const int64_t t = fc->scrub_target;
  fc->current = fc->presented_ms = t;
  fc_scrub_t *sc = scrub_state(fc);
  if (!sc) {
    LOG_ERROR("manager", "filecache: out of memory: scrub to %lld not shown", (long long)t);
    return true;
  }
  sc->serial++;
  for (size_t i = 0; i < fc->n_streams; i++) pick(fc, sc, i, t);
  decode_pool_run(fc->pool, fc->n_streams, decode_job, fc);
  size_t n = 0;
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc_stream_t *s = fc->streams[i];
    if (!fc->got[i]) continue;
    if (sc->decode[i]) keep(sc, s, &s->track.frames[sc->keys[i]], s->picture);
    s->picture->slot = s->read_slot;
    s->picture->stream_id = s->id;
    s->shown = true;
    s->shown_ms = s->picture->mstime;
    fc->batch[n++] = s;
  }
  fc_heartbeat(fc, now_us, t);
  fc_present_batch(fc, n);
  return true;
}
