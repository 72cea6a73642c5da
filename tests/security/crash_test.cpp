/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What a crash shows of a camera's password: nothing. `valkka record` streaming a camera that
// needs one (VALKKA_LOG=debug), killed by SIGSEGV or SIGABRT, or crashing for real (its storage
// plugin writes to a page it may not write), has printed nothing holding it, before or at its death
// (the core installs no fatal-signal handler; a sanitizer's report is a stack, not memory), and
// the real crash's core says it died of that fault, in that plugin. And `valkka probe URL`, the
// one command that takes a URL on its command
// line, does not keep the password there, where `ps`, /proc/PID/cmdline and crash reports
// (systemd-coredump records the command line) show it to anyone.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "cli_process.h"
#include "core_file.h"
#include "media_support.h"
#include "rtsp_proxy.h"
#include "rtsp_server_process.h"
#include "secrets.h"

using namespace std::chrono_literals;
using security::Credential;

namespace {

const std::vector<std::string> kDebug = {"VALKKA_LOG=debug"};

// No core files but the one test that reads its core: a dump holds the process's memory, URL
// included, by nature; that is the system's crash policy, not output of ours.
class NoCoreDumps : public ::testing::Environment {
 public:
  void SetUp() override {
    rlimit limit{};
    getrlimit(RLIMIT_CORE, &limit);
    limit.rlim_cur = 0;
    setrlimit(RLIMIT_CORE, &limit);
  }
};
::testing::Environment *const no_core_dumps = ::testing::AddGlobalTestEnvironment(new NoCoreDumps);

bool wait_for_text(const std::string &path, const std::string &needle, std::chrono::seconds limit) {
  for (auto end = std::chrono::steady_clock::now() + limit;
       std::chrono::steady_clock::now() < end;) {
    if (recordtest::read_text(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

// Reaps `pid` once it ends, killing it (SIGKILL) if it still runs after 60 s; its wait status.
int reap(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 6000; i++) {
    if (waitpid(pid, &status, WNOHANG) == pid) return status;
    std::this_thread::sleep_for(10ms);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return status;
}

// Kills `pid` with `sig` and reaps it; its wait status.
int kill_and_reap(pid_t pid, int sig) {
  kill(pid, sig);
  return reap(pid);
}

std::string read_proc(pid_t pid, const char *what) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + what, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  for (char &c : text)
    if (c == '\0') c = ' ';
  return text;
}

// A config in `dir` recording camera "door", which needs `viewer`'s password, into `dir`/fs
// (`create`: more members of the config's "fs"); its path.
std::string write_door_config(const std::string &dir, const std::string &create,
                              const Credential &viewer, int port) {
  const std::string config = dir + "/cams.json";
  recordtest::write_text(
      config, R"({"fs": {"dir": ")" + dir + R"(/fs")" + (create.empty() ? "" : ", " + create) +
                  R"(}, "cameras": [{"name": "door", "url": "rtsp://)" + viewer.userinfo() +
                  "@127.0.0.1:" + std::to_string(port) + R"(/cam0"}]})");
  return config;
}

class CrashOutput : public ::testing::TestWithParam<int> {};

TEST_P(CrashOutput, RecorderKilledWhileStreamingPrintsNoPassword) {
  const Credential viewer{"viewer", security::unique_password("Crash-")};
  RtspServerProcess server({"--auth", viewer.user + ":" + viewer.password});
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  media_test::TempDir tmp;
  const std::string config = write_door_config(tmp.path(),
                                               R"("create": {"blocks": 16, "block_size": "256K"})",
                                               viewer, server.port());
  const std::string out = tmp.path() + "/out", errs = tmp.path() + "/err";
  recordtest::CliProcess rec =
      recordtest::cli_start({"record", "--config", config}, out, errs, kDebug);
  ASSERT_GT(rec.pid, 0);
  ASSERT_TRUE(wait_for_text(errs, "door: streaming", 30s)) << recordtest::read_text(errs);
  // Nothing of the process's own description holds it either.
  EXPECT_EQ(security::find_leak({viewer}, read_proc(rec.pid, "cmdline"), "cmdline"), "");
  EXPECT_EQ(security::find_leak({viewer}, read_proc(rec.pid, "environ"), "environ"), "");
  const size_t before = recordtest::read_text(errs).size();
  int status = kill_and_reap(rec.pid, GetParam());
  rec.pid = -1;
  // Killed by the signal, or (a sanitizer's handler) exited after its report.
  EXPECT_TRUE(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0)) << status;
  const std::string all_err = recordtest::read_text(errs);
  printf("printed at the %s: %zu bytes\n", strsignal(GetParam()), all_err.size() - before);
  EXPECT_EQ(security::find_leak({viewer}, all_err, "stderr"), "");
  EXPECT_EQ(security::find_leak({viewer}, recordtest::read_text(out), "stdout"), "");
}

