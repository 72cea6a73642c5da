/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `${NAME}` in the config (config.h, "References"): the environment, a $CREDENTIALS_DIRECTORY
// file taking precedence over it, `$$`, and the errors, which name the variable and the field
// but never a value.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <valkka/valkka.h>

namespace {

struct ConfigFree {
  void operator()(valkka_config_t *c) const { valkka_config_free(c); }
};
using Config = std::unique_ptr<valkka_config_t, ConfigFree>;

// One camera whose url is `url` and whose option "transport" is `option`.
std::string camera_json(const std::string &url, const std::string &option = "tcp") {
  return R"({"fs": "/tmp/fs", "cameras": [{"name": "door", "url": ")" + url +
         R"(", "options": {"transport": ")" + option + R"("}}]})";
}

// Loads `text`; on success the camera's url into `*url` (and its option into `*option`).
int load(const std::string &text, std::string *url, std::string *option = nullptr) {
  valkka_config_t *raw = nullptr;
  const int status = valkka_config_load_string(text.c_str(), "cams.json", &raw);
  Config c(raw);
  if (status) return status;
  valkka_config_camera_t cam{};
  cam.struct_size = sizeof cam;
  EXPECT_EQ(valkka_config_camera(c.get(), 0, &cam), 0);
  *url = cam.url;
  if (option) *option = cam.n_options ? cam.options[0].value : "(none)";
  return 0;
}

// A $CREDENTIALS_DIRECTORY of its own for each test, gone with it.
class ConfigSubst : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/valkka-cred-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    unsetenv("CREDENTIALS_DIRECTORY");
    unsetenv("VALKKA_TEST_PW");
  }
  void TearDown() override {
    unsetenv("CREDENTIALS_DIRECTORY");
    unsetenv("VALKKA_TEST_PW");
    std::system(("rm -rf " + dir_).c_str());
  }
  void credential(const std::string &name, const std::string &text) {
    FILE *f = std::fopen((dir_ + "/" + name).c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(text.c_str(), f);
    std::fclose(f);
    setenv("CREDENTIALS_DIRECTORY", dir_.c_str(), 1);
  }
  std::string dir_;
};

TEST_F(ConfigSubst, ReplacesAVariableFromTheEnvironment) {
  setenv("VALKKA_TEST_PW", "s3cr:t", 1);
  std::string url, option;
  ASSERT_EQ(load(camera_json("rtsp://u:${VALKKA_TEST_PW}@127.0.0.1/x", "${VALKKA_TEST_PW}"), &url,
                 &option),
            0)
      << valkka_last_error();
  EXPECT_EQ(url, "rtsp://u:s3cr:t@127.0.0.1/x");
  EXPECT_EQ(option, "s3cr:t");
}

TEST_F(ConfigSubst, ACredentialFileComesBeforeTheEnvironment) {
  setenv("VALKKA_TEST_PW", "from-env", 1);
  credential("VALKKA_TEST_PW", "from-file\n");
  std::string url;
  ASSERT_EQ(load(camera_json("rtsp://u:${VALKKA_TEST_PW}@127.0.0.1/x"), &url), 0)
      << valkka_last_error();
  EXPECT_EQ(url, "rtsp://u:from-file@127.0.0.1/x");  // its trailing newline dropped
  // A directory without that file: the environment again.
  std::remove((dir_ + "/VALKKA_TEST_PW").c_str());
  ASSERT_EQ(load(camera_json("rtsp://u:${VALKKA_TEST_PW}@127.0.0.1/x"), &url), 0);
  EXPECT_EQ(url, "rtsp://u:from-env@127.0.0.1/x");
}

TEST_F(ConfigSubst, DoubleDollarIsOneAndALoneDollarStays) {
  setenv("VALKKA_TEST_PW", "pw", 1);
  std::string url;
  ASSERT_EQ(load(camera_json("rtsp://u:a$$${VALKKA_TEST_PW}$${x}b$c@127.0.0.1/x"), &url), 0)
      << valkka_last_error();
  EXPECT_EQ(url, "rtsp://u:a$pw${x}b$c@127.0.0.1/x");
}

TEST_F(ConfigSubst, AnUndefinedVariableIsNamedWithItsField) {
  setenv("VALKKA_TEST_PW", "never-shown", 1);
  std::string url;
  EXPECT_EQ(load(camera_json("rtsp://u:${VALKKA_TEST_PW}@127.0.0.1/x", "${VALKKA_NO_SUCH}"), &url),
            VALKKA_EINVAL);
  const std::string error = valkka_last_error();
  EXPECT_NE(error.find("config cams.json: cameras[0].options.transport: ${VALKKA_NO_SUCH} is "
                       "not defined: no environment variable VALKKA_NO_SUCH"),
            std::string::npos)
      << error;
  EXPECT_EQ(error.find("never-shown"), std::string::npos) << error;
  credential("OTHER", "x");
  EXPECT_EQ(load(camera_json("${VALKKA_NO_SUCH}"), &url), VALKKA_EINVAL);
  EXPECT_NE(std::string(valkka_last_error()).find("no file of that name in $CREDENTIALS_DIRECTORY"),
            std::string::npos)
      << valkka_last_error();
}

TEST_F(ConfigSubst, RefusesANameWithBadCharactersWithoutQuotingIt) {
  std::string url;
  for (const char *bad : {"rtsp://u:${PASS WORD}@h/x", "rtsp://u:${pa-ss}@h/x", "${1X}", "${}",
                          "rtsp://u:${UNCLOSED@h/x"}) {
    EXPECT_EQ(load(camera_json(bad), &url), VALKKA_EINVAL) << bad;
    const std::string error = valkka_last_error();
    EXPECT_NE(error.find("config cams.json: cameras[0].url: \"${\" must start a variable name"),
              std::string::npos)
        << error;
    EXPECT_EQ(error.find("PASS"), std::string::npos) << error;
    EXPECT_EQ(error.find("pa-ss"), std::string::npos) << error;
  }
}

}  // namespace
