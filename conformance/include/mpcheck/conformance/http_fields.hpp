#pragma once
// HTTP header fields as the client sees them, and parsers for the ones the spec relies on.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpcheck::conformance {

// ASCII case-insensitive equality, as HTTP field names, auth schemes and parameters compare.
bool iequals(std::string_view a, std::string_view b);

// Fields in wire order; names keep their case, lookups ignore it.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

// First value of `name`, if any.
std::optional<std::string> header_value(const HeaderFields& fields, std::string_view name);
// All values of `name`, in order.
std::vector<std::string> header_values(const HeaderFields& fields, std::string_view name);

// Target of the first `rel="next"` link in RFC 8288 Link values, e.g.
// `</v2/r/tags/list?n=2&last=b>; rel="next"`. Relation types are matched case-insensitively.
std::optional<std::string> parse_link_next(std::string_view link_value);

// Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date, relative to `now`.
// Past dates give zero, delays beyond 2^31 s are capped there; garbage gives nothing.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

// Upload-progress `Range: 0-<end>` (no "bytes=" in the distribution spec; tolerated):
// returns the number of bytes received, end + 1.
std::optional<std::uint64_t> parse_upload_range(std::string_view value);

}  // namespace mpcheck::conformance
