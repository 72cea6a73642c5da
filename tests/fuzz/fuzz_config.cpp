/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The camera config of `valkka record --config FILE` (libvalkka's loader, config.h, through
// core-c/cli/cmd_record_config.c into the plan of cmd_record_plan.c): the input is the config file. Promises checked: a config that
// loads gives a plan whose cameras all have a URL and a known FS, and a finished plan gives every
// camera a stream id unique within its FS.
#include <unistd.h>

#include <string>

#include "fuzz_support.h"

extern "C" {
#include "cmd_record.h"
}

namespace {

std::string g_path;

void check_plan(const record_plan_t &plan) {
  for (size_t i = 0; i < plan.n_cameras; i++) {
    const record_camera_t &c = plan.cameras[i];
    if (!c.url || !c.url[0] || !c.origin || c.fs >= plan.n_fs)
      fuzz::broken("a loaded camera without a URL or an FS", 0);
    for (size_t k = 0; k < c.n_options; k++)
      if (!c.options[k].key || !c.options[k].value) fuzz::broken("an option without text", 0);
  }
  for (size_t i = 0; i < plan.n_fs; i++)
    if (!plan.fs[i].dir || !plan.fs[i].key || !plan.fs[i].origin)
      fuzz::broken("an FS without a directory", 0);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::init();
  g_path = fuzz::scratch() + "/cameras.json";
  // Relative FS directories in a config are taken from the current directory: the scratch one.
  if (chdir(fuzz::scratch().c_str()) != 0) fuzz::broken("chdir to the scratch directory", 0);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::write_file(g_path, data, size)) fuzz::broken("cannot write the config", 0);
  record_plan_t plan{};
  if (record_config_load(g_path.c_str(), &plan) == 0) {
    check_plan(plan);
    if (record_plan_finish(&plan) == 0) {
      check_plan(plan);
      for (size_t i = 0; i < plan.n_cameras; i++) {
        if (!plan.cameras[i].stream_id) fuzz::broken("a camera without a stream id", 0);
        for (size_t j = 0; j < i; j++)
          if (plan.cameras[i].fs == plan.cameras[j].fs &&
              plan.cameras[i].stream_id == plan.cameras[j].stream_id)
            fuzz::broken("two cameras of one FS share a stream id", 0);
      }
    }
  }
  record_plan_free(&plan);
  return 0;
}
