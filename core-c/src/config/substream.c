/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A camera's substream ("substream", "sub_id") and which of its streams are recorded ("record"),
 * README.md's table "The config file": its own rules, so that parse.c stays the common fields'.
 */
#include <stdio.h>
#include <string.h>

#include <valkka/fs.h>

#include "config/config_internal.h"

/* The recorder names the substream "NAME/sub": the suffix must leave the name a valid one. */
#define SUB_SUFFIX_BYTES 4

static int parse_record(valkka_config_t *c, const char *field, json_t *v, config_camera_t *cam) {
  const char *text = json_string_value(v);
  if (text && !strcmp(text, "main"))
    cam->record = VALKKA_CONFIG_RECORD_MAIN;
  else if (text && !strcmp(text, "sub"))
    cam->record = VALKKA_CONFIG_RECORD_SUB;
  else if (text && !strcmp(text, "both"))
    cam->record = VALKKA_CONFIG_RECORD_MAIN | VALKKA_CONFIG_RECORD_SUB;
  else
    return config_bad(c, field, "expected \"main\", \"sub\" or \"both\"");
  if ((cam->record & VALKKA_CONFIG_RECORD_SUB) && !cam->substream)
    return config_bad(c, field, "\"%s\" records the substream, and \"substream\" is missing", text);
  return 0;
}

int config_parse_substream(valkka_config_t *c, const char *field, json_t *item,
                           config_camera_t *cam) {
  char name[96];
  json_t *v = json_object_get(item, "substream");
  if (v) {
    snprintf(name, sizeof name, "%s.substream", field);
    if (!json_is_string(v) || !*json_string_value(v))
      return config_bad(c, name, "expected a non-empty string (the camera's second URL)");
    if (!(cam->substream = strdup(json_string_value(v)))) return config_no_memory(c);
    if (cam->name && strlen(cam->name) + SUB_SUFFIX_BYTES >= VALKKA_FS_STREAM_NAME_MAX)
      return config_bad(c, name,
                        "the name is too long for its substream's \"NAME/sub\" (%d "
                        "bytes at most with a substream)",
                        VALKKA_FS_STREAM_NAME_MAX - 1 - SUB_SUFFIX_BYTES);
  }
  cam->record = VALKKA_CONFIG_RECORD_MAIN | (cam->substream ? VALKKA_CONFIG_RECORD_SUB : 0);
  if ((v = json_object_get(item, "record"))) {
    snprintf(name, sizeof name, "%s.record", field);
    int status = parse_record(c, name, v, cam);
    if (status) return status;
  }
  if ((v = json_object_get(item, "sub_id"))) {
    snprintf(name, sizeof name, "%s.sub_id", field);
    if (!cam->substream) return config_bad(c, name, "given, and \"substream\" is missing");
    if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > UINT32_MAX)
      return config_bad(c, name, "expected an integer from 1 to 4294967295");
    cam->sub_id = (uint32_t)json_integer_value(v);
    cam->has_sub_id = true;
  }
  return 0;
}
