#include "clips.h"

namespace soak {

namespace {

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

bool encode(uint32_t camera, int gop, int frames, Clip *clip, std::string *error) {
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_SOURCE, "source-synthetic");
  if (!plugin) {
    *error = std::string("source-synthetic: ") + valkka_last_error();
    return false;
  }
  auto *vt = static_cast<const valkka_source_vtable_t *>(plugin->vtable);
  const std::string g = std::to_string(gop), s = std::to_string((frames + 24) / 25);
  // Small pictures: decoding is the reader's cost, and the soak is about the store.
  valkka_option_t options[] = {{"width", "192"}, {"height", "108"}, {"gop", g.c_str()},
                               {"seconds", s.c_str()}, {"realtime", "0"}, {"codec", "h264"}};
  const std::string url = "synthetic://" + std::to_string(camera);
  void *instance = nullptr;
  if (vt->open(valkka_host(), url.c_str(), options, 6, &instance) != 0) {
    *error = url + ": " + valkka_last_error();
    return false;
  }
  valkka_frame_t *frame = valkka_frame_new(0);
  bool ok = frame != nullptr;
  for (int guard = 0; ok && (int)clip->packets.size() < frames && guard < 4 * frames; guard++) {
    if (vt->read(instance, frame, 5000) != 0) {
      *error = url + ": read: " + valkka_last_error();
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
  if (ok && ((int)clip->packets.size() != frames || clip->config.empty() || !clip->key[0])) {
    *error = url + ": the clip came out malformed";
    ok = false;
  }
  return ok;
}

// Decodes the clip in order, the frame index carried as mstime, to know each picture.
bool reference(Clip *clip, std::string *error) {
  clip->means.assign(clip->packets.size(), -1);
  const valkka_plugin_t *plugin = valkka_plugin_find(VALKKA_PLUGIN_DECODER, "codec-ffmpeg");
  if (!plugin) {
    *error = std::string("codec-ffmpeg: ") + valkka_last_error();
    return false;
  }
  auto *vt = static_cast<const valkka_decoder_vtable_t *>(plugin->vtable);
  valkka_option_t options[] = {{"threads", "1"}};
  void *dec = nullptr;
  if (vt->open(valkka_host(), clip->codec, options, 1, &dec) != 0) {
    *error = std::string("codec-ffmpeg: ") + valkka_last_error();
    return false;
  }
  valkka_frame_t *picture = valkka_frame_new(0);
  auto drain = [&] {
    while (picture && vt->receive(dec, picture) == 0)
      if (picture->mstime >= 1 && (size_t)picture->mstime <= clip->means.size())
        clip->means[(size_t)picture->mstime - 1] = mean_y(*picture);
  };
  valkka_frame_t config = view(VALKKA_FRAME_CONFIG, clip->codec, false, 1, clip->config);
  vt->send(dec, &config);
  for (size_t k = 0; k < clip->packets.size(); k++) {
    valkka_frame_t f = view(VALKKA_FRAME_ENCODED, clip->codec, clip->key[k], (int64_t)k + 1,
                            clip->packets[k]);
    vt->send(dec, &f);
    drain();
  }
  valkka_frame_t end = view(VALKKA_FRAME_ENCODED, clip->codec, false, 0, {});
  if (vt->send(dec, &end) == 0) drain();
  valkka_frame_free(picture);
  vt->close(dec);
  return true;
}

}  // namespace

double mean_y(const valkka_frame_t &p) {
  if (p.kind != VALKKA_FRAME_DECODED || !p.width || !p.height || !p.planes[0]) return -1;
  double sum = 0;
  for (uint32_t y = 0; y < p.height; y++)
    for (uint32_t x = 0; x < p.width; x++) sum += p.planes[0][(size_t)y * p.strides[0] + x];
  return sum / (double(p.width) * p.height);
}

bool make_clip(uint32_t camera, int gop, int frames, Clip *clip, std::string *error) {
  valkka_plugins_load();
  *clip = Clip();
  return encode(camera, gop, frames, clip, error) && reference(clip, error);
}

}  // namespace soak
