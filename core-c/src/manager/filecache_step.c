/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Frame steps on the file-cache thread (valkka_manager_step_by): every video stream moves by one
 * of its own pictures, forward or back, all together. After a step, as after a seek, every stream
 * shows its newest picture at or before the playhead (one with none there keeps its picture), and
 * the playhead is the latest picture shown. Forward, the playhead goes as far as it can before
 * any stream would show a second new picture; back, to the latest of the streams' previous
 * pictures. Streams of one frame rate and different phases thus each move by exactly one
 * picture; a slower stream moves when the playhead reaches its next (previous) picture, and a
 * stream in a gap of its recording keeps its picture until the playhead reaches the other side.
 * Back, the GOP of the picture to show is decoded once, on the decoder workers, into the stream's
 * picture cache (picture_cache.h); further steps back inside it copy from there.
 */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/filecache_internal.h"
#include "base/log.h"
#include "util/array.h"
#include "util/frame_view.h"

#define STEP_GAP_MS 1000
#define SEND_TRIES 4

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* The presentation time of the newest picture at or before `t` among the cached frames (its
   frame's index in *at), INT64_MIN when none. Reordering is local, as for advance. */
static int64_t newest_at(const fc_track_t *tr, int64_t t, size_t *at) {
  int64_t best = INT64_MIN;
  size_t last = fc_track_last_at(tr, t);
  for (size_t i = last == FC_NONE ? 0 : last + 1, seen = 0; i > 0 && seen < FC_REORDER_SCAN; i--) {
    const fc_frame_t *f = &tr->frames[i - 1];
    if (f->kind != VALKKA_FRAME_ENCODED) continue;
    seen++;
    const int64_t pts = f->mstime + f->pts_offset;
    if (pts <= t && pts > best) {
      best = pts;
      if (at) *at = i - 1;
    }
  }
  return best;
}

/* The presentation time of the first picture after `t` among the cached frames, INT64_MAX. */
static int64_t next_after(const fc_track_t *tr, int64_t t) {
  int64_t best = INT64_MAX;
  size_t i = fc_track_last_at(tr, t - VALKKA_PTS_OFFSET_MAX);
  for (i = i == FC_NONE ? 0 : i + 1; i < tr->n && tr->frames[i].mstime <= best; i++) {
    const fc_frame_t *f = &tr->frames[i];
    const int64_t pts = f->mstime + f->pts_offset;
    if (f->kind == VALKKA_FRAME_ENCODED && pts > t && pts < best) best = pts;
  }
  return best;
}

static bool is_video(const fc_stream_t *s) { return s->track.n && !fc_stream_is_audio(s); }

/* Whether the stream shows a picture at or before the playhead (not one it kept from later on, a
   stream with nothing at the playhead). */
static bool at_playhead(const filecache_t *fc, const fc_stream_t *s) {
  return is_video(s) && s->shown && s->shown_ms <= fc->current;
}

/* The newest picture of any stream at or before `t`: where the playhead goes for `t`. */
static int64_t settle(const filecache_t *fc, int64_t t) {
  int64_t best = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++)
    if (is_video(fc->streams[i])) best = max64(best, newest_at(&fc->streams[i]->track, t, NULL));
  return best;
}

/* Forward: the last moment before some stream would show a second new picture (so each shows
   its next one, or none when it is slower); with no stream two pictures on, the latest next
   picture. INT64_MAX: no stream has a picture further on. */
static int64_t forward_target(const filecache_t *fc) {
  int64_t before_second = INT64_MAX, latest_next = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const fc_stream_t *s = fc->streams[i];
    if (!is_video(s)) continue;
    const int64_t next = next_after(&s->track, at_playhead(fc, s) ? s->shown_ms : fc->current);
    if (next == INT64_MAX) continue;
    latest_next = max64(latest_next, next);
    const int64_t second = next_after(&s->track, next);
    if (second != INT64_MAX) before_second = min64(before_second, second - 1);
  }
  if (before_second != INT64_MAX) return before_second;
  return latest_next == INT64_MIN ? INT64_MAX : latest_next;
}

/* Back, where to load first: just before the earliest picture shown near the playhead (a stream
   in a gap of its recording, far behind, does not count). INT64_MIN: no stream shows one. */
static int64_t back_from(const filecache_t *fc) {
  int64_t latest = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++)
    if (at_playhead(fc, fc->streams[i])) latest = max64(latest, fc->streams[i]->shown_ms);
  int64_t earliest = latest;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const fc_stream_t *s = fc->streams[i];
    if (at_playhead(fc, s) && latest - s->shown_ms <= STEP_GAP_MS)
      earliest = min64(earliest, s->shown_ms);
  }
  return earliest == INT64_MIN ? INT64_MIN : earliest - 1;
}

