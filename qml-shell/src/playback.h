/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Live / playback mode and the transport (seek, play, pause, speed, step) as QML sees them.
// Playback mode: every tile shows the recorded picture at the playhead, all on the manager's one
// clock; live decoding for display is off meanwhile (recording goes on). Back to live: the
// manager drops its cache and the live pictures return.
#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class CameraFeed;
class PlaybackManager;

class Playback : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  Q_PROPERTY(bool available READ available CONSTANT)
  Q_PROPERTY(bool live READ live NOTIFY liveChanged)
  Q_PROPERTY(bool playing READ playing NOTIFY playingChanged)
  // Playing (or last played) backwards: the reverse button and Shift+Space.
  Q_PROPERTY(bool backwards READ backwards NOTIFY playingChanged)
  Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY speedChanged)
  Q_PROPERTY(double position READ position NOTIFY positionChanged)
  Q_PROPERTY(double seekTarget READ seekTarget NOTIFY positionChanged)
  Q_PROPERTY(QString message READ message NOTIFY messageChanged)

 public:
  // `manager` (not owned) plays back; the feeds switch between live and playback pictures.
  Playback(PlaybackManager *manager, QList<CameraFeed *> feeds, QObject *parent = nullptr);

  bool available() const { return manager_ != nullptr; }
  bool live() const { return live_; }
  bool playing() const { return playing_; }
  bool backwards() const { return backwards_; }
  double speed() const { return speed_; }
  void setSpeed(double speed);
  // The playhead (mstime) in playback mode; 0 in live mode.
  double position() const { return position_; }
  // The time last sought (mstime), 0 before any.
  double seekTarget() const { return seekTarget_; }
  // The last transport error, "" when the last request went through.
  QString message() const { return message_; }

  // Every tile to the recorded picture at `mstime` (clamped into the recording); from live mode
  // this enters playback, paused.
  Q_INVOKABLE void seek(double mstime);
  // While the playhead is dragged: every tile to its keyframe at or before `mstime` (quick, not
  // exact; a seek on release shows the exact picture), paused; from live mode as seek.
  Q_INVOKABLE void scrub(double mstime);
  Q_INVOKABLE void play();
  Q_INVOKABLE void pause();
  // Live: freeze at now (playback, paused). Playback: play or pause.
  Q_INVOKABLE void togglePlay();
  // Plays backwards at the speed chosen (from live: from now); pauses when it does already.
  Q_INVOKABLE void toggleBackward();
  // One frame forward on the common clock (pauses).
  Q_INVOKABLE void stepForward();
  // One frame interval back (pauses).
  Q_INVOKABLE void stepBackward();
  Q_INVOKABLE void goLive();

 signals:
  void liveChanged(bool live);
  void playingChanged();
  void speedChanged();
  void positionChanged();
  void messageChanged();

 private:
  void enterPlayback();
  void moveTo(double mstime, bool scrub);
  void setPlaying(bool playing);
  void setBackwards(bool backwards);
  bool check(int err, const char *what);
  void onTime(qint64 mstime);

  PlaybackManager *manager_;
  QList<CameraFeed *> feeds_;
  bool live_ = true;
  bool playing_ = false;
  bool backwards_ = false;
  double speed_ = 1.0;
  double position_ = 0;
  double seekTarget_ = 0;
  QString message_;
};
