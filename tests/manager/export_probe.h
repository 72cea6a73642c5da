/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What ffprobe and ffmpeg read in a file `valkka export` wrote: its container, each packet of a
// stream, a stream's codec, and whether every packet decodes.
#pragma once

#include <string>
#include <vector>

namespace mgr_test {

struct ProbedFormat {
  std::string name;         // ffprobe's format_name: "matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"
  std::string major_brand;  // the ISO BMFF 'ftyp' brand: "isom" (MP4), "qt  " (MOV), "" (none)
};
ProbedFormat probe_format(const std::string &path);

struct ProbedPacket {
  double pts_ms;
  bool keyframe;
};
// The packets of the first stream of `kind` ("v", "a"), in file order.
std::vector<ProbedPacket> probe_packets(const std::string &path, const char *kind);

// The codec_name of the first stream of `kind`; "" when there is none.
std::string probe_codec(const std::string &path, const char *kind);

// What `ffmpeg -xerror` says decoding every stream of the file: "" when all decodes.
std::string decode_errors(const std::string &path);

}  // namespace mgr_test
