/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Helpers of the `valkka record` tests (record_run.h).
#include "record_run.h"

#include <dirent.h>
#include <jansson.h>

#include <cstdlib>
#include <sstream>

#include "cli_process.h"

namespace recordtest {

void write_door_and_gate(const std::string &fs, const std::string &config) {
  write_text(config, R"({"fs": ")" + fs + R"(", "cameras": [
      {"name": "door", "url": "synthetic://0"},
      {"name": "gate", "url": "synthetic://1", "options": {"width": 99999}}]})");
}

bool one_line(const std::string &text) {
  return !text.empty() && text.find('\n') == text.size() - 1;
}

bool make_clip(const std::string &path, int seconds, const std::string &codec, bool sound) {
  const std::string make =
      "ffmpeg -v error -y -f lavfi -i testsrc2=size=320x180:rate=25" +
      std::string(sound ? " -f lavfi -i sine=frequency=440:sample_rate=48000" : "") + " -t " +
      std::to_string(seconds) + " -c:v " + codec + " -pix_fmt yuv420p" +
      (sound ? " -c:a aac" : "") + " '" + path + "' 2>/dev/null";
  return std::system(make.c_str()) == 0;
}

int64_t video_packets(const std::string &path) {
  const std::string out = shell_output(
      "ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets "
      "-of csv=p=0 '" +
      path + "'");
  return out.empty() ? -1 : std::atoll(out.c_str());
}

std::vector<StatusLine> status_lines(const std::string &out) {
  std::vector<StatusLine> lines;
  for (const std::string &text : split_lines(out)) {
    if (text.rfind("t=", 0) != 0) continue;
    StatusLine line;
    std::istringstream in(text);
    for (std::string item; in >> item;) {
      const size_t eq = item.find('=');
      if (eq != std::string::npos) line[item.substr(0, eq)] = item.substr(eq + 1);
    }
    lines.push_back(line);
  }
  return lines;
}

double status_value(const StatusLine &line, const std::string &key) {
  auto it = line.find(key);
  return it == line.end() ? -1 : std::atof(it->second.c_str());
}

std::map<uint32_t, FsStream> fs_streams(const std::string &dir, const std::string &tmp,
                                        const std::vector<std::string> &env) {
  std::map<uint32_t, FsStream> streams;
  CliResult r = cli_run({"fs", "inspect", dir, "--json"}, tmp, 60000, env);
  json_t *root = json_loads(r.out.c_str(), 0, nullptr);
  json_t *list = json_object_get(root, "streams");
  for (size_t i = 0; i < json_array_size(list); i++) {
    json_t *s = json_array_get(list, i);
    const char *codec = json_string_value(json_object_get(s, "codec"));
    const char *name = json_string_value(json_object_get(s, "name"));
    streams[(uint32_t)json_integer_value(json_object_get(s, "id"))] =
        FsStream{codec ? codec : "", name ? name : "",
                 (int64_t)json_integer_value(json_object_get(s, "frames"))};
  }
  json_decref(root);
  return streams;
}

std::string build_plugin_dir() {
  const char *path = std::getenv("VALKKA_PLUGIN_PATH");
  return path ? path : "";
}

std::vector<std::string> plugin_files(const std::string &dir) {
  std::vector<std::string> names;
  if (DIR *d = opendir(dir.c_str())) {
    while (struct dirent *e = readdir(d)) {
      const std::string name = e->d_name;
      if (name.size() > 3 && name.compare(name.size() - 3, 3, ".so") == 0) names.push_back(name);
    }
    closedir(d);
  }
  return names;
}

}  // namespace recordtest
