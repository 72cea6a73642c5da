/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The timeline's lanes at frame truth (issue 18): an FS a recorder stopped and started again, one
// camera cut for 5 s inside a block, viewed with `--fs DIR`: the ranges every lane draws (the
// timeline model's, through the test control's `lanes`) are the ranges its camera's frames make,
// and the lanes draw a bar for each (the test control's draw-time counts them).
#include <QJsonArray>
#include <QJsonDocument>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include <valkka/valkka.h>

#include "kiosk_process.h"

namespace {

constexpr int64_t kT0 = 1700000000000;
using Ranges = std::vector<std::pair<int64_t, int64_t>>;

// Two sessions of 20 s of cameras 1 and 2 at 25 fps, a minute apart (the recorder stopped and
// started again); camera 2 without frames for 5 s from 8 s on in each.
void record(const std::string &dir) {
  valkka_fs_create_params_t create{};
  create.struct_size = sizeof create;
  create.kind = VALKKA_FS_MULTI;
  create.block_size = 1u << 20;
  create.n_blocks = 16;
  ASSERT_EQ(valkka_fs_create(dir.c_str(), &create), 0) << valkka_last_error();
  std::vector<uint8_t> payload(300, 0x5a);
  for (int64_t session : {kT0, kT0 + 80000}) {
    valkka_fs_t *fs = nullptr;
    ASSERT_EQ(valkka_fs_open(dir.c_str(), nullptr, &fs), 0) << valkka_last_error();
    for (int64_t t = 0; t < 20000; t += 40) {
      for (uint32_t id : {1u, 2u}) {
        if (id == 2 && t >= 8000 && t < 13000) continue;
        valkka_frame_t f{};
        f.struct_size = sizeof f;
        f.kind = VALKKA_FRAME_ENCODED;
        f.codec = VALKKA_CODEC_H264;
        f.flags = t % 1000 == 0 ? VALKKA_FRAME_KEYFRAME : 0;
        f.mstime = session + t;
        f.data = payload.data();
        f.size = static_cast<uint32_t>(payload.size());
        ASSERT_EQ(valkka_fs_append(fs, id, &f), 0) << valkka_last_error();
      }
    }
    valkka_fs_close(fs);
  }
}

// Each stream's ranges as its frames, read one by one, make them: a gap is a step longer than
// twice the stream's frame interval or 1 s (core-c/src/fs/FORMAT.md, "Ranges").
std::map<uint32_t, Ranges> rangesOfFrames(const std::string &dir) {
  valkka_fs_open_params_t p{};
  p.struct_size = sizeof p;
  p.flags = VALKKA_FS_READONLY;
  valkka_fs_t *fs = nullptr;
  if (valkka_fs_open(dir.c_str(), &p, &fs) != 0) return {};
  // Every block of the recording, in write order.
  int64_t first = 0, last = 0;
  valkka_fs_time_range(fs, &first, &last);
  std::vector<uint32_t> blocks(64);
  const int n = valkka_fs_get_ind(fs, first, last, blocks.data(), 64);
  blocks.resize(static_cast<size_t>(std::clamp(n, 0, 64)));
  struct State {
    std::map<uint32_t, Ranges> ranges;
    std::map<uint32_t, int64_t> interval;
  } state;
  for (uint32_t b : blocks) {
    valkka_fs_read_block(
        fs, b,
        [](void *user, const valkka_frame_t *f) {
          if (f->kind != VALKKA_FRAME_ENCODED) return 0;
          auto *s = static_cast<State *>(user);
          Ranges &r = s->ranges[f->stream_id];
          const int64_t step = r.empty() ? 0 : f->mstime - r.back().second;
          if (!r.empty() && step <= std::max<int64_t>(1000, 2 * s->interval[f->stream_id])) {
            if (step > 0) s->interval[f->stream_id] = step;
            r.back().second = f->mstime;
          } else {
            r.push_back({f->mstime, f->mstime});
          }
          return 0;
        },
        &state);
  }
  valkka_fs_close(fs);
  return state.ranges;
}

// The lanes as the timeline model gives them to the QML that draws them, by lane name.
std::map<std::string, Ranges> drawnLanes(KioskProcess &kiosk, std::string *reply) {
  const QString line = kiosk.command(QStringLiteral("lanes"));
  *reply = line.toStdString();
  if (!line.startsWith(QStringLiteral("lanes "))) return {};
  std::map<std::string, Ranges> out;
  const QJsonArray lanes = QJsonDocument::fromJson(line.mid(6).toUtf8()).array();
  for (const QJsonValue &lane : lanes) {
    Ranges &r = out[lane.toObject().value(QStringLiteral("name")).toString().toStdString()];
    for (const QJsonValue &range : lane.toObject().value(QStringLiteral("ranges")).toArray())
      r.push_back({static_cast<int64_t>(range.toArray().at(0).toDouble()),
                   static_cast<int64_t>(range.toArray().at(1).toDouble())});
  }
  return out;
}

TEST(KioskLanes, EveryLaneDrawsTheRangesItsFramesMake) {
  KioskProcess kiosk;
  const std::string dir = kiosk.dir().toStdString() + "/fs";
  ASSERT_NO_FATAL_FAILURE(record(dir));
  const auto truth = rangesOfFrames(dir);
  ASSERT_EQ(truth.size(), 2u);
  ASSERT_EQ(truth.at(1).size(), 2u) << "the restart is a gap";
  ASSERT_EQ(truth.at(2).size(), 4u) << "the restart and the 5 s cuts are gaps";

  ASSERT_TRUE(kiosk.start({QStringLiteral("--fs"), QString::fromStdString(dir)}, true));
  std::string reply;
  std::map<std::string, Ranges> lanes;
  bool ok = false;
  kiosk.waitForState(
      [&](const QJsonObject &) {
        lanes = drawnLanes(kiosk, &reply);
        return lanes.size() == 2;
      },
      30000, &ok);
  ASSERT_TRUE(ok) << reply << "\n" << kiosk.standardError().toStdString();
  // The viewer names a camera of an unnamed stream "stream N".
  EXPECT_EQ(lanes["stream 1"], truth.at(1)) << reply;
  EXPECT_EQ(lanes["stream 2"], truth.at(2)) << reply;

  // And the lanes draw them: with both sessions in a 2 min view, a bar for each range (the 5 s
  // cuts are tens of pixels wide); a fortnight in view, a bar a lane (its ranges meet on screen).
  auto bars = [&kiosk](int64_t from, int64_t to) {
    const QString view = QStringLiteral("view %1 %2")
                             .arg(static_cast<qlonglong>(from))
                             .arg(static_cast<qlonglong>(to));
    EXPECT_TRUE(kiosk.command(view).startsWith(QStringLiteral("ok view")));
    const QStringList words = kiosk.command(QStringLiteral("draw-time")).split(QLatin1Char(' '));
    EXPECT_EQ(words.size(), 4) << words.join(QLatin1Char(' ')).toStdString();
    return words.size() == 4 ? words[3].toInt() : -1;
  };
  EXPECT_EQ(bars(kT0 - 10000, kT0 + 110000), 6);
  EXPECT_EQ(bars(kT0 - 7 * 86400000LL, kT0 + 7 * 86400000LL), 2);
  EXPECT_TRUE(kiosk.quit());
}

}  // namespace
