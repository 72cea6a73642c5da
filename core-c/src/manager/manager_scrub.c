/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_manager_scrub, and the check and clamp of a time it shares with valkka_manager_seek. */
#include <valkka/error.h>

#include "manager/manager_internal.h"

int manager_playhead_time(valkka_manager_t *m, int64_t mstime, const char *what, int64_t *t) {
  if (!m || mstime <= 0)
    return valkka_error_set(VALKKA_EINVAL, "%s: NULL manager or time <= 0", what);
  int64_t first, last;
  manager_time_range(m, &first, &last);
  if (!first) return valkka_error_set(VALKKA_ERANGE, "%s: nothing is recorded", what);
  /* Documented: outside the recorded range the playhead goes to its nearest end. */
  *t = mstime < first ? first : mstime > last ? last : mstime;
  return 0;
}

int valkka_manager_scrub(valkka_manager_t *m, int64_t mstime) {
  int64_t t = 0;
  int err = manager_playhead_time(m, mstime, "manager_scrub", &t);
  if (!err) filecache_scrub(m->fc, t);
  return err;
}
