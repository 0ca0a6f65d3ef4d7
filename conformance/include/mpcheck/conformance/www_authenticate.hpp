#pragma once
// WWW-Authenticate challenges (RFC 9110 11.6.1) as registries send them, e.g.
// `Bearer realm="https://auth.example/token",service="registry",scope="repository:a:pull"`.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpcheck::conformance {

struct AuthChallenge {
  std::string scheme;  // as sent, e.g. "Bearer"; compare case-insensitively
  // auth-params in order; names lower-cased, quoted-string values unescaped.
  std::vector<std::pair<std::string, std::string>> params;

  std::optional<std::string> param(std::string_view name) const;
  bool is(std::string_view scheme_name) const;  // case-insensitive scheme test
};

// Parses one header value, which may carry several challenges separated by commas.
// Returns nothing when the value does not follow the grammar (token68 forms are accepted
// and dropped).
std::optional<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view value);

}  // namespace mpcheck::conformance
