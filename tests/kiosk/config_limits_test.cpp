/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk reads `valkka record`'s config with the CLI's limits: at most 64 cameras, refused
// beyond with the CLI's message (core-c/cli/cmd_record_config.c).
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "kiosk_config.h"
#include "synthetic_config.h"

TEST(KioskConfig, TakesAtMost64CamerasAsTheCli) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  const QString at = writeSyntheticConfig(dir.path(), 64);
  const QString beyond = writeSyntheticConfig(dir.path(), 65);
  ASSERT_FALSE(at.isEmpty());
  ASSERT_FALSE(beyond.isEmpty());

  KioskConfig config;
  QString error;
  ASSERT_TRUE(loadConfig(at, 64LL << 20, &config, &error)) << error.toStdString();
  EXPECT_EQ(config.cameras.size(), 64);
  EXPECT_EQ(config.cameras.last().streamId, 64u);

  // The CLI says "valkka: record: config PATH: cameras: 65 cameras: at most 64".
  KioskConfig refused;
  EXPECT_FALSE(loadConfig(beyond, 64LL << 20, &refused, &error));
  EXPECT_EQ(error, QStringLiteral("config %1: cameras: 65 cameras: at most 64").arg(beyond));
  EXPECT_TRUE(refused.cameras.isEmpty());
}
