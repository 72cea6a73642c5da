/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What ffprobe and ffmpeg read in a file `valkka export` wrote: its container, each packet of a
// stream, a stream's codec, whether every packet decodes, the file's tags, and the order of its
// top-level ISO BMFF atoms.
#pragma once

#include <map>
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

// The container's tags (ffprobe's format_tags), keys in lower case (Matroska's are upper).
std::map<std::string, std::string> probe_tags(const std::string &path);

// The types of an ISO BMFF file's top-level atoms in file order ("ftyp", "moov", "mdat", ...),
// read from the file itself; empty when it is not one.
std::vector<std::string> top_level_atoms(const std::string &path);

}  // namespace mgr_test
