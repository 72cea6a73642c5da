/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The wall's grid under Xvfb: 1, 2x2, 3x3 or 4x4 tiles for the number of cameras, `--layout`
// choosing another, and cameras beyond 16 not shown but recorded. Read from the
// kiosk's state (wall_state.h): every tile's rectangle in the window and whether it is visible.
#include <QJsonArray>
#include <QRect>
#include <QSet>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <valkka/fs.h>

#include "kiosk_process.h"
#include "synthetic_config.h"
#include "wall_check.h"

namespace {

QJsonObject tileOf(const QJsonObject &state, int index) {
  return state.value(QStringLiteral("tiles")).toArray().at(index).toObject();
}

double count(const QJsonObject &state, int index, const char *key) {
  return tileOf(state, index).value(QLatin1String(key)).toDouble();
}

// Starts the kiosk on `n` synthetic cameras (and `args`) and waits until it has drawn its wall
// and every tile it shows has shown a picture. An empty object when that never happened.
QJsonObject startWall(KioskProcess *kiosk, int n, const QStringList &args, int shown) {
  const QString config = writeSyntheticConfig(kiosk->dir(), n);
  if (config.isEmpty() ||
      !kiosk->start(QStringList{QStringLiteral("--config"), config} + args, true))
    return {};
  bool ok = false;
  const QJsonObject state = kiosk->waitForState(
      [n, shown](const QJsonObject &s) {
        if (s.value(QStringLiteral("tiles")).toArray().size() != n) return false;
        if (s.value(QStringLiteral("window_frames")).toDouble() < 1) return false;
        for (int i = 0; i < shown; i++)
          if (count(s, i, "presented") < 1) return false;
        return true;
      },
      90000, &ok);
  return ok ? state : QJsonObject();
}

// The tiles of `state` form a `columns` x `columns` grid over the window's width, in camera
// order, row by row; the first `shown` are visible, the others hidden.
void expectGrid(const QJsonObject &state, int columns, int shown) {
  const int windowWidth =
      state.value(QStringLiteral("window")).toObject().value(QStringLiteral("width")).toInt();
  const QJsonArray tiles = state.value(QStringLiteral("tiles")).toArray();
  ASSERT_GT(windowWidth, 0);
  ASSERT_FALSE(tiles.isEmpty());
  const QRect first = rectOf(tiles.at(0).toObject().value(QStringLiteral("rect")));
  ASSERT_FALSE(first.isEmpty());
  // The cells' width: the window's over the columns (to a pixel of rounding per column).
  EXPECT_LE(std::abs(first.width() * columns - windowWidth), columns)
      << "a tile " << first.width() << " px wide in a window of " << windowWidth;
  int visible = 0;
  for (int i = 0; i < tiles.size(); i++) {
    SCOPED_TRACE("tile " + std::to_string(i));
    const QJsonObject tile = tiles.at(i).toObject();
    ASSERT_EQ(tile.value(QStringLiteral("index")).toInt(), i);
    const bool isVisible = tile.value(QStringLiteral("visible")).toBool();
    visible += isVisible ? 1 : 0;
    EXPECT_EQ(isVisible, i < shown);
    if (!isVisible) continue;
    const QRect r = rectOf(tile.value(QStringLiteral("rect")));
    EXPECT_LE(std::abs(r.x() - (i % columns) * windowWidth / columns), 1) << r.x();
    EXPECT_LE(std::abs(r.y() - first.y() - (i / columns) * first.height()), 1) << r.y();
    EXPECT_LE(std::abs(r.width() - first.width()), 1);
    EXPECT_EQ(r.height(), first.height());
  }
  EXPECT_EQ(visible, shown);
}

// The stream ids the block table of the FS in `dir` names (the kiosk must have closed it).
QSet<uint32_t> recordedStreams(const QString &dir) {
  QSet<uint32_t> ids;
  valkka_fs_open_params_t params{};
  params.struct_size = sizeof params;
  params.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(dir.toUtf8().constData(), &params, &fs) != 0) return ids;
  std::vector<valkka_fs_block_t> table(1);
  table[0].struct_size = sizeof(valkka_fs_block_t);
  const int n = valkka_fs_read_table(fs, table.data(), 0);
  if (n > 0) {
    table.resize(static_cast<size_t>(n));
    table[0].struct_size = sizeof(valkka_fs_block_t);
    valkka_fs_read_table(fs, table.data(), static_cast<uint32_t>(n));
  }
  for (const valkka_fs_block_t &block : table)
    for (uint32_t i = 0; i < block.n_streams && i < VALKKA_FS_BLOCK_STREAMS; i++)
      ids.insert(block.stream_ids[i]);
  valkka_fs_close(fs);
  return ids;
}

}  // namespace

TEST(KioskLayout, PicksTheGridForTheCameraCount) {
  const std::pair<int, int> cases[] = {{1, 1}, {2, 2}, {4, 2}, {5, 3}, {9, 3}, {10, 4}};
  for (const auto &[cameras, columns] : cases) {
    SCOPED_TRACE(std::to_string(cameras) + " cameras");
    KioskProcess kiosk;
    const QJsonObject state = startWall(&kiosk, cameras, {}, cameras);
    ASSERT_FALSE(state.isEmpty()) << kiosk.standardError().toStdString();
    expectGrid(state, columns, cameras);
    EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
  }
}

TEST(KioskLayout, TheLayoutOptionChoosesTheGrid) {
  struct Case {
    int cameras;
    const char *layout;
    int columns;
    int shown;
  };
  const Case cases[] = {{4, "1", 1, 1}, {2, "3x3", 3, 2}, {10, "2x2", 2, 4}, {4, "4x4", 4, 4}};
  for (const Case &c : cases) {
    SCOPED_TRACE(std::to_string(c.cameras) + " cameras, --layout " + c.layout);
    KioskProcess kiosk;
    const QJsonObject state = startWall(&kiosk, c.cameras,
                                        {QStringLiteral("--layout"), QString::fromLatin1(c.layout)},
                                        c.shown);
    ASSERT_FALSE(state.isEmpty()) << kiosk.standardError().toStdString();
    expectGrid(state, c.columns, c.shown);
    EXPECT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();
  }
}

TEST(KioskLayout, CamerasBeyond16AreNotShownButRecorded) {
  KioskProcess kiosk;
  const QJsonObject before = startWall(&kiosk, 17, {}, 16);
  ASSERT_FALSE(before.isEmpty()) << kiosk.standardError().toStdString();
  expectGrid(before, 4, 16);

  // The 17th camera's frames keep arriving (it records) while its tile shows none of them.
  bool ok = false;
  const QJsonObject after = kiosk.waitForState(
      [&before](const QJsonObject &s) {
        return count(s, 16, "received") >= count(before, 16, "received") + 20;
      },
      30000, &ok);
  ASSERT_TRUE(ok) << "camera 17 stopped: " << kiosk.standardError().toStdString();
  EXPECT_FALSE(tileOf(after, 16).value(QStringLiteral("visible")).toBool());
  EXPECT_EQ(count(after, 16, "presented"), count(before, 16, "presented"));
  EXPECT_EQ(count(after, 16, "presented"), 0);
  ASSERT_TRUE(kiosk.quit()) << kiosk.standardError().toStdString();

  // Recorded: its stream (id 17, the config's 17th camera) is in the FS with the others'.
  const QSet<uint32_t> streams = recordedStreams(kiosk.dir() + QStringLiteral("/fs"));
  for (uint32_t id = 1; id <= 17; id++) EXPECT_TRUE(streams.contains(id)) << "stream " << id;
}
