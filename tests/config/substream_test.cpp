/* SPDX-License-Identifier: LGPL-2.1-or-later */
// valkka_config_load: a camera's "substream", "sub_id" and "record" as README.md's "The config
// file" states them: the defaults, the id clashes, the bad values named by field, and a caller
// built before ABI 1.4 (a struct without the new fields) still served.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <valkka/valkka.h>

namespace {

struct ConfigFree {
  void operator()(valkka_config_t *c) const { valkka_config_free(c); }
};
using Config = std::unique_ptr<valkka_config_t, ConfigFree>;

Config load(const std::string &cameras) {
  valkka_config_t *c = nullptr;
  const std::string text = R"({"fs": "x", "cameras": [)" + cameras + "]}";
  valkka_config_load_string(text.c_str(), "cams.json", &c);
  return Config(c);
}

// Every camera of `c`, as a caller of ABI 1.4 reads them.
std::vector<valkka_config_camera_t> cameras_of(const Config &c) {
  std::vector<valkka_config_camera_t> out(valkka_config_camera_count(c.get()));
  for (size_t i = 0; i < out.size(); i++) {
    out[i].struct_size = sizeof out[i];
    EXPECT_EQ(valkka_config_camera(c.get(), i, &out[i]), 0) << valkka_last_error();
  }
  return out;
}

constexpr uint32_t kBoth = VALKKA_CONFIG_RECORD_MAIN | VALKKA_CONFIG_RECORD_SUB;

TEST(ConfigSubstream, DefaultsRecordBothUnderId2000PlusTheMain) {
  Config c = load(R"({"name": "door", "url": "rtsp://a/main", "substream": "rtsp://a/sub"},
                     {"url": "synthetic://2"},
                     {"url": "b", "id": 7, "substream": "c", "sub_id": 70, "record": "sub"},
                     {"url": "d", "substream": "e", "record": "main"})");
  ASSERT_TRUE(c) << valkka_last_error();
  const std::vector<valkka_config_camera_t> cams = cameras_of(c);
  ASSERT_EQ(cams.size(), 4u);
  const valkka_config_camera_t &door = cams[0], &plain = cams[1];
  EXPECT_STREQ(door.substream, "rtsp://a/sub");
  EXPECT_EQ(door.sub_id, 2001u);
  EXPECT_EQ(door.record, kBoth);
  EXPECT_EQ(plain.substream, nullptr);
  EXPECT_EQ(plain.sub_id, 0u);
  EXPECT_EQ(plain.record, VALKKA_CONFIG_RECORD_MAIN);
  EXPECT_EQ(cams[2].sub_id, 70u);
  EXPECT_EQ(cams[2].record, VALKKA_CONFIG_RECORD_SUB);
  EXPECT_EQ(cams[3].record, VALKKA_CONFIG_RECORD_MAIN);
  EXPECT_EQ(valkka_config_warning_count(c.get()), 0u) << valkka_config_warning(c.get(), 0);
}

TEST(ConfigSubstream, BadValuesNameTheField) {
  const struct {
    const char *cameras, *error;
  } cases[] = {
      {R"({"url": "a", "substream": "b", "record": "all"})",
       "config cams.json: cameras[0].record: expected \"main\", \"sub\" or \"both\""},
      {R"({"url": "a", "substream": "b", "record": 2})",
       "config cams.json: cameras[0].record: expected \"main\", \"sub\" or \"both\""},
      {R"({"url": "a", "record": "sub"})",
       "config cams.json: cameras[0].record: \"sub\" records the substream, and \"substream\" is "
       "missing"},
      {R"({"url": "a", "substream": ""})",
       "config cams.json: cameras[0].substream: expected a non-empty string (the camera's second "
       "URL)"},
      {R"({"url": "a", "sub_id": 5})",
       "config cams.json: cameras[0].sub_id: given, and \"substream\" is missing"},
      {R"({"url": "a", "substream": "b", "sub_id": 1})",
       "config cams.json: cameras[0]: \"sub_id\" 1 is one of its other streams' ids"},
      {R"({"url": "a", "substream": "b", "sub_id": 2}, {"url": "c"})",
       "config cams.json: cameras[0]: substream id 2 is already used by cameras[1] in FS x (give "
       "it another \"sub_id\")"},
      {R"({"url": "a"}, {"url": "c", "substream": "d", "sub_id": 1001})",
       "config cams.json: cameras[1]: substream id 1001 is already used by cameras[0] in FS x "
       "(give it another \"sub_id\")"},
      {R"({"url": "a", "substream": "b"}, {"url": "c", "substream": "d", "sub_id": 2001})",
       "config cams.json: cameras[1]: substream id 2001 is already used by cameras[0] in FS x "
       "(give it another \"sub_id\")"},
      {R"({"url": "a", "substream": "b", "id": 4294967000, "audio": false})",
       "config cams.json: cameras[0]: stream id 4294967000 leaves no default \"sub_id\" (2000 + "
       "id is past 4294967295): give one"},
      {R"({"url": "a", "substream": "b",
           "name": "a-name-of-sixty-bytes-is-fine-alone-but-not-with-its-sub-xyz"})",
       "config cams.json: cameras[0].substream: the name is too long for its substream's "
       "\"NAME/sub\" (59 bytes at most with a substream)"},
  };
  for (const auto &t : cases) {
    SCOPED_TRACE(t.cameras);
    EXPECT_FALSE(load(t.cameras));
    EXPECT_EQ(std::string(valkka_last_error()), t.error);
  }
}

TEST(ConfigSubstream, ACallerBuiltBeforeAbi14GetsTheOldFieldsOnly) {
  Config c = load(R"({"url": "a", "substream": "b"})");
  ASSERT_TRUE(c) << valkka_last_error();
  valkka_config_camera_t cam{};
  const char canary = 0x5a;
  memset(&cam, canary, sizeof cam);
  cam.struct_size = offsetof(valkka_config_camera_t, substream);
  ASSERT_EQ(valkka_config_camera(c.get(), 0, &cam), 0) << valkka_last_error();
  EXPECT_EQ(cam.struct_size, offsetof(valkka_config_camera_t, substream));
  EXPECT_EQ(cam.stream_id, 1u);
  EXPECT_FALSE(VALKKA_HAS_FIELD(&cam, valkka_config_camera_t, substream));
  const auto *tail = reinterpret_cast<const char *>(&cam.substream);
  for (size_t i = 0; i < sizeof cam - offsetof(valkka_config_camera_t, substream); i++)
    ASSERT_EQ(tail[i], canary) << "byte " << i << " past the old struct was written";
  cam.struct_size = offsetof(valkka_config_camera_t, n_options);
  EXPECT_EQ(valkka_config_camera(c.get(), 0, &cam), VALKKA_EINVAL);
}

}  // namespace
