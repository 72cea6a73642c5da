/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The kiosk's part for a camera's substream (README.md, "The config file"): recorded as stream
// sub_id, "NAME/sub" of the main's id (or "NAME" when it alone is recorded), played back to the
// camera's feed beside the main, and shown live by a second live camera at its own slot. The
// feed's StreamChoice picks which of the two a tile shows.
#include "kiosk.h"

namespace {

// A substream's live camera stamps its frames with kSubSlotBase + its camera's slot: clear of the
// cameras' own slots and of their sound's (kAudioSlotBase + slot, kiosk.cpp).
constexpr uint32_t kSubSlotBase = 1u << 17;

}  // namespace

void Kiosk::setUpSubstream(const CameraConfig &cam, valkka_fs_t *fs, CameraFeed *feed,
                           LiveWall::RecordTarget *target) {
  const bool played = fs && (target->viewOnly || cam.recordMain);
  const bool hasSub = target->viewOnly ? cam.subId != 0 : !cam.subUrl.isEmpty();
  if (!hasSub) {
    feed->choice().setStreams(feed->slot(), StreamChoice::kNoSlot, false, played, false);
    return;
  }
  target->subSlot = kSubSlotBase + feed->slot();
  bool subPlayed = false;
  QString error;
  if (target->viewOnly) {
    subPlayed = manager_.mapCamera(fs, target->subSlot, cam.subId, cam.name, feed, nullptr, nullptr,
                                   &error);
  } else if (fs && cam.recordSub) {
    const QString name = cam.recordMain ? cam.name + QStringLiteral("/sub") : cam.name;
    subPlayed = manager_.mapCamera(fs, target->subSlot, cam.subId, name, feed, &target->subSink,
                                   &target->subUser, &error, cam.recordMain ? cam.streamId : 0);
  }
  if (!subPlayed && !error.isEmpty())
    qWarning("valkka-kiosk: %s: its substream is not played back: %s", qPrintable(cam.name),
             qPrintable(error));
  feed->choice().setStreams(feed->slot(), target->subSlot, true, played, subPlayed);
  if (!played || !subPlayed) return;
  // Both recorded streams are mapped; a seek or step decodes only those the tile needs.
  const uint32_t mainId = cam.streamId, subId = cam.subId;
  auto update = [this, feed, fs, mainId, subId] { updatePlaybackStreams(feed, fs, mainId, subId); };
  connect(feed, &CameraFeed::streamWantedChanged, this, update);
  update();
}

// As LiveWall::updateDecoding does live: the wanted stream starts first, the shown one stops
// once the wanted one's first picture replaced it, so the tile is never blank.
void Kiosk::updatePlaybackStreams(CameraFeed *feed, valkka_fs_t *fs, uint32_t mainId,
                                  uint32_t subId) {
  const StreamChoice &choice = feed->choice();
  const uint32_t wanted = choice.wantedSlot(true), shown = choice.shownSlot();
  const bool main = wanted == choice.mainSlot() || shown == choice.mainSlot();
  const bool sub = wanted == choice.subSlot() || shown == choice.subSlot();
  auto set = [&](uint32_t id, bool on) {
    QString error;
    if (!manager_.setStreamActive(fs, id, on, &error))
      qWarning("valkka-kiosk: %s: stream %u not made %s: %s", qPrintable(feed->name()), id,
               on ? "active" : "inactive", qPrintable(error));
  };
  if (main) set(mainId, true);
  if (sub) set(subId, true);
  if (!main) set(mainId, false);
  if (!sub) set(subId, false);
}
