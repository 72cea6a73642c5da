/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The remote FS options of the commands that read an FS (cli_remote.h). */
#include <getopt.h>

#include "cli_remote.h"

static void set(cli_remote_t *r, const char *key, const char *value) {
  for (size_t i = 0; i < r->n_options; i++)
    if (r->options[i].key == key) {
      r->options[i].value = value;
      return;
    }
  r->options[r->n_options++] = (valkka_option_t){key, value};
}

int cli_remote_option(cli_remote_t *r, int opt, const char *value) {
  switch (opt) {
    case CLI_REMOTE_CA_FILE: set(r, "ca_file", value); return 1;
    case CLI_REMOTE_TOKEN_FILE: set(r, "bearer_token_file", value); return 1;
  }
  return 0;
}

void cli_remote_params(const cli_remote_t *r, valkka_fs_open_params_t *p) {
  p->options = r->n_options ? r->options : NULL;
  p->n_options = r->n_options;
}
