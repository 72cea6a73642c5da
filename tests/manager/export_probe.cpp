/* SPDX-License-Identifier: LGPL-2.1-or-later */
// ffprobe / ffmpeg reading an export (export_probe.h).
#include "export_probe.h"

#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <fstream>

#include "cli_process.h"

using recordtest::shell_output;
using recordtest::split_lines;

namespace mgr_test {

namespace {

// The value of `key=` among ffprobe's `default=nw=1` lines; "" when absent.
std::string value_of(const std::string &out, const std::string &key) {
  for (const std::string &line : split_lines(out))
    if (line.rfind(key + "=", 0) == 0) return line.substr(key.size() + 1);
  return "";
}

}  // namespace

ProbedFormat probe_format(const std::string &path) {
  const std::string out =
      shell_output("ffprobe -v error -show_entries format=format_name:format_tags=major_brand "
                   "-of default=nw=1 '" +
                   path + "'");
  return {value_of(out, "format_name"), value_of(out, "TAG:major_brand")};
}

std::vector<ProbedPacket> probe_packets(const std::string &path, const char *kind) {
  std::vector<ProbedPacket> packets;
  const std::string out = shell_output(std::string("ffprobe -v error -select_streams ") + kind +
                                       " -show_entries packet=pts_time,flags -of csv=p=0 '" + path +
                                       "'");
  for (const std::string &line : split_lines(out)) {
    const size_t comma = line.find(',');
    if (comma == std::string::npos) continue;
    packets.push_back({std::atof(line.c_str()) * 1000.0, line[comma + 1] == 'K'});
  }
  return packets;
}

std::string probe_codec(const std::string &path, const char *kind) {
  return value_of(shell_output(std::string("ffprobe -v error -select_streams ") + kind +
                               " -show_entries stream=codec_name -of default=nw=1 '" + path + "'"),
                  "codec_name");
}

std::string decode_errors(const std::string &path) {
  return shell_output("ffmpeg -nostdin -v error -xerror -i '" + path + "' -f null -", true);
}

std::map<std::string, std::string> probe_tags(const std::string &path) {
  std::map<std::string, std::string> tags;
  const std::string out =
      shell_output("ffprobe -v error -show_entries format_tags -of default=nw=1 '" + path + "'");
  for (const std::string &line : split_lines(out)) {
    const size_t eq = line.find('=');
    if (line.rfind("TAG:", 0) != 0 || eq == std::string::npos) continue;
    std::string key = line.substr(4, eq - 4);
    for (char &c : key) c = char(std::tolower((unsigned char)c));
    tags[key] = line.substr(eq + 1);
  }
  return tags;
}

std::vector<std::string> top_level_atoms(const std::string &path) {
  std::vector<std::string> atoms;
  std::ifstream in(path, std::ios::binary);
  in.seekg(0, std::ios::end);
  const uint64_t end = uint64_t(in.tellg());
  uint64_t at = 0;
  while (at + 8 <= end) {
    unsigned char h[16];
    in.seekg(std::streamoff(at));
    if (!in.read(reinterpret_cast<char *>(h), 8)) break;
    uint64_t size = uint64_t(h[0]) << 24 | uint64_t(h[1]) << 16 | uint64_t(h[2]) << 8 | h[3];
    if (size == 1 && in.read(reinterpret_cast<char *>(h + 8), 8)) {  // a 64-bit size follows
      size = 0;
      for (int i = 8; i < 16; i++) size = size << 8 | h[i];
    }
    if (size == 0) size = end - at;  // to the end of the file
    if (size < 8) break;
    atoms.emplace_back(reinterpret_cast<char *>(h + 4), 4);
    at += size;
  }
  return atoms;
}

}  // namespace mgr_test
