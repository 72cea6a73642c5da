/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A decoded picture at the size its tile draws it. Qt Quick draws a VideoOutput by sampling the
// whole picture's texture, uploaded anew for each picture; a 640x360 substream in a 320x180 tile
// uploads and samples four times the pixels it shows, and on a machine drawing in software (Mesa
// llvmpipe) that is a good part of what a wall costs (bench/wall/README.md). libswscale scales
// the picture down once on the core's thread instead; a tile as large as the picture or larger
// gets it as it is (copyToVideoFrame), unless Qt 6.4 would draw a picture of its size smeared
// (drawnSize).
#pragma once

#include <QSize>
#include <QVideoFrame>

#include <mutex>

#include <valkka/frame.h>

struct SwsContext;

class PictureScaler {
 public:
  PictureScaler() = default;
  ~PictureScaler();
  PictureScaler(const PictureScaler &) = delete;
  PictureScaler &operator=(const PictureScaler &) = delete;

  // The size a picture of `width` x `height` goes to Qt at for an area of `area` pixels where
  // VideoOutput's PreserveAspectFit draws it: at least the size it is drawn at, a width a
  // multiple of 16 and a height of 4 (see the .cpp), the picture's shape within 1 %; when there
  // is none smaller, or the area is empty, the picture's own size, or the next one up of that
  // kind when Qt would misdraw the picture's own (854x480: 864x484).
  static QSize drawnSize(uint32_t width, uint32_t height, QSize area);

  // The frame as a new QVideoFrame of drawnSize(area): scaled (bilinear) when that is not the
  // frame's size, in videoFrameFormat's pixel format for a YUV420P frame (an NV12 one becomes
  // YUV420P, or YV12 when full range), colour range and space unchanged; else copyToVideoFrame.
  // Invalid for a frame copyToVideoFrame refuses, or when libswscale fails. Any thread; calls are
  // serialised (one scaling context, kept while the sizes and format stay).
  QVideoFrame scaled(const valkka_frame_t *frame, QSize area);

 private:
  std::mutex lock_;
  SwsContext *context_ = nullptr;
};
