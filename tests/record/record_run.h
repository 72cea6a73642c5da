/* SPDX-License-Identifier: LGPL-2.1-or-later */
// What the tests of `valkka record`'s promises share: clips to record as file cameras, the status
// lines read back as values, the streams an FS holds as `valkka fs inspect --json` lists them.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace recordtest {

// True when `text` is exactly one line (the one-line errors of README.md).
bool one_line(const std::string &text);

// Makes a testsrc2 clip with ffmpeg: `seconds` long at 25 fps, `codec` "libx264" or "libx265",
// with an AAC sound track when `sound`.
bool make_clip(const std::string &path, int seconds, const std::string &codec, bool sound);

// The video packets of a file, as ffprobe counts them.
int64_t video_packets(const std::string &path);

// One status line ("t=3s cams=4 ..."), key -> value.
using StatusLine = std::map<std::string, std::string>;
// Every status line of `out`, in order.
std::vector<StatusLine> status_lines(const std::string &out);
// A numeric value of a status line ("t" without its unit); -1 when the key is absent.
double status_value(const StatusLine &line, const std::string &key);

struct FsStream {
  std::string codec, name;
  int64_t frames = 0;
};
// The streams of the FS in `dir` by id, from `valkka fs inspect DIR --json` (run in `tmp`, with
// `env` added to the environment).
std::map<uint32_t, FsStream> fs_streams(const std::string &dir, const std::string &tmp,
                                        const std::vector<std::string> &env = {});

// A config of two synthetic cameras recording into `fs`: "door" streams; "gate" names an option
// its source refuses ({"width": 99999}), which the library warns of ("valkka warn live: gate").
void write_door_and_gate(const std::string &fs, const std::string &config);

// The build tree's plugin directory ($VALKKA_PLUGIN_PATH of the tests).
std::string build_plugin_dir();

// The plugin files (*.so) in `dir`; none when it does not exist.
std::vector<std::string> plugin_files(const std::string &dir);

}  // namespace recordtest
