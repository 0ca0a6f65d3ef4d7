#include "mpcheck/reports/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <utility>

namespace mpcheck::reports {
namespace {

constexpr std::string_view kSecretHeaders[] = {
    "authorization",   "proxy-authorization", "cookie",    "set-cookie",          "x-auth-token",
    "x-registry-auth", "private-token",       "x-api-key", "x-amz-security-token"};
// Also covers the signatures of pre-signed blob URLs (S3, GCS, Azure SAS) that registries
// redirect to: they are credentials until they expire.
constexpr std::string_view kSecretKeys[] = {"password",
                                            "passwd",
                                            "secret",
                                            "client_secret",
                                            "token",
                                            "access_token",
                                            "refresh_token",
                                            "id_token",
                                            "identitytoken",
                                            "registrytoken",
                                            "auth",
                                            "authorization",
                                            "proxy-authorization",
                                            "api_key",
                                            "apikey",
                                            "sig",
                                            "signature",
                                            "x-amz-signature",
                                            "x-amz-credential",
                                            "x-amz-security-token",
                                            "x-goog-signature",
                                            "x-goog-credential"};
// Auth parameters of a challenge (`Bearer realm="..."`) that are not credentials.
constexpr std::array<std::string_view, 5> kChallengeParams = {"realm", "charset", "service",
                                                              "scope", "error"};

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// A JSON string starting at text[open] == '"': its decoded value and the index past its
// closing quote (text.size() when it is cut off). Escapes outside ASCII decode to '?', which
// no secret key contains.
std::pair<std::string, std::size_t> json_string(std::string_view text, std::size_t open) {
  std::string value;
  std::size_t i = open + 1;
  while (i < text.size() && text[i] != '"') {
    if (text[i] != '\\') {
      value += text[i++];
      continue;
    }
    if (i + 1 >= text.size()) return {value, text.size()};
    char e = text[i + 1];
    i += 2;
    switch (e) {
      case 'n':
        value += '\n';
        break;
      case 't':
        value += '\t';
        break;
      case 'r':
        value += '\r';
        break;
      case 'b':
        value += '\b';
        break;
      case 'f':
        value += '\f';
        break;
      case 'u': {
        unsigned code = 0;
        std::size_t k = 0;
        for (; k < 4 && i + k < text.size(); ++k) {
          char h = lower(text[i + k]);
          if (h >= '0' && h <= '9')
            code = code * 16 + static_cast<unsigned>(h - '0');
          else if (h >= 'a' && h <= 'f')
            code = code * 16 + static_cast<unsigned>(h - 'a' + 10);
          else
            break;
        }
        i += k;
        value += code < 0x80 && k == 4 ? static_cast<char>(code) : '?';
        break;
      }
      default:
        value += e;  // \" \\ \/
    }
  }
  return {value, std::min(i + 1, text.size())};
}

}  // namespace

bool is_secret_header(std::string_view name) {
  return std::any_of(std::begin(kSecretHeaders), std::end(kSecretHeaders),
                     [&](std::string_view h) { return iequals(h, name); });
}

bool is_secret_key(std::string_view key) {
  return std::any_of(std::begin(kSecretKeys), std::end(kSecretKeys),
                     [&](std::string_view k) { return iequals(k, key); });
}

namespace {

bool is_token68_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
         c == '~' || c == '+' || c == '/';
}

// `Name: value` header lines whose value is a credential.
std::string redact_header_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::size_t end = eol == std::string_view::npos ? text.size() : eol;
    std::string_view line = text.substr(pos, end - pos);
    std::size_t start = line.find_first_not_of(" \t");
    std::size_t colon = line.find(':');
    bool secret = false;
    if (start != std::string_view::npos && colon != std::string_view::npos && colon > start) {
      secret = is_secret_header(line.substr(start, colon - start));
    }
    if (secret) {
      out.append(line.substr(0, colon + 1));
      out += ' ';
      out += kRedacted;
      if (!line.empty() && line.back() == '\r') out += '\r';
    } else {
      out.append(line);
    }
    if (eol != std::string_view::npos) out += '\n';
    pos = end + 1;
  }
  return out;
}

// `Bearer TOKEN` and `Basic TOKEN` anywhere in the text.
std::string redact_schemes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t word = 0;
    bool boundary = i == 0 || !is_key_char(text[i - 1]);
    if (boundary) {
      for (std::string_view scheme : {std::string_view("bearer"), std::string_view("basic")})
        if (i + scheme.size() < text.size() && iequals(text.substr(i, scheme.size()), scheme) &&
            (text[i + scheme.size()] == ' ' || text[i + scheme.size()] == '\t'))
          word = scheme.size();
    }
    if (word == 0) {
      out += text[i++];
      continue;
    }
    std::size_t t = i + word;
    while (t < text.size() && (text[t] == ' ' || text[t] == '\t')) ++t;
    std::size_t tok_end = t;
    while (tok_end < text.size() && is_token68_char(text[tok_end])) ++tok_end;
    std::size_t eq_end = tok_end;
    while (eq_end < text.size() && text[eq_end] == '=') ++eq_end;
    std::string_view name = text.substr(t, tok_end - t);
    bool challenge =
        eq_end > tok_end && std::any_of(kChallengeParams.begin(), kChallengeParams.end(),
                                        [&](std::string_view p) { return iequals(p, name); });
    out.append(text.substr(i, t - i));
    if (tok_end > t && !challenge) {
      out += kRedacted;
      i = eq_end;
    } else {
      i = t;
    }
  }
  return out;
}

