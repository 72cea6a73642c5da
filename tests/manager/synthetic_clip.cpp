/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "synthetic_clip.h"

#include <cstdint>
#include <functional>

namespace clip_test {

namespace {

// Reads an open source's frames into `clip` until it has `max_frames` packets or the source
// ends (VALKKA_EOS); any other read error fails.
bool read_all(const valkka_source_vtable_t *vt, void *instance, const std::string &url,
              size_t max_frames, Clip *clip, std::string *error) {
  valkka_frame_t *frame = valkka_frame_new(0);
  bool ok = frame != nullptr;
  for (size_t guard = 0; ok && clip->packets.size() < max_frames && guard < 4 * max_frames;
       guard++) {
    int err = vt->read(instance, frame, 5000);
    if (err == VALKKA_EOS) break;
    if (err != 0) {
      *error = url + ": read: " + valkka_err_name(err) + ": " + valkka_last_error();
      ok = false;
      break;
    }
    if (valkka_codec_is_audio((valkka_codec_t)frame->codec)) continue;
    std::vector<uint8_t> payload(frame->data, frame->data + frame->size);
    if (frame->kind == VALKKA_FRAME_CONFIG) {
      if (clip->config.empty()) clip->config = payload;  // the one before the first keyframe
      clip->codec = frame->codec;
    } else {
      clip->packets.push_back(payload);
      clip->key.push_back((frame->flags & VALKKA_FRAME_KEYFRAME) != 0);
    }
  }
  valkka_frame_free(frame);
  vt->close(instance);
  return ok;
}

const valkka_source_vtable_t *source(const char *name, std::string *error) {
  valkka_plugins_load();
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, name);
  if (!plugin) *error = std::string(name) + ": " + valkka_last_error();
  return plugin ? static_cast<const valkka_source_vtable_t *>(plugin->vtable) : nullptr;
}

}  // namespace

bool encode(uint32_t camera, int gop, int frames, int width, int height, const char *codec,
            Clip *clip, std::string *error) {
  const valkka_source_vtable_t *vt = source("source-synthetic", error);
  if (!vt) return false;
  const int fps = 25;
  const int seconds = (frames + fps - 1) / fps;
  const std::string w = std::to_string(width), h = std::to_string(height), g = std::to_string(gop),
                    s = std::to_string(seconds < 1 ? 1 : seconds);
  valkka_option_t options[] = {{"width", w.c_str()},   {"height", h.c_str()}, {"gop", g.c_str()},
                               {"seconds", s.c_str()}, {"realtime", "0"},     {"codec", codec}};
  const std::string url = "synthetic://" + std::to_string(camera);
  void *instance = nullptr;
  if (vt->open(valkka_host(), url.c_str(), options, 6, &instance) != 0) {
    *error = url + ": " + valkka_last_error();
    return false;
  }
  return read_all(vt, instance, url, (size_t)frames, clip, error);
}

bool read_file(const std::string &path, Clip *clip, std::string *error) {
  const valkka_source_vtable_t *vt = source("source-file", error);
  if (!vt) return false;
  valkka_option_t options[] = {{"loop", "0"}, {"realtime", "0"}};
  void *instance = nullptr;
  if (vt->open(valkka_host(), path.c_str(), options, 2, &instance) != 0) {
    *error = path + ": " + valkka_last_error();
    return false;
  }
  return read_all(vt, instance, path, SIZE_MAX / 8, clip, error);
}

valkka_frame_t view(uint32_t kind, uint32_t codec, bool key, int64_t mstime,
                    const std::vector<uint8_t> &data) {
  valkka_frame_t f{};
  f.struct_size = sizeof f;
  f.kind = kind;
  f.codec = codec;
  f.flags = key ? VALKKA_FRAME_KEYFRAME : 0;
  f.mstime = mstime;
  f.data = const_cast<uint8_t *>(data.data());
  f.size = (uint32_t)data.size();
  f.capacity = f.size;
  return f;
}

