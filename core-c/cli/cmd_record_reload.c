/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record --config FILE` on SIGHUP: the config read again with the code that read it at
 * start, then the running session brought to it. A camera whose FS, stream id and everything it
 * was started with are unchanged goes on untouched (not a frame lost); one with the same FS and
 * stream id but anything else changed is restarted; cameras gone stop, new ones start; an FS the
 * new config adds is opened first, one no camera uses any more is closed last. A config that does
 * not load or check, or a new FS that does not open, changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_record_session.h"
#include "commands.h"

static bool same_text(const char *a, const char *b) {
  return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Everything a camera was started with, but its FS and stream id (matched before). */
static bool same_camera(const record_camera_t *a, const record_camera_t *b) {
  if (!same_text(a->url, b->url) || !same_text(a->name, b->name) || a->no_audio != b->no_audio ||
      a->audio_id != b->audio_id || a->camera_id != b->camera_id || a->n_options != b->n_options)
    return false;
  for (size_t i = 0; i < a->n_options; i++)
    if (strcmp(a->options[i].key, b->options[i].key) ||
        strcmp(a->options[i].value, b->options[i].value))
      return false;
  return true;
}

/* The session's FS whose key is `key`, open; SIZE_MAX when none. */
static size_t find_fs(const record_session_t *s, const char *key) {
  for (size_t i = 0; i < s->n_fs; i++)
    if (s->fs[i].fs && !strcmp(s->fs[i].key, key)) return i;
  return SIZE_MAX;
}

/* Each FS of `plan` as a session index in `index`, opening those the session lacks. On a failure
 * the ones it opened are closed again. */
static int open_new_fs(record_session_t *s, const record_plan_t *plan, size_t *index) {
  const size_t before = s->n_fs;
  int status = 0;
  for (size_t i = 0; i < plan->n_fs && !status; i++) {
    index[i] = find_fs(s, plan->fs[i].key);
    if (index[i] == SIZE_MAX && !(status = session_open_fs(s, plan, i, &index[i])))
      fprintf(stderr, "valkka: record: reload: FS %s opened\n", plan->fs[i].dir);
  }
  for (size_t i = before; status && i < s->n_fs; i++) session_close_fs(s, i);
  return status;
}

/* Whether session FS `i` is one of the plan's (`index` maps the plan's FS to the session's). */
static bool planned(const size_t *index, size_t n, size_t i) {
  for (size_t k = 0; k < n; k++)
    if (index[k] == i) return true;
  return false;
}

/* Brings the session to `plan`, which it then owns. */
static int apply(record_session_t *s, record_plan_t *plan) {
  size_t *fs_index = calloc(plan->n_fs + 1, sizeof *fs_index);
  if (!fs_index) return cli_fail("record: out of memory");
  int status = open_new_fs(s, plan, fs_index);
  if (status) {
    free(fs_index);
    return status;
  }
  /* slot_of[j]: the running slot new camera j continues or restarts in, or -1. */
  int slot_of[RECORD_MAX_CAMERAS];
  bool keep[RECORD_MAX_CAMERAS] = {0}, matched[RECORD_MAX_CAMERAS] = {0};
  for (size_t j = 0; j < plan->n_cameras; j++) {
    const record_camera_t *cam = &plan->cameras[j];
    slot_of[j] = -1;
    for (uint32_t slot = 0; slot < RECORD_MAX_CAMERAS && slot_of[j] < 0; slot++) {
      const session_cam_t *c = &s->cams[slot];
      if (c->spec && !matched[slot] && c->fs == fs_index[cam->fs] &&
          c->spec->stream_id == cam->stream_id) {
        slot_of[j] = (int)slot;
        matched[slot] = true;
        keep[slot] = same_camera(c->spec, cam);
      }
    }
  }
  /* The FS the new plan leaves out say their cameras stopped before those stop. */
  for (size_t i = 0; i < s->n_fs; i++)
    if (s->fs[i].fs && !planned(fs_index, plan->n_fs, i)) record_statefile_final(s, i);
  char name[32];
  for (uint32_t slot = 0; slot < RECORD_MAX_CAMERAS; slot++) {
    if (!s->cams[slot].spec || keep[slot]) continue;
    if (!matched[slot])
      fprintf(stderr, "valkka: record: reload: %s removed\n",
              session_camera_name(s->cams[slot].spec, slot, name, sizeof name));
    session_remove_camera(s, slot);
  }
  for (size_t j = 0; j < plan->n_cameras; j++) {
    int slot = slot_of[j];
    if (slot >= 0 && keep[slot]) {
      pthread_mutex_lock(&s->lock); /* the same camera, described by the plan that stays */
      s->cams[slot].spec = &plan->cameras[j];
      pthread_mutex_unlock(&s->lock);
      continue;
    }
    const bool restart = slot >= 0;
    if (!restart) slot = 0;
    while (slot < (int)RECORD_MAX_CAMERAS && s->cams[slot].spec) slot++;
    if (slot >= (int)RECORD_MAX_CAMERAS) continue; /* cannot happen: a plan holds at most that */
    /* A camera that does not start is named on stderr; the others go on. */
    if (!session_add_camera(s, plan, j, fs_index[plan->cameras[j].fs], (uint32_t)slot))
      fprintf(stderr, "valkka: record: reload: %s %s\n",
              session_camera_name(&plan->cameras[j], (uint32_t)slot, name, sizeof name),
              restart ? "restarted" : "added");
  }
  for (size_t i = 0; i < s->n_fs; i++) {
    if (!s->fs[i].fs || s->fs[i].cameras || planned(fs_index, plan->n_fs, i)) continue;
    session_close_fs(s, i);
    fprintf(stderr, "valkka: record: reload: FS %s closed\n", s->fs[i].dir);
  }
  free(fs_index);
  pthread_mutex_lock(&s->lock);
  record_plan_t *old = s->owned;
  s->plan = s->owned = plan;
  pthread_mutex_unlock(&s->lock);
  if (old) record_plan_free(old);
  free(old);
  record_statefile_poke(s->statefile);
  return 0;
}

int record_session_reload(record_session_t *s, const char *path) {
  record_plan_t *plan = calloc(1, sizeof *plan);
  if (!plan) return cli_fail("record: out of memory");
  fprintf(stderr, "valkka: record: SIGHUP: reading config %s again\n", path);
  int status = record_config_load(path, plan);
  if (!status) status = record_plan_finish(plan);
  if (!status) status = record_check_sources(plan);
  if (!status) status = apply(s, plan);
  if (status) {
    record_plan_free(plan);
    free(plan);
    uint32_t running = 0;
    for (uint32_t slot = 0; slot < RECORD_MAX_CAMERAS; slot++) running += s->cams[slot].spec != 0;
    fprintf(stderr,
            "valkka: record: SIGHUP: config %s refused (see above); the %u cameras recording go "
            "on unchanged\n",
            path, running);
  }
  return status;
}
