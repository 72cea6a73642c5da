/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * storage-faulty: the POSIX storage backend with injected failures, chosen when a file is opened
 * by $VALKKA_FAULT, a comma-separated list of rules:
 *
 *   OP[:after=N][:times=K][:code=NAME][:file=SUBSTRING][:hold=PATH]
 *
 * OP is open, pread, pwrite or sync. A rule applies to files whose path contains SUBSTRING (all
 * when absent); the first N calls of OP on such a file succeed, the next K fail (every later one
 * when `times` is absent) with NAME: ENOSPC, EIO (the default), EACCES or EROFS; or, with NAME
 * SEGV, the call crashes the process with a write to a page it may not write, a real
 * segmentation fault in a plugin for the crash tests. With `hold`, the calls the rule picks do
 * not fail but wait while the file PATH exists (at most HOLD_MAX_MS), then go on: a disk that
 * stops taking writes until the test says so, so the FS input queue fills behind it. While a
 * call is held the file PATH.held exists, so a test knows the hold has begun and still holds.
 * Counters belong to the opened file, so each open starts afresh and reads the variable again.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

#include <valkka/plugin.h>

#include "posix_file.h"

#define MAX_RULES 8
/* A held call goes on after this long even if its file is still there: a test that fails before
 * releasing it must not leave a recorder that never ends. */
#define HOLD_MAX_MS 60000

enum { OP_OPEN, OP_PREAD, OP_PWRITE, OP_SYNC, N_OPS };
static const char *const op_names[N_OPS] = {"open", "pread", "pwrite", "sync"};

typedef struct rule {
  int op;
  unsigned long long after, times; /* times 0: forever */
  int code;
  char text[16];
  char file[128];
  char hold[512]; /* "": the rule fails its calls */
  atomic_ullong calls;
} rule_t;

typedef struct faulty_file {
  const valkka_host_t *host;
  void *inner;
  rule_t rules[MAX_RULES];
  int n_rules;
} faulty_file_t;

/* Not an error code: the rule's call crashes the process. */
#define CODE_SEGV 1

static int code_of(const char *name, char text[16]) {
  int code = VALKKA_EIO;
  if (!strcmp(name, "ENOSPC")) code = VALKKA_ENOSPC;
  if (!strcmp(name, "EACCES") || !strcmp(name, "EROFS")) code = VALKKA_EACCES;
  if (!strcmp(name, "SEGV")) code = CODE_SEGV;
  snprintf(text, 16, "%s", code == VALKKA_EIO ? "EIO" : name);
  return code;
}

/*
 * A write to a page mapped without access (a null pointer is not enough: on some machines a
 * write there survives). Volatile, so that the compiler cannot see it fail and trap instead.
 */
static void crash(void) {
  int *volatile page = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  *page = 1;
}

/* Parses $VALKKA_FAULT into the rules that concern `path`. */
static int parse_rules(const char *path, rule_t *rules) {
  const char *env = getenv("VALKKA_FAULT");
  if (!env || !*env) return 0;
  char spec[1024];
  snprintf(spec, sizeof spec, "%s", env);
  int n = 0;
  char *save_rule = NULL;
  for (char *r = strtok_r(spec, ",", &save_rule); r && n < MAX_RULES;
       r = strtok_r(NULL, ",", &save_rule)) {
    rule_t rule = {.op = -1, .code = VALKKA_EIO, .text = "EIO"};
    char *save_field = NULL;
    for (char *f = strtok_r(r, ":", &save_field); f; f = strtok_r(NULL, ":", &save_field)) {
      if (rule.op < 0) {
        for (int op = 0; op < N_OPS; op++)
          if (!strcmp(f, op_names[op])) rule.op = op;
      } else if (!strncmp(f, "after=", 6)) {
        rule.after = strtoull(f + 6, NULL, 10);
      } else if (!strncmp(f, "times=", 6)) {
        rule.times = strtoull(f + 6, NULL, 10);
      } else if (!strncmp(f, "code=", 5)) {
        rule.code = code_of(f + 5, rule.text);
      } else if (!strncmp(f, "file=", 5)) {
        snprintf(rule.file, sizeof rule.file, "%s", f + 5);
      } else if (!strncmp(f, "hold=", 5)) {
        snprintf(rule.hold, sizeof rule.hold, "%s", f + 5);
      }
    }
    if (rule.op < 0 || (rule.file[0] && !strstr(path, rule.file))) continue;
    rules[n].op = rule.op;
    rules[n].after = rule.after;
    rules[n].times = rule.times;
    rules[n].code = rule.code;
    memcpy(rules[n].text, rule.text, sizeof rule.text);
    memcpy(rules[n].file, rule.file, sizeof rule.file);
    memcpy(rules[n].hold, rule.hold, sizeof rule.hold);
    atomic_init(&rules[n].calls, 0);
    n++;
  }
  return n;
}

