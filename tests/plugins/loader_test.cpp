/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The loader refuses each kind of broken plugin with its own error, and never calls into it.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <valkka/valkka.h>

namespace {
std::string broken(const std::string &name) {
  return std::string(TEST_PLUGIN_DIR) + "/broken/" + name;
}

struct Refusal {
  const char *file;
  int code;
  const char *says;  // a piece of the detailed message
};

const Refusal kRefusals[] = {
    {"broken-no-entry.so", VALKKA_ENOTPLUGIN, "no valkka_plugin_entry symbol"},
    {"not-a-shared-object.so", VALKKA_ENOTPLUGIN, "not a loadable shared object"},
    {"does-not-exist.so", VALKKA_ENOENT, "No such file"},
    {"broken-abi-major.so", VALKKA_EABI, "ABI major 2, core has 1"},
    {"broken-abi-minor-newer.so", VALKKA_EABI, "newer than core's"},
    {"broken-small-descriptor.so", VALKKA_EPLUGIN, "smaller than ABI 1.0's"},
    {"broken-small-vtable.so", VALKKA_EPLUGIN, "lacks required method close"},
    {"broken-null-method.so", VALKKA_EPLUGIN, "required method source.read is NULL"},
    {"broken-null-entry.so", VALKKA_EPLUGIN, "returned NULL"},
    {"broken-unknown-kind.so", VALKKA_EPLUGIN, "unknown kind 99"},
};

struct CliRun {
  int status;
  std::string out, err;
};

// Runs the CLI with stderr captured separately; the environment is the test's.
CliRun run_cli(const std::string &args, const std::string &env = "") {
  std::string errfile = testing::TempDir() + "/cli_stderr.txt";
  std::string cmd = env + " " + VALKKA_CLI + " " + args + " 2>" + errfile;
  CliRun r{};
  FILE *p = popen(cmd.c_str(), "r");
  std::array<char, 512> buf{};
  while (fgets(buf.data(), buf.size(), p)) r.out += buf.data();
  r.status = pclose(p);
  FILE *e = fopen(errfile.c_str(), "r");
  while (e && fgets(buf.data(), buf.size(), e)) r.err += buf.data();
  if (e) fclose(e);
  return r;
}
}  // namespace

TEST(Loader, RefusesEachBrokenPluginWithItsOwnError) {
  for (const Refusal &r : kRefusals) {
    SCOPED_TRACE(r.file);
    valkka_plugin_info_t info = {};
    info.struct_size = sizeof info;
    int before = valkka_plugin_count();
    EXPECT_EQ(valkka_plugin_load_file(broken(r.file).c_str(), &info), r.code)
        << valkka_err_name(r.code) << " expected; got " << valkka_last_error();
    EXPECT_NE(std::string(valkka_last_error()).find(r.says), std::string::npos)
        << valkka_last_error();
    EXPECT_EQ(valkka_plugin_count(), before) << "nothing registered";
  }
}

TEST(Loader, RefusesADuplicateName) {
  valkka_plugin_info_t info = {};
  info.struct_size = sizeof info;
  ASSERT_EQ(valkka_plugin_load_file(
                (std::string(TEST_PLUGIN_DIR) + "/dup/test-dup-original.so").c_str(), &info),
            0)
      << valkka_last_error();
  EXPECT_STREQ(info.name, "test-dup");
  EXPECT_EQ(valkka_plugin_load_file(broken("broken-duplicate.so").c_str(), &info), VALKKA_EEXIST);
  EXPECT_NE(std::string(valkka_last_error()).find("already loaded"), std::string::npos);
  // The same file again is not a duplicate: it is the plugin already there.
  EXPECT_EQ(valkka_plugin_load_file(
                (std::string(TEST_PLUGIN_DIR) + "/dup/test-dup-original.so").c_str(), &info),
            0);
}

TEST(Loader, AcceptsAnOlderPluginAndZeroFillsWhatItLacks) {
  valkka_plugin_info_t info = {};
  info.struct_size = sizeof info;
  ASSERT_EQ(valkka_plugin_load_file(broken("broken-old-minor-short-vtable.so").c_str(), &info), 0)
      << valkka_last_error();
  const valkka_plugin_t *p = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, "test-broken");
  ASSERT_NE(p, nullptr);
  auto vt = static_cast<const valkka_source_vtable_t *>(p->vtable);
  EXPECT_EQ(vt->struct_size, sizeof(valkka_source_vtable_t));
  EXPECT_EQ(vt->info, nullptr);
  EXPECT_NE(vt->read, nullptr);
  EXPECT_EQ(valkka_plugin_find(VALKKA_PLUGIN_DECODER, "test-broken"), nullptr);
}

TEST(Loader, FindsTheBuildTreePlugins) {
  int n = valkka_plugins_load();
  EXPECT_GE(n, 2);
  EXPECT_NE(valkka_plugin_find(VALKKA_PLUGIN_STORAGE, "storage-multifs"), nullptr)
      << valkka_last_error();
  EXPECT_NE(valkka_plugin_find(VALKKA_PLUGIN_STORAGE, "storage-singlefs"), nullptr);
  EXPECT_EQ(valkka_plugins_load(), n) << "scanning again loads nothing twice";
}

TEST(LoaderCli, PluginInfoPrintsOneClearLineForEachRefusal) {
  for (const Refusal &r : kRefusals) {
    SCOPED_TRACE(r.file);
    CliRun run = run_cli("plugin-info " + broken(r.file));
    EXPECT_TRUE(WIFEXITED(run.status) && WEXITSTATUS(run.status) != 0) << "status " << run.status;
    EXPECT_EQ(run.out, "");
    ASSERT_FALSE(run.err.empty());
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << "exactly one line: " << run.err;
    EXPECT_NE(run.err.find(r.says), std::string::npos) << run.err;
    EXPECT_NE(run.err.find(valkka_err_name(r.code)), std::string::npos) << run.err;
  }
  CliRun dup = run_cli("plugin-info " + broken("broken-duplicate.so"),
                       std::string("VALKKA_PLUGIN_PATH=") + TEST_PLUGIN_DIR + "/dup");
  EXPECT_NE(WEXITSTATUS(dup.status), 0);
  EXPECT_NE(dup.err.find("already loaded"), std::string::npos) << dup.err;
}

TEST(LoaderCli, PluginsListsKindNameVersionAbi) {
  CliRun run = run_cli("plugins");
  EXPECT_EQ(WEXITSTATUS(run.status), 0) << run.err;
  EXPECT_NE(run.out.find("storage  storage-multifs"), std::string::npos) << run.out;
  const std::string abi = "ABI " + std::to_string(VALKKA_ABI_MAJOR) + "." +
                          std::to_string(VALKKA_ABI_MINOR);
  EXPECT_NE(run.out.find(abi), std::string::npos) << run.out;
  CliRun info =
      run_cli("plugin-info " + std::string(TEST_PLUGIN_DIR) + "/dup/test-dup-original.so");
  EXPECT_EQ(WEXITSTATUS(info.status), 0) << info.err;
  EXPECT_NE(info.out.find("name:        test-dup"), std::string::npos) << info.out;
}
