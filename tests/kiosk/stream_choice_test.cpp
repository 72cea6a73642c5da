/* SPDX-License-Identifier: LGPL-2.1-or-later */
// StreamChoice (qml-shell/src/stream_choice.cpp): the substream for a tile no bigger than its
// pictures, the main stream for a larger one; a switch keeps the old stream's pictures until the
// first of the new one; playback without a recorded stream, or without it at the playhead, uses
// the other; and the loaded config's "substream", "sub_id" and "record" in the kiosk's camera.
#include <gtest/gtest.h>

#include <QFile>
#include <QTemporaryDir>

#include "kiosk_config.h"
#include "stream_choice.h"

namespace {

constexpr uint32_t kMain = 3, kSub = (1u << 17) + 3;

valkka_frame_t picture(uint32_t slot, uint32_t width, uint32_t height) {
  valkka_frame_t f{};
  f.slot = slot;
  f.width = width;
  f.height = height;
  return f;
}

// Whether the choice shows a picture of `slot` (of the main's or the sub's size), and whether
// that picture switched it.
bool shows(StreamChoice &c, uint32_t slot, bool playback = false, bool *switched = nullptr) {
  bool flipped = false;
  const valkka_frame_t f = slot == kSub ? picture(slot, 640, 360) : picture(slot, 1280, 720);
  const bool shown = c.accept(&f, playback, &flipped);
  if (switched) *switched = flipped;
  return shown;
}

}  // namespace

TEST(KioskStreamChoice, SmallTilesWantTheSubLargeOnesTheMain) {
  StreamChoice c;
  c.setStreams(kMain, kSub, true, true, true);
  EXPECT_FALSE(c.setTileSize(638, 330)) << "a 2x2 tile of a 1280x720 window: still the sub";
  EXPECT_EQ(c.wantedSlot(false), kSub);
  EXPECT_EQ(c.wantedSlot(true), kSub);
  EXPECT_TRUE(c.setTileSize(1278, 660)) << "maximised: the sub would be scaled up";
  EXPECT_EQ(c.wantedSlot(false), kMain);
  EXPECT_TRUE(c.setTileSize(640, 2000)) << "as wide as the sub's pictures: the main adds nothing";
  EXPECT_EQ(c.wantedSlot(false), kSub);
}

TEST(KioskStreamChoice, ASwitchKeepsTheOldPicturesUntilTheNewStreamsFirst) {
  StreamChoice c;
  c.setStreams(kMain, kSub, true, true, true);
  c.setTileSize(600, 300);
  bool switched = false;
  EXPECT_TRUE(shows(c, kSub, false, &switched));
  EXPECT_TRUE(switched);
  EXPECT_STREQ(c.shownName(), "sub");
  c.setTileSize(1200, 700);
  EXPECT_TRUE(shows(c, kSub)) << "the sub goes on until the main's first picture";
  EXPECT_TRUE(shows(c, kMain, false, &switched));
  EXPECT_TRUE(switched);
  EXPECT_STREQ(c.shownName(), "main");
  EXPECT_FALSE(shows(c, kSub)) << "after the switch the sub's pictures are dropped";
  EXPECT_TRUE(shows(c, kMain, false, &switched));
  EXPECT_FALSE(switched);
}

TEST(KioskStreamChoice, TheSubstreamsSizeIsLearnedFromItsPictures) {
  StreamChoice c;
  c.setStreams(kMain, kSub, true, true, true);
  c.setTileSize(700, 390);
  EXPECT_EQ(c.wantedSlot(false), kMain) << "past the 640x360 assumed";
  bool switched = false;
  const valkka_frame_t big = picture(kSub, 800, 450);
  c.accept(&big, false, &switched);
  EXPECT_EQ(c.wantedSlot(false), kSub) << "an 800x450 substream fills a 700x390 tile";
}

