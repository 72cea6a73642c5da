/* SPDX-License-Identifier: LGPL-2.1-or-later */
// --test-control: the tests drive the kiosk through its stdin, one command a line, and read one
// reply line each on stdout. Every command goes through the same QML functions the mouse and
// keyboard use (the timeline's pressAt, wheelAt and pan, the tile's toggleMaximise, the window's
// goLive, the playback's transport); the touch ones are touch events the window's handlers get
// through Qt's delivery. The drag threshold in touch-pinch's reply is the distance Qt waits for
// before a pinch starts.
//
//   screenshot FILE     grab the window (and FILE's .json)     -> "ok screenshot FILE"
//   state               the wall state (wall_state.h), compact -> "state {...}"
//   seek-offset MS      click the timeline at now + MS         -> "ok seek TARGET_MS"
//   drag-offset MS      press or drag the timeline to now + MS -> "ok drag TARGET_MS"
//   drag-release        the drag's mouse released where it last was -> "ok seek TARGET_MS"
//   live                back to live                           -> "ok live"
//   maximise INDEX      double-click tile INDEX                -> "ok maximise INDEX"
//   sound               the M key: sound on or off             -> "ok sound on|off"
//   touch-pinch X Y FROM TO STEPS   two fingers at (X, Y), FROM px apart, moved to TO px apart
//                       (touch_input.h), then lifted           -> "ok touch-pinch DRAG_THRESHOLD"
//   touch-double-tap X Y  a finger taps twice at (X, Y)        -> "ok touch-double-tap"
//   toggle-play         the Space key: play or pause           -> "ok playing|paused"
//   wheel DY            the wheel over the lanes' middle       -> "ok wheel DY"
//   pan DX              drag the time axis DX pixels           -> "ok pan DX"
//   speed X             the speed box                          -> "ok speed X" (as clamped)
//   step                the Step button, the Right key         -> "ok step"
//   quit                exit 0                                 -> "ok quit"
//   lanes               the timeline model's lanes as drawn    -> "lanes [{name, ranges}...]"
//   real-time on|off    the Real time button (G)               -> "ok real-time on|off"
//   mark-in MS, mark-out MS   the I / O keys at time MS        -> "ok mark-in|mark-out MS"
//   export DIR          the export panel's button, the cameras on the wall, into DIR
//                                                              -> "ok export" (state's "export")
//   page DELTA          PgDn (1) / PgUp (-1): turn the page    -> "ok page PAGE/PAGES" (from 1)
//   pick SLOT CAMERA    the camera list: tile SLOT shows CAMERA -> "ok pick SLOT CAMERA"
//   cameras             the C key: the camera list shown or not -> "ok cameras shown|hidden"
//   jump MS             a jump button: MS from the playhead    -> "ok jump POSITION_MS"
//   goto TEXT           TEXT typed in the go-to field, Enter   -> "ok goto POSITION_MS" or
//                       "error " and the field's own error words
//   calendar            the D key: the calendar opened / closed -> "ok calendar open|closed"
//   calendar-day DAY    a click on DAY of the month shown      -> "ok calendar-day POSITION_MS"
//   collapse            the T key: the timeline's lanes hidden / shown -> "ok collapse on|off"
//   frame-image INDEX FILE  tile INDEX's picture as a snapshot converts it, nothing burned in,
//                       to the PNG FILE                        -> "ok frame-image W H MSTIME"
//   view FROM TO        the timeline shows FROM .. TO (ms)     -> "ok view FROM TO"
//   draw-time [wheel DY]  the lanes re-read and made anew (or the wheel turned by DY over them),
//                       timed to the swap of the frame showing them -> "ok draw-time MS BARS"
// Failures reply "error WHAT". End of input quits too, so a test that dies leaves no kiosk.
#pragma once

#include <QByteArray>
#include <QObject>

class QQuickWindow;
class QSocketNotifier;
class Kiosk;
class TouchInput;

class TestControl : public QObject {
  Q_OBJECT
 public:
  TestControl(QQuickWindow *window, const Kiosk *kiosk, QObject *parent = nullptr);
  void start();

 private:
  void readInput();
  void run(const QByteArray &line);
  // The commands of finding a moment and of the many cameras (test_control_moment.cpp); false
  // when `command` is none of them.
  bool runMoment(const QByteArray &command, const QString &arg);
  // The timeline's drawing: view, draw-time (test_control_draw.cpp).
  bool runDraw(const QByteArray &command, const QString &arg);
  void reply(const QByteArray &line);
  TouchInput *touch();

  QQuickWindow *window_;
  const Kiosk *kiosk_;
  QSocketNotifier *notifier_ = nullptr;
  TouchInput *touch_ = nullptr;  // made at the first touch command: its device only then
  double dragX_ = -1;            // where the drag's mouse is (timeline x); < 0: no drag
  QByteArray pending_;
};
