/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "live_wall.h"

#include <QByteArray>

#include <utility>

#include <valkka/error.h>

#include "fs_access.h"

namespace {

// Overlay refresh: the reconnect countdown and frame time move at this pace.
constexpr int kPollMs = 250;

QString lastError(int code) {
  const char *detail = valkka_last_error();
  return QString::fromUtf8(detail && detail[0] ? detail : valkka_strerror(code));
}

}  // namespace

LiveWall::LiveWall(QObject *parent) : QObject(parent), poll_(kPollMs) {
  connect(&poll_, &BeatTimer::timeout, this, &LiveWall::poll);
}

LiveWall::~LiveWall() { stop(); }

bool LiveWall::start(const QList<CameraConfig> &cameras, const std::vector<RecordTarget> &targets,
                     const QList<CameraFeed *> &feeds, QString *error) {
  live_ = valkka_live_create(nullptr);
  if (!live_) {
    *error = QStringLiteral("creating the live pipeline: %1").arg(lastError(VALKKA_ENOMEM));
    return false;
  }
  feeds_ = feeds;
  added_.assign(static_cast<size_t>(feeds.size()), false);
  decoding_.assign(static_cast<size_t>(feeds.size()), false);
  subDecoding_.assign(static_cast<size_t>(feeds.size()), false);
  // Before the cameras, so each one's first CONNECTING is seen.
  valkka_live_set_status_callback(live_, &LiveWall::onStatus, this);

  for (int i = 0; i < cameras.size() && i < feeds.size(); i++) {
    const CameraConfig &cfg = cameras.at(i);
    CameraFeed *feed = feeds.at(i);
    const RecordTarget &target = targets.at(static_cast<size_t>(i));
    if (!target.sink && !target.viewOnly && target.mainRecorded) {
      // Showing a camera that is not recorded would hide the failure that matters most.
      feed->setFailed(
          QStringLiteral("cannot record into %1: %2").arg(shownDir(cfg.fsDir), target.error));
      continue;
    }
    // The option strings live in these lists for the call; the core copies what it keeps.
    const QByteArray name = cfg.name.toUtf8(), url = cfg.url.toUtf8();
    std::vector<valkka_option_t> options;
    for (const auto &kv : cfg.options)
      options.push_back({kv.first.constData(), kv.second.constData()});
    valkka_camera_t cam{};
    cam.struct_size = sizeof cam;
    cam.slot = feed->slot();
    cam.name = name.constData();
    cam.url = url.constData();
    cam.options = options.empty() ? nullptr : options.data();
    cam.n_options = options.size();
    cam.flags = target.audio ? VALKKA_CAMERA_AUDIO : 0;
    cam.audio_slot = target.audioSlot;
    const int err = valkka_live_add_camera(live_, &cam, target.sink, target.user);
    if (err) {
      feed->setFailed(lastError(err));
      continue;
    }
    added_[static_cast<size_t>(i)] = true;
    if (feed->choice().liveSub() && !addSubstream(cfg, target, feed, options))
      feed->choice().setStreams(feed->slot(), StreamChoice::kNoSlot, false, target.mainRecorded,
                                false);
    connect(feed, &CameraFeed::displayedChanged, this, [this, i] { updateDecoding(i); });
    connect(feed, &CameraFeed::streamWantedChanged, this, [this, i] { updateDecoding(i); });
    updateDecoding(i);
  }
  poll_.start();
  return true;
}

void LiveWall::stop() {
  poll_.stop();
  if (!live_) return;
  // Joins every camera thread: after this no status or picture callback runs.
  valkka_live_destroy(live_);
  live_ = nullptr;
}

void LiveWall::setLiveDisplay(bool on) {
  if (liveDisplay_ == on) return;
  liveDisplay_ = on;
  for (int i = 0; i < feeds_.size(); i++) updateDecoding(i);
}

// The stream the tile wants is decoded; the one it shows goes on until the wanted one's first
// picture (StreamChoice), then stops.
void LiveWall::updateDecoding(int index) {
  const size_t i = static_cast<size_t>(index);
  if (!live_ || !added_[i]) return;
  CameraFeed *feed = feeds_.at(index);
  const StreamChoice &choice = feed->choice();
  const bool want = liveDisplay_ && feed->displayed();
  const uint32_t wanted = choice.wantedSlot(false), shown = choice.shownSlot();
  const bool main = want && (wanted == choice.mainSlot() || shown == choice.mainSlot());
  const bool sub = want && choice.liveSub() &&
                   (wanted == choice.subSlot() || shown == choice.subSlot());
  if (main != decoding_[i] && setDecoding(feed, feed->slot(), main)) decoding_[i] = main;
  if (sub != subDecoding_[i] && setDecoding(feed, choice.subSlot(), sub)) subDecoding_[i] = sub;
}

bool LiveWall::setDecoding(CameraFeed *feed, uint32_t slot, bool on) {
  // Setting the callback (or NULL) returns once the previous one runs no more, so a hidden tile's
  // feed gets nothing after this: recording is not affected.
  const int err = valkka_live_set_frame_callback(live_, slot, on ? &CameraFeed::liveSink : nullptr,
                                                 on ? feed : nullptr);
  if (err)
    qWarning("valkka-kiosk: %s: decoding %s failed: %s", qPrintable(feed->name()),
             on ? "on" : "off", qPrintable(lastError(err)));
  return err == 0;
}

// A camera's source thread: copy what the feed needs and hand it to the GUI thread.
void LiveWall::onStatus(void *user, const valkka_stream_status_t *status) {
  LiveWall *wall = static_cast<LiveWall *>(user);
  const int index = static_cast<int>(status->slot);
  if (index < 0 || index >= wall->feeds_.size()) return;
  CameraFeed *feed = wall->feeds_.at(index);
  CameraFeed::Status copy;
  copy.state = status->state;
  copy.error = status->error;
  copy.retryInMs = status->retry_in_ms;
  copy.reason = QString::fromUtf8(status->reason ? status->reason : "");
  QMetaObject::invokeMethod(
      feed, [feed, copy] { feed->applyStatus(copy); }, Qt::QueuedConnection);
}

void LiveWall::poll() {
  for (int i = 0; i < feeds_.size(); i++) {
    CameraFeed *feed = feeds_.at(i);
    if (live_ && added_[static_cast<size_t>(i)]) {
      valkka_stream_stats_t stats{};
      stats.struct_size = sizeof stats;
      if (valkka_live_get_stats(live_, feed->slot(), &stats) == 0) feed->applyStats(stats);
    }
    feed->tick();
  }
}
