#pragma once
// Masking credentials in text that goes into a report: HTTP transcripts, case details and
// configuration values. Every writer applies it; callers may apply it earlier too (it is
// idempotent).
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace mpcheck::reports {

inline constexpr std::string_view kRedacted = "<redacted>";

// Replaces with kRedacted:
//  - the value of Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Auth-Token,
//    X-Registry-Auth, Private-Token, X-Api-Key and X-Amz-Security-Token header lines;
//  - the credential after a `Bearer ` or `Basic ` scheme word (challenge parameters such as
//    `Bearer realm="..."` are kept);
//  - the value of password, passwd, secret, client_secret, token, access_token, refresh_token,
//    id_token, identitytoken, registrytoken, auth, api_key, apikey and of pre-signed URL
//    signatures (sig, signature, X-Amz-Signature, X-Amz-Credential, X-Amz-Security-Token,
//    X-Goog-Signature, X-Goog-Credential) in `key=value` (query strings, forms) and in JSON
//    members `"key": "value"` (authorization headers too);
//  - the password of `scheme://user:password@host` URLs.
// Names match case-insensitively and as whole words (`mytoken=` is left alone); JSON member
// names match after their escapes are decoded (`"tok\u0065n"` is `"token"`).
std::string redact(std::string_view text);

// The one list behind redact(), for code that redacts structured fields (header lists).
bool is_secret_header(std::string_view name);
bool is_secret_key(std::string_view name);

// Secrets known by value (a password, a token a registry issued, an Authorization value) are
// removed verbatim wherever they appear, then redact() applies. Values are registered as the
// client learns them, so a secret whose key was disguised is removed all the same.
// Thread-safe: the clients of one run share one Redactor.
class Redactor {
 public:
  // Empty values are ignored. `lasting` secrets (a password) stay for the whole run; others
  // (issued tokens) are dropped oldest first beyond kMaxSecrets.
  void add_secret(std::string_view value, bool lasting = false);
  std::string redact(std::string_view text) const;

  static constexpr std::size_t kMaxSecrets = 1024;

 private:
  struct Secret {
    std::string value;
    bool lasting = false;
    std::uint64_t added = 0;
  };
  mutable std::mutex mutex_;
  std::vector<Secret> secrets_;  // longest first
  std::uint64_t added_ = 0;
  bool first_bytes_[256] = {};  // first bytes of the secrets: most positions match none
};

}  // namespace mpcheck::reports
