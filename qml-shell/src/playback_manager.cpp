/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "playback_manager.h"

#include <valkka/error.h>

#include "camera_feed.h"

namespace {

QString describe(int code) {
  const char *detail = valkka_last_error();
  return QString::fromUtf8(detail && detail[0] ? detail : valkka_strerror(code));
}

// A name only helps readers tell streams apart: one the table refuses (too long) costs no
// recording.
void nameStream(valkka_fs_t *fs, uint32_t id, const QString &name, uint32_t cameraId) {
  valkka_fs_info_t info{};
  info.struct_size = sizeof info;
  if (valkka_fs_get_info(fs, &info) == 0 && info.readonly) return;  // its recorder names them
  const int err = valkka_fs_name_stream(fs, id, name.toUtf8().constData(), cameraId);
  if (err)
    qWarning("valkka-kiosk: stream %u is not named \"%s\": %s", id, qPrintable(name),
             qPrintable(describe(err)));
}

}  // namespace

PlaybackManager::PlaybackManager(QObject *parent) : QObject(parent) {}

PlaybackManager::~PlaybackManager() { destroy(); }

bool PlaybackManager::create(QString *error) {
  manager_ = valkka_manager_create(nullptr);
  if (!manager_) {
    *error = QStringLiteral("creating the playback manager: %1").arg(describe(VALKKA_ENOMEM));
    return false;
  }
  valkka_manager_set_time_callback(manager_, &PlaybackManager::onTime, this);
  valkka_manager_set_block_callback(manager_, &PlaybackManager::onBlock, this);
  return true;
}

bool PlaybackManager::addFs(valkka_fs_t *fs, bool follow, QString *error) {
  valkka_manager_fs_params_t params{};
  params.struct_size = sizeof params;
  params.flags = follow ? VALKKA_MANAGER_FS_FOLLOW : 0;
  const int err = valkka_manager_add_fs(manager_, fs, &params);
  if (err) *error = QStringLiteral("adding an FS to the playback manager: %1").arg(describe(err));
  return err == 0;
}

bool PlaybackManager::mapCamera(valkka_fs_t *fs, uint32_t slot, uint32_t streamId,
                                const QString &name, CameraFeed *feed, valkka_frame_sink_fn *sink,
                                void **user, QString *error, uint32_t cameraId) {
  // The read slot only labels frames inside the manager; the camera's slot is unique there too.
  int err = valkka_manager_map(manager_, fs, slot, slot, streamId, &CameraFeed::playbackSink, feed);
  if (!sink) {  // played back only: another process records the stream
    if (err) *error = describe(err);
    return err == 0;
  }
  if (!err) nameStream(fs, streamId, name, cameraId);
  if (!err) err = valkka_manager_get_input_filter(manager_, fs, sink, user);
  if (err) *error = describe(err);
  return err == 0;
}

bool PlaybackManager::mapSound(valkka_fs_t *fs, uint32_t slot, uint32_t audioId, uint32_t streamId,
                               const QString &name, valkka_frame_sink_fn output, void *user,
                               QString *error) {
  int err = valkka_manager_map(manager_, fs, slot, slot, audioId, output, user);
  if (!err) nameStream(fs, audioId, name, streamId);
  if (err) *error = describe(err);
  return err == 0;
}

bool PlaybackManager::setStreamActive(valkka_fs_t *fs, uint32_t streamId, bool active,
                                      QString *error) {
  const int err = manager_
                      ? valkka_manager_set_stream_active(manager_, fs, streamId, active ? 1 : 0)
                      : VALKKA_ESTATE;
  if (err) *error = describe(err);
  return err == 0;
}

void PlaybackManager::destroy() {
  if (!manager_) return;
  valkka_manager_destroy(manager_);
  manager_ = nullptr;
}

int PlaybackManager::seek(int64_t mstime) {
  return manager_ ? valkka_manager_seek(manager_, mstime) : VALKKA_ESTATE;
}
int PlaybackManager::play(double speed) {
  return manager_ ? valkka_manager_play(manager_, speed) : VALKKA_ESTATE;
}
int PlaybackManager::pause() { return manager_ ? valkka_manager_pause(manager_) : VALKKA_ESTATE; }
int PlaybackManager::stop() { return manager_ ? valkka_manager_stop(manager_) : VALKKA_ESTATE; }
int PlaybackManager::step(int frames) {
  return manager_ ? valkka_manager_step_by(manager_, frames) : VALKKA_ESTATE;
}

int PlaybackManager::setGaps(bool realTime) {
  return manager_ ? valkka_manager_set_gaps(manager_, realTime ? VALKKA_MANAGER_GAPS_REAL_TIME
                                                               : VALKKA_MANAGER_GAPS_JUMP)
                  : VALKKA_ESTATE;
}

int PlaybackManager::scrub(int64_t mstime) {
  return manager_ ? valkka_manager_scrub(manager_, mstime) : VALKKA_ESTATE;
}

int64_t PlaybackManager::currentTime() const {
  int64_t t = 0;
  if (manager_) valkka_manager_get_current_time(manager_, &t);
  return t;
}

void PlaybackManager::timeRange(int64_t *first, int64_t *last) const {
  *first = *last = 0;
  if (manager_) valkka_manager_get_time_range(manager_, first, last);
}

uint32_t PlaybackManager::activeStreams() const {
  valkka_manager_state_t state{};
  state.struct_size = sizeof state;
  return manager_ && valkka_manager_get_state(manager_, &state) == 0 ? state.streams : 0;
}

// File-cache thread, 20+ times a second while playing: have the GUI thread pick up the time
// unless a pickup is already queued. The pickup reads the manager's playhead, not the time this
// call carried: a seek or scrub the GUI queued after this call must not be undone by it (the
// playhead would jump back during a drag).
void PlaybackManager::onTime(void *user, int64_t) {
  PlaybackManager *self = static_cast<PlaybackManager *>(user);
  if (self->timePending_.exchange(true)) return;
  QMetaObject::invokeMethod(
      self,
      [self] {
        self->timePending_.store(false);
        emit self->timeChanged(self->currentTime());
      },
      Qt::QueuedConnection);
}

// A writer thread.
void PlaybackManager::onBlock(void *user, valkka_fs_t *, const valkka_fs_block_event_t *event) {
  if (event->reason != VALKKA_FS_BLOCK_FINISHED) return;
  PlaybackManager *self = static_cast<PlaybackManager *>(user);
  QMetaObject::invokeMethod(
      self, [self] { emit self->blockFinished(); }, Qt::QueuedConnection);
}