/* Back: the latest of the streams' previous pictures (so each shows its previous one, or keeps
   its picture when it is slower). INT64_MIN: none has one. */
int64_t fc_step_back_target(const filecache_t *fc) {
  int64_t best = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const fc_stream_t *s = fc->streams[i];
    if (at_playhead(fc, s)) best = max64(best, newest_at(&s->track, s->shown_ms - 1, NULL));
  }
  return best;
}

/* Takes every picture the decoder gives into the stream's picture cache. */
static void receive_to_cache(filecache_t *fc, fc_stream_t *s) {
  while (s->vt->receive(s->decoder, s->scratch) == 0) {
    if (s->scratch->flags & VALKKA_FRAME_DECODE_ONLY) continue;
    if (picture_cache_take(&s->back, &s->scratch, fc->step_budget) != 0)
      LOG_WARN("manager", "stream %u: step back: %s", s->id, valkka_last_error());
  }
}

/* Sends one cached frame (EAGAIN: the pictures come out first) and takes what comes out. */
static void send_to_cache(filecache_t *fc, fc_stream_t *s, const fc_frame_t *f) {
  valkka_frame_t frame = fc_stream_view(s, f);
  int err = VALKKA_EAGAIN;
  for (int tries = 0; err == VALKKA_EAGAIN && tries < SEND_TRIES; tries++) {
    err = s->vt->send(s->decoder, &frame);
    receive_to_cache(fc, s);
  }
  if (err) s->decode_errors++;
}

/* Decodes cached frames key..last into the stream's picture cache, the decoder drained and
   flushed afterwards (the next advance starts at a keyframe). */
static void decode_gop(filecache_t *fc, fc_stream_t *s, size_t key, size_t last) {
  const fc_track_t *tr = &s->track;
  picture_cache_clear(&s->back);
  if (!fc_stream_open_decoder(s, &fc->params.decoders, tr->frames[key].codec)) return;
  fc_stream_reset_decoder(s);
  size_t config = fc_track_config_before(tr, key);
  if (config != FC_NONE) send_to_cache(fc, s, &tr->frames[config]);
  for (size_t i = key; i <= last; i++) send_to_cache(fc, s, &tr->frames[i]);
  valkka_frame_t empty = frame_view(VALKKA_FRAME_ENCODED, s->decoder_codec, 0, 0, NULL, 0);
  if (s->vt->send(s->decoder, &empty) == 0) receive_to_cache(fc, s);
  s->vt->flush(s->decoder);
  s->fed = false;
}

/* Job `i` of a step's round, on a decoder worker: stream i shows its picture at step_to[i]. */
static void step_job(void *ctx, size_t i) {
  filecache_t *fc = ctx;
  fc_stream_t *s = fc->streams[i];
  fc_step_job_t *j = &fc->step_jobs[i];
  j->moved = false;
  if (j->how == FC_STEP_STAY) return;
  if (j->how == FC_STEP_ADVANCE) {
    j->moved = fc_stream_advance(s, &fc->params.decoders, j->target, true);
    return;
  }
  if (!fc_stream_enter(s, "step")) return;
  if (j->how == FC_STEP_DECODE) decode_gop(fc, s, j->key, j->last);
  const valkka_frame_t *p = picture_cache_find(&s->back, j->to);
  if (p && valkka_frame_copy(s->picture, p) == 0) {
    s->picture->slot = s->read_slot;
    s->picture->stream_id = s->id;
    s->shown = true;
    s->shown_ms = p->mstime;
    s->failed = false;
    s->n_early = 0; /* they waited for a later playhead */
    j->moved = true;
  } else {
    LOG_WARN("manager", "stream %u: step: no picture for %lld", s->id, (long long)j->to);
  }
  fc_stream_leave(s);
}

/* What stream `s` does to show its newest picture at or before `target`. */
static void plan(filecache_t *fc, fc_stream_t *s, fc_step_job_t *j, int64_t target) {
  j->how = FC_STEP_STAY;
  j->target = target;
  if (!is_video(s)) return;
  size_t at = FC_NONE;
  j->to = newest_at(&s->track, target, &at);
  if (j->to == INT64_MIN || (s->shown && j->to == s->shown_ms)) return;
  if (picture_cache_find(&s->back, j->to)) {
    j->how = FC_STEP_CACHED;
  } else if (!s->shown || j->to > s->shown_ms) {
    j->how = FC_STEP_ADVANCE; /* on from where the decoder stands */
  } else {
    j->key = fc_track_keyframe_before(&s->track, at);
    j->last = fc_track_last_at(&s->track, j->to);
    if (j->key == FC_NONE) {
      LOG_INFO("manager", "stream %u: step back: no keyframe before %lld cached", s->id,
               (long long)j->to);
      return;
    }
    j->how = FC_STEP_DECODE;
  }
}

