/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`: records cameras into ValkkaFS until --duration elapses or SIGINT / SIGTERM,
 * printing a status line every --status-interval seconds on stdout and camera state changes on
 * stderr. Under systemd (record_notify.h, record_watchdog.h) it says READY=1 once recording, the
 * status line every second as STATUS=, STOPPING=1, and WATCHDOG=1.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP are blocked before any thread starts (the library's
 * threads inherit the mask), and the main thread takes them with sigtimedwait between status
 * lines, so a stop always runs the same orderly path: cameras stopped, writers flushed and
 * synced, FS closed. SIGHUP reloads the config (cmd_record_reload.c); without one it is logged
 * and ignored: a service manager's reload must never stop the recording.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_log.h"
#include "cli_time.h"
#include "cli_util.h"
#include "cmd_record.h"
#include "commands.h"
#include "record_notify.h"
#include "record_watchdog.h"

#define RECORD_USAGE                                                                   \
  "usage: valkka record (--config FILE | --fs DIR (--synthetic N | --file PATH ...)) " \
  "[--duration SECONDS] [--status-interval SECONDS] [--check]"

#define SECOND_US 1000000
/* About four months: a bound that keeps the arithmetic in range, not a policy. */
#define MAX_DURATION_S 1e7

typedef struct record_args {
  const char *config, *fs;
  uint64_t synthetic;
  const char **files;
  size_t n_files;
  double duration;          /* seconds; 0 = until a signal */
  bool after_file;          /* bare arguments right after --file are more files */
  bool check;               /* --check: print the plan, open nothing */
  uint64_t status_interval; /* seconds between status lines on stdout; 0 = none */
} record_args_t;

static int record_option(void *ctx, int opt, const char *value);
static int record_check(void *ctx);

static const struct option record_options[] = {
    {"config", required_argument, NULL, 'c'},          {"fs", required_argument, NULL, 'f'},
    {"synthetic", required_argument, NULL, 's'},       {"file", required_argument, NULL, 'F'},
    {"duration", required_argument, NULL, 'd'},        {"check", no_argument, NULL, 'k'},
    {"status-interval", required_argument, NULL, 'i'}, {0}};

static const cli_spec_t record_spec = {
    .name = "record",
    .usage = RECORD_USAGE,
    .help = "Records the cameras of a config file (README.md, \"The config file\"), or N\n"
            "synthetic cameras and the files given (looped) into the FS in DIR, until --duration\n"
            "SECONDS of recording or SIGINT, SIGTERM. A status line every\n"
            "--status-interval SECONDS (default 1; 0: none) on stdout. SIGHUP reads the config\n"
            "again (cameras added, removed, restarted; the others go on). Under systemd\n"
            "(Type=notify, $NOTIFY_SOCKET): READY=1, the status line each second as STATUS=,\n"
            "STOPPING=1, and WATCHDOG=1 while every FS's writer moves ($WATCHDOG_USEC).\n"
            "--check loads the config and the plugins and prints what it would record where,\n"
            "opening no camera and writing nothing.\n",
    .options = record_options,
    .order = CLI_IN_ORDER,
    .max_operands = 0,
    .option = record_option,
    .check = record_check,
};

static int record_option(void *ctx, int opt, const char *value) {
  record_args_t *a = ctx;
  if (opt == CLI_OPERAND && !a->after_file)
    return cli_usage_error(&record_spec, "unexpected argument '%s' (%s)", value, RECORD_USAGE);
  a->after_file = opt == CLI_OPERAND || opt == 'F';
  char *end = NULL;
  switch (opt) {
    case CLI_OPERAND:
    case 'F': a->files[a->n_files++] = value; break;
    case 'c': a->config = value; break;
    case 'k': a->check = true; break;
    case 'f': a->fs = value; break;
    case 's':
      if (cli_parse_count(value, &a->synthetic) != 0 || a->synthetic < 1 ||
          a->synthetic > RECORD_MAX_CAMERAS)
        return cli_value_error(&record_spec, "--synthetic %s: expected a camera count from 1 to %u",
                               value, RECORD_MAX_CAMERAS);
      break;
    case 'd':
      a->duration = strtod(value, &end);
      if (end == value || *end || !isfinite(a->duration) || a->duration <= 0 ||
          a->duration > MAX_DURATION_S)
        return cli_value_error(&record_spec, "--duration %s: expected seconds, more than 0", value);
      break;
    case 'i':
      if (cli_parse_count(value, &a->status_interval) != 0 || a->status_interval > MAX_DURATION_S)
        return cli_value_error(&record_spec,
                               "--status-interval %s: expected whole seconds, 0 for none", value);
      break;
  }
  return 0;
}

/* The options together. */
static int record_check(void *ctx) {
  const record_args_t *a = ctx;
  if (a->config && (a->fs || a->synthetic || a->n_files))
    return cli_usage_error(&record_spec,
                           "--config cannot be combined with --fs, --synthetic or --file");
  if (!a->config && !a->fs)
    return cli_usage_error(&record_spec, "--config FILE or --fs DIR is required (%s)",
                           RECORD_USAGE);
  if (a->fs && !a->synthetic && !a->n_files)
    return cli_usage_error(&record_spec, "--fs needs cameras: --synthetic N or --file PATH");
  return 0;
}

/* Built-in cameras synthetic://0.. first, then the files (source-file loops them by default). */
static int plan_from_args(const record_args_t *a, record_plan_t *plan) {
  size_t fs = 0;
  int status = record_plan_fs(plan, a->fs, "--fs", &fs);
  char origin[64], url[64];
  for (uint64_t i = 0; i < a->synthetic && !status; i++) {
    record_camera_t *cam = NULL;
    snprintf(origin, sizeof origin, "--synthetic camera %llu", (unsigned long long)i);
    snprintf(url, sizeof url, "synthetic://%llu", (unsigned long long)i);
    status = record_plan_camera(plan, origin, url, fs, &cam);
  }
  for (size_t i = 0; i < a->n_files && !status; i++) {
    record_camera_t *cam = NULL;
    if (access(a->files[i], R_OK) != 0)
      return cli_fail("record: --file %s: %s", a->files[i], strerror(errno));
    snprintf(origin, sizeof origin, "--file %zu", i + 1);
    status = record_plan_camera(plan, origin, a->files[i], fs, &cam);
  }
  return status;
}

/* Waits up to `us` for a stop signal; returns it, or 0 when the time ran out. */
static int wait_signal(const sigset_t *set, int64_t us) {
  if (us < 0) us = 0;
  struct timespec ts = {.tv_sec = us / SECOND_US, .tv_nsec = (long)(us % SECOND_US) * 1000};
  int sig = sigtimedwait(set, NULL, &ts);
  return sig > 0 ? sig : 0;
}

/* --status-interval N: the second's status line goes to stdout when its t is a multiple of N
 * not printed yet (every tick for N = 1, as before it was an option; none for 0), and the last
 * one always; each is the service manager's STATUS= (a datagram, not a line in the journal). */
static uint64_t status_interval = 1;

static bool print_status(record_session_t *session, record_status_t *st, bool last) {
  static int64_t printed_t = -1;
  char line[512], notify[sizeof line + 8];
  record_session_status(session, st);
  record_status_format(st, line, sizeof line);
  snprintf(notify, sizeof notify, "STATUS=%s", line);
  record_notify(notify);
  const int64_t t = st->recording_ms / 1000;
  if (!status_interval) return false;
  if (!last && (t % (int64_t)status_interval || (status_interval > 1 && t == printed_t)))
    return false;
  printed_t = t;
  printf("%s\n", line);
  fflush(stdout);
  return true;
}

/* SIGHUP: the config read again, or (no config) a line saying it changes nothing. */
static void on_sighup(record_session_t *session, const char *config) {
  if (config)
    record_session_reload(session, config);
  else
    fprintf(stderr, "valkka: record: SIGHUP ignored: no --config to read again\n");
}

typedef enum stop_reason {
  STOP_DURATION,
  STOP_SIGNAL,
  STOP_NOTHING_LEFT,
  STOP_NO_FRAME
} stop_reason_t;

/*
 * --duration counts from the first frame any camera delivers, so the time a source takes to
 * start (an RTSP handshake, a synthetic camera encoding its clip) does not shorten the recording;
 * when no frame comes within the duration itself, the run ends then. Status lines fall on whole
 * seconds of recording once it runs, on whole seconds since the start before.
 */
static stop_reason_t run(record_session_t *session, const char *config, const sigset_t *signals,
                         double duration, int *signal_out, record_status_t *st) {
  const int64_t start = cli_mono_us(), duration_us = (int64_t)(duration * SECOND_US);
  int64_t next_tick = start + SECOND_US, first = 0, stop_at = duration_us ? start + duration_us : 0;
  for (;;) {
    const int64_t now = cli_mono_us();
    if (!first && (first = record_session_first_frame_us(session))) {
      if (duration_us) stop_at = first + duration_us;
      next_tick = first + ((now - first) / SECOND_US + 1) * SECOND_US;
    }
    const bool tick = now >= next_tick;
    bool printed = false;
    if (tick) {
      while (next_tick <= now) next_tick += SECOND_US;
      printed = print_status(session, st, false);
      if (st->failed + st->ended == st->cams) {
        if (!printed) print_status(session, st, true);
        return STOP_NOTHING_LEFT;
      }
    }
    if (stop_at && now >= stop_at) {
      if (!printed) print_status(session, st, true); /* the last line shows the end, once */
      return first ? STOP_DURATION : STOP_NO_FRAME;
    }
    const int64_t wake = stop_at && stop_at < next_tick ? stop_at : next_tick;
    if ((*signal_out = wait_signal(signals, wake - now)) == SIGHUP) {
      on_sighup(session, config);
    } else if (*signal_out) {
      print_status(session, st, true);
      return STOP_SIGNAL;
    }
  }
}

/* run() between the service manager's READY=1 (every FS open, every camera added) and
 * STOPPING=1, with the watchdog thread beside it when systemd asks for one. */
static stop_reason_t run_as_service(const record_plan_t *plan, record_session_t *session,
                                    const sigset_t *signals, double duration, int *sig,
                                    record_status_t *st) {
  record_notify_open();
  record_notify("READY=1");
  record_watchdog_t *watchdog = record_watchdog_start(session);
  const stop_reason_t why = run(session, plan->config, signals, duration, sig, st);
  record_notify("STOPPING=1");
  record_watchdog_stop(watchdog);
  return why;
}

static int record(const record_plan_t *plan, double duration) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, NULL);
  /* A reader of the status lines going away must not kill the recording. */
  signal(SIGPIPE, SIG_IGN);
  if (valkka_plugins_load() <= 0)
    return cli_fail("record: no plugins found in $VALKKA_PLUGIN_PATH or %s", valkka_plugin_dir());

  record_session_t *session = NULL;
  int status = record_session_start(plan, &session);
  record_status_t st = {0};
  int sig = 0;
  stop_reason_t why = STOP_NOTHING_LEFT;
  if (!status) why = run_as_service(plan, session, &signals, duration, &sig, &st);
  const double recorded_s = st.recording_ms / 1000.0;
  uint64_t written = 0;
  record_session_stop(session, &written);
  record_notify_close();
  if (status) return status;
  switch (why) {
    case STOP_SIGNAL:
      cli_say(VALKKA_LOG_INFO,
              "record: %s: stopped after %.1f s of recording; %llu frames written, FS synced "
              "and closed",
              sig == SIGINT ? "SIGINT" : "SIGTERM", recorded_s, (unsigned long long)written);
      return 0;
    case STOP_DURATION:
      cli_say(VALKKA_LOG_INFO, "record: %.1f s recorded; %llu frames written, FS synced and closed",
              recorded_s, (unsigned long long)written);
      return 0;
    case STOP_NO_FRAME:
      return cli_fail("record: no camera delivered a frame in %g s (see the camera lines above)",
                      duration);
    case STOP_NOTHING_LEFT:
      if (st.failed)
        return cli_fail("record: no camera left recording: %u failed, %u ended (see above)",
                        st.failed, st.ended);
      cli_say(VALKKA_LOG_INFO,
              "record: every source ended; %llu frames written, FS synced and closed",
              (unsigned long long)written);
      return 0;
  }
  return 0;
}

/* --check: the plugins loaded and the plan checked against them, as a run would, then shown. */
static int check(const record_plan_t *plan) {
  if (valkka_plugins_load() <= 0)
    return cli_fail("record: no plugins found in $VALKKA_PLUGIN_PATH or %s", valkka_plugin_dir());
  return record_check_print(plan);
}

int cmd_record(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "help")) return cli_args_help(&record_spec, stdout), 0;
  record_args_t args = {.status_interval = 1};
  /* Every argument could be a file: sized once, freed below. */
  if (!(args.files = calloc((size_t)argc, sizeof *args.files)))
    return cli_fail("record: out of memory");
  record_plan_t plan = {0};
  int status = 0;
  if (cli_args_parse(&record_spec, argc, argv, &args, &status) >= 0) {
    status = args.config ? record_config_load(args.config, &plan) : plan_from_args(&args, &plan);
    if (!status) status = record_plan_finish(&plan);
    if (!status && args.check)
      status = check(&plan);
    else if (!status) {
      status_interval = args.status_interval;
      status = record(&plan, args.duration);
    }
  }
  record_plan_free(&plan);
  free(args.files);
  return status;
}
