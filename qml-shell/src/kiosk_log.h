/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's stderr fit for the journal, and FFmpeg's own log through the core's logger (the
// process-wide av_log callback belongs to the application; plugins never set it).
#pragma once

#include <valkka/valkka.h>

namespace kiosklog {

// Decides whether stderr is the journal ($JOURNAL_STREAM names it), then routes the core's log,
// FFmpeg's log and, under the journal, Qt's messages through lines with priority prefixes.
void init();
// sd-daemon(3)'s prefix of `level`, "<3>" error .. "<7>" debug: "" unless stderr is the journal.
const char *prefix(valkka_log_level_t level);

}  // namespace kiosklog
