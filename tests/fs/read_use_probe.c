/* The white-box half of read_use_test.cpp: fs_read_block_use is internal to the core, and its
   header is C (atomics, pthreads), so it is called from here. */
#include "fs/fs_internal.h"
#include "read_use_probe.h"

static int count(void *user, const valkka_frame_t *frame) {
  (void)frame;
  ++*(int *)user;
  return 0;
}

int read_use_probe(valkka_fs_t *fs, uint32_t block, uint64_t use, int *frames) {
  *frames = 0;
  return fs_read_block_use(fs, block, use, count, frames);
}
