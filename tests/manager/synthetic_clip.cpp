#include "synthetic_clip.h"

namespace clip_test {

bool encode(uint32_t camera, int gop, int frames, int width, int height, const char *codec,
            Clip *clip, std::string *error) {
  valkka_plugins_load();
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, "source-synthetic");
  if (!plugin) {
    *error = std::string("source-synthetic: ") + valkka_last_error();
    return false;
  }
  auto *vt = static_cast<const valkka_source_vtable_t *>(plugin->vtable);
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
  valkka_frame_t *frame = valkka_frame_new(0);
  bool ok = frame != nullptr;
  for (int guard = 0; ok && (int)clip->packets.size() < frames && guard < 4 * frames; guard++) {
    int err = vt->read(instance, frame, 5000);
    if (err != 0) {
      *error = url + ": read: " + valkka_err_name(err) + ": " + valkka_last_error();
      ok = false;
      break;
    }
    std::vector<uint8_t> payload(frame->data, frame->data + frame->size);
    if (frame->kind == VALKKA_FRAME_CONFIG) {
      clip->config = payload;
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

bool reference_means(const Clip &clip, std::vector<double> *means, std::string *error) {
  means->assign(clip.packets.size(), -1);
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
      if (picture->mstime >= 1 && (size_t)picture->mstime <= means->size())
        (*means)[(size_t)picture->mstime - 1] = mean_y(*picture);
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

}  // namespace clip_test
