/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Bad input: a missing, foreign or malformed valkkafs.json, files that do not match it, a
// read-only directory, a full disk and a failing fdatasync (through storage-faulty). Each gives a
// clear negative code and message; nothing already recorded is lost; nothing crashes.
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "fs_test_util.h"

using namespace fstest;

namespace {

const int64_t T0 = 1700000000000;

std::string read_file(const std::string &path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
}

// Opening must fail with `code` and a message mentioning `needle`.
void expect_open_fails(const std::string &dir, int code, const char *needle) {
  int err = 0;
  valkka_fs_t *fs = open_fs(dir, 0, nullptr, &err);
  EXPECT_EQ(fs, nullptr);
  valkka_fs_close(fs);
  EXPECT_EQ(err, code) << valkka_err_name(err) << ": " << valkka_last_error();
  std::string msg = valkka_last_error();
  EXPECT_NE(msg.find(needle), std::string::npos) << "message: " << msg;
}

// Permission refusals under `base` (any user may write it), checked by a user permissions bind:
// this process, or as root (CI) a child run as nobody. 0 when all hold, else the check that
// failed (1..5), the exit status of a child that could not drop root (90), or 128 + its signal.
int permission_refusals(const std::string &base) {
  auto check = [&base]() -> int {
    const std::string ro = base + "/rodir", fs = base + "/fs";
    if (mkdir(ro.c_str(), 0555) != 0) return 1;
    if (create_fs(ro + "/fs", VALKKA_FS_MULTI, 65536, 4) != VALKKA_EACCES) return 2;
    if (create_fs(fs, VALKKA_FS_MULTI, 65536, 4) != 0) return 3;
    chmod((fs + "/blocks").c_str(), 0444);
    int err = 0;
    valkka_fs_t *handle = open_fs(fs, 0, nullptr, &err);
    valkka_fs_close(handle);
    if (handle || err != VALKKA_EACCES) return 4;
    return std::string(valkka_last_error()).find("blocks") == std::string::npos ? 5 : 0;
  };
  if (geteuid() != 0) return check();
  const pid_t pid = fork();
  if (pid == 0) {
    const gid_t nobody = 65534;
    if (setgroups(0, nullptr) != 0 || setgid(nobody) != 0 || setuid(nobody) != 0) _exit(90);
    _exit(check());
  }
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid) return 91;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int append_n(valkka_fs_t *fs, uint32_t stream, int first, int count, uint32_t size, int *done) {
  for (int k = first; k < first + count; k++) {
    auto data = payload(stream, k, size);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0 + k, k % 10 == 0, data);
    int err = valkka_fs_append(fs, stream, &f);
    if (err) return err;
    (*done)++;
  }
  return 0;
}

// Reads every frame of the FS and checks frames [0, count) of `stream` are all there, intact.
void expect_frames_intact(const std::string &dir, uint32_t stream, int count) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY, "storage-multifs");
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  std::vector<Got> got;
  for (const auto &b : read_table(fs))
    if (!(b.flags & VALKKA_FS_BLOCK_VOID)) valkka_fs_read_block(fs, b.index, collect, &got);
  ASSERT_GE(got.size(), (size_t)count);
  for (int k = 0; k < count; k++) {
    ASSERT_EQ(got[k].mstime, T0 + k);
    ASSERT_EQ(got[k].data, payload(stream, k, (uint32_t)got[k].data.size())) << "frame " << k;
  }
  valkka_fs_close(fs);
}

class FsBadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = tmp.sub("fs");
    ASSERT_EQ(create_fs(dir, VALKKA_FS_MULTI, 65536, 4), 0) << valkka_last_error();
    json = read_file(dir + "/valkkafs.json");
  }
  // Writes valkkafs.json with the first `what` replaced by `with` (literal text).
  void edit_json(const std::string &what, const std::string &with) {
    std::string text = json;
    size_t at = text.find(what);
    ASSERT_NE(at, std::string::npos) << what;
    text.replace(at, what.size(), with);
    write_file(dir + "/valkkafs.json", text);
  }
  TempDir tmp;
  std::string dir, json;
};

TEST_F(FsBadInput, MissingJson) {
  unlink((dir + "/valkkafs.json").c_str());
  expect_open_fails(dir, VALKKA_ENOENT, "not a ValkkaFS directory");
  expect_open_fails(tmp.sub("nowhere"), VALKKA_ENOENT, "valkkafs.json");
  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  EXPECT_EQ(valkka_fs_fsck(dir.c_str(), 0, &r), VALKKA_ENOENT);
}

TEST_F(FsBadInput, ForeignFormat) {
  edit_json("\"valkkafs\"", "\"otherfs\"");
  expect_open_fails(dir, VALKKA_EFORMAT, "format \"otherfs\"");
}

TEST_F(FsBadInput, NewerVersion) {
  edit_json("\"version\": 2", "\"version\": 99");
  expect_open_fails(dir, VALKKA_EFORMAT, "version 99");
}

