/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The playback engine of the file-cache thread: commands, the intake merge, the clock, seeks and
 * steps, presentation in mstime order, the heartbeat and time-limits callbacks.
 */
#include <stdlib.h>

#include <valkka/error.h>

#include "manager/filecache_gaps.h"
#include "manager/filecache_internal.h"
#include "base/log.h"

#define HEARTBEAT_MAX_US 50000  /* the heartbeat's longest wall-clock period while playing */
#define WIRING_US 20000         /* tables and blocks around the playhead, while playing */
#define PAUSED_WIRING_US 250000 /* the same while paused: new data, an FS wrapping under us */
#define IDLE_US 250000

static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* 50 ms of wall time, and at most 50 ms of playback time: >= 20 heartbeats per playback second. */
static int64_t heartbeat_period_us(double speed) {
  if (speed <= 1.0) return HEARTBEAT_MAX_US;
  int64_t p = (int64_t)(HEARTBEAT_MAX_US / speed);
  return p < 1000 ? 1000 : p;
}

static void heartbeat(filecache_t *fc, int64_t now_us, int64_t t) {
  pthread_mutex_lock(&fc->inbox_lock);
  valkka_manager_time_fn cb = fc->time_cb;
  void *user = fc->time_user;
  fc->pub.current_ms = fc->seek_queued ? fc->seek_queued_t : t;
  pthread_mutex_unlock(&fc->inbox_lock);
  fc->hb_us = now_us;
  fc->hb_ms = t;
  fc->hb_sent = true;
  if (cb) cb(user, t);
}

void fc_heartbeat(filecache_t *fc, int64_t now_us, int64_t t) { heartbeat(fc, now_us, t); }

/* The next time something changes on screen: a frame decoded, or a decoded picture falling due. */
static int64_t next_frame_after(filecache_t *fc, int64_t t) {
  int64_t next = INT64_MAX;
  for (size_t i = 0; i < fc->n_streams; i++) {
    next = min64(next, fc_track_next_after(&fc->streams[i]->track, t));
    /* An early picture already due waits for the very next tick. */
    int64_t early = fc_stream_next_early(fc->streams[i]);
    if (early != INT64_MAX) next = min64(next, max64(early, t + 1));
  }
  return next;
}

/*
 * At the end of what is recorded the decoders still hold the pictures they keep for reordering
 * (B-frames): shown after the last frame's decode time. The latest of their times, or INT64_MIN.
 */
static int64_t finish_streams(filecache_t *fc) {
  int64_t tail = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc_stream_t *s = fc->streams[i];
    fc_stream_finish(s);
    if (s->n_early) tail = max64(tail, s->early[s->n_early - 1]->mstime);
  }
  return tail;
}

/* A job of a decoder workers' round: one video stream (fc->batch[j], in the round's order)
   brought to the round's time. Sound is left to the thread: its advance calls the output, which
   runs on the cache thread only. */
static void advance_job(void *ctx, size_t j) {
  filecache_t *fc = ctx;
  fc_stream_t *s = fc->batch[j];
  fc->got[j] = !fc_stream_is_audio(s) &&
               fc_stream_advance(s, &fc->params.decoders, fc->round_t, fc->round_final);
}

/* The streams in fc->batch, those with the most frames to decode by `t` first (stable): the
   workers take the jobs in this order, so the round does not end on one worker still decoding a
   long GOP prefix it took last while the other waits (a seek's prefixes run 1 to 50 frames). */
static void order_by_work(filecache_t *fc, int64_t t) {
  const bool workers = decode_pool_workers(fc->pool) > 1; /* one takes them all in any order */
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc_stream_t *s = fc->streams[i];
    s->round_work = workers ? fc_stream_frames_to(s, t) : 0;
    size_t j = i;
    for (; j > 0 && fc->batch[j - 1]->round_work < s->round_work; j--)
      fc->batch[j] = fc->batch[j - 1];
    fc->batch[j] = s;
  }
}

/* Brings every stream to `t` (the video ones on the decoder workers, all at once, the thread
   waiting) and hands out the new pictures in mstime order. */
