/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s running parts, through the public ABI only: each FS of the plan opened (or
 * created) with its writer thread, one live pipeline whose cameras feed valkka_fs_sink, and the
 * status callback that reports each camera's state changes on stderr.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_log.h"
#include "cmd_record.h"
#include "commands.h"

struct record_session {
  const record_plan_t *plan;
  valkka_fs_t **fs; /* one per plan->fs, NULL until opened */
  valkka_live_t *live;
  _Atomic int64_t first_frame_us;
};

int64_t record_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Runs on the camera's source thread. The reason comes redacted from the live pipeline; the URL
 * is never printed. One line per event (cli_say), so lines of several cameras never interleave. */
static void on_status(void *user, const valkka_stream_status_t *st) {
  record_session_t *s = user;
  if (st->state == VALKKA_STREAM_STREAMING) {
    int64_t none = 0;
    atomic_compare_exchange_strong(&s->first_frame_us, &none, record_now_us());
  }
  const char *state = valkka_stream_state_name(st->state);
  const valkka_log_level_t level = st->state == VALKKA_STREAM_FAILED         ? VALKKA_LOG_ERROR
                                   : st->state == VALKKA_STREAM_RECONNECTING ? VALKKA_LOG_WARN
                                                                             : VALKKA_LOG_INFO;
  if (st->state == VALKKA_STREAM_RECONNECTING)
    cli_say(level, "record: %s: %s in %u ms (attempt %u): %s", st->name, state, st->retry_in_ms,
            st->attempt, st->reason);
  else if (*st->reason)
    cli_say(level, "record: %s: %s: %s", st->name, state, st->reason);
  else if (VALKKA_HAS_FIELD(st, valkka_stream_status_t, transport) && *st->transport)
    cli_say(level, "record: %s: %s over %s", st->name, state, st->transport);
  else
    cli_say(level, "record: %s: %s", st->name, state);
}

static bool holds_fs(const char *dir) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/valkkafs.json", dir);
  return stat(path, &st) == 0 || errno != ENOENT;
}

static int open_fs(const record_plan_t *plan, const record_fs_t *plan_fs, valkka_fs_t **fs) {
  int err = 0;
  if (plan_fs->create && !holds_fs(plan_fs->dir)) {
    valkka_fs_create_params_t p = {.struct_size = sizeof p,
                                   .kind = plan_fs->kind,
                                   .block_size = plan_fs->block_size,
                                   .n_blocks = plan_fs->n_blocks};
    if ((err = valkka_fs_create(plan_fs->dir, &p)))
      return record_fail_lib(plan, err, plan_fs->origin);
    cli_say(VALKKA_LOG_INFO, "record: created %s FS %s: %u blocks of %u bytes",
            plan_fs->kind == VALKKA_FS_SINGLE ? "single" : "multi", plan_fs->dir, p.n_blocks,
            p.block_size);
  }
  valkka_fs_open_params_t p = {.struct_size = sizeof p};
  if ((err = valkka_fs_open(plan_fs->dir, &p, fs)))
    return record_fail_lib(plan, err, plan_fs->origin);
  if ((err = valkka_fs_writer_start(*fs, NULL))) return record_fail_lib(plan, err, plan_fs->origin);
  return 0;
}

/*
 * The camera's streams by name in the FS's stream table, so that viewers and export find them;
 * its sound as a stream of its own, except in a SingleFS, which holds one stream.
 */
static int map_streams(record_session_t *s, uint32_t slot, bool *audio) {
  const record_camera_t *cam = &s->plan->cameras[slot];
  valkka_fs_t *fs = s->fs[cam->fs];
  char fallback[32];
  snprintf(fallback, sizeof fallback, "camera %u", slot);
  const char *name = cam->name ? cam->name : fallback;
  valkka_fs_info_t info = {.struct_size = sizeof info};
  *audio = cam->audio_id && valkka_fs_get_info(fs, &info) == 0 && info.kind == VALKKA_FS_MULTI;
  int err = valkka_fs_map(fs, slot, cam->stream_id);
  if (!err) err = valkka_fs_name_stream(fs, cam->stream_id, name, 0);
  if (!err && *audio) err = valkka_fs_map(fs, RECORD_MAX_CAMERAS + slot, cam->audio_id);
  if (!err && *audio) err = valkka_fs_name_stream(fs, cam->audio_id, name, cam->stream_id);
  return err;
}

