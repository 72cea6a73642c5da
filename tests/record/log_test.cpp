/* SPDX-License-Identifier: LGPL-2.1-or-later */
// $VALKKA_LOG unset means level warn (README.md, "The `valkka` command"): a recording with a
// camera that fails prints the library's warning about it and none of its info lines, which the
// same run at VALKKA_LOG=info does print.
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

CliResult record_with_bad_camera(const TempDir &tmp, const std::vector<std::string> &env) {
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json");
  if (access(fs.c_str(), F_OK) != 0) {
    EXPECT_EQ(create_fs(fs, VALKKA_FS_MULTI, 1 << 20, 8), 0) << valkka_last_error();
  }
  write_door_and_gate(fs, config);
  return cli_run({"record", "--config", config, "--duration", "1"}, tmp.path(), 60000, env);
}

TEST(RecordLog, UnsetMeansWarn) {
  TempDir tmp;
  CliResult info = record_with_bad_camera(tmp, {"VALKKA_LOG=info"});
  ASSERT_EQ(info.status, 0) << info.err;
  ASSERT_NE(info.err.find("valkka info "), std::string::npos)
      << "no info line to miss: " << info.err;
  // The tests run with VALKKA_LOG=warn: the child inherits the environment without it.
  const char *was = getenv("VALKKA_LOG");
  const std::string saved = was ? was : "";
  unsetenv("VALKKA_LOG");
  CliResult unset = record_with_bad_camera(tmp, {});
  if (was) setenv("VALKKA_LOG", saved.c_str(), 1);
  ASSERT_EQ(unset.status, 0) << unset.err;
  EXPECT_NE(unset.err.find("valkka warn live: gate"), std::string::npos) << unset.err;
  EXPECT_EQ(unset.err.find("valkka info "), std::string::npos) << unset.err;
  EXPECT_EQ(unset.err.find("valkka debug "), std::string::npos) << unset.err;
  EXPECT_NE(unset.err.find("door: streaming"), std::string::npos) << unset.err;
}

}  // namespace
