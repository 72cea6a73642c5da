/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record --config FILE`: the library's config (config.h, README.md "The config file")
 * into a plan, and what only the command does with it: the warning about a file others can read,
 * the unknown keys on stderr, and refusing a camera with no FS (the kiosk has a default one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd_record.h"
#include "commands.h"

static void warn_access(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
    fprintf(stderr,
            "valkka: record: warning: config %s is readable by %s (mode %03o) and may hold "
            "camera passwords: chmod 600 it\n",
            path, st.st_mode & S_IROTH ? "everyone" : "its group", (unsigned)(st.st_mode & 0777));
}

/* The config's FS into the plan; `index[i]` is the plan's index of the config's FS i. */
static int plan_fs(const valkka_config_t *config, record_plan_t *plan, size_t *index) {
  for (size_t i = 0; i < valkka_config_fs_count(config); i++) {
    valkka_config_fs_t fs = {.struct_size = sizeof fs};
    valkka_config_fs(config, i, &fs);
    char where[4096];
    if (!strncmp(fs.field, "recorders", 9))
      return cli_fail("record: %s: recorders are for a viewer (valkka-kiosk) to show; valkka "
                      "record records cameras",
                      record_plan_where(plan, fs.field, where, sizeof where));
    int status = record_plan_fs(plan, fs.dir, fs.field, &index[i]);
    if (status) return status;
    record_fs_t *p = &plan->fs[index[i]];
    if (fs.create && !p->create) {
      p->create = true;
      p->kind = fs.kind;
      p->block_size = fs.block_size;
      p->n_blocks = fs.n_blocks;
    }
  }
  return 0;
}

/* One stream of config camera `c` into the plan: its main (`sub` false) or its substream. */
static int plan_stream(const valkka_config_camera_t *c, const size_t *fs_index, bool sub,
                       record_plan_t *plan) {
  const bool both = c->record == (VALKKA_CONFIG_RECORD_MAIN | VALKKA_CONFIG_RECORD_SUB);
  char origin[96];
  snprintf(origin, sizeof origin, "%s%s", c->field, sub ? ".substream" : "");
  record_camera_t *cam = NULL;
  const size_t main_slot = plan->n_cameras - (sub && both);
  int status = record_plan_camera(plan, origin, sub ? c->substream : c->url, fs_index[c->fs], &cam);
  if (status) return status;
  /* Beside its main, a substream is "NAME/sub" of the main's id; alone it is the camera's video. */
  char name[96];
  if (sub && both) {
    if (c->name)
      snprintf(name, sizeof name, "%s/sub", c->name);
    else
      snprintf(name, sizeof name, "camera %zu/sub", main_slot);
    if (!(cam->name = strdup(name))) return cli_fail("record: out of memory");
    cam->camera_id = c->stream_id;
  } else if (c->name && !(cam->name = strdup(c->name))) {
    return cli_fail("record: out of memory");
  }
  cam->stream_id = sub ? c->sub_id : c->stream_id;
  cam->no_audio = !c->audio || (sub && both); /* the sound is recorded once, from the main */
  cam->audio_id = cam->no_audio ? 0 : c->audio_id;
  cam->options = c->options; /* the config stays loaded with the plan */
  cam->n_options = c->n_options;
  return 0;
}

/* A camera's streams as "record" asks (a config from before substreams records the main). */
static int plan_camera(const valkka_config_camera_t *c, const size_t *fs_index,
                       record_plan_t *plan) {
  if (c->fs == VALKKA_CONFIG_NO_FS)
    return cli_fail("record: config %s: %s.fs: missing, and there is no top-level \"fs\" either",
                    plan->config, c->field);
  const uint32_t record = VALKKA_HAS_FIELD(c, valkka_config_camera_t, record) && c->substream
                              ? c->record
                              : VALKKA_CONFIG_RECORD_MAIN;
  int status = 0;
  if (record & VALKKA_CONFIG_RECORD_MAIN) status = plan_stream(c, fs_index, false, plan);
  if (!status && (record & VALKKA_CONFIG_RECORD_SUB)) status = plan_stream(c, fs_index, true, plan);
  return status;
}

int record_config_load(const char *path, record_plan_t *plan) {
  warn_access(path);
  valkka_config_t *config = NULL;
  if (valkka_config_load(path, &config) != 0) return cli_fail("record: %s", valkka_last_error());
  plan->loaded = config;
  for (size_t i = 0; i < valkka_config_warning_count(config); i++)
    fprintf(stderr, "valkka: record: %s\n", valkka_config_warning(config, i));
  plan->config = path;
  size_t *fs_index = calloc(valkka_config_fs_count(config) + 1, sizeof *fs_index);
  int status = fs_index ? plan_fs(config, plan, fs_index) : cli_fail("record: out of memory");
  for (size_t i = 0; i < valkka_config_camera_count(config) && !status; i++) {
    valkka_config_camera_t cam = {.struct_size = sizeof cam};
    valkka_config_camera(config, i, &cam);
    status = plan_camera(&cam, fs_index, plan);
  }
  free(fs_index);
  return status;
}
