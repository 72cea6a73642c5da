/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka`: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include <valkka/valkka.h>

#include "cli_args.h"
#include "cli_avlog.h"
#include "cli_log.h"
#include "commands.h"

static const cli_command_t commands[] = {
    {"plugins", "", "list the plugins found: kind, name, version, ABI", cmd_plugins},
    {"plugin-info", "PATH", "load one plugin file; print its descriptor or the error",
     cmd_plugin_info},
    {"fs", "create|inspect|fsck DIR ...", "create, inspect or check a ValkkaFS", cmd_fs},
    {"probe", "URL [KEY=VALUE ...]", "codec, resolution, frame rate of a source", cmd_probe},
    {"record", "--config FILE | --fs DIR --synthetic N", "record cameras into ValkkaFS",
     cmd_record},
    {"play", "--fs DIR [--fs DIR ...] --from TIME [--to TIME] [--speed X] [--json]",
     "play recordings back through the decoder", cmd_play},
    {"export", "--fs DIR (--stream ID | --camera NAME | --all) --from TIME --to TIME OUT",
     "remux cameras' recordings into files (no re-encode)", cmd_export},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

/* The listing of `valkka --help`, built from the table once. */
static char listing[4096];

static int main_option(void *ctx, int opt, const char *value) {
  (void)value;
  if (opt == 'V') *(int *)ctx = 1;
  return 0;
}

static const struct option main_options[] = {{"version", no_argument, NULL, 'V'}, {0}};

static const cli_spec_t main_spec = {
    .usage = "usage: valkka [--version] COMMAND [ARGS]   (valkka COMMAND --help: its usage)",
    .help = listing,
    .options = main_options,
    .order = CLI_STOP,
    .operands = "COMMAND",
    .max_operands = -1,
    .option = main_option,
};

static void list_commands(void) {
  size_t used = (size_t)snprintf(listing, sizeof listing, "commands:\n");
  for (size_t i = 0; i < n_commands && used < sizeof listing; i++)
    used += (size_t)snprintf(listing + used, sizeof listing - used, "  valkka %s %s\n      %s\n",
                             commands[i].name, commands[i].usage, commands[i].summary);
  if (used < sizeof listing)
    snprintf(listing + used, sizeof listing - used,
             "\nexit status: 0 done, 1 failed, 2 usage error (fs fsck: as fsck(8))\n"
             "environment: VALKKA_PLUGIN_PATH (plugin dirs, colon-separated), "
             "VALKKA_LOG=debug|info|warn|error\n");
}

int main(int argc, char **argv) {
  cli_log_init();
  cli_avlog_init();
  list_commands();
  int version = 0, status = 0;
  const int first = cli_args_parse(&main_spec, argc, argv, &version, &status);
  if (first < 0) return status;
  if (version) {
    printf("valkka %s (ABI %d.%d)\n", valkka_version_string(), VALKKA_ABI_MAJOR, VALKKA_ABI_MINOR);
    return 0;
  }
  if (first == argc) {
    cli_args_help(&main_spec, stderr);
    return CLI_USAGE;
  }
  if (!strcmp(argv[first], "help")) {
    cli_args_help(&main_spec, stdout);
    return 0;
  }
  for (size_t i = 0; i < n_commands; i++)
    if (!strcmp(argv[first], commands[i].name)) return commands[i].run(argc - first, argv + first);
  return cli_usage_error(&main_spec, "unknown command '%s' (valkka help lists them)", argv[first]);
}