TEST(KioskStreamChoice, PlaybackShowsWhatWasRecorded) {
  StreamChoice mainOnly, subOnly, none;
  mainOnly.setStreams(kMain, kSub, true, true, false);  // "record": "main"
  subOnly.setStreams(kMain, kSub, true, false, true);   // "record": "sub"
  none.setStreams(kMain, StreamChoice::kNoSlot, false, true, false);
  for (StreamChoice *c : {&mainOnly, &subOnly, &none}) c->setTileSize(1200, 700);
  EXPECT_EQ(mainOnly.wantedSlot(true), kMain);
  EXPECT_EQ(subOnly.wantedSlot(true), kSub) << "maximised, but only the sub was recorded";
  EXPECT_EQ(subOnly.wantedSlot(false), kMain) << "live, the main is there";
  for (StreamChoice *c : {&mainOnly, &subOnly, &none}) c->setTileSize(300, 200);
  EXPECT_EQ(mainOnly.wantedSlot(true), kMain);
  EXPECT_EQ(mainOnly.wantedSlot(false), kSub);
  EXPECT_EQ(none.wantedSlot(false), kMain);
  EXPECT_STREQ(none.shownName(), "");
}

TEST(KioskStreamChoice, PlaybackShowsTheStreamRecordedAtThePlayhead) {
  StreamChoice c;
  c.setStreams(kMain, kSub, true, true, true);  // both recorded
  c.setTileSize(300, 200);
  EXPECT_EQ(c.wantedSlot(true), kSub);
  // A playhead before the substream was added to the config: the small tile shows the main.
  EXPECT_TRUE(c.setRecordedAtPlayhead(true, false));
  EXPECT_EQ(c.wantedSlot(true), kMain);
  EXPECT_EQ(c.wantedSlot(false), kSub) << "live is not the playhead's business";
  c.setTileSize(1200, 700);  // maximised: the main, as before
  EXPECT_EQ(c.wantedSlot(true), kMain);
  // Only the sub there: even a maximised tile shows it.
  EXPECT_TRUE(c.setRecordedAtPlayhead(false, true));
  EXPECT_EQ(c.wantedSlot(true), kSub);
  // Both, or neither (a gap): by size again.
  EXPECT_TRUE(c.setRecordedAtPlayhead(true, true));
  EXPECT_EQ(c.wantedSlot(true), kMain);
  EXPECT_FALSE(c.setRecordedAtPlayhead(false, false));
  EXPECT_EQ(c.wantedSlot(true), kMain);
  // A camera with the main recorded alone is not moved by its sub's absence.
  StreamChoice mainOnly;
  mainOnly.setStreams(kMain, kSub, true, true, false);
  mainOnly.setTileSize(300, 200);
  EXPECT_FALSE(mainOnly.setRecordedAtPlayhead(false, true));
  EXPECT_EQ(mainOnly.wantedSlot(true), kMain);
}

TEST(KioskStreamChoice, TheConfigsSubstreamReachesTheKioskCamera) {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("cams.json"));
  QFile file(path);
  ASSERT_TRUE(file.open(QIODevice::WriteOnly));
  file.write(R"({"fs": "fs", "cameras": [{"url": "synthetic://0", "substream": "synthetic://0/sub"},
             {"url": "synthetic://1", "substream": "s", "record": "sub", "sub_id": 9},
             {"url": "synthetic://2"}]})");
  file.close();
  KioskConfig config;
  QString error;
  ASSERT_TRUE(loadConfig(path, 1 << 26, &config, &error)) << error.toStdString();
  ASSERT_EQ(config.cameras.size(), 3);
  EXPECT_EQ(config.cameras[0].subUrl, QStringLiteral("synthetic://0/sub"));
  EXPECT_EQ(config.cameras[0].subId, 2001u);
  EXPECT_TRUE(config.cameras[0].recordMain && config.cameras[0].recordSub);
  EXPECT_EQ(config.cameras[1].subId, 9u);
  EXPECT_FALSE(config.cameras[1].recordMain);
  EXPECT_TRUE(config.cameras[1].recordSub);
  EXPECT_TRUE(config.cameras[2].subUrl.isEmpty());
  EXPECT_FALSE(config.cameras[2].recordSub);
}
