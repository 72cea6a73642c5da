/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "beat_timer.h"

BeatTimer::BeatTimer(int periodMs, QObject *parent) : QObject(parent), periodMs_(periodMs) {
  own_.setInterval(periodMs);
  connect(&own_, &QTimer::timeout, this, &BeatTimer::fire);
}

void BeatTimer::start() {
  active_ = true;
  since_.start();
  if (!beat_) own_.start();
}

void BeatTimer::stop() {
  active_ = false;
  own_.stop();
}

void BeatTimer::follow(QTimer *beat) {
  disconnect(beatConnection_);
  disconnect(goneConnection_);
  beat_ = beat;
  if (!beat) {
    if (active_) own_.start();
    return;
  }
  own_.stop();
  beatConnection_ = connect(beat, &QTimer::timeout, this, &BeatTimer::onBeat);
  goneConnection_ = connect(beat, &QObject::destroyed, this, [this] { follow(nullptr); });
}

void BeatTimer::fireSoon() {
  if (beat_)
    soon_ = true;
  else
    fire();
}

void BeatTimer::onBeat() {
  if (soon_ || (active_ && since_.elapsed() >= periodMs_ - beat_->interval() / 2)) fire();
}

void BeatTimer::fire() {
  soon_ = false;
  since_.start();
  if (!beat_ && active_) own_.start();  // the period from now
  emit timeout();
}
