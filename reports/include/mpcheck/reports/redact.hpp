#pragma once
// Masking credentials in text that goes into a report: HTTP transcripts, case details and
// configuration values. Every writer applies it; callers may apply it earlier too (it is
// idempotent).
#include <string>
#include <string_view>

namespace mpcheck::reports {

inline constexpr std::string_view kRedacted = "<redacted>";

// Replaces with kRedacted:
//  - the value of Authorization, Proxy-Authorization, Cookie and Set-Cookie header lines;
//  - the credential after a `Bearer ` or `Basic ` scheme word (challenge parameters such as
//    `Bearer realm="..."` are kept);
//  - the value of password, passwd, secret, client_secret, token, access_token, refresh_token,
//    id_token, identitytoken, registrytoken and auth in `key=value` (query strings, forms) and in
//    JSON members `"key": "value"` (authorization headers too);
//  - the password of `scheme://user:password@host` URLs.
// Key names match case-insensitively.
std::string redact(std::string_view text);

}  // namespace mpcheck::reports
