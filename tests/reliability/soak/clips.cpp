/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "clips.h"

namespace soak {

bool make_clip(uint32_t camera, int gop, int frames, Clip *clip, std::string *error) {
  *clip = Clip();
  // Small pictures: decoding is the reader's cost, and the soak is about the store.
  if (!clip_test::encode(camera, gop, frames, 192, 108, "h264", clip, error)) return false;
  if ((int)clip->packets.size() != frames || clip->config.empty() || !clip->key[0]) {
    *error = "synthetic://" + std::to_string(camera) + ": the clip came out malformed";
    return false;
  }
  return clip_test::reference_means(*clip, &clip->means, error);
}

}  // namespace soak
