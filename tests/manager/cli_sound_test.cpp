/* SPDX-License-Identifier: LGPL-2.1-or-later */
// A camera with G.711 sound recorded by `valkka record --config` (a file camera: an MKV with
// H.264 and mu-law made by ffmpeg), then read back through the binary:
//  - the FS's stream table (streams.json) names the video and the sound after the camera and
//    ties the sound to the video; `valkka fs inspect` lists both with the name;
//  - `export` writes the sound beside the video to .mkv and .mov, and refuses MP4, saying why.
#include <gtest/gtest.h>
#include <jansson.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "cli_support.h"
#include "export_probe.h"

using namespace mgr_test;
using recordtest::CliResult;

namespace {

const char *const kCamera = "front door";

struct SoundRecording {
  TempDir tmp;
  std::string dir;
};

// 3 s of 320x240 H.264 (a keyframe a second) with 8 kHz mu-law, recorded once through (loop 0)
// as stream 1 and its sound as 1001.
void record_mulaw_camera(SoundRecording &r) {
  const std::string clip = r.tmp.sub("mulaw.mkv");
  const std::string make =
      "ffmpeg -nostdin -v error -y -f lavfi -i testsrc=size=320x240:rate=25 -f lavfi -i "
      "sine=frequency=440:sample_rate=8000 -t 3 -c:v libx264 -g 25 -bf 0 -pix_fmt yuv420p "
      "-c:a pcm_mulaw '" +
      clip + "'";
  ASSERT_EQ(std::system(make.c_str()), 0);
  ASSERT_EQ(probe_codec(clip, "a"), "pcm_mulaw");
  r.dir = r.tmp.sub("fs");
  const std::string config = r.tmp.sub("cameras.json");
  recordtest::write_text(config, "{\"fs\": {\"dir\": \"" + r.dir +
                                     "\", \"create\": {\"block_size\": \"1M\", \"blocks\": 8}},"
                                     " \"cameras\": [{\"name\": \"" +
                                     kCamera + "\", \"url\": \"" + clip +
                                     "\", \"options\": {\"loop\": \"0\"}}]}");
  CliResult rec = valkka({"record", "--config", config, "--duration", "5"}, r.tmp);
  ASSERT_EQ(rec.status, 0) << rec.err;
}

// The stream entries of `valkka fs inspect --json`, by id.
json_t *inspect_streams(const SoundRecording &r, json_t **root) {
  CliResult inspect = valkka({"fs", "inspect", r.dir, "--json"}, r.tmp);
  EXPECT_EQ(inspect.status, 0) << inspect.err;
  *root = json_loads(inspect.out.c_str(), 0, nullptr);
  EXPECT_NE(*root, nullptr) << inspect.out;
  return *root ? json_object_get(*root, "streams") : nullptr;
}

// Exports the whole recording of stream 1 (the camera's video, and its sound) to `path`.
CliResult export_all(const SoundRecording &r, const std::string &path) {
  return valkka({"export", "--fs", r.dir, "--stream", "1", "--from", "1000000000000", "--to",
                 "9999999999999", path},
                r.tmp);
}

json_t *entry_of(json_t *streams, json_int_t id) {
  size_t i;
  json_t *s;
  json_array_foreach(streams, i,
                     s) if (json_integer_value(json_object_get(s, "id")) == id) return s;
  return nullptr;
}

}  // namespace