// The storage plugin of the FS (storage-faulty, found through $VALKKA_PLUGIN_PATH like any
// plugin) writes to a page it may not write at its 60th write, a couple of seconds into the stream.
TEST(RealCrash, RecorderCrashingInAPluginPrintsNoPasswordAndDiesThere) {
  const Credential viewer{"viewer", security::unique_password("Segv-")};
  RtspServerProcess server({"--auth", viewer.user + ":" + viewer.password});
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  media_test::TempDir tmp;
  const std::string faulty = VALKKA_FAULTY_PLUGIN;
  const char *path = getenv("VALKKA_PLUGIN_PATH");
  const std::string plugins = std::string("VALKKA_PLUGIN_PATH=") + (path ? path : "") + ":" +
                              faulty.substr(0, faulty.rfind('/'));
  recordtest::CliResult created =
      recordtest::cli_run({"fs", "create", tmp.path() + "/fs", "--kind", "multi", "--block-size",
                           "256K", "--blocks", "16", "--backend", "storage-faulty"},
                          tmp.path(), 60000, {plugins});
  ASSERT_EQ(created.status, 0) << created.err;
  const std::string config = write_door_config(tmp.path(), "", viewer, server.port());
  // The core goes to the working directory where the system's pattern says so.
  std::string why;
  const std::string core_prefix = security::core_prefix_in(tmp.path(), &why);
  rlimit limit{};
  getrlimit(RLIMIT_CORE, &limit);
  const rlim_t no_core = limit.rlim_cur;
  limit.rlim_cur = limit.rlim_max;
  if (limit.rlim_max == 0 && why.empty()) why = "the hard limit on core files is 0";
  setrlimit(RLIMIT_CORE, &limit);
  const std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(tmp.path());
  const std::string out = tmp.path() + "/out", errs = tmp.path() + "/err";
  recordtest::CliProcess rec = recordtest::cli_start({"record", "--config", config}, out, errs,
                                                     {"VALKKA_LOG=debug", plugins,
                                                      "VALKKA_FAULT=pwrite:after=60:code=SEGV"});
  std::filesystem::current_path(cwd);
  limit.rlim_cur = no_core;
  setrlimit(RLIMIT_CORE, &limit);
  ASSERT_GT(rec.pid, 0);
  const int status = reap(rec.pid);
  const pid_t pid = rec.pid;
  rec.pid = -1;
  const std::string all_err = recordtest::read_text(errs);
  EXPECT_NE(all_err.find("door: streaming"), std::string::npos) << all_err;
  EXPECT_EQ(security::find_leak({viewer}, all_err, "stderr"), "");
  EXPECT_EQ(security::find_leak({viewer}, recordtest::read_text(out), "stdout"), "");
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  // The sanitizer reports the fault and exits: its stack names the plugin.
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0) << status;
  EXPECT_TRUE(all_err.find("storage_faulty.c") != std::string::npos ||
              all_err.find("storage-faulty.so") != std::string::npos)
      << all_err.substr(all_err.size() > 4000 ? all_err.size() - 4000 : 0);
  (void)pid;
#else
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit status " << status;
  EXPECT_EQ(WTERMSIG(status), SIGSEGV);
  if (core_prefix.empty() || !why.empty()) {
    printf("the core is not checked: %s\n", why.c_str());
    return;
  }
  std::string core;
  for (const auto &entry : std::filesystem::directory_iterator(tmp.path()))
    if (entry.path().string().rfind(core_prefix, 0) == 0) core = entry.path();
  ASSERT_FALSE(core.empty()) << "no core of process " << pid << " in " << tmp.path();
  security::CoreCrash crash = security::read_core(core);
  ASSERT_EQ(crash.error, "") << core;
  EXPECT_EQ(crash.signal, SIGSEGV);
  EXPECT_NE(crash.file.find("storage-faulty.so"), std::string::npos)
      << "crashed in '" << crash.file << "'";
  printf("core %s: signal %d in %s\n", core.c_str(), crash.signal, crash.file.c_str());
#endif
}

INSTANTIATE_TEST_SUITE_P(FatalSignals, CrashOutput, ::testing::Values(SIGSEGV, SIGABRT),
                         [](const ::testing::TestParamInfo<int> &p) {
                           return std::string(p.param == SIGSEGV ? "SIGSEGV" : "SIGABRT");
                         });

// The probe is held in its connect (the proxy stalls), the way a slow camera holds it; its
// command line then shows the URL without the password, in the userinfo or in the query.
TEST(ProbeCommandLine, HoldsNoPasswordWhileItRunsNorWhenItCrashes) {
  const Credential viewer{"viewer", security::unique_password("Argv-")};
  const Credential query{"viewer", security::unique_password("ArgvQ-")};
  RtspServerProcess server({"--auth", viewer.user + ":" + viewer.password});
  std::string err;
  ASSERT_TRUE(server.start(&err)) << err;
  RtspProxy proxy(server.port());
  ASSERT_TRUE(proxy.ok());
  proxy.stall(true);
  media_test::TempDir tmp;
  const std::string out = tmp.path() + "/out", errs = tmp.path() + "/err";
  recordtest::CliProcess probe = recordtest::cli_start(
      {"probe", proxy.url("/h264", viewer.userinfo()) + "?channel=1&password=" + query.password,
       "timeout_ms=20000"},
      out, errs, kDebug);
  ASSERT_GT(probe.pid, 0);
  bool connected = false;
  for (int i = 0; i < 600 && !connected; i++) {
    connected = proxy.counters().accepted > 0;
    if (!connected) std::this_thread::sleep_for(50ms);
  }
  ASSERT_TRUE(connected) << "the probe never connected";
  const std::string cmdline = read_proc(probe.pid, "cmdline");
  EXPECT_EQ(security::find_leak({viewer, query}, cmdline, "cmdline"), "");
  EXPECT_NE(cmdline.find("@127.0.0.1:" + std::to_string(proxy.port()) + "/h264"), std::string::npos)
      << "the command line still names the camera: " << cmdline;
  int status = kill_and_reap(probe.pid, SIGSEGV);
  probe.pid = -1;
  EXPECT_TRUE(WIFSIGNALED(status) || WIFEXITED(status));
  EXPECT_EQ(security::find_leak({viewer, query}, recordtest::read_text(errs), "stderr"), "");
  EXPECT_EQ(security::find_leak({viewer, query}, recordtest::read_text(out), "stdout"), "");
}

}  // namespace
