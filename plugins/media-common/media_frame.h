/* Filling a lent frame with an encoded unit. */
#ifndef VALKKA_MEDIA_FRAME_H
#define VALKKA_MEDIA_FRAME_H

#include <valkka/plugin.h>

/**
 * Copies `size` bytes into `frame` (grown through the host) and makes it a `kind` frame of
 * `codec` with `flags` and `mstime`; picture fields are cleared because the core recycles frames.
 * Errors: VALKKA_ENOMEM.
 */
int valkka_media_frame_fill(const valkka_host_t *host, valkka_frame_t *frame, uint32_t kind,
                            uint32_t codec, uint32_t flags, int64_t mstime, const void *data,
                            uint32_t size);

#endif
