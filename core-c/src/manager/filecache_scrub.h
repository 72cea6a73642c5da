/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Scrubbing on the file-cache thread (valkka_manager_scrub): every mapped video stream shows its
 * keyframe at or before the scrub time, decoded alone on the decoder workers, and the pictures
 * are kept in a cache bounded by memory (FC_SCRUB_CACHE_BYTES) keyed by the keyframe's block use,
 * so a drag back over the same stretch decodes nothing. A scrub waits for its blocks as a seek
 * does; a newer scrub replaces one still waiting. Thread: the cache thread only (no locks).
 */
#ifndef VALKKA_MANAGER_FILECACHE_SCRUB_H
#define VALKKA_MANAGER_FILECACHE_SCRUB_H

#include <stdbool.h>
#include <stdint.h>

typedef struct filecache filecache_t;
typedef struct fc_scrub fc_scrub_t;

/* Decoded keyframes kept for scrubbing, all streams together: about 46 pictures of 1280x720. */
#define FC_SCRUB_CACHE_BYTES (64u << 20)

/** Frees the scrub state and its cached pictures. NULL does nothing. */
void fc_scrub_free(fc_scrub_t *sc);

/** A scrub to `t` (already clamped) starts: the playhead moves there, its blocks are asked for. */
void fc_scrub_start(filecache_t *fc, int64_t t, int64_t now_us);

/**
 * Presents the scrub's keyframes once its blocks are in (or its seek timeout passed): true then,
 * false while it waits (*wake lowered to its deadline).
 */
bool fc_scrub_run(filecache_t *fc, int64_t now_us, int64_t *wake);

#endif
