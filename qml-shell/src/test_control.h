// --test-control: the tests drive the kiosk through its stdin, one command a line, and read one
// reply line each on stdout. Every command goes through the same QML functions the mouse and
// keyboard use (the timeline's pressAt, wheelAt and pan, the tile's toggleMaximise, the window's
// goLive, the playback's transport).
//
//   screenshot FILE     grab the window (and FILE's .json)     -> "ok screenshot FILE"
//   state               the wall state (wall_state.h), compact -> "state {...}"
//   seek-offset MS      click the timeline at now + MS         -> "ok seek TARGET_MS"
//   live                back to live                           -> "ok live"
//   maximise INDEX      double-click tile INDEX                -> "ok maximise INDEX"
//   sound               the M key: sound on or off             -> "ok sound on|off"
//   toggle-play         the Space key: play or pause           -> "ok playing|paused"
//   wheel DY            the wheel over the lanes' middle       -> "ok wheel DY"
//   pan DX              drag the time axis DX pixels           -> "ok pan DX"
//   speed X             the speed box                          -> "ok speed X" (as clamped)
//   step                the Step button, the Right key         -> "ok step"
//   quit                exit 0                                 -> "ok quit"
// Failures reply "error WHAT". End of input quits too, so a test that dies leaves no kiosk.
#pragma once

#include <QByteArray>
#include <QObject>

class QQuickWindow;
class QSocketNotifier;
class Kiosk;

class TestControl : public QObject {
  Q_OBJECT
 public:
  TestControl(QQuickWindow *window, const Kiosk *kiosk, QObject *parent = nullptr);
  void start();

 private:
  void readInput();
  void run(const QByteArray &line);
  void reply(const QByteArray &line);

  QQuickWindow *window_;
  const Kiosk *kiosk_;
  QSocketNotifier *notifier_ = nullptr;
  QByteArray pending_;
};
