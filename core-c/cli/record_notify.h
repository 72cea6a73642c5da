/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The service manager's notification socket (sd_notify(3)'s protocol, without libsystemd):
 * `valkka record` under systemd's Type=notify says READY=1, STATUS=..., STOPPING=1, WATCHDOG=1.
 * Without $NOTIFY_SOCKET every call returns at once and sends nothing.
 */
#ifndef VALKKA_CLI_RECORD_NOTIFY_H
#define VALKKA_CLI_RECORD_NOTIFY_H

#include <stdbool.h>

/* Reads $NOTIFY_SOCKET once and opens the datagram socket; false when there is none. */
bool record_notify_open(void);
/* Sends `message` ("READY=1", "STATUS=t=3s cams=4 ...") as one datagram. Any thread. */
void record_notify(const char *message);
void record_notify_close(void);

#endif
