/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A picture the wall shows (a QVideoFrame of copyToVideoFrame: YUV420P, YV12, NV12 or NV21) as
// an RGB QImage at its own size, converted on the CPU with the frame's colour range and matrix.
// Not QVideoFrame::toImage(): that renders through a GL context of the calling thread's own,
// which a worker thread of the snapshot should not make.
#pragma once

#include <QImage>
#include <QVideoFrame>

// The frame as Format_RGB32 (chroma taken from the nearest sample, no filtering); a null image
// for another pixel format or a frame that cannot be mapped. Any thread; `frame` is not changed
// (a copy of its handle is mapped read-only).
QImage frameImage(const QVideoFrame &frame);
