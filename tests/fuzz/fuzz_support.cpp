/* SPDX-License-Identifier: LGPL-2.1-or-later */
// fuzz_support.h: set-up, files and checksum fix-ups shared by the fuzz targets.
#include "fuzz_support.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace fuzz {
namespace {

std::string g_scratch;
// stderr as it was at start: run_fuzz.sh has libFuzzer close fd 2 (the library and the CLI
// parsers report refused input there), and an invariant report must still be seen.
int g_report_fd = 2;

void quiet_log(void *, valkka_log_level_t, const char *, const char *) {}

void remove_scratch() {
  if (!g_scratch.empty()) remove_tree(g_scratch);
}

uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}
uint32_t crc(uint32_t seed, const uint8_t *p, size_t n) {
  return (uint32_t)crc32(seed, p, (uInt)n);
}

}  // namespace

void init() {
  int fd = dup(2);
  if (fd >= 0) g_report_fd = fd;
#ifdef VALKKA_FUZZ_PLUGIN_DIR
  setenv("VALKKA_PLUGIN_PATH", VALKKA_FUZZ_PLUGIN_DIR, 0);
#endif
  valkka_log_set_callback(quiet_log, nullptr);
  valkka_plugins_load();
  scratch();
}

const std::string &scratch() {
  if (g_scratch.empty()) {
    const char *base = getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/valkka-fuzz-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) broken("mkdtemp of the scratch directory", 0);
    g_scratch = buf.data();
    atexit(remove_scratch);
  }
  return g_scratch;
}

bool write_file(const std::string &path, const void *data, size_t size) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const uint8_t *p = static_cast<const uint8_t *>(data);
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(fd, p + done, size - done);
    if (n <= 0) break;
    done += (size_t)n;
  }
  close(fd);
  return done == size;
}

bool read_file(const std::string &path, std::vector<uint8_t> *out) {
  FILE *f = fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  uint8_t buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->insert(out->end(), buf, buf + n);
  fclose(f);
  return true;
}

void remove_tree(const std::string &path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
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

void report(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vdprintf(g_report_fd, fmt, ap);
  va_end(ap);
}

void broken(const char *what, int code) {
  dprintf(g_report_fd, "fuzz: invariant broken: %s (%s: %s)\n", what, valkka_err_name(code),
          valkka_last_error());
  abort();
}

void fix_block(const uint8_t uuid[16], uint8_t *block, size_t size) {
  if (size >= 64) put32(block + 60, crc(0, block, 60));
  const uint32_t seed = crc(0, uuid, 16);
  size_t pos = 64;
  while (pos + 48 <= size) {
    uint8_t *h = block + pos;
    if (get32(h) != 0x31524B56u) {
      pos += 8;
      continue;
    }
    const uint32_t length = get32(h + 32);
    if (length <= size - pos - 48) put32(h + 36, crc(0, h + 48, length));
    put32(h + 44, crc(seed, h, 44));
    // Step over a record that fits, so its payload is not taken for records.
    pos += length <= size - pos - 48 ? ((48u + (size_t)length + 7u) & ~(size_t)7) : 8;
  }
}

void fix_entries(uint8_t *table, size_t size) {
  for (size_t off = 0; off + kEntrySize <= size; off += kEntrySize) {
    uint8_t *e = table + off;
    memset(e + 60, 0, 4);
    put32(e + 60, crc(0, e, kEntrySize));
  }
}

std::string fs_json(const uint8_t uuid[16], uint32_t block_size, uint32_t n_blocks) {
  char hex[33];
  for (int i = 0; i < 16; i++) snprintf(hex + 2 * i, 3, "%02x", uuid[i]);
  char text[512];
  snprintf(
      text, sizeof text,
      "{\n  \"format\": \"valkkafs\",\n  \"version\": 1,\n  \"uuid\": \"%s\",\n"
      "  \"kind\": \"multi\",\n  \"backend\": \"storage-multifs\",\n  \"block_size\": %u,\n"
      "  \"n_blocks\": %u,\n  \"data\": \"blocks\",\n  \"created\": \"2024-05-01T12:00:00Z\"\n}\n",
      hex, block_size, n_blocks);
  return text;
}

int read_all(valkka_fs_t *fs, valkka_frame_sink_fn sink, void *user) {
  valkka_fs_block_t blocks[kBlocks + 4] = {};
  blocks[0].struct_size = sizeof blocks[0];
  int n = valkka_fs_read_table(fs, blocks, kBlocks + 4);
  if (n < 0) return n;
  int total = 0;
  for (int i = 0; i < n && i < (int)(kBlocks + 4); i++) {
    if (blocks[i].flags & VALKKA_FS_BLOCK_VOID) continue;
    int got = valkka_fs_read_block(fs, blocks[i].index, sink, user);
    if (got > 0) total += got;
  }
  return total;
}

void expect_repair_cleans(const std::string &dir) {
  valkka_fs_fsck_report_t r{};
  r.struct_size = sizeof r;
  int err = valkka_fs_fsck(dir.c_str(), 1, &r);
  if (err) broken("fsck --repair failed", err);
  r = valkka_fs_fsck_report_t{};
  r.struct_size = sizeof r;
  err = valkka_fs_fsck(dir.c_str(), 0, &r);
  if (err || r.bad_entries || r.bad_headers || r.bad_records) {
    report("fuzz: after repair: %u bad entries, %u bad headers, %u bad records\n", r.bad_entries,
           r.bad_headers, r.bad_records);
    broken("fsck after --repair is not clean", err);
  }
}

}  // namespace fuzz
