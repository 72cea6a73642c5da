/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_manager_set_gaps: checks the input, then tells the file cache. */
#include <valkka/error.h>

#include "manager/filecache_gaps.h"
#include "manager/manager_internal.h"

int valkka_manager_set_gaps(valkka_manager_t *m, valkka_manager_gaps_t gaps) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_set_gaps: NULL manager");
  if (gaps != VALKKA_MANAGER_GAPS_JUMP && gaps != VALKKA_MANAGER_GAPS_REAL_TIME)
    return valkka_error_set(VALKKA_EINVAL, "manager_set_gaps: unknown mode %d", (int)gaps);
  filecache_set_gaps_real_time(m->fc, gaps == VALKKA_MANAGER_GAPS_REAL_TIME);
  return 0;
}
