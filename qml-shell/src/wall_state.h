/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The wall as data, for tests and screenshots: each tile's rectangle in the window, its camera,
// status and the mstime of the picture it shows; the mode and playhead.
#pragma once

#include <QJsonObject>
#include <QString>

class QQuickItem;
class QQuickWindow;
class Kiosk;

// {"taken_ms", "window": {"width", "height", "x", "y", "active" (has the keyboard)},
//  "screen": {"x", "y", "width", "height"} (the window's screen), "window_frames" (frames the
//  window rendered), "beat_ms" (the period at which tiles get their new live pictures),
//  "beats" (since start),
//  "mode": "live"|"playback", "position_ms", "seek_target_ms", "playback_streams" (the streams
//  the playback manager decodes or plays now), "speed", "playing", "fullscreen"
//  (the window's requested state), "columns", "maximised" (tile index, -1 for none),
//  "readout" (the transport bar's mode and time, as shown), "key_overlay" (the key list is
//  shown), "camera_panel" and "export_panel" (shown), "buttons": [{"text", "tooltip"}] (the transport's buttons, as shown),
//  "timeline": {"axis_rect", "track_rect" (where presses seek), "view_start_ms", "span_ms",
//  "ticks" (the axis's labels, as shown), and the timeline item's "viewStart", "viewEnd", "span",
//  "trackWidth", "follow"},
//  "tiles": [{"index", "name", "visible", "pointed" (the pointer over it: its controls shown),
//  "rect": [x, y, w, h], "video_rect": [...],
//  "name_rect": [...], "fps_rect", "time_rect" (the badges'; time_rect while shown), "state",
//  "status", "reason" (the technical line), "words" (the error in an operator's words),
//  "offline_since_ms" (0: live or never was), "offline_text" (its badge, "" when hidden),
//  "frame_ms", "fps", "shown_fps" (pictures the tile shows a second), "fps_text" (the rate's
//  badge), "presented", "received", "has_sound", "sound_button" (the speaker button is shown), "decodes"
//  (the stream of the picture shown: "main", "sub", "" before one), "snapshot_button" (shown),
//  "snapshot_button_rect",
//  "zoom" (1..8), "source_rect" (the part of the picture shown, picture pixels, fractional),
//  "view_rect" (where that part is drawn, window pixels), "zoom_text" (its badge, "" at 1x)}],
//  "snapshot": {"folder", "busy", "count" (finished), "failed", "message", "file" (the last
//  written), "box" (its burned-in box, picture pixels), "toast" (the text shown, "" hidden)},
//  "sound": {"camera", "muted", "played_ms", "codec", "rate", "channels", "problem"}}.
// Rectangles are in window pixels; video_rect is where the picture is drawn.
// Tiles are the QML items named "tile" (with "tileVideo", "tileName" and "tileSound" inside).
QJsonObject wallState(QQuickWindow *window, const Kiosk *kiosk);

// The first item named `name` under `item` (depth first), nullptr when none.
QQuickItem *findNamed(QQuickItem *item, const QString &name);

// Grabs the window into `png` and writes wallState() next to it (same name, .json).
bool saveScreenshot(QQuickWindow *window, const Kiosk *kiosk, const QString &png, QString *error);
