/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka play`: headless playback through the manager and the real decoder. One line per
 * presented frame, in presentation order (mstime order across streams).
 *
 * TIME is any form of cli_time.h; the range is said back on stderr in the local zone.
 * --speed is 0.25 .. 16 x real time, or "max" (also 0): as fast as decoding goes, for tests;
 * -16 .. -0.25 plays backwards from --from (down to --to), frames in decreasing time.
 * --audio lists the audio streams' packets too, as the playhead passes them (not decoded).
 * Playback ends at --to or at the end of the recorded data; exit status 0 (1: a failure, 2: a
 * usage error). --live follows the newest frames of an FS another process records (play_live.h)
 * and says each frame's lag behind its record time.
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
#include "cli_remote.h"
#include "cli_time.h"
#include "cli_util.h"
#include "commands.h"
#include "play_live.h"

#define PLAY_USAGE                                                                         \
  "usage: valkka play --fs DIR [--fs DIR ...] (--from TIME [--to TIME] [--speed X|max] | " \
  "--live [--duration SECONDS]) [--json] [--audio] [--ca-file FILE] [--token-file FILE]"
#define MAX_FS 64
#define POLL_US 5000
#define STALL_SECONDS 10

typedef struct play_out {
  bool json;
  bool audio;
  int64_t to;     /* 0: none */
  bool backwards; /* a negative speed: `to` is the lowest time printed */
  uint64_t lines;
  play_lags_t *lags; /* --live: each frame's lag is said and counted */
  /* --live: the newest time printed of each read slot (the cache thread's alone). A follower
     never goes back: its seeks to the newest frame re-present each stream's picture there, which
     may be one printed already (a camera its restarted recorder has not begun yet). */
  int64_t printed[PLAY_LIVE_SLOTS];
} play_out_t;

/* The output callback, on the manager's file-cache thread. */
static int print_frame(void *user, const valkka_frame_t *frame) {
  play_out_t *out = user;
  if (out->to && (out->backwards ? frame->mstime < out->to : frame->mstime > out->to)) return 0;
  const bool key = (frame->flags & VALKKA_FRAME_KEYFRAME) != 0;
  const char *audio = valkka_codec_is_audio((valkka_codec_t)frame->codec)
                          ? valkka_codec_name((valkka_codec_t)frame->codec)
                          : NULL;
  if (audio && frame->kind != VALKKA_FRAME_ENCODED) return 0; /* packets only */
  if (out->lags && frame->slot < PLAY_LIVE_SLOTS) {
    if (frame->mstime <= out->printed[frame->slot]) return 0;
    out->printed[frame->slot] = frame->mstime;
  }
  const int64_t lag = out->lags ? cli_wall_ms() - frame->mstime : 0;
  if (out->lags && !audio) play_lags_add(out->lags, lag);
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
    if (line && out->lags) json_object_set_new(line, "lag_ms", json_integer(lag));
    if (line) {
      json_dumpf(line, stdout, JSON_COMPACT);
      fputc('\n', stdout);
      json_decref(line);
    }
  } else {
    char when[40];
    cli_iso_time(frame->mstime, when, sizeof when);
    if (out->lags)
      printf("%s stream %u %ux%u%s lag %" PRId64 " ms\n", when, frame->stream_id, frame->width,
             frame->height, key ? " key" : "", lag);
    else
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
  bool live;
  double duration; /* --live: seconds; 0 = until a signal */
  cli_remote_t remote;
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
  const double rate = v < 0 ? -v : v; /* negative: backwards */
  if (v != VALKKA_MANAGER_SPEED_FAST &&
      (rate < VALKKA_MANAGER_SPEED_MIN || rate > VALKKA_MANAGER_SPEED_MAX))
    return -1;
  *speed = v;
  return 0;
}

/* The options as given; parse_args checks and converts them. */
typedef struct play_given {
  play_args_t *a;
  const char *from, *to;
  bool speed;
} play_given_t;

static const struct option play_options[] = {{"fs", required_argument, NULL, 'f'},
                                             {"from", required_argument, NULL, 'F'},
                                             {"to", required_argument, NULL, 't'},
                                             {"speed", required_argument, NULL, 's'},
                                             {"json", no_argument, NULL, 'j'},
                                             {"audio", no_argument, NULL, 'a'},
                                             {"live", no_argument, NULL, 'l'},
                                             {"duration", required_argument, NULL, 'd'},
                                             CLI_REMOTE_OPTIONS,
                                             {0}};

static int play_option(void *ctx, int opt, const char *value);
static int play_check(void *ctx);

static const cli_spec_t play_spec = {
    .name = "play",
    .usage = PLAY_USAGE,
    .help =
        "Plays the recordings of every stream in the FS from --from to --to (or the end of\n"
        "the data) through the decoder, one line per frame shown (--json: one object).\n"
        "--speed 0.25 .. 16, or max; -16 .. -0.25 plays backwards from --from (down to --to),\n"
        "frames in decreasing time; --audio lists the audio streams' packets too.\n"
        "--live follows the newest frames of an FS another process records, at real time, each\n"
        "with its lag behind its record time (lag_ms), until SIGINT/SIGTERM or --duration\n"
        "SECONDS; the lag's median, 99th percentile and maximum go to stderr at the "
        "end.\n" CLI_TIME_HELP CLI_REMOTE_HELP,
    .options = play_options,
    .usage_on_error = true,
    .max_operands = 0,
    .option = play_option,
    .check = play_check,
};

static int play_option(void *ctx, int opt, const char *value) {
  play_given_t *g = ctx;
  play_args_t *a = g->a;
  if (cli_remote_option(&a->remote, opt, value)) return 0;
  switch (opt) {
    case 'f':
      if (a->n_dirs == MAX_FS) return cli_value_error(&play_spec, "at most %d --fs", MAX_FS);
      a->dirs[a->n_dirs++] = value;
      break;
    case 'F': g->from = value; break;
    case 't': g->to = value; break;
    case 's':
      g->speed = true;
      if (parse_speed(value, &a->speed))
        return cli_value_error(&play_spec, "--speed '%s': expected %g .. %g, -%g .. -%g, or max",
                               value, VALKKA_MANAGER_SPEED_MIN, VALKKA_MANAGER_SPEED_MAX,
                               VALKKA_MANAGER_SPEED_MAX, VALKKA_MANAGER_SPEED_MIN);
      break;
    case 'j': a->json = true; break;
    case 'a': a->audio = true; break;
    case 'l': a->live = true; break;
    case 'd': {
      char *end = NULL;
      errno = 0;
      a->duration = strtod(value, &end);
      if (errno || end == value || *end || !(a->duration > 0))
        return cli_value_error(&play_spec, "--duration '%s': expected seconds > 0", value);
      break;
    }
  }
  return 0;
}

/* The options together, and the times converted (cli_time_arg prints its own one line). */
static int play_check(void *ctx) {
  play_given_t *g = ctx;
  play_args_t *a = g->a;
  if (a->live && (g->from || g->to || g->speed))
    return cli_usage_error(&play_spec, "--live plays from the newest frame at real time: "
                                       "no --from, --to or --speed");
  if (!a->live && a->duration)
    return cli_usage_error(&play_spec, "--duration goes with --live (else --to)");
  if (!a->n_dirs) return cli_usage_error(&play_spec, "--fs is required");
  if (a->live) return 0;
  if (!g->from) return cli_usage_error(&play_spec, "--from (or --live) is required");
  if (cli_time_arg("play", "--from", g->from, &a->from)) return CLI_USAGE;
  if (g->to && cli_time_arg("play", "--to", g->to, &a->to)) return CLI_USAGE;
  if (g->to && a->speed >= 0 && a->to < a->from)
    return cli_value_error(&play_spec, "--to is before --from");
  if (g->to && a->speed < 0 && a->to > a->from)
    return cli_value_error(&play_spec, "--to is after --from (backwards, --speed < 0)");
  return 0;
}

/* The streams mapped so far, by FS: --live maps those that begin after it started too. */
typedef struct play_mapped {
  uint32_t fs, id;
} play_mapped_t;

typedef struct play_maps {
  valkka_manager_t *m;
  valkka_fs_t **fs;
  const play_args_t *a;
  play_out_t *out;
  uint32_t next_slot;
  play_mapped_t *done;
  size_t n_done, cap_done;
} play_maps_t;

static bool is_mapped(const play_maps_t *pm, uint32_t fs, uint32_t id) {
  for (size_t i = 0; i < pm->n_done; i++)
    if (pm->done[i].fs == fs && pm->done[i].id == id) return true;
  return false;
}

static int map_one(play_maps_t *pm, uint32_t fs, uint32_t id) {
  if (pm->n_done == pm->cap_done) {
    size_t cap = pm->cap_done ? pm->cap_done * 2 : 16;
    play_mapped_t *grown = realloc(pm->done, cap * sizeof *grown);
    if (!grown) return VALKKA_ENOMEM;
    pm->done = grown;
    pm->cap_done = cap;
  }
  int err = valkka_manager_map(pm->m, pm->fs[fs], VALKKA_MANAGER_NO_SLOT, pm->next_slot++, id,
                               print_frame, pm->out);
  if (!err) pm->done[pm->n_done++] = (play_mapped_t){fs, id};
  return err;
}

/* Maps every stream FS `fs` names that is not mapped yet; returns how many, or a negative code. */
static int map_streams(play_maps_t *pm, uint32_t fs) {
  valkka_fs_stream_info_t *streams = NULL;
  const int n = cli_fs_streams(pm->fs[fs], &streams);
  if (n < 0) return n;
  int err = 0, added = 0;
  for (int i = 0; i < n && !err; i++) {
    if (is_mapped(pm, fs, streams[i].stream_id)) continue;
    if (pm->out->audio || !valkka_codec_is_audio((valkka_codec_t)streams[i].codec)) {
      err = map_one(pm, fs, streams[i].stream_id);
      added++;
    }
  }
  free(streams);
  return err ? err : added;
}

/* Waits until playback reached `to` (0: the end of the data); 0, or non-zero after a stall. */
static int wait_done(valkka_manager_t *m, const play_args_t *a) {
  int64_t last_progress = cli_mono_us() / 1000, last_presented = -1;
  for (;;) {
    valkka_manager_state_t st = {.struct_size = sizeof st};
    valkka_manager_get_state(m, &st);
    if (st.state != VALKKA_PLAYBACK_SEEKING) {
      /* Backwards, nothing presented yet (0) is not below --to. */
      if (a->to &&
          (a->speed < 0 ? st.presented_ms && st.presented_ms <= a->to : st.presented_ms >= a->to))
        return 0;
      if (st.at_end) return 0;
    }
    if (st.presented_ms != last_presented) {
      last_presented = st.presented_ms;
      last_progress = cli_mono_us() / 1000;
    } else if (cli_mono_us() / 1000 - last_progress > STALL_SECONDS * 1000) {
      return cli_fail("play: playback stalled at %" PRId64 " (no progress for %d s)",
                      st.presented_ms, STALL_SECONDS);
    }
    usleep(POLL_US);
  }
}

/* Opens every FS read-only (a recorder may hold it; playback writes nothing), following its
   writer for --live; the handles go to `fs`. */
static int open_all(valkka_manager_t *m, const play_args_t *a, valkka_fs_t **fs) {
  for (int i = 0; i < a->n_dirs; i++) {
    valkka_fs_open_params_t open = {.struct_size = sizeof open, .flags = VALKKA_FS_READONLY};
    cli_remote_params(&a->remote, &open);
    valkka_manager_fs_params_t fp = {.struct_size = sizeof fp,
                                     .flags = a->live ? VALKKA_MANAGER_FS_FOLLOW
                                                      : VALKKA_MANAGER_FS_NO_WRITER};
    int err = valkka_manager_open_fs(m, a->dirs[i], &open, &fp, &fs[i]);
    if (err) return cli_fail_code(err, a->dirs[i]);
  }
  return 0;
}

/* Maps what each FS holds now; a failure is printed and its status returned. */
static int map_all(play_maps_t *pm) {
  for (int i = 0; i < pm->a->n_dirs; i++) {
    int n = map_streams(pm, (uint32_t)i);
    if (n < 0) return cli_fail_code(n, pm->a->dirs[i]);
  }
  return pm->n_done ? 0 : cli_fail("play: nothing is recorded in the given FS");
}

/* play_live_run's look for streams begun since (a camera's first frame, a camera added). */
static int map_new(void *ctx) {
  play_maps_t *pm = ctx;
  for (int i = 0; i < pm->a->n_dirs; i++) {
    int n = map_streams(pm, (uint32_t)i);
    if (n < 0) return cli_fail_code(n, pm->a->dirs[i]);
  }
  return 0;
}

/* --live: waits for a first frame, follows. */
static int play_live(play_maps_t *pm) {
  const int64_t until =
      pm->a->duration > 0 ? cli_mono_us() / 1000 + (int64_t)(pm->a->duration * 1000.0) : INT64_MAX;
  if (!play_live_wait_recorded(pm->m, until)) return 0; /* stopped before anything was recorded */
  int status = map_all(pm);
  if (!status) status = play_live_run(pm->m, until, map_new, pm);
  return status;
}

static int play_range(play_maps_t *pm) {
  int status = map_all(pm);
  if (status) return status;
  cli_time_say_range("play", pm->a->from, pm->a->to);
  int err = valkka_manager_seek(pm->m, pm->a->from);
  if (err) return cli_fail_code(err, "play: seek");
  if ((err = valkka_manager_play(pm->m, pm->a->speed))) return cli_fail_code(err, "play");
  return wait_done(pm->m, pm->a);
}

int cmd_play(int argc, char **argv) {
  play_args_t a = {.speed = 1.0};
  play_given_t given = {.a = &a};
  int status = 0;
  if (cli_args_parse(&play_spec, argc, argv, &given, &status) < 0) return status;
  if (a.live) {
    play_live_block_signals();
    setvbuf(stdout, NULL, _IOLBF, 0); /* a reader of the pipe takes each frame as it comes */
  }
  play_lags_t *lags = a.live ? calloc(1, sizeof *lags) : NULL;
  valkka_manager_t *m = valkka_manager_create(NULL);
  if (!m || (a.live && !lags)) {
    valkka_manager_destroy(m);
    free(lags);
    return cli_fail_code(VALKKA_ENOMEM, "play");
  }
  play_out_t out = {
      .json = a.json, .audio = a.audio, .to = a.to, .backwards = a.speed < 0, .lags = lags};
  valkka_fs_t *fs[MAX_FS] = {0};
  play_maps_t pm = {.m = m, .fs = fs, .a = &a, .out = &out};
  status = open_all(m, &a, fs);
  if (!status) status = a.live ? play_live(&pm) : play_range(&pm);
  valkka_manager_destroy(m); /* no output runs after this */
  free(pm.done);
  fflush(stdout);
  if (lags && lags->count)
    fprintf(stderr,
            "play --live: %" PRIu64 " frames, lag median %" PRId64 " ms, 99th percentile %" PRId64
            " ms, max %" PRId64 " ms\n",
            lags->count, play_lags_quantile(lags, 0.5), play_lags_quantile(lags, 0.99),
            lags->max_ms);
  free(lags);
  return status;
}