TEST_F(FsBadInput, MalformedJson) {
  write_file(dir + "/valkkafs.json", json.substr(0, json.size() / 2));
  expect_open_fails(dir, VALKKA_EFORMAT, "not valid JSON");
  write_file(dir + "/valkkafs.json", "[1, 2]");
  expect_open_fails(dir, VALKKA_EFORMAT, "not a JSON object");
  edit_json("\"uuid\": \"", "\"uuid\": \"xyz");
  expect_open_fails(dir, VALKKA_EFORMAT, "uuid");
  edit_json("\"kind\": \"multi\"", "\"kind\": \"double\"");
  expect_open_fails(dir, VALKKA_EFORMAT, "kind \"double\"");
  edit_json("\"block_size\": 65536", "\"block_size\": 65537");
  expect_open_fails(dir, VALKKA_EFORMAT, "multiple of 4096");
  edit_json("\"n_blocks\": 4", "\"n_blocks\": -4");
  expect_open_fails(dir, VALKKA_EFORMAT, "n_blocks");
}

TEST_F(FsBadInput, BlockSizeNotMatchingTheFiles) {
  edit_json("\"block_size\": 65536", "\"block_size\": 131072");
  expect_open_fails(dir, VALKKA_EFORMAT, "the FS needs");
  // Smaller than the files: the files are too big for it, also refused.
  edit_json("\"block_size\": 65536", "\"block_size\": 32768");
  expect_open_fails(dir, VALKKA_EFORMAT, "block_size");
  write_file(dir + "/valkkafs.json", json);
  edit_json("\"n_blocks\": 4", "\"n_blocks\": 3");
  expect_open_fails(dir, VALKKA_EFORMAT, "does not match");
}

TEST_F(FsBadInput, TruncatedBlocksFile) {
  ASSERT_EQ(truncate((dir + "/blocks").c_str(), 65536 * 3 + 100), 0);
  expect_open_fails(dir, VALKKA_EFORMAT, "blocks");
  ASSERT_EQ(truncate((dir + "/blocktable").c_str(), kEntrySize), 0);
  expect_open_fails(dir, VALKKA_EFORMAT, "blocktable");
}

TEST_F(FsBadInput, BadCreateParameters) {
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 65000, 4), VALKKA_EINVAL);
  EXPECT_NE(std::string(valkka_last_error()).find("multiple of 4096"), std::string::npos);
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 32768, 4), VALKKA_EINVAL);
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 65536, 1), VALKKA_EINVAL);
  EXPECT_EQ(create_fs(tmp.sub("a"), 7, 65536, 4), VALKKA_EINVAL);
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 65536, 4, "storage-none"), VALKKA_ENOENT);
  EXPECT_NE(std::string(valkka_last_error()).find("storage-none"), std::string::npos);
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 65536, 4, nullptr, "relative/dev"),
            VALKKA_EINVAL);
  EXPECT_EQ(create_fs(tmp.sub("no/such/parent"), VALKKA_FS_MULTI, 65536, 4), VALKKA_ENOENT);
  // A multi FS cannot live on a one-stream backend.
  EXPECT_EQ(create_fs(tmp.sub("a"), VALKKA_FS_MULTI, 65536, 4, "storage-singlefs"), VALKKA_EINVAL);
  struct stat st;
  EXPECT_NE(stat(tmp.sub("a").c_str(), &st), 0) << "a failed create leaves nothing behind";
  EXPECT_EQ(valkka_fs_create(nullptr, nullptr), VALKKA_EINVAL);
}

TEST_F(FsBadInput, DeviceTooSmallAndDeviceOk) {
  // A regular file stands in for the raw device.
  std::string dev = tmp.sub("device.img");
  write_file(dev, std::string(65536 * 2, '\0'));
  EXPECT_EQ(create_fs(tmp.sub("small"), VALKKA_FS_MULTI, 65536, 4, nullptr, dev.c_str()),
            VALKKA_EFORMAT);
  ASSERT_EQ(truncate(dev.c_str(), 65536 * 4), 0);
  ASSERT_EQ(create_fs(tmp.sub("dev"), VALKKA_FS_MULTI, 65536, 4, nullptr, dev.c_str()), 0)
      << valkka_last_error();
  valkka_fs_t *fs = open_fs(tmp.sub("dev"));
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  int done = 0;
  EXPECT_EQ(append_n(fs, 1, 0, 50, 3000, &done), 0);
  valkka_fs_close(fs);
  fs = open_fs(tmp.sub("dev"), VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  size_t n = 0;
  for (uint32_t b = 0; b < 4; b++) {
    std::vector<Got> got;
    valkka_fs_read_block(fs, b, collect, &got);
    n += got.size();
  }
  EXPECT_EQ(n, 50u);
  valkka_fs_close(fs);
}

TEST_F(FsBadInput, ReadOnlyOpenRefusesWrites) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  ASSERT_NE(fs, nullptr);
  auto data = payload(1, 0, 10);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, T0, true, data);
  EXPECT_EQ(valkka_fs_append(fs, 1, &f), VALKKA_EACCES);
  EXPECT_NE(std::string(valkka_last_error()).find("read-only"), std::string::npos);
  EXPECT_EQ(valkka_fs_writer_start(fs, nullptr), VALKKA_EACCES);
  EXPECT_EQ(valkka_fs_sync(fs), 0);
  valkka_fs_close(fs);
}

