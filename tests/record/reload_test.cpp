/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka record --config FILE` and SIGHUP (README.md, "Reloading the config"): a camera the new
// config leaves as it was records on without losing a frame, a changed one restarts, a new one
// starts, a gone one stops, and a config that does not parse changes nothing. Passwords come from
// ${VAR} (the environment, a $CREDENTIALS_DIRECTORY file) and appear in no output nor in
// status.json, which names every camera and, once the recorder stopped, says so.
#include <jansson.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "cli_process.h"
#include "fs_test_util.h"

using namespace fstest;
using namespace recordtest;

namespace {

constexpr const char *kEnvSecret = "envsecret-31415";
constexpr const char *kFileSecret = "filesecret-27182";
constexpr int64_t kIntervalMs = 40;  // the synthetic cameras' 25 fps

// Three cameras before the reload: "one" and "two" record, "door" (a password from the
// environment) is refused by 127.0.0.1:1 and keeps reconnecting.
std::string config_before(const std::string &fs) {
  return R"({"fs": {"dir": ")" + fs + R"(", "create": {"blocks": 64}}, "cameras": [
    {"name": "one", "url": "synthetic://0", "id": 1},
    {"name": "two", "url": "synthetic://1", "id": 2},
    {"name": "door", "url": "rtsp://viewer:${VALKKA_TEST_DOOR_PW}@127.0.0.1:1/live", "id": 4}]})";
}

// After: "one" as it was, "two" with another option, "three" new in an FS of its own (created),
// "door" with its password from the credentials directory now (a changed URL: restarted).
std::string config_after(const std::string &fs, const std::string &fs2) {
  return R"({"fs": {"dir": ")" + fs + R"(", "create": {"blocks": 64}}, "cameras": [
    {"name": "one", "url": "synthetic://0", "id": 1},
    {"name": "two", "url": "synthetic://1", "id": 2, "options": {"gop": 50}},
    {"name": "door", "url": "rtsp://viewer:${DOOR_FILE_PW}@127.0.0.1:1/live", "id": 4},
    {"name": "three", "url": "synthetic://2", "id": 3,
     "fs": {"dir": ")" +
         fs2 + R"(", "create": {"blocks": 16}}}]})";
}

// status.json's camera `name`, or null; `root` keeps it.
json_t *status_camera(json_t *root, const std::string &name) {
  json_t *cam;
  size_t i;
  json_array_foreach(json_object_get(root, "cameras"), i, cam) {
    if (name == json_string_value(json_object_get(cam, "name"))) return cam;
  }
  return nullptr;
}

// Waits until status.json says camera `name` is streaming with more than `frames` frames.
bool wait_streaming(const std::string &path, const std::string &name, int64_t frames,
                    int timeout_ms) {
  for (int waited = 0; waited < timeout_ms; waited += 50) {
    json_t *root = json_loads(read_text(path).c_str(), 0, nullptr);
    json_t *cam = root ? status_camera(root, name) : nullptr;
    const bool ok = cam &&
                    std::string(json_string_value(json_object_get(cam, "state"))) == "streaming" &&
                    json_integer_value(json_object_get(cam, "frames")) > frames;
    json_decref(root);
    if (ok) return true;
    usleep(50000);
  }
  return false;
}

// Every encoded frame time of `stream_id` in the FS, in order.
std::vector<int64_t> frame_times(const std::string &dir, uint32_t stream_id) {
  std::vector<int64_t> times;
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(fs, nullptr) << valkka_last_error();
  if (!fs) return times;
  std::vector<valkka_fs_block_t> table = read_table(fs);
  std::sort(table.begin(), table.end(),
            [](const valkka_fs_block_t &a, const valkka_fs_block_t &b) { return a.seq < b.seq; });
  for (const valkka_fs_block_t &b : table) {
    if (b.flags & VALKKA_FS_BLOCK_VOID) continue;
    std::vector<Got> got;
    EXPECT_GE(valkka_fs_read_block(fs, b.index, collect, &got), 0) << valkka_last_error();
    for (const Got &g : got)
      if (g.stream_id == stream_id && g.kind == VALKKA_FRAME_ENCODED) times.push_back(g.mstime);
  }
  valkka_fs_close(fs);
  return times;
}

TEST(RecordReload, SighupAddsRestartsAndKeepsUntouchedCamerasWithoutAGap) {
  TempDir tmp;
  const std::string fs = tmp.sub("fs"), config = tmp.sub("cams.json"), creds = tmp.sub("creds");
  const std::string fs2 = tmp.sub("fs2"), status = fs + "/status.json",
                    status2 = fs2 + "/status.json";
  ASSERT_EQ(mkdir(creds.c_str(), 0700), 0);
  write_text(creds + "/DOOR_FILE_PW", std::string(kFileSecret) + "\n");
  write_text(config, config_before(fs));
  CliProcess p = cli_start({"record", "--config", config}, tmp.sub("out.txt"), tmp.sub("err.txt"),
                           {std::string("VALKKA_TEST_DOOR_PW=") + kEnvSecret,
                            "CREDENTIALS_DIRECTORY=" + creds});
  ASSERT_GT(p.pid, 0);
  const pid_t pid = p.pid;  // cli_wait clears it
  const bool before = wait_streaming(status, "one", 25, 30000) &&
                      wait_streaming(status, "two", 25, 30000);
  write_text(config, config_after(fs, fs2));
  if (before) kill(p.pid, SIGHUP);
  const bool after = before && wait_streaming(status2, "three", 25, 30000) &&
                     wait_for_text(p.err_path, "reload: two restarted", 10000) &&
                     wait_streaming(status, "two", 25, 30000);
  // A config that does not parse: refused, everything goes on.
  write_text(config, "{\"cameras\": [");
  if (after) kill(p.pid, SIGHUP);
  const bool refused = after && wait_for_text(p.err_path, "refused", 10000);
  json_t *root = json_loads(read_text(status).c_str(), 0, nullptr);
  const int64_t one_frames =
      json_integer_value(json_object_get(status_camera(root, "one"), "frames"));
  json_decref(root);
  const bool went_on = refused && wait_streaming(status, "one", one_frames + 25, 10000);
  // "three" gone: its FS, which no camera uses any more, is closed; its status.json says so.
  write_text(config, config_before(fs));
  if (went_on) kill(p.pid, SIGHUP);
  const bool closed = went_on && wait_for_text(p.err_path, "reload: FS " + fs2 + " closed", 10000);
  const std::string text2 = read_text(status2);
  kill(p.pid, SIGTERM);
  const int exit_status = cli_wait(p, 20000);
  const std::string out = read_text(p.out_path), err = read_text(p.err_path);
  ASSERT_TRUE(before) << "one and two never streamed: " << err;
  ASSERT_TRUE(after) << "three never streamed after SIGHUP: " << err;
  ASSERT_TRUE(refused) << err;
  ASSERT_TRUE(went_on) << "camera one stopped after the refused config: " << err;
  EXPECT_TRUE(closed) << err;
  EXPECT_EQ(exit_status, 0) << err;

  EXPECT_NE(err.find("config " + config + ": invalid JSON at line"), std::string::npos) << err;
  EXPECT_NE(err.find("reload: three added"), std::string::npos) << err;
  EXPECT_NE(err.find("reload: door restarted"), std::string::npos) << err;
  EXPECT_EQ(err.find("reload: one"), std::string::npos) << "one was touched: " << err;

  // "one" across both reloads: every frame one interval after the one before.
  const std::vector<int64_t> one = frame_times(fs, 1);
  ASSERT_GT(one.size(), 60u);  // 25 before, 25 of three, 25 after the refusal
  for (size_t i = 1; i < one.size(); i++)
    ASSERT_EQ(one[i] - one[i - 1], kIntervalMs) << "frame " << i << " of " << one.size();
  EXPECT_GT(frame_times(fs2, 3).size(), 25u);
  EXPECT_TRUE(frame_times(fs, 3).empty());
  EXPECT_NE(err.find("reload: three removed"), std::string::npos) << err;
  // Closed while the recorder ran on: "three" stopped, and the file says when.
  json_t *root2 = json_loads(text2.c_str(), 0, nullptr);
  ASSERT_NE(root2, nullptr) << text2;
  EXPECT_STREQ(json_string_value(json_object_get(status_camera(root2, "three"), "state")),
               "stopped")
      << text2;
  EXPECT_NE(json_object_get(json_object_get(root2, "recorder"), "stopped"), nullptr) << text2;
  json_decref(root2);
  EXPECT_GT(frame_times(fs, 2).size(), 50u);

  const std::string text = read_text(status);
  root = json_loads(text.c_str(), 0, nullptr);
  ASSERT_NE(root, nullptr) << text;
  json_t *recorder = json_object_get(root, "recorder");
  EXPECT_EQ(json_integer_value(json_object_get(recorder, "pid")), pid) << text;
  EXPECT_NE(json_object_get(recorder, "stopped"), nullptr) << text;
  std::set<std::string> names;
  json_t *cam;
  size_t i;
  json_array_foreach(json_object_get(root, "cameras"), i, cam) {
    names.insert(json_string_value(json_object_get(cam, "name")));
    EXPECT_STREQ(json_string_value(json_object_get(cam, "state")), "stopped") << text;
  }
  json_decref(root);
  EXPECT_EQ(names, (std::set<std::string>{"one", "two", "door"})) << text;
  // `fs inspect` shows the states beside the streams.
  const CliResult inspect = cli_run({"fs", "inspect", fs}, tmp.path());
  EXPECT_EQ(inspect.status, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("    one              stream 1: stopped since "), std::string::npos)
      << inspect.out;
  EXPECT_NE(inspect.out.find("stream 4: stopped"), std::string::npos) << inspect.out;
  for (const std::string &where : {out, err, text, text2, inspect.out}) {
    EXPECT_EQ(where.find(kEnvSecret), std::string::npos) << where;
    EXPECT_EQ(where.find(kFileSecret), std::string::npos) << where;
  }
}

}  // namespace
