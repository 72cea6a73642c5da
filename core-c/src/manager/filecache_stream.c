#include <stdio.h>
#include <stdlib.h>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "manager/filecache_stream.h"
#include "base/log.h"
#include "util/frame_view.h"

#define SEND_TRIES 4

fc_stream_t *fc_stream_create(uint32_t group, uint32_t id, uint32_t read_slot,
                              valkka_frame_sink_fn output, void *output_user) {
  fc_stream_t *s = calloc(1, sizeof *s);
  if (!s || !(s->scratch = valkka_frame_new(0)) || !(s->picture = valkka_frame_new(0))) {
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
  valkka_frame_free(s->scratch);
  valkka_frame_free(s->picture);
  free(s);
}

void fc_stream_forget_shown(fc_stream_t *s) {
  s->shown = false;
  s->failed = false;
}

void fc_stream_reset_decoder(fc_stream_t *s) {
  if (s->decoder && s->fed) s->vt->flush(s->decoder);
  s->fed = false;
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

/* Takes every picture the decoder has; keeps the newest presentable one in s->picture. */
static bool receive_all(fc_stream_t *s) {
  bool got = false;
  while (s->vt->receive(s->decoder, s->scratch) == 0) {
    if (s->scratch->flags & VALKKA_FRAME_DECODE_ONLY) continue;
    valkka_frame_t *swap = s->picture;
    s->picture = s->scratch;
    s->scratch = swap;
    got = true;
  }
  return got;
}

static bool send(fc_stream_t *s, const fc_frame_t *f, bool decode_only, bool *got) {
  valkka_frame_t frame = frame_view(f->kind, f->codec,
                                    f->flags | (decode_only ? VALKKA_FRAME_DECODE_ONLY : 0),
                                    f->mstime, f->data, f->size);
  frame.slot = s->read_slot;
  frame.stream_id = s->id;
  int err = VALKKA_EAGAIN;
  /* EAGAIN: the decoder holds pictures that must be taken before it accepts more. */
  for (int tries = 0; err == VALKKA_EAGAIN && tries < SEND_TRIES; tries++) {
    err = s->vt->send(s->decoder, &frame);
    if (receive_all(s)) *got = true;
  }
  if (err) {
    s->decode_errors++;
    LOG_DEBUG("manager", "stream %u: decode at %lld: %s", s->id, (long long)f->mstime,
              valkka_last_error());
  }
  return err == 0;
}

/* codec-ffmpeg drains on an empty encoded frame; afterwards the decoder needs a flush. */
static bool drain(fc_stream_t *s) {
  valkka_frame_t empty = frame_view(VALKKA_FRAME_ENCODED, s->decoder_codec, 0, 0, NULL, 0);
  empty.slot = s->read_slot;
  empty.stream_id = s->id;
  bool got = false;
  if (s->vt->send(s->decoder, &empty) == 0) got = receive_all(s);
  s->vt->flush(s->decoder);
  s->fed = false;
  return got;
}

bool fc_stream_advance(fc_stream_t *s, const fc_decoder_choice_t *choice, int64_t t, bool final) {
  const fc_track_t *tr = &s->track;
  size_t target = fc_track_last_at(tr, t);
  if (target == FC_NONE) return false;
  const fc_frame_t *goal = &tr->frames[target];
  if (s->shown && s->shown_ms == goal->mstime) return false;
  if (final && s->failed && s->failed_goal_ms == goal->mstime && s->failed_n == tr->n) return false;
  /* Fed but held back by a decoder with reordering delay: it comes out with later frames. */
  if (!final && s->fed && s->fed_ms == goal->mstime) return false;
  size_t key = fc_track_keyframe_before(tr, target);
  size_t from;
  /* Going on is right whenever the decoder holds the frames before the goal; it is also the
     cheaper way unless a newer keyframe lies between. */
  bool resume = s->fed && s->decoder && s->decoder_codec == goal->codec &&
                s->fed_ms < goal->mstime && (key == FC_NONE || s->fed_ms >= tr->frames[key].mstime);
  if (resume) {
    /* The decoder already holds the GOP up to fed_ms: go on from the frame after it. */
    from = fc_track_last_at(tr, s->fed_ms) + 1;
  } else {
    if (key == FC_NONE) return false; /* nothing decodable at or before t is cached */
    if (!ensure_decoder(s, choice, tr->frames[key].codec)) {
      s->failed = final;
      s->failed_goal_ms = goal->mstime;
      s->failed_n = tr->n;
      return false;
    }
    if (s->fed) s->vt->flush(s->decoder);
    s->fed = false;
    from = key;
    size_t config = fc_track_config_before(tr, key);
    bool ignored = false;
    if (config != FC_NONE) send(s, &tr->frames[config], true, &ignored);
  }
  bool got = false;
  for (size_t i = from; i <= target; i++) {
    const fc_frame_t *f = &tr->frames[i];
    send(s, f, i < target, &got);
    if (f->kind == VALKKA_FRAME_ENCODED) {
      s->fed = true;
      s->fed_ms = f->mstime;
    }
  }
  if (!got && final) got = drain(s);
  if (!got) {
    /* Undecodable, or no keyframe: trying again before new frames arrive would only repeat it. */
    s->failed = final;
    s->failed_goal_ms = goal->mstime;
    s->failed_n = tr->n;
    return false;
  }
  s->failed = false;
  /* A decoder with reordering delay may hand out an earlier frame's picture: it is presented (the
     newest picture there is), and the goal counts as shown only once its own picture came. */
  s->picture->slot = s->read_slot;
  s->picture->stream_id = s->id;
  s->shown = true;
  s->shown_ms = s->picture->mstime;
  return true;
}
