/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The arguments of every `valkka` command and subcommand, as README.md ("The `valkka` command")
// promises them: --help and -h print the usage on stdout and exit 0; an unknown option, a missing
// value or a wrong operand count is a usage error (exit 2, fsck's 16) of one line, plus the usage
// line where the command adds it; --opt=value works as --opt value; `--` ends the options;
// `valkka plugins` finding none exits 1.
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "cli_process.h"
#include "fs_test_util.h"
#include "record_run.h"

using namespace fstest;
using namespace recordtest;

namespace {

struct Command {
  std::vector<std::string> words;  // the command and subcommand
  std::string usage;               // how its usage starts
  int usage_status;
  bool usage_after = false;  // a usage error's line is followed by the usage line (as before)
};

const Command kCommands[] = {
    {{}, "usage: valkka [--version] COMMAND", 2},
    {{"plugins"}, "usage: valkka plugins", 2},
    {{"plugin-info"}, "usage: valkka plugin-info PATH", 2},
    {{"fs"}, "usage: valkka fs create DIR", 2},
    {{"fs", "create"}, "usage: valkka fs create DIR", 2},
    {{"fs", "inspect"}, "usage: valkka fs inspect DIR", 2},
    {{"fs", "fsck"}, "usage: valkka fs fsck DIR", 16},
    {{"probe"}, "usage: valkka probe URL", 2},
    {{"record"}, "usage: valkka record ", 2},
    {{"play"}, "usage: valkka play --fs DIR", 2, true},
    {{"export"}, "usage: valkka export --fs DIR", 2, true},
};

std::vector<std::string> with(std::vector<std::string> words, const std::vector<std::string> &add) {
  words.insert(words.end(), add.begin(), add.end());
  return words;
}

std::string joined(const std::vector<std::string> &words) {
  std::string text = "valkka";
  for (const std::string &w : words) text += " " + w;
  return text;
}

// "valkka: fs create: " for {"fs", "create"}, "valkka: " for valkka itself.
std::string prefix(const Command &c) {
  std::string text = "valkka: ";
  for (size_t i = 0; i < c.words.size(); i++)
    text += c.words[i] + (i + 1 < c.words.size() ? " " : ": ");
  return text;
}

// A usage error in the arguments' shape as README.md has it: the status, one line naming what is
// wrong, then the usage line where the command adds it; nothing on stdout.
void expect_usage_error(const CliResult &r, const Command &c, const std::string &says,
                        const std::string &what) {
  EXPECT_EQ(r.status, c.usage_status) << what << ": " << r.err;
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_FALSE(lines.empty()) << what;
  EXPECT_EQ(lines[0].rfind(prefix(c), 0), 0u) << what << ": " << r.err;
  EXPECT_NE(lines[0].find(says), std::string::npos) << what << ": " << r.err;
  EXPECT_EQ(lines.size(), c.usage_after ? 2u : 1u) << what << ": " << r.err;
  if (c.usage_after && lines.size() == 2) {
    EXPECT_EQ(lines[1].rfind(c.usage, 0), 0u) << what << ": " << r.err;
  }
  EXPECT_EQ(r.out, "") << what;
}

// Changes the working directory for a relative operand, back on destruction.
class InDir {
 public:
  explicit InDir(const std::string &dir) {
    if (!getcwd(old_, sizeof old_) || chdir(dir.c_str()) != 0) ADD_FAILURE() << dir;
  }
  ~InDir() {
    if (chdir(old_) != 0) ADD_FAILURE() << old_;
  }

