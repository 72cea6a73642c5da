/* SPDX-License-Identifier: LGPL-2.1-or-later */
// codec-ffmpeg decoding a camera's sound (AAC, G.711 A-law and mu-law, Opus) as source-file hands
// it on, against the ffmpeg CLI's own decoding of the same file.
#include <gtest/gtest.h>

#include <climits>
#include <cmath>
#include <cstring>
#include <memory>

#include "media_support.h"

using namespace media_test;

namespace {

constexpr double kToneHz = 440;

// What a test keeps of the decoded sound of one stream.
struct Sound {
  std::vector<int16_t> samples;  // interleaved
  uint32_t rate = 0, channels = 0;
  std::vector<int64_t> times;  // of each decoded frame
  int shape_changes = 0;
};

// A codec-ffmpeg instance for sound that gathers what it gives.
class SoundDecoder {
 public:
  explicit SoundDecoder(uint32_t codec) : vt_(decoder_plugin()), out_(valkka_frame_new(0)) {
    open_error_ = vt_ ? vt_->open(valkka_host(), codec, nullptr, 0, &instance_) : VALKKA_ENOENT;
    if (open_error_) instance_ = nullptr;
  }
  ~SoundDecoder() {
    if (instance_) vt_->close(instance_);
    valkka_frame_free(out_);
  }
  SoundDecoder(const SoundDecoder &) = delete;
  SoundDecoder &operator=(const SoundDecoder &) = delete;
  int open_error() const { return open_error_; }
  int send(const valkka_frame_t &frame) {
    int err = vt_->send(instance_, &frame);
    collect();
    return err;
  }
  int drain() {
    valkka_frame_t end{};
    end.struct_size = sizeof end;
    end.kind = VALKKA_FRAME_ENCODED;
    int err = vt_->send(instance_, &end);
    if (err) return err;
    collect();
    return vt_->receive(instance_, out_);
  }
  const Sound &sound() const { return sound_; }

