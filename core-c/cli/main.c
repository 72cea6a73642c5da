/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka`: dispatches to a subcommand. */
#include <stdio.h>
#include <string.h>

#include <valkka/valkka.h>

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
    {"export", "--fs DIR --stream ID --from TIME --to TIME OUT.mp4",
     "remux one stream's recording into a file (no re-encode)", cmd_export},
};
static const size_t n_commands = sizeof commands / sizeof commands[0];

static void usage(FILE *out) {
  fprintf(out, "usage: valkka COMMAND [ARGS]\n\ncommands:\n");
  for (size_t i = 0; i < n_commands; i++)
    fprintf(out, "  valkka %s %s\n      %s\n", commands[i].name, commands[i].usage,
            commands[i].summary);
  fprintf(out, "\nenvironment: VALKKA_PLUGIN_PATH (plugin dirs, colon-separated), "
               "VALKKA_LOG=debug|info|warn|error\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  if (!strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
    usage(stdout);
    return 0;
  }
  if (!strcmp(argv[1], "--version")) {
    printf("valkka %s (ABI %d.%d)\n", valkka_version_string(), VALKKA_ABI_MAJOR, VALKKA_ABI_MINOR);
    return 0;
  }
  for (size_t i = 0; i < n_commands; i++)
    if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
  cli_fail("unknown command '%s' (valkka help lists them)", argv[1]);
  return 2;
}