static int add_camera(record_session_t *s, uint32_t slot) {
  const record_camera_t *cam = &s->plan->cameras[slot];
  valkka_fs_t *fs = s->fs[cam->fs];
  bool audio = false;
  int err = map_streams(s, slot, &audio);
  if (err) return record_fail_lib(s->plan, err, cam->origin);
  valkka_camera_t desc = {.struct_size = sizeof desc,
                          .slot = slot,
                          .name = cam->name,
                          .source = record_source_plugin(cam->url),
                          .url = cam->url,
                          .options = cam->options,
                          .n_options = cam->n_options,
                          .flags = audio ? VALKKA_CAMERA_AUDIO : 0,
                          .audio_slot = RECORD_MAX_CAMERAS + slot};
  if ((err = valkka_live_add_camera(s->live, &desc, valkka_fs_sink, fs)))
    return record_fail_lib(s->plan, err, cam->origin);
  return 0;
}

int record_session_start(const record_plan_t *plan, record_session_t **out) {
  record_session_t *s = calloc(1, sizeof *s);
  if (!s || !(s->fs = calloc(plan->n_fs, sizeof *s->fs))) {
    free(s);
    return cli_fail("record: out of memory");
  }
  s->plan = plan;
  *out = s;
  int status = record_check_sources(plan);
  for (size_t i = 0; i < plan->n_fs && !status; i++)
    status = open_fs(plan, &plan->fs[i], &s->fs[i]);
  if (!status && !(s->live = valkka_live_create(NULL)))
    status = record_fail_lib(plan, VALKKA_ENOMEM, "live pipeline");
  if (!status) valkka_live_set_status_callback(s->live, on_status, s);
  for (uint32_t i = 0; i < plan->n_cameras && !status; i++) status = add_camera(s, i);
  return status;
}

int64_t record_session_first_frame_us(record_session_t *s) {
  return atomic_load(&s->first_frame_us);
}

void record_session_status(record_session_t *s, record_status_t *out) {
  const record_plan_t *plan = s->plan;
  record_status_t st = {.cams = (uint32_t)plan->n_cameras};
  const int64_t first = atomic_load(&s->first_frame_us);
  if (first) st.recording_ms = (record_now_us() - first) / 1000;
  for (uint32_t i = 0; i < plan->n_cameras; i++) {
    valkka_stream_stats_t cam = {.struct_size = sizeof cam};
    if (valkka_live_get_stats(s->live, i, &cam) == 0) {
      st.streaming += cam.state == VALKKA_STREAM_STREAMING;
      st.failed += cam.state == VALKKA_STREAM_FAILED;
      st.ended += cam.state == VALKKA_STREAM_ENDED;
      st.frames += cam.frames;
      st.fps += cam.fps;
      st.dropped += cam.record_dropped;
    }
    /* The sink's refusals are already in record_dropped; the writer's own failures are not. */
    valkka_fs_stream_stats_t fs = {.struct_size = sizeof fs};
    if (valkka_fs_get_stream_stats(s->fs[plan->cameras[i].fs], plan->cameras[i].stream_id, &fs) ==
        0)
      st.dropped += fs.too_big + fs.errors;
  }
  for (size_t f = 0; f < plan->n_fs; f++) {
    valkka_fs_info_t info = {.struct_size = sizeof info};
    if (valkka_fs_get_info(s->fs[f], &info) != 0) continue;
    st.blocks_used += info.blocks_used;
    st.blocks_total += info.n_blocks;
    if (info.first_ms && (!st.first_ms || info.first_ms < st.first_ms)) st.first_ms = info.first_ms;
    if (info.last_ms > st.last_ms) st.last_ms = info.last_ms;
  }
  *out = st;
}

int record_session_writer_beats(record_session_t *s, size_t fs, uint64_t *beats) {
  valkka_fs_info_t info = {.struct_size = sizeof info};
  if (fs >= s->plan->n_fs || !s->fs[fs]) return -1;
  int err = valkka_fs_get_info(s->fs[fs], &info);
  /* A library older than ABI 1.2 has no count: it reads as a writer that never moves. */
  *beats = !err && VALKKA_HAS_FIELD(&info, valkka_fs_info_t, writer_beats) ? info.writer_beats : 0;
  return err ? -1 : 0;
}

void record_session_stop(record_session_t *s, uint64_t *written) {
  uint64_t frames = 0;
  if (!s) return;
  /* Sources first, so nothing arrives at a writer that is winding down. */
  valkka_live_destroy(s->live);
  for (size_t f = 0; f < s->plan->n_fs; f++) {
    if (!s->fs[f]) continue;
    valkka_fs_writer_stop(s->fs[f]);
    for (size_t i = 0; i < s->plan->n_cameras; i++) {
      valkka_fs_stream_stats_t st = {.struct_size = sizeof st};
      if (s->plan->cameras[i].fs == f &&
          valkka_fs_get_stream_stats(s->fs[f], s->plan->cameras[i].stream_id, &st) == 0)
        frames += st.frames;
    }
    valkka_fs_close(s->fs[f]);
  }
  free(s->fs);
  free(s);
  if (written) *written = frames;
}
