/* SPDX-License-Identifier: LGPL-2.1-or-later */
// ffprobe / ffmpeg reading an export (export_probe.h).
#include "export_probe.h"

#include <cstdlib>

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

}  // namespace mgr_test
