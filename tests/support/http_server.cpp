/* SPDX-License-Identifier: LGPL-2.1-or-later */
// lighttpd serving FS directories for a test (http_server.h).
#include "http_server.h"

#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>

#include "child_process.h"
#include "loopback.h"

namespace testsupport {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(10);
constexpr const char *kLighttpd = "/usr/sbin/lighttpd";

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out.flush());
}

// A string of lighttpd's config language: it takes \" for a quote, and a backslash as it is.
std::string quoted(const std::string &s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::string percent_encoded(const std::string &s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string e;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      e += static_cast<char>(c);
    } else {
      e += '%';
      e += kHex[c >> 4];
      e += kHex[c & 15];
    }
  }
  return e;
}

bool openssl(const std::vector<std::string> &args, std::string *err) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  const RunResult r = run(argv);
  if (r.status == 0) return true;
  *err = "openssl " + args[0] + " failed: " + r.err;
  return false;
}

}  // namespace

bool make_test_certificates(const std::string &dir, std::string *err) {
  const std::string ext = dir + "/server.ext";
  // The server's certificate names both ways a test reaches it, and says it is no CA.
  if (!write_file(ext, "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
                       "basicConstraints = CA:FALSE\n"
                       "extendedKeyUsage = serverAuth\n")) {
    *err = "cannot write " + ext;
    return false;
  }
  const std::vector<std::string> ec_key{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                        "-nodes"};
  std::vector<std::string> ca{"req",     "-x509",
                              "-days",   "2",
                              "-subj",   "/CN=valkka test CA",
                              "-addext", "basicConstraints=critical,CA:TRUE",
                              "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                              "-keyout", dir + "/ca.key",
                              "-out",    dir + "/ca.pem"};
  ca.insert(ca.begin() + 1, ec_key.begin(), ec_key.end());
  std::vector<std::string> request{
      "req", "-subj", "/CN=127.0.0.1", "-keyout", dir + "/server.key", "-out", dir + "/server.csr"};
  request.insert(request.begin() + 1, ec_key.begin(), ec_key.end());
  const std::vector<std::string> sign{"x509",
                                      "-req",
                                      "-days",
                                      "2",
                                      "-in",
                                      dir + "/server.csr",
                                      "-CA",
                                      dir + "/ca.pem",
                                      "-CAkey",
                                      dir + "/ca.key",
                                      "-CAcreateserial",
                                      "-extfile",
                                      ext,
                                      "-out",
                                      dir + "/server.pem"};
  return openssl(ca, err) && openssl(request, err) && openssl(sign, err);
}

HttpServer::HttpServer(Options options) : options_(std::move(options)) {
  const char *base = getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/valkka-http-XXXXXX";
  if (mkdtemp(pattern.data())) scratch_ = pattern;
}

HttpServer::~HttpServer() {
  stop();
  std::error_code ec;
  if (!scratch_.empty()) std::filesystem::remove_all(scratch_, ec);
}

std::string HttpServer::config() const {
  std::string modules = "\"mod_access\", \"mod_alias\", \"mod_accesslog\"";
  if (!options_.user.empty()) modules += ", \"mod_auth\", \"mod_authn_file\"";
  if (options_.tls) modules += ", \"mod_openssl\"";
  std::string c = "server.modules = ( " + modules + " )\n";
  c += "server.document-root = " + quoted(scratch_ + "/empty") + "\n";
  c += "server.bind = \"127.0.0.1\"\n";
  c += "server.port = " + std::to_string(port_) + "\n";
  c += "server.errorlog = " + quoted(scratch_ + "/error.log") + "\n";
  // Through a pipe: written to a file, lighttpd's access log is buffered for up to a second.
  c += "accesslog.filename = " + quoted("|exec /bin/cat >> '" + scratch_ + "/access.log'") + "\n";
  c += "accesslog.format = \"%s %U\"\n";
  // The recorder appends to its files and replaces status.json and streams.json by rename:
  // every request must see the file as it is now, not a stat of a second ago.
  c += "server.stat-cache-engine = \"disable\"\n";
  // Without a type of its own a file is served without ETag and Last-Modified.
  c += "mimetype.assign = ( \".json\" => \"application/json\", \"\" => "
       "\"application/octet-stream\" )\n";
  c += "static-file.etags = \"enable\"\n";
  c += "alias.url = (";
  for (const Mount &m : options_.mounts)
    c += " " + quoted(m.path + "/") + " => " + quoted(m.dir + "/") + ",";
  c += " )\n";
  c += "$HTTP[\"request-method\"] !~ \"^(GET|HEAD)$\" { url.access-deny = ( \"\" ) }\n";
  if (options_.tls) {
    c += "ssl.engine = \"enable\"\n";
    c += "ssl.pemfile = " + quoted(scratch_ + "/server.pem") + "\n";
    c += "ssl.privkey = " + quoted(scratch_ + "/server.key") + "\n";
  }
  if (!options_.user.empty()) {
    c += "auth.backend = \"plain\"\n";
    c += "auth.backend.plain.userfile = " + quoted(scratch_ + "/users") + "\n";
    c += "auth.require = ( \"\" => ( \"method\" => \"basic\", \"realm\" => \"valkka\", "
         "\"require\" => \"valid-user\" ) )\n";
  }
  return c;
}

