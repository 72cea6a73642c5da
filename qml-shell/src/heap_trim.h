/* SPDX-License-Identifier: LGPL-2.1-or-later */
// glibc keeps the pages its heaps freed: after a backlog (the machine stalls the kiosk for a
// moment, the cameras' frames and pictures pile up in their bounded queues, then drain) the
// kiosk's resident memory stays at that backlog's high-water mark, and a later stall can raise
// it. The live heap of a wall does not grow (heaptrack, bench/wall/README.md: 0.3 MB between
// minutes 2.5 and 10), but its resident memory did. Once a minute the kiosk gives the free pages
// back (malloc_trim), so a wall that runs for months holds what its work needs now, not what its
// worst moment needed. GUI thread.
#pragma once

class QObject;

// Starts the minute's trim; it stops when `owner` goes.
void startHeapTrim(QObject *owner);
