#pragma once
// A record of each request/response pair on the wire, for conformance reports. Secrets are
// replaced with "<redacted>" before an entry leaves the client.
#include <functional>
#include <string>
#include <string_view>

#include "mpcheck/conformance/http_fields.hpp"

namespace mpcheck::conformance {

inline constexpr std::string_view kRedacted = "<redacted>";

struct TranscriptEntry {
  std::string method;
  std::string url;  // signature/token-like query parameters redacted
  HeaderFields request_headers;
  long status = 0;  // 0 when no response arrived
  HeaderFields response_headers;
  std::string body_excerpt;  // first limits::kTranscriptExcerptBytes of the response body
  bool body_truncated = false;
  std::string transport_error;  // set when the exchange failed below HTTP
};

// Called once per exchange, including authentication round trips, retries and redirects.
using TranscriptHook = std::function<void(const TranscriptEntry&)>;

// Replaces values of Authorization, Proxy-Authorization, Cookie and Set-Cookie (keeping an
// auth scheme word), and applies redact_url to Location and Content-Location.
HeaderFields redact_headers(const HeaderFields& fields);
// Replaces the values of JSON string members whose name is a secret ("token",
// "access_token", "refresh_token", "password", "secret", "identitytoken"), in possibly
// truncated JSON text.
std::string redact_body(std::string_view body);
// Replaces query values whose parameter name looks like a credential (signature, token,
// password, credential, secret; case-insensitive) and any userinfo.
std::string redact_url(std::string_view url);

}  // namespace mpcheck::conformance
