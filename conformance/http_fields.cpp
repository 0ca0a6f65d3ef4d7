#include "mpcheck/conformance/http_fields.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace mpcheck::conformance {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_u64(std::string_view s) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// Does a rel value (possibly quoted, space-separated relation types) contain "next"?
bool rel_has_next(std::string_view value) {
  value = trim(value);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  while (!value.empty()) {
    std::size_t sp = value.find(' ');
    if (iequals(value.substr(0, sp), "next")) return true;
    if (sp == std::string_view::npos) break;
    value.remove_prefix(sp + 1);
  }
  return false;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i])))
      return false;
  return true;
}

std::optional<std::string> header_value(const HeaderFields& fields, std::string_view name) {
  for (const auto& [key, value] : fields)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

std::vector<std::string> header_values(const HeaderFields& fields, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [key, value] : fields)
    if (iequals(key, name)) out.push_back(value);
  return out;
}

std::optional<std::string> parse_link_next(std::string_view value) {
  std::size_t pos = 0;
  while (pos < value.size()) {
    std::size_t open = value.find('<', pos);
    if (open == std::string_view::npos) return std::nullopt;
    std::size_t close = value.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    std::string_view target = value.substr(open + 1, close - open - 1);
    // link-params run to the next comma outside a quoted string.
    std::size_t i = close + 1;
    bool quoted = false, next = false;
    std::size_t param_start = i;
    auto check_param = [&](std::size_t end) {
      std::string_view param = trim(value.substr(param_start, end - param_start));
      std::size_t eq = param.find('=');
      if (eq != std::string_view::npos && iequals(trim(param.substr(0, eq)), "rel") &&
          rel_has_next(param.substr(eq + 1)))
        next = true;
    };
    for (; i < value.size(); ++i) {
      char c = value[i];
      if (c == '"') quoted = !quoted;
      if (quoted) continue;
      if (c == ';') {
        check_param(i);
        param_start = i + 1;
      } else if (c == ',') {
        break;
      }
    }
    check_param(i);
    if (next) return std::string(target);
    pos = i + 1;
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  value = trim(value);
  if (value.empty()) return std::nullopt;
  constexpr std::uint64_t kHuge = 1ull << 31;  // beyond any sane cap; avoids overflow
  if (std::isdigit(static_cast<unsigned char>(value.front()))) {
    if (!std::all_of(value.begin(), value.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return std::nullopt;
    auto seconds = parse_u64(value);  // nothing only on overflow here
    return std::chrono::seconds(static_cast<long long>(std::min(seconds.value_or(kHuge), kHuge)));
  }
  std::string date(value);
  time_t when = curl_getdate(date.c_str(), nullptr);
  if (when == -1) return std::nullopt;
  // In seconds: the clock counts nanoseconds, which overflow for dates past 2262 (found by
  // fuzz_http_fields). `when` is whole seconds, so flooring `now` rounds the delay up.
  const long long now_s = std::chrono::floor<std::chrono::seconds>(now).time_since_epoch().count();
  if (when <= now_s) return std::chrono::seconds::zero();
  const auto delta = static_cast<std::uint64_t>(when) - static_cast<std::uint64_t>(now_s);
  return std::chrono::seconds(static_cast<long long>(std::min(delta, kHuge)));
}

std::optional<std::uint64_t> parse_upload_range(std::string_view value) {
  value = trim(value);
  if (value.starts_with("bytes=")) value.remove_prefix(6);
  std::size_t dash = value.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto first = parse_u64(value.substr(0, dash));
  auto last = parse_u64(value.substr(dash + 1));
  if (!first || !last || *first != 0 || *last == UINT64_MAX) return std::nullopt;
  return *last + 1;
}

}  // namespace mpcheck::conformance
