/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka_config_load: the camera config as README.md's "The config file" states it, read through
// the public API: fields and their defaults, the stream id rules, unknown keys named, duplicate
// keys and a 65th camera refused, and every error naming the file and the field.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace {

struct ConfigFree {
  void operator()(valkka_config_t *c) const { valkka_config_free(c); }
};
using Config = std::unique_ptr<valkka_config_t, ConfigFree>;

// Loads `text` as "cams.json"; a null config (with the error in valkka_last_error) on failure.
Config load(const std::string &text, int *status = nullptr) {
  valkka_config_t *c = nullptr;
  const int s = valkka_config_load_string(text.c_str(), "cams.json", &c);
  if (status) *status = s;
  EXPECT_EQ(s == 0, c != nullptr);
  return Config(c);
}

valkka_config_camera_t camera(const Config &c, size_t i) {
  valkka_config_camera_t cam{};
  cam.struct_size = sizeof cam;
  EXPECT_EQ(valkka_config_camera(c.get(), i, &cam), 0) << valkka_last_error();
  return cam;
}

valkka_config_fs_t fs(const Config &c, size_t i) {
  valkka_config_fs_t f{};
  f.struct_size = sizeof f;
  EXPECT_EQ(valkka_config_fs(c.get(), i, &f), 0) << valkka_last_error();
  return f;
}

std::string option(const valkka_config_camera_t &cam, const std::string &key) {
  for (size_t i = 0; i < cam.n_options; i++)
    if (key == cam.options[i].key) return cam.options[i].value;
  return "(none)";
}

TEST(ConfigLoader, ReadsTheFieldsAndFillsTheDefaults) {
  Config c = load(R"({
    "fs": {"dir": "/var/lib/valkka/fs", "create": {"kind": "single", "block_size": "64K",
                                                  "blocks": 2048}},
    "cameras": [
      {"name": "door", "url": "rtsp://viewer:PASSWORD@door/live",
       "options": {"transport": "tcp", "timeout_ms": 3000, "probe": true, "ratio": 0.5}},
      {"name": "yard", "url": "synthetic://1", "id": 20, "audio": false},
      {"url": "/srv/gate.mp4", "fs": "/srv/gate-fs", "audio_id": 77}
    ]})");
  ASSERT_TRUE(c) << valkka_last_error();
  EXPECT_EQ(valkka_config_warning_count(c.get()), 0u);
  ASSERT_EQ(valkka_config_fs_count(c.get()), 2u);
  const valkka_config_fs_t top = fs(c, 0), gate = fs(c, 1);
  EXPECT_EQ(std::string(top.dir), "/var/lib/valkka/fs");
  EXPECT_EQ(std::string(top.field), "fs.dir");
  EXPECT_EQ(top.create, 1u);
  EXPECT_EQ(top.kind, uint32_t(VALKKA_FS_SINGLE));
  EXPECT_EQ(top.block_size, 65536u);
  EXPECT_EQ(top.n_blocks, 2048u);
  EXPECT_EQ(std::string(gate.field), "cameras[2].fs");
  EXPECT_EQ(gate.create, 0u);

  ASSERT_EQ(valkka_config_camera_count(c.get()), 3u);
  const valkka_config_camera_t door = camera(c, 0), yard = camera(c, 1), cam2 = camera(c, 2);
  EXPECT_EQ(std::string(door.name), "door");
  EXPECT_EQ(std::string(door.field), "cameras[0]");
  EXPECT_EQ(std::string(door.url), "rtsp://viewer:PASSWORD@door/live");
  EXPECT_EQ(door.fs, 0);
  EXPECT_EQ(door.stream_id, 1u);
  EXPECT_EQ(door.audio, 1u);
  EXPECT_EQ(door.audio_id, 1001u);
  ASSERT_EQ(door.n_options, 4u);
  EXPECT_EQ(std::string(door.options[0].key), "transport");  // file order
  EXPECT_EQ(option(door, "transport"), "tcp");
  EXPECT_EQ(option(door, "timeout_ms"), "3000");
  EXPECT_EQ(option(door, "probe"), "1");
  EXPECT_EQ(option(door, "ratio"), "0.5");
  EXPECT_EQ(yard.stream_id, 20u);
  EXPECT_EQ(yard.audio, 0u);
  EXPECT_EQ(yard.audio_id, 0u);
  EXPECT_EQ(cam2.name, nullptr);
  EXPECT_EQ(cam2.fs, 1);
  EXPECT_EQ(cam2.stream_id, 3u);
  EXPECT_EQ(cam2.audio_id, 77u);
}

