/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Shared helpers of the ValkkaFS tests: a fresh temporary directory per test, deterministic
// frames, and a sink that keeps copies of what a read delivers.
#pragma once

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <valkka/valkka.h>

#include "fs_frames.h"

namespace fstest {

// Bytes of one blocktable entry (core-c/src/fs/FORMAT.md, "Block-table entry"): these tests see
// the FS through the public ABI only, so the format's constant is restated here.
constexpr uint32_t kEntrySize = 1344;

// A directory under $TMPDIR (or /tmp), removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    const char *base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-fs-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) ADD_FAILURE() << "mkdtemp failed";
    path_ = buf.data();
  }
  ~TempDir() { remove_tree(path_); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  std::string sub(const std::string &name) const { return path_ + "/" + name; }

  static void remove_tree(const std::string &path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
      chmod(path.c_str(), 0700);
      if (DIR *d = opendir(path.c_str())) {
        while (struct dirent *e = readdir(d)) {
          if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
          remove_tree(path + "/" + e->d_name);
        }
        closedir(d);
      }
      rmdir(path.c_str());
    } else {
      unlink(path.c_str());
    }
  }

 private:
  std::string path_;
};

// A frame as read back.
struct Got {
  uint32_t kind, stream_id, slot, flags;
  int64_t mstime;
  std::vector<uint8_t> data;
};

inline int collect(void *user, const valkka_frame_t *f) {
  auto *out = static_cast<std::vector<Got> *>(user);
  out->push_back(Got{f->kind, f->stream_id, f->slot, f->flags, f->mstime,
                     std::vector<uint8_t>(f->data, f->data + f->size)});
  return 0;
}

inline int create_fs(const std::string &dir, uint32_t kind, uint32_t block_size, uint32_t n_blocks,
                     const char *backend = nullptr, const char *device = nullptr) {
  valkka_fs_create_params_t p{};
  p.struct_size = sizeof p;
  p.kind = kind;
  p.block_size = block_size;
  p.n_blocks = n_blocks;
  p.backend = backend;
  p.device = device;
  return valkka_fs_create(dir.c_str(), &p);
}

inline valkka_fs_t *open_fs(const std::string &dir, uint32_t flags = 0,
                            const char *backend = nullptr, int *err_out = nullptr) {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.flags = flags;
  p.backend = backend;
  valkka_fs_t *fs = nullptr;
  int err = valkka_fs_open(dir.c_str(), &p, &fs);
  if (err_out) *err_out = err;
  return err ? nullptr : fs;
}

// The streams of the FS in `dir` (opened read-only for the call); empty when it does not open.
inline std::vector<valkka_fs_stream_info_t> streams_of(const std::string &dir) {
  valkka_fs_t *fs = open_fs(dir, VALKKA_FS_READONLY);
  EXPECT_NE(fs, nullptr) << dir << ": " << valkka_last_error();
  if (!fs) return {};
  valkka_fs_stream_info_t probe{};
  probe.struct_size = sizeof probe;
  const int n = valkka_fs_get_streams(fs, &probe, 1);
  std::vector<valkka_fs_stream_info_t> out(n > 0 ? (size_t)n : 0);
  if (n > 0) {
    out[0].struct_size = sizeof out[0];
    valkka_fs_get_streams(fs, out.data(), (uint32_t)n);
  }
  valkka_fs_close(fs);
  return out;
}

inline std::vector<valkka_fs_block_t> read_table(valkka_fs_t *fs) {
  valkka_fs_block_t probe{};
  probe.struct_size = sizeof probe;
  int n = valkka_fs_read_table(fs, &probe, 0);
  std::vector<valkka_fs_block_t> table(n > 0 ? n : 0);
  if (n > 0) {
    table[0].struct_size = sizeof(valkka_fs_block_t);
    valkka_fs_read_table(fs, table.data(), (uint32_t)n);
  }
  return table;
}

inline valkka_fs_info_t info_of(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  return info;
}

inline std::string faulty_plugin_path() { return VALKKA_FAULTY_PLUGIN; }

inline void load_faulty_plugin() {
  valkka_plugin_info_t info{};
  info.struct_size = sizeof info;
  ASSERT_EQ(valkka_plugin_load_file(faulty_plugin_path().c_str(), &info), 0) << valkka_last_error();
}

}  // namespace fstest
