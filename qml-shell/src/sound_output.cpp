/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "sound_output.h"

#include <QAudioFormat>
#include <QMediaDevices>

#include <valkka/error.h>
#include <valkka/registry.h>

#include "camera_feed.h"

namespace {

// Packets on their way to the GUI thread beyond which newer ones are dropped (about 1 s of AAC).
constexpr int kMaxPending = 48;
// Sound the device may hold ahead of what is heard, and sound waiting for room in it (an output
// starting up takes a while): live sound stays this close to the pictures.
constexpr double kDeviceBufferS = 0.25;
constexpr double kBacklogS = 0.5;
// How often waiting sound is offered to the device.
constexpr int kPumpMs = 20;

QString lastError(int code) {
  const char *detail = valkka_last_error();
  return QString::fromUtf8(detail && detail[0] ? detail : valkka_strerror(code));
}

}  // namespace

// What a record sink or the playback manager's output reaches: the camera and where from.
struct SoundOutput::Tap {
  SoundOutput *output;
  int index;
  uint32_t audioSlot;
  valkka_frame_sink_fn next;  // the record sink behind the tap (live only)
  void *nextUser;
};

SoundOutput::SoundOutput(const QList<CameraFeed *> &feeds, QObject *parent)
    : QObject(parent), feeds_(feeds), sound_(valkka_frame_new(0)) {
  pump_.setInterval(kPumpMs);
  connect(&pump_, &QTimer::timeout, this, &SoundOutput::pump);
  for (int source = 0; source < 2; source++)
    for (int i = 0; i < feeds.size(); i++)
      configs_.push_back({i, Source(source), 0, VALKKA_FRAME_NONE, 0, {}});
}

SoundOutput::~SoundOutput() {
  reset();
  valkka_frame_free(sound_);
}

void SoundOutput::setCamera(int camera) {
  if (camera_.exchange(camera) == camera) return;
  reset();
  emit cameraChanged();
}

void SoundOutput::setMuted(bool muted) {
  if (muted_.exchange(muted) == muted) return;
  if (muted) reset();
  emit mutedChanged();
}

void SoundOutput::setSource(Source source) {
  if (source_.exchange(int(source)) == int(source)) return;
  reset();
}

void SoundOutput::setPlaybackSpeed(double speed) {
  const bool normal = speed > 0.99 && speed < 1.01;
  if (normalSpeed_.exchange(normal) == normal) return;
  if (!normal && source_.load() == int(Source::Playback)) reset();
}

double SoundOutput::playedMs() const {
  return playedBeforeMs_ + (sink_ ? sink_->processedUSecs() / 1000.0 : 0);
}

void SoundOutput::tapRecordSink(int index, uint32_t audioSlot, valkka_frame_sink_fn *sink,
                                void **user) {
  taps_.push_back(std::make_unique<Tap>(Tap{this, index, audioSlot, *sink, *user}));
  *sink = &SoundOutput::recordTap;
  *user = taps_.back().get();
}

void *SoundOutput::playbackUser(int index) {
  taps_.push_back(std::make_unique<Tap>(Tap{this, index, 0, nullptr, nullptr}));
  return taps_.back().get();
}

// A camera's source thread: recording first, always; sound only rides along.
int SoundOutput::recordTap(void *user, const valkka_frame_t *frame) {
  const Tap *tap = static_cast<const Tap *>(user);
  const int taken = tap->next(tap->nextUser, frame);
  if (frame->slot == tap->audioSlot && valkka_codec_is_audio(valkka_codec_t(frame->codec)))
    tap->output->offer(tap->index, Source::Live, frame);
  return taken;
}

// The playback manager's file-cache thread.
int SoundOutput::playbackSink(void *user, const valkka_frame_t *frame) {
  const Tap *tap = static_cast<const Tap *>(user);
  tap->output->offer(tap->index, Source::Playback, frame);
  return 0;
}

void SoundOutput::offer(int index, Source from, const valkka_frame_t *frame) {
  if (index < 0 || index >= feeds_.size()) return;
  if (frame->kind != VALKKA_FRAME_CONFIG && frame->kind != VALKKA_FRAME_ENCODED) return;
  CameraFeed *feed = feeds_.at(index);
  if (!feed->hasSound())
    QMetaObject::invokeMethod(
        feed, [feed] { feed->setHasSound(); }, Qt::QueuedConnection);
  Packet packet{
      index,         from,
      frame->codec,  frame->kind,
      frame->mstime, QByteArray(reinterpret_cast<const char *>(frame->data), int(frame->size))};
  if (frame->kind == VALKKA_FRAME_CONFIG) {
    std::lock_guard<std::mutex> lock(configLock_);
    configs_[size_t(int(from) * feeds_.size() + index)] = packet;
  }
  if (muted_.load() || camera_.load() != index || source_.load() != int(from) ||
      (from == Source::Playback && !normalSpeed_.load()))
    return;
  if (pending_.fetch_add(1) >= kMaxPending) {
    pending_.fetch_sub(1);
    return;
  }
  QMetaObject::invokeMethod(
      this,
      [this, packet] {
        pending_.fetch_sub(1);
        play(packet);
      },
      Qt::QueuedConnection);
}

