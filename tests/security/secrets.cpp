/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "secrets.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace security {

std::string Credential::userinfo() const {
  return percent_encode(user) + ":" + percent_encode(password);
}

std::vector<std::string> Credential::forms() const {
  std::vector<std::string> out = {password, base64(user + ":" + password)};
  if (percent_encode(password) != password) out.push_back(percent_encode(password));
  return out;
}

std::string unique_password(const std::string &stem) { return stem + std::to_string(getpid()); }

std::string percent_encode(const std::string &text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += char(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string base64(const std::string &bytes) {
  static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    unsigned v = unsigned((unsigned char)bytes[i]) << 16 |
                 unsigned((unsigned char)bytes[i + 1]) << 8 | (unsigned char)bytes[i + 2];
    for (int k = 18; k >= 0; k -= 6) out += table[(v >> k) & 63];
  }
  if (i < bytes.size()) {
    unsigned v = unsigned((unsigned char)bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= unsigned((unsigned char)bytes[i + 1]) << 8;
    out += table[(v >> 18) & 63];
    out += table[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string find_leak(const std::vector<Credential> &creds, const std::string &text,
                      const std::string &what) {
  for (const Credential &c : creds)
    for (const std::string &form : c.forms()) {
      size_t at = text.find(form);
      if (at == std::string::npos) continue;
      size_t from = at < 60 ? 0 : at - 60;
      return what + " holds '" + form + "' (" + c.user + "'s password): ..." +
             text.substr(from, form.size() + 120) + "...";
    }
  return "";
}

namespace {
void walk(const std::string &dir, std::vector<std::string> *files) {
  DIR *d = opendir(dir.c_str());
  if (!d) return;
  while (dirent *e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = dir + "/" + name;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) walk(path, files);
    if (S_ISREG(st.st_mode)) files->push_back(path);
  }
  closedir(d);
}
}  // namespace

std::string find_leak_in_tree(const std::vector<Credential> &creds, const std::string &dir) {
  std::vector<std::string> files;
  walk(dir, &files);
  if (files.empty()) return "no files under " + dir;
  for (const std::string &path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string leak = find_leak(creds, ss.str(), path);
    if (!leak.empty()) return leak;
  }
  return "";
}

}  // namespace security