static void present(filecache_t *fc, int64_t t, bool final) {
  size_t n = 0;
  const bool every = !final && fc->speed == VALKKA_MANAGER_SPEED_FAST;
  for (size_t i = 0; i < fc->n_streams; i++) fc->streams[i]->in_order = every;
  fc->round_t = t;
  fc->round_final = final;
  order_by_work(fc, t);
  decode_pool_run(fc->pool, fc->n_streams, advance_job, fc);
  for (size_t j = 0; j < fc->n_streams; j++) { /* batch[0 .. n) keeps those with a picture */
    fc_stream_t *s = fc->batch[j];
    if (fc_stream_is_audio(s))
      fc_stream_advance(s, &fc->params.decoders, t, final);
    else if (fc->got[j])
      fc->batch[n++] = s;
  }
  fc_present_batch(fc, n);
}

void fc_present_batch(filecache_t *fc, size_t n) {
  for (size_t i = 1; i < n; i++) { /* insertion sort: n is the number of streams */
    fc_stream_t *s = fc->batch[i];
    size_t j = i;
    while (j > 0 && (fc->batch[j - 1]->picture->mstime > s->picture->mstime ||
                     (fc->batch[j - 1]->picture->mstime == s->picture->mstime &&
                      fc->batch[j - 1]->read_slot > s->read_slot))) {
      fc->batch[j] = fc->batch[j - 1];
      j--;
    }
    fc->batch[j] = s;
  }
  for (size_t i = 0; i < n; i++) {
    fc_stream_t *s = fc->batch[i];
    fc->presented++;
    s->output(s->output_user, s->picture);
  }
}

static void start_seek(filecache_t *fc, int64_t t, int64_t now_us) {
  fc->seeking = true;
  fc->seek_target = t;
  fc->seek_deadline_us = now_us + (int64_t)fc->params.seek_timeout_ms * 1000;
  fc->current = t;
  fc->have_playhead = true;
  fc->at_end = false;
  fc->steps = 0;
  fc_step_forget(fc);
  fc->scrubbing = fc->scrubbed = false;
  for (size_t i = 0; i < fc->n_streams; i++) fc_stream_forget_shown(fc->streams[i]);
  fc_windows_refresh(fc, true);
  fc_windows_request(fc, t);
  fc->wiring_us = now_us;
}

/* The playhead fell before the oldest recorded data (an FS wrapped under it): go there. */
static bool follow_wrap(filecache_t *fc, int64_t now_us) {
  if (!fc->have_playhead || fc->mode == VALKKA_PLAYBACK_STOPPED) return false;
  int64_t first = 0, last = 0;
  fc_windows_range(fc, &first, &last);
  int64_t at = fc->seeking ? fc->seek_target : fc->current;
  if (!first || at >= first) return false;
  LOG_INFO("manager", "playhead %lld is no longer recorded (overwritten): moving to %lld",
           (long long)at, (long long)first);
  start_seek(fc, first, now_us);
  return true;
}

/* readBlockTablesIf + reqBlocksIf for the playhead, at most every `period_us`. */
static bool wiring(filecache_t *fc, int64_t now_us, int64_t period_us) {
  if (now_us - fc->wiring_us < period_us) return false;
  fc->wiring_us = now_us;
  fc_windows_refresh(fc, false);
  if (follow_wrap(fc, now_us)) return true;
  fc_windows_request(fc, fc->current);
  return false;
}

static void add_stream(filecache_t *fc, fc_stream_t *s) {
  if (fc->n_streams == fc->cap_streams) {
    size_t cap = fc->cap_streams ? fc->cap_streams * 2 : 16;
    fc_stream_t **grown = realloc(fc->streams, cap * sizeof *grown);
    fc_stream_t **batch = grown ? realloc(fc->batch, cap * sizeof *batch) : NULL;
    bool *got = batch ? realloc(fc->got, cap * sizeof *got) : NULL;
    uint32_t *ids = got ? realloc(fc->ids, cap * sizeof *ids) : NULL;
    if (grown) fc->streams = grown;
    if (batch) fc->batch = batch;
    if (got) fc->got = got;
    if (!ids) {
      LOG_ERROR("manager", "filecache: out of memory: stream %u not played", s->id);
      fc_stream_destroy(s);
      return;
    }
    fc->ids = ids;
    fc->cap_streams = cap;
  }
  fc->streams[fc->n_streams++] = s;
  fc_windows_streams_changed(fc, s->group, true);
  if (fc->have_playhead && fc->mode != VALKKA_PLAYBACK_STOPPED)
    fc_windows_request(fc, fc->seeking ? fc->seek_target : fc->current);
}

