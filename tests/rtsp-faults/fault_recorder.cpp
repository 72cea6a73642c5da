/* SPDX-License-Identifier: LGPL-2.1-or-later */
// rtsp_fault_recorder: the recorder as a child process for the memory campaign, so its memory
// is measured alone (RSS from /proc/PID/status) and, under ASan, LeakSanitizer checks it at exit.
//
//   rtsp_fault_recorder FS_DIR BLOCKS URL...
//
// Creates a MultiFS of BLOCKS 256 KiB blocks in FS_DIR, records camera i (URL i) as stream
// i + 1 through the live pipeline (RTSP cameras with a 2 s socket timeout), and prints each
// state change on stdout as "status SLOT STATE ERROR ATTEMPT", one line each. Runs until its
// stdin ends, then stops everything, prints "frames SLOT N" per camera and exits 0 (1 when
// something could not be set up).
#include <unistd.h>
#include <valkka/valkka.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace {

std::mutex out_lock;

void on_status(void *, const valkka_stream_status_t *s) {
  std::lock_guard<std::mutex> guard(out_lock);
  std::printf("status %u %s %s %u\n", s->slot, valkka_stream_state_name(s->state),
              valkka_err_name(s->error), s->attempt);
  std::fflush(stdout);
}

int record(void *fs, const valkka_frame_t *frame) {
  return valkka_fs_sink(static_cast<valkka_fs_t *>(fs), frame);
}

int fail(const char *what) {
  std::fprintf(stderr, "rtsp_fault_recorder: %s: %s\n", what, valkka_last_error());
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: rtsp_fault_recorder FS_DIR BLOCKS URL...\n");
    return 2;
  }
  valkka_plugins_load();
  valkka_fs_create_params_t create{};
  create.struct_size = sizeof create;
  create.kind = VALKKA_FS_MULTI;
  create.block_size = 256 * 1024;
  create.n_blocks = uint32_t(std::strtoul(argv[2], nullptr, 10));
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_create(argv[1], &create) != 0 || valkka_fs_open(argv[1], nullptr, &fs) != 0 ||
      valkka_fs_writer_start(fs, nullptr) != 0)
    return fail("fs");
  // As the fault campaign: late frames on a loaded machine are no stall, reconnects are quick.
  valkka_live_config_t config{};
  config.struct_size = sizeof config;
  config.stall_ms = 1000;
  config.stall_reconnect_ms = 4000;
  config.backoff_initial_ms = 100;
  config.backoff_max_ms = 400;
  valkka_live_t *live = valkka_live_create(&config);
  if (!live) return fail("live");
  valkka_live_set_status_callback(live, on_status, nullptr);
  const valkka_option_t options[] = {{"timeout_ms", "2000"}};
  const int n = argc - 3;
  for (int i = 0; i < n; i++) {
    const char *url = argv[3 + i];
    const bool rtsp = std::strncmp(url, "rtsp://", 7) == 0;
    valkka_camera_t cam{};
    cam.struct_size = sizeof cam;
    cam.slot = uint32_t(i);
    cam.url = url;
    cam.options = rtsp ? options : nullptr;
    cam.n_options = rtsp ? 1 : 0;
    if (valkka_fs_map(fs, cam.slot, cam.slot + 1) != 0 ||
        valkka_live_add_camera(live, &cam, record, fs) != 0)
      return fail("camera");
  }
  // Until the parent closes our stdin.
  char buf[256];
  while (read(STDIN_FILENO, buf, sizeof buf) > 0) {
  }
  std::vector<uint64_t> frames(size_t(n), 0);
  for (int i = 0; i < n; i++) {
    valkka_stream_stats_t stats{};
    stats.struct_size = sizeof stats;
    if (valkka_live_get_stats(live, uint32_t(i), &stats) == 0) frames[size_t(i)] = stats.frames;
  }
  valkka_live_destroy(live);
  valkka_fs_writer_stop(fs);
  valkka_fs_close(fs);
  std::lock_guard<std::mutex> guard(out_lock);
  for (int i = 0; i < n; i++)
    std::printf("frames %d %llu\n", i, (unsigned long long)frames[size_t(i)]);
  return 0;
}
