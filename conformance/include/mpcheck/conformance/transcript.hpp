#pragma once
// A record of each request/response pair on the wire, for conformance reports. Secrets are
// replaced with "<redacted>" before an entry leaves the client.
#include <functional>
#include <string>
#include <string_view>

#include "mpcheck/conformance/http_fields.hpp"
#include "mpcheck/reports/redact.hpp"

namespace mpcheck::conformance {

inline constexpr std::string_view kRedacted = reports::kRedacted;

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

// reports::redact field by field, with its one list of secret names: a secret header's value
// is replaced (an Authorization scheme word is kept: "Bearer <redacted>"), other values
// (Location with signed storage URLs) get reports::redact.
HeaderFields redact_headers(const HeaderFields& fields);
// reports::redact on (possibly truncated) JSON or other body text.
std::string redact_body(std::string_view body);
// reports::redact on a URL: credential-like query values and a userinfo password.
std::string redact_url(std::string_view url);

}  // namespace mpcheck::conformance
