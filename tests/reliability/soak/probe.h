/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the soak watches stay flat: the process's resident memory and open file descriptors.
#pragma once

#include <cstdint>

namespace soak {

struct Sample {
  uint64_t rss_kb = 0;
  uint32_t fds = 0;
};

Sample sample_process();

}  // namespace soak
