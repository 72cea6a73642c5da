/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* errno -> VALKKA_E code, so system failures keep their meaning across the ABI. */
#include <errno.h>

#include "base/error.h"

int error_from_errno(int err) {
  switch (err) {
    case 0: return VALKKA_OK;
    case ENOENT:
    case ENOTDIR: return VALKKA_ENOENT;
    case EEXIST: return VALKKA_EEXIST;
    case EACCES:
    case EPERM:
    case EROFS: return VALKKA_EACCES;
    case ENOSPC:
    case EDQUOT:
    case EFBIG: return VALKKA_ENOSPC;
    case ENOMEM: return VALKKA_ENOMEM;
    case EINVAL: return VALKKA_EINVAL;
    case EAGAIN: return VALKKA_EAGAIN;
    case ETIMEDOUT: return VALKKA_ETIMEDOUT;
    case EINTR: return VALKKA_EINTR;
    case EBUSY: return VALKKA_EBUSY;
    case ENODEV:
    case ENXIO: return VALKKA_ENODEV;
    case ECONNREFUSED:
    case ECONNRESET:
    case EHOSTUNREACH:
    case ENETUNREACH: return VALKKA_ECONN;
    default: return VALKKA_EIO;
  }
}
