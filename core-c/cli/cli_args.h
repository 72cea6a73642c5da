/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The argument parsing every `valkka` command shares: getopt_long with -h/--help added, one line
 * of our own for an unknown option or a missing value (getopt's messages are off), the operand
 * count, and the exit codes. A command describes itself in a cli_spec_t and handles its options
 * in one callback.
 */
#ifndef VALKKA_CLI_ARGS_H
#define VALKKA_CLI_ARGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

enum { CLI_OK = 0, CLI_FAILURE = 1, CLI_USAGE = 2 };

/* The operand callback's `opt` in CLI_IN_ORDER parsing. */
#define CLI_OPERAND 1

typedef enum cli_order {
  CLI_PERMUTE,  /* options and operands mixed, operands returned after the options */
  CLI_STOP,     /* options end at the first operand: a subcommand follows (valkka, valkka fs) */
  CLI_IN_ORDER, /* operands go to the callback as CLI_OPERAND, where they stand among the options */
} cli_order_t;

typedef struct cli_spec {
  const char *name;  /* "play", "fs create": the messages' prefix; NULL for valkka */
  const char *usage; /* "usage: valkka play ...", one or more lines without the last \n */
  const char *help;  /* printed after the usage by --help (options, meaning), or NULL */
  const struct option *options; /* the long options, {0}-terminated; --help is added */
  cli_order_t order;
  int usage_status;     /* the exit status of a usage error: CLI_USAGE (fsck: 16) */
  bool usage_on_error;  /* a mistake in the arguments' shape adds the usage line (play, export) */
  const char *operands; /* what the operands are, for "missing DIR": "DIR", "URL", NULL for none */
  int min_operands, max_operands; /* max -1: no limit */
  /* One option (its `val`, `value` its argument or NULL) or CLI_OPERAND: 0, or the exit status
     after printing its one line (cli_usage_error, cli_value_error). NULL with no options. */
  int (*option)(void *ctx, int opt, const char *value);
  /* After the options and operands: what they must be together (one of two options required).
     0, or the exit status after printing its one line. NULL: nothing to check. */
  int (*check)(void *ctx);
} cli_spec_t;

/* The spec's fields for one operand, `what`. */
#define CLI_ONE_OPERAND(what) .operands = (what), .min_operands = 1, .max_operands = 1

/*
 * Parses argv (argv[0] is the command's name) from the start, getopt being re-initialised.
 * Returns the index of the first operand, their count and the spec's check passed; or -1 when
 * the command is done, with *status its exit status: 0 after --help (usage on stdout), the usage
 * status after a usage error (one line on stderr), or what a callback returned.
 */
int cli_args_parse(const cli_spec_t *spec, int argc, char **argv, void *ctx, int *status);

/* `--help`'s output on `out`. */
void cli_args_help(const cli_spec_t *spec, FILE *out);

/* A mistake in the arguments' shape (an option missing, two that exclude each other): "valkka:
 * NAME: message", then the usage when the spec says so. Returns spec->usage_status. */
int cli_usage_error(const cli_spec_t *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A malformed value ("--speed 20: expected ..."): one line. Returns spec->usage_status. */
int cli_value_error(const cli_spec_t *spec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
