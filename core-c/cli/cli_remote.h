/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The options of every command that reads an FS, for one served over HTTP (storage-http): a
 * site's own CA and a bearer token, both from files so that no secret is in argv (which `ps`
 * shows). A password goes in the URL's userinfo or in ~/.netrc; either way it is never printed.
 */
#ifndef VALKKA_CLI_REMOTE_H
#define VALKKA_CLI_REMOTE_H

#include <stddef.h>

#include <valkka/fs.h>

/* Their getopt values, and the entries for a command's long options table. */
enum { CLI_REMOTE_CA_FILE = 0x100, CLI_REMOTE_TOKEN_FILE = 0x101 };
#define CLI_REMOTE_OPTIONS                                       \
  {"ca-file", required_argument, NULL, CLI_REMOTE_CA_FILE}, {    \
    "token-file", required_argument, NULL, CLI_REMOTE_TOKEN_FILE \
  }
#define CLI_REMOTE_HELP                                                                      \
  "An FS may be the URL of one an HTTP server serves (http:// or https://, a password as\n"  \
  "its userinfo or in ~/.netrc): --ca-file FILE trusts a site's own CA, --token-file FILE\n" \
  "sends the bearer token the file's first line holds.\n"

typedef struct cli_remote {
  valkka_option_t options[2];
  size_t n_options;
} cli_remote_t;

/* Takes `opt` when it is one of CLI_REMOTE_OPTIONS: 1; else 0. */
int cli_remote_option(cli_remote_t *r, int opt, const char *value);

/* `p` (a read-only open) with the options given: they live as long as `r`. */
void cli_remote_params(const cli_remote_t *r, valkka_fs_open_params_t *p);

#endif
