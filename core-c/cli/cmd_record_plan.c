/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka record`: building the plan and checking it before anything is opened. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <valkka/fs.h>

#include "cmd_record.h"
#include "commands.h"

static int out_of_memory(void) { return cli_fail("record: out of memory"); }

/* Grows `*items` (of `size` bytes each) to hold one more than `n`. */
static int grow(void **items, size_t n, size_t size) {
  void *grown = realloc(*items, (n + 1) * size);
  if (!grown) return -1;
  *items = grown;
  memset((char *)grown + n * size, 0, size);
  return 0;
}

int record_plan_fs(record_plan_t *plan, const char *dir, const char *origin, size_t *index) {
  char where[4096];
  if (!*dir)
    return cli_fail("record: %s: empty directory name",
                    record_plan_where(plan, origin, where, sizeof where));
  if (valkka_fs_is_remote(dir))
    return cli_fail("record: %s: an FS over HTTP is read-only: record on the recorder's own disk",
                    record_plan_where(plan, origin, where, sizeof where));
  /* A directory that exists is known by its real path; one still to be created, as written. */
  char *key = realpath(dir, NULL);
  if (!key) key = strdup(dir);
  if (!key) return out_of_memory();
  for (size_t i = 0; i < plan->n_fs; i++) {
    if (!strcmp(plan->fs[i].key, key)) {
      free(key);
      *index = i;
      return 0;
    }
  }
  if (grow((void **)&plan->fs, plan->n_fs, sizeof *plan->fs) != 0) {
    free(key);
    return out_of_memory();
  }
  record_fs_t *fs = &plan->fs[plan->n_fs];
  fs->key = key;
  fs->dir = strdup(dir);
  fs->origin = strdup(origin);
  plan->n_fs++; /* counted before the checks below, so record_plan_free releases it */
  if (!fs->dir || !fs->origin) return out_of_memory();
  *index = plan->n_fs - 1;
  return 0;
}

int record_plan_camera(record_plan_t *plan, const char *origin, const char *url, size_t fs,
                       record_camera_t **camera) {
  char where[4096];
  if (plan->n_cameras >= RECORD_MAX_CAMERAS)
    return cli_fail("record: %s: more than %u cameras (a recorded substream counts as one)",
                    record_plan_where(plan, origin, where, sizeof where), RECORD_MAX_CAMERAS);
  if (grow((void **)&plan->cameras, plan->n_cameras, sizeof *plan->cameras) != 0)
    return out_of_memory();
  record_camera_t *cam = &plan->cameras[plan->n_cameras++];
  cam->fs = fs;
  cam->origin = strdup(origin);
  cam->url = strdup(url);
  if (!cam->origin || !cam->url) return out_of_memory();
  *camera = cam;
  return 0;
}

const char *record_plan_where(const record_plan_t *plan, const char *origin, char *out,
                              size_t size) {
  if (!plan->config) return origin;
  if (snprintf(out, size, "config %s: %s", plan->config, origin) >= (int)size) out[size - 1] = 0;
  return out;
}

int record_plan_finish(record_plan_t *plan) {
  if (!plan->n_cameras) return cli_fail("record: no cameras to record");
  for (size_t i = 0; i < plan->n_cameras; i++) {
    record_camera_t *c = &plan->cameras[i];
    if (!c->stream_id) c->stream_id = (uint32_t)i + 1;
    if (c->no_audio)
      c->audio_id = 0;
    else if (!c->audio_id)
      c->audio_id = c->stream_id + RECORD_AUDIO_ID_BASE;
  }
  /* Index search stays exact only while a block names every stream in it (FORMAT.md). */
  for (size_t f = 0; f < plan->n_fs; f++) {
    size_t n = 0;
    for (size_t i = 0; i < plan->n_cameras; i++)
      if (plan->cameras[i].fs == f) n += plan->cameras[i].audio_id ? 2 : 1;
    if (n > VALKKA_FS_BLOCK_STREAMS)
      fprintf(stderr,
              "valkka: record: warning: %zu streams share FS %s; a block table entry names %d "
              "streams, so seeking may miss keyframes: split them over several FS\n",
              n, plan->fs[f].dir, VALKKA_FS_BLOCK_STREAMS);
  }
  return 0;
}

void record_plan_free(record_plan_t *plan) {
  for (size_t i = 0; i < plan->n_fs; i++) {
    free(plan->fs[i].dir);
    free(plan->fs[i].key);
    free(plan->fs[i].origin);
  }
  for (size_t i = 0; i < plan->n_cameras; i++) {
    record_camera_t *cam = &plan->cameras[i];
    free(cam->origin);
    free(cam->name);
    free(cam->url);
  }
  free(plan->fs);
  free(plan->cameras);
  valkka_config_free(plan->loaded);
  memset(plan, 0, sizeof *plan);
}
