/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "posix_file.h"

typedef struct posix_file {
  const valkka_host_t *host;
  int fd;
  uint64_t size;
  char *path;
} posix_file_t;

static int errno_code(int err) {
  switch (err) {
    case ENOENT:
    case ENOTDIR: return VALKKA_ENOENT;
    case EEXIST: return VALKKA_EEXIST;
    case EACCES:
    case EPERM:
    case EROFS: return VALKKA_EACCES;
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return VALKKA_ENOSPC;
    default: return VALKKA_EIO;
  }
}

static int fail(const valkka_host_t *host, int err, const char *what, const char *path) {
  return host->error_set(errno_code(err), "storage: %s %s: %s", what, path, strerror(err));
}

static uint64_t device_size(int fd) {
  uint64_t bytes = 0;
  if (ioctl(fd, BLKGETSIZE64, &bytes) != 0) return 0;
  return bytes;
}

int valkka_posix_file_open(const valkka_host_t *host, const char *path, uint64_t size,
                           uint32_t flags, void **out) {
  const int readonly = (flags & VALKKA_STORAGE_READONLY) != 0;
  const int create = (flags & VALKKA_STORAGE_CREATE) != 0 && !(flags & VALKKA_STORAGE_DEVICE);
  int oflags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0);
  int fd = open(path, oflags, 0640);
  if (fd < 0) return fail(host, errno, "open", path);
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return fail(host, err, "stat", path);
  }
  if (create) {
    /* Preallocate so a full disk shows now, not in the middle of a recording. */
    int err = posix_fallocate(fd, 0, (off_t)size);
    if (err) {
      close(fd);
      unlink(path);
      return host->error_set(errno_code(err), "storage: preallocate %llu bytes for %s: %s",
                             (unsigned long long)size, path, strerror(err));
    }
  } else {
    uint64_t have = S_ISBLK(st.st_mode) ? device_size(fd) : (uint64_t)st.st_size;
    if ((flags & VALKKA_STORAGE_DEVICE) && !S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode)) {
      close(fd);
      return host->error_set(VALKKA_EFORMAT, "storage: %s is neither a block device nor a file",
                             path);
    }
    if (have < size) {
      close(fd);
      return host->error_set(VALKKA_EFORMAT, "storage: %s holds %llu bytes, the FS needs %llu",
                             path, (unsigned long long)have, (unsigned long long)size);
    }
  }
  posix_file_t *f = calloc(1, sizeof *f);
  if (!f || !(f->path = strdup(path))) {
    free(f);
    close(fd);
    return host->error_set(VALKKA_ENOMEM, "storage: out of memory");
  }
  f->host = host;
  f->fd = fd;
  f->size = size;
  *out = f;
  return 0;
}

int valkka_posix_file_pread(void *file, void *buf, size_t n, uint64_t offset) {
  posix_file_t *f = file;
  if (offset > f->size || n > f->size - offset)
    return f->host->error_set(VALKKA_ERANGE, "storage: read of %zu bytes at %llu past end of %s", n,
                              (unsigned long long)offset, f->path);
  size_t done = 0;
  while (done < n) {
    ssize_t got = pread(f->fd, (char *)buf + done, n - done, (off_t)(offset + done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return fail(f->host, errno, "read", f->path);
    if (got == 0) return f->host->error_set(VALKKA_EIO, "storage: short read of %s", f->path);
    done += (size_t)got;
  }
  return 0;
}

int valkka_posix_file_pwrite(void *file, const void *buf, size_t n, uint64_t offset) {
  posix_file_t *f = file;
  if (offset > f->size || n > f->size - offset)
    return f->host->error_set(VALKKA_ERANGE, "storage: write of %zu bytes at %llu past end of %s",
                              n, (unsigned long long)offset, f->path);
  size_t done = 0;
  while (done < n) {
    ssize_t put = pwrite(f->fd, (const char *)buf + done, n - done, (off_t)(offset + done));
    if (put < 0 && errno == EINTR) continue;
    if (put < 0) return fail(f->host, errno, "write", f->path);
    done += (size_t)put;
  }
  return 0;
}

int valkka_posix_file_sync(void *file) {
  posix_file_t *f = file;
  if (fdatasync(f->fd) != 0) return fail(f->host, errno, "fdatasync", f->path);
  return 0;
}

void valkka_posix_file_close(void *file) {
  posix_file_t *f = file;
  if (!f) return;
  close(f->fd);
  free(f->path);
  free(f);
}
