/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka probe URL [KEY=VALUE ...]`: the codec, resolution and frame rate of a source, for any
 * URL the live layer takes (rtsp://, synthetic://, a file), through the same source plugins.
 * KEY=VALUE pairs are source options (transport=udp). The source is opened with probe=1 and read
 * up to its first keyframe, by which time every source knows its stream's shape. The URL's
 * password is wiped from the command line at once (take_url).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <valkka/valkka.h>

#include "cli_args.h"
#include "cli_log.h"
#include "cli_util.h"
#include "commands.h"

/* The whole probe, connection included, gives up after this long. */
#define PROBE_DEADLINE_MS 15000
#define READ_TIMEOUT_MS 500
#define MAX_OPTIONS 32

/*
 * libavformat and libva print their own diagnostics on stderr (FFmpeg's log level is
 * process-wide and plugins leave it alone); the probe's answer to a failure is one line, so they
 * are muted while the source runs, unless VALKKA_LOG=debug asks for everything.
 */
static int mute_stderr(void) {
  const char *level = getenv("VALKKA_LOG");
  if (level && !strcasecmp(level, "debug")) return -1;
  int saved = dup(STDERR_FILENO);
  int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved >= 0 && null >= 0) dup2(null, STDERR_FILENO);
  if (null >= 0) close(null);
  return saved;
}

/*
 * The sources' own warnings while stderr is muted (a camera that refuses TCP, say), kept to be
 * shown after a successful probe; a failed probe stays one line. Any thread may log.
 */
typedef struct warnings {
  pthread_mutex_t lock;
  char text[2048];
  size_t used;
} warnings_t;

static void keep_warning(void *user, valkka_log_level_t level, const char *module,
                         const char *message) {
  warnings_t *w = user;
  /* FFmpeg's own lines stay muted with stderr, as they were before they came through the log. */
  if (level < VALKKA_LOG_WARN || !strcmp(module, "ffmpeg")) return;
  pthread_mutex_lock(&w->lock);
  int n = snprintf(w->text + w->used, sizeof w->text - w->used, "%svalkka: probe: %s: %s\n",
                   cli_log_prefix(level), module, message);
  if (n > 0) w->used += (size_t)n < sizeof w->text - w->used ? (size_t)n : 0;
  pthread_mutex_unlock(&w->lock);
}

static void restore_stderr(int saved) {
  if (saved < 0) return;
  dup2(saved, STDERR_FILENO);
  close(saved);
}

static void print_rate(uint32_t num, uint32_t den) {
  if (!num || !den) {
    printf("fps:        unknown\n");
    return;
  }
  if (num % den == 0) {
    printf("fps:        %u\n", num / den);
    return;
  }
  printf("fps:        %.3f\n", (double)num / den);
}

/* Reads until the first keyframe; 0, or the code of the failure with valkka_last_error set. */
static int read_to_keyframe(const valkka_source_vtable_t *vt, void *instance) {
  valkka_frame_t *frame = valkka_frame_new(0);
  if (!frame) return VALKKA_ENOMEM;
  const valkka_host_t *host = valkka_host();
  int64_t give_up = host->clock_mono_us() + (int64_t)PROBE_DEADLINE_MS * 1000;
  int err = VALKKA_ETIMEDOUT;
  while (host->clock_mono_us() < give_up) {
    err = vt->read(instance, frame, READ_TIMEOUT_MS);
    if (err == VALKKA_ETIMEDOUT) continue;
    if (err || (frame->kind == VALKKA_FRAME_ENCODED && (frame->flags & VALKKA_FRAME_KEYFRAME)))
      break;
  }
  if (err == VALKKA_ETIMEDOUT)
    valkka_error_set(err, "no keyframe within %d s", PROBE_DEADLINE_MS / 1000);
  valkka_frame_free(frame);
  return err;
}

static void print_info(const valkka_source_info_t *info) {
  printf("codec:      %s\n", valkka_codec_name((valkka_codec_t)info->codec));
  if (info->width && info->height)
    printf("resolution: %ux%u\n", info->width, info->height);
  else
    printf("resolution: unknown\n");
  print_rate(info->fps_num, info->fps_den);
}

static int probe(const valkka_source_vtable_t *vt, const char *url, const valkka_option_t *options,
                 size_t n_options, valkka_source_info_t *info) {
  void *instance = NULL;
  valkka_error_clear();
  int err = vt->open(valkka_host(), url, options, n_options, &instance);
  if (err) return err;
  if (!(err = read_to_keyframe(vt, instance)) && (!vt->info || (err = vt->info(instance, info))))
    err = err ? err : valkka_error_set(VALKKA_ENOSYS, "the source tells nothing of its stream");
  vt->close(instance);
  return err;
}

static const cli_spec_t probe_spec = {
    .name = "probe",
    .usage = "usage: valkka probe URL [KEY=VALUE ...]",
    .help =
        "Opens URL (rtsp://, rtsps://, synthetic://N, a file) through its source plugin, reads\n"
        "up to the first keyframe and prints the codec, resolution and frame rate. KEY=VALUE\n"
        "pairs are source options (transport=udp). `--` before a URL that starts with '-'.\n",
    .operands = "URL",
    .min_operands = 1,
    .max_operands = MAX_OPTIONS,
};

/* `pairs` are the n KEY=VALUE operands after the URL. */
static int probe_url(const char *url, char **pairs, int n) {
  valkka_option_t options[MAX_OPTIONS + 1] = {{"probe", "1"}};
  size_t n_options = 1;
  for (int i = 0; i < n; i++) {
    char *eq = strchr(pairs[i], '=');
    if (!eq || eq == pairs[i])
      return cli_value_error(&probe_spec, "option '%s': expected KEY=VALUE", pairs[i]);
    *eq = '\0';
    options[n_options++] = (valkka_option_t){pairs[i], eq + 1};
  }
  warnings_t warnings = {.lock = PTHREAD_MUTEX_INITIALIZER};
  int saved = mute_stderr();
  if (saved >= 0) valkka_log_set_callback(keep_warning, &warnings);
  valkka_plugins_load();
  const char *name = cli_source_plugin(url);
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, name);
  valkka_source_info_t info = {.struct_size = sizeof info};
  int err = plugin ? probe(plugin->vtable, url, options, n_options, &info) : VALKKA_ENOENT;
  /* The source is closed: nothing logs; later lines go through main's logger again. */
  if (saved >= 0) valkka_log_set_callback(cli_log_line, NULL);
  restore_stderr(saved);
  if (!plugin)
    return cli_fail("probe: no %s plugin in $VALKKA_PLUGIN_PATH or %s", name, valkka_plugin_dir());
  /* Sources name the URL in their messages with its credentials removed. */
  if (err)
    return cli_fail("probe: %s (%s)",
                    valkka_last_error()[0] ? valkka_last_error() : valkka_strerror(err),
                    valkka_err_name(err));
  fputs(warnings.text, stderr);
  print_info(&info);
  return 0;
}

/*
 * A copy of the URL argument, whose credentials (userinfo, password-like query values) are then
 * overwritten with asterisks: a password must not stay in the command line, which `ps`,
 * /proc/PID/cmdline and crash reports (systemd-coredump records it) show to others. NULL when
 * out of memory.
 */
static char *take_url(char *arg) {
  char *url = strdup(arg);
  if (url) valkka_url_redact(arg, VALKKA_URL_REDACT_KEEP_LENGTH, arg, strlen(arg) + 1);
  return url;
}

int cmd_probe(int argc, char **argv) {
  int status = 0;
  const int first = cli_args_parse(&probe_spec, argc, argv, NULL, &status);
  if (first < 0) return status;
  char *url = take_url(argv[first]);
  if (!url) return cli_fail("probe: out of memory");
  status = probe_url(url, argv + first + 1, argc - first - 1);
  free(url);
  return status;
}
