/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where `valkka export` writes (export_output.h). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli_util.h"
#include "commands.h"
#include "export_output.h"

static const export_container_t containers[] = {{"mp4", "mp4", true},
                                                {"matroska", "mkv", false},
                                                {"mov", "mov", true}};
#define N_CONTAINERS (sizeof containers / sizeof containers[0])

const export_container_t *export_container_named(const char *name) {
  for (size_t i = 0; i < N_CONTAINERS; i++)
    if (!strcmp(name, containers[i].name) || !strcmp(name, containers[i].ext))
      return &containers[i];
  return NULL;
}

const export_container_t *export_container_of(const char *path) {
  const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
  if (!dot || (slash && dot < slash)) return NULL;
  for (size_t i = 0; i < N_CONTAINERS; i++)
    if (!strcasecmp(dot + 1, containers[i].ext)) return &containers[i];
  return NULL;
}

int export_output_check(const char *out, bool force) {
  struct stat st;
  if (stat(out, &st) != 0) return 0;
  if (S_ISDIR(st.st_mode)) return cli_fail("export: %s is a directory", out);
  if (!force) return cli_fail("export: %s exists (--force replaces it)", out);
  return 0;
}

/* The file being written, removed when a signal ends the export (Ctrl-C, a service stopped):
 * its half is no one's. unlink and raise are async-signal-safe. */
static char *volatile current_tmp;

static void remove_current(int sig) {
  if (current_tmp) unlink(current_tmp);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void watch(char *tmp) {
  static bool installed;
  current_tmp = tmp;
  if (installed || !tmp) return;
  installed = true;
  struct sigaction sa = {.sa_handler = remove_current};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

void export_output_discard(const char *tmp) {
  watch(NULL);
  unlink(tmp);
}

int export_output_create(const char *out, char **tmp) {
  const char *slash = strrchr(out, '/');
  const size_t dir_len = slash ? (size_t)(slash - out) + 1 : 0;
  const size_t n = strlen(out) + 16;
  if (!(*tmp = malloc(n))) return cli_fail("export: out of memory");
  snprintf(*tmp, n, "%.*s.%s.XXXXXX", (int)dir_len, out, out + dir_len);
  watch(*tmp); /* before the file exists: a signal never finds it there unwatched */
  const int fd = mkstemp(*tmp);
  if (fd < 0) {
    const int err = errno;
    watch(NULL);
    free(*tmp);
    *tmp = NULL;
    return cli_fail("export: cannot create a file beside %s: %s", out, strerror(err));
  }
  /* mkstemp's 0600 would outlive the rename: OUT gets what creating it would have given. */
  const mode_t mask = umask(0);
  umask(mask);
  const int err = fchmod(fd, 0666 & ~mask) ? errno : 0;
  close(fd);
  if (err) {
    export_output_discard(*tmp);
    free(*tmp);
    *tmp = NULL;
    return cli_fail("export: cannot create a file beside %s: %s", out, strerror(err));
  }
  return 0;
}

int export_output_commit(const char *tmp, const char *out, bool force) {
  watch(NULL);
  int err = 0;
  if (force) {
    err = rename(tmp, out) ? errno : 0;
  } else if (link(tmp, out) == 0) {
    unlink(tmp); /* link, unlike rename, never replaces what appeared at OUT meanwhile */
  } else {
    err = errno;
  }
  if (!err) return 0;
  unlink(tmp);
  if (err == EEXIST)
    return cli_fail("export: %s appeared while exporting; it is left as it is", out);
  return cli_fail("export: cannot write %s: %s", out, strerror(err));
}

/* A camera's name as a file name: no path separators, control or shell-troublesome characters,
 * no leading dot; bytes of UTF-8 kept. */
static void safe_name(char *out, size_t n, const char *name) {
  size_t j = 0;
  for (const unsigned char *p = (const unsigned char *)name; *p && j + 1 < n; p++) {
    const bool bad = *p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>| ", *p) || (!j && *p == '.');
    out[j++] = bad ? '_' : (char)*p;
  }
  out[j] = '\0';
}

void export_output_name(char *buf, size_t n, const char *dir, const char *camera, uint32_t id,
                        int64_t from_ms, const char *ext) {
  char name[128], when[32];
  if (camera && *camera)
    safe_name(name, sizeof name, camera);
  else
    snprintf(name, sizeof name, "stream%u", id);
  const time_t secs = (time_t)(from_ms / 1000);
  struct tm tm;
  localtime_r(&secs, &tm);
  strftime(when, sizeof when, "%Y%m%d-%H%M%S", &tm);
  snprintf(buf, n, "%s/%s_%s.%s", dir, name, when, ext);
}

int export_output_metadata(AVDictionary **metadata, const char *camera, const char *recorder,
                           int64_t first_ms) {
  char when[40];
  cli_iso_time(first_ms, when, sizeof when);
  int err = camera && *camera ? av_dict_set(metadata, "title", camera, 0) : 0;
  if (err >= 0 && recorder && *recorder) err = av_dict_set(metadata, "recorder", recorder, 0);
  if (err >= 0) err = av_dict_set(metadata, "creation_time", when, 0);
  return err < 0 ? err : 0;
}
