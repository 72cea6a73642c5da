/* SPDX-License-Identifier: LGPL-2.1-or-later */
// When the wall hands live pictures to its tiles. Without vsync (Xvfb, software drawing) the
// window draws the whole wall each time any tile has a new picture, and drawing is most of the
// wall's cost there: 16 cameras at 25 fps that hand pictures at their own moments made it draw
// at every display frame. So the kiosk hands them over on one beat for all tiles, a little faster
// than the fastest camera sends pictures: the window draws about once a picture interval, every
// tile's new picture in the same frame. A tile keeps the pictures that wait for the beat in a
// queue of two, so a picture that arrives just before the one of the previous interval went out
// is shown a beat later instead of replacing it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

// One camera's picture interval, learnt from its pictures' times (ms). Not thread-safe.
class FrameInterval {
 public:
  // A picture's time; times not after the last one, or a second or more after it (a gap), do not
  // count.
  void add(int64_t mstime);
  // The typical interval in ms, 0 while not known (fewer than two pictures).
  double ms() const { return ms_; }

 private:
  int64_t last_ = 0;
  double ms_ = 0;
};

// The beat's period in ms: nine tenths of the fastest camera's interval (the tenth spare so the
// queues drain when a camera's clock runs a little fast, or pictures come in bursts), no shorter
// than the display's frame period (1000 / displayHz; an odd or unknown rate counts as 60 Hz) and
// no longer than kLongestBeatMs. No camera known: the display's period.
constexpr int kLongestBeatMs = 50;
int beatMs(const std::vector<double> &cameraIntervalsMs, double displayHz);

// The pictures of one tile waiting for the beat: at most two, the oldest dropped for a third.
template <typename Picture>
class BeatQueue {
 public:
  // Returns whether a waiting picture was dropped to make room.
  bool push(Picture picture) {
    bool dropped = false;
    if (count_ == 2) {
      slots_[0] = std::move(slots_[1]);
      count_ = 1;
      dropped = true;
    }
    slots_[count_++] = std::move(picture);
    return dropped;
  }
  // The oldest waiting picture into *out; false when none waits.
  bool pop(Picture *out) {
    if (count_ == 0) return false;
    *out = std::move(slots_[0]);
    if (count_ == 2) slots_[0] = std::move(slots_[1]);
    slots_[--count_] = Picture();
    return true;
  }
  void clear() {
    for (size_t i = 0; i < count_; i++) slots_[i] = Picture();
    count_ = 0;
  }
  size_t size() const { return count_; }

 private:
  Picture slots_[2];
  size_t count_ = 0;
};
