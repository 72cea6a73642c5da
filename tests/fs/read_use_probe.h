/* See read_use_probe.c. */
#ifndef VALKKA_TEST_READ_USE_PROBE_H
#define VALKKA_TEST_READ_USE_PROBE_H

#include <stdint.h>

#include <valkka/fs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* fs_read_block_use(fs, block, use) with a sink counting frames into *frames. */
int read_use_probe(valkka_fs_t *fs, uint32_t block, uint64_t use, int *frames);

#ifdef __cplusplus
}
#endif

#endif