 private:
  void collect() {
    while (vt_->receive(instance_, out_) == 0) {
      EXPECT_EQ(out_->kind, (uint32_t)VALKKA_FRAME_DECODED);
      EXPECT_EQ(out_->size % (out_->channels * 2), 0u);
      if (sound_.rate && (out_->sample_rate != sound_.rate || out_->channels != sound_.channels))
        sound_.shape_changes++;
      sound_.rate = out_->sample_rate;
      sound_.channels = out_->channels;
      const int16_t *s = reinterpret_cast<const int16_t *>(out_->data);
      sound_.samples.insert(sound_.samples.end(), s, s + out_->size / 2);
      sound_.times.push_back(out_->mstime);
    }
  }
  const valkka_decoder_vtable_t *vt_;
  void *instance_ = nullptr;
  valkka_frame_t *out_;
  int open_error_;
  Sound sound_;
};

// The first channel's RMS and its rate of sign changes per second.
void measure(const Sound &s, double *rms, double *crossings_per_s) {
  double sum = 0;
  long crossings = 0, n = 0;
  int16_t previous = 0;
  for (size_t i = 0; i < s.samples.size(); i += s.channels, n++) {
    int16_t v = s.samples[i];
    sum += double(v) * v;
    if (n > 0 && ((previous < 0) != (v < 0))) crossings++;
    previous = v;
  }
  *rms = n ? std::sqrt(sum / n) : 0;
  *crossings_per_s = n ? crossings * double(s.rate) / n : 0;
}

class MediaSound : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = std::make_unique<TempDir>(); }

  // 2 s of testsrc with a 440 Hz tone in `audio_args`; false when ffmpeg cannot make it.
  bool make_clip(const std::string &path, const std::string &audio_args, uint32_t rate) {
    std::string cmd = "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x240:rate=25 "
                      "-f lavfi -i sine=frequency=440:sample_rate=" +
                      std::to_string(rate) + " -t 2 -c:v libx264 -g 25 " + audio_args + " '" +
                      path + "'";
    return run(cmd) == 0;
  }

  // Every audio frame source-file reads from `path`, through a decoder of `codec`.
  void decode(const std::string &path, uint32_t codec, SoundDecoder *decoder, int *packets) {
    Source source("source-file", path, {{"loop", "0"}, {"realtime", "0"}});
    ASSERT_EQ(source.open_error(), 0) << source.open_message();
    int err;
    *packets = 0;
    int64_t first_packet = -1;
    while ((err = source.read()) == 0) {
      const valkka_frame_t &f = source.frame();
      if (f.codec != codec) continue;
      if (f.kind == VALKKA_FRAME_ENCODED) {
        (*packets)++;
        if (first_packet < 0) first_packet = f.mstime;
      }
      ASSERT_EQ(decoder->send(f), 0) << valkka_last_error();
    }
    ASSERT_EQ(err, VALKKA_EOS);
    EXPECT_EQ(decoder->drain(), VALKKA_EOS);
    const Sound &s = decoder->sound();
    ASSERT_FALSE(s.times.empty());
    // Timed by their packets: from the first packet's time, rising.
    EXPECT_GE(s.times.front(), first_packet);
    EXPECT_LE(s.times.front(), first_packet + 100);
    for (size_t i = 1; i < s.times.size(); i++) EXPECT_GE(s.times[i], s.times[i - 1]) << i;
  }

  // The ffmpeg CLI's decoding of the file's sound, as interleaved s16 of `channels`.
  std::vector<int16_t> ffmpeg_pcm(const std::string &path, uint32_t channels) {
    std::string out;
    EXPECT_EQ(run("ffmpeg -nostdin -v error -i '" + path + "' -map 0:a -f s16le -ac " +
                      std::to_string(channels) + " -",
                  &out),
              0);
    std::vector<int16_t> pcm(out.size() / 2);
    if (!pcm.empty()) std::memcpy(pcm.data(), out.data(), pcm.size() * 2);
    return pcm;
  }

  // A tone that ffmpeg decodes too: same rate and channels, the same length to within
  // `slack` sample frames (codec priming), a 440 Hz tone as loud as ffmpeg's.
  void check_tone(const std::string &path, const Sound &s, uint32_t rate, uint32_t channels,
                  long slack) {
    EXPECT_EQ(s.rate, rate);
    EXPECT_EQ(s.channels, channels);
    EXPECT_EQ(s.shape_changes, 0);
    std::vector<int16_t> reference = ffmpeg_pcm(path, channels);
    long ours = long(s.samples.size() / channels), theirs = long(reference.size() / channels);
    EXPECT_NEAR(ours, theirs, slack);
    EXPECT_NEAR(ours, 2 * long(rate), slack + rate / 25);
    double rms = 0, crossings = 0, their_rms = 0, their_crossings = 0;
    measure(s, &rms, &crossings);
    Sound ffmpeg_sound;
    ffmpeg_sound.samples = reference;
    ffmpeg_sound.rate = rate;
    ffmpeg_sound.channels = channels;
    measure(ffmpeg_sound, &their_rms, &their_crossings);
    EXPECT_NEAR(crossings, 2 * kToneHz, 8);
    EXPECT_GT(their_rms, 1000);  // lavfi's sine is at 1/8 of full scale
    EXPECT_NEAR(rms, their_rms, their_rms * 0.03);
  }

  std::unique_ptr<TempDir> dir_;
};

}  // namespace

TEST_F(MediaSound, G711ALawDecodesSampleForSampleAsFfmpeg) {
  std::string path = dir_->path() + "/alaw.mkv";
  ASSERT_TRUE(make_clip(path, "-c:a pcm_alaw -ar 8000", 8000));
  SoundDecoder decoder(VALKKA_CODEC_ALAW);
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  int packets = 0;
  decode(path, VALKKA_CODEC_ALAW, &decoder, &packets);
  EXPECT_GT(packets, 0);
  EXPECT_EQ(decoder.sound().samples, ffmpeg_pcm(path, 1));
  check_tone(path, decoder.sound(), 8000, 1, 0);
}

TEST_F(MediaSound, G711MuLawDecodesSampleForSampleAsFfmpeg) {
  std::string path = dir_->path() + "/mulaw.mkv";
  ASSERT_TRUE(make_clip(path, "-c:a pcm_mulaw -ar 8000", 8000));
  SoundDecoder decoder(VALKKA_CODEC_MULAW);
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  int packets = 0;
  decode(path, VALKKA_CODEC_MULAW, &decoder, &packets);
  EXPECT_EQ(decoder.sound().samples, ffmpeg_pcm(path, 1));
  check_tone(path, decoder.sound(), 8000, 1, 0);
}

