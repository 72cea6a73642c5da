/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka fs create | inspect | fsck`: a ValkkaFS from the command line. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <valkka/valkka.h>

#include "cli_util.h"
#include "commands.h"

#define FS_USAGE                                                                  \
  "usage: valkka fs create DIR --kind multi|single --block-size SIZE --blocks N " \
  "[--device PATH] [--backend NAME]\n"                                            \
  "       valkka fs inspect DIR [--json]\n"                                       \
  "       valkka fs fsck DIR [--repair] [--json]"

/* The library's message already names the operation and the FS: print it as it is. */
static int fail_lib(int code) {
  const char *detail = valkka_last_error();
  return cli_fail("%s (%s)", detail[0] ? detail : valkka_strerror(code), valkka_err_name(code));
}

static int fs_create(int argc, char **argv) {
  const char *dir = NULL, *kind = NULL, *size = NULL, *blocks = NULL, *device = NULL,
             *backend = NULL;
  for (int i = 2; i < argc; i++) {
    const char **slot = !strcmp(argv[i], "--kind")         ? &kind
                        : !strcmp(argv[i], "--block-size") ? &size
                        : !strcmp(argv[i], "--blocks")     ? &blocks
                        : !strcmp(argv[i], "--device")     ? &device
                        : !strcmp(argv[i], "--backend")    ? &backend
                                                           : NULL;
    if (slot) {
      if (i + 1 >= argc) return cli_fail("fs create: %s needs a value", argv[i]);
      *slot = argv[++i];
    } else if (argv[i][0] == '-' || dir) {
      return cli_fail("fs create: unexpected argument '%s'", argv[i]);
    } else {
      dir = argv[i];
    }
  }
  if (!dir || !kind || !size || !blocks)
    return cli_fail("fs create: DIR, --kind, --block-size and --blocks are required (valkka fs "
                    "prints the usage)");
  valkka_fs_create_params_t p = {.struct_size = sizeof p, .device = device, .backend = backend};
  if (!strcmp(kind, "multi"))
    p.kind = VALKKA_FS_MULTI;
  else if (!strcmp(kind, "single"))
    p.kind = VALKKA_FS_SINGLE;
  else
    return cli_fail("fs create: --kind %s: expected multi or single", kind);
  uint64_t bytes = 0, n = 0;
  if (cli_parse_size(size, &bytes) != 0)
    return cli_fail("fs create: --block-size %s: expected bytes with an optional K, M or G suffix",
                    size);
  if (bytes < 65536 || bytes % 4096 || bytes > (1ull << 30))
    return cli_fail("fs create: --block-size %s: must be a multiple of 4096 (4K), at least 64K "
                    "and at most 1G",
                    size);
  if (cli_parse_count(blocks, &n) != 0 || n < 2 || n > 1048576)
    return cli_fail("fs create: --blocks %s: expected a count from 2 to 1048576", blocks);
  p.block_size = (uint32_t)bytes;
  p.n_blocks = (uint32_t)n;
  int err = valkka_fs_create(dir, &p);
  if (err) return fail_lib(err);
  printf("created %s FS %s: %u blocks of %u bytes\n", kind, dir, p.n_blocks, p.block_size);
  return 0;
}

static int print_json(const valkka_fs_info_t *info, const valkka_fs_stream_info_t *streams, int n) {
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
    json_array_append_new(list, item);
  }
  json_object_set_new(root, "streams", list);
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

/* `valkka fs inspect|fsck DIR [FLAG...]`, the subcommand (argv[1]) named in the messages: DIR,
 * and which of the `n` flags were given (given[i] for flags[i]). 0, or cli_fail's status. */
static int parse_dir_and_flags(int argc, char **argv, const char *const *flags, int *given,
                               size_t n, const char **dir) {
  *dir = NULL;
  for (size_t k = 0; k < n; k++) given[k] = 0;
  for (int i = 2; i < argc; i++) {
    size_t k = 0;
    while (k < n && strcmp(argv[i], flags[k])) k++;
    if (k < n)
      given[k] = 1;
    else if (argv[i][0] == '-' || *dir)
      return cli_fail("fs %s: unexpected argument '%s'", argv[1], argv[i]);
    else
      *dir = argv[i];
  }
  if (!*dir) return cli_fail("fs %s: DIR is required (valkka fs prints the usage)", argv[1]);
  return 0;
}

static int fs_inspect(int argc, char **argv) {
  static const char *const flags[] = {"--json"};
  const char *dir;
  int json;
  int usage = parse_dir_and_flags(argc, argv, flags, &json, 1, &dir);
  if (usage) return usage;
  valkka_fs_open_params_t p = {.struct_size = sizeof p, .flags = VALKKA_FS_READONLY};
  valkka_fs_t *fs = NULL;
  int err = valkka_fs_open(dir, &p, &fs);
  if (err) return fail_lib(err);
  valkka_fs_info_t info = {.struct_size = sizeof info};
  valkka_fs_stream_info_t probe = {.struct_size = sizeof probe};
  int n = 0;
  valkka_fs_stream_info_t *streams = NULL;
  if ((err = valkka_fs_get_info(fs, &info)) == 0 &&
      (n = valkka_fs_get_streams(fs, &probe, 1)) > 0) {
    streams = calloc((size_t)n, sizeof *streams);
    if (!streams) {
      err = VALKKA_ENOMEM;
    } else {
      streams[0].struct_size = sizeof *streams;
      n = valkka_fs_get_streams(fs, streams, (uint32_t)n);
    }
  }
  if (!err && n < 0) err = n;
  int status = 0;
  if (err)
    status = fail_lib(err);
  else if (json)
    status = print_json(&info, streams, n);
  else
    print_text(dir, &info, streams, n);
  free(streams);
  valkka_fs_close(fs);
  return status;
}

/* fsck's exit codes, as fsck(8) has them. */
enum {
  FSCK_CLEAN = 0,     /* nothing wrong (a block in progress is not wrong) */
  FSCK_REPAIRED = 1,  /* damage found and repaired */
  FSCK_DAMAGED = 4,   /* damage found and left */
  FSCK_UNCHECKED = 8, /* could not check: no FS, I/O error, locked for repair */
  FSCK_USAGE = 16     /* usage or syntax error */
};

static void fsck_json(const char *dir, const char *verdict, const valkka_fs_fsck_report_t *r,
                      int code) {
  json_t *root = json_pack("{sssssIsIsIsIsIsIsIsIsI}", "dir", dir, "verdict", verdict,
                           "blocks_checked", (json_int_t)r->blocks_checked, "records_checked",
                           (json_int_t)r->records_checked, "bad_entries",
                           (json_int_t)r->bad_entries, "bad_headers", (json_int_t)r->bad_headers,
                           "bad_records", (json_int_t)r->bad_records, "entries_rebuilt",
                           (json_int_t)r->entries_rebuilt, "blocks_in_progress",
                           (json_int_t)r->blocks_in_progress, "records_in_progress",
                           (json_int_t)r->records_in_progress, "exit", (json_int_t)code);
  char *text = root ? json_dumps(root, JSON_PRESERVE_ORDER | JSON_COMPACT) : NULL;
  json_decref(root);
  if (text) printf("%s\n", text);
  free(text);
}

static int fs_fsck(int argc, char **argv) {
  static const char *const flags[] = {"--repair", "--json"};
  const char *dir;
  int given[2];
  if (parse_dir_and_flags(argc, argv, flags, given, 2, &dir)) return FSCK_USAGE;
  const int repair = given[0], json = given[1];
  valkka_fs_fsck_report_t r = {.struct_size = sizeof r};
  const int err = valkka_fs_fsck(dir, repair, &r);
  const bool damage = r.bad_entries || r.bad_headers || r.bad_records;
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
             "records (run with --repair)",
             dir, r.blocks_checked, r.bad_entries, r.bad_headers, r.bad_records);
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
           "covered (their frames are lost); %u blocks checked\n",
           dir, r.entries_rebuilt, r.bad_headers, r.bad_records, r.blocks_checked);
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
  if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
    fprintf(argc < 2 ? stderr : stdout, "%s\n", FS_USAGE);
    return argc < 2 ? 2 : 0;
  }
  if (!strcmp(argv[1], "create")) return fs_create(argc, argv);
  if (!strcmp(argv[1], "inspect")) return fs_inspect(argc, argv);
  if (!strcmp(argv[1], "fsck")) return fs_fsck(argc, argv);
  return cli_fail("fs: unknown subcommand '%s' (expected create, inspect or fsck)", argv[1]);
}