/* Waits while `path` exists, polling, at most HOLD_MAX_MS; `path`.held exists meanwhile. */
static void hold_while_present(const char *path) {
  const struct timespec tick = {.tv_nsec = 10 * 1000 * 1000};
  char held[sizeof((rule_t *)0)->hold + 8];
  snprintf(held, sizeof held, "%s.held", path);
  FILE *marker = fopen(held, "w");
  if (marker) fclose(marker);
  struct stat st;
  for (int waited = 0; waited < HOLD_MAX_MS && stat(path, &st) == 0; waited += 10)
    nanosleep(&tick, NULL);
  remove(held);
}

/* The code of the first rule that fails this call of `op`, or 0 (after any rule's hold). */
static int inject(const valkka_host_t *host, rule_t *rules, int n, int op, const char *what) {
  for (int i = 0; i < n; i++) {
    if (rules[i].op != op) continue;
    unsigned long long call = atomic_fetch_add(&rules[i].calls, 1);
    if (call < rules[i].after) continue;
    if (rules[i].times && call >= rules[i].after + rules[i].times) continue;
    if (rules[i].hold[0]) {
      hold_while_present(rules[i].hold);
      continue;
    }
    if (rules[i].code == CODE_SEGV) crash();
    return host->error_set(rules[i].code, "storage-faulty: injected %s on %s (call %llu)",
                           rules[i].text, what, call + 1);
  }
  return 0;
}

static int faulty_open(const valkka_host_t *host, const char *path, uint64_t size, uint32_t flags,
                       void **out) {
  faulty_file_t *f = calloc(1, sizeof *f);
  if (!f) return host->error_set(VALKKA_ENOMEM, "storage-faulty: out of memory");
  f->host = host;
  f->n_rules = parse_rules(path, f->rules);
  int err = inject(host, f->rules, f->n_rules, OP_OPEN, path);
  if (!err) err = valkka_posix_file_open(host, path, size, flags, &f->inner);
  if (err) {
    free(f);
    return err;
  }
  *out = f;
  return 0;
}

static int faulty_pread(void *file, void *buf, size_t n, uint64_t offset) {
  faulty_file_t *f = file;
  int err = inject(f->host, f->rules, f->n_rules, OP_PREAD, "pread");
  return err ? err : valkka_posix_file_pread(f->inner, buf, n, offset);
}

static int faulty_pwrite(void *file, const void *buf, size_t n, uint64_t offset) {
  faulty_file_t *f = file;
  int err = inject(f->host, f->rules, f->n_rules, OP_PWRITE, "pwrite");
  return err ? err : valkka_posix_file_pwrite(f->inner, buf, n, offset);
}

static int faulty_sync(void *file) {
  faulty_file_t *f = file;
  int err = inject(f->host, f->rules, f->n_rules, OP_SYNC, "fdatasync");
  return err ? err : valkka_posix_file_sync(f->inner);
}

static void faulty_close(void *file) {
  faulty_file_t *f = file;
  if (!f) return;
  valkka_posix_file_close(f->inner);
  free(f);
}

static const valkka_storage_vtable_t vtable = {
    .struct_size = sizeof(valkka_storage_vtable_t),
    .max_streams = 0,
    .open = faulty_open,
    .pread = faulty_pread,
    .pwrite = faulty_pwrite,
    .sync = faulty_sync,
    .close = faulty_close,
};

static const valkka_plugin_t descriptor = {
    .abi_major = VALKKA_ABI_MAJOR,
    .abi_minor = VALKKA_ABI_MINOR,
    .struct_size = sizeof(valkka_plugin_t),
    .kind = VALKKA_PLUGIN_STORAGE,
    .name = "storage-faulty",
    .version = "1.0.0",
    .description = "test backend: POSIX files with failures injected per $VALKKA_FAULT",
    .vtable = &vtable,
};

VALKKA_PLUGIN_EXPORT const valkka_plugin_t *valkka_plugin_entry(void) { return &descriptor; }