bool HttpServer::start(std::string *err) {
  if (scratch_.empty()) {
    *err = std::string("mkdtemp: ") + std::strerror(errno);
    return false;
  }
  if (running()) {
    *err = "lighttpd already running";
    return false;
  }
  stop();  // reap one that died on its own
  if (port_ > 0) return start_once(err);
  // The free port may be taken by another process before lighttpd binds it: then another.
  for (int attempt = 0; attempt < 3; attempt++) {
    port_ = free_port();
    if (start_once(err)) return true;
    if (err->find("Address already in use") == std::string::npos) break;
  }
  port_ = 0;
  return false;
}

bool HttpServer::start_once(std::string *err) {
  std::error_code ec;
  std::filesystem::create_directories(scratch_ + "/empty", ec);
  if (options_.tls && !std::filesystem::exists(ca_file()) && !make_test_certificates(scratch_, err))
    return false;
  if (!options_.user.empty() &&
      !write_file(scratch_ + "/users", options_.user + ":" + options_.password + "\n")) {
    *err = "cannot write " + scratch_ + "/users";
    return false;
  }
  const std::string conf = scratch_ + "/lighttpd.conf";
  if (!write_file(conf, config())) {
    *err = "cannot write " + conf;
    return false;
  }
  // lighttpd says "server started" in its log once its socket listens; the log is kept across
  // runs, so only what this run added counts.
  const std::string log_path = scratch_ + "/error.log";
  const size_t log_start = read_file(log_path).size();
  pid_ = spawn({kLighttpd, "-D", "-f", conf}, scratch_ + "/lighttpd.out", err);
  if (pid_ < 0) return false;
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    const std::string text = read_file(log_path);
    const bool started = text.find("server started", log_start) != std::string::npos;
    if (started && listening(port_)) return true;
    int status = 0;
    if (reap_if_exited(pid_, &status)) {
      pid_ = -1;
      *err = std::string(kLighttpd) + " ended (" + describe_status(status) + "): " + log();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  stop();
  *err = std::string(kLighttpd) + " did not listen on port " + std::to_string(port_) +
         " within 10 s: " + log();
  return false;
}

void HttpServer::stop() {
  if (pid_ <= 0) return;
  stop_child(pid_);
  pid_ = -1;
}

bool HttpServer::running() const { return pid_ > 0 && alive(pid_); }

std::string HttpServer::url(const std::string &path, bool with_credentials) const {
  std::string u = options_.tls ? "https://" : "http://";
  if (with_credentials && !options_.user.empty())
    u += percent_encoded(options_.user) + ":" + percent_encoded(options_.password) + "@";
  u += "127.0.0.1:" + std::to_string(port_);
  if (path.empty() || path.front() != '/') u += "/";
  return u + path;
}

std::string HttpServer::ca_file() const { return options_.tls ? scratch_ + "/ca.pem" : ""; }

std::vector<std::string> HttpServer::requests() const {
  std::vector<std::string> lines;
  std::istringstream text(read_file(scratch_ + "/access.log"));
  for (std::string line; std::getline(text, line);) lines.push_back(line);
  return lines;
}

bool HttpServer::wait_for_requests(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = Clock::now() + timeout;
  while (requests().size() < n) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::string HttpServer::log() const {
  return read_file(scratch_ + "/lighttpd.out") + read_file(scratch_ + "/error.log");
}

}  // namespace testsupport
