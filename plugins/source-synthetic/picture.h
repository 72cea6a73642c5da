/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The picture of a synthetic camera: a background colour and pattern of its own, its label
 * ("CAM N") and a box that crosses the picture once per clip, so the clip loops without a jump.
 */
#ifndef VALKKA_SYNTH_PICTURE_H
#define VALKKA_SYNTH_PICTURE_H

#include <stdint.h>

#include <libavutil/frame.h>

/** Draws frame `index` of `n_frames` of camera `cam` into a writable YUV420P `frame`. */
void synth_picture_draw(AVFrame *frame, uint32_t cam, uint32_t index, uint32_t n_frames);

#endif
