/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkkafs.json (core-c/src/fs/json.c, and the checks of the files against it in backend.c)
// through valkka_fs_open and valkka_fs_fsck: the input is the valkkafs.json of a directory
// holding the blocktable and blocks of a 4 x 64 KiB FS. Only read-only opens and checks, so a
// mutated "data" path is never written to.
#include <sys/stat.h>

#include <string>
#include <vector>

#include "fuzz_support.h"

namespace {

std::string g_dir;

int drop(void *, const valkka_frame_t *) { return 0; }

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  fuzz::init();
  const std::string tmpl = fuzz::scratch() + "/template";
  valkka_fs_create_params_t cp{};
  cp.struct_size = sizeof cp;
  cp.kind = VALKKA_FS_MULTI;
  cp.block_size = fuzz::kBlockSize;
  cp.n_blocks = fuzz::kBlocks;
  int err = valkka_fs_create(tmpl.c_str(), &cp);
  if (err) fuzz::broken("cannot make the template FS", err);
  g_dir = tmpl;
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fuzz::write_file(g_dir + "/valkkafs.json", data, size))
    fuzz::broken("cannot write valkkafs.json", 0);
  valkka_fs_open_params_t ro{};
  ro.struct_size = sizeof ro;
  ro.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(g_dir.c_str(), &ro, &fs) == 0) {
    valkka_fs_info_t info{};
    info.struct_size = sizeof info;
    if (valkka_fs_get_info(fs, &info) != 0 || info.block_size != fuzz::kBlockSize ||
        info.n_blocks != fuzz::kBlocks)
      fuzz::broken("an FS opened with a geometry its files do not have", 0);
    fuzz::read_all(fs, drop, nullptr);
    valkka_fs_close(fs);
  }
  valkka_fs_fsck_report_t report{};
  report.struct_size = sizeof report;
  valkka_fs_fsck(g_dir.c_str(), 0, &report);
  return 0;
}
