/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The follow thread of a read-only FS ("fs-follow"): it looks (follow.c) when the writer's files
 * change and hands what it took to the follower's callbacks, outside every FS lock.
 *
 * It waits on inotify of the FS directory (the blocks and blocktable files being written, the
 * stream table renamed into place), so a record is seen within a look interval of its write;
 * where the blocks are a device, writes to it are not announced and it looks every poll_ms.
 * It looks once a second anyway: a notice lost (a full inotify queue) delays, never loses.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <valkka/error.h>
#include <valkka/fs.h>

#include "fs/fs_internal.h"
#include "util/clock.h"
#include "util/frame_view.h"
#include "util/thread.h"
#include "base/log.h"

#define DEFAULT_POLL_MS 20u
/* A remote FS: each look is two HTTP requests; the writer gathers its records for 50 ms anyway. */
#define REMOTE_POLL_MS 100u
#define SAFETY_LOOK_MS 1000
/* Looks are at least this far apart: a writer's burst of small writes makes one look, not many. */
#define MIN_LOOK_GAP_US 5000

struct fs_follower {
  thread_t thread;
  valkka_fs_t *fs;
  valkka_fs_follow_params_t params;
  int notify_fd;    /* inotify of the FS directory, or -1: poll */
  int stop_fd;      /* eventfd: wakes the thread to stop */
  bool failing;     /* the last look failed: said once, and again when one succeeds */
  int64_t names_us; /* a remote FS: when its stream table was last asked for */
};

static void report(fs_follower_t *f, const fs_event_t *e) {
  if (!f->params.on_block) return;
  valkka_fs_block_event_t ev = {
      .struct_size = sizeof ev,
      .reason = e->reason,
      .block = e->block,
      .frames = e->entry.frames,
      .seq = e->entry.seq,
      .min_ms = e->entry.min_ms,
      .max_ms = e->entry.max_ms,
  };
  f->params.on_block(f->params.user, &ev);
}

/* The records a step took, from the look buffer (stable until the next step, which only this
   thread makes). They were checked whole by the step. */
static void deliver(fs_follower_t *f, const fs_look_t *look) {
  if (!f->params.on_frame) return;
  const valkka_fs_t *fs = f->fs;
  uint32_t off = 0;
  for (uint32_t i = 0; i < look->records && off + FS_RECORD_HEADER_SIZE <= look->bytes; i++) {
    fs_record_t r;
    if (!fs_record_parse(&fs->layout, fs->look_buf + off, look->bytes - off, &r)) break;
    if (r.kind != FS_KIND_PAD) {
      valkka_frame_t frame = frame_view(r.kind, r.codec, r.flags, r.mstime,
                                        fs->look_buf + off + FS_RECORD_HEADER_SIZE, r.length);
      frame.pts_offset = (int32_t)r.pts_offset;
      frame.stream_id = r.stream_id;
      f->params.on_frame(f->params.user, &frame);
    }
    off += fs_record_size(r.length);
  }
}

static void look(fs_follower_t *f) {
  valkka_fs_t *fs = f->fs;
  for (;;) {
    fs_look_t step;
    pthread_mutex_lock(&fs->write_lock);
    int err = fs_look_step_locked(fs, &step);
    pthread_mutex_unlock(&fs->write_lock);
    /* A server down or a disk failing fails every look alike: one line, not one per look. */
    if (err && !f->failing) LOG_WARN("fs", "%s: following: %s", fs->dir, valkka_last_error());
    if (!err && f->failing) LOG_INFO("fs", "%s: following again", fs->dir);
    f->failing = err != 0;
    deliver(f, &step);
    for (int i = 0; i < step.n_events; i++) report(f, &step.events[i]);
    if (err || !step.more || thread_should_stop(&f->thread)) return;
  }
}

/* Takes the pending notices; true when the stream table was replaced. */
static bool drain_notices(int fd) {
  bool names = false;
  char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return names;
    for (char *p = buf; p < buf + n;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      if (ev->len && !strcmp(ev->name, FS_NAMES_NAME)) names = true;
      p += sizeof *ev + ev->len;
    }
  }
}

