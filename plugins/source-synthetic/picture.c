/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "font.h"
#include "picture.h"

typedef struct yuv {
  uint8_t y, u, v;
} yuv_t;

/* BT.601 limited range, the range libx264 signals by default. */
static yuv_t from_rgb(int r, int g, int b) {
  double y = 16.0 + (65.481 * r + 128.553 * g + 24.966 * b) / 255.0;
  double u = 128.0 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255.0;
  double v = 128.0 + (112.0 * r - 93.786 * g - 18.214 * b) / 255.0;
  return (yuv_t){(uint8_t)(y + 0.5), (uint8_t)(u + 0.5), (uint8_t)(v + 0.5)};
}

static yuv_t camera_colour(uint32_t cam) {
  static const uint8_t palette[8][3] = {
      {200, 40, 40},  {40, 160, 60},  {40, 70, 200},  {210, 190, 40},
      {180, 50, 170}, {40, 170, 180}, {220, 120, 30}, {120, 120, 120},
  };
  const uint8_t *rgb = palette[cam % 8];
  return from_rgb(rgb[0], rgb[1], rgb[2]);
}

/* Cameras 0..7 differ by colour; cameras 8 apart by pattern as well, so 32 look different. */
static unsigned camera_pattern(uint32_t cam) { return (cam + cam / 8) % 4; }

static void fill_rect(AVFrame *f, int x0, int y0, int w, int h, yuv_t c) {
  if (x0 < 0) w += x0, x0 = 0;
  if (y0 < 0) h += y0, y0 = 0;
  if (x0 + w > f->width) w = f->width - x0;
  if (y0 + h > f->height) h = f->height - y0;
  if (w <= 0 || h <= 0) return;
  for (int y = y0; y < y0 + h; y++) memset(f->data[0] + (ptrdiff_t)y * f->linesize[0] + x0, c.y, w);
  for (int y = y0 / 2; y < (y0 + h + 1) / 2; y++) {
    memset(f->data[1] + (ptrdiff_t)y * f->linesize[1] + x0 / 2, c.u, (w + 1) / 2);
    memset(f->data[2] + (ptrdiff_t)y * f->linesize[2] + x0 / 2, c.v, (w + 1) / 2);
  }
}

static void draw_background(AVFrame *f, uint32_t cam) {
  yuv_t base = camera_colour(cam);
  yuv_t dark = {(uint8_t)(base.y > 60 ? base.y - 40 : base.y + 40), base.u, base.v};
  unsigned pattern = camera_pattern(cam);
  int cell = f->height / 6 > 8 ? f->height / 6 : 8;
  fill_rect(f, 0, 0, f->width, f->height, base);
  if (pattern == 0) return;
  for (int y = 0; y < f->height; y += cell)
    for (int x = 0; x < f->width; x += cell) {
      int row = y / cell, col = x / cell;
      bool shaded = pattern == 1 ? row % 2 : pattern == 2 ? col % 2 : (row + col) % 2;
      if (shaded) fill_rect(f, x, y, cell, cell, dark);
    }
}

static void draw_text(AVFrame *f, const char *text, int x0, int y0, int scale, yuv_t c) {
  for (int i = 0; text[i]; i++) {
    const uint8_t *rows = synth_font_glyph(text[i]);
    int gx = x0 + i * (SYNTH_FONT_W + 1) * scale;
    for (int r = 0; r < SYNTH_FONT_H; r++)
      for (int b = 0; b < SYNTH_FONT_W; b++)
        if (rows[r] & (0x10 >> b)) fill_rect(f, gx + b * scale, y0 + r * scale, scale, scale, c);
  }
}

void synth_picture_draw(AVFrame *f, uint32_t cam, uint32_t index, uint32_t n_frames) {
  static const yuv_t white = {235, 128, 128}, black = {16, 128, 128};
  draw_background(f, cam);

  char label[24];
  snprintf(label, sizeof label, "CAM %u", cam);
  int scale = f->height / 90 > 1 ? f->height / 90 : 1;
  int margin = 2 * scale;
  int text_w = (int)strlen(label) * (SYNTH_FONT_W + 1) * scale;
  fill_rect(f, margin, margin, text_w + 2 * margin, SYNTH_FONT_H * scale + 2 * margin, black);
  draw_text(f, label, 2 * margin, 2 * margin, scale, white);

  int box = f->height / 5 > 4 ? f->height / 5 : 4;
  int travel = f->width - box;
  int x = n_frames > 1 ? (int)((int64_t)travel * index / (n_frames - 1)) : 0;
  int y = f->height - box - f->height / 8;
  fill_rect(f, x, y, box, box, white);
  fill_rect(f, x + box / 4, y + box / 4, box / 2, box / 2, black);
}
