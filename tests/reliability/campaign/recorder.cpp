/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "recorder.h"

#include <unistd.h>

#include <deque>
#include <vector>

#include <valkka/valkka.h>

#include "frames.h"
#include "protocol.h"

namespace campaign {

namespace {

constexpr uint64_t kMaxFrames = 100000000;  // bounds the loop; a campaign kills long before
constexpr int kFullRetryUs = 100;
constexpr int kFullRetries = 300000;  // 30 s of a full queue

valkka_frame_t frame_of(uint32_t kind, uint32_t slot, int64_t mstime, bool key,
                        std::vector<uint8_t> &data) {
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = kind;
  f.slot = slot;
  f.codec = VALKKA_CODEC_H264;
  f.flags = key ? VALKKA_FRAME_KEYFRAME : 0;
  f.mstime = mstime;
  f.data = data.data();
  f.size = (uint32_t)data.size();
  f.capacity = f.size;
  return f;
}

// A full queue is a camera outrunning the disk: the real recorder drops the frame (counted), the
// campaign waits and retries instead, so that every frame lands and the recording has no holes.
void sink_or_exit(valkka_fs_t *fs, const valkka_frame_t &f) {
  for (int i = 0; i < kFullRetries; i++) {
    int err = valkka_fs_sink(fs, &f);
    if (err == 0) return;
    if (err != VALKKA_EFULL) _exit(kExitSink);
    usleep(kFullRetryUs);
  }
  _exit(kExitStalled);
}

int newest_frame(void *user, const valkka_frame_t *f) {
  auto *g = static_cast<int64_t *>(user);
  if (f->kind == VALKKA_FRAME_ENCODED && f->mstime - kT0 > *g) *g = f->mstime - kT0;
  return 0;
}

// The frame after the newest one on disk: the newest non-void block in write order holds it.
uint64_t resume_point(valkka_fs_t *fs) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  valkka_fs_get_info(fs, &info);
  std::vector<valkka_fs_block_t> table(info.n_blocks);
  table[0].struct_size = sizeof(valkka_fs_block_t);
  valkka_fs_read_table(fs, table.data(), info.n_blocks);
  for (uint32_t back = 0; back < info.n_blocks; back++) {
    const uint32_t b = (info.current_block + info.n_blocks - back) % info.n_blocks;
    if (table[b].flags & VALKKA_FS_BLOCK_VOID) continue;
    int64_t g = -1;
    if (valkka_fs_read_block(fs, b, newest_frame, &g) < 0) _exit(kExitResume);
    if (g >= 0) return (uint64_t)g + 1;
  }
  return 0;
}

struct Pending {
  uint64_t ordinal;  // among the stream's frames the sink took, from 1
  uint64_t g;
};

}  // namespace

void run_recorder(const RecorderSpec &spec) {
  if (!spec.plugin_file.empty()) {
    valkka_plugin_info_t info{};
    info.struct_size = sizeof info;
    if (valkka_plugin_load_file(spec.plugin_file.c_str(), &info) != 0) _exit(kExitOpen);
  }
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.sync_interval_ms = spec.sync_interval_ms;
  p.backend = spec.backend.empty() ? nullptr : spec.backend.c_str();
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(spec.dir.c_str(), &p, &fs) != 0) _exit(kExitOpen);
  for (uint32_t s = 0; s < kStreams; s++)
    if (valkka_fs_map(fs, s, s + 1) != 0) _exit(kExitOpen);
  if (valkka_fs_writer_start(fs, nullptr) != 0) _exit(kExitOpen);

  std::vector<uint64_t> sunk(kStreams + 1, 0);
  std::vector<std::deque<Pending>> pending(kStreams + 1);
  std::vector<uint8_t> config[kStreams + 1];
  for (uint32_t s = 1; s <= kStreams; s++) config[s] = config_of(s);

  const uint64_t first = spec.first == kResume ? resume_point(fs) : spec.first;
  for (uint64_t g = first; g < first + kMaxFrames; g++) {
    const uint32_t s = stream_of(g);
    if (is_key(g)) {
      valkka_frame_t c = frame_of(VALKKA_FRAME_CONFIG, s - 1, time_of(g), false, config[s]);
      sink_or_exit(fs, c);
      sunk[s]++;
    }
    std::vector<uint8_t> data = payload_of(g);
    valkka_frame_t f = frame_of(VALKKA_FRAME_ENCODED, s - 1, time_of(g), is_key(g), data);
    sink_or_exit(fs, f);
    pending[s].push_back({++sunk[s], g});

    for (uint32_t id = 1; id <= kStreams; id++) {
      if (pending[id].empty()) continue;
      valkka_fs_stream_stats_t st{};
      st.struct_size = sizeof st;
      if (valkka_fs_get_stream_stats(fs, id, &st) != 0 || st.errors || st.too_big)
        _exit(kExitWriter);
      while (!pending[id].empty() && pending[id].front().ordinal <= st.frames) {
        Message m;
        m.type = kMsgWritten;
        m.value = pending[id].front().g;
        if (write(spec.report_fd, &m, sizeof m) != (ssize_t)sizeof m) _exit(kExitReport);
        pending[id].pop_front();
      }
    }
    if (spec.pace_us) usleep(spec.pace_us);
  }
  valkka_fs_close(fs);
  _exit(kExitDone);
}

}  // namespace campaign
