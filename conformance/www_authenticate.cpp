#include "mpcheck/conformance/www_authenticate.hpp"

#include <cctype>

#include "mpcheck/conformance/http_fields.hpp"

namespace mpcheck::conformance {
namespace {

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool is_token68_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~+/").find(c) != std::string_view::npos;
}
std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A cursor over the header value; each method consumes only on success.
struct Cursor {
  std::string_view text;
  std::size_t pos = 0;

  bool done() const { return pos >= text.size(); }
  char peek() const { return done() ? '\0' : text[pos]; }
  void skip_ws() {
    while (!done() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  }
  std::string_view token() {
    std::size_t start = pos;
    while (!done() && is_tchar(text[pos])) ++pos;
    return text.substr(start, pos - start);
  }
  // quoted-string with backslash escapes; nothing if unterminated.
  std::optional<std::string> quoted() {
    if (peek() != '"') return std::nullopt;
    std::string out;
    for (std::size_t i = pos + 1; i < text.size(); ++i) {
      if (text[i] == '\\') {
        if (++i >= text.size()) return std::nullopt;
        out += text[i];
      } else if (text[i] == '"') {
        pos = i + 1;
        return out;
      } else {
        out += text[i];
      }
    }
    return std::nullopt;
  }
};

// After "name" has been read: is this "name=value" (true) or the start of something else?
bool at_param_equals(Cursor c) {
  c.skip_ws();
  if (c.peek() != '=') return false;
  ++c.pos;
  c.skip_ws();
  // "abc==" or "abc=" at the end/before a comma is token68 padding, not an auth-param.
  return !c.done() && c.peek() != '=' && c.peek() != ',';
}

}  // namespace

std::optional<std::string> AuthChallenge::param(std::string_view name) const {
  for (const auto& [key, value] : params)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

bool AuthChallenge::is(std::string_view scheme_name) const {
  return iequals(scheme, scheme_name);
}

std::optional<std::vector<AuthChallenge>> parse_www_authenticate(std::string_view value) {
  std::vector<AuthChallenge> challenges;
  Cursor c{value};
  while (true) {
    while (!c.done() && (c.peek() == ',' || c.peek() == ' ' || c.peek() == '\t')) ++c.pos;
    if (c.done()) break;
    std::string_view scheme = c.token();
    if (scheme.empty()) return std::nullopt;
    AuthChallenge challenge{std::string(scheme), {}};
    c.skip_ws();
    // Either token68, or a comma-separated auth-param list, or nothing.
    std::size_t before = c.pos;
    std::string_view first = c.token();
    if (!first.empty() && !at_param_equals(c)) {
      c.pos = before;
      while (!c.done() && is_token68_char(c.peek())) ++c.pos;
      while (c.peek() == '=') ++c.pos;
      c.skip_ws();
      if (!c.done() && c.peek() != ',') return std::nullopt;
    } else {
      c.pos = before;
      while (true) {
        c.skip_ws();
        std::size_t item_start = c.pos;
        std::string_view name = c.token();
        if (name.empty() || !at_param_equals(c)) {
          c.pos = item_start;  // next challenge (or end)
          break;
        }
        c.skip_ws();
        ++c.pos;  // '='
        c.skip_ws();
        std::string param_value;
        if (c.peek() == '"') {
          auto q = c.quoted();
          if (!q) return std::nullopt;
          param_value = std::move(*q);
        } else {
          param_value = std::string(c.token());
          if (param_value.empty()) return std::nullopt;
        }
        challenge.params.emplace_back(lower(name), std::move(param_value));
        c.skip_ws();
        if (c.done()) break;
        if (c.peek() != ',') return std::nullopt;
        while (c.peek() == ',' || c.peek() == ' ' || c.peek() == '\t') ++c.pos;
      }
    }
    challenges.push_back(std::move(challenge));
  }
  if (challenges.empty()) return std::nullopt;
  return challenges;
}

}  // namespace mpcheck::conformance
