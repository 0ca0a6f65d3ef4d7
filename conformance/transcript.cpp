#include "mpcheck/conformance/transcript.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace mpcheck::conformance {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool is_secret_header(std::string_view name) {
  std::string n = lower(name);
  return n == "authorization" || n == "proxy-authorization" || n == "cookie" || n == "set-cookie";
}

bool is_secret_json_key(std::string_view key) {
  static constexpr std::array<std::string_view, 7> kKeys = {
      "token", "access_token", "refresh_token", "password", "secret", "identitytoken", "auth"};
  std::string k = lower(key);
  return std::find(kKeys.begin(), kKeys.end(), k) != kKeys.end();
}

bool is_secret_query_name(std::string_view name) {
  static constexpr std::array<std::string_view, 5> kParts = {"sig", "token", "password",
                                                             "credential", "secret"};
  std::string n = lower(name);
  return std::any_of(kParts.begin(), kParts.end(),
                     [&](std::string_view part) { return n.find(part) != std::string::npos; });
}

// End of the JSON string starting at text[open] == '"' (index past the closing quote), or
// npos when the text ends inside it.
std::size_t json_string_end(std::string_view text, std::size_t open) {
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::size_t skip_ws(std::string_view text, std::size_t i) {
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}

}  // namespace

HeaderFields redact_headers(const HeaderFields& fields) {
  HeaderFields out;
  out.reserve(fields.size());
  for (const auto& [name, value] : fields) {
    std::string n = lower(name);
    if (n == "location" || n == "content-location") {  // signed storage URLs
      out.emplace_back(name, redact_url(value));
      continue;
    }
    if (!is_secret_header(name)) {
      out.emplace_back(name, value);
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
  std::string out;
  out.reserve(body.size());
  std::size_t i = 0;
  while (i < body.size()) {
    if (body[i] != '"') {
      out += body[i++];
      continue;
    }
    std::size_t key_end = json_string_end(body, i);
    if (key_end == std::string_view::npos) {
      out.append(body.substr(i));
      break;
    }
    std::string_view key = body.substr(i + 1, key_end - i - 2);
    out.append(body.substr(i, key_end - i));
    i = key_end;
    if (!is_secret_json_key(key)) continue;
    std::size_t colon = skip_ws(body, i);
    if (colon >= body.size() || body[colon] != ':') continue;
    std::size_t value = skip_ws(body, colon + 1);
    if (value >= body.size()) {
      break;  // truncated right before the value: nothing secret left to copy
    }
    if (body[value] != '"') continue;
    out.append(body.substr(i, value - i));
    out += '"';
    out += kRedacted;
    out += '"';
    std::size_t value_end = json_string_end(body, value);
    if (value_end == std::string_view::npos) break;  // truncated inside the secret
    i = value_end;
  }
  return out;
}

std::string redact_url(std::string_view url) {
  std::string out;
  // userinfo: scheme://user:pass@host
  std::size_t scheme_end = url.find("://");
  std::size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?#", authority);
  std::size_t at = url.substr(0, authority_end).find('@', authority);
  if (scheme_end != std::string_view::npos && at != std::string_view::npos) {
    out.append(url.substr(0, authority));
    out += kRedacted;
    url.remove_prefix(at);
  }
  std::size_t q = url.find('?');
  if (q == std::string_view::npos) return out.append(url);
  out.append(url.substr(0, q + 1));
  std::string_view query = url.substr(q + 1);
  std::string_view fragment;
  if (std::size_t hash = query.find('#'); hash != std::string_view::npos) {
    fragment = query.substr(hash);
    query = query.substr(0, hash);
  }
  bool first = true;
  while (true) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && is_secret_query_name(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out += kRedacted;
    } else {
      out.append(pair);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out.append(fragment);
}

}  // namespace mpcheck::conformance
