/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "fault_checks.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace faults {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Coverage coverage(const std::vector<rtsp_test::Record> &records, uint32_t stream_id) {
  Coverage c;
  for (const rtsp_test::Record &r : records) {
    if (r.stream_id != stream_id || r.kind != VALKKA_FRAME_ENCODED) continue;
    if (c.frames) {
      if (r.mstime <= c.last_ms) c.ordered = false;
      if (r.mstime - c.last_ms > c.max_gap_ms) {
        c.max_gap_ms = r.mstime - c.last_ms;
        c.max_gap_at_ms = r.mstime;
      }
    } else {
      c.first_ms = r.mstime;
    }
    c.last_ms = r.mstime;
    c.frames++;
  }
  return c;
}

std::string describe(const Coverage &c) {
  std::ostringstream out;
  out << c.frames << " frames over " << (c.last_ms - c.first_ms) << " ms, largest gap "
      << c.max_gap_ms << " ms" << (c.ordered ? "" : ", OUT OF ORDER");
  return out.str();
}

::testing::AssertionResult recorded_without_gap(const Coverage &c, uint64_t min_frames) {
  if (c.frames < min_frames || !c.ordered || c.max_gap_ms >= 1000)
    return ::testing::AssertionFailure()
           << describe(c) << " (at least " << min_frames << " frames, rising, no gap of 1 s: "
           << "the largest is before " << c.max_gap_at_ms << ")";
  return ::testing::AssertionSuccess();
}

namespace {
bool allowed(uint32_t from, uint32_t to) {
  switch (from) {
    case VALKKA_STREAM_CONNECTING:
    case VALKKA_STREAM_RECONNECTING:
      return to == VALKKA_STREAM_STREAMING || to == VALKKA_STREAM_RECONNECTING ||
             to == VALKKA_STREAM_FAILED;
    case VALKKA_STREAM_STREAMING:
      return to == VALKKA_STREAM_STALLED || to == VALKKA_STREAM_RECONNECTING ||
             to == VALKKA_STREAM_FAILED || to == VALKKA_STREAM_ENDED;
    case VALKKA_STREAM_STALLED:
      return to == VALKKA_STREAM_STREAMING || to == VALKKA_STREAM_RECONNECTING ||
             to == VALKKA_STREAM_FAILED;
    default: return false;  // FAILED and ENDED are final
  }
}
}  // namespace

std::string bad_transition(const std::vector<StatusEvent> &events) {
  if (events.empty()) return "no status at all";
  if (events[0].state != VALKKA_STREAM_CONNECTING)
    return std::string("first state ") + valkka_stream_state_name(events[0].state);
  for (size_t i = 1; i < events.size(); i++) {
    const StatusEvent &a = events[i - 1], &b = events[i];
    bool error_ok = (b.state == VALKKA_STREAM_STREAMING) == (b.error == 0);
    if (!allowed(a.state, b.state) || !error_ok || (b.error && b.reason.empty()))
      return "event " + std::to_string(i) + ": " + valkka_stream_state_name(a.state) + " -> " +
             valkka_stream_state_name(b.state) + " (" + valkka_err_name(b.error) + ": " + b.reason +
             ")";
  }
  return "";
}

size_t count_state(const std::vector<StatusEvent> &events, uint32_t state, size_t from) {
  size_t n = 0;
  for (size_t i = from; i < events.size(); i++) n += events[i].state == state;
  return n;
}

long rss_kb(int pid) {
  std::ifstream status(pid ? "/proc/" + std::to_string(pid) + "/status" : "/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key)
    if (key == "VmRSS:" && status >> value) return value;
  return 0;
}

bool sanitized() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#endif
#endif
  return false;
}

int env_count(const char *name, int fallback) {
  const char *text = getenv(name);
  int n = text ? atoi(text) : 0;
  return n > 0 ? n : fallback;
}

}  // namespace faults
