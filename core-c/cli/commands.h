/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The subcommands of `valkka`. Each returns the process exit status. */
#ifndef VALKKA_CLI_COMMANDS_H
#define VALKKA_CLI_COMMANDS_H

typedef struct cli_command {
  const char *name;
  const char *usage; /* argument synopsis, shown by `valkka help` */
  const char *summary;
  int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command_t;

/* Prints "valkka: <message>" on stderr (one line) and returns the failure exit status. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_fail with "<what>: <valkka_last_error() or strerror text>". */
int cli_fail_code(int code, const char *what);

int cmd_plugins(int argc, char **argv);
int cmd_plugin_info(int argc, char **argv);
int cmd_fs(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_play(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_record(int argc, char **argv);

#endif
