/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * decode_bench FILE [ROUNDS]: reads every frame of FILE through the source-file plugin into
 * memory (not counted), then decodes them ROUNDS times (default 3) with the codec-ffmpeg plugin,
 * one decoder thread, pictures copied out into valkka frames as the live pipeline gets them, and
 * prints the median round as one line:
 *   frames F pictures P wall W fps R cpu C
 * (CPU: the process's user + system time over the round).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <valkka/valkka.h>

#define MAX_ROUNDS 15

typedef struct frames {
  valkka_frame_t **list;
  size_t n, cap;
} frames_t;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu_s(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
         ru.ru_stime.tv_usec / 1e6;
}

static int fail(const char *what) {
  fprintf(stderr, "decode_bench: %s: %s\n", what, valkka_last_error());
  return 1;
}

static const void *vtable(valkka_plugin_kind_t kind, const char *name) {
  const valkka_plugin_t *plugin = valkka_plugin_find(kind, name);
  return plugin ? plugin->vtable : NULL;
}

/* Every CONFIG and ENCODED frame of the file, in order, copied. */
static int load(const char *path, frames_t *out) {
  const valkka_source_vtable_t *vt = vtable(VALKKA_PLUGIN_SOURCE, "source-file");
  if (!vt) return fail("no source-file plugin");
  const valkka_option_t options[] = {{"loop", "0"}, {"realtime", "0"}};
  void *src = NULL;
  if (vt->open(valkka_host(), path, options, 2, &src)) return fail(path);
  valkka_frame_t *frame = valkka_frame_new(0);
  int err;
  while (frame && (err = vt->read(src, frame, 1000)) != VALKKA_EOS) {
    if (err == VALKKA_ETIMEDOUT) continue;
    if (err) break;
    if (out->n == out->cap) {
      size_t cap = out->cap ? 2 * out->cap : 1024;
      valkka_frame_t **grown = realloc(out->list, cap * sizeof *grown);
      if (!grown) break;
      out->list = grown;
      out->cap = cap;
    }
    valkka_frame_t *copy = valkka_frame_new(0);
    if (!copy || valkka_frame_copy(copy, frame)) break;
    out->list[out->n++] = copy;
  }
  vt->close(src);
  valkka_frame_free(frame);
  return err == VALKKA_EOS ? 0 : fail("read");
}

typedef struct round {
  double wall, cpu;
  uint64_t pictures;
} round_t;

static int decode_round(const frames_t *frames, round_t *r) {
  const valkka_decoder_vtable_t *vt = vtable(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  if (!vt) return fail("no codec-ffmpeg plugin");
  const valkka_option_t options[] = {{"threads", "1"}};
  void *dec = NULL;
  valkka_frame_t *picture = valkka_frame_new(0);
  double wall0 = now_s(), cpu0 = cpu_s();
  if (!picture || vt->open(valkka_host(), frames->list[0]->codec, options, 1, &dec))
    return fail("open");
  r->pictures = 0;
  for (size_t i = 0; i < frames->n; i++) {
    int err = VALKKA_EAGAIN;
    for (int tries = 0; err == VALKKA_EAGAIN && tries < 4; tries++) {
      err = vt->send(dec, frames->list[i]);
      while (vt->receive(dec, picture) == 0) r->pictures++;
    }
    if (err) return fail("decode");
  }
  valkka_frame_t end = {.struct_size = sizeof end, .kind = VALKKA_FRAME_ENCODED};
  if (vt->send(dec, &end) == 0)
    while (vt->receive(dec, picture) == 0) r->pictures++;
  vt->close(dec);
  r->wall = now_s() - wall0;
  r->cpu = cpu_s() - cpu0;
  valkka_frame_free(picture);
  return 0;
}

static int by_wall(const void *a, const void *b) {
  double d = ((const round_t *)a)->wall - ((const round_t *)b)->wall;
  return d < 0 ? -1 : d > 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: decode_bench FILE [ROUNDS]\n");
    return 2;
  }
  int rounds = argc == 3 ? atoi(argv[2]) : 3;
  if (rounds < 1 || rounds > MAX_ROUNDS) {
    fprintf(stderr, "decode_bench: ROUNDS in 1..%d\n", MAX_ROUNDS);
    return 2;
  }
  valkka_plugins_load();
  frames_t frames = {0};
  if (load(argv[1], &frames)) return 1;
  if (!frames.n) return fail("no frames");
  uint64_t encoded = 0;
  for (size_t i = 0; i < frames.n; i++) encoded += frames.list[i]->kind == VALKKA_FRAME_ENCODED;
  round_t r[MAX_ROUNDS];
  for (int i = 0; i < rounds; i++)
    if (decode_round(&frames, &r[i])) return 1;
  qsort(r, (size_t)rounds, sizeof r[0], by_wall);
  const round_t *median = &r[rounds / 2];
  printf("frames %llu pictures %llu wall %.3f fps %.1f cpu %.3f\n", (unsigned long long)encoded,
         (unsigned long long)median->pictures, median->wall,
         (double)median->pictures / median->wall, median->cpu);
  for (size_t i = 0; i < frames.n; i++) valkka_frame_free(frames.list[i]);
  free(frames.list);
  return 0;
}
