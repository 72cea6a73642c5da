/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A config's stream ids: camera i is stream i + 1, its sound 1000 + that and its substream 2000 +
 * that unless the config says otherwise, and no id is used twice in one FS (every camera without
 * an FS shares one).
 */
#include <stdio.h>

#include "config/config_internal.h"

/* The FS as messages name it. */
static const char *fs_name(const valkka_config_t *c, int32_t fs) {
  return fs == VALKKA_CONFIG_NO_FS ? "(the default)" : c->fs[fs].dir;
}

/* `base` + the camera's id into `*id`, the default of its field `key`, unless past 32 bits. */
static int default_id(const valkka_config_t *c, const config_camera_t *cam, uint32_t base,
                      const char *key, const char *hint, uint32_t *id) {
  if (cam->stream_id > UINT32_MAX - base)
    return config_bad(c, cam->field,
                      "stream id %u leaves no default \"%s\" (%u + id is past 4294967295): "
                      "give one%s",
                      cam->stream_id, key, base, hint);
  *id = cam->stream_id + base;
  return 0;
}

static int set_defaults(valkka_config_t *c) {
  for (size_t i = 0; i < c->n_cameras; i++) {
    config_camera_t *cam = &c->cameras[i];
    if (!cam->has_id) cam->stream_id = (uint32_t)i + 1;
    if (!cam->audio) {
      cam->audio_id = 0;
    } else if (!cam->has_audio_id) {
      int status = default_id(c, cam, VALKKA_CONFIG_AUDIO_ID_BASE, "audio_id",
                              ", or \"audio\": false", &cam->audio_id);
      if (status) return status;
    }
    if (cam->substream && !cam->has_sub_id) {
      int status = default_id(c, cam, VALKKA_CONFIG_SUB_ID_BASE, "sub_id", "", &cam->sub_id);
      if (status) return status;
    }
  }
  return 0;
}

/* The substream's id of camera `i` against every other id of its FS, its own camera's too. */
static int check_sub_id(const valkka_config_t *c, size_t i) {
  const config_camera_t *a = &c->cameras[i];
  if (!a->substream) return 0;
  if (a->sub_id == a->stream_id || a->sub_id == a->audio_id)
    return config_bad(c, a->field, "\"sub_id\" %u is one of its other streams' ids", a->sub_id);
  for (size_t j = 0; j < c->n_cameras; j++) {
    const config_camera_t *b = &c->cameras[j];
    if (j == i || a->fs != b->fs) continue;
    if (a->sub_id == b->stream_id || a->sub_id == b->audio_id ||
        (b->substream && j < i && a->sub_id == b->sub_id))
      return config_bad(c, a->field,
                        "substream id %u is already used by %s in FS %s (give it another "
                        "\"sub_id\")",
                        a->sub_id, b->field, fs_name(c, a->fs));
  }
  return 0;
}

int config_check_ids(valkka_config_t *c) {
  int status = set_defaults(c);
  for (size_t i = 0; i < c->n_cameras && !status; i++) {
    const config_camera_t *a = &c->cameras[i];
    if (a->audio_id == a->stream_id)
      return config_bad(c, a->field, "\"audio_id\" %u is its video's \"id\"", a->audio_id);
    for (size_t j = 0; j < i; j++) {
      const config_camera_t *b = &c->cameras[j];
      if (a->fs != b->fs) continue;
      if (a->stream_id == b->stream_id)
        return config_bad(c, a->field,
                          "stream id %u is already %s's in FS %s (give each camera of an FS its "
                          "own \"id\")",
                          a->stream_id, b->field, fs_name(c, a->fs));
      if (a->audio_id && (a->audio_id == b->stream_id || a->audio_id == b->audio_id))
        return config_bad(c, a->field,
                          "audio stream id %u is already %s's in FS %s (give it another "
                          "\"audio_id\", or \"audio\": false)",
                          a->audio_id, b->field, fs_name(c, a->fs));
      if (b->audio_id && a->stream_id == b->audio_id)
        return config_bad(c, a->field, "stream id %u is already %s's audio in FS %s", a->stream_id,
                          b->field, fs_name(c, a->fs));
    }
  }
  for (size_t i = 0; i < c->n_cameras && !status; i++) status = check_sub_id(c, i);
  return status;
}
