/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <stdlib.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "manager/filecache_stream.h"
#include "base/log.h"
#include "util/frame_view.h"

#define SEND_TRIES 4

static uint64_t busy_collisions; /* __atomic builtins */

/* Claims the stream for the calling thread; false (logged, counted) when another holds it. */
static bool enter(fc_stream_t *s, const char *what) {
  if (!__atomic_exchange_n(&s->busy, 1, __ATOMIC_ACQUIRE)) return true;
  __atomic_add_fetch(&busy_collisions, 1, __ATOMIC_RELAXED);
  LOG_ERROR("manager", "stream %u: %s while another thread uses its decoder: refused", s->id, what);
  return false;
}

static void leave(fc_stream_t *s) { __atomic_store_n(&s->busy, 0, __ATOMIC_RELEASE); }

uint64_t fc_stream_busy_collisions(void) {
  return __atomic_load_n(&busy_collisions, __ATOMIC_RELAXED);
}

fc_stream_t *fc_stream_create(uint32_t group, uint32_t id, uint32_t read_slot,
                              valkka_frame_sink_fn output, void *output_user) {
  fc_stream_t *s = calloc(1, sizeof *s);
  bool ok = s && (s->scratch = valkka_frame_new(0)) && (s->picture = valkka_frame_new(0));
  for (uint32_t i = 0; ok && i < FC_EARLY; i++) ok = (s->early[i] = valkka_frame_new(0)) != NULL;
  if (!ok) {
    fc_stream_destroy(s);
    valkka_error_set(VALKKA_ENOMEM, "filecache: out of memory for stream %u", id);
    return NULL;
  }
  s->group = group;
  s->id = id;
  s->read_slot = read_slot;
  s->output = output;
  s->output_user = output_user;
  return s;
}

void fc_stream_destroy(fc_stream_t *s) {
  if (!s) return;
  if (s->decoder) s->vt->close(s->decoder);
  fc_track_clear(&s->track);
  picture_cache_free(&s->back);
  valkka_frame_free(s->scratch);
  valkka_frame_free(s->picture);
  for (uint32_t i = 0; i < FC_EARLY; i++) valkka_frame_free(s->early[i]);
  free(s);
}

void fc_stream_forget_shown(fc_stream_t *s) {
  s->shown = false;
  s->failed = false;
  s->n_early = 0; /* a seek: what waited for the old playhead is not what the new one shows */
}

void fc_stream_reset_decoder(fc_stream_t *s) {
  if (s->decoder && s->fed) s->vt->flush(s->decoder);
  s->fed = false;
  s->n_early = 0; /* pictures of what the decoder held: a seek or a new GOP decodes them again */
}

static int open_with(fc_stream_t *s, const valkka_decoder_vtable_t *vt, uint32_t codec,
                     const fc_decoder_choice_t *choice) {
  char threads[16];
  snprintf(threads, sizeof threads, "%u", choice->threads ? choice->threads : 1);
  const valkka_option_t options[] = {{"threads", threads}};
  void *instance = NULL;
  int err = vt->open(valkka_host(), codec, options, 1, &instance);
  if (err) return err;
  s->vt = vt;
  s->decoder = instance;
  s->decoder_codec = codec;
  return 0;
}

/* An open decoder for `codec`, reopened when the codec changed; false when none opens. */
static bool ensure_decoder(fc_stream_t *s, const fc_decoder_choice_t *choice, uint32_t codec) {
  if (s->decoder && s->decoder_codec == codec) return true;
  if (s->decoder) s->vt->close(s->decoder);
  s->decoder = NULL;
  s->fed = false;
  int err = open_with(s, choice->vt, codec, choice);
  if (err == VALKKA_ENODEV && choice->fallback && choice->fallback != choice->vt)
    err = open_with(s, choice->fallback, codec, choice);
  if (err) {
    if (s->failed_codec != codec)
      LOG_WARN("manager", "stream %u: no decoder for %s: %s", s->id, valkka_codec_name(codec),
               valkka_last_error());
    s->failed_codec = codec;
    return false;
  }
  s->failed_codec = 0;
  return true;
}

/* Makes `*slot` the stream's picture to present (the old one becomes the spare). */
static void take_picture(fc_stream_t *s, valkka_frame_t **slot) {
  valkka_frame_t *swap = s->picture;
  s->picture = *slot;
  *slot = swap;
}

/* Makes the oldest early picture s->picture. */
static void take_first_early(fc_stream_t *s) {
  take_picture(s, &s->early[0]);
  valkka_frame_t *spare = s->early[0];
  for (uint32_t i = 1; i < s->n_early; i++) s->early[i - 1] = s->early[i];
  s->early[--s->n_early] = spare;
  s->taken = true;
}