TEST_F(FsBadInput, BadFrames) {
  valkka_fs_t *fs = open_fs(dir);
  ASSERT_NE(fs, nullptr);
  auto data = payload(1, 0, 10);
  valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, 0, true, data);
  EXPECT_EQ(valkka_fs_append(fs, 1, &f), VALKKA_EINVAL);
  f.mstime = T0;
  f.kind = VALKKA_FRAME_DECODED;
  EXPECT_EQ(valkka_fs_append(fs, 1, &f), VALKKA_EINVAL);
  EXPECT_EQ(valkka_fs_append(fs, 1, nullptr), VALKKA_EINVAL);
  uint32_t out[2];
  EXPECT_EQ(valkka_fs_get_ind(fs, 10, 5, out, 2), VALKKA_EINVAL);
  EXPECT_EQ(valkka_fs_read_block(fs, 4, collect, nullptr), VALKKA_EINVAL);
  valkka_fs_close(fs);
}

TEST_F(FsBadInput, ReadOnlyDirectory) {
  // The backend's own refusal (EROFS, injected), then real permissions: as root (CI) they do not
  // bind, so a child dropped to nobody checks them.
  load_faulty_plugin();
  setenv("VALKKA_FAULT", "open:code=EROFS", 1);
  int err = create_fs(tmp.sub("ro"), VALKKA_FS_MULTI, 65536, 4, "storage-faulty");
  unsetenv("VALKKA_FAULT");
  EXPECT_EQ(err, VALKKA_EACCES);
  EXPECT_STRNE(valkka_last_error(), "");
  const std::string base = tmp.sub("perm");
  ASSERT_EQ(mkdir(base.c_str(), 0777), 0);
  ASSERT_EQ(chmod(base.c_str(), 0777), 0);        // past the umask
  ASSERT_EQ(chmod(tmp.path().c_str(), 0755), 0);  // mkdtemp's 0700 keeps others out
  EXPECT_EQ(permission_refusals(base), 0) << "as " << (geteuid() ? "this user" : "nobody");
}

TEST_F(FsBadInput, FullDiskKeepsWhatWasRecorded) {
  load_faulty_plugin();
  std::string fdir = tmp.sub("full");
  ASSERT_EQ(create_fs(fdir, VALKKA_FS_MULTI, 65536, 8, "storage-faulty"), 0) << valkka_last_error();
  setenv("VALKKA_FAULT", "pwrite:after=60:code=ENOSPC:file=blocks", 1);
  valkka_fs_t *fs = open_fs(fdir);
  unsetenv("VALKKA_FAULT");
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  int done = 0;
  int err = append_n(fs, 1, 0, 200, 2000, &done);
  EXPECT_EQ(err, VALKKA_ENOSPC);
  EXPECT_NE(std::string(valkka_last_error()).find("ENOSPC"), std::string::npos)
      << valkka_last_error();
  EXPECT_GT(done, 20);
  EXPECT_LT(done, 200);
  // The disk stays full: later appends fail the same way, counted, without harm.
  int more = 0;
  EXPECT_EQ(append_n(fs, 1, done, 5, 2000, &more), VALKKA_ENOSPC);
  valkka_fs_stream_stats_t st{};
  st.struct_size = sizeof st;
  ASSERT_EQ(valkka_fs_get_stream_stats(fs, 1, &st), 0);
  EXPECT_EQ(st.frames, (uint64_t)done);
  EXPECT_EQ(st.errors, 2u);
  valkka_fs_close(fs);
  expect_frames_intact(fdir, 1, done);
}

TEST_F(FsBadInput, FdatasyncFailureIsReported) {
  load_faulty_plugin();
  std::string fdir = tmp.sub("eio");
  ASSERT_EQ(create_fs(fdir, VALKKA_FS_MULTI, 65536, 8, "storage-faulty"), 0) << valkka_last_error();
  setenv("VALKKA_FAULT", "sync:after=1:times=1:code=EIO:file=blocks", 1);
  valkka_fs_t *fs = open_fs(fdir);
  unsetenv("VALKKA_FAULT");
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  int done = 0;
  ASSERT_EQ(append_n(fs, 1, 0, 30, 2000, &done), 0);
  EXPECT_EQ(valkka_fs_sync(fs), 0);
  ASSERT_EQ(append_n(fs, 1, 30, 30, 2000, &done), 0);
  EXPECT_EQ(valkka_fs_sync(fs), VALKKA_EIO);
  EXPECT_NE(std::string(valkka_last_error()).find("fdatasync"), std::string::npos)
      << valkka_last_error();
  ASSERT_EQ(append_n(fs, 1, 60, 30, 2000, &done), 0);
  EXPECT_EQ(valkka_fs_sync(fs), 0);
  valkka_fs_close(fs);
  expect_frames_intact(fdir, 1, 90);
}

}  // namespace
