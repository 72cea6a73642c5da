/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`: the plan against the plugins before anything is opened (every camera's source
 * plugin loaded, every option one its plugin declares), and `--check`'s account of the plan.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_util.h"
#include "cmd_record.h"
#include "commands.h"

int record_fail_lib(const record_plan_t *plan, int code, const char *origin) {
  char where[4096];
  const char *detail = valkka_last_error();
  return cli_fail("record: %s: %s (%s)", record_plan_where(plan, origin, where, sizeof where),
                  *detail ? detail : valkka_strerror(code), valkka_err_name(code));
}

/* The keys the core reads itself from any camera's options (live.h, valkka_camera_t.options). */
static bool core_option(const char *key) {
  return !strcmp(key, "decoder") || !strcmp(key, "decoder_device");
}

/* "transport, timeout_ms, ...": the options `desc` declares, for a message. */
static const char *declared(const valkka_plugin_t *desc, char *out, size_t size) {
  size_t used = 0;
  out[0] = 0;
  for (const valkka_plugin_option_t *o = desc->options; o->name && used < size; o++)
    used += (size_t)snprintf(out + used, size - used, "%s%s", used ? ", " : "", o->name);
  return out;
}

/* Each option of `cam` is one its source declares (or one the core reads). A source that declares
 * none (a plugin older than the list) gets the keys handed on, each named in a warning. */
static int check_options(const record_plan_t *plan, const record_camera_t *cam,
                         const valkka_plugin_t *desc) {
  char where[4096], list[1024];
  for (size_t k = 0; k < cam->n_options; k++) {
    const char *key = cam->options[k].key;
    if (core_option(key)) continue;
    const valkka_plugin_option_t *o = desc->options;
    while (o && o->name && strcmp(o->name, key) != 0) o++;
    if (o && o->name) continue;
    record_plan_where(plan, cam->origin, where, sizeof where);
    if (!o) {
      fprintf(stderr,
              "valkka: record: warning: %s.options.%s: %s declares no options: handed on "
              "unchecked\n",
              where, key, desc->name);
      continue;
    }
    return cli_fail("record: %s.options.%s: %s has no such option (%s; any source: decoder, "
                    "decoder_device)",
                    where, key, desc->name, declared(desc, list, sizeof list));
  }
  return 0;
}

int record_check_sources(const record_plan_t *plan) {
  for (size_t i = 0; i < plan->n_cameras; i++) {
    const record_camera_t *cam = &plan->cameras[i];
    const valkka_plugin_t *desc =
        valkka_plugin_find(VALKKA_PLUGIN_SOURCE, cli_source_plugin(cam->url));
    if (!desc) return record_fail_lib(plan, VALKKA_ENOENT, cam->origin);
    int status = check_options(plan, cam, desc);
    if (status) return status;
  }
  return 0;
}

/* An option as --check shows it: the core's redaction hides a password-like key's value and the
 * credentials of a URL given as a value, as it does in a URL's query. */
static const char *shown_option(const valkka_option_t *o, char *out, size_t size) {
  char text[2048];
  snprintf(text, sizeof text, "?%s=%s", o->key, o->value);
  valkka_url_redact(text, 0, out, size);
  return out + 1;
}

static void print_fs(const record_plan_t *plan, size_t f) {
  const record_fs_t *fs = &plan->fs[f];
  struct stat st;
  const bool exists = stat(fs->dir, &st) == 0;
  if (exists || !fs->create)
    printf("FS %s: %s\n", fs->dir, exists ? "existing, recorded into" : "missing (must exist)");
  else
    printf("FS %s: would be created: %s, %u blocks of %u bytes\n", fs->dir,
           fs->kind == VALKKA_FS_SINGLE ? "single" : "multi", fs->n_blocks, fs->block_size);
}

static void print_camera(const record_plan_t *plan, size_t i) {
  const record_camera_t *cam = &plan->cameras[i];
  char url[4096], option[2048], name[32];
  snprintf(name, sizeof name, "camera %zu", i); /* the live pipeline's name for slot i */
  printf("  camera %s (%s): %s %s, stream %u", cam->name ? cam->name : name, cam->origin,
         cli_source_plugin(cam->url),
         valkka_url_redact(cam->url, VALKKA_URL_REDACT_WHOLE, url, sizeof url), cam->stream_id);
  if (cam->audio_id)
    printf(", audio %u", cam->audio_id);
  else
    printf(", no audio");
  for (size_t k = 0; k < cam->n_options; k++)
    printf("%s%s", k ? " " : ", options ", shown_option(&cam->options[k], option, sizeof option));
  printf("\n");
}

int record_check_print(const record_plan_t *plan) {
  int status = record_check_sources(plan);
  if (status) return status;
  for (size_t f = 0; f < plan->n_fs; f++) {
    print_fs(plan, f);
    for (size_t i = 0; i < plan->n_cameras; i++)
      if (plan->cameras[i].fs == f) print_camera(plan, i);
  }
  printf("check: %zu cameras into %zu FS; nothing opened, nothing written\n", plan->n_cameras,
         plan->n_fs);
  return 0;
}
