/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * `valkka record`'s answer to systemd's watchdog (WatchdogSec=): a thread that says WATCHDOG=1 at
 * half of $WATCHDOG_USEC while the writer thread of every FS the session has open (those a reload
 * opened too) is alive and moving, and withholds it (logging which FS) once one stops, so that
 * systemd restarts a recorder that no longer records.
 */
#ifndef VALKKA_CLI_RECORD_WATCHDOG_H
#define VALKKA_CLI_RECORD_WATCHDOG_H

#include "cmd_record.h"

typedef struct record_watchdog record_watchdog_t;

/* Starts the thread when $WATCHDOG_USEC asks for it (and $WATCHDOG_PID is unset or this
 * process); NULL when not asked, or when the thread cannot start (said on stderr). */
record_watchdog_t *record_watchdog_start(record_session_t *session);
/* Stops and frees it (NULL: nothing), before the session stops its writers. */
void record_watchdog_stop(record_watchdog_t *watchdog);

#endif
