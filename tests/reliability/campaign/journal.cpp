/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace campaign {

namespace {

constexpr uint32_t kMagic = 0x314A4B56u;  // "VKJ1"
constexpr size_t kHeader = 16;

uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
uint64_t get64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | p[i];
  return v;
}

bool read_exact(int fd, uint8_t *buf, size_t n, uint64_t offset) {
  while (n) {
    ssize_t got = pread(fd, buf, n, (off_t)offset);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return false;
    buf += got;
    n -= (size_t)got;
    offset += (uint64_t)got;
  }
  return true;
}

bool write_exact(int fd, const uint8_t *buf, size_t n, uint64_t offset) {
  while (n) {
    ssize_t put = pwrite(fd, buf, n, (off_t)offset);
    if (put < 0 && errno == EINTR) continue;
    if (put <= 0) return false;
    buf += put;
    n -= (size_t)put;
    offset += (uint64_t)put;
  }
  return true;
}

struct Record {
  uint64_t at;  // where its pre-image starts in the journal
  uint32_t length;
  uint64_t offset;  // in the file
};

// Closes both descriptors on every way out.
struct Fds {
  int journal = -1, file = -1;
  ~Fds() {
    if (journal >= 0) close(journal);
    if (file >= 0) close(file);
  }
};

}  // namespace

long rollback_to_last_sync(const std::string &path, std::string *error) {
  const std::string jpath = path + ".journal";
  Fds fds;
  fds.journal = open(jpath.c_str(), O_RDONLY | O_CLOEXEC);
  if (fds.journal < 0) {
    if (errno == ENOENT) return 0;
    *error = jpath + ": " + strerror(errno);
    return -1;
  }
  struct stat st;
  if (fstat(fds.journal, &st) != 0) {
    *error = jpath + ": " + strerror(errno);
    return -1;
  }
  const uint64_t size = (uint64_t)st.st_size;
  std::vector<Record> records;
  uint8_t h[kHeader];
  // A torn last record is a write that never happened (the plugin writes the record first).
  for (uint64_t at = 0; at + kHeader <= size;) {
    if (!read_exact(fds.journal, h, kHeader, at) || get32(h) != kMagic) break;
    Record r{at + kHeader, get32(h + 4), get64(h + 8)};
    if (r.at + r.length > size) break;
    records.push_back(r);
    at = r.at + r.length;
  }
  fds.file = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fds.file < 0) {
    *error = path + ": " + strerror(errno);
    return -1;
  }
  std::vector<uint8_t> buf;
  for (size_t i = records.size(); i-- > 0;) {
    const Record &r = records[i];
    buf.resize(r.length);
    if (!read_exact(fds.journal, buf.data(), r.length, r.at) ||
        !write_exact(fds.file, buf.data(), r.length, r.offset)) {
      *error = path + ": rollback: " + strerror(errno);
      return -1;
    }
  }
  if (unlink(jpath.c_str()) != 0) {
    *error = jpath + ": " + strerror(errno);
    return -1;
  }
  return (long)records.size();
}

}  // namespace campaign
