/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka play`: headless playback through the manager and the real decoder. One line per
 * presented frame, in presentation order (mstime order across streams).
 *
 * TIME is any form of cli_time.h; the range is said back on stderr in the local zone.
 * --speed is 0.25 .. 16 x real time, or "max" (also 0): as fast as decoding goes, for tests.
 * --audio lists the audio streams' packets too, as the playhead passes them (not decoded).
 * Playback ends at --to or at the end of the recorded data; exit status 0 (1: a failure, 2: a
 * usage error).
 */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include <valkka/valkka.h>

#include "cli_args.h"
#include "cli_time.h"
#include "cli_util.h"
#include "commands.h"

#define PLAY_USAGE                                                                               \
  "usage: valkka play --fs DIR [--fs DIR ...] --from TIME [--to TIME] [--speed X|max] [--json] " \
  "[--audio]"
#define MAX_FS 64
#define POLL_US 5000
#define STALL_SECONDS 10

typedef struct play_out {
  bool json;
  bool audio;
  int64_t to; /* 0: none */
  uint64_t lines;
} play_out_t;

/* The output callback, on the manager's file-cache thread. */
static int print_frame(void *user, const valkka_frame_t *frame) {
  play_out_t *out = user;
  if (out->to && frame->mstime > out->to) return 0;
  const bool key = (frame->flags & VALKKA_FRAME_KEYFRAME) != 0;
  const char *audio = valkka_codec_is_audio((valkka_codec_t)frame->codec)
                          ? valkka_codec_name((valkka_codec_t)frame->codec)
                          : NULL;
  if (audio && frame->kind != VALKKA_FRAME_ENCODED) return 0; /* packets only */
  if (audio && out->json) {
    json_t *line = json_pack("{s:I, s:I, s:s, s:i}", "stream", (json_int_t)frame->stream_id,
                             "mstime", (json_int_t)frame->mstime, "audio", audio, "bytes",
                             (int)frame->size);
    if (line) {
      json_dumpf(line, stdout, JSON_COMPACT);
      fputc('\n', stdout);
      json_decref(line);
    }
  } else if (audio) {
    char when[40];
    cli_iso_time(frame->mstime, when, sizeof when);
    printf("%s stream %u %s %u bytes\n", when, frame->stream_id, audio, frame->size);
  } else if (out->json) {
    json_t *line = json_pack("{s:I, s:I, s:b, s:i, s:i}", "stream", (json_int_t)frame->stream_id,
                             "mstime", (json_int_t)frame->mstime, "keyframe", key, "width",
                             (int)frame->width, "height", (int)frame->height);
    if (line) {
      json_dumpf(line, stdout, JSON_COMPACT);
      fputc('\n', stdout);
      json_decref(line);
    }
  } else {
    char when[40];
    cli_iso_time(frame->mstime, when, sizeof when);
    printf("%s stream %u %ux%u%s\n", when, frame->stream_id, frame->width, frame->height,
           key ? " key" : "");
  }
  out->lines++;
  return 0;
}

typedef struct play_args {
  const char *dirs[MAX_FS];
  int n_dirs;
  int64_t from, to;
  double speed;
  bool json;
  bool audio; /* --audio: the audio streams' packets are listed too */
} play_args_t;

static int parse_speed(const char *text, double *speed) {
  if (!strcasecmp(text, "max")) {
    *speed = VALKKA_MANAGER_SPEED_FAST;
    return 0;
  }
  char *end = NULL;
  errno = 0;
  double v = strtod(text, &end);
  if (errno || end == text || *end) return -1;
  if (v != VALKKA_MANAGER_SPEED_FAST &&
      (v < VALKKA_MANAGER_SPEED_MIN || v > VALKKA_MANAGER_SPEED_MAX))
    return -1;
  *speed = v;
  return 0;
}

/* The options as given; parse_args checks and converts them. */
typedef struct play_given {
  play_args_t *a;
  const char *from, *to;
} play_given_t;

static const struct option play_options[] = {{"fs", required_argument, NULL, 'f'},
                                             {"from", required_argument, NULL, 'F'},
                                             {"to", required_argument, NULL, 't'},
                                             {"speed", required_argument, NULL, 's'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"audio", no_argument, NULL, 'a'},
                                             {0}};

static int play_option(void *ctx, int opt, const char *value);
static int play_check(void *ctx);

static const cli_spec_t play_spec = {
    .name = "play",
    .usage = PLAY_USAGE,
    .help =
        "Plays the recordings of every stream in the FS from --from to --to (or the end of\n"
        "the data) through the decoder, one line per frame shown (--json: one object).\n"
        "--speed 0.25 .. 16, or max; --audio lists the audio streams' packets too.\n" CLI_TIME_HELP,
    .options = play_options,
    .usage_on_error = true,
    .max_operands = 0,
    .option = play_option,
    .check = play_check,
};

static int play_option(void *ctx, int opt, const char *value) {
  play_given_t *g = ctx;
  play_args_t *a = g->a;
  switch (opt) {
    case 'f':
      if (a->n_dirs == MAX_FS) return cli_value_error(&play_spec, "at most %d --fs", MAX_FS);
      a->dirs[a->n_dirs++] = value;
      break;
    case 'F': g->from = value; break;
    case 't': g->to = value; break;
    case 's':
      if (parse_speed(value, &a->speed))
        return cli_value_error(&play_spec, "--speed '%s': expected %g .. %g, or max", value,
                               VALKKA_MANAGER_SPEED_MIN, VALKKA_MANAGER_SPEED_MAX);
      break;
    case 'j': a->json = true; break;
    case 'a': a->audio = true; break;
  }
  return 0;
}

/* The options together, and the times converted (cli_time_arg prints its own one line). */
static int play_check(void *ctx) {
  play_given_t *g = ctx;
  play_args_t *a = g->a;
  if (!a->n_dirs || !g->from) return cli_usage_error(&play_spec, "--fs and --from are required");
  if (cli_time_arg("play", "--from", g->from, &a->from)) return CLI_USAGE;
  if (g->to && cli_time_arg("play", "--to", g->to, &a->to)) return CLI_USAGE;
  if (g->to && a->to < a->from) return cli_value_error(&play_spec, "--to is before --from");
  return 0;
}

/* Maps every stream each FS names; returns how many, or a negative code. */
static int map_streams(valkka_manager_t *m, valkka_fs_t *fs, play_out_t *out, uint32_t *next_slot) {
  valkka_fs_stream_info_t probe = {.struct_size = sizeof probe};
  int n = valkka_fs_get_streams(fs, &probe, 0);
  if (n <= 0) return n;
  valkka_fs_stream_info_t *streams = calloc((size_t)n, sizeof *streams);
  if (!streams) return VALKKA_ENOMEM;
  streams[0].struct_size = sizeof *streams;
  n = valkka_fs_get_streams(fs, streams, (uint32_t)n);
  int err = 0;
  for (int i = 0; i < n && !err; i++)
    if (out->audio || !valkka_codec_is_audio((valkka_codec_t)streams[i].codec))
      err = valkka_manager_map(m, fs, VALKKA_MANAGER_NO_SLOT, (*next_slot)++, streams[i].stream_id,
                               print_frame, out);
  free(streams);
  return err ? err : n;
}

static int64_t mono_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until playback reached `to` (0: the end of the data); 0, or non-zero after a stall. */
static int wait_done(valkka_manager_t *m, const play_args_t *a) {
  int64_t last_progress = mono_ms(), last_presented = -1;
  for (;;) {
    valkka_manager_state_t st = {.struct_size = sizeof st};
    valkka_manager_get_state(m, &st);
    if (st.state != VALKKA_PLAYBACK_SEEKING) {
      if (a->to && st.presented_ms >= a->to) return 0;
      if (st.at_end) return 0;
    }
    if (st.presented_ms != last_presented) {
      last_presented = st.presented_ms;
      last_progress = mono_ms();
    } else if (mono_ms() - last_progress > STALL_SECONDS * 1000) {
      return cli_fail("play: playback stalled at %" PRId64 " (no progress for %d s)",
                      st.presented_ms, STALL_SECONDS);
    }
    usleep(POLL_US);
  }
}

int cmd_play(int argc, char **argv) {
  play_args_t a = {.speed = 1.0};
  play_given_t given = {.a = &a};
  int status = 0;
  if (cli_args_parse(&play_spec, argc, argv, &given, &status) < 0) return status;
  valkka_manager_t *m = valkka_manager_create(NULL);
  if (!m) return cli_fail_code(VALKKA_ENOMEM, "play");
  play_out_t out = {.json = a.json, .audio = a.audio, .to = a.to};
  uint32_t next_slot = 0;
  int mapped = 0;
  for (int i = 0; i < a.n_dirs && !status; i++) {
    /* Read-only: a recorder may hold the FS; playback writes nothing. */
    valkka_fs_open_params_t open = {.struct_size = sizeof open, .flags = VALKKA_FS_READONLY};
    valkka_manager_fs_params_t fp = {.struct_size = sizeof fp,
                                     .flags = VALKKA_MANAGER_FS_NO_WRITER};
    valkka_fs_t *fs = NULL;
    int err = valkka_manager_open_fs(m, a.dirs[i], &open, &fp, &fs);
    if (!err && (err = map_streams(m, fs, &out, &next_slot)) >= 0) mapped += err, err = 0;
    if (err) status = cli_fail_code(err, a.dirs[i]);
  }
  if (!status && !mapped) status = cli_fail("play: nothing is recorded in the given FS");
  if (!status) cli_time_say_range("play", a.from, a.to);
  int err = 0;
  if (!status && (err = valkka_manager_seek(m, a.from)) != 0)
    status = cli_fail_code(err, "play: seek");
  if (!status && (err = valkka_manager_play(m, a.speed)) != 0) status = cli_fail_code(err, "play");
  if (!status) status = wait_done(m, &a);
  valkka_manager_destroy(m); /* no output runs after this */
  fflush(stdout);
  return status;
}
