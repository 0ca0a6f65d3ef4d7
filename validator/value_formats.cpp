#include "mpcheck/validator/value_formats.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <string>
#include <unordered_set>
#include <vector>

std::string_view mpcheck_embedded_refdata(std::string_view file_name);

namespace mpcheck {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Reference data read from Debian packages at build time (iso-codes, node-spdx-*).
struct RefData {
  std::unordered_set<std::string> iso639_1;
  std::unordered_set<std::string> spdx_licenses;    // lowercased
  std::unordered_set<std::string> spdx_exceptions;  // lowercased
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void add_string_array(std::string_view json, std::unordered_set<std::string>& into) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (!d.IsArray()) return;
  for (const auto& v : d.GetArray())
    if (v.IsString()) into.insert(lower(v.GetString()));
}

const RefData& refdata() {
  static RefData data;
  static std::once_flag once;
  std::call_once(once, [] {
    std::string_view iso = mpcheck_embedded_refdata("iso639-1.txt");  // "aa\nab\n..."
    for (std::size_t i = 0; i + 2 <= iso.size(); i += 3) data.iso639_1.emplace(iso.substr(i, 2));
    add_string_array(mpcheck_embedded_refdata("spdx-license-ids.json"), data.spdx_licenses);
    add_string_array(mpcheck_embedded_refdata("spdx-license-ids-deprecated.json"),
                     data.spdx_licenses);
    add_string_array(mpcheck_embedded_refdata("spdx-exceptions.json"), data.spdx_exceptions);
  });
  return data;
}

constexpr std::array<std::string_view, 18> kPrecisions = {
    "float32",  "float64",   "float16",    "bfloat16", "float8_e4m3", "float8_e5m2",
    "complex32", "complex64", "complex128", "int8",     "int16",       "int32",
    "int64",    "uint8",     "uint16",     "uint32",   "uint64",      "bool"};

// Common spellings that are not the spec's names, with the name to use instead.
constexpr std::pair<std::string_view, std::string_view> kPrecisionAliases[] = {
    {"fp16", "float16"},   {"fp32", "float32"},   {"fp64", "float64"}, {"bf16", "bfloat16"},
    {"half", "float16"},   {"float", "float32"},  {"double", "float64"},
    {"fp8", "float8_e4m3"}, {"f16", "float16"},   {"f32", "float32"}};

// --- SPDX license expressions (SPDX 2.3 Annex D) -------------------------------------------

struct SpdxParser {
  std::vector<std::string> tokens;
  std::size_t pos = 0;
  std::string error;
  static constexpr int kMaxDepth = 64;  // nested parentheses accepted

  static bool is_idstring(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
    });
  }
  bool at(std::string_view t) const { return pos < tokens.size() && tokens[pos] == t; }
  bool fail(std::string msg) {
    if (error.empty()) error = std::move(msg);
    return false;
  }

  bool simple() {
    if (pos >= tokens.size()) return fail("ends where a license identifier was expected");
    std::string tok = tokens[pos++];
    if (tok == "AND" || tok == "OR" || tok == "WITH" || tok == "(" || tok == ")")
      return fail("has " + quoted(tok) + " where a license identifier was expected");
    std::string_view id = tok;
    if (id.starts_with("DocumentRef-")) {
      auto colon = id.find(':');
      if (colon == std::string_view::npos || !is_idstring(id.substr(12, colon - 12)))
        return fail(quoted(tok) + " is not DocumentRef-<id>:LicenseRef-<id>");
      id = id.substr(colon + 1);
      if (!id.starts_with("LicenseRef-"))
        return fail(quoted(tok) + " is not DocumentRef-<id>:LicenseRef-<id>");
    }
    if (id.starts_with("LicenseRef-")) {
      if (!is_idstring(id.substr(11))) return fail(quoted(tok) + " is not LicenseRef-<idstring>");
      return true;
    }
    if (id.ends_with("+")) id.remove_suffix(1);
    if (!refdata().spdx_licenses.contains(lower(id)))
      return fail(quoted(std::string(id)) +
                  " is not an SPDX license identifier (see https://spdx.org/licenses/; use "
                  "LicenseRef-<name> for others)");
    if (at("WITH")) {
      ++pos;
      if (pos >= tokens.size()) return fail("ends after WITH; an exception identifier is expected");
      const std::string& ex = tokens[pos++];
      if (!refdata().spdx_exceptions.contains(lower(ex)))
        return fail(quoted(ex) + " is not an SPDX license exception identifier");
    }
    return true;
  }
  bool primary(int depth) {
    if (at("(")) {
      if (depth >= kMaxDepth) return fail("nests parentheses too deeply");
      ++pos;
      if (!expression(depth + 1)) return false;
      if (!at(")")) return fail("has an unclosed parenthesis");
      ++pos;
      return true;
    }
    return simple();
  }
  bool conjunction(int depth) {
    if (!primary(depth)) return false;
    while (at("AND")) {
      ++pos;
      if (!primary(depth)) return false;
    }
    return true;
  }
  bool expression(int depth) {
    if (!conjunction(depth)) return false;
    while (at("OR")) {
      ++pos;
      if (!conjunction(depth)) return false;
    }
    return true;
  }
};

