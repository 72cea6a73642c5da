/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loaded config as the loader builds it (parse.c, ids.c) and the accessors read it. */
#ifndef VALKKA_CONFIG_INTERNAL_H
#define VALKKA_CONFIG_INTERNAL_H

#include <stdbool.h>

#include <jansson.h>
#include <valkka/config.h>

typedef struct config_fs {
  char *dir;   /* as written */
  char *key;   /* the real path of an existing directory, else `dir`: one FS per key */
  char *field; /* the field that first named it */
  bool create;
  uint32_t kind, block_size, n_blocks;
} config_fs_t;

typedef struct config_camera {
  char *field, *name, *url;
  char *substream; /* NULL when none */
  int32_t fs;
  uint32_t stream_id, audio_id, sub_id, record; /* record: VALKKA_CONFIG_RECORD_* */
  bool has_id, has_audio_id, has_sub_id, audio;
  valkka_option_t *options; /* keys and values owned */
  size_t n_options, cap_options;
} config_camera_t;

struct valkka_config {
  char *path; /* the file (or the name given with the text), for messages */
  char **warnings;
  size_t n_warnings, cap_warnings;
  config_fs_t *fs;
  size_t n_fs, cap_fs;
  config_camera_t *cameras;
  size_t n_cameras, cap_cameras;
};

/* parse.c: the JSON document into `config` (whose path is set). 0 or a negative code. */
int config_parse(valkka_config_t *config, json_t *root);

/* subst.c: `${NAME}` in every string value replaced by $CREDENTIALS_DIRECTORY/NAME's contents or
 * the environment variable NAME, `$$` by `$`. 0 or a negative code naming the field. */
int config_substitute(const valkka_config_t *config, json_t *root);

/* substream.c: "substream", "record" and "sub_id" of camera `cam` (its name already parsed). */
int config_parse_substream(valkka_config_t *config, const char *field, json_t *item,
                           config_camera_t *cam);

/* ids.c: fills in the default stream ids and refuses one used twice in an FS. */
int config_check_ids(valkka_config_t *config);

/* Sets "config PATH: FIELD: WHAT" as the last error and returns VALKKA_EINVAL. */
int config_bad(const valkka_config_t *config, const char *field, const char *fmt, ...)
    VALKKA_PRINTF(3, 4);

/* Sets "config PATH: out of memory" and returns VALKKA_ENOMEM. */
int config_no_memory(const valkka_config_t *config);

#endif
