/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The real-time pacing of a source, checked against the source's own frame times rather than
// against how fast this machine happens to run.
#pragma once

#include "media_support.h"

namespace media_test {

// Reads `frames` pictures from a real-time source whose next read is its first picture, and
// checks the two sides of pacing: no picture comes before it is due (its time after the first
// picture's, counted from before the first was asked for: the source's clock starts no earlier),
// and pictures that are already due come without waiting. A loaded machine can only make the
// reads later, which neither check minds. Fails the test on a refused read.
void expect_real_time_pacing(Source &source, int frames);

}  // namespace media_test
