// A decoded valkka picture as a QVideoFrame: the one copy between the core's buffer (lent for
// the callback only) and what Qt shows.
#pragma once

#include <QVideoFrame>

#include <valkka/frame.h>

// Copies a DECODED YUV420P or NV12 frame into a new QVideoFrame of the same format (rows copied
// one by one: the strides of both sides may differ). The frame's startTime carries mstime in
// microseconds. Returns an invalid QVideoFrame for anything else. Any thread.
QVideoFrame copyToVideoFrame(const valkka_frame_t *frame);
