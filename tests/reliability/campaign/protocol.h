/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What goes up the pipe from a recorder child to the campaign: 16-byte messages, one write each
// (atomic on a pipe), so the recorder's reports and the journal plugin's sync marks
// (tests/plugins-journal) interleave in the order they happened.
#pragma once

#include <cstdint>
#include <cstring>

namespace campaign {

constexpr uint32_t kMsgWritten = 0x57524B56u;  // "VKRW": frame `value` (its g) is written
constexpr uint32_t kMsgSync = 0x534A4B56u;     // "VKJS": the journal plugin finished sync `value`

struct Message {
  uint32_t type = 0;
  uint32_t ms = 0;  // kMsgSync: CLOCK_MONOTONIC ms (low 32 bits) when the sync completed; else 0
  uint64_t value = 0;
};
static_assert(sizeof(Message) == 16, "one pipe write per message");

// Both sides run on the same machine: the layout is the host's (the plugin writes little-endian,
// which is what these machines are).
inline Message decode(const uint8_t raw[16]) {
  Message m;
  std::memcpy(&m.type, raw, 4);
  std::memcpy(&m.ms, raw + 4, 4);
  std::memcpy(&m.value, raw + 8, 8);
  return m;
}

}  // namespace campaign
