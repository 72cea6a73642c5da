/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s running parts, through the public ABI only: each FS of the plan opened (or
 * created) with its writer thread, one live pipeline whose cameras feed valkka_fs_sink, and the
 * status callback that reports each camera's state changes on stderr and to status.json.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_log.h"
#include "cli_util.h"
#include "cli_time.h"
#include "cmd_record_session.h"
#include "commands.h"

const char *session_camera_name(const record_camera_t *cam, uint32_t slot, char *out, size_t size) {
  if (cam->name) return cam->name;
  snprintf(out, size, "camera %u", slot);
  return out;
}

/* Runs on the camera's source thread. The reason comes redacted from the live pipeline; the URL
 * is never printed. One line per event (cli_say), so lines of several cameras never interleave. */
static void on_status(void *user, const valkka_stream_status_t *st) {
  record_session_t *s = user;
  if (st->state == VALKKA_STREAM_STREAMING) {
    int64_t none = 0;
    atomic_compare_exchange_strong(&s->first_frame_us, &none, cli_mono_us());
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
  if (st->slot >= RECORD_MAX_CAMERAS) return;
  pthread_mutex_lock(&s->lock);
  session_state_t *cs = &s->cams[st->slot].state;
  cs->state = st->state;
  cs->retry_in_ms = st->state == VALKKA_STREAM_RECONNECTING ? st->retry_in_ms : 0;
  snprintf(cs->reason, sizeof cs->reason, "%s", st->reason);
  cs->since_ms = cli_wall_ms();
  pthread_mutex_unlock(&s->lock);
  record_statefile_poke(s->statefile);
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
  if ((err = valkka_fs_writer_start(*fs, NULL))) {
    valkka_fs_close(*fs);
    *fs = NULL;
    return record_fail_lib(plan, err, plan_fs->origin);
  }
  return 0;
}

int session_open_fs(record_session_t *s, const record_plan_t *plan, size_t plan_fs, size_t *index) {
  const record_fs_t *pfs = &plan->fs[plan_fs];
  valkka_fs_t *fs = NULL;
  int status = open_fs(plan, pfs, &fs);
  if (status) return status;
  /* Known by its real path from now on, as a reloaded plan will know it: it exists now. */
  char *key = realpath(pfs->dir, NULL), *dir = strdup(pfs->dir);
  if (!key) key = strdup(pfs->key);
  pthread_mutex_lock(&s->lock);
  session_fs_t *grown = key && dir ? realloc(s->fs, (s->n_fs + 1) * sizeof *s->fs) : NULL;
  if (grown) {
    s->fs = grown;
    s->fs[s->n_fs] = (session_fs_t){.key = key, .dir = dir, .fs = fs};
    *index = s->n_fs++;
  }
  pthread_mutex_unlock(&s->lock);
  if (grown) return 0;
  free(key);
  free(dir);
  valkka_fs_writer_stop(fs);
  valkka_fs_close(fs);
  return cli_fail("record: out of memory");
}

/* The frames the FS took since open, over every stream the session recorded into it. */
static uint64_t fs_written(const session_fs_t *f) {
  uint64_t frames = 0;
  for (size_t i = 0; i < f->n_ids; i++) {
    valkka_fs_stream_stats_t st = {.struct_size = sizeof st};
    if (valkka_fs_get_stream_stats(f->fs, f->ids[i], &st) == 0) frames += st.frames;
  }
  return frames;
}

/* Remembers `id` as one the session recorded into `f`, for fs_written. */
static int note_id(session_fs_t *f, uint32_t id) {
  for (size_t i = 0; i < f->n_ids; i++)
    if (f->ids[i] == id) return 0;
  uint32_t *grown = realloc(f->ids, (f->n_ids + 1) * sizeof *f->ids);
  if (!grown) return VALKKA_ENOMEM;
  grown[f->n_ids++] = id;
  f->ids = grown;
  return 0;
}

void session_close_fs(record_session_t *s, size_t index) {
  session_fs_t *f = &s->fs[index];
  if (!f->fs) return;
  valkka_fs_writer_stop(f->fs);
  s->written_closed += fs_written(f);
  pthread_mutex_lock(&s->lock);
  valkka_fs_t *fs = f->fs;
  f->fs = NULL;
  pthread_mutex_unlock(&s->lock);
  valkka_fs_close(fs);
}

/*
 * The camera's streams by name in the FS's stream table, so that viewers and export find them;
 * its sound as a stream of its own, except in a SingleFS, which holds one stream; a substream
 * recorded beside its main as "NAME/sub" of the main's id (the plan names it).
 */
static int map_streams(valkka_fs_t *fs, const record_camera_t *cam, uint32_t slot, bool *audio) {
  char fallback[32];
  const char *name = session_camera_name(cam, slot, fallback, sizeof fallback);
  valkka_fs_info_t info = {.struct_size = sizeof info};
  *audio = cam->audio_id && valkka_fs_get_info(fs, &info) == 0 && info.kind == VALKKA_FS_MULTI;
  int err = valkka_fs_map(fs, slot, cam->stream_id);
  if (!err) err = valkka_fs_name_stream(fs, cam->stream_id, name, cam->camera_id);
  if (!err && *audio) err = valkka_fs_map(fs, RECORD_MAX_CAMERAS + slot, cam->audio_id);
  if (!err && *audio) err = valkka_fs_name_stream(fs, cam->audio_id, name, cam->stream_id);
  return err;
}

int session_add_camera(record_session_t *s, const record_plan_t *plan, size_t index,
                       size_t fs_index, uint32_t slot) {
  const record_camera_t *cam = &plan->cameras[index];
  valkka_fs_t *fs = s->fs[fs_index].fs;
  bool audio = false;
  int err = map_streams(fs, cam, slot, &audio);
  if (!err) err = note_id(&s->fs[fs_index], cam->stream_id);
  if (!err && audio) err = note_id(&s->fs[fs_index], cam->audio_id);
  if (err) return record_fail_lib(plan, err, cam->origin);
  pthread_mutex_lock(&s->lock);
  s->cams[slot] =
      (session_cam_t){.spec = cam,
                      .fs = fs_index,
                      .state = {.state = VALKKA_STREAM_CONNECTING, .since_ms = cli_wall_ms()}};
  s->fs[fs_index].cameras++;
  pthread_mutex_unlock(&s->lock);
  valkka_camera_t desc = {.struct_size = sizeof desc,
                          .slot = slot,
                          .name = cam->name,
                          .source = cli_source_plugin(cam->url),
                          .url = cam->url,
                          .options = cam->options,
                          .n_options = cam->n_options,
                          .flags = audio ? VALKKA_CAMERA_AUDIO : 0,
                          .audio_slot = RECORD_MAX_CAMERAS + slot};
  if ((err = valkka_live_add_camera(s->live, &desc, valkka_fs_sink, fs))) {
    const int status = record_fail_lib(plan, err, cam->origin);
    session_remove_camera(s, slot);
    return status;
  }
  return 0;
}

void session_remove_camera(record_session_t *s, uint32_t slot) {
  session_cam_t *c = &s->cams[slot];
  if (!c->spec) return;
  valkka_live_remove_camera(s->live, slot); /* ENOENT when its add failed: nothing to stop */
  valkka_fs_t *fs = s->fs[c->fs].fs;
  valkka_fs_unmap(fs, slot);
  valkka_fs_unmap(fs, RECORD_MAX_CAMERAS + slot); /* ENOENT without audio */
  pthread_mutex_lock(&s->lock);
  s->fs[c->fs].cameras--;
  *c = (session_cam_t){0};
  pthread_mutex_unlock(&s->lock);
  record_statefile_poke(s->statefile);
}

int record_session_start(const record_plan_t *plan, record_session_t **out) {
  record_session_t *s = calloc(1, sizeof *s);
  if (!s) return cli_fail("record: out of memory");
  pthread_mutex_init(&s->lock, NULL);
  s->plan = plan;
  *out = s;
  size_t *fs_index = calloc(plan->n_fs + 1, sizeof *fs_index);
  int status = fs_index ? record_check_sources(plan) : cli_fail("record: out of memory");
  for (size_t i = 0; i < plan->n_fs && !status; i++)
    status = session_open_fs(s, plan, i, &fs_index[i]);
  if (!status && !(s->live = valkka_live_create(NULL)))
    status = record_fail_lib(plan, VALKKA_ENOMEM, "live pipeline");
  if (!status) status = record_statefile_start(s, &s->statefile);
  if (!status) valkka_live_set_status_callback(s->live, on_status, s);
  for (uint32_t i = 0; i < plan->n_cameras && !status; i++)
    status = session_add_camera(s, plan, i, fs_index[plan->cameras[i].fs], i);
  free(fs_index);
  return status;
}

int64_t record_session_first_frame_us(record_session_t *s) {
  return atomic_load(&s->first_frame_us);
}

void record_session_status(record_session_t *s, record_status_t *out) {
  record_status_t st = {0};
  const int64_t first = atomic_load(&s->first_frame_us);
  if (first) st.recording_ms = (cli_mono_us() - first) / 1000;
  /* Only the main thread changes the cameras and the FS: read here without the lock. */
  for (uint32_t i = 0; i < RECORD_MAX_CAMERAS; i++) {
    const session_cam_t *c = &s->cams[i];
    if (!c->spec) continue;
    st.cams++;
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
    if (valkka_fs_get_stream_stats(s->fs[c->fs].fs, c->spec->stream_id, &fs) == 0)
      st.dropped += fs.too_big + fs.errors;
  }
  for (size_t f = 0; f < s->n_fs; f++) {
    valkka_fs_info_t info = {.struct_size = sizeof info};
    if (!s->fs[f].fs || valkka_fs_get_info(s->fs[f].fs, &info) != 0) continue;
    st.blocks_used += info.blocks_used;
    st.blocks_total += info.n_blocks;
    if (info.first_ms && (!st.first_ms || info.first_ms < st.first_ms)) st.first_ms = info.first_ms;
    if (info.last_ms > st.last_ms) st.last_ms = info.last_ms;
  }
  *out = st;
}

int record_session_writer_beats(record_session_t *s, size_t index, uint64_t *beats,
                                const char **dir) {
  valkka_fs_info_t info = {.struct_size = sizeof info};
  /* session_open_fs appends and session_close_fs takes the handle away under the lock. */
  pthread_mutex_lock(&s->lock);
  const int open = index >= s->n_fs ? -1 : s->fs[index].fs != NULL;
  const int err = open == 1 ? valkka_fs_get_info(s->fs[index].fs, &info) : -1;
  if (open == 1) *dir = s->fs[index].dir; /* freed only by record_session_stop */
  pthread_mutex_unlock(&s->lock);
  /* A library older than ABI 1.2 has no count: it reads as a writer that never moves. */
  if (open == 1)
    *beats = !err && VALKKA_HAS_FIELD(&info, valkka_fs_info_t, writer_beats) ? info.writer_beats
                                                                             : 0;
  return open;
}

void record_session_stop(record_session_t *s, uint64_t *written) {
  if (!s) return;
  /* Sources first, so nothing arrives at a writer that is winding down. */
  record_statefile_halt(s->statefile); /* it reads the live cameras' counters */
  valkka_live_destroy(s->live);
  record_statefile_stop(s->statefile);
  for (size_t f = 0; f < s->n_fs; f++) {
    session_close_fs(s, f);
    free(s->fs[f].key);
    free(s->fs[f].dir);
    free(s->fs[f].ids);
  }
  if (written) *written = s->written_closed;
  if (s->owned) record_plan_free(s->owned);
  free(s->owned);
  free(s->fs);
  pthread_mutex_destroy(&s->lock);
  free(s);
}
