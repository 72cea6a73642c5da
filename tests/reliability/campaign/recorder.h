/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The recorder of the crash campaign: what `valkka record` does with its cameras' frames
// (core-c/cli/cmd_record_session.c), with 8 synthetic streams and nothing else: the FS opened
// for writing (recovery), slots 0..7 mapped to stream ids 1..8, the writer thread started with
// the defaults, every frame handed to valkka_fs_sink. It runs in a child process until killed.
//
// "Accepted", for this path, from abi/valkka/fs.h: valkka_fs_sink returning 0 only queues a
// frame; the writer thread appends it with valkka_fs_append, whose success means the record is
// written through (it survives the process being killed), and counts it in the stream's
// valkka_fs_stream_stats_t.frames ("frames written", config frames included) after that write.
// The queue is first in, first out and the recorder feeds it from one thread, so a stream's
// k-th frame the sink took is written once that stream's `frames` reached k (with `errors` and
// `too_big` 0, which the recorder checks). A frame is accepted when the sink returned 0 for it
// and its stream's `frames` counter has counted it; the recorder reports each accepted frame up
// the pipe (protocol.h) as soon as it sees the counter pass it.
#pragma once

#include <cstdint>
#include <string>

namespace campaign {

// RecorderSpec.first: go on after the newest frame the FS holds, as a restarted recorder would.
constexpr uint64_t kResume = UINT64_MAX;

struct RecorderSpec {
  std::string dir;                // an existing FS
  uint64_t first = kResume;       // g of the first frame (frames.h), or kResume
  uint32_t sync_interval_ms = 0;  // 0: the FS's default (1000 ms)
  std::string backend;            // storage plugin overriding valkkafs.json's; empty: none
  std::string plugin_file;        // a plugin file to load first (the journal backend); empty: none
  int report_fd = -1;             // where accepted frames are reported
  uint32_t pace_us = 0;           // sleep after each frame (a camera's pace); 0: as fast as it goes
};

// Exit codes of a recorder that ends by itself (it is meant to be killed).
enum RecorderExit {
  kExitDone = 0,     // wrote every frame it had (never in a campaign: it has millions)
  kExitOpen = 2,     // plugin load, open, map or writer start failed
  kExitSink = 3,     // the sink refused a frame for another reason than a full queue
  kExitWriter = 4,   // the writer counted an error or a too-big frame
  kExitReport = 5,   // the pipe broke
  kExitStalled = 6,  // the queue stayed full for 30 s
  kExitResume = 7,   // the newest block did not read
};

// Records frames spec.first, spec.first + 1, ... until killed. Never returns.
[[noreturn]] void run_recorder(const RecorderSpec &spec);

}  // namespace campaign
