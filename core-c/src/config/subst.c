/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `${NAME}` in the config's string values: a camera's password kept out of the file, read from
 * $CREDENTIALS_DIRECTORY/NAME (systemd's LoadCredential=) or the environment. Values are secrets:
 * no message quotes one, nor the text around a bad reference (it may be part of a password).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "config/config_internal.h"

/* A credential is a password or a token: a bound keeps a wrong file (a log, a disk image) out. */
#define CREDENTIAL_MAX 65536

typedef struct text {
  char *data;
  size_t len, cap;
} text_t;

static int put(text_t *t, const char *s, size_t n) {
  if (t->len + n + 1 > t->cap) {
    size_t cap = t->cap ? t->cap : 64;
    while (cap < t->len + n + 1) cap *= 2;
    char *grown = realloc(t->data, cap);
    if (!grown) return -1;
    t->data = grown;
    t->cap = cap;
  }
  memcpy(t->data + t->len, s, n);
  t->len += n;
  t->data[t->len] = 0;
  return 0;
}

/* The file's bytes, one trailing newline (as an editor or `echo` leaves it) dropped. 1: no such
 * file, 0: read into `out`, negative: an error naming the file. */
static int read_credential(const valkka_config_t *c, const char *field, const char *dir,
                           const char *name, text_t *out) {
  char path[4096];
  if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) return 1;
  FILE *f = fopen(path, "rb");
  if (!f) {
    if (errno == ENOENT) return 1;
    const int err = errno;
    return valkka_error_set(error_from_errno(err), "config %s: %s: ${%s}: credential %s: %s",
                            c->path, field, name, path, strerror(err));
  }
  char buf[4096];
  size_t n;
  int status = 0;
  while (!status && (n = fread(buf, 1, sizeof buf, f)) > 0) {
    if (out->len + n > CREDENTIAL_MAX)
      status = config_bad(c, field, "${%s}: credential %s: more than %d bytes", name, path,
                          CREDENTIAL_MAX);
    else if (put(out, buf, n) != 0)
      status = config_no_memory(c);
  }
  if (!status && ferror(f))
    status = valkka_error_set(VALKKA_EIO, "config %s: %s: ${%s}: credential %s: read error",
                              c->path, field, name, path);
  fclose(f);
  if (!status && out->len && out->data[out->len - 1] == '\n') out->data[--out->len] = 0;
  if (!status && out->len && out->data[out->len - 1] == '\r') out->data[--out->len] = 0;
  if (!status && !out->data) status = put(out, "", 0) ? config_no_memory(c) : 0;
  return status;
}

/* ${NAME} at `*p` (just past "${") appended to `out`; `*p` moves past the "}". */
static int expand(const valkka_config_t *c, const char *field, const char **p, text_t *out) {
  const char *name = *p, *end = name;
  while (*end == '_' || isalnum((unsigned char)*end)) end++;
  if (*end != '}' || end == name || isdigit((unsigned char)*name))
    return config_bad(c, field,
                      "\"${\" must start a variable name of letters, digits and _ (not first) "
                      "closed by \"}\"; write $$ for a literal $");
  char var[256];
  if ((size_t)(end - name) >= sizeof var) return config_bad(c, field, "variable name too long");
  memcpy(var, name, (size_t)(end - name));
  var[end - name] = 0;
  *p = end + 1;
  const char *dir = getenv("CREDENTIALS_DIRECTORY");
  if (dir && *dir) {
    text_t value = {0};
    int found = read_credential(c, field, dir, var, &value);
    if (found <= 0) {
      int status = found ? found : put(out, value.data, value.len) ? config_no_memory(c) : 0;
      free(value.data);
      return status;
    }
  }
  const char *env = getenv(var);
  if (!env)
    return config_bad(c, field, "${%s} is not defined: no environment variable %s, %s", var, var,
                      dir && *dir ? "no file of that name in $CREDENTIALS_DIRECTORY"
                                  : "no $CREDENTIALS_DIRECTORY");
  return put(out, env, strlen(env)) ? config_no_memory(c) : 0;
}

/* The string `value` of `field` with its references replaced. */
static int substitute_string(const valkka_config_t *c, const char *field, json_t *value) {
  const char *s = json_string_value(value);
  if (!strchr(s, '$')) return 0;
  text_t out = {0};
  int status = put(&out, "", 0) ? config_no_memory(c) : 0;
  while (!status && *s) {
    const char *dollar = strchr(s, '$');
    const size_t plain = dollar ? (size_t)(dollar - s) : strlen(s);
    if (put(&out, s, plain)) status = config_no_memory(c);
    s += plain;
    if (status || !*s) break;
    if (s[1] == '$') { /* "$$": one "$" */
      status = put(&out, "$", 1) ? config_no_memory(c) : 0;
      s += 2;
    } else if (s[1] == '{') {
      s += 2;
      status = expand(c, field, &s, &out);
    } else { /* a lone "$" stays: passwords written before ${} existed keep working */
      status = put(&out, "$", 1) ? config_no_memory(c) : 0;
      s++;
    }
  }
  if (!status && json_string_setn(value, out.data, out.len) != 0) status = config_no_memory(c);
  if (out.data) memset(out.data, 0, out.cap); /* a secret: not left in freed memory */
  free(out.data);
  return status;
}

static int walk(const valkka_config_t *c, const char *field, json_t *node) {
  char name[512];
  int status = 0;
  if (json_is_string(node)) return substitute_string(c, field, node);
  if (json_is_array(node)) {
    size_t i;
    json_t *item;
    json_array_foreach(node, i, item) {
      snprintf(name, sizeof name, "%s[%zu]", field, i);
      if ((status = walk(c, name, item))) return status;
    }
  } else if (json_is_object(node)) {
    const char *key;
    json_t *item;
    json_object_foreach(node, key, item) {
      snprintf(name, sizeof name, "%s%s%s", field, *field ? "." : "", key);
      if ((status = walk(c, name, item))) return status;
    }
  }
  return 0;
}

int config_substitute(const valkka_config_t *config, json_t *root) {
  return walk(config, "", root);
}
