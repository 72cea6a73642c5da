/* SPDX-License-Identifier: LGPL-2.1-or-later */
// storage-http over TLS: a server whose certificate a CA of the site's own signed (made here with
// openssl) is refused until that CA is given with ca_file, then reads as the local FS does.
#include <cstdlib>

#include "faulty_server.h"
#include "http_fs_fixture.h"

using namespace httptest;

namespace {

// A CA and a certificate for 127.0.0.1 it signed, under `dir`; false when openssl failed.
bool make_ca(const std::string &dir) {
  FILE *f = fopen((dir + "/san.ext").c_str(), "w");
  if (!f) return false;
  fputs("subjectAltName=IP:127.0.0.1\n", f);
  fclose(f);
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string cmd =
      "cd '" + dir + "' && openssl req -x509" + key +
      " -keyout ca.key -out ca.pem -days 2 -subj /CN=valkka-test-ca && openssl req" + key +
      " -keyout server.key -out server.csr -subj /CN=127.0.0.1 && openssl x509 -req -in "
      "server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile "
      "san.ext";
  return system((cmd + " >/dev/null 2>&1").c_str()) == 0;
}

TEST_F(HttpStorage, TlsNeedsTheSitesCa) {
  TempDir pki;
  ASSERT_TRUE(make_ca(pki.path())) << "openssl could not make the test CA";
  FaultyServer server(tmp_->path(), pki.sub("server.pem"), pki.sub("server.key"));
  const std::string url = server.url("/fs");
  ASSERT_EQ(url.rfind("https://", 0), 0u);
  int err = 0;
  EXPECT_EQ(open_url(url, &err), nullptr);
  EXPECT_EQ(err, VALKKA_EIO);
  EXPECT_NE(std::string(valkka_last_error())
                .find(url +
                      "/valkkafs.json: TLS: certificate not trusted (give its CA with ca_file)"),
            std::string::npos)
      << valkka_last_error();
  const std::string ca = pki.sub("ca.pem");
  valkka_fs_t *fs = open_url(url, &err, {{"ca_file", ca.c_str()}});
  ASSERT_NE(fs, nullptr) << valkka_last_error();
  expect_same_as_local(fs);
  valkka_fs_close(fs);
}

}  // namespace
