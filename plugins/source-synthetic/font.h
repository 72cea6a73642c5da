/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A 5x7 bitmap font with just the glyphs a camera label needs: digits, "CAM" and space. */
#ifndef VALKKA_SYNTH_FONT_H
#define VALKKA_SYNTH_FONT_H

#include <stdint.h>

#define SYNTH_FONT_W 5
#define SYNTH_FONT_H 7

/** Seven rows of `c`, bit 4 the leftmost pixel; a blank glyph for characters it lacks. */
const uint8_t *synth_font_glyph(char c);

#endif
