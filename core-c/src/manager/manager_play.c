/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Playback control: checks the input, then queues the request for the file-cache thread. */
#include <math.h>

#include <valkka/error.h>

#include "manager/manager_internal.h"

int valkka_manager_seek(valkka_manager_t *m, int64_t mstime) {
  int64_t t = 0;
  int err = manager_playhead_time(m, mstime, "manager_seek", &t);
  if (!err) filecache_seek(m->fc, t);
  return err;
}

/* Play and step with no playhead start at the oldest data: there must be some. */
static int need_data(valkka_manager_t *m, const char *what) {
  if (filecache_current(m->fc)) return 0;
  int64_t first, last;
  manager_time_range(m, &first, &last);
  return first ? 0 : valkka_error_set(VALKKA_ERANGE, "%s: no playhead and nothing recorded", what);
}

int valkka_manager_play(valkka_manager_t *m, double speed) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_play: NULL manager");
  /* Backwards (a negative speed) at the same rates. */
  const double rate = fabs(speed);
  if (isnan(speed) || isinf(speed) ||
      (speed != VALKKA_MANAGER_SPEED_FAST &&
       (rate < VALKKA_MANAGER_SPEED_MIN || rate > VALKKA_MANAGER_SPEED_MAX)))
    return valkka_error_set(VALKKA_EINVAL,
                            "manager_play: speed %g outside %g..%g, -%g..-%g (or 0: as fast as "
                            "possible)",
                            speed, VALKKA_MANAGER_SPEED_MIN, VALKKA_MANAGER_SPEED_MAX,
                            VALKKA_MANAGER_SPEED_MAX, VALKKA_MANAGER_SPEED_MIN);
  int err = need_data(m, "manager_play");
  if (!err) filecache_play(m->fc, speed);
  return err;
}

int valkka_manager_pause(valkka_manager_t *m) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_pause: NULL manager");
  filecache_pause(m->fc);
  return 0;
}

int valkka_manager_stop(valkka_manager_t *m) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_stop: NULL manager");
  filecache_stop_playback(m->fc);
  return 0;
}

int valkka_manager_step(valkka_manager_t *m) { return valkka_manager_step_by(m, 1); }

int valkka_manager_step_by(valkka_manager_t *m, int frames) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_step: NULL manager");
  if (frames != 1 && frames != -1)
    return valkka_error_set(VALKKA_EINVAL, "manager_step_by: %d frames (1 or -1)", frames);
  int err = need_data(m, "manager_step");
  if (!err) filecache_step_by(m->fc, frames);
  return err;
}

int valkka_manager_read_block_tables_if(valkka_manager_t *m) {
  if (!m) return valkka_error_set(VALKKA_EINVAL, "manager_read_block_tables_if: NULL manager");
  filecache_refresh(m->fc);
  return 0;
}

int valkka_manager_req_blocks_if(valkka_manager_t *m, int64_t mstime) {
  if (!m || mstime <= 0)
    return valkka_error_set(VALKKA_EINVAL, "manager_req_blocks_if: NULL manager or time <= 0");
  int64_t first, last;
  manager_time_range(m, &first, &last);
  if (!first || mstime < first || mstime > last)
    return valkka_error_set(VALKKA_ERANGE,
                            "manager_req_blocks_if: %lld is outside the recorded range",
                            (long long)mstime);
  filecache_request(m->fc, mstime);
  return 0;
}
