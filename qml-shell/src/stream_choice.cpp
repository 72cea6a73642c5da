/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "stream_choice.h"

void StreamChoice::setStreams(uint32_t mainSlot, uint32_t subSlot, bool liveSub, bool playbackMain,
                              bool playbackSub) {
  mainSlot_ = mainSlot;
  subSlot_ = subSlot;
  liveSub_ = liveSub && subSlot != kNoSlot;
  playbackMain_ = playbackMain;
  playbackSub_ = playbackSub && subSlot != kNoSlot;
}

bool StreamChoice::setTileSize(double width, double height) {
  const bool before = prefersSub();
  tileWidth_.store(width, std::memory_order_relaxed);
  tileHeight_.store(height, std::memory_order_relaxed);
  return prefersSub() != before;
}

// The substream's picture fits the tile without being scaled up (PreserveAspectFit): the main
// stream would show no more there.
bool StreamChoice::prefersSub() const {
  const double w = tileWidth_.load(std::memory_order_relaxed);
  const double h = tileHeight_.load(std::memory_order_relaxed);
  const double sx = w / subWidth_.load(std::memory_order_relaxed);
  const double sy = h / subHeight_.load(std::memory_order_relaxed);
  return (sx < sy ? sx : sy) <= 1.0;
}

bool StreamChoice::setRecordedAtPlayhead(bool main, bool sub) {
  const uint32_t before = wantedSlot(true);
  mainAtPlayhead_.store(main, std::memory_order_relaxed);
  subAtPlayhead_.store(sub, std::memory_order_relaxed);
  return wantedSlot(true) != before;
}

uint32_t StreamChoice::wantedSlot(bool playback) const {
  const bool mainThere = mainAtPlayhead_.load(std::memory_order_relaxed);
  const bool subThere = subAtPlayhead_.load(std::memory_order_relaxed);
  const bool hasSub = playback ? playbackSub_ && (subThere || !mainThere) : liveSub_;
  const bool hasMain = playback ? playbackMain_ && (mainThere || !subThere) : true;
  return hasSub && (!hasMain || prefersSub()) ? subSlot_ : mainSlot_;
}

bool StreamChoice::accept(const valkka_frame_t *frame, bool playback, bool *switched) {
  *switched = false;
  if (frame->slot == subSlot_ && subSlot_ != kNoSlot && frame->width && frame->height) {
    subWidth_.store(frame->width, std::memory_order_relaxed);
    subHeight_.store(frame->height, std::memory_order_relaxed);
  }
  const uint32_t wanted = wantedSlot(playback);
  uint32_t shown = shown_.load(std::memory_order_relaxed);
  if (frame->slot == wanted) {
    if (shown != wanted) {
      shown_.store(wanted, std::memory_order_relaxed);
      *switched = true;
    }
    return true;
  }
  // Not the stream wanted: shown only while the wanted one has not started, or is not there
  // (the first picture of a tile, whatever its stream).
  if (shown == kNoSlot) {
    shown_.store(frame->slot, std::memory_order_relaxed);
    return true;
  }
  return frame->slot == shown;
}

const char *StreamChoice::shownName() const {
  const uint32_t shown = shownSlot();
  if (shown == kNoSlot) return "";
  return shown == subSlot_ ? "sub" : "main";
}
