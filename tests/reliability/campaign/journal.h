/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Power-cut simulation, the test's half of tests/plugins-journal: a file written through the
// storage-journal backend is rolled back to its last sync by writing back, newest first, the
// bytes every later write replaced (PATH.journal, format in storage_journal.c).
#pragma once

#include <string>

namespace campaign {

// Rolls `path` back to its last sync and removes its journal. Returns the number of writes
// undone (0 when there is no journal), or -1 with *error set.
long rollback_to_last_sync(const std::string &path, std::string *error);

}  // namespace campaign
