/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "media_support.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdio>
#include <filesystem>

namespace media_test {

static const valkka_plugin_t *find(valkka_plugin_kind_t kind, const char *name) {
  valkka_plugins_load();
  const valkka_plugin_t *plugin = valkka_plugin_find(kind, name);
  EXPECT_NE(plugin, nullptr) << valkka_last_error();
  return plugin;
}

const valkka_source_vtable_t *source_plugin(const char *name) {
  const valkka_plugin_t *plugin = find(VALKKA_PLUGIN_SOURCE, name);
  return plugin ? static_cast<const valkka_source_vtable_t *>(plugin->vtable) : nullptr;
}

const valkka_decoder_vtable_t *decoder_plugin() {
  const valkka_plugin_t *plugin = find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  return plugin ? static_cast<const valkka_decoder_vtable_t *>(plugin->vtable) : nullptr;
}

Source::Source(const char *plugin, std::string url,
               std::vector<std::pair<std::string, std::string>> options)
    : vt_(source_plugin(plugin)), frame_(valkka_frame_new(0)) {
  std::vector<valkka_option_t> opts;
  for (const auto &o : options) opts.push_back({o.first.c_str(), o.second.c_str()});
  open_error_ = vt_ ? vt_->open(valkka_host(), url.c_str(), opts.data(), opts.size(), &instance_)
                    : VALKKA_ENOENT;
  open_message_ = valkka_last_error();
  if (open_error_) instance_ = nullptr;
}

Source::~Source() {
  if (instance_) vt_->close(instance_);
  valkka_frame_free(frame_);
}

Picture describe(const valkka_frame_t &p) {
  Picture out{p.width, p.height, p.pixfmt, p.flags, p.slot, p.mstime, 0, 0, 0, 0, 0};
  if (VALKKA_HAS_FIELD(&p, valkka_frame_t, color_space)) {
    out.color_range = p.color_range;
    out.color_space = p.color_space;
  }
  double sums[3] = {0, 0, 0};
  uint32_t cw = (p.width + 1) / 2, ch = (p.height + 1) / 2;
  for (uint32_t y = 0; y < p.height; y++)
    for (uint32_t x = 0; x < p.width; x++) sums[0] += p.planes[0][y * p.strides[0] + x];
  for (uint32_t y = 0; y < ch; y++)
    for (uint32_t x = 0; x < cw; x++) {
      if (p.pixfmt == VALKKA_PIXFMT_NV12) {
        sums[1] += p.planes[1][y * p.strides[1] + 2 * x];
        sums[2] += p.planes[1][y * p.strides[1] + 2 * x + 1];
      } else {
        sums[1] += p.planes[1][y * p.strides[1] + x];
        sums[2] += p.planes[2][y * p.strides[2] + x];
      }
    }
  out.mean_y = sums[0] / (double(p.width) * p.height);
  out.mean_u = sums[1] / (double(cw) * ch);
  out.mean_v = sums[2] / (double(cw) * ch);
  return out;
}

Decoder::Decoder(uint32_t codec, const char *threads)
    : vt_(decoder_plugin()), picture_(valkka_frame_new(0)) {
  valkka_option_t opts[] = {{"threads", threads}};
  open_error_ = vt_ ? vt_->open(valkka_host(), codec, opts, 1, &instance_) : VALKKA_ENOENT;
  if (open_error_) instance_ = nullptr;
}

Decoder::~Decoder() {
  if (instance_) vt_->close(instance_);
  valkka_frame_free(picture_);
}

void Decoder::collect() {
  while (vt_->receive(instance_, picture_) == 0) pictures_.push_back(describe(*picture_));
}

int Decoder::send(const valkka_frame_t &frame) {
  int err = VALKKA_EAGAIN;
  for (int tries = 0; err == VALKKA_EAGAIN && tries < 4; tries++) {
    err = vt_->send(instance_, &frame);
    collect();
  }
  return err;
}

int Decoder::drain() {
  valkka_frame_t end{};
  end.struct_size = sizeof end;
  end.kind = VALKKA_FRAME_ENCODED;
  int err = vt_->send(instance_, &end);
  if (err) return err;
  collect();
  return vt_->receive(instance_, picture_);  // VALKKA_EOS once everything came out
}

TempDir::TempDir() {
  const char *base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/valkka-media-XXXXXX";
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  if (mkdtemp(buf.data())) path_ = buf.data();
  EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

int run(const std::string &command, std::string *out) {
  FILE *pipe = popen(command.c_str(), "r");
  if (!pipe) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0)
    if (out) out->append(buf, n);
  return pclose(pipe);
}

bool ffmpeg_has_encoder(const char *name) {
  std::string out;
  run("ffmpeg -hide_banner -nostdin -encoders 2>/dev/null", &out);
  return out.find(std::string(" ") + name + " ") != std::string::npos;
}

bool make_test_video(const std::string &path, const std::string &codec_args, double seconds) {
  return make_lavfi_video(path, "testsrc=size=320x240:rate=25", codec_args, seconds);
}

bool make_lavfi_video(const std::string &path, const std::string &source,
                      const std::string &codec_args, double seconds) {
  std::string command = "ffmpeg -hide_banner -nostdin -v error -y -f lavfi -i " + source + " -t " +
                        std::to_string(seconds) + " " + codec_args + " '" + path + "' 2>&1";
  std::string out;
  int status = run(command, &out);
  EXPECT_EQ(status, 0) << command << "\n" << out;
  return status == 0;
}

long ffprobe_packets(const std::string &path) {
  std::string out;
  int status = run("ffprobe -v error -select_streams v:0 -count_packets -show_entries "
                   "stream=nb_read_packets -of csv=p=0 '" +
                       path + "'",
                   &out);
  return status == 0 && !out.empty() ? std::stol(out) : -1;
}

bool is_annexb(const valkka_frame_t &f) {
  const uint8_t *d = f.data;
  return (f.size >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 1) ||
         (f.size >= 3 && d[0] == 0 && d[1] == 0 && d[2] == 1);
}

}  // namespace media_test
