/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gap_recording.h"

#include <QDateTime>
#include <QJsonArray>

#include <gtest/gtest.h>

#include <valkka/valkka.h>

#include "kiosk_process.h"
#include "synthetic_clip.h"

namespace {

constexpr int64_t kSessionMs = 10000;

// One session of both cameras from `start`; the FS closed after it, as by a recorder stopping.
void recordSession(const std::string &dir, const clip_test::Clip (&clips)[2], int64_t start) {
  valkka_fs_t *fs = nullptr;
  ASSERT_EQ(valkka_fs_open(dir.c_str(), nullptr, &fs), 0) << valkka_last_error();
  for (uint32_t id : {1u, 2u}) {
    const clip_test::Clip &c = clips[id - 1];
    valkka_frame_t config = clip_test::view(VALKKA_FRAME_CONFIG, c.codec, false, start, c.config);
    ASSERT_EQ(valkka_fs_append(fs, id, &config), 0) << valkka_last_error();
  }
  for (int64_t k = 0; k < kSessionMs / kGapIntervalMs; k++)
    for (uint32_t id : {1u, 2u}) {
      const clip_test::Clip &c = clips[id - 1];
      const size_t p = static_cast<size_t>(k) % c.packets.size();
      const valkka_frame_t f = clip_test::view(VALKKA_FRAME_ENCODED, c.codec, c.key[p],
                                               start + k * kGapIntervalMs + (id - 1) * 20,
                                               c.packets[p]);
      ASSERT_EQ(valkka_fs_append(fs, id, &f), 0) << valkka_last_error();
    }
  valkka_fs_close(fs);
}

}  // namespace

void recordGapFs(const std::string &dir, GapRecording *rec) {
  clip_test::Clip clips[2];
  std::string error;
  for (int i = 0; i < 2; i++)
    ASSERT_TRUE(clip_test::encode(30 + i, 25, 50, 192, 108, "h264", &clips[i], &error)) << error;
  valkka_fs_create_params_t create{};
  create.struct_size = sizeof create;
  create.kind = VALKKA_FS_MULTI;
  create.block_size = 1u << 20;
  create.n_blocks = 16;
  ASSERT_EQ(valkka_fs_create(dir.c_str(), &create), 0) << valkka_last_error();
  const int64_t now = QDateTime::currentMSecsSinceEpoch();
  rec->firstStart = now - 150000;
  rec->firstEnd = rec->firstStart + kSessionMs - kGapIntervalMs + 20;
  rec->secondStart = now - 60000;
  ASSERT_NO_FATAL_FAILURE(recordSession(dir, clips, rec->firstStart));
  ASSERT_NO_FATAL_FAILURE(recordSession(dir, clips, rec->secondStart));
}

void startKioskOnGapFs(KioskProcess *kiosk, GapRecording *rec, QString *fs) {
  const QString dir = kiosk->dir() + QStringLiteral("/fs");
  if (fs) *fs = dir;
  ASSERT_NO_FATAL_FAILURE(recordGapFs(dir.toStdString(), rec));
  ASSERT_TRUE(kiosk->start({QStringLiteral("--fs"), dir}, true));
  bool ok = false;
  kiosk->waitForState(
      [](const QJsonObject &s) { return s.value(QStringLiteral("tiles")).toArray().size() == 2; },
      30000, &ok);
  ASSERT_TRUE(ok) << kiosk->standardError().toStdString();
}
