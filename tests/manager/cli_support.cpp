/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The play / export tests' shared pieces (cli_support.h).
#include "cli_support.h"

#include <gtest/gtest.h>
#include <jansson.h>
#include <sys/stat.h>

namespace mgr_test {

void record_fs(const std::string &dir, const std::vector<StreamSpec> &streams, Oracle *oracle) {
  ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 262144, 32), 0) << valkka_last_error();
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  record(fs, streams, oracle);
  valkka_fs_close(fs);
}

recordtest::CliResult valkka(const std::vector<std::string> &args, const TempDir &tmp) {
  return recordtest::cli_run(args, tmp.path(), 120000);
}

bool file_exists(const std::string &path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::vector<PlayLine> play_lines(const std::string &out) {
  std::vector<PlayLine> lines;
  for (const std::string &text : recordtest::split_lines(out)) {
    if (text.empty()) continue;
    json_t *row = json_loads(text.c_str(), 0, nullptr);
    EXPECT_TRUE(json_is_object(row)) << "not a JSON object: " << text;
    if (!row) continue;
    PlayLine l;
    l.stream = uint32_t(json_integer_value(json_object_get(row, "stream")));
    l.mstime = json_integer_value(json_object_get(row, "mstime"));
    l.keyframe = json_is_true(json_object_get(row, "keyframe"));
    l.audio = json_object_get(row, "audio") != nullptr;
    l.width = long(json_integer_value(json_object_get(row, "width")));
    l.height = long(json_integer_value(json_object_get(row, "height")));
    EXPECT_GT(l.mstime, 0) << text;
    lines.push_back(l);
    json_decref(row);
  }
  return lines;
}

}  // namespace mgr_test
