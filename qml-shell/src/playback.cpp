/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "playback.h"

#include <QDateTime>

#include <algorithm>

#include <valkka/error.h>

#include "camera_feed.h"
#include "playback_manager.h"

namespace {

double now() { return static_cast<double>(QDateTime::currentMSecsSinceEpoch()); }

}  // namespace

Playback::Playback(PlaybackManager *manager, QList<CameraFeed *> feeds, QObject *parent)
    : QObject(parent), manager_(manager), feeds_(std::move(feeds)) {
  if (manager_) connect(manager_, &PlaybackManager::timeChanged, this, &Playback::onTime);
}

bool Playback::check(int err, const char *what) {
  QString text;
  if (!manager_)
    text = QStringLiteral("playback is not available");
  else if (err)
    text =
        QStringLiteral("%1: %2").arg(QLatin1String(what), QString::fromUtf8(valkka_strerror(err)));
  if (text != message_) {
    message_ = text;
    emit messageChanged();
  }
  return manager_ && !err;
}

void Playback::setPlaying(bool playing) {
  if (playing_ == playing) return;
  playing_ = playing;
  emit playingChanged();
}

void Playback::setBackwards(bool backwards) {
  if (backwards_ == backwards) return;
  backwards_ = backwards;
  emit playingChanged();
}

void Playback::enterPlayback() {
  if (!live_) return;
  live_ = false;
  // Feeds first: from here a late live picture is dropped, and the tiles wait for the recording.
  for (CameraFeed *feed : feeds_) feed->setSource(CameraFeed::Source::Playback);
  emit liveChanged(false);
}

void Playback::setSpeed(double speed) {
  speed = std::clamp(speed, 0.25, 16.0);
  if (speed == speed_) return;
  speed_ = speed;
  emit speedChanged();
  if (playing_) check(manager_->play(backwards_ ? -speed_ : speed_), "play");
}

void Playback::seek(double mstime) { moveTo(mstime, false); }

void Playback::scrub(double mstime) { moveTo(mstime, true); }

void Playback::moveTo(double mstime, bool scrub) {
  const char *what = scrub ? "scrub" : "seek";
  if (!check(0, what)) return;
  const int64_t t = static_cast<int64_t>(mstime);
  if (t <= 0) return;
  // Feeds switch before the seek is queued, or its pictures could arrive first and be dropped.
  const bool wasLive = live_;
  enterPlayback();
  if (!check(scrub ? manager_->scrub(t) : manager_->seek(t), what)) {
    if (wasLive) goLive();  // nothing recorded yet: stay with the live pictures
    return;
  }
  if (scrub)
    setPlaying(false);  // the manager pauses for a scrub
  else
    seekTarget_ = mstime;
  // The manager clamps into the recording and shows it at once.
  position_ = static_cast<double>(manager_->currentTime());
  emit positionChanged();
}

void Playback::play() {
  if (live_) seek(now());
  if (live_ || !check(manager_->play(speed_), "play")) return;
  setBackwards(false);
  setPlaying(true);
}

void Playback::pause() {
  if (live_) return seek(now());
  if (check(manager_->pause(), "pause")) setPlaying(false);
}

void Playback::togglePlay() {
  if (live_ || (playing_ && !backwards_))
    pause();
  else
    play();
}

void Playback::toggleBackward() {
  if (playing_ && backwards_) return pause();
  if (live_) seek(now());
  if (live_ || !check(manager_->play(-speed_), "play backwards")) return;
  setBackwards(true);
  setPlaying(true);
}

void Playback::stepForward() {
  if (live_) return seek(now());
  if (check(manager_->step(1), "step")) setPlaying(false);
}

void Playback::stepBackward() {
  // From live: the newest recorded pictures, then every tile one of its frames before them (the
  // core queues the step after the seek).
  if (live_) seek(now());
  if (!live_ && check(manager_->step(-1), "step back")) setPlaying(false);
}

void Playback::goLive() {
  if (live_) return;
  // Stop drops the cache and resets the decoders: memory back while live.
  if (manager_) manager_->stop();
  setPlaying(false);
  live_ = true;
  position_ = 0;
  emit positionChanged();
  for (CameraFeed *feed : feeds_) feed->setSource(CameraFeed::Source::Live);
  emit liveChanged(true);
}

void Playback::onTime(qint64 mstime) {
  if (live_) return;
  position_ = static_cast<double>(mstime);
  emit positionChanged();
}