/* Waits for a notice, the poll interval or a stop; false on stop. */
static bool wait_change(fs_follower_t *f, int64_t last_look_us) {
  struct pollfd fds[2] = {{.fd = f->stop_fd, .events = POLLIN},
                          {.fd = f->notify_fd, .events = POLLIN}};
  const int timeout = f->notify_fd >= 0 ? SAFETY_LOOK_MS : (int)f->params.poll_ms;
  int n = poll(fds, f->notify_fd >= 0 ? 2 : 1, timeout);
  if (n < 0 && errno != EINTR) LOG_WARN("fs", "%s: follow: poll: %s", f->fs->dir, strerror(errno));
  if (fds[0].revents) return false;
  if (f->notify_fd >= 0 && fds[1].revents && drain_notices(f->notify_fd)) fs_names_load(f->fs);
  if (f->fs->files.dir && clock_mono_us() - f->names_us >= SAFETY_LOOK_MS * 1000LL) {
    /* No notices from a server: its stream table is asked for once a second (unchanged, the
       answer is a 304 with no body). */
    f->names_us = clock_mono_us();
    fs_names_load(f->fs);
  }
  const int64_t gap = clock_mono_us() - last_look_us;
  if (gap < MIN_LOOK_GAP_US) {
    n = poll(fds, 1, (int)((MIN_LOOK_GAP_US - gap + 999) / 1000));
    if (n > 0) return false;
  }
  return true;
}

static void follow_main(thread_t *self, void *arg) {
  fs_follower_t *f = arg;
  while (!thread_should_stop(self)) {
    const int64_t started = clock_mono_us();
    look(f);
    if (!wait_change(f, started)) break;
  }
}

static int open_notices(valkka_fs_t *fs) {
  /* A device's writes are not announced, nor a server's; a file's are, in the FS directory. */
  if (fs->cfg.data[0] == '/' || fs->files.dir) return -1;
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    LOG_WARN("fs", "%s: inotify: %s: following by polling", fs->dir, strerror(errno));
    return -1;
  }
  if (inotify_add_watch(fd, fs->dir, IN_MODIFY | IN_MOVED_TO | IN_CLOSE_WRITE) < 0) {
    LOG_WARN("fs", "%s: inotify watch: %s: following by polling", fs->dir, strerror(errno));
    close(fd);
    return -1;
  }
  return fd;
}

static void follower_free(fs_follower_t *f) {
  if (f->notify_fd >= 0) close(f->notify_fd);
  if (f->stop_fd >= 0) close(f->stop_fd);
  free(f);
}

int valkka_fs_follow_start(valkka_fs_t *fs, const valkka_fs_follow_params_t *params) {
  if (!fs || (params && params->struct_size < sizeof(uint32_t) * 2))
    return valkka_error_set(VALKKA_EINVAL, "fs_follow_start: NULL FS or struct_size too small");
  if (!fs->readonly)
    return valkka_error_set(VALKKA_EACCES,
                            "fs %s: open for writing here: its own writer reports "
                            "(valkka_fs_writer_start)",
                            fs->dir);
  fs_follower_t *f = calloc(1, sizeof *f);
  if (!f) return valkka_error_set(VALKKA_ENOMEM, "fs_follow_start: out of memory");
  f->fs = fs;
  f->notify_fd = -1;
  f->params.struct_size = sizeof f->params;
  if (params) {
    memcpy(&f->params, params,
           params->struct_size < sizeof f->params ? params->struct_size : sizeof f->params);
    f->params.struct_size = sizeof f->params;
  }
  if (!f->params.poll_ms) f->params.poll_ms = fs->files.dir ? REMOTE_POLL_MS : DEFAULT_POLL_MS;
  f->names_us = clock_mono_us();
  if ((f->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0) {
    int err = valkka_error_set(VALKKA_EIO, "fs_follow_start: eventfd: %s", strerror(errno));
    follower_free(f);
    return err;
  }
  f->notify_fd = open_notices(fs);
  pthread_mutex_lock(&fs->writer_lock);
  int err = fs->follower ? valkka_error_set(VALKKA_ESTATE, "fs %s: followed already", fs->dir)
                         : thread_start(&f->thread, "fs-follow", follow_main, f);
  if (!err) fs->follower = f;
  pthread_mutex_unlock(&fs->writer_lock);
  if (err) follower_free(f);
  return err;
}

void fs_follower_stop(valkka_fs_t *fs) {
  pthread_mutex_lock(&fs->writer_lock);
  fs_follower_t *f = fs->follower;
  fs->follower = NULL;
  pthread_mutex_unlock(&fs->writer_lock);
  if (!f) return;
  thread_request_stop(&f->thread);
  const uint64_t one = 1;
  if (write(f->stop_fd, &one, sizeof one) < 0)
    LOG_WARN("fs", "%s: follow stop: %s", fs->dir, strerror(errno));
  thread_stop(&f->thread);
  follower_free(f);
}

int valkka_fs_follow_stop(valkka_fs_t *fs) {
  if (!fs) return valkka_error_set(VALKKA_EINVAL, "fs_follow_stop: NULL argument");
  pthread_mutex_lock(&fs->writer_lock);
  const bool own = fs->follower && pthread_equal(fs->follower->thread.tid, pthread_self());
  pthread_mutex_unlock(&fs->writer_lock);
  if (own) return valkka_error_set(VALKKA_ESTATE, "fs_follow_stop: called from the follow thread");
  fs_follower_stop(fs);
  return 0;
}