/* Whether s->picture may take another picture due now: not while playing in order with one
   already taken this tick (that one is presented first, the other on the next tick). */
static bool may_take(const fc_stream_t *s) { return !(s->in_order && s->taken); }

/* Pictures due by `t` leave the early queue for s->picture, oldest first; true when one did. */
static bool take_due_early(fc_stream_t *s, int64_t t) {
  bool got = false;
  while (s->n_early && s->early[0]->mstime <= t && may_take(s)) {
    take_first_early(s);
    got = true;
  }
  return got;
}

/*
 * Takes every picture the decoder has. Pictures come out in presentation order: those due by `t`
 * replace s->picture in turn (the newest is presented), later ones wait in the early queue; when
 * it is full, its oldest is presented now rather than lost.
 */
static bool receive_all(fc_stream_t *s, int64_t t) {
  bool got = false;
  while (s->vt->receive(s->decoder, s->scratch) == 0) {
    if (s->scratch->flags & VALKKA_FRAME_DECODE_ONLY) continue;
    if (s->scratch->mstime <= t && !s->n_early && may_take(s)) {
      take_picture(s, &s->scratch);
      s->taken = true;
      got = true;
      continue;
    }
    if (s->n_early == FC_EARLY) {
      take_first_early(s);
      got = true;
    }
    valkka_frame_t *swap = s->early[s->n_early];
    s->early[s->n_early++] = s->scratch;
    s->scratch = swap;
    if (take_due_early(s, t)) got = true;
  }
  return got;
}

valkka_frame_t fc_stream_view(const fc_stream_t *s, const fc_frame_t *f) {
  valkka_frame_t frame = frame_view(f->kind, f->codec, f->flags, f->mstime, f->data, f->size);
  frame.pts_offset = f->pts_offset;
  frame.slot = s->read_slot;
  frame.stream_id = s->id;
  return frame;
}

/* `hidden`: the frame is decoded only to reach a later one (DECODE_ONLY): its picture, never
   shown, is not copied out of the decoder. */
static bool send(fc_stream_t *s, const fc_frame_t *f, int64_t t, bool hidden, bool *got) {
  valkka_frame_t frame = fc_stream_view(s, f);
  if (hidden) frame.flags |= VALKKA_FRAME_DECODE_ONLY;
  int err = VALKKA_EAGAIN;
  /* EAGAIN: the decoder holds pictures that must be taken before it accepts more. */
  for (int tries = 0; err == VALKKA_EAGAIN && tries < SEND_TRIES; tries++) {
    err = s->vt->send(s->decoder, &frame);
    if (receive_all(s, t)) *got = true;
  }
  if (err) {
    s->decode_errors++;
    LOG_DEBUG("manager", "stream %u: decode at %lld: %s", s->id, (long long)f->mstime,
              valkka_last_error());
  }
  return err == 0;
}

/* codec-ffmpeg drains on an empty encoded frame; afterwards the decoder needs a flush. */
static bool drain(fc_stream_t *s, int64_t t) {
  valkka_frame_t empty = frame_view(VALKKA_FRAME_ENCODED, s->decoder_codec, 0, 0, NULL, 0);
  empty.slot = s->read_slot;
  empty.stream_id = s->id;
  bool got = false;
  if (s->vt->send(s->decoder, &empty) == 0) got = receive_all(s, t);
  s->vt->flush(s->decoder);
  s->fed = false;
  return got;
}

/*
 * The presentation time the stream shows at `t`: the latest one <= t among the frames decoded up
 * to `target` (the last frame decoded by t). Reordering is local, so a look at the frames just
 * before the target finds it; INT64_MIN when none of them is due yet.
 */
static int64_t wanted_at(const fc_track_t *tr, size_t target, int64_t t) {
  int64_t want = INT64_MIN;
  for (size_t i = target + 1, seen = 0; i > 0 && seen < FC_REORDER_SCAN; i--) {
    const fc_frame_t *f = &tr->frames[i - 1];
    if (f->kind != VALKKA_FRAME_ENCODED) continue;
    seen++;
    int64_t shown_at = f->mstime + f->pts_offset;
    if (shown_at <= t && shown_at > want) want = shown_at;
  }
  return want;
}

static void mark_failed(fc_stream_t *s, bool final, const fc_frame_t *goal) {
  s->failed = final;
  s->failed_goal_ms = goal->mstime;
  s->failed_n = s->track.n;
}