TEST(ConfigLoader, NamesUnknownKeysAndKeepsGoing) {
  Config c = load(R"({"colour": "blue", "fs": {"dir": "x", "spare": 1, "create": {"blocks": 8,
    "fast": true}}, "cameras": [{"url": "synthetic://0", "zoom": 2}]})");
  ASSERT_TRUE(c) << valkka_last_error();
  std::vector<std::string> warnings;
  for (size_t i = 0; i < valkka_config_warning_count(c.get()); i++)
    warnings.push_back(valkka_config_warning(c.get(), i));
  EXPECT_EQ(warnings,
            (std::vector<std::string>{"config cams.json: colour: unknown key, ignored",
                                      "config cams.json: fs.spare: unknown key, ignored",
                                      "config cams.json: fs.create.fast: unknown key, ignored",
                                      "config cams.json: cameras[0].zoom: unknown key, ignored"}));
  EXPECT_EQ(valkka_config_warning(c.get(), 4), nullptr);
}

TEST(ConfigLoader, EachErrorNamesTheFileAndTheField) {
  const std::string cam = R"({"url": "synthetic://0"})";
  const struct {
    std::string text, error;
  } cases[] = {
      {"[1]", "top level: expected an object {\"fs\", \"cameras\"}"},
      {R"({"fs": "x"})", "cameras: missing (an array of cameras to record)"},
      {R"({"fs": "x", "cameras": []})", "cameras: expected a non-empty array of cameras"},
      {R"({"fs": "x", "cameras": [{"name": "a"}]})",
       "cameras[0].url: missing (rtsp://..., synthetic://N or a file path)"},
      {R"({"fs": "x", "cameras": [{"url": 7}]})", "cameras[0].url: expected a non-empty string"},
      {R"({"fs": {"create": {"blocks": 4}}, "cameras": [)" + cam + "]}", "fs: \"dir\" is missing"},
      {R"({"fs": {"dir": "x", "create": {}}, "cameras": [)" + cam + "]}",
       "fs.create: \"blocks\" is missing (the FS holds blocks x block_size bytes)"},
      {R"({"fs": {"dir": "x", "create": {"blocks": 4, "block_size": "1Q"}}, "cameras": [)" + cam +
           "]}",
       "fs.create.block_size: expected bytes, as a number or a string like \"1M\""},
      {R"({"fs": {"dir": "x", "create": {"blocks": 4, "kind": "many"}}, "cameras": [)" + cam + "]}",
       "fs.create.kind: expected \"multi\" or \"single\""},
      {R"({"fs": "x", "cameras": [{"url": "a", "id": 2.0}]})",
       "cameras[0].id: expected an integer from 1 to 4294967295"},
      {R"({"fs": "x", "cameras": [{"url": "a", "audio": "yes"}]})",
       "cameras[0].audio: expected true or false"},
      {R"({"fs": "x", "cameras": [{"url": "a", "name": ""}]})",
       "cameras[0].name: expected a non-empty string"},
      {R"({"fs": "x", "cameras": [{"url": "a", "options": {"k": [1]}}]})",
       "cameras[0].options.k: expected a string, number or boolean"},
      {R"({"fs": "x", "cameras": [{"url": "a", "options": {"k": null}}]})",
       "cameras[0].options.k: expected a string, number or boolean"},
  };
  for (const auto &c : cases) {
    int status = 0;
    EXPECT_FALSE(load(c.text, &status)) << c.text;
    EXPECT_EQ(status, VALKKA_EINVAL) << c.text;
    EXPECT_EQ(std::string(valkka_last_error()), "config cams.json: " + c.error) << c.text;
  }
}