static void remove_streams(filecache_t *fc, uint32_t group, bool one, uint32_t id) {
  size_t out = 0;
  for (size_t i = 0; i < fc->n_streams; i++) {
    fc_stream_t *s = fc->streams[i];
    if (s->group == group && (!one || s->id == id))
      fc_stream_destroy(s);
    else
      fc->streams[out++] = s;
  }
  fc->n_streams = out;
  fc_windows_streams_changed(fc, group, false);
}

/* The oldest recorded time of the mapped streams' FS, from tables read now if need be. */
static int64_t oldest(filecache_t *fc) {
  int64_t first = 0, last = 0;
  fc_windows_refresh(fc, true);
  fc_windows_range(fc, &first, &last);
  return first;
}

void fc_apply(filecache_t *fc, fc_cmd_t *cmd, int64_t now_us) {
  int64_t first = 0;
  switch (cmd->kind) {
    case FC_CMD_SEEK:
      start_seek(fc, cmd->t, now_us);
      if (fc->mode == VALKKA_PLAYBACK_STOPPED) fc->mode = VALKKA_PLAYBACK_PAUSED;
      break;
    case FC_CMD_PLAY:
      fc->speed = cmd->speed;
      if (!fc->have_playhead) {
        if (!(first = oldest(fc))) break; /* nothing recorded (any more) */
        start_seek(fc, first, now_us);
      } else if ((fc->mode == VALKKA_PLAYBACK_STOPPED || fc->scrubbed) && !fc->seeking) {
        /* Stop dropped the cache: load again. A scrub showed keyframes: the frames at t now. */
        start_seek(fc, fc->current, now_us);
      }
      fc->mode = VALKKA_PLAYBACK_PLAYING;
      fc->steps = 0;
      fc->anchor_ms = fc->current;
      fc->anchor_us = now_us;
      break;
    case FC_CMD_PAUSE:
      if (fc->mode == VALKKA_PLAYBACK_PLAYING) fc->mode = VALKKA_PLAYBACK_PAUSED;
      fc->at_end = false;
      break;
    case FC_CMD_STOP:
      fc->mode = VALKKA_PLAYBACK_STOPPED;
      fc->seeking = fc->scrubbing = fc->scrubbed = false;
      fc_scrub_free(fc->scrub);
      fc->scrub = NULL;
      fc->steps = 0;
      fc->at_end = false;
      fc_step_forget(fc);
      for (size_t i = 0; i < fc->n_streams; i++) {
        fc_stream_reset_decoder(fc->streams[i]);
        fc_track_clear(&fc->streams[i]->track);
        fc_stream_forget_shown(fc->streams[i]);
      }
      fc_windows_forget(fc);
      break;
    case FC_CMD_STEP:
      if (!fc->have_playhead) {
        if (!(first = oldest(fc))) break;
        start_seek(fc, first, now_us);
      } else if ((fc->mode == VALKKA_PLAYBACK_STOPPED || fc->scrubbed) && !fc->seeking) {
        start_seek(fc, fc->current, now_us);
      }
      fc->mode = VALKKA_PLAYBACK_PAUSED;
      fc->at_end = false;
      /* Opposite steps cancel out: back where it was, the pictures are those it showed. */
      fc->steps += (int32_t)cmd->t;
      fc->step_phase = 0; /* the step now first asks for its blocks anew */
      break;
    case FC_CMD_REQUEST: fc_windows_request(fc, cmd->t); break;
    case FC_CMD_REFRESH: fc_windows_refresh(fc, false); break;
    case FC_CMD_ADD_STREAM: add_stream(fc, cmd->stream); break;
    case FC_CMD_REMOVE_STREAM: remove_streams(fc, cmd->group, true, cmd->id); break;
    case FC_CMD_ADD_FS:
      if ((cmd->result = fc_windows_add(fc, cmd->window)) == 0) cmd->window = NULL;
      break;
    case FC_CMD_SCRUB: fc_scrub_start(fc, cmd->t, now_us); break;
    case FC_CMD_REMOVE_FS:
      remove_streams(fc, cmd->group, false, 0);
      cmd->window = fc_windows_remove(fc, cmd->group);
      break;
  }
}

