/* SPDX-License-Identifier: LGPL-2.1-or-later */
// The sound of one camera at a time: the one on the maximised tile (or the only tile), muted
// until the operator turns it on (the speaker button, or M). Its audio packets come from the
// live pipeline (a tap on the camera's record sink) or from the playback manager (the camera's
// audio stream, as the playhead passes it), whichever owns the tiles; they are decoded with the
// core's decoder plugin (codec-ffmpeg, through the C ABI) and played on the default output device
// with QAudioSink. Playback at a speed other than 1x is silent, as in every VMS.
//
// Threads: packets arrive on core threads (offer), are copied and handed to the GUI thread, which
// decodes and writes them. Sound that finds the output full waits at most half a second, then
// the oldest is dropped: live sound must not fall behind the pictures.
#pragma once

#include <QAudioSink>
#include <QByteArray>
#include <QIODevice>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <valkka/frame.h>
#include <valkka/plugin.h>

class CameraFeed;

class SoundOutput : public QObject {
  Q_OBJECT
  QML_ELEMENT
  QML_UNCREATABLE("made by the kiosk")
  // Index of the camera whose sound plays when not muted, -1 for none.
  Q_PROPERTY(int camera READ camera WRITE setCamera NOTIFY cameraChanged)
  Q_PROPERTY(bool muted READ muted WRITE setMuted NOTIFY mutedChanged)
  // Why nothing can be heard although it should ("no sound output device", a decoder error);
  // "" when all is well.
  Q_PROPERTY(QString problem READ problem NOTIFY problemChanged)

 public:
  enum class Source { Live, Playback };

  SoundOutput(const QList<CameraFeed *> &feeds, QObject *parent = nullptr);
  ~SoundOutput() override;

  int camera() const { return camera_.load(); }
  void setCamera(int camera);
  bool muted() const { return muted_.load(); }
  void setMuted(bool muted);
  Q_INVOKABLE void toggleMuted() { setMuted(!muted()); }
  QString problem() const { return problem_; }

  // GUI thread: who owns the tiles, and the playback speed (sound only at 1x).
  void setSource(Source source);
  void setPlaybackSpeed(double speed);

  // What the output has done, for the tests' state: sound played (ms, by the device), and the
  // shape of the last sound decoded.
  double playedMs() const;
  uint32_t rate() const { return rate_; }
  uint32_t channels() const { return channels_; }
  QString codec() const { return QString::fromLatin1(valkka_codec_name(valkka_codec_t(codec_))); }

  // Puts a tap in front of camera `index`'s record sink (live.h): frames of `audioSlot` are also
  // offered as the camera's live sound. `*sink` / `*user` are replaced by the tap's.
  void tapRecordSink(int index, uint32_t audioSlot, valkka_frame_sink_fn *sink, void **user);
  // The output and user for the playback manager's audio stream of camera `index`.
  static int playbackSink(void *user, const valkka_frame_t *frame);
  void *playbackUser(int index);

 signals:
  void cameraChanged();
  void mutedChanged();
  void problemChanged();

 private:
  struct Tap;
  struct Packet {
    int camera;
    Source from;
    uint32_t codec;
    uint32_t kind;
    int64_t mstime;
    QByteArray payload;
  };
  static int recordTap(void *user, const valkka_frame_t *frame);
  // Any thread: a frame of camera `index`'s sound.
  void offer(int index, Source from, const valkka_frame_t *frame);
  // GUI thread.
  void play(const Packet &packet);
  bool ensureDecoder(const Packet &packet);
  void writeSound(const valkka_frame_t *sound);
  void pump();
  // Closes the decoder and the output (their sound is dropped).
  void reset();
  void closeSink();
  void setProblem(const QString &problem);

  QList<CameraFeed *> feeds_;
  std::vector<std::unique_ptr<Tap>> taps_;
  std::atomic<int> camera_{-1};
  std::atomic<bool> muted_{true};
  std::atomic<int> source_{int(Source::Live)};
  std::atomic<bool> normalSpeed_{true};
  std::atomic<int> pending_{0};  // packets handed to the GUI thread, not yet played

  // Each camera's and source's last CONFIG, for a decoder started mid-stream.
  std::mutex configLock_;
  std::vector<Packet> configs_;

  const valkka_decoder_vtable_t *decoderVt_ = nullptr;
  void *decoder_ = nullptr;
  int decoderCamera_ = -1;
  Source decoderSource_ = Source::Live;
  uint32_t decoderCodec_ = 0;
  valkka_frame_t *sound_ = nullptr;

  std::unique_ptr<QAudioSink> sink_;
  QIODevice *device_ = nullptr;
  QByteArray backlog_;  // decoded sound the device had no room for yet
  QTimer pump_;
  uint32_t rate_ = 0, channels_ = 0, codec_ = 0;
  double playedBeforeMs_ = 0;  // by sinks since replaced
  QString problem_;
};