TEST(ManagerCliSound, StreamTableNamesTheStreamsAfterTheCameraAndTiesTheSoundToIt) {
  SoundRecording r;
  record_mulaw_camera(r);

  // The file itself, as FORMAT.md describes it.
  json_t *table = json_load_file((r.dir + "/streams.json").c_str(), 0, nullptr);
  ASSERT_NE(table, nullptr) << "streams.json beside the block table";
  json_t *listed = json_object_get(table, "streams");
  ASSERT_EQ(json_array_size(listed), 2u);
  json_t *video = entry_of(listed, 1), *sound = entry_of(listed, 1001);
  ASSERT_NE(video, nullptr);
  ASSERT_NE(sound, nullptr);
  EXPECT_STREQ(json_string_value(json_object_get(video, "name")), kCamera);
  EXPECT_EQ(json_object_get(video, "camera"), nullptr) << "the video is the camera's own";
  EXPECT_STREQ(json_string_value(json_object_get(sound, "name")), kCamera);
  EXPECT_EQ(json_integer_value(json_object_get(sound, "camera")), 1);
  json_decref(table);

  // `fs inspect --json`: both streams, named, the sound tied to the video, each with frames.
  json_t *root = nullptr;
  json_t *streams = inspect_streams(r, &root);
  ASSERT_EQ(json_array_size(streams), 2u);
  video = entry_of(streams, 1);
  sound = entry_of(streams, 1001);
  ASSERT_NE(video, nullptr);
  ASSERT_NE(sound, nullptr);
  EXPECT_STREQ(json_string_value(json_object_get(video, "codec")), "H264");
  EXPECT_STREQ(json_string_value(json_object_get(video, "name")), kCamera);
  EXPECT_STREQ(json_string_value(json_object_get(sound, "codec")), "MULAW");
  EXPECT_STREQ(json_string_value(json_object_get(sound, "name")), kCamera);
  EXPECT_EQ(json_integer_value(json_object_get(sound, "camera")), 1);
  EXPECT_GE(json_integer_value(json_object_get(video, "frames")), 75) << "3 s at 25 fps";
  EXPECT_GT(json_integer_value(json_object_get(sound, "frames")), 0);
  json_decref(root);

  // The text form lists each with the name, the sound as the video's.
  CliResult text = valkka({"fs", "inspect", r.dir}, r.tmp);
  ASSERT_EQ(text.status, 0) << text.err;
  int named = 0;
  for (const std::string &line : recordtest::split_lines(text.out)) {
    if (line.find("id 1 ") != std::string::npos) {
      EXPECT_NE(line.find("H264"), std::string::npos) << line;
      EXPECT_NE(line.find(std::string(", \"") + kCamera + "\""), std::string::npos) << line;
      named++;
    } else if (line.find("id 1001 ") != std::string::npos) {
      EXPECT_NE(line.find(std::string(", \"") + kCamera + "\" (of stream 1)"), std::string::npos)
          << line;
      named++;
    }
  }
  EXPECT_EQ(named, 2) << text.out;
}

TEST(ManagerCliSound, G711GoesToMkvAndMovAndIsRefusedForMp4) {
  SoundRecording r;
  record_mulaw_camera(r);
  json_t *root = nullptr;
  json_t *streams = inspect_streams(r, &root);
  const json_int_t pictures = json_integer_value(json_object_get(entry_of(streams, 1), "frames"));
  const json_int_t sounds = json_integer_value(json_object_get(entry_of(streams, 1001), "frames"));
  json_decref(root);
  ASSERT_GE(pictures, 75);
  ASSERT_GT(sounds, 0);

  for (const char *name : {"out.mkv", "out.mov"}) {
    const std::string path = r.tmp.sub(name);
    CliResult e = export_all(r, path);
    ASSERT_EQ(e.status, 0) << name << ": " << e.err;
    EXPECT_NE(e.out.find("MULAW audio frames of stream 1001"), std::string::npos) << e.out;
    EXPECT_EQ(probe_codec(path, "v"), "h264") << name;
    EXPECT_EQ(probe_codec(path, "a"), "pcm_mulaw") << name;
    EXPECT_EQ(probe_packets(path, "v").size(), size_t(pictures)) << name << ": every picture";
    EXPECT_EQ(probe_packets(path, "a").size(), size_t(sounds)) << name << ": every sound packet";
    EXPECT_EQ(decode_errors(path), "") << name;
  }

  const std::string mp4 = r.tmp.sub("out.mp4");
  CliResult e = export_all(r, mp4);
  EXPECT_EQ(e.status, 1) << e.err;
  EXPECT_EQ(recordtest::split_lines(e.err).size(), 1u) << e.err;
  EXPECT_EQ(e.err.rfind("valkka: export: ", 0), 0u) << e.err;
  for (const char *says : {"mp4", "MULAW", "stream 1001", ".mkv or .mov"})
    EXPECT_NE(e.err.find(says), std::string::npos) << says << " in: " << e.err;
  EXPECT_EQ(e.out, "");
  EXPECT_FALSE(file_exists(mp4)) << "no MP4 is left";
}