/* Whether feeding up to `target` goes on after the frames the decoder holds (then `*next` is the
   frame after them; else it is left alone) rather than from `key` (the keyframe before the
   target, FC_NONE when none is cached). Going on is right whenever the decoder holds the frames
   before the goal; it is also the cheaper way unless a newer keyframe lies between. At a keyframe
   that comes right after the frames fed, going on also keeps the pictures the decoder holds back
   for reordering. */
static bool goes_on(const fc_stream_t *s, size_t target, size_t key, size_t *next) {
  const fc_track_t *tr = &s->track;
  const fc_frame_t *goal = &tr->frames[target];
  if (!(s->fed && s->decoder && s->decoder_codec == goal->codec && s->fed_ms < goal->mstime))
    return false;
  const size_t after = fc_track_last_at(tr, s->fed_ms) + 1;
  if (key != FC_NONE && s->fed_ms < tr->frames[key].mstime &&
      fc_track_encoded_from(tr, after) != key)
    return false;
  *next = after;
  return true;
}

/* Feeds the decoder up to `target`, from where it stands or from the keyframe before. Frames
   shown before `hide_before` are decoded only (a seek's GOP prefix: the picture of `want`
   replaces theirs in this round, drained for if need be). */
static bool feed(fc_stream_t *s, const fc_decoder_choice_t *choice, size_t target, int64_t t,
                 int64_t hide_before, bool final, bool *got) {
  const fc_track_t *tr = &s->track;
  const fc_frame_t *goal = &tr->frames[target];
  const size_t key = fc_track_keyframe_before(tr, target);
  size_t from = key;
  if (!goes_on(s, target, key, &from)) {
    if (key == FC_NONE) return false; /* nothing decodable at or before t is cached */
    if (!ensure_decoder(s, choice, tr->frames[key].codec)) {
      mark_failed(s, final, goal);
      return false;
    }
    fc_stream_reset_decoder(s);
    size_t config = fc_track_config_before(tr, key);
    bool ignored = false;
    if (config != FC_NONE) send(s, &tr->frames[config], t, false, &ignored);
  }
  for (size_t i = from; i <= target; i++) {
    const fc_frame_t *f = &tr->frames[i];
    send(s, f, t, f->kind == VALKKA_FRAME_ENCODED && f->mstime + f->pts_offset < hide_before, got);
    if (f->kind == VALKKA_FRAME_ENCODED) {
      s->fed = true;
      s->fed_ms = f->mstime;
    }
  }
  return true;
}

/*
 * Sound is not decoded here: its packets go to the output as they are, each once, as the clock
 * passes them. A seek starts it afresh at the new playhead.
 */
static void hand_audio(fc_stream_t *s, const fc_frame_t *f) {
  valkka_frame_t frame = frame_view(f->kind, f->codec, f->flags, f->mstime, f->data, f->size);
  frame.slot = s->read_slot;
  frame.stream_id = s->id;
  s->output(s->output_user, &frame);
}

/* The stream's CONFIG in force at `t` (the last one at or before it), or FC_NONE. */
static size_t audio_config_at(const fc_track_t *tr, int64_t t) {
  size_t found = FC_NONE;
  for (size_t i = 0; i < tr->n && tr->frames[i].mstime <= t; i++)
    if (tr->frames[i].kind == VALKKA_FRAME_CONFIG) found = i;
  return found;
}

static void advance_audio(fc_stream_t *s, int64_t t) {
  const fc_track_t *tr = &s->track;
  if (!s->shown) {
    /* From a seek: the output's decoder starts here and needs the configuration in force. */
    size_t config = audio_config_at(tr, t);
    if (config != FC_NONE) hand_audio(s, &tr->frames[config]);
    s->shown = true;
    s->shown_ms = t;
    return;
  }
  if (t <= s->shown_ms) {
    if (t < s->shown_ms) s->shown_ms = t; /* went back without a seek: from here on */
    return;
  }
  /* Everything at or before shown_ms went out already (a CONFIG there too: on the way, or as
     the one in force at the seek). */
  size_t last = fc_track_last_at(tr, s->shown_ms);
  for (size_t i = last == FC_NONE ? 0 : last + 1; i < tr->n && tr->frames[i].mstime <= t; i++)
    if (tr->frames[i].mstime > s->shown_ms) hand_audio(s, &tr->frames[i]);
  s->shown_ms = t;
}

bool fc_stream_is_audio(const fc_stream_t *s) {
  return s->track.n && valkka_codec_is_audio((valkka_codec_t)s->track.frames[0].codec);
}