// `key=value` (query strings, forms) and `"key": "value"` (JSON).
std::string redact_key_values(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // A JSON member name written with escapes is compared decoded.
    if (text[i] == '"') {
      std::size_t close = text.find('"', i + 1);
      std::string_view raw =
          text.substr(i + 1, close == std::string_view::npos ? close : close - i - 1);
      if (raw.find('\\') != std::string_view::npos) {
        auto [name, end] = json_string(text, i);
        std::size_t k = end;
        while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
        if (is_secret_key(name) && k < text.size() && text[k] == ':') {
          ++k;
          while (k < text.size() &&
                 (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
            ++k;
          if (k < text.size() && text[k] == '"') {
            // Like the unescaped path: the closing quote stays, a cut-off value is masked.
            std::size_t value_end = json_string(text, k).second;
            bool closed = value_end > k + 1 && text[value_end - 1] == '"';
            out.append(text.substr(i, k + 1 - i));
            out += kRedacted;
            i = closed ? value_end - 1 : value_end;
            continue;
          }
        }
      }
      // Not a secret member: the quote is ordinary text, and what follows is scanned as usual.
    }
    bool boundary = i == 0 || !is_key_char(text[i - 1]);
    if (!boundary || !is_key_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t key_end = i;
    while (key_end < text.size() && is_key_char(text[key_end])) ++key_end;
    std::string_view key = text.substr(i, key_end - i);
    out.append(key);
    std::size_t j = key_end;
    if (!is_secret_key(key) || j >= text.size()) {
      i = j;
      continue;
    }
    if (text[j] == '=') {  // key=value up to a separator
      std::size_t v = j + 1;
      std::size_t v_end = v;
      while (v_end < text.size() &&
             std::string_view("&#;,\"' \t\r\n").find(text[v_end]) == std::string_view::npos)
        ++v_end;
      out += '=';
      if (v_end > v && text.substr(v, v_end - v) != kRedacted)
        out += kRedacted;
      else
        out.append(text.substr(v, v_end - v));
      i = v_end;
      continue;
    }
    // JSON member: the key is quoted, then optional spaces, a colon and a string value.
    if (i == 0 || text[i - 1] != '"' || text[j] != '"') {
      i = j;
      continue;
    }
    std::size_t k = j + 1;
    while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
    if (k >= text.size() || text[k] != ':') {
      i = j;
      continue;
    }
    ++k;
    while (k < text.size() &&
           (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
      ++k;
    if (k >= text.size() || text[k] != '"') {
      i = j;
      continue;
    }
    std::size_t v = k + 1, v_end = v;
    while (v_end < text.size() && text[v_end] != '"') v_end += text[v_end] == '\\' ? 2 : 1;
    v_end = std::min(v_end, text.size());  // a truncated excerpt: mask to the end
    out.append(text.substr(j, v - j));
    out += kRedacted;
    i = v_end;
  }
  return out;
}

// scheme://user:password@host
std::string redact_userinfo(std::string_view text) {
  std::string out(text);
  std::size_t pos = 0;
  while ((pos = out.find("://", pos)) != std::string::npos) {
    std::size_t start = pos + 3;
    std::size_t end = out.find_first_of("/?# \t\r\n\"'<>", start);
    if (end == std::string::npos) end = out.size();
    std::size_t at = std::string_view(out).substr(start, end - start).rfind('@');
    if (at != std::string_view::npos) {
      at += start;
      std::size_t colon = out.find(':', start);
      if (colon != std::string::npos && colon < at &&
          std::string_view(out).substr(colon + 1, at - colon - 1) != kRedacted)
        out.replace(colon + 1, at - colon - 1, kRedacted);
    }
    pos = start;
  }
  return out;
}

}  // namespace

std::string redact(std::string_view text) {
  return redact_userinfo(redact_key_values(redact_schemes(redact_header_lines(text))));
}

void Redactor::add_secret(std::string_view value, bool lasting) {
  if (value.empty()) return;
  std::lock_guard lock(mutex_);
  auto same = std::find_if(secrets_.begin(), secrets_.end(),
                           [&](const Secret& s) { return s.value == value; });
  if (same != secrets_.end()) {
    same->lasting = same->lasting || lasting;
    return;
  }
  if (secrets_.size() >= kMaxSecrets) {
    auto oldest = secrets_.end();
    for (auto it = secrets_.begin(); it != secrets_.end(); ++it)
      if (!it->lasting && (oldest == secrets_.end() || it->added < oldest->added)) oldest = it;
    if (oldest != secrets_.end()) secrets_.erase(oldest);
  }
  secrets_.push_back({std::string(value), lasting, added_++});
  // Longest first, so "Basic <credential>" goes before a shorter secret inside it.
  std::stable_sort(secrets_.begin(), secrets_.end(), [](const Secret& a, const Secret& b) {
    return a.value.size() > b.value.size();
  });
  std::fill(std::begin(first_bytes_), std::end(first_bytes_), false);
  for (const auto& s : secrets_) first_bytes_[static_cast<unsigned char>(s.value[0])] = true;
}

std::string Redactor::redact(std::string_view text) const {
  std::string out;
  {
    std::lock_guard lock(mutex_);
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
      // An earlier mask is kept whole, so applying this twice changes nothing.
      if (text.substr(i).starts_with(kRedacted)) {
        out += kRedacted;
        i += kRedacted.size();
        continue;
      }
      auto hit = secrets_.end();
      if (first_bytes_[static_cast<unsigned char>(text[i])])
        hit = std::find_if(secrets_.begin(), secrets_.end(),
                           [&](const Secret& s) { return text.substr(i).starts_with(s.value); });
      if (hit == secrets_.end()) {
        out += text[i++];
        continue;
      }
      out += kRedacted;
      i += hit->value.size();
    }
  }
  return mpcheck::reports::redact(out);
}

}  // namespace mpcheck::reports
