/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka fs inspect`: the camera states a recorder publishes in the FS directory (status.json,
 * README.md "status.json"), shown beside what the FS holds. The file is the recorder's, read as
 * it is: a missing or unreadable one is simply not shown.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "cmd_fs_status.h"
#include "commands.h"

json_t *fs_status_load(valkka_fs_t *fs) {
  char *text = NULL;
  size_t len = 0;
  if (valkka_fs_load_file(fs, "status.json", &text, &len) != 0) return NULL;
  json_t *root = json_loadb(text, len, 0, NULL);
  valkka_fs_free_file(text);
  if (root && !json_is_object(root)) {
    json_decref(root);
    return NULL;
  }
  return root;
}

static const char *text_of(json_t *object, const char *key) {
  const char *text = json_string_value(json_object_get(object, key));
  return text ? text : "?";
}

void fs_status_print(valkka_fs_t *fs) {
  json_t *root = fs_status_load(fs);
  if (!root) return;
  json_t *rec = json_object_get(root, "recorder"), *cameras = json_object_get(root, "cameras");
  const char *stopped = json_string_value(json_object_get(rec, "stopped"));
  printf("  recorder    pid %lld, version %s, started %s, ",
         (long long)json_integer_value(json_object_get(rec, "pid")), text_of(rec, "version"),
         text_of(rec, "started"));
  if (stopped)
    printf("stopped %s\n", stopped);
  else
    printf("updated %s (a running recorder updates it every second)\n", text_of(rec, "updated"));
  printf("  cameras     %zu (status.json)\n", json_array_size(cameras));
  size_t i;
  json_t *cam;
  json_array_foreach(cameras, i, cam) {
    printf("    %-16s stream %lld: %s since %s, %.1f fps, %lld frames", text_of(cam, "name"),
           (long long)json_integer_value(json_object_get(cam, "stream_id")), text_of(cam, "state"),
           text_of(cam, "since"), json_number_value(json_object_get(cam, "fps")),
           (long long)json_integer_value(json_object_get(cam, "frames")));
    const char *reason = json_string_value(json_object_get(cam, "reason"));
    if (reason) printf(": %s", reason);
    putchar('\n');
  }
  json_decref(root);
}
