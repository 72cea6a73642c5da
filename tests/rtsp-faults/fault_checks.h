/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the RTSP fault tests check after a campaign: that a stream's recording has no gap (and
// how many frames it holds), that a camera's status changes follow the state machine of live.h,
// and the wall clock they compare recorded times against.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "live_recorder.h"
#include "rtsp_test_util.h"

namespace faults {

// Our wall clock, ms since the epoch.
int64_t wall_ms();

// The encoded frames of one stream as recorded, and the largest step between two of them.
struct Coverage {
  uint64_t frames = 0;
  int64_t first_ms = 0, last_ms = 0;
  int64_t max_gap_ms = 0, max_gap_at_ms = 0;  // the step, and the time of the frame after it
  bool ordered = true;                        // times rise strictly
};
Coverage coverage(const std::vector<rtsp_test::Record> &records, uint32_t stream_id);
std::string describe(const Coverage &c);

// A healthy camera's recording: at least `min_frames` frames (a stream that recorded nothing
// fails), times rising, and no step of a second or more (at 25 frames a second a loaded machine
// delays frames, it does not lose a second of them).
::testing::AssertionResult recorded_without_gap(const Coverage &c, uint64_t min_frames);

// "" when every change of `events` is one live.h allows (CONNECTING first; STALLED only from
// STREAMING; FAILED and ENDED last), else the first one that is not.
std::string bad_transition(const std::vector<StatusEvent> &events);

// How many of `events`, from index `from` on, have `state`.
size_t count_state(const std::vector<StatusEvent> &events, uint32_t state, size_t from = 0);

// Resident memory of process `pid` (0: this one) in kB, 0 when unknown.
long rss_kb(int pid = 0);

// Whether this build runs under ASan or TSan, whose shadow memory and quarantine grow by
// themselves: RSS says nothing there.
bool sanitized();

// A count from the environment (the longer campaign of bench/rtsp-faults sets it), else `fallback`.
int env_count(const char *name, int fallback);

}  // namespace faults
