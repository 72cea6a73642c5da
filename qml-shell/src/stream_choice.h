/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Which of a camera's two streams a tile shows: its substream while the tile is no bigger than
// the substream's pictures (they would not be scaled up), its main stream when the tile is
// larger (maximised), live and in playback alike. The switch waits for the first picture of the
// stream wanted (a decoder starts at a keyframe), so the tile keeps the old stream's pictures
// until then and is never blank. The GUI thread sets the tile's size; core threads ask accept()
// of every picture.
#pragma once

#include <atomic>
#include <cstdint>

#include <valkka/frame.h>

class StreamChoice {
 public:
  static constexpr uint32_t kNoSlot = UINT32_MAX;

  // GUI thread, before any picture: the camera's slots, and which streams there are live (a
  // substream URL) and in playback (recorded).
  void setStreams(uint32_t mainSlot, uint32_t subSlot, bool liveSub, bool playbackMain,
                  bool playbackSub);
  bool liveSub() const { return liveSub_; }
  uint32_t mainSlot() const { return mainSlot_; }
  uint32_t subSlot() const { return subSlot_; }

  // GUI thread: the tile's picture area in pixels. True when the wanted streams changed.
  bool setTileSize(double width, double height);
  // GUI thread: which of the two recorded streams hold frames at the playhead. In playback the
  // tile wants the one that does when the other does not (a substream added to the config
  // later, a main stream not recorded for a while), whatever its size; both, or neither: by
  // size. True when the stream wanted in playback changed.
  bool setRecordedAtPlayhead(bool main, bool sub);
  // Any thread: the slot whose pictures the tile wants, live or in playback.
  uint32_t wantedSlot(bool playback) const;
  // Any thread: whether the tile shows `frame` (`switched` when it is the first of the stream
  // wanted, after which the other stream's pictures are dropped). Learns the substream's size.
  bool accept(const valkka_frame_t *frame, bool playback, bool *switched);
  // Any thread: the slot of the last picture accepted; kNoSlot before the first.
  uint32_t shownSlot() const { return shown_.load(std::memory_order_relaxed); }
  // "main", "sub", or "" before the first picture: for the test control.
  const char *shownName() const;

 private:
  bool prefersSub() const;

  uint32_t mainSlot_ = 0, subSlot_ = kNoSlot;
  bool liveSub_ = false, playbackMain_ = true, playbackSub_ = false;
  std::atomic<double> tileWidth_{0}, tileHeight_{0};
  // The substream's picture size once seen; a substream is assumed 640x360 until then.
  std::atomic<uint32_t> subWidth_{640}, subHeight_{360};
  std::atomic<uint32_t> shown_{kNoSlot};
  std::atomic<bool> mainAtPlayhead_{true}, subAtPlayhead_{true};
};