TEST_F(MediaSound, StereoAacDecodesToTheSameToneAsFfmpeg) {
  std::string path = dir_->path() + "/aac.mp4";
  ASSERT_TRUE(make_clip(path, "-c:a aac -ac 2 -b:a 96k", 48000));
  SoundDecoder decoder(VALKKA_CODEC_AAC);
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  int packets = 0;
  decode(path, VALKKA_CODEC_AAC, &decoder, &packets);
  // Every AAC packet is 1024 sample frames; the CLI drops the encoder's priming (edit list).
  EXPECT_EQ(long(decoder.sound().samples.size() / 2), 1024L * packets);
  check_tone(path, decoder.sound(), 48000, 2, 2048);
}

TEST_F(MediaSound, OpusDecodesToTheSameToneAsFfmpeg) {
  const char *encoder = ffmpeg_has_encoder("libopus") ? "libopus" : "opus -strict -2";
  std::string path = dir_->path() + "/opus.mkv";
  ASSERT_TRUE(make_clip(path, std::string("-c:a ") + encoder + " -ar 48000", 48000));
  SoundDecoder decoder(VALKKA_CODEC_OPUS);
  ASSERT_EQ(decoder.open_error(), 0) << valkka_last_error();
  int packets = 0;
  decode(path, VALKKA_CODEC_OPUS, &decoder, &packets);
  check_tone(path, decoder.sound(), 48000, 1, 960);
}

TEST_F(MediaSound, AacBeforeItsConfigIsRefusedAndTheDecoderStaysUsable) {
  SoundDecoder decoder(VALKKA_CODEC_AAC);
  ASSERT_EQ(decoder.open_error(), 0);
  uint8_t junk[16] = {0x21, 0x10};
  valkka_frame_t packet{};
  packet.struct_size = sizeof packet;
  packet.kind = VALKKA_FRAME_ENCODED;
  packet.codec = VALKKA_CODEC_AAC;
  packet.data = junk;
  packet.size = sizeof junk;
  EXPECT_EQ(decoder.send(packet), VALKKA_EDECODE);
  EXPECT_NE(std::string(valkka_last_error()).find("before the stream's CONFIG"), std::string::npos)
      << valkka_last_error();
  // A CONFIG whose header is cut short is refused by name, not read past its end.
  uint8_t short_config[4] = {0x80, 0xbb, 0, 0};
  valkka_frame_t config = packet;
  config.kind = VALKKA_FRAME_CONFIG;
  config.data = short_config;
  config.size = sizeof short_config;
  EXPECT_EQ(decoder.send(config), VALKKA_EDECODE);
}

TEST_F(MediaSound, VideoCodecsStillOpenAndOtherCodecsAreRefused) {
  SoundDecoder h264(VALKKA_CODEC_H264);
  EXPECT_EQ(h264.open_error(), 0);
  SoundDecoder unknown(99);
  EXPECT_EQ(unknown.open_error(), VALKKA_ECODEC);
}

TEST(FrameSound, SetAudioLaysOutInterleavedSamplesAndRefusesBadShapes) {
  valkka_frame_t *f = valkka_frame_new(0);
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(valkka_frame_set_audio(f, 48000, 2, 1024), 0);
  EXPECT_EQ(f->kind, (uint32_t)VALKKA_FRAME_DECODED);
  EXPECT_EQ(f->size, 1024u * 2 * 2);
  EXPECT_GE(f->capacity, f->size);
  EXPECT_EQ(f->sample_rate, 48000u);
  EXPECT_EQ(f->channels, 2u);
  EXPECT_EQ(f->n_planes, 0u);
  EXPECT_EQ(valkka_frame_set_audio(f, 0, 2, 10), VALKKA_EINVAL);
  EXPECT_EQ(valkka_frame_set_audio(f, 8000, 0, 10), VALKKA_EINVAL);
  EXPECT_EQ(valkka_frame_set_audio(f, 8000, VALKKA_AUDIO_CHANNELS_MAX + 1, 10), VALKKA_EINVAL);
  EXPECT_EQ(valkka_frame_set_audio(f, 8000, 1, (1u << 20) + 1), VALKKA_EINVAL);
  EXPECT_EQ(valkka_frame_set_audio(nullptr, 8000, 1, 10), VALKKA_EINVAL);
  // A copy keeps the shape.
  valkka_frame_t *copy = valkka_frame_new(0);
  ASSERT_EQ(valkka_frame_set_audio(f, 8000, 1, 160), 0);
  ASSERT_EQ(valkka_frame_copy(copy, f), 0);
  EXPECT_EQ(copy->sample_rate, 8000u);
  EXPECT_EQ(copy->channels, 1u);
  EXPECT_EQ(copy->size, 320u);
  valkka_frame_free(copy);
  valkka_frame_free(f);
}
