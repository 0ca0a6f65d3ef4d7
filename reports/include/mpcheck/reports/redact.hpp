#pragma once
// Masking credentials in text that goes into a report: HTTP transcripts, case details and
// configuration values. Every writer applies it; callers may apply it earlier too (it is
// idempotent).
#include <string>
#include <string_view>

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
// Names match case-insensitively and as whole words (`mytoken=` is left alone).
std::string redact(std::string_view text);

}  // namespace mpcheck::reports