/* Each stream's share of the picture caches' bound. */
static uint64_t budget(const filecache_t *fc) {
  size_t video = 0;
  for (size_t i = 0; i < fc->n_streams; i++) video += is_video(fc->streams[i]);
  return fc->params.picture_cache_bytes / (video ? video : 1);
}

size_t fc_step_move(filecache_t *fc, int64_t target, bool descending, bool *decoded) {
  if (array_reserve((void **)&fc->step_jobs, &fc->cap_step_jobs, fc->n_streams,
                    sizeof *fc->step_jobs, 16)) {
    LOG_ERROR("manager", "step: out of memory");
    return 0;
  }
  fc->step_budget = budget(fc);
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc->streams[i]->in_order = false;
    plan(fc, fc->streams[i], &fc->step_jobs[i], target);
  }
  decode_pool_run(fc->pool, fc->n_streams, step_job, fc);
  size_t n = 0;
  *decoded = false;
  for (size_t i = 0; i < fc->n_streams; i++) {
    if (fc->step_jobs[i].how == FC_STEP_DECODE) *decoded = true;
    if (fc->step_jobs[i].moved) fc->batch[n++] = fc->streams[i];
  }
  for (size_t i = 1; i < n; i++) { /* insertion sort: n is the number of streams */
    fc_stream_t *s = fc->batch[i];
    size_t k = i;
    for (; k > 0 && (fc->batch[k - 1]->shown_ms > s->shown_ms) != descending &&
           fc->batch[k - 1]->shown_ms != s->shown_ms;
         k--)
      fc->batch[k] = fc->batch[k - 1];
    fc->batch[k] = s;
  }
  for (size_t i = 0; i < n; i++) {
    fc->presented++;
    fc->batch[i]->output(fc->batch[i]->output_user, fc->batch[i]->picture);
  }
  return n;
}

/* The step is over (done, or nothing to step to): the playhead is told either way. */
static bool step_done(filecache_t *fc, int64_t now_us, bool all) {
  if (all)
    fc->steps = 0;
  else
    fc->steps += fc->steps > 0 ? -1 : 1;
  fc->step_phase = FC_STEP_IDLE;
  fc->presented_ms = fc->current;
  fc->anchor_ms = fc->current;
  fc->anchor_us = now_us;
  fc_heartbeat(fc, now_us, fc->current);
  return true;
}

/* Asks for the blocks of every stream's GOP at `t` and those after it (window.h). */
static void load(filecache_t *fc, int64_t t, fc_step_phase_t phase) {
  fc->step_phase = phase;
  fc_windows_request(fc, t);
}

bool fc_step_run(filecache_t *fc, int64_t now_us, int64_t *wake) {
  const bool forward = fc->steps > 0;
  if (fc->step_phase == FC_STEP_IDLE) {
    const int64_t from = forward ? fc->current : back_from(fc);
    if (from == INT64_MIN) return step_done(fc, now_us, true); /* nothing shown: no way back */
    fc->step_deadline_us = now_us + (int64_t)fc->params.seek_timeout_ms * 1000;
    fc->wiring_us = now_us;
    load(fc, from, FC_STEP_LOADING);
  }
  /* Past the deadline it goes on with what arrived, as a seek does. */
  const bool waiting = !fc_windows_ready(fc, INT64_MAX) && now_us < fc->step_deadline_us;
  if (!waiting && fc->step_phase == FC_STEP_LOADING) {
    fc->step_target = forward ? settle(fc, forward_target(fc)) : fc_step_back_target(fc);
    /* Nothing further, or nothing before (the ends of the recording): the step does nothing. */
    if (fc->step_target == INT64_MAX || fc->step_target == INT64_MIN)
      return step_done(fc, now_us, true);
    /* Back, the GOPs of the pictures at the target may begin before what is loaded. */
    if (!forward) {
      load(fc, fc->step_target, FC_STEP_LOADING_TARGET);
      return fc_step_run(fc, now_us, wake);
    }
    fc->step_phase = FC_STEP_LOADING_TARGET;
  }
  if (waiting) {
    *wake = min64(*wake, fc->step_deadline_us);
    return false;
  }
  bool decoded = false;
  if (!fc_step_move(fc, fc->step_target, false, &decoded) && fc->step_target == fc->current)
    return step_done(fc, now_us, true);
  fc->current = fc->step_target;
  return step_done(fc, now_us, false);
}

void fc_step_forget(filecache_t *fc) {
  fc->step_phase = FC_STEP_IDLE;
  for (size_t i = 0; i < fc->n_streams; i++) picture_cache_clear(&fc->streams[i]->back);
}