static bool advance(fc_stream_t *s, const fc_decoder_choice_t *choice, int64_t t, bool final) {
  const fc_track_t *tr = &s->track;
  if (fc_stream_is_audio(s)) {
    advance_audio(s, t);
    return false;
  }
  size_t target = fc_track_last_at(tr, t);
  s->taken = false;
  bool got = take_due_early(s, t);
  if (target != FC_NONE) {
    const fc_frame_t *goal = &tr->frames[target];
    const int64_t want = wanted_at(tr, target, t);
    /* Shown already, or waiting in the early queue (the decoder may be drained since). */
    bool have_want = (s->shown && s->shown_ms >= want) || (got && s->picture->mstime >= want);
    /* A seek to the picture on screen: the decoder stands past it, the picture is still here. */
    if (!have_want && final && !s->shown && want != INT64_MIN &&
        s->picture->kind == VALKKA_FRAME_DECODED && s->picture->mstime == want)
      have_want = got = true;
    const bool retry_failed =
        !(final && s->failed && s->failed_goal_ms == goal->mstime && s->failed_n == tr->n);
    if (!have_want && !(s->fed && s->fed_ms == goal->mstime) && retry_failed)
      feed(s, choice, target, t, final ? want : INT64_MIN, final, &got);
    /* The picture due is still held for reordering: when it is needed now, drain for it. */
    bool due_shown = (got && s->picture->mstime >= want) || have_want;
    if (final && !due_shown && s->fed && want != INT64_MIN && drain(s, t)) got = true;
    if (final && !got && !have_want && want != INT64_MIN) mark_failed(s, final, goal);
  }
  if (!got) return false;
  s->failed = false;
  if (s->shown && s->picture->mstime <= s->shown_ms) return false; /* nothing newer to show */
  s->picture->slot = s->read_slot;
  s->picture->stream_id = s->id;
  s->shown = true;
  s->shown_ms = s->picture->mstime;
  return true;
}

bool fc_stream_advance(fc_stream_t *s, const fc_decoder_choice_t *choice, int64_t t, bool final) {
  if (!enter(s, "advance")) return false;
  bool got = advance(s, choice, t, final);
  leave(s);
  return got;
}

size_t fc_stream_frames_to(const fc_stream_t *s, int64_t t) {
  const fc_track_t *tr = &s->track;
  const size_t target = fc_track_last_at(tr, t);
  if (target == FC_NONE || fc_stream_is_audio(s)) return 0;
  if (s->fed && s->fed_ms == tr->frames[target].mstime) return 0; /* advance feeds nothing */
  const size_t key = fc_track_keyframe_before(tr, target);
  size_t from = key;
  goes_on(s, target, key, &from);
  return from == FC_NONE || from > target ? 0 : target - from + 1;
}

int64_t fc_stream_next_early(const fc_stream_t *s) {
  return s->n_early ? s->early[0]->mstime : INT64_MAX;
}

void fc_stream_finish(fc_stream_t *s) {
  if (!enter(s, "finish")) return;
  size_t last = fc_track_last_at(&s->track, INT64_MAX);
  /* The end of the recording: the pictures the decoder holds for reordering come out now, into
     the early queue, from which the next advance presents them when due. */
  if (s->decoder && s->fed && last != FC_NONE && s->track.frames[last].mstime == s->fed_ms)
    drain(s, INT64_MIN);
  leave(s);
}

bool fc_stream_enter(fc_stream_t *s, const char *what) { return enter(s, what); }

void fc_stream_leave(fc_stream_t *s) { leave(s); }

bool fc_stream_open_decoder(fc_stream_t *s, const fc_decoder_choice_t *choice, uint32_t codec) {
  return ensure_decoder(s, choice, codec);
}

bool fc_stream_decode_key(fc_stream_t *s, const fc_decoder_choice_t *choice, size_t key) {
  if (!enter(s, "scrub")) return false;
  const fc_track_t *tr = &s->track;
  bool got = false;
  if (ensure_decoder(s, choice, tr->frames[key].codec)) {
    /* A fresh decoder state each time: the keyframe alone, then drained (the picture a decoder
       holds back for reordering comes out) and flushed, so the next advance starts clean. */
    fc_stream_reset_decoder(s);
    s->taken = false;
    s->in_order = false;
    size_t config = fc_track_config_before(tr, key);
    bool ignored = false;
    if (config != FC_NONE) send(s, &tr->frames[config], INT64_MAX, false, &ignored);
    send(s, &tr->frames[key], INT64_MAX, false, &got);
    if (drain(s, INT64_MAX)) got = true;
    s->n_early = 0;
  }
  leave(s);
  return got;
}
