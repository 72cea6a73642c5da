/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Shared pieces of the media plugin tests: plugin lookup, source and decoder handles that close
// themselves, temp dirs, and the ffmpeg/ffprobe command lines that make real test files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace media_test {

// The plugin's vtable, loading the build's plugins first; fails the test when absent.
const valkka_source_vtable_t *source_plugin(const char *name);
const valkka_decoder_vtable_t *decoder_plugin();

// An open source instance that closes itself.
class Source {
 public:
  Source(const char *plugin, std::string url,
         std::vector<std::pair<std::string, std::string>> options);
  ~Source();
  Source(const Source &) = delete;
  Source &operator=(const Source &) = delete;
  int open_error() const { return open_error_; }
  std::string open_message() const { return open_message_; }
  int read(int timeout_ms = 1000) { return vt_->read(instance_, frame_, timeout_ms); }
  int interrupt() { return vt_->interrupt(instance_); }
  int info(valkka_source_info_t *info) { return vt_->info(instance_, info); }
  const valkka_frame_t &frame() const { return *frame_; }

 private:
  const valkka_source_vtable_t *vt_;
  void *instance_ = nullptr;
  valkka_frame_t *frame_;
  int open_error_;
  std::string open_message_;
};

// What a test keeps of a decoded picture.
struct Picture {
  uint32_t width, height, pixfmt, flags, slot;
  int64_t mstime;
  double mean_y, mean_u, mean_v;
  uint32_t color_range, color_space;  // valkka_color_range_t, valkka_color_space_t
};

// A codec-ffmpeg instance that collects every picture it produces.
class Decoder {
 public:
  explicit Decoder(uint32_t codec, const char *threads = "1");
  ~Decoder();
  Decoder(const Decoder &) = delete;
  Decoder &operator=(const Decoder &) = delete;
  int open_error() const { return open_error_; }
  int send(const valkka_frame_t &frame);  // 0 or the send error; collects pictures as it goes
  int drain();                            // the end-of-stream drain; collects the rest
  const std::vector<Picture> &pictures() const { return pictures_; }

 private:
  void collect();
  const valkka_decoder_vtable_t *vt_;
  void *instance_ = nullptr;
  valkka_frame_t *picture_;
  int open_error_;
  std::vector<Picture> pictures_;
};

Picture describe(const valkka_frame_t &picture);

// mkdtemp under $TMPDIR; removed with everything in it by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

// Runs a shell command; returns its exit status and its stdout in `out` (may be NULL).
int run(const std::string &command, std::string *out = nullptr);
// True when the ffmpeg CLI has an encoder of that name.
bool ffmpeg_has_encoder(const char *name);
// ffmpeg -f lavfi testsrc into `path` with the given codec arguments; true on success.
bool make_test_video(const std::string &path, const std::string &codec_args, double seconds);
// The same from another lavfi source, e.g. "color=c=0x282828:size=320x240:rate=25".
bool make_lavfi_video(const std::string &path, const std::string &source,
                      const std::string &codec_args, double seconds);
// Video packets in the file, by ffprobe -count_packets; -1 on failure.
long ffprobe_packets(const std::string &path);
// True when data starts with an Annex B start code.
bool is_annexb(const valkka_frame_t &frame);

}  // namespace media_test
