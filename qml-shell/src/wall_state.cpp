/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "wall_state.h"

#include <QDateTime>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QQuickItem>
#include <QQuickWindow>
#include <QSaveFile>
#include <QScreen>

#include "kiosk.h"

namespace {

QJsonArray rectOf(const QQuickItem *item, const QRectF &local) {
  const QRectF r = item->mapRectToScene(local);
  return {qRound(r.x()), qRound(r.y()), qRound(r.width()), qRound(r.height())};
}

QJsonArray rectOf(const QQuickItem *item) {
  return rectOf(item, QRectF(0, 0, item->width(), item->height()));
}

void collect(QQuickItem *item, const QString &name, QList<QQuickItem *> *out) {
  for (QQuickItem *child : item->childItems()) {
    if (child->objectName() == name) out->append(child);
    collect(child, name, out);
  }
}

QQuickItem *findIn(QQuickItem *item, const QString &name) {
  QList<QQuickItem *> found;
  collect(item, name, &found);
  return found.isEmpty() ? nullptr : found.first();
}

// The text of every item named `name` under `item`, in item order.
QJsonArray texts(QQuickItem *item, const QString &name) {
  QList<QQuickItem *> found;
  collect(item, name, &found);
  QJsonArray out;
  for (const QQuickItem *text : found) out.append(text->property("text").toString());
  return out;
}

// The lanes drawn (their names) and the time under the pointer, as shown.
void momentState(QQuickItem *timeline, QJsonObject *view) {
  QList<QQuickItem *> lanes;
  collect(timeline, QStringLiteral("timelineLane"), &lanes);
  QJsonArray shown;
  for (const QQuickItem *lane : lanes)
    if (lane->isVisible()) shown.append(lane->property("laneName").toString());
  (*view)[QStringLiteral("lanes_shown")] = shown;
  (*view)[QStringLiteral("collapsed")] = timeline->property("collapsed").toBool();
  const QJsonArray pointer = texts(timeline, QStringLiteral("pointerTime"));
  (*view)[QStringLiteral("pointer_time")] = pointer.isEmpty() ? QString() : pointer.first();
}

// The text of the first item named `name` under `item` while it is shown, "" otherwise.
QString shownText(QQuickItem *item, const QString &name) {
  QQuickItem *found = findIn(item, name);
  return found && found->isVisible() ? found->property("text").toString() : QString();
}

// Where the timeline's mouse acts and the view it shows: a test turns a time into a click there.
QJsonObject timelineState(QQuickItem *root) {
  QQuickItem *timeline = findIn(root, QStringLiteral("timeline"));
  QQuickItem *axis = timeline ? findIn(timeline, QStringLiteral("timelineAxis")) : nullptr;
  QQuickItem *track = timeline ? findIn(timeline, QStringLiteral("timelineTrack")) : nullptr;
  if (!axis || !track) return {};
  QJsonObject view{{QStringLiteral("axis_rect"), rectOf(axis)},
                   {QStringLiteral("track_rect"), rectOf(track)},
                   {QStringLiteral("view_start_ms"), timeline->property("viewStart").toDouble()},
                   {QStringLiteral("span_ms"), timeline->property("span").toDouble()}};
  // The timeline item's own properties, as they are.
  for (const char *name : {"viewStart", "viewEnd", "span", "trackWidth", "follow", "now"})
    view[QLatin1String(name)] = QJsonValue::fromVariant(timeline->property(name));
  view[QStringLiteral("ticks")] = texts(axis, QStringLiteral("axisTick"));
  momentState(timeline, &view);
  return view;
}

}  // namespace

QQuickItem *findNamed(QQuickItem *item, const QString &name) { return findIn(item, name); }

