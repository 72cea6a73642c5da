/* SPDX-License-Identifier: LGPL-2.1-or-later */
// codec-vaapi and the live pipeline's decoder choice. Where a VA-API render node exists the test
// decodes on it and checks NV12 pictures; where none does (these machines) it checks that
// codec-vaapi refuses with VALKKA_ENODEV and a reason, and that live cameras with decoder "auto"
// still get pictures, through codec-ffmpeg, with the reason logged once. The case that cannot run
// on this machine is reported as skipped.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>

#include "live_recorder.h"
#include "media_support.h"
#include "rtsp_test_util.h"

using namespace std::chrono_literals;

namespace {

std::string render_node() {
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator("/dev/dri", ec))
    if (entry.path().filename().string().rfind("renderD", 0) == 0) return entry.path().string();
  return "";
}

const valkka_decoder_vtable_t *vaapi() {
  valkka_plugins_load();
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-vaapi");
  EXPECT_NE(plugin, nullptr) << valkka_last_error();
  return plugin ? static_cast<const valkka_decoder_vtable_t *>(plugin->vtable) : nullptr;
}

// Pictures of one slot as the decoded-frame callback hands them over.
struct Pictures {
  std::mutex lock;
  uint64_t count = 0;
  uint32_t width = 0, height = 0, pixfmt = 0;
  static int sink(void *user, const valkka_frame_t *f) {
    auto *p = static_cast<Pictures *>(user);
    std::lock_guard<std::mutex> guard(p->lock);
    p->count++;
    p->width = f->width;
    p->height = f->height;
    p->pixfmt = f->pixfmt;
    return 0;
  }
  uint64_t n() {
    std::lock_guard<std::mutex> guard(lock);
    return count;
  }
};

// Live cameras on /h264 and /cam1 with `decoder`; returns once both delivered 10 pictures.
void run_live(RtspServerProcess &server, const std::string &decoder, uint32_t pixfmt) {
  Recorder rec;
  valkka_live_config_t config{};
  config.struct_size = sizeof config;
  valkka_live_t *live = valkka_live_create(&config);
  ASSERT_NE(live, nullptr);
  Pictures pictures[2];
  const char *mounts[2] = {"/h264", "/cam1"};
  for (uint32_t slot = 0; slot < 2; slot++) {
    ASSERT_EQ(
        CameraSpec({slot, "", server.url(mounts[slot]), "", {{"decoder", decoder}}}).add(live, rec),
        0);
    ASSERT_EQ(valkka_live_set_frame_callback(live, slot, Pictures::sink, &pictures[slot]), 0)
        << valkka_last_error();
  }
  EXPECT_TRUE(rec.wait_for([&] { return pictures[0].n() >= 10 && pictures[1].n() >= 10; }, 10s))
      << "pictures: " << pictures[0].n() << ", " << pictures[1].n();
  valkka_live_destroy(live);
  for (Pictures &p : pictures) {
    EXPECT_EQ(p.width, 640u);
    EXPECT_EQ(p.height, 360u);
    EXPECT_EQ(p.pixfmt, pixfmt);
  }
}

// Without a render node: codec-vaapi refuses with ENODEV and says why, and the live pipeline
// falls back to software decoding, saying so once.
TEST(RtspVaapi, FallsBackToSoftwareWithoutARenderNode) {
  if (!render_node().empty()) GTEST_SKIP() << "a VA-API render node exists: no fallback to check";
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  const valkka_decoder_vtable_t *vt = vaapi();
  ASSERT_NE(vt, nullptr);
  void *instance = nullptr;
  EXPECT_EQ(vt->open(valkka_host(), VALKKA_CODEC_H264, nullptr, 0, &instance), VALKKA_ENODEV);
  std::string reason = valkka_last_error();
  EXPECT_NE(reason.find("VA-API"), std::string::npos) << reason;
  valkka_option_t device = {"device", "/dev/dri/renderD128"};
  EXPECT_EQ(vt->open(valkka_host(), VALKKA_CODEC_H265, &device, 1, &instance), VALKKA_ENODEV);
  reason = valkka_last_error();
  EXPECT_NE(reason.find("/dev/dri/renderD128"), std::string::npos) << reason;

  rtsp_test::LogCapture log;
  run_live(*server, "auto", VALKKA_PIXFMT_YUV420P);
  EXPECT_EQ(log.count("no hardware decoding"), 1) << log.text();
  EXPECT_EQ(log.count("VA-API"), 1) << "the reason is logged with it\n" << log.text();
}

// With a render node: codec-vaapi decodes on the device (NV12), in the live pipeline too. Without
// one it did not run, and says so as a skip (ci/test.sh allows this one: hardware, not packages).
TEST(RtspVaapi, DecodesOnTheDevice) {
  const std::string node = render_node();
  if (node.empty())
    GTEST_SKIP() << "no VA-API render node in /dev/dri: the device path did not run";
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server();
  ASSERT_NE(server, nullptr);
  const valkka_decoder_vtable_t *vt = vaapi();
  ASSERT_NE(vt, nullptr);

  printf("VA-API render node %s: decoding with codec-vaapi\n", node.c_str());
  valkka_option_t device = {"device", node.c_str()};
  void *instance = nullptr;
  ASSERT_EQ(vt->open(valkka_host(), VALKKA_CODEC_H264, &device, 1, &instance), 0)
      << valkka_last_error();
  media_test::Source src("source-rtsp", server->url("/h264"), {});
  ASSERT_EQ(src.open_error(), 0) << src.open_message();
  valkka_frame_t *picture = valkka_frame_new(0);
  int pictures = 0, frames = 0;
  while (frames < 50) {
    int err = src.read(2000);
    if (err == VALKKA_ETIMEDOUT) continue;
    ASSERT_EQ(err, 0) << valkka_last_error();
    if (src.frame().kind == VALKKA_FRAME_ENCODED) frames++;
    ASSERT_EQ(vt->send(instance, &src.frame()), 0) << valkka_last_error();
    while (vt->receive(instance, picture) == 0) {
      pictures++;
      EXPECT_EQ(picture->pixfmt, (uint32_t)VALKKA_PIXFMT_NV12);
      EXPECT_EQ(picture->width, 640u);
      EXPECT_EQ(picture->height, 360u);
    }
  }
  EXPECT_GE(pictures, 40);
  vt->close(instance);
  valkka_frame_free(picture);
  run_live(*server, "codec-vaapi", VALKKA_PIXFMT_NV12);
}

}  // namespace
