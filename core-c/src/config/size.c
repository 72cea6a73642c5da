/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* valkka_size_parse: byte sizes as every program and config reads them ("64K", "2G"). */
#include <errno.h>
#include <stdlib.h>

#include <valkka/config.h>
#include <valkka/error.h>

int valkka_size_parse(const char *text, uint64_t *bytes) {
  if (!text || !bytes) return valkka_error_set(VALKKA_EINVAL, "size: NULL argument");
  char *end = NULL;
  errno = 0;
  /* strtoull skips spaces and takes a sign: both refused by looking at the first character. */
  const unsigned long long v = text[0] >= '0' && text[0] <= '9' ? strtoull(text, &end, 10) : 0;
  if (!end || end == text) goto malformed;
  if (errno) return valkka_error_set(VALKKA_ERANGE, "size '%s': too large", text);
  unsigned shift = 0;
  if (*end) {
    switch (*end) {
      case 'k':
      case 'K': shift = 10; break;
      case 'm':
      case 'M': shift = 20; break;
      case 'g':
      case 'G': shift = 30; break;
      case 't':
      case 'T': shift = 40; break;
      default: goto malformed;
    }
    end++;
    if (*end == 'i' || *end == 'I') end++;
    if (*end == 'b' || *end == 'B') end++;
    if (*end) goto malformed;
  }
  if (v > UINT64_MAX >> shift) return valkka_error_set(VALKKA_ERANGE, "size '%s': too large", text);
  *bytes = (uint64_t)v << shift;
  return 0;
malformed:
  return valkka_error_set(VALKKA_EINVAL,
                          "size '%s': expected bytes with an optional K, M, G or T suffix", text);
}
