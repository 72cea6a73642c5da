/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sd_notify by hand: one AF_UNIX datagram per message to $NOTIFY_SOCKET, a path or, with a
 * leading '@', a name in the abstract namespace. A failed send is not the recording's problem:
 * systemd then sees no READY or no WATCHDOG and says so in its own log.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "record_notify.h"

static int notify_fd = -1;
static struct sockaddr_un notify_addr;
static socklen_t notify_len;

bool record_notify_open(void) {
  const char *path = getenv("NOTIFY_SOCKET");
  if (notify_fd >= 0) return true;
  const size_t n = path ? strlen(path) : 0;
  if (n < 2 || n >= sizeof notify_addr.sun_path || (path[0] != '/' && path[0] != '@')) return false;
  notify_addr.sun_family = AF_UNIX;
  memcpy(notify_addr.sun_path, path, n);
  if (path[0] == '@') notify_addr.sun_path[0] = '\0';
  /* An abstract name is counted, not terminated: the length ends it. */
  notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
  notify_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  return notify_fd >= 0;
}

void record_notify(const char *message) {
  if (notify_fd < 0) return;
  /* Never waits: a reader that is behind (its queue full) loses a datagram, the recording
   * does not stall for it. */
  (void)!sendto(notify_fd, message, strlen(message), MSG_NOSIGNAL | MSG_DONTWAIT,
                (const struct sockaddr *)&notify_addr, notify_len);
}

void record_notify_close(void) {
  if (notify_fd >= 0) close(notify_fd);
  notify_fd = -1;
}