void fc_merge(filecache_t *fc, fc_item_t *item) {
  if (item->marker) {
    fc_windows_block_done(fc, item);
    return;
  }
  fc_stream_t *s = NULL;
  if (fc_windows_hold(fc, item->group, item->frame.block, item->frame.seq))
    for (size_t i = 0; i < fc->n_streams && !s; i++)
      if (fc->streams[i]->group == item->group && fc->streams[i]->id == item->stream_id)
        s = fc->streams[i];
  /* Not taken (unwanted, unmapped, a duplicate, no memory): the payload is ours to free. */
  if (!s || fc_track_insert(&s->track, &item->frame) != 0) free(item->frame.data);
}

static void finish_seek(filecache_t *fc, int64_t now_us) {
  if (!fc_windows_ready(fc, fc->seek_target))
    LOG_INFO("manager", "seek to %lld: blocks still loading after %u ms; presenting what is cached",
             (long long)fc->seek_target, fc->params.seek_timeout_ms);
  fc->seeking = false;
  fc->current = fc->seek_target;
  heartbeat(fc, now_us, fc->current);
  present(fc, fc->current, true);
  fc->presented_ms = fc->current;
  fc->seeks++;
  fc->anchor_ms = fc->current;
  fc->anchor_us = now_us;
}

static int64_t play_tick(filecache_t *fc, int64_t now_us) {
  const int64_t period = heartbeat_period_us(fc->speed);
  if (wiring(fc, now_us, WIRING_US)) return now_us; /* wrapped: a seek started */
  int64_t first = 0, last = 0;
  fc_windows_range(fc, &first, &last);
  const int64_t horizon = fc_windows_horizon(fc);
  /* The end: the last decode time recorded, or the last picture the decoders still hold. */
  if (horizon == INT64_MAX && last) last = max64(last, finish_streams(fc));
  const int64_t bound = last ? min64(horizon, last) : fc->current;
  int64_t target = fc->anchor_ms + (int64_t)((double)(now_us - fc->anchor_us) * fc->speed / 1000.0);
  if (target >= bound) {
    /* The clock waits at the end of what is loaded (or recorded) and goes on from there. */
    target = max64(bound, fc->current);
    fc->anchor_ms = target;
    fc->anchor_us = now_us;
  }
  target = max64(target, fc->current);
  fc->current = target;
  bool due = next_frame_after(fc, fc->presented_ms) <= target;
  if ((due && (!fc->hb_sent || fc->hb_ms != target)) || now_us - fc->hb_us >= period)
    heartbeat(fc, now_us, target);
  if (due) present(fc, target, false);
  fc->presented_ms = target;
  /* A gap of every stream: jump it. */
  const int64_t next = next_frame_after(fc, target);
  const int64_t resume = fc_gap_resume(fc, target, next);
  if (resume) {
    start_seek(fc, resume, now_us);
    return now_us;
  }
  /* Not at the end while the decoders hold pictures still to show (the next tick shows them). */
  fc->at_end = last && target >= last && (horizon != INT64_MAX || finish_streams(fc) <= target);
  int64_t wake = fc->hb_us + period;
  if (next != INT64_MAX && next <= bound)
    wake =
        min64(wake, fc->anchor_us + (int64_t)((double)(next - fc->anchor_ms) * 1000.0 / fc->speed));
  return min64(wake, fc->wiring_us + WIRING_US);
}

/* VALKKA_MANAGER_SPEED_FAST: the clock goes from one frame time to the next at once. */
static int64_t fast_tick(filecache_t *fc, int64_t now_us) {
  if (wiring(fc, now_us, WIRING_US)) return now_us;
  int64_t first = 0, last = 0;
  fc_windows_range(fc, &first, &last);
  const int64_t horizon = fc_windows_horizon(fc);
  int64_t bound = last ? min64(horizon, last) : fc->current;
  /* All is loaded: a stream decoded to its end still has its decoder's last pictures to show. */
  if (horizon == INT64_MAX) bound = max64(bound, finish_streams(fc));
  const int64_t next = next_frame_after(fc, fc->current);
  if (next != INT64_MAX && next <= bound) {
    fc->current = next;
    fc->at_end = false;
    heartbeat(fc, now_us, next);
    present(fc, next, false);
    fc->presented_ms = next;
    return now_us;
  }
  if (next == INT64_MAX && horizon == INT64_MAX) {
    fc->current = max64(fc->current, last);
    fc->presented_ms = fc->current;
    fc->at_end = last != 0;
    if (!fc->hb_sent || fc->hb_ms != fc->current || now_us - fc->hb_us >= HEARTBEAT_MAX_US)
      heartbeat(fc, now_us, fc->current);
    return now_us + HEARTBEAT_MAX_US;
  }
  if (next == INT64_MAX && horizon > fc->current) {
    /* No further frame in the window: move the window past the empty stretch. */
    fc->current = horizon;
    fc->presented_ms = horizon;
    fc_windows_request(fc, fc->current);
    fc->wiring_us = now_us;
  }
  if (now_us - fc->hb_us >= HEARTBEAT_MAX_US) heartbeat(fc, now_us, fc->current);
  return now_us + WIRING_US; /* waiting for blocks: their arrival wakes the thread earlier */
}