TEST(ConfigLoader, RefusesDuplicateKeysAndNeverQuotesTheText) {
  int status = 0;
  EXPECT_FALSE(
      load(R"({"fs": "x", "cameras": [{"url": "rtsp://u:hunter2@h/", "url": "b"}]})", &status));
  EXPECT_EQ(status, VALKKA_EINVAL);
  const std::string error = valkka_last_error();
  EXPECT_EQ(error.rfind("config cams.json: invalid JSON at line 1, column ", 0), 0u) << error;
  EXPECT_NE(error.find("duplicate"), std::string::npos) << error;
  EXPECT_FALSE(load(R"({"fs": "x", "cameras": [{"url": "rtsp://u:hunter2@h/)", &status));
  EXPECT_EQ(std::string(valkka_last_error()).find("hunter2"), std::string::npos);
}

std::string cameras(int n) {
  std::string text = R"({"fs": "x", "cameras": [)";
  for (int i = 0; i < n; i++) text += std::string(i ? "," : "") + R"({"url": "synthetic://0"})";
  return text + "]}";
}

TEST(ConfigLoader, HoldsAtMost64Cameras) {
  Config c = load(cameras(64));
  ASSERT_TRUE(c) << valkka_last_error();
  EXPECT_EQ(valkka_config_camera_count(c.get()), uint64_t(VALKKA_CONFIG_MAX_CAMERAS));
  EXPECT_EQ(camera(c, 63).stream_id, 64u);
  EXPECT_FALSE(load(cameras(65)));
  EXPECT_EQ(std::string(valkka_last_error()), "config cams.json: cameras: 65 cameras: at most 64");
}

TEST(ConfigLoader, StreamIdsAreUniquePerFs) {
  const struct {
    std::string cams, error;
  } clashes[] = {
      {R"({"url": "a", "id": 2}, {"url": "b", "id": 2})",
       "cameras[1]: stream id 2 is already cameras[0]'s in FS x (give each camera of an FS its "
       "own \"id\")"},
      {R"({"url": "a"}, {"url": "b", "audio_id": 1001})",
       "cameras[1]: audio stream id 1001 is already cameras[0]'s in FS x (give it another "
       "\"audio_id\", or \"audio\": false)"},
      {R"({"url": "a", "audio_id": 2}, {"url": "b"})",
       "cameras[1]: stream id 2 is already cameras[0]'s audio in FS x"},
      {R"({"url": "a", "audio_id": 1})", "cameras[0]: \"audio_id\" 1 is its video's \"id\""},
      {R"({"url": "a", "id": 4294966296})",
       "cameras[0]: stream id 4294966296 leaves no default \"audio_id\" (1000 + id is past "
       "4294967295): give one, or \"audio\": false"},
  };
  for (const auto &c : clashes) {
    EXPECT_FALSE(load(R"({"fs": "x", "cameras": [)" + c.cams + "]}")) << c.cams;
    EXPECT_EQ(std::string(valkka_last_error()), "config cams.json: " + c.error);
  }
  // The same ids in two FS, the audio id of a camera without audio, the highest id.
  Config c = load(R"({"fs": "x", "cameras": [{"url": "a", "id": 2, "audio": false},
    {"url": "b", "id": 2, "fs": "y"}, {"url": "c", "id": 1002, "audio_id": 4294967295}]})");
  ASSERT_TRUE(c) << valkka_last_error();
  EXPECT_EQ(camera(c, 1).audio_id, 1002u);
  EXPECT_EQ(camera(c, 2).audio_id, 4294967295u);
}

TEST(ConfigLoader, CamerasWithoutAnyFsShareNone) {
  Config c = load(R"({"cameras": [{"url": "a"}, {"url": "b", "fs": "y"}, {"url": "c"}]})");
  ASSERT_TRUE(c) << valkka_last_error();
  EXPECT_EQ(camera(c, 0).fs, VALKKA_CONFIG_NO_FS);
  EXPECT_EQ(camera(c, 1).fs, 0);
  EXPECT_EQ(camera(c, 2).fs, VALKKA_CONFIG_NO_FS);
  EXPECT_FALSE(load(R"({"cameras": [{"url": "a"}, {"url": "c", "id": 1}]})"));
  EXPECT_NE(
      std::string(valkka_last_error()).find("cameras[1]: stream id 1 is already cameras[0]'s"),
      std::string::npos)
      << valkka_last_error();
}

// Two spellings of an existing directory are one FS; the first "create" given is kept.
TEST(ConfigLoader, OneFsPerDirectory) {
  char tmpl[] = "/tmp/valkka-config-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const std::string dir = tmpl;
  Config c = load(R"({"fs": {"dir": ")" + dir + R"(", "create": {"blocks": 4}}, "cameras": [
    {"url": "a"}, {"url": "b", "fs": {"dir": ")" +
                  dir + R"(/.", "create": {"blocks": 9}}},
    {"url": "c", "fs": "new"}, {"url": "d", "fs": {"dir": "new", "create": {"blocks": 6}}}]})");
  rmdir(tmpl);
  ASSERT_TRUE(c) << valkka_last_error();
  ASSERT_EQ(valkka_config_fs_count(c.get()), 2u);
  EXPECT_EQ(fs(c, 0).n_blocks, 4u);
  EXPECT_EQ(camera(c, 1).fs, 0);
  EXPECT_EQ(std::string(fs(c, 1).field), "cameras[2].fs");
  EXPECT_EQ(fs(c, 1).create, 1u);
  EXPECT_EQ(fs(c, 1).n_blocks, 6u);
  EXPECT_EQ(camera(c, 3).fs, 1);
}

