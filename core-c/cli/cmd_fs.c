/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka fs create | inspect | fsck`: a ValkkaFS from the command line. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include <valkka/valkka.h>

#include "cli_args.h"
#include "cli_remote.h"
#include "cli_util.h"
#include "cmd_fs_status.h"
#include "commands.h"

#define CREATE_SYNOPSIS                                                             \
  "fs create DIR --kind multi|single --block-size SIZE --blocks N [--device PATH] " \
  "[--backend NAME]"
#define INSPECT_SYNOPSIS "fs inspect DIR|URL [--json] [--ca-file FILE] [--token-file FILE]"
#define FSCK_SYNOPSIS "fs fsck DIR [--repair] [--json]"

/* fsck's exit codes, as fsck(8) has them. */
enum {
  FSCK_CLEAN = 0,     /* nothing wrong (a block in progress is not wrong) */
  FSCK_REPAIRED = 1,  /* damage found and repaired */
  FSCK_DAMAGED = 4,   /* damage found and left */
  FSCK_UNCHECKED = 8, /* could not check: no FS, I/O error, locked for repair */
  FSCK_USAGE = 16     /* usage or syntax error */
};

/* What the options of any fs subcommand set. */
typedef struct fs_args {
  const char *kind, *size, *blocks, *device, *backend;
  int json, repair;
  cli_remote_t remote;
} fs_args_t;

static int fs_option(void *ctx, int opt, const char *value) {
  fs_args_t *a = ctx;
  if (cli_remote_option(&a->remote, opt, value)) return 0;
  switch (opt) {
    case 'k': a->kind = value; break;
    case 's': a->size = value; break;
    case 'n': a->blocks = value; break;
    case 'd': a->device = value; break;
    case 'b': a->backend = value; break;
    case 'j': a->json = 1; break;
    case 'r': a->repair = 1; break;
  }
  return 0;
}

static const struct option create_options[] = {
    {"kind", required_argument, NULL, 'k'},    {"block-size", required_argument, NULL, 's'},
    {"blocks", required_argument, NULL, 'n'},  {"device", required_argument, NULL, 'd'},
    {"backend", required_argument, NULL, 'b'}, {0}};
static const struct option inspect_options[] = {{"json", no_argument, NULL, 'j'},
                                                CLI_REMOTE_OPTIONS,
                                                {0}};
static const struct option fsck_options[] = {{"repair", no_argument, NULL, 'r'},
                                             {"json", no_argument, NULL, 'j'},
                                             {0}};

static const cli_spec_t create_spec = {
    .name = "fs create",
    .usage = "usage: valkka " CREATE_SYNOPSIS,
    .help = "Creates a ValkkaFS in DIR: --kind multi (one FS for many streams) or single,\n"
            "--block-size 64K..1G in multiples of 4K, --blocks 2..1048576; --device PATH puts\n"
            "the blocks on a file or block device, --backend NAME picks the storage plugin.\n",
    .options = create_options,
    CLI_ONE_OPERAND("DIR"),
    .option = fs_option,
};

static const cli_spec_t inspect_spec = {
    .name = "fs inspect",
    .usage = "usage: valkka " INSPECT_SYNOPSIS,
    .help = "Prints what the FS in DIR holds: blocks, time range, streams, and the camera states\n"
            "a recorder wrote to DIR/status.json (--json: one object).\n" CLI_REMOTE_HELP,
    .options = inspect_options,
    CLI_ONE_OPERAND("DIR"),
    .option = fs_option,
};

static const cli_spec_t fsck_spec = {
    .name = "fs fsck",
    .usage = "usage: valkka " FSCK_SYNOPSIS,
    .help = "Checks the FS in DIR (--repair: and repairs it). Exit status as fsck(8): 0 clean,\n"
            "1 repaired, 4 damage left, 8 not checked, 16 usage error. On a terminal, the blocks\n"
            "checked so far on stderr. --json: one object.\n",
    .options = fsck_options,
    .usage_status = FSCK_USAGE,
    CLI_ONE_OPERAND("DIR"),
    .option = fs_option,
};

/* `valkka fs`: options end at the subcommand, which parses the rest. */
static const cli_spec_t fs_spec = {
    .name = "fs",
    .usage = "usage: valkka " CREATE_SYNOPSIS "\n       valkka " INSPECT_SYNOPSIS
             "\n       valkka " FSCK_SYNOPSIS,
    .order = CLI_STOP,
    .operands = "the subcommand (create, inspect or fsck)",
    .max_operands = -1,
};

/* The library's message already names the operation and the FS: print it as it is. */
static int fail_lib(int code) {
  const char *detail = valkka_last_error();
  return cli_fail("%s (%s)", detail[0] ? detail : valkka_strerror(code), valkka_err_name(code));
}

static int fs_create(int argc, char **argv) {
  fs_args_t a = {0};
  int status = 0;
  const int first = cli_args_parse(&create_spec, argc, argv, &a, &status);
  if (first < 0) return status;
  const char *dir = argv[first], *kind = a.kind, *size = a.size, *blocks = a.blocks;
  if (!kind || !size || !blocks)
    return cli_usage_error(&create_spec, "--kind, --block-size and --blocks are required (valkka "
                                         "fs create --help prints the usage)");
  valkka_fs_create_params_t p = {.struct_size = sizeof p, .device = a.device, .backend = a.backend};
  if (!strcmp(kind, "multi"))
    p.kind = VALKKA_FS_MULTI;
  else if (!strcmp(kind, "single"))
    p.kind = VALKKA_FS_SINGLE;
  else
    return cli_value_error(&create_spec, "--kind %s: expected multi or single", kind);
  uint64_t bytes = 0, n = 0;
  if (valkka_size_parse(size, &bytes) != 0)
    return cli_value_error(&create_spec,
                           "--block-size %s: expected bytes with an optional K, M, G or T suffix",
                           size);
  if (bytes < 65536 || bytes % 4096 || bytes > (1ull << 30))
    return cli_value_error(&create_spec,
                           "--block-size %s: must be a multiple of 4096 (4K), at least 64K and "
                           "at most 1G",
                           size);
  if (cli_parse_count(blocks, &n) != 0 || n < 2 || n > 1048576)
    return cli_value_error(&create_spec, "--blocks %s: expected a count from 2 to 1048576", blocks);
  p.block_size = (uint32_t)bytes;
  p.n_blocks = (uint32_t)n;
  int err = valkka_fs_create(dir, &p);
  if (err) return fail_lib(err);
  printf("created %s FS %s: %u blocks of %u bytes\n", kind, dir, p.n_blocks, p.block_size);
  return 0;
}

/* The stream's recorded ranges, [[first_ms, last_ms], ...]; NULL when they cannot be had. */
static json_t *ranges_json(valkka_fs_t *fs, uint32_t stream_id) {
  valkka_fs_range_t probe = {.struct_size = sizeof probe};
  const int n = valkka_fs_get_ranges(fs, stream_id, INT64_MIN, INT64_MAX, &probe, 0);
  valkka_fs_range_t *got = n > 0 ? calloc((size_t)n, sizeof *got) : NULL;
  if (n < 0 || (n > 0 && !got)) return NULL;
  json_t *list = json_array();
  if (n > 0) {
    got[0].struct_size = sizeof *got;
    const int again = valkka_fs_get_ranges(fs, stream_id, INT64_MIN, INT64_MAX, got, (uint32_t)n);
    for (int i = 0; i < again && i < n; i++)
      json_array_append_new(list, json_pack("[II]", (json_int_t)got[i].first_ms,
                                            (json_int_t)got[i].last_ms));
  }
  free(got);
  return list;
}

static int print_json(valkka_fs_t *fs, const valkka_fs_info_t *info,
                      const valkka_fs_stream_info_t *streams, int n) {
  json_t *root = json_object();
  json_object_set_new(root, "kind",
                      json_string(info->kind == VALKKA_FS_SINGLE ? "single" : "multi"));
  json_object_set_new(root, "block_size", json_integer(info->block_size));
  json_object_set_new(root, "uuid", json_string(info->uuid));
  json_object_set_new(root, "time_range",
                      json_pack("[II]", (json_int_t)info->first_ms, (json_int_t)info->last_ms));
  json_object_set_new(root, "blocks",
                      json_pack("{sIsIsI}", "total", (json_int_t)info->n_blocks, "used",
                                (json_int_t)info->blocks_used, "void",
                                (json_int_t)info->blocks_void));
  json_t *list = json_array();
  for (int i = 0; i < n; i++) {
    const valkka_fs_stream_info_t *s = &streams[i];
    json_t *item = json_pack("{sIsssIs[II]}", "id", (json_int_t)s->stream_id, "codec",
                             valkka_codec_name((valkka_codec_t)s->codec), "frames",
                             (json_int_t)s->frames, "time_range", (json_int_t)s->first_ms,
                             (json_int_t)s->last_ms);
    /* From the stream table: absent for streams never named (and FS of format 1). */
    if (item && s->name[0]) json_object_set_new(item, "name", json_string(s->name));
    if (item && s->camera_id) json_object_set_new(item, "camera", json_integer(s->camera_id));
    json_t *ranges = item ? ranges_json(fs, s->stream_id) : NULL;
    if (ranges) json_object_set_new(item, "ranges", ranges);
    json_array_append_new(list, item);
  }
  json_object_set_new(root, "streams", list);
  json_t *recorder = fs_status_load(fs); /* a recorder's status.json, as it wrote it */
  if (recorder) json_object_set_new(root, "status", recorder);
  char *text = json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT);
  json_decref(root);
  if (!text) return cli_fail("fs inspect: out of memory");
  puts(text);
  free(text);
  return 0;
}

static void print_text(const char *dir, const valkka_fs_info_t *info,
                       const valkka_fs_stream_info_t *streams, int n) {
  char first[40], last[40];
  cli_iso_time(info->first_ms, first, sizeof first);
  cli_iso_time(info->last_ms, last, sizeof last);
  printf("ValkkaFS %s\n", dir);
  printf("  uuid        %s\n", info->uuid);
  printf("  kind        %s, format %u\n", info->kind == VALKKA_FS_SINGLE ? "single" : "multi",
         info->format_version);
  printf("  blocks      %u x %u bytes: %u used, %u void\n", info->n_blocks, info->block_size,
         info->blocks_used, info->blocks_void);
  printf("  time range  %s .. %s (%" PRId64 " .. %" PRId64 ")\n", first, last, info->first_ms,
         info->last_ms);
  printf("  writing     block %u, sequence %" PRIu64 "\n", info->current_block, info->current_seq);
  if (info->entries_rebuilt || info->records_recovered)
    printf("  recovery    %u entries rebuilt, %u records recovered\n", info->entries_rebuilt,
           info->records_recovered);
  printf("  streams     %d\n", n);
  for (int i = 0; i < n; i++) {
    cli_iso_time(streams[i].first_ms, first, sizeof first);
    cli_iso_time(streams[i].last_ms, last, sizeof last);
    printf("    id %-6u %-5s %8" PRIu64 " frames in %u blocks, %s .. %s", streams[i].stream_id,
           valkka_codec_name((valkka_codec_t)streams[i].codec), streams[i].frames,
           streams[i].blocks, first, last);
    if (streams[i].name[0]) printf(", \"%s\"", streams[i].name);
    if (streams[i].camera_id) printf(" (of stream %u)", streams[i].camera_id);
    putchar('\n');
  }
}

static int fs_inspect(int argc, char **argv) {
  fs_args_t a = {0};
  int status = 0;
  const int first = cli_args_parse(&inspect_spec, argc, argv, &a, &status);
  if (first < 0) return status;
  /* A URL's credentials are never printed. */
  char dir[4096];
  valkka_url_redact(argv[first], VALKKA_URL_REDACT_WHOLE, dir, sizeof dir);
  valkka_fs_open_params_t p = {.struct_size = sizeof p, .flags = VALKKA_FS_READONLY};
  cli_remote_params(&a.remote, &p);
  valkka_fs_t *fs = NULL;
  int err = valkka_fs_open(argv[first], &p, &fs);
  if (err) return fail_lib(err);
  valkka_fs_info_t info = {.struct_size = sizeof info};
  int n = 0;
  valkka_fs_stream_info_t *streams = NULL;
  if ((err = valkka_fs_get_info(fs, &info)) == 0 && (n = cli_fs_streams(fs, &streams)) < 0) err = n;
  if (err)
    status = fail_lib(err);
  else if (a.json)
    status = print_json(fs, &info, streams, n);
  else
    print_text(dir, &info, streams, n);
  if (!err && !a.json) fs_status_print(fs);
  free(streams);
  valkka_fs_close(fs);
  return status;
}

static void fsck_json(const char *dir, const char *verdict, const valkka_fs_fsck_report_t *r,
                      int code) {
  json_t *root =
      json_pack("{sssssIsIsIsIsIsIsIsIsIsIsI}", "dir", dir, "verdict", verdict, "blocks_checked",
                (json_int_t)r->blocks_checked, "records_checked", (json_int_t)r->records_checked,
                "bad_entries", (json_int_t)r->bad_entries, "bad_headers",
                (json_int_t)r->bad_headers, "bad_records", (json_int_t)r->bad_records,
                "entries_rebuilt", (json_int_t)r->entries_rebuilt, "blocks_in_progress",
                (json_int_t)r->blocks_in_progress, "records_in_progress",
                (json_int_t)r->records_in_progress, "bad_ranges", (json_int_t)r->bad_ranges,
                "ranges_rebuilt", (json_int_t)r->ranges_rebuilt, "exit", (json_int_t)code);
  char *text = root ? json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
  json_decref(root);
  if (text) printf("%s\n", text);
  free(text);
}

/* On a terminal: "checked N of TOTAL blocks" rewritten in place, at each percent. */
typedef struct fsck_progress {
  const char *dir;
  int shown; /* the percentage on screen, -1 before any */
} fsck_progress_t;

static void fsck_progress(void *user, uint32_t checked, uint32_t total) {
  fsck_progress_t *p = user;
  const int percent = total ? (int)((uint64_t)checked * 100 / total) : 100;
  if (percent == p->shown) return;
  p->shown = percent;
  fprintf(stderr, "\rvalkka: fs fsck %s: checked %u of %u blocks (%d%%)", p->dir, checked, total,
          percent);
  fflush(stderr);
}

static int fs_fsck(int argc, char **argv) {
  fs_args_t a = {0};
  int status = 0;
  const int first = cli_args_parse(&fsck_spec, argc, argv, &a, &status);
  if (first < 0) return status;
  const char *dir = argv[first];
  const int repair = a.repair, json = a.json;
  valkka_fs_fsck_report_t r = {.struct_size = sizeof r};
  fsck_progress_t progress = {.dir = dir, .shown = -1};
  if (isatty(STDERR_FILENO)) {
    r.progress = fsck_progress;
    r.progress_user = &progress;
  }
  const int err = valkka_fs_fsck(dir, repair, &r);
  if (progress.shown >= 0) fputc('\n', stderr);
  const bool damage = r.bad_entries || r.bad_headers || r.bad_records || r.bad_ranges;
  const int code = err == VALKKA_ECORRUPT ? FSCK_DAMAGED
                   : err                  ? FSCK_UNCHECKED
                   : repair && damage     ? FSCK_REPAIRED
                                          : FSCK_CLEAN;
  if (code == FSCK_UNCHECKED) {
    fail_lib(err);
    return code;
  }
  if (code == FSCK_DAMAGED)
    cli_fail("fs fsck %s: damaged: %u blocks checked: %u bad entries, %u bad block headers, %u bad "
             "records, %u bad ranges entries (run with --repair)",
             dir, r.blocks_checked, r.bad_entries, r.bad_headers, r.bad_records, r.bad_ranges);
  if (json) {
    fsck_json(dir,
              code == FSCK_DAMAGED    ? "damaged"
              : code == FSCK_REPAIRED ? "repaired"
                                      : "clean",
              &r, code);
    return code;
  }
  if (code == FSCK_REPAIRED)
    printf("%s: repaired: %u entries rebuilt, %u bad block headers rewritten, %u damaged records "
           "covered (their frames are lost), %u ranges entries rewritten; %u blocks checked\n",
           dir, r.entries_rebuilt, r.bad_headers, r.bad_records, r.ranges_rebuilt,
           r.blocks_checked);
  else if (code == FSCK_CLEAN)
    printf("%s: clean: %u blocks checked, %" PRIu64 " records\n", dir, r.blocks_checked,
           r.records_checked);
  if (r.blocks_in_progress)
    printf("%s: %u block(s) in progress (a writer running, or one that was killed): %u records "
           "past the table, which opening the FS recovers; not damage\n",
           dir, r.blocks_in_progress, r.records_in_progress);
  return code;
}

int cmd_fs(int argc, char **argv) {
  int status = 0;
  const int first = cli_args_parse(&fs_spec, argc, argv, NULL, &status);
  if (first < 0) return status;
  if (first == argc) {
    cli_args_help(&fs_spec, stderr);
    return CLI_USAGE;
  }
  const char *sub = argv[first];
  argc -= first, argv += first;
  if (!strcmp(sub, "help")) return cli_args_help(&fs_spec, stdout), 0;
  if (!strcmp(sub, "create")) return fs_create(argc, argv);
  if (!strcmp(sub, "inspect")) return fs_inspect(argc, argv);
  if (!strcmp(sub, "fsck")) return fs_fsck(argc, argv);
  return cli_usage_error(&fs_spec, "unknown subcommand '%s' (expected create, inspect or fsck)",
                         sub);
}