void SoundOutput::play(const Packet &packet) {
  // Settings may have changed while the packet was on its way.
  if (muted_.load() || camera_.load() != packet.camera || source_.load() != int(packet.from))
    return;
  if (!ensureDecoder(packet)) return;
  if (packet.kind == VALKKA_FRAME_CONFIG) return;  // ensureDecoder sent it
  valkka_frame_t frame{};
  frame.struct_size = sizeof frame;
  frame.kind = packet.kind;
  frame.codec = packet.codec;
  frame.flags = VALKKA_FRAME_KEYFRAME;
  frame.mstime = packet.mstime;
  frame.data = reinterpret_cast<uint8_t *>(const_cast<char *>(packet.payload.constData()));
  frame.size = uint32_t(packet.payload.size());
  int err = decoderVt_->send(decoder_, &frame);
  while (err == 0 && decoderVt_->receive(decoder_, sound_) == 0) writeSound(sound_);
  if (err && err != VALKKA_EAGAIN)
    qWarning("valkka-kiosk: %s: sound: %s", qPrintable(feeds_.at(packet.camera)->name()),
             qPrintable(lastError(err)));
}

// A decoder for the packet's camera, source and codec, fed the stream's CONFIG first.
bool SoundOutput::ensureDecoder(const Packet &packet) {
  if (decoder_ && decoderCamera_ == packet.camera && decoderSource_ == packet.from &&
      decoderCodec_ == packet.codec) {
    if (packet.kind != VALKKA_FRAME_CONFIG) return true;
  } else {
    reset();
    if (!decoderVt_) {
      const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
      if (!plugin) {
        setProblem(QStringLiteral("no codec-ffmpeg plugin to decode sound"));
        return false;
      }
      decoderVt_ = static_cast<const valkka_decoder_vtable_t *>(plugin->vtable);
    }
    const int err = decoderVt_->open(valkka_host(), packet.codec, nullptr, 0, &decoder_);
    if (err) {
      decoder_ = nullptr;
      setProblem(QStringLiteral("sound: %1").arg(lastError(err)));
      return false;
    }
    decoderCamera_ = packet.camera;
    decoderSource_ = packet.from;
    decoderCodec_ = packet.codec;
  }
  Packet config;
  if (packet.kind == VALKKA_FRAME_CONFIG) {
    config = packet;
  } else {
    std::lock_guard<std::mutex> lock(configLock_);
    config = configs_[size_t(int(packet.from) * feeds_.size() + packet.camera)];
  }
  if (config.kind == VALKKA_FRAME_CONFIG && config.codec == packet.codec) {
    valkka_frame_t frame{};
    frame.struct_size = sizeof frame;
    frame.kind = VALKKA_FRAME_CONFIG;
    frame.codec = config.codec;
    frame.mstime = config.mstime;
    frame.data = reinterpret_cast<uint8_t *>(const_cast<char *>(config.payload.constData()));
    frame.size = uint32_t(config.payload.size());
    const int err = decoderVt_->send(decoder_, &frame);
    if (err) {
      setProblem(QStringLiteral("sound: %1").arg(lastError(err)));
      return false;
    }
  }
  return true;
}

void SoundOutput::writeSound(const valkka_frame_t *sound) {
  if (!sound->sample_rate || !sound->channels) return;
  if (!sink_ || sound->sample_rate != rate_ || sound->channels != channels_) {
    closeSink();
    const QAudioDevice output = QMediaDevices::defaultAudioOutput();
    if (output.isNull()) {
      setProblem(QStringLiteral("no sound output device"));
      return;
    }
    QAudioFormat format;
    format.setSampleRate(int(sound->sample_rate));
    format.setChannelCount(int(sound->channels));
    format.setSampleFormat(QAudioFormat::Int16);
    if (!output.isFormatSupported(format)) {
      setProblem(QStringLiteral("%1 cannot play %2 Hz, %3 channels")
                     .arg(output.description())
                     .arg(sound->sample_rate)
                     .arg(sound->channels));
      return;
    }
    sink_ = std::make_unique<QAudioSink>(output, format);
    sink_->setBufferSize(int(sound->sample_rate * sound->channels * 2 * kDeviceBufferS));
    device_ = sink_->start();
    rate_ = sound->sample_rate;
    channels_ = sound->channels;
    codec_ = sound->codec;
    if (!device_) {
      setProblem(QStringLiteral("%1 did not start").arg(output.description()));
      sink_.reset();
      return;
    }
    setProblem(QString());
  }
  backlog_.append(reinterpret_cast<const char *>(sound->data), qsizetype(sound->size));
  // Beyond the bound the oldest sound goes: waiting longer would put it behind the pictures.
  const qsizetype frame = qsizetype(channels_) * 2;
  const qsizetype bound = qsizetype(rate_ * kBacklogS) * frame;
  if (backlog_.size() > bound) backlog_.remove(0, (backlog_.size() - bound) / frame * frame);
  pump();
}

// Hands the device what it has room for; the rest waits for the pump timer.
void SoundOutput::pump() {
  if (!sink_ || !device_) {
    backlog_.clear();
    pump_.stop();
    return;
  }
  const qsizetype frame = qsizetype(channels_) * 2;
  const qsizetype n = qMin<qsizetype>(sink_->bytesFree(), backlog_.size()) / frame * frame;
  if (n > 0) backlog_.remove(0, device_->write(backlog_.constData(), n));
  if (backlog_.isEmpty())
    pump_.stop();
  else if (!pump_.isActive())
    pump_.start();
}

void SoundOutput::reset() {
  if (decoder_) decoderVt_->close(decoder_);
  decoder_ = nullptr;
  decoderCamera_ = -1;
  decoderCodec_ = 0;
  closeSink();
}

void SoundOutput::closeSink() {
  if (sink_) {
    playedBeforeMs_ += sink_->processedUSecs() / 1000.0;
    sink_->stop();
    sink_.reset();
  }
  device_ = nullptr;
  backlog_.clear();
  pump_.stop();
}

void SoundOutput::setProblem(const QString &problem) {
  if (problem == problem_) return;
  problem_ = problem;
  if (!problem.isEmpty()) qWarning("valkka-kiosk: %s", qPrintable(problem));
  emit problemChanged();
}