// A kiosk's config may list whole recorders (FS directories or URLs, as its --fs): each an FS of
// field "recorders[i]", with or without cameras; a URL takes no "create".
TEST(ConfigLoader, RecordersAreFsOfTheirOwnField) {
  Config c = load(R"({"recorders": ["/srv/north", "https://v:pw@rec-2.example/fs0"]})");
  ASSERT_TRUE(c) << valkka_last_error();
  ASSERT_EQ(valkka_config_fs_count(c.get()), 2u);
  EXPECT_EQ(valkka_config_camera_count(c.get()), 0u);
  EXPECT_EQ(std::string(fs(c, 0).field), "recorders[0]");
  EXPECT_EQ(std::string(fs(c, 1).field), "recorders[1]");
  EXPECT_EQ(std::string(fs(c, 1).dir), "https://v:pw@rec-2.example/fs0");
  c = load(R"({"recorders": ["/srv/north"], "cameras": [{"url": "a", "fs": "/srv/south"}]})");
  ASSERT_TRUE(c) << valkka_last_error();
  EXPECT_EQ(valkka_config_fs_count(c.get()), 2u);
  EXPECT_EQ(valkka_config_warning_count(c.get()), 0u);
  int status = 0;
  const struct {
    const char *json, *field;
  } bad[] = {
      {R"({"recorders": "/srv/north"})", "recorders: expected an array"},
      {R"({"recorders": ["/srv/north", 4]})", "recorders[1]: expected an FS directory or URL"},
      {R"({"recorders": []})", "cameras: missing"},
      {R"({"cameras": [{"url": "a", "fs": {"dir": "https://v:pw@h/fs0", "create": {"blocks": 4}}}]})",
       "cameras[0].fs.create: an FS over HTTP is read-only"},
  };
  for (const auto &b : bad) {
    EXPECT_FALSE(load(b.json, &status)) << b.json;
    EXPECT_NE(std::string(valkka_last_error()).find(b.field), std::string::npos)
        << valkka_last_error();
    EXPECT_EQ(std::string(valkka_last_error()).find(":pw@"), std::string::npos);
  }
}

TEST(ConfigLoader, LoadsAFileAndNamesAMissingOne) {
  char path[] = "/tmp/valkka-config-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  const std::string text = cameras(2);
  ASSERT_EQ(write(fd, text.data(), text.size()), ssize_t(text.size()));
  close(fd);
  valkka_config_t *c = nullptr;
  EXPECT_EQ(valkka_config_load(path, &c), 0) << valkka_last_error();
  EXPECT_EQ(valkka_config_camera_count(c), 2u);
  valkka_config_free(c);
  unlink(path);
  c = reinterpret_cast<valkka_config_t *>(1);
  EXPECT_EQ(valkka_config_load(path, &c), VALKKA_ENOENT);
  EXPECT_EQ(c, nullptr);
  EXPECT_EQ(std::string(valkka_last_error()),
            "config " + std::string(path) + ": No such file or directory");
  valkka_config_free(nullptr);
}

TEST(ConfigLoader, AccessorsCheckTheirArguments) {
  Config c = load(cameras(1));
  ASSERT_TRUE(c);
  valkka_config_camera_t cam{};
  cam.struct_size = sizeof cam;
  EXPECT_EQ(valkka_config_camera(c.get(), 1, &cam), VALKKA_ERANGE);
  cam.struct_size = 8;
  EXPECT_EQ(valkka_config_camera(c.get(), 0, &cam), VALKKA_EINVAL);
  valkka_config_fs_t f{};
  f.struct_size = sizeof f;
  EXPECT_EQ(valkka_config_fs(c.get(), 1, &f), VALKKA_ERANGE);
  EXPECT_EQ(valkka_config_fs(nullptr, 0, &f), VALKKA_EINVAL);
  EXPECT_EQ(valkka_config_load_string(nullptr, "n", nullptr), VALKKA_EINVAL);
}

}  // namespace
