/* SPDX-License-Identifier: LGPL-2.1-or-later */
// `valkka probe` on the test server: codec, size and rate of H.264 and H.265 streams; one line
// and a failure status for a refused port; credentials never printed.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "media_support.h"
#include "rtsp_test_util.h"

namespace {

struct ProbeRun {
  int status;
  std::string out, err;
};

ProbeRun probe(const std::string &args) {
  const char *bin = getenv("VALKKA_TEST_BIN_DIR");
  media_test::TempDir dir;
  std::string err_path = dir.path() + "/stderr";
  ProbeRun r;
  int status = media_test::run(
      std::string(bin ? bin : ".") + "/valkka probe " + args + " 2>'" + err_path + "'", &r.out);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream f(err_path);
  std::stringstream ss;
  ss << f.rdbuf();
  r.err = ss.str();
  return r;
}

class RtspProbe : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = rtsp_test::start_server().release(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(server_, nullptr); }
  static RtspServerProcess *server_;
};

RtspServerProcess *RtspProbe::server_ = nullptr;

TEST_F(RtspProbe, H264) {
  ProbeRun r = probe(server_->url("/h264"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("H264"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("640x360"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fps:        25\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(RtspProbe, H265OverUdp) {
  ProbeRun r = probe(server_->url("/h265") + " transport=udp");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("H265"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("640x360"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fps:        25\n"), std::string::npos) << r.out;
}

TEST_F(RtspProbe, RefusedPortFailsWithOneLine) {
  std::string url = "rtsp://127.0.0.1:" + std::to_string(rtsp_test::refused_port()) + "/h264";
  ProbeRun r = probe(url);
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.out, "");
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line:\n" << r.err;
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
}

TEST_F(RtspProbe, CredentialsAreNeverPrinted) {
  std::string port = std::to_string(server_->port());
  ProbeRun ok = probe("rtsp://viewer:secret@127.0.0.1:" + port + "/h264");
  EXPECT_EQ(ok.status, 0) << ok.err;
  ProbeRun missing = probe("rtsp://viewer:secret@127.0.0.1:" + port + "/missing");
  EXPECT_NE(missing.status, 0);
  EXPECT_NE(missing.err.find("rtsp://***@127.0.0.1:" + port + "/missing"), std::string::npos)
      << missing.err;
  for (const ProbeRun *r : {&ok, &missing}) {
    EXPECT_EQ(r->out.find("secret"), std::string::npos) << r->out;
    EXPECT_EQ(r->err.find("secret"), std::string::npos) << r->err;
  }
}

// A server that refuses RTP over TCP (461 Unsupported transport, as VLC's does): the default
// transport falls back to UDP and says so once; transport=tcp fails naming what the server said.
TEST(RtspProbeUdpOnly, DefaultFallsBackToUdpAndTcpNamesTheRefusal) {
  std::unique_ptr<RtspServerProcess> server = rtsp_test::start_server({"--udp-only"});
  ASSERT_NE(server, nullptr);
  ProbeRun r = probe(server->url("/h264"));
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("640x360"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("server refused TCP transport (461 Unsupported transport): using UDP"),
            std::string::npos)
      << r.err;
  ProbeRun udp = probe(server->url("/h264") + " transport=udp");
  EXPECT_EQ(udp.status, 0) << udp.err;
  EXPECT_EQ(udp.err, "");
  ProbeRun tcp = probe(server->url("/h264") + " transport=tcp");
  EXPECT_NE(tcp.status, 0);
  EXPECT_EQ(tcp.out, "");
  EXPECT_NE(tcp.err.find("server refused TCP transport (461 Unsupported transport): try "
                         "transport=udp"),
            std::string::npos)
      << tcp.err;
  EXPECT_EQ(tcp.err.find("Protocol not supported"), std::string::npos) << tcp.err;
  ProbeRun bad = probe(server->url("/h264") + " transport=sctp");
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find("expected auto, tcp or udp"), std::string::npos) << bad.err;
}

TEST_F(RtspProbe, OtherSources) {
  ProbeRun r = probe("synthetic://3 width=320 height=180");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("320x180"), std::string::npos) << r.out;
  ProbeRun bad = probe("/nonexistent/file.mp4");
  EXPECT_NE(bad.status, 0);
  EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << bad.err;
}

}  // namespace
