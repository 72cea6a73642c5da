/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* `valkka plugins` and `valkka plugin-info PATH`. */
#include <stdio.h>

#include <valkka/valkka.h>

#include "cli_args.h"
#include "commands.h"

static void print_info(const valkka_plugin_info_t *info) {
  printf("%-8s %-20s %-8s ABI %u.%u  %s\n", valkka_plugin_kind_name(info->kind), info->name,
         info->version, info->abi_major, info->abi_minor, info->path);
}

static const cli_spec_t plugins_spec = {
    .name = "plugins",
    .usage = "usage: valkka plugins",
    .help = "Lists the plugins found in $VALKKA_PLUGIN_PATH (colon-separated directories) and the\n"
            "installed plugin directory: kind, name, version, ABI, file. Exit 1 when none is "
            "found.\n",
};

static const cli_spec_t plugin_info_spec = {
    .name = "plugin-info",
    .usage = "usage: valkka plugin-info PATH",
    .help = "Loads the plugin file PATH, after the installed ones, and prints its descriptor, or\n"
            "why the loader refuses it.\n",
    CLI_ONE_OPERAND("PATH"),
};

int cmd_plugins(int argc, char **argv) {
  int status = 0;
  if (cli_args_parse(&plugins_spec, argc, argv, NULL, &status) < 0) return status;
  int n = valkka_plugins_load();
  if (n <= 0)
    return cli_fail("plugins: no plugins found in $VALKKA_PLUGIN_PATH or %s", valkka_plugin_dir());
  for (int i = 0; i < n; i++) {
    valkka_plugin_info_t info = {.struct_size = sizeof info};
    if (valkka_plugin_get(i, &info) == 0) print_info(&info);
  }
  return 0;
}

int cmd_plugin_info(int argc, char **argv) {
  int status = 0;
  const int path = cli_args_parse(&plugin_info_spec, argc, argv, NULL, &status);
  if (path < 0) return status;
  /* Load the installed set first, so a duplicate name is caught as it would be in real use. */
  valkka_log_level_t level = valkka_log_get_level();
  valkka_log_set_level(VALKKA_LOG_ERROR);
  valkka_plugins_load();
  valkka_log_set_level(level);
  valkka_plugin_info_t info = {.struct_size = sizeof info};
  int err = valkka_plugin_load_file(argv[path], &info);
  if (err) return cli_fail("%s (%s)", valkka_last_error(), valkka_err_name(err));
  printf("path:        %s\nkind:        %s\nname:        %s\nversion:     %s\nABI:         %u.%u\n"
         "description: %s\n",
         info.path, valkka_plugin_kind_name(info.kind), info.name, info.version, info.abi_major,
         info.abi_minor, info.description);
  /* The options open() reads (plugin.h, since ABI 1.1): a camera's config may give only these. */
  const valkka_plugin_t *desc = valkka_plugin_find(info.kind, info.name);
  if (desc && desc->options) {
    printf("options:\n");
    for (const valkka_plugin_option_t *o = desc->options; o->name; o++)
      printf("  %-20s %s\n", o->name, o->description ? o->description : "");
  } else if (info.kind == VALKKA_PLUGIN_SOURCE) {
    printf("options:     (not declared: any key is handed on)\n");
  }
  return 0;
}