QJsonObject wallState(QQuickWindow *window, const Kiosk *kiosk) {
  QJsonObject state;
  state[QStringLiteral("taken_ms")] = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
  state[QStringLiteral("window")] = QJsonObject{{QStringLiteral("width"), window->width()},
                                                {QStringLiteral("height"), window->height()},
                                                {QStringLiteral("x"), window->x()},
                                                {QStringLiteral("y"), window->y()},
                                                {QStringLiteral("active"), window->isActive()}};
  if (const QScreen *screen = window->screen()) {
    const QRect g = screen->geometry();
    state[QStringLiteral("screen")] = QJsonObject{{QStringLiteral("x"), g.x()},
                                                  {QStringLiteral("y"), g.y()},
                                                  {QStringLiteral("width"), g.width()},
                                                  {QStringLiteral("height"), g.height()}};
  }
  const Playback *playback = kiosk->playback();
  state[QStringLiteral("mode")] = playback->live() ? QStringLiteral("live")
                                                   : QStringLiteral("playback");
  state[QStringLiteral("position_ms")] = playback->position();
  state[QStringLiteral("seek_target_ms")] = playback->seekTarget();
  state[QStringLiteral("playback_available")] = playback->available();
  state[QStringLiteral("playback_streams")] = static_cast<double>(kiosk->playbackStreams());
  state[QStringLiteral("window_frames")] = static_cast<double>(kiosk->windowFrames());
  state[QStringLiteral("beat_ms")] = kiosk->beatPeriodMs();
  state[QStringLiteral("beats")] = static_cast<double>(kiosk->beats());
  state[QStringLiteral("speed")] = playback->speed();
  state[QStringLiteral("playing")] = playback->playing();
  state[QStringLiteral("gaps_real_time")] = kiosk->gaps() && kiosk->gaps()->realTime();
  if (const WallExport *e = kiosk->exporter())
    state[QStringLiteral("export")] =
        QJsonObject{{QStringLiteral("mark_in_ms"), e->markIn()},
                    {QStringLiteral("mark_out_ms"), e->markOut()},
                    {QStringLiteral("running"), e->running()},
                    {QStringLiteral("progress"), e->progress()},
                    {QStringLiteral("result"), e->result()},
                    {QStringLiteral("files"), QJsonArray::fromStringList(e->files())},
                    {QStringLiteral("command"), e->command()}};
  state[QStringLiteral("backwards")] = playback->backwards();
  state[QStringLiteral("fullscreen")] = window->visibility() == QWindow::FullScreen;
  state[QStringLiteral("columns")] = kiosk->columns();
  QQuickItem *wall = findIn(window->contentItem(), QStringLiteral("wall"));
  state[QStringLiteral("maximised")] = wall ? wall->property("maximised").toInt() : -1;
  state[QStringLiteral("page")] = wall ? wall->property("page").toInt() : 0;
  state[QStringLiteral("pages")] = wall ? wall->property("pages").toInt() : 1;
  QQuickItem *content = window->contentItem();
  state[QStringLiteral("page_text")] = shownText(content, QStringLiteral("pageIndicator"));
  state[QStringLiteral("behind_live")] = shownText(content, QStringLiteral("behindLive"));
  state[QStringLiteral("goto_error")] = shownText(content, QStringLiteral("goToError"));
  QQuickItem *panel = findIn(content, QStringLiteral("cameraPanel"));
  state[QStringLiteral("camera_panel")] = panel && panel->isVisible();
  QQuickItem *exportPanel = findIn(content, QStringLiteral("exportPanel"));
  state[QStringLiteral("export_panel")] = exportPanel && exportPanel->isVisible();
  // The calendar lives in the window's overlay (a popup), not under the content item.
  QList<QQuickItem *> days;
  collect(content->parentItem() ? content->parentItem() : content, QStringLiteral("recordedDay"),
          &days);
  QJsonArray recorded;
  for (const QQuickItem *day : days)
    if (day->isVisible()) recorded.append(day->property("dayNumber").toInt());
  state[QStringLiteral("calendar_days")] = recorded;
  state[QStringLiteral("timeline")] = timelineState(window->contentItem());
  const QJsonArray readout = texts(window->contentItem(), QStringLiteral("transportReadout"));
  state[QStringLiteral("readout")] = readout.isEmpty() ? QString() : readout.first().toString();
  QQuickItem *keys = findIn(window->contentItem(), QStringLiteral("keyOverlay"));
  state[QStringLiteral("key_overlay")] = keys && keys->isVisible();
  // The transport's buttons as shown: their labels and tooltips.
  QList<QQuickItem *> buttons;
  collect(window->contentItem(), QStringLiteral("transportButton"), &buttons);
  QJsonArray shownButtons;
  for (const QQuickItem *button : buttons)
    shownButtons.append(
        QJsonObject{{QStringLiteral("text"), button->property("text").toString()},
                    {QStringLiteral("tooltip"), button->property("toolTipText").toString()}});
  state[QStringLiteral("buttons")] = shownButtons;

  QList<QQuickItem *> tiles;
  collect(window->contentItem(), QStringLiteral("tile"), &tiles);
  QJsonArray out;
  for (QQuickItem *tile : tiles) {
    const int index = tile->property("cameraIndex").toInt();
    if (index < 0 || index >= kiosk->feeds().size()) continue;
    const CameraFeed *feed = kiosk->feeds().at(index);
    QJsonObject t;
    t[QStringLiteral("index")] = index;
    t[QStringLiteral("name")] = feed->name();
    t[QStringLiteral("visible")] = tile->isVisible();
    t[QStringLiteral("slot")] = tile->property("slot").toInt();
    t[QStringLiteral("rect")] = rectOf(tile);
    t[QStringLiteral("pointed")] = tile->property("pointed").toBool();
    if (QQuickItem *video = findIn(tile, QStringLiteral("tileVideo"))) {
      // VideoOutput's contentRect: the part of the item the picture covers (aspect kept).
      const QRectF content = video->property("contentRect").toRectF();
      t[QStringLiteral("video_rect")] = content.isEmpty() ? rectOf(video) : rectOf(video, content);
    }
    if (QQuickItem *label = findIn(tile, QStringLiteral("tileName")))
      t[QStringLiteral("name_rect")] = rectOf(label);
    if (QQuickItem *badge = findIn(tile, QStringLiteral("tileFps"))) {
      t[QStringLiteral("fps_text")] = badge->property("text").toString();
      t[QStringLiteral("fps_rect")] = rectOf(badge);
    }
    if (QQuickItem *badge = findIn(tile, QStringLiteral("tileTime")); badge && badge->isVisible())
      t[QStringLiteral("time_rect")] = rectOf(badge);
    t[QStringLiteral("state")] = feed->state();
    t[QStringLiteral("status")] = feed->statusText();
    t[QStringLiteral("reason")] = feed->reason();
    t[QStringLiteral("words")] = feed->words();
    t[QStringLiteral("offline_since_ms")] = feed->offlineSince();
    if (QQuickItem *offline = findIn(tile, QStringLiteral("tileOffline")))
      t[QStringLiteral("offline_text")] =
          offline->isVisible() ? offline->property("text").toString() : QString();
    t[QStringLiteral("frame_ms")] = static_cast<double>(feed->shownMstime());
    // What the tile says when its camera recorded nothing at the playhead; "" otherwise.
    if (QQuickItem *gap = findIn(tile, QStringLiteral("tileNoRecording")))
      t[QStringLiteral("no_recording")] = gap->isVisible() ? gap->property("text").toString()
                                                           : QString();
    t[QStringLiteral("frame_key")] = feed->shownKeyframe();
    t[QStringLiteral("fps")] = feed->fps();
    t[QStringLiteral("shown_fps")] = feed->shownFps();
    t[QStringLiteral("presented")] = static_cast<double>(feed->presented());
    t[QStringLiteral("decodes")] = QString::fromLatin1(feed->choice().shownName());
    t[QStringLiteral("received")] = static_cast<double>(feed->received());
    t[QStringLiteral("has_sound")] = feed->hasSound();
    if (QQuickItem *speaker = findIn(tile, QStringLiteral("tileSound")))
      t[QStringLiteral("sound_button")] = speaker->isVisible();
    if (QQuickItem *button = findIn(tile, QStringLiteral("tileSnapshotButton"))) {
      t[QStringLiteral("snapshot_button")] = button->isVisible();
      t[QStringLiteral("snapshot_button_rect")] = rectOf(button);
    }
    // The digital zoom: the part of the picture shown (picture pixels) and where (window).
    t[QStringLiteral("zoom")] = tile->property("zoom").toDouble();
    const QRectF source = tile->property("sourceRect").toRectF();
    t[QStringLiteral("source_rect")] =
        QJsonArray{source.x(), source.y(), source.width(), source.height()};
    if (QQuickItem *view = findIn(tile, QStringLiteral("tileView"))) {
      const QRectF shown = view->mapRectToScene(tile->property("viewRect").toRectF());
      t[QStringLiteral("view_rect")] =
          QJsonArray{shown.x(), shown.y(), shown.width(), shown.height()};
    }
    t[QStringLiteral("zoom_text")] = shownText(tile, QStringLiteral("tileZoomText"));
    out.append(t);
  }
  state[QStringLiteral("tiles")] = out;
  if (const TileSnapshot *snap = kiosk->snapshots()) {
    const QRect box = snap->box();
    state[QStringLiteral("snapshot")] = QJsonObject{
        {QStringLiteral("folder"), snap->folder()},
        {QStringLiteral("busy"), snap->busy()},
        {QStringLiteral("count"), snap->count()},
        {QStringLiteral("failed"), snap->failed()},
        {QStringLiteral("message"), snap->message()},
        {QStringLiteral("file"), snap->file()},
        {QStringLiteral("box"), QJsonArray{box.x(), box.y(), box.width(), box.height()}},
        {QStringLiteral("toast"), shownText(content, QStringLiteral("snapshotToast"))}};
  }
  const SoundOutput *sound = kiosk->sound();
  if (sound)
    state[QStringLiteral("sound")] =
        QJsonObject{{QStringLiteral("camera"), sound->camera()},
                    {QStringLiteral("muted"), sound->muted()},
                    {QStringLiteral("played_ms"), sound->playedMs()},
                    {QStringLiteral("codec"), sound->codec()},
                    {QStringLiteral("rate"), static_cast<double>(sound->rate())},
                    {QStringLiteral("channels"), static_cast<double>(sound->channels())},
                    {QStringLiteral("problem"), sound->problem()}};
  return state;
}

bool saveScreenshot(QQuickWindow *window, const Kiosk *kiosk, const QString &png, QString *error) {
  // State first: the frame times then belong to pictures already in the sinks when the grab
  // renders (grabWindow renders the current scene synchronously).
  const QJsonObject state = wallState(window, kiosk);
  const QImage image = window->grabWindow();
  if (image.isNull() || !image.save(png, "PNG")) {
    *error = QStringLiteral("cannot write %1").arg(png);
    return false;
  }
  const QFileInfo info(png);
  const QString json = info.path() + QLatin1Char('/') + info.completeBaseName() +
                       QStringLiteral(".json");
  QSaveFile file(json);
  if (!file.open(QIODevice::WriteOnly) ||
      file.write(QJsonDocument(state).toJson(QJsonDocument::Indented)) < 0 || !file.commit()) {
    *error = QStringLiteral("cannot write %1").arg(json);
    return false;
  }
  return true;
}