 private:
  char old_[4096] = "";
};

TEST(CliArgs, HelpOnEveryCommandPrintsTheUsageOnStdout) {
  TempDir tmp;
  for (const Command &c : kCommands) {
    for (const char *help : {"--help", "-h"}) {
      const std::vector<std::string> args = with(c.words, {help});
      CliResult r = cli_run(args, tmp.path());
      EXPECT_EQ(r.status, 0) << joined(args) << ": " << r.err;
      EXPECT_EQ(r.out.rfind(c.usage, 0), 0u) << joined(args) << ": " << r.out;
      EXPECT_EQ(r.err, "") << joined(args);
    }
  }
  // `help` as the command (valkka, fs, record as before), and --help after other options.
  for (const std::vector<std::string> &args : std::vector<std::vector<std::string>>{
           {"help"},
           {"fs", "help"},
           {"record", "help"},
           {"play", "--fs", tmp.path(), "--help"},
           {"fs", "create", tmp.sub("x"), "--kind=multi", "-h"}}) {
    CliResult r = cli_run(args, tmp.path());
    EXPECT_EQ(r.status, 0) << joined(args) << ": " << r.err;
    EXPECT_EQ(r.out.rfind("usage: valkka ", 0), 0u) << joined(args) << ": " << r.out;
    EXPECT_EQ(r.err, "") << joined(args);
  }
  // Nothing at all is a usage error, the usage on stderr.
  CliResult r = cli_run({}, tmp.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.err.rfind("usage: valkka ", 0), 0u) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(CliArgs, AnUnknownOptionIsAUsageErrorOfOneLine) {
  TempDir tmp;
  for (const Command &c : kCommands) {
    for (const char *bad : {"--bogus", "-x"}) {
      const std::vector<std::string> args = with(c.words, {bad});
      expect_usage_error(cli_run(args, tmp.path()), c, "unknown option '" + std::string(bad) + "'",
                         joined(args));
    }
  }
  expect_usage_error(cli_run({"teleport"}, tmp.path()), kCommands[0], "unknown command 'teleport'",
                     "valkka teleport");
  expect_usage_error(cli_run({"fs", "mirror"}, tmp.path()), kCommands[3],
                     "unknown subcommand 'mirror'", "valkka fs mirror");
}

TEST(CliArgs, AMissingValueOrAWrongOperandCountIsAUsageError) {
  TempDir tmp;
  const std::string dir = tmp.path();
  const struct {
    size_t command;  // in kCommands
    std::vector<std::string> args;
    std::string says;
  } cases[] = {
      {2, {}, "PATH is missing"},
      {2, {"a.so", "b.so"}, "unexpected argument 'b.so'"},
      {1, {"extra"}, "unexpected argument 'extra'"},
      {4, {dir, "--kind"}, "--kind needs a value"},
      {4, {"--kind", "multi", "--block-size", "64K", "--blocks", "4"}, "DIR is missing"},
      {4, {dir, "--blocks", "4", "--block-size=64K"}, "--kind, --block-size and --blocks are"},
      {5, {dir, "--json=yes"}, "option '--json=yes' takes no value"},
      {5, {dir, dir}, "unexpected argument"},
      {6, {}, "DIR is missing"},
      {6, {dir, "--repair", "x"}, "unexpected argument 'x'"},
      {7, {}, "URL is missing"},
      {7, {"synthetic://0", "transport"}, "option 'transport': expected KEY=VALUE"},
      {8, {"--config"}, "--config needs a value"},
      {9, {"--from", "1700000000000", "--fs"}, "--fs needs a value"},
      {9, {"--f", dir, "--from", "1700000000000"}, "option '--f' is ambiguous"},
      {9, {"--fs", dir, "--from", "1700000000000", "stray"}, "unexpected argument 'stray'"},
      {10, {"--fs", dir, "--stream", "1", "--from", "1", "--to"}, "--to needs a value"},
      {10, {"--fs", dir, "--stream", "1", "--from", "1", "--to", "2"}, "OUT is missing"},
      {10,
       {"--fs", dir, "--stream", "1", "--from", "1", "--to", "2", "a", "b"},
       "unexpected argument 'b'"},
  };
  for (const auto &c : cases) {
    const Command &command = kCommands[c.command];
    const std::vector<std::string> args = with(command.words, c.args);
    expect_usage_error(cli_run(args, tmp.path()), command, c.says, joined(args));
  }
}

// The first recorded time of the FS in `dir`, from `valkka fs inspect --json`; 0 when none.
int64_t first_ms(const std::string &dir, const std::string &tmp) {
  CliResult r = cli_run({"fs", "inspect", "--json", dir}, tmp);
  json_error_t error;
  json_t *root = json_loads(r.out.c_str(), 0, &error);
  const int64_t ms = json_integer_value(json_array_get(json_object_get(root, "time_range"), 0));
  json_decref(root);
  return ms;
}

TEST(CliArgs, AnOptionsValueAfterAnEqualsSignIsTheSame) {
  TempDir tmp;
  const std::string dir = tmp.sub("fs");
  CliResult r =
      cli_run({"fs", "create", dir, "--kind=multi", "--block-size=1M", "--blocks=16"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  r = cli_run({"fs", "inspect", dir}, tmp.path());
  EXPECT_NE(r.out.find("16 x 1048576 bytes"), std::string::npos) << r.out;
  r = cli_run({"record", "--fs=" + dir, "--synthetic=1", "--duration=1"}, tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  const int64_t from = first_ms(dir, tmp.path());
  ASSERT_GT(from, 0);
  const std::string to = std::to_string(from + 400);
  CliResult separate = cli_run({"play", "--fs", dir, "--from", std::to_string(from), "--to", to,
                                "--speed", "max", "--json"},
                               tmp.path());
  ASSERT_EQ(separate.status, 0) << separate.err;
  EXPECT_GE(split_lines(separate.out).size(), 5u) << separate.out;
  CliResult equals = cli_run({"play", "--fs=" + dir, "--from=" + std::to_string(from), "--to=" + to,
                              "--speed=max", "--json"},
                             tmp.path());
  EXPECT_EQ(equals.status, 0) << equals.err;
  EXPECT_EQ(equals.out, separate.out);
}

TEST(CliArgs, DoubleDashEndsTheOptions) {
  TempDir tmp;
  InDir in(tmp.path());
  const std::vector<std::string> create = {"fs",           "create", "--kind",   "multi",
                                           "--block-size", "64K",    "--blocks", "4"};
  CliResult r = cli_run(with(create, {"--", "-fs"}), tmp.path());
  ASSERT_EQ(r.status, 0) << r.err;
  struct stat st;
  EXPECT_EQ(stat(tmp.sub("-fs/blocktable").c_str(), &st), 0) << "the FS is not in ./-fs";
  r = cli_run({"fs", "inspect", "--", "-fs"}, tmp.path());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("ValkkaFS -fs\n"), std::string::npos) << r.out;
  // Without it, the operand is an option.
  expect_usage_error(cli_run({"fs", "inspect", "-fs"}, tmp.path()), kCommands[5],
                     "unknown option '-f'", "fs inspect -fs");
  // An operand that is a failure, not an option: exit 1.
  r = cli_run({"plugin-info", "--", "-none.so"}, tmp.path());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("-none.so"), std::string::npos) << r.err;
  write_text(tmp.sub("a.mp4"), "");
  r = cli_run({"record", "--fs", "-fs", "--file", "a.mp4", "--", "-b.mp4"}, tmp.path());
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.err.find("--file -b.mp4: "), std::string::npos) << r.err;
}

// The CLI also scans the install directory (<libdir>/valkka/plugins): as record_errors'
// NoPluginsFailsWithOneLine, this holds where nothing is installed there, as on CI.
TEST(CliArgs, PluginsFindingNoneExits1) {
  TempDir tmp;
  const std::string none = tmp.sub("no-plugins");
  ASSERT_EQ(mkdir(none.c_str(), 0700), 0);
  ASSERT_EQ(plugin_files(valkka_plugin_dir()).size(), 0u)
      << "plugins are installed in " << valkka_plugin_dir() << ": no run can find none";
  CliResult r = cli_run({"plugins"}, tmp.path(), 60000, {"VALKKA_PLUGIN_PATH=" + none});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.err, std::string("valkka: plugins: no plugins found in $VALKKA_PLUGIN_PATH or ") +
                       valkka_plugin_dir() + "\n");
  EXPECT_EQ(r.out, "");
  r = cli_run({"plugins"}, tmp.path());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("source-synthetic"), std::string::npos) << r.out;
}

}  // namespace
