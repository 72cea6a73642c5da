/* SPDX-License-Identifier: LGPL-2.1-or-later */
// An FS with a gap for the kiosk's tests of gaps and export: two cameras a recorder wrote for
// 10 s, stopped for 80 s, then wrote for 10 s more (decodable H.264 clips from source-synthetic).
#pragma once

#include <QString>

#include <cstdint>
#include <string>

class KioskProcess;

struct GapRecording {
  int64_t firstStart = 0;   // session 1's first frame (stream 1's), 150 s before it was made
  int64_t firstEnd = 0;     // session 1's last frame (stream 2's)
  int64_t secondStart = 0;  // session 2's first frame (stream 1's), 60 s before it was made
};

constexpr int kGapIntervalMs = 40;  // both cameras at 25 fps, stream 2 20 ms after stream 1

// Makes the FS at `dir` and records it. Fails the test (fatally) when it cannot.
void recordGapFs(const std::string &dir, GapRecording *rec);

// Records the FS in `kiosk`'s directory (its "fs", whose path goes to `fs`) and starts the kiosk
// on it with the test control, until both cameras' tiles are there. Fails the test (fatally)
// when it cannot.
void startKioskOnGapFs(KioskProcess *kiosk, GapRecording *rec, QString *fs = nullptr);
