/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The argument parsing every `valkka` command shares (cli_args.h). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"

/* More long options than any command has; the table is copied to add --help. */
#define MAX_OPTIONS 16

static int usage_status(const cli_spec_t *spec) {
  return spec->usage_status ? spec->usage_status : CLI_USAGE;
}

static int vsay(const cli_spec_t *spec, bool with_usage, const char *fmt, va_list ap) {
  fputs("valkka: ", stderr);
  if (spec->name) fprintf(stderr, "%s: ", spec->name);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  if (with_usage) fprintf(stderr, "%s\n", spec->usage);
  return usage_status(spec);
}

int cli_usage_error(const cli_spec_t *spec, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int status = vsay(spec, spec->usage_on_error, fmt, ap);
  va_end(ap);
  return status;
}

int cli_value_error(const cli_spec_t *spec, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const int status = vsay(spec, false, fmt, ap);
  va_end(ap);
  return status;
}

void cli_args_help(const cli_spec_t *spec, FILE *out) {
  fprintf(out, "%s\n", spec->usage);
  if (spec->help) fprintf(out, "\n%s", spec->help);
}

/* The parser's own usage errors; without the usage line, they say where it is. */
static int shape_error(const cli_spec_t *spec, const char *fmt, const char *arg) {
  char message[512];
  snprintf(message, sizeof message, fmt, arg);
  if (spec->usage_on_error) return cli_usage_error(spec, "%s", message);
  return cli_usage_error(spec, "%s (valkka%s%s --help prints the usage)", message,
                         spec->name ? " " : "", spec->name ? spec->name : "");
}

/* How many of the long options `arg` ("--na", "--na=value") is a prefix of. */
static int prefix_of(const struct option *options, const char *arg) {
  const size_t len = strcspn(arg + 2, "=");
  int n = 0;
  for (const struct option *o = options; o->name; o++) n += !strncmp(o->name, arg + 2, len);
  return n;
}

/* getopt's '?': an unknown option, a value given to one that takes none, an ambiguous prefix. */
static int unknown_option(const cli_spec_t *spec, const struct option *options, char **argv) {
  const char *arg = argv[optind - 1];
  if (!strncmp(arg, "--", 2))
    return shape_error(spec,
                       optopt && strchr(arg, '=')    ? "option '%s' takes no value"
                       : prefix_of(options, arg) > 1 ? "option '%s' is ambiguous"
                                                     : "unknown option '%s'",
                       arg);
  const char text[3] = {'-', (char)optopt, '\0'};
  return shape_error(spec, "unknown option '%s'", text);
}

static int parse_options(const cli_spec_t *spec, int argc, char **argv, void *ctx, int *status) {
  struct option options[MAX_OPTIONS + 2];
  size_t n = 0;
  for (const struct option *o = spec->options; o && o->name; o++) {
    if (n == MAX_OPTIONS) abort(); /* a command's table outgrew MAX_OPTIONS */
    options[n++] = *o;
  }
  options[n++] = (struct option){"help", no_argument, NULL, 'h'};
  options[n] = (struct option){0};
  /* ':' first: a missing value is told apart from an unknown option. */
  const char *shortopts = spec->order == CLI_STOP       ? "+:h"
                          : spec->order == CLI_IN_ORDER ? "-:h"
                                                        : ":h";
  opterr = 0;
  optind = 0; /* glibc: start over, as main has parsed before the subcommand */
  int opt;
  while ((opt = getopt_long(argc, argv, shortopts, options, NULL)) != -1) {
    if (opt == 'h') {
      cli_args_help(spec, stdout);
      return *status = CLI_OK, -1;
    }
    const int st = opt == '?'   ? unknown_option(spec, options, argv)
                   : opt == ':' ? shape_error(spec, "%s needs a value", argv[optind - 1])
                                : spec->option(ctx, opt, optarg); /* only options of its table */
    if (st) return *status = st, -1;
  }
  return optind;
}

int cli_args_parse(const cli_spec_t *spec, int argc, char **argv, void *ctx, int *status) {
  int first = parse_options(spec, argc, argv, ctx, status);
  if (first < 0) return -1;
  /* After `--` the rest are operands, in order too. */
  for (; spec->order == CLI_IN_ORDER && first < argc; first++) {
    const int st = spec->option(ctx, CLI_OPERAND, argv[first]);
    if (st) return *status = st, -1;
  }
  const int n = argc - first;
  if (n < spec->min_operands) {
    *status = shape_error(spec, "%s is missing", spec->operands);
    return -1;
  }
  if (spec->max_operands >= 0 && n > spec->max_operands) {
    *status = shape_error(spec, "unexpected argument '%s'", argv[first + spec->max_operands]);
    return -1;
  }
  if (spec->check && (*status = spec->check(ctx))) return -1;
  return first;
}
