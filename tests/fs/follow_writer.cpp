/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The recorder of the follow test (follow_test.cpp): appends frames `first`, first+1, ... to the
// FS in DIR, spread over STREAMS streams, and writes each frame's number (8 bytes, native order)
// to its standard output once append returned, until killed.
// Usage: follow_writer DIR STREAMS FIRST. Exits 2 when the FS does not open, 3 when an append
// fails, 4 when the report cannot be written.
//
// A program of its own, started with posix_spawn, rather than a fork of the test: the test's
// follow thread runs while it starts a writer, and a fork copies whatever lock that thread held
// at the moment (ASan's allocator's, under load) into a child that then waits on it for ever.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "follow_plan.h"
#include "fs_frames.h"

using namespace fstest;

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: follow_writer DIR STREAMS FIRST\n");
    return 1;
  }
  const uint32_t streams = (uint32_t)strtoul(argv[2], nullptr, 10);
  const uint64_t first = strtoull(argv[3], nullptr, 10);
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  valkka_fs_t *fs = nullptr;
  if (streams == 0 || valkka_fs_open(argv[1], &p, &fs) != 0) {
    fprintf(stderr, "follow_writer: %s\n", valkka_last_error());
    return 2;
  }
  for (uint64_t seq = first; seq < first + 10000000; seq++) {
    const uint32_t stream = follow_stream_of(seq, streams);
    const bool key = seq % 25 < (uint64_t)streams;
    if (key) {
      auto cfg = payload(stream, 0, 24);
      valkka_frame_t c = frame_of(VALKKA_FRAME_CONFIG, follow_time_of(seq), false, cfg);
      if (valkka_fs_append(fs, stream, &c) != 0) return 3;
    }
    auto data = payload(stream, seq, follow_size_of(seq));
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, follow_time_of(seq), key, data);
    if (valkka_fs_append(fs, stream, &f) != 0) return 3;
    if (write(STDOUT_FILENO, &seq, sizeof seq) != (ssize_t)sizeof seq) return 4;
    usleep(300);  // a busy camera's pace
  }
  valkka_fs_close(fs);
  return 0;
}
