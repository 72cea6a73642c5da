/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka export`: the options, the cameras chosen (--stream, --camera, --all) and where each
 * goes. One camera goes to the file OUT; several (or --all) to a directory OUT, a file each,
 * named after the camera and the range's start, all of the same range. Each file is written
 * under a temporary name and takes OUT's name only once complete (export_output.h); the remux
 * itself is export_remux.h's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavutil/log.h>
#include <valkka/valkka.h>

#include "cli_args.h"
#include "cli_remote.h"
#include "cli_time.h"
#include "cli_util.h"
#include "commands.h"
#include "export_output.h"
#include "export_remux.h"

/* One line: a usage error repeats it. --stream and --camera repeat; --help says the rest. */
#define EXPORT_USAGE                                                                           \
  "usage: valkka export --fs DIR (--stream ID | --camera NAME | --all) --from TIME --to TIME " \
  "[--format mp4|matroska|mov] [--force] [--recorder NAME] [--progress] [--ca-file FILE] "     \
  "[--token-file FILE] OUT"
#define MAX_CHOSEN 64

/* A camera as the options name it: by stream id, or by name (id 0 until looked up). */
typedef struct chosen {
  uint32_t id;
  const char *name;
} chosen_t;

/* The options as given. */
typedef struct export_given {
  const char *dir, *from, *to, *format, *recorder;
  chosen_t chosen[MAX_CHOSEN];
  int n_chosen;
  bool all, force, progress;
  cli_remote_t remote;
} export_given_t;

static int export_option(void *ctx, int opt, const char *value);

static const struct option export_options[] = {{"fs", required_argument, NULL, 'f'},
                                               {"stream", required_argument, NULL, 's'},
                                               {"camera", required_argument, NULL, 'c'},
                                               {"all", no_argument, NULL, 'a'},
                                               {"from", required_argument, NULL, 'F'},
                                               {"to", required_argument, NULL, 't'},
                                               {"format", required_argument, NULL, 'm'},
                                               {"force", no_argument, NULL, 'y'},
                                               {"recorder", required_argument, NULL, 'r'},
                                               {"progress", no_argument, NULL, 'p'},
                                               CLI_REMOTE_OPTIONS,
                                               {0}};

static const cli_spec_t export_spec = {
    .name = "export",
    .usage = EXPORT_USAGE,
    .help =
        "Remuxes a camera of the FS in DIR (stream ID, or the camera NAME of its stream table),\n"
        "from the keyframe at or before --from up to --to, into OUT without re-encoding. The\n"
        "container is OUT's extension's (" EXPORT_EXTENSIONS ") or --format's; MP4 and MOV\n"
        "with the index first (faststart). The file holds the camera's name (title), the\n"
        "recorder's (--recorder, else this machine's) and the first frame's time\n"
        "(creation_time). An existing OUT is replaced only with --force, and only once the new\n"
        "file is complete. Several --stream / --camera, or --all (every camera): OUT is a\n"
        "directory (made if missing), a file each, CAMERA_YYYYmmdd-HHMMSS.EXT (--from, local;\n"
        "MP4 unless --format). --progress: progress on stderr.\n" CLI_TIME_HELP CLI_REMOTE_HELP,
    .options = export_options,
    .usage_on_error = true,
    CLI_ONE_OPERAND("OUT"),
    .option = export_option,
};

static int export_option(void *ctx, int opt, const char *value) {
  export_given_t *g = ctx;
  uint64_t id = 0;
  if (cli_remote_option(&g->remote, opt, value)) return 0;
  switch (opt) {
    case 'f': g->dir = value; break;
    case 'F': g->from = value; break;
    case 't': g->to = value; break;
    case 'm': g->format = value; break;
    case 'r': g->recorder = value; break;
    case 'a': g->all = true; break;
    case 'y': g->force = true; break;
    case 'p': g->progress = true; break;
    case 's':
    case 'c':
      if (g->n_chosen == MAX_CHOSEN)
        return cli_value_error(&export_spec, "at most %d --stream and --camera", MAX_CHOSEN);
      if (opt == 's' && (cli_parse_count(value, &id) || id == 0 || id > UINT32_MAX))
        return cli_value_error(&export_spec, "--stream '%s': expected a stream id", value);
      g->chosen[g->n_chosen++] = (chosen_t){(uint32_t)id, opt == 'c' ? value : NULL};
      break;
  }
  return 0;
}

/* The FS's stream table. */
typedef struct table {
  valkka_fs_stream_info_t *streams;
  int n;
} table_t;

static int read_table(valkka_fs_t *fs, table_t *t) {
  const int n = cli_fs_streams(fs, &t->streams);
  if (n < 0) return cli_fail_code(n, "export");
  t->n = n;
  return 0;
}

/* A camera's own stream: video, not the substream or sound of another. */
static bool is_camera(const valkka_fs_stream_info_t *s) {
  return !s->camera_id && !valkka_codec_is_audio((valkka_codec_t)s->codec);
}

static const char *name_of(const table_t *t, uint32_t id) {
  for (int i = 0; i < t->n; i++)
    if (t->streams[i].stream_id == id) return t->streams[i].name;
  return "";
}

/* --camera NAME's stream id; 0 after one line listing the cameras. */
static uint32_t find_camera(const table_t *t, const char *dir, const char *name) {
  for (int i = 0; i < t->n; i++)
    if (is_camera(&t->streams[i]) && !strcmp(t->streams[i].name, name))
      return t->streams[i].stream_id;
  char names[1024] = "";
  size_t used = 0;
  for (int i = 0; i < t->n && used < sizeof names; i++)
    if (is_camera(&t->streams[i]) && t->streams[i].name[0])
      used += (size_t)snprintf(names + used, sizeof names - used, "%s'%s'", used ? ", " : "",
                               t->streams[i].name);
  if (used)
    cli_fail("export: no camera '%s' in %s; its cameras: %s", name, dir, names);
  else
    cli_fail("export: no camera '%s' in %s; its stream table names none", name, dir);
  return 0;
}

/* What every file of the export shares. */
typedef struct plan {
  valkka_fs_t *fs;
  table_t table;
  int64_t from, to, data_from, data_to; /* data_: the recorded part of the range */
  const export_container_t *container;
  char recorder[256];
  bool force, progress;
} plan_t;

/* One camera into `out`: 0, or the exit status after one line; OUT untouched on failure. */
static int export_one(const plan_t *p, uint32_t id, const char *out) {
  int status = export_output_check(out, p->force);
  char *tmp = NULL;
  if (status || (status = export_output_create(out, &tmp))) return status;
  const char *camera = name_of(&p->table, id);
  char label[VALKKA_FS_STREAM_NAME_MAX + 16];
  if (camera[0])
    snprintf(label, sizeof label, "%s", camera);
  else
    snprintf(label, sizeof label, "stream %u", id);
  export_progress_t progress;
  export_progress_init(&progress, p->progress, label, p->data_from, p->data_to);
  const export_job_t job = {.stream_id = id,
                            .from = p->from,
                            .to = p->to,
                            .path = out,
                            .file = tmp,
                            .container = p->container,
                            .camera = camera,
                            .recorder = p->recorder,
                            .progress = &progress};
  export_result_t r;
  status = export_remux(p->fs, &job, &r);
  if (status)
    export_output_discard(tmp);
  else
    status = export_output_commit(tmp, out, p->force);
  export_progress_end(&progress, !status);
  free(tmp);
  if (status) return status;
  char a[64], b[64];
  cli_local_time(r.first_ms, a, sizeof a);
  cli_local_time(r.last_ms, b, sizeof b);
  printf("exported %zu frames of %s (stream %u), %s .. %s, to %s\n", r.count,
         camera[0] ? camera : "an unnamed camera", id, a, b, out);
  if (r.audio_count)
    printf("with %zu %s audio frames of stream %u\n", r.audio_count,
           valkka_codec_name((valkka_codec_t)r.audio_codec), r.audio_id);
  fflush(stdout);
  return 0;
}

/* Several cameras into directory `out`, a file each; the others go on when one fails. */
static int export_many(const plan_t *p, const uint32_t *ids, int n, const char *out) {
  struct stat st;
  if (mkdir(out, 0777) != 0 && (errno != EEXIST || stat(out, &st) != 0 || !S_ISDIR(st.st_mode)))
    return cli_fail("export: %s: cannot be the directory of several cameras: %s", out,
                    errno == EEXIST ? "not a directory" : strerror(errno));
  int failed = 0;
  for (int i = 0; i < n; i++) {
    char path[4096];
    export_output_name(path, sizeof path, out, name_of(&p->table, ids[i]), ids[i], p->from,
                       p->container->ext);
    /* Two cameras whose names read the same as file names: the later one gets its id too. */
    for (int j = 0; j < i; j++) {
      char before[4096];
      export_output_name(before, sizeof before, out, name_of(&p->table, ids[j]), ids[j], p->from,
                         p->container->ext);
      if (!strcmp(before, path)) {
        char *dot = strrchr(path, '.');
        snprintf(dot, sizeof path - (size_t)(dot - path), "_%u.%s", ids[i], p->container->ext);
        break;
      }
    }
    failed += export_one(p, ids[i], path) != 0;
  }
  printf("exported %d of %d cameras to %s%s\n", n - failed, n, out,
         failed ? " (the failures are said above)" : "");
  return failed ? CLI_FAILURE : 0;
}

/* The stream ids chosen: --all's cameras, or the --stream and --camera ones. 0 or a status. */
static int choose(const export_given_t *g, const table_t *t, uint32_t *ids, int *n) {
  *n = 0;
  char dir[4096]; /* a URL's password is never printed */
  valkka_url_redact(g->dir, VALKKA_URL_REDACT_WHOLE, dir, sizeof dir);
  for (int i = 0; g->all && i < t->n && *n < MAX_CHOSEN; i++)
    if (is_camera(&t->streams[i])) ids[(*n)++] = t->streams[i].stream_id;
  if (g->all && !*n) return cli_fail("export: %s holds no camera", dir);
  for (int i = 0; !g->all && i < g->n_chosen; i++) {
    ids[*n] = g->chosen[i].name ? find_camera(t, dir, g->chosen[i].name) : g->chosen[i].id;
    if (!ids[(*n)++]) return CLI_FAILURE;
  }
  return 0;
}

/* The arguments together: 0, or the usage status after one line. */
static int check(const export_given_t *g, const char *out, plan_t *p) {
  if (!g->dir || !g->from || !g->to)
    return cli_usage_error(&export_spec, "--fs, --from and --to are required");
  if (!g->n_chosen && !g->all)
    return cli_usage_error(&export_spec, "--stream ID, --camera NAME or --all is required");
  if (g->n_chosen && g->all)
    return cli_usage_error(&export_spec, "--all exports every camera: no --stream or --camera");
  const bool many = g->all || g->n_chosen > 1;
  if (g->format && !(p->container = export_container_named(g->format)))
    return cli_value_error(&export_spec, "--format '%s': expected mp4, matroska or mov", g->format);
  if (!p->container && many) p->container = export_container_named("mp4");
  if (!p->container && !(p->container = export_container_of(out)))
    return cli_value_error(&export_spec,
                           "%s: the extension names no container (" EXPORT_EXTENSIONS
                           "): give one, or --format mp4|matroska|mov",
                           out);
  if (cli_time_arg("export", "--from", g->from, &p->from) ||
      cli_time_arg("export", "--to", g->to, &p->to))
    return CLI_USAGE;
  if (p->to < p->from) return cli_value_error(&export_spec, "--to is before --from");
  if (g->recorder && !*g->recorder)
    return cli_value_error(&export_spec, "--recorder: expected a name");
  return 0;
}

int cmd_export(int argc, char **argv) {
  export_given_t g = {0};
  int status = 0;
  const int first = cli_args_parse(&export_spec, argc, argv, &g, &status);
  if (first < 0) return status;
  const char *out = argv[first];
  plan_t p = {.force = g.force, .progress = g.progress};
  if ((status = check(&g, out, &p))) return status;
  const bool many = g.all || g.n_chosen > 1;
  /* Refused before the FS is read: nothing to lose by asking first. */
  if (!many && (status = export_output_check(out, g.force))) return status;
  av_log_set_level(AV_LOG_WARNING); /* faststart's "second pass" note is not the user's news */
  if (g.recorder)
    snprintf(p.recorder, sizeof p.recorder, "%s", g.recorder);
  else if (gethostname(p.recorder, sizeof p.recorder - 1) != 0)
    p.recorder[0] = '\0';

  valkka_fs_open_params_t open = {.struct_size = sizeof open, .flags = VALKKA_FS_READONLY};
  cli_remote_params(&g.remote, &open);
  int err = valkka_fs_open(g.dir, &open, &p.fs);
  if (err) return cli_fail_code(err, g.dir);
  p.data_from = p.from;
  p.data_to = p.to;
  int64_t first_ms = 0, last_ms = 0;
  if (valkka_fs_time_range(p.fs, &first_ms, &last_ms) == 0 && last_ms >= first_ms) {
    if (first_ms > p.data_from) p.data_from = first_ms;
    if (last_ms < p.data_to) p.data_to = last_ms;
  }
  uint32_t ids[MAX_CHOSEN];
  int n = 0;
  status = read_table(p.fs, &p.table);
  if (!status) status = choose(&g, &p.table, ids, &n);
  if (!status) status = many ? export_many(&p, ids, n, out) : export_one(&p, ids[0], out);
  free(p.table.streams);
  valkka_fs_close(p.fs);
  return status;
}