static int64_t paused_tick(filecache_t *fc, int64_t now_us) {
  if (wiring(fc, now_us, PAUSED_WIRING_US)) return now_us;
  /* Frames that arrived late (a seek that timed out, a stream mapped while paused); not while
     a scrub's keyframes are on screen. */
  if (!fc->scrubbed) present(fc, fc->current, true);
  return fc->wiring_us + PAUSED_WIRING_US;
}

static void check_limits(filecache_t *fc) {
  int64_t first = INT64_MAX, last = INT64_MIN;
  for (size_t i = 0; i < fc->n_streams; i++) {
    const fc_track_t *t = &fc->streams[i]->track;
    if (!t->n) continue;
    first = min64(first, t->frames[0].mstime);
    last = max64(last, t->frames[t->n - 1].mstime);
  }
  if (first == INT64_MAX) first = last = 0;
  if (first == fc->lim_first && last == fc->lim_last) return;
  fc->lim_first = first;
  fc->lim_last = last;
  pthread_mutex_lock(&fc->inbox_lock);
  valkka_manager_time_limits_fn cb = fc->limits_cb;
  void *user = fc->limits_user;
  fc->pub.cached_first_ms = first;
  fc->pub.cached_last_ms = last;
  pthread_mutex_unlock(&fc->inbox_lock);
  if (cb) cb(user, first, last);
}

static int64_t run_engine(filecache_t *fc, int64_t now_us) {
  int64_t wake = now_us + IDLE_US;
  if (fc->scrubbing && !fc_scrub_run(fc, now_us, &wake)) return wake;
  if (fc->seeking) {
    /* The seek's pictures need the blocks up to its time; those ahead go on loading. */
    if (!fc_windows_ready(fc, fc->seek_target) && now_us < fc->seek_deadline_us)
      return min64(wake, fc->seek_deadline_us);
    finish_seek(fc, now_us);
  }
  while (fc->steps && !fc->seeking)
    if (!fc_step_run(fc, now_us, &wake)) return wake;
  switch (fc->mode) {
    case VALKKA_PLAYBACK_PLAYING:
      if (fc->speed < 0) return fc_reverse_tick(fc, now_us);
      return fc->speed == VALKKA_MANAGER_SPEED_FAST ? fast_tick(fc, now_us) : play_tick(fc, now_us);
    case VALKKA_PLAYBACK_PAUSED: return paused_tick(fc, now_us);
    default: return wake;
  }
}

int64_t fc_run(filecache_t *fc, int64_t now_us) {
  int64_t wake = run_engine(fc, now_us);
  check_limits(fc);
  return wake;
}

void fc_publish(filecache_t *fc) {
  uint64_t errors = 0;
  for (size_t i = 0; i < fc->n_streams; i++) errors += fc->streams[i]->decode_errors;
  pthread_mutex_lock(&fc->inbox_lock);
  valkka_manager_state_t *p = &fc->pub;
  p->state = fc->seeking ? VALKKA_PLAYBACK_SEEKING : fc->mode;
  p->speed = fc->speed;
  if (!fc->seek_queued) p->current_ms = fc->have_playhead ? fc->current : 0;
  p->presented_ms = fc->presented_ms;
  p->at_end = fc->at_end;
  p->streams = (uint32_t)fc->n_streams;
  p->seeks = fc->seeks;
  p->presented = fc->presented;
  p->decode_errors = errors;
  pthread_mutex_unlock(&fc->inbox_lock);
}

void fc_free_streams(filecache_t *fc) {
  for (size_t i = 0; i < fc->n_streams; i++) fc_stream_destroy(fc->streams[i]);
  fc->n_streams = 0;
}