bool valid_date(int y, int m, int d) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int max = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  return d <= max;
}

int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!is_digit(s[i])) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

FormatCheck check_param_size(std::string_view v) {
  constexpr std::string_view kHelp = " (expected <count><scale-prefix>, e.g. \"6.7B\", \"100m\")";
  if (v.empty()) return std::unexpected("paramSize is empty" + std::string(kHelp));
  std::size_t i = 0;
  while (i < v.size() && is_digit(v[i])) ++i;
  if (i == 0) return std::unexpected("paramSize " + quoted(v) + " does not start with a number" +
                                     std::string(kHelp));
  if (i < v.size() && v[i] == '.') {
    std::size_t frac = ++i;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i - frac == 0)
      return std::unexpected("paramSize " + quoted(v) + " has no digit after the decimal point" +
                             std::string(kHelp));
    if (i - frac > 1)
      return std::unexpected("paramSize " + quoted(v) + " has " + std::to_string(i - frac) +
                             " decimal digits; the spec allows at most one (e.g. \"6.7B\")");
  }
  if (i == v.size())
    return std::unexpected("paramSize " + quoted(v) +
                           " has no scale prefix; expected one of Q, T, B, M, K (either case)");
  if (std::string_view("QqTtBbMmKk").find(v[i]) == std::string_view::npos)
    return std::unexpected("paramSize " + quoted(v) + " has scale prefix " +
                           quoted(v.substr(i, 1)) + "; expected one of Q, T, B, M, K (either case)");
  if (i + 1 != v.size())
    return std::unexpected("paramSize " + quoted(v) + " has " + quoted(v.substr(i + 1)) +
                           " after the scale prefix" + std::string(kHelp));
  return {};
}

