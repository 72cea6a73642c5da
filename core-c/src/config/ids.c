/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A config's stream ids: camera i is stream i + 1 and its sound 1000 + that unless the config
 * says otherwise, and no id is used twice in one FS (every camera without an FS shares one).
 */
#include <stdio.h>

#include "config/config_internal.h"

/* The FS as messages name it. */
static const char *fs_name(const valkka_config_t *c, int32_t fs) {
  return fs == VALKKA_CONFIG_NO_FS ? "(the default)" : c->fs[fs].dir;
}

static int set_defaults(valkka_config_t *c) {
  for (size_t i = 0; i < c->n_cameras; i++) {
    config_camera_t *cam = &c->cameras[i];
    if (!cam->has_id) cam->stream_id = (uint32_t)i + 1;
    if (!cam->audio) {
      cam->audio_id = 0;
    } else if (!cam->has_audio_id) {
      if (cam->stream_id > UINT32_MAX - VALKKA_CONFIG_AUDIO_ID_BASE)
        return config_bad(c, cam->field,
                          "stream id %u leaves no default \"audio_id\" (%u + id is past "
                          "4294967295): give one, or \"audio\": false",
                          cam->stream_id, VALKKA_CONFIG_AUDIO_ID_BASE);
      cam->audio_id = cam->stream_id + VALKKA_CONFIG_AUDIO_ID_BASE;
    }
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
  return status;
}