double mean_y(const valkka_frame_t &p) {
  if (p.kind != VALKKA_FRAME_DECODED || !p.width || !p.height || !p.planes[0]) return -1;
  double sum = 0;
  for (uint32_t y = 0; y < p.height; y++)
    for (uint32_t x = 0; x < p.width; x++) sum += p.planes[0][(size_t)y * p.strides[0] + x];
  return sum / (double(p.width) * p.height);
}

uint64_t picture_hash(const valkka_frame_t &p) {
  if (p.kind != VALKKA_FRAME_DECODED || !p.width || !p.height) return 0;
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < p.n_planes && i < 4; i++) {
    if (!p.planes[i]) return 0;
    // Chroma planes are halved both ways (rounded up); NV12's holds U and V side by side.
    const uint32_t rows = i ? (p.height + 1) / 2 : p.height;
    const uint32_t bytes = !i                               ? p.width
                           : p.pixfmt == VALKKA_PIXFMT_NV12 ? (p.width + 1) / 2 * 2
                                                            : (p.width + 1) / 2;
    for (uint32_t y = 0; y < rows; y++) {
      const uint8_t *row = p.planes[i] + (size_t)y * p.strides[i];
      for (uint32_t x = 0; x < bytes; x++) h = (h ^ row[x]) * 0x100000001b3ull;
    }
  }
  return h;
}

namespace {

// Decodes the clip in order with codec-ffmpeg (one thread), the frame index carried as mstime;
// `take(k, picture)` sees the picture of packet k.
bool decode_in_order(const Clip &clip,
                     const std::function<void(size_t, const valkka_frame_t &)> &take,
                     std::string *error) {
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  if (!plugin) {
    *error = std::string("codec-ffmpeg: ") + valkka_last_error();
    return false;
  }
  auto *vt = static_cast<const valkka_decoder_vtable_t *>(plugin->vtable);
  valkka_option_t options[] = {{"threads", "1"}};
  void *dec = nullptr;
  if (vt->open(valkka_host(), clip.codec, options, 1, &dec) != 0 || !dec) {
    *error = std::string("codec-ffmpeg: ") + valkka_last_error();
    return false;
  }
  valkka_frame_t *picture = valkka_frame_new(0);
  auto drain = [&] {
    while (picture && vt->receive(dec, picture) == 0)
      if (picture->mstime >= 1 && (size_t)picture->mstime <= clip.packets.size())
        take((size_t)picture->mstime - 1, *picture);
  };
  bool ok = true;
  valkka_frame_t config = view(VALKKA_FRAME_CONFIG, clip.codec, false, 1, clip.config);
  vt->send(dec, &config);
  for (size_t k = 0; k < clip.packets.size(); k++) {
    // The index travels as mstime, so the picture tells which frame it is.
    valkka_frame_t f =
        view(VALKKA_FRAME_ENCODED, clip.codec, clip.key[k], (int64_t)k + 1, clip.packets[k]);
    if (vt->send(dec, &f) != 0 && ok) {
      *error = "codec-ffmpeg: frame " + std::to_string(k) + ": " + valkka_last_error();
      ok = false;
    }
    drain();
  }
  valkka_frame_t end = view(VALKKA_FRAME_ENCODED, clip.codec, false, 0, {});
  if (vt->send(dec, &end) == 0) drain();
  valkka_frame_free(picture);
  vt->close(dec);
  return ok;
}

}  // namespace

bool reference_means(const Clip &clip, std::vector<double> *means, std::string *error) {
  means->assign(clip.packets.size(), -1);
  return decode_in_order(
      clip, [&](size_t k, const valkka_frame_t &p) { (*means)[k] = mean_y(p); }, error);
}

bool reference_hashes(const Clip &clip, std::vector<uint64_t> *hashes, std::string *error) {
  hashes->assign(clip.packets.size(), 0);
  return decode_in_order(
      clip, [&](size_t k, const valkka_frame_t &p) { (*hashes)[k] = picture_hash(p); }, error);
}

}  // namespace clip_test