FormatCheck check_precision(std::string_view v) {
  if (v.empty()) return std::unexpected("precision is empty");
  std::size_t start = 0;
  while (true) {
    auto comma = v.find(',', start);
    std::string_view part = v.substr(start, comma == std::string_view::npos ? v.npos : comma - start);
    if (std::find(kPrecisions.begin(), kPrecisions.end(), part) == kPrecisions.end()) {
      std::string msg = "precision " + quoted(v) + " lists " + quoted(part) +
                        ", which is not in the spec's precision table";
      std::string trimmed(part);
      trimmed.erase(0, trimmed.find_first_not_of(' '));
      trimmed.erase(trimmed.find_last_not_of(' ') + 1);
      if (trimmed != part && std::find(kPrecisions.begin(), kPrecisions.end(), trimmed) !=
                                 kPrecisions.end())
        msg = "precision " + quoted(v) + " has spaces around " + quoted(trimmed) +
              "; separate values with a bare comma (e.g. \"float16,float8_e4m3\")";
      else
        for (auto [alias, name] : kPrecisionAliases)
          if (lower(trimmed) == alias) msg += "; did you mean " + quoted(name) + "?";
      return std::unexpected(msg);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return {};
}

FormatCheck check_rfc3339_date_time(std::string_view v) {
  const std::string bad = quoted(v) + " is not an RFC 3339 date-time";
  const std::string example = " (e.g. \"2025-01-01T00:00:00Z\")";
  int y = digits(v, 0, 4), mo = digits(v, 5, 2), d = digits(v, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || v[4] != '-' || v[7] != '-')
    return std::unexpected(bad + ": the date is not YYYY-MM-DD" + example);
  if (!valid_date(y, mo, d))
    return std::unexpected(bad + ": " + std::string(v.substr(0, 10)) + " is not a calendar date");
  if (v.size() == 10) return std::unexpected(bad + ": it has a date but no time" + example);
  if (v[10] != 'T' && v[10] != 't')
    return std::unexpected(bad + ": date and time must be separated by 'T'" + example);
  int h = digits(v, 11, 2), mi = digits(v, 14, 2), s = digits(v, 17, 2);
  if (h < 0 || mi < 0 || s < 0 || v[13] != ':' || v[16] != ':')
    return std::unexpected(bad + ": the time is not hh:mm:ss" + example);
  if (h > 23 || mi > 59 || s > 60)
    return std::unexpected(bad + ": " + std::string(v.substr(11, 8)) + " is not a time of day");
  std::size_t i = 19;
  if (i < v.size() && v[i] == '.') {
    std::size_t frac = ++i;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i == frac) return std::unexpected(bad + ": no digits after the decimal point");
  }
  if (i == v.size())
    return std::unexpected(bad + ": it has no time zone offset (add 'Z' or +hh:mm)");
  if (v[i] == 'Z' || v[i] == 'z') {
    if (i + 1 == v.size()) return {};
    return std::unexpected(bad + ": unexpected text after the time zone");
  }
  if (v[i] != '+' && v[i] != '-')
    return std::unexpected(bad + ": the time zone offset must be 'Z' or +hh:mm/-hh:mm");
  int oh = digits(v, i + 1, 2), om = digits(v, i + 4, 2);
  if (oh < 0 || om < 0 || v.size() != i + 6 || v[i + 3] != ':' || oh > 23 || om > 59)
    return std::unexpected(bad + ": the time zone offset must be +hh:mm or -hh:mm");
  return {};
}

FormatCheck check_url(std::string_view v) {
  const std::string bad = quoted(v) + " does not look like a URL";
  std::size_t i = 0;
  while (i < v.size() && (std::isalnum(static_cast<unsigned char>(v[i])) || v[i] == '+' ||
                          v[i] == '-' || v[i] == '.'))
    ++i;
  if (i == 0 || !std::isalpha(static_cast<unsigned char>(v[0])) || v.substr(i, 3) != "://")
    return std::unexpected(bad + " (expected scheme://host/..., e.g. \"https://example.com/model\")");
  std::string_view rest = v.substr(i + 3);
  std::string_view host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty()) return std::unexpected(bad + " (it has no host)");
  for (unsigned char c : v)
    if (c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\')
      return std::unexpected(bad + " (it contains spaces or characters URLs cannot hold)");
  return {};
}

FormatCheck check_spdx_expression(std::string_view v) {
  SpdxParser p;
  std::string cur;
  for (char c : v) {
    if (c == '(' || c == ')' || c == ' ' || c == '\t') {
      if (!cur.empty()) p.tokens.push_back(std::move(cur));
      cur.clear();
      if (c == '(' || c == ')') p.tokens.emplace_back(1, c);
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) p.tokens.push_back(std::move(cur));
  if (p.tokens.empty()) return std::unexpected("license expression is empty");
  for (const auto& t : p.tokens)
    if (t == "and" || t == "or" || t == "with")
      return std::unexpected("license " + quoted(v) + " uses " + quoted(t) +
                             "; SPDX operators are upper case (AND, OR, WITH)");
  if (!p.expression(0) || p.pos != p.tokens.size()) {
    if (p.error.empty()) p.error = "has " + quoted(p.tokens[p.pos]) + " where an operator was expected";
    return std::unexpected("license " + quoted(v) + " is not a valid SPDX license expression: " +
                           p.error);
  }
  return {};
}

bool is_iso639_1_code(std::string_view code) {
  return refdata().iso639_1.contains(std::string(code));
}

}  // namespace mpcheck
