/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The encoded frames the file-cache thread holds for one stream (a track), sorted by mstime with a
 * stream's CONFIG frame before the keyframe it shares an mstime with. Each frame remembers the
 * block (index and write sequence number) it was read from, so the cache can drop exactly the
 * blocks that left the window. Owned and used by the file-cache thread only: no locks.
 */
#ifndef VALKKA_MANAGER_FILECACHE_STORE_H
#define VALKKA_MANAGER_FILECACHE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct fc_frame {
  int64_t mstime;     /* decode time */
  int32_t pts_offset; /* presentation time - mstime */
  uint64_t seq;       /* write sequence number of the block use it came from */
  uint32_t block;     /* block index */
  uint32_t kind;      /* VALKKA_FRAME_ENCODED or _CONFIG */
  uint32_t flags;     /* VALKKA_FRAME_KEYFRAME */
  uint32_t codec;
  uint32_t size;
  uint8_t *data; /* malloc'd, owned by the track once inserted */
} fc_frame_t;

typedef struct fc_track {
  fc_frame_t *frames;
  size_t n, cap;
  uint64_t bytes; /* payload bytes held */
} fc_track_t;

/* "No such frame" for the index lookups. */
#define FC_NONE ((size_t)-1)

/**
 * Inserts `frame`, taking its data. Returns 1 when an equal frame (same mstime, kind and size) is
 * there already: the frame is not taken and the caller frees its data (a block read again as
 * it grows delivers its earlier frames again). 0 when inserted, VALKKA_ENOMEM.
 */
int fc_track_insert(fc_track_t *track, const fc_frame_t *frame);

/** Drops every frame for which keep(user, block, seq) is false. */
void fc_track_evict(fc_track_t *track, bool (*keep)(void *user, uint32_t block, uint64_t seq),
                    void *user);

/** Drops every frame and the array. */
void fc_track_clear(fc_track_t *track);

/** Index of the last ENCODED frame with mstime <= t, or FC_NONE. */
size_t fc_track_last_at(const fc_track_t *track, int64_t t);

/** Index of the first ENCODED frame at or after index `i`, or FC_NONE. */
size_t fc_track_encoded_from(const fc_track_t *track, size_t i);

/** Index of the last ENCODED keyframe at or before index `i`, or FC_NONE. */
size_t fc_track_keyframe_before(const fc_track_t *track, size_t i);

/** Index of the last CONFIG frame at or before index `i` (with no keyframe between), or FC_NONE. */
size_t fc_track_config_before(const fc_track_t *track, size_t i);

/** mstime of the first ENCODED frame with mstime > t, or INT64_MAX when none is cached. */
int64_t fc_track_next_after(const fc_track_t *track, int64_t t);

#endif
