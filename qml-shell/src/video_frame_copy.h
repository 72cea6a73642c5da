/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A decoded valkka picture as a QVideoFrame: the one copy between the core's buffer (lent for
// the callback only) and what Qt shows.
#pragma once

#include <QVideoFrame>
#include <QVideoFrameFormat>

#include <valkka/frame.h>

// The stream's colour range and YUV matrix in Qt's terms (valkka_frame_t's color_range and
// color_space, read only when its struct_size covers them). Not signalled: Video (limited) range,
// and BT.601 below 720 lines, else BT.709, as frame.h says.
QVideoFrameFormat::ColorRange videoColorRange(const valkka_frame_t *frame);
QVideoFrameFormat::ColorSpace videoColorSpace(const valkka_frame_t *frame);

// The format copyToVideoFrame gives a DECODED YUV420P or NV12 frame, chosen for how Qt Quick
// draws it (see the .cpp): limited range as YUV420P or NV12 with videoColorSpace; full range as
// YV12 or NV21 (the same planes, V before U) with ColorRange_Full and ColorSpace_AdobeRgb (Qt's
// full-range BT.601 matrix). An invalid format for any other frame.
QVideoFrameFormat videoFrameFormat(const valkka_frame_t *frame);

// The picture area of each plane of a DECODED YUV420P (3 planes) or NV12 (2) frame: its bytes
// a row and its rows, strides aside. Returns the number of planes.
int picturePlanes(const valkka_frame_t *frame, int rowBytes[3], int rows[3]);

// Copies `rows` rows of `rowBytes` bytes (no more than either stride) from src to dst.
void copyPlane(const uint8_t *src, int srcStride, uint8_t *dst, int dstStride, int rowBytes,
               int rows);

// Copies the frame into a new QVideoFrame of videoFrameFormat (rows copied one by one: the
// strides of both sides may differ). The frame's startTime carries mstime in microseconds.
// Returns an invalid QVideoFrame when the format is invalid. Any thread.
QVideoFrame copyToVideoFrame(const valkka_frame_t *frame);
