/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The input frames, read once through the source-file plugin (public plugin ABI) into memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static int keep(bench_frames_t *out, const valkka_frame_t *f) {
  valkka_frame_t *grown = realloc(out->frames, (out->n + 1) * sizeof *grown);
  if (!grown) return VALKKA_ENOMEM;
  out->frames = grown;
  valkka_frame_t *copy = &out->frames[out->n];
  *copy = *f;
  copy->internal = NULL;
  if (!(copy->data = malloc(f->size ? f->size : 1))) return VALKKA_ENOMEM;
  memcpy(copy->data, f->data, f->size);
  copy->capacity = f->size;
  out->n++;
  out->bytes += f->size;
  if (f->size > out->largest) out->largest = f->size;
  return 0;
}

int bench_frames_load(const char *path, bench_frames_t *out) {
  memset(out, 0, sizeof *out);
  valkka_plugins_load();
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, "source-file");
  if (!plugin) return VALKKA_ENOENT;
  const valkka_source_vtable_t *vt = plugin->vtable;
  const valkka_option_t options[] = {{"loop", "0"}, {"realtime", "0"}};
  void *source = NULL;
  int err = vt->open(valkka_host(), path, options, 2, &source);
  if (err) return err;
  valkka_frame_t *frame = valkka_frame_new(0);
  if (!frame) err = VALKKA_ENOMEM;
  while (!err && (err = vt->read(source, frame, 1000)) == 0) err = keep(out, frame);
  vt->close(source);
  valkka_frame_free(frame);
  return err == VALKKA_EOS && out->n ? 0 : err ? err : VALKKA_EOS;
}

void bench_frames_free(bench_frames_t *frames) {
  for (size_t i = 0; i < frames->n; i++) free(frames->frames[i].data);
  free(frames->frames);
  memset(frames, 0, sizeof *frames);
}
