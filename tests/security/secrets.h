/* SPDX-License-Identifier: LGPL-2.1-or-later */
// Camera credentials for the leak checks, and where to look for them: a password is searched
// as typed, percent-encoded as it sits in a URL, and as the base64 of "user:password" that basic
// authentication sends, in texts and in every file under a directory.
#pragma once

#include <string>
#include <vector>

namespace security {

struct Credential {
  std::string user, password;
  // "user:password" as it goes into a URL, before the '@' (percent-encoded).
  std::string userinfo() const;
  // The forms a leak may take.
  std::vector<std::string> forms() const;
};

// A password no output would hold by chance: `stem` plus this process's id.
std::string unique_password(const std::string &stem);

std::string percent_encode(const std::string &text);
std::string base64(const std::string &bytes);

// "" when no form of any credential is in `text`, else which one and where (`what`).
std::string find_leak(const std::vector<Credential> &creds, const std::string &text,
                      const std::string &what);

// The same for every regular file under `dir` (recursively), read whole.
std::string find_leak_in_tree(const std::vector<Credential> &creds, const std::string &dir);

}  // namespace security
