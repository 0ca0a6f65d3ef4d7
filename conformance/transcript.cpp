// Transcript redaction is the report redaction (reports/redact.hpp), applied field by field:
// one list of secret header and key names for the whole program.
#include "mpcheck/conformance/transcript.hpp"

#include <cctype>

#include "mpcheck/reports/redact.hpp"

namespace mpcheck::conformance {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

HeaderFields redact_headers(const HeaderFields& fields) {
  HeaderFields out;
  out.reserve(fields.size());
  for (const auto& [name, value] : fields) {
    if (!reports::is_secret_header(name)) {
      // Location values are signed storage URLs; other values may carry key=value secrets.
      out.emplace_back(name, reports::redact(value));
      continue;
    }
    // Keep an auth scheme word ("Bearer <redacted>"): it tells which flow ran.
    std::string shown(kRedacted);
    std::size_t sp = value.find(' ');
    if (lower(name).ends_with("authorization") && sp != std::string::npos && sp < 16)
      shown = value.substr(0, sp) + " " + std::string(kRedacted);
    out.emplace_back(name, shown);
  }
  return out;
}

std::string redact_body(std::string_view body) {
  return reports::redact(body);
}

std::string redact_url(std::string_view url) {
  return reports::redact(url);
}

}  // namespace mpcheck::conformance
