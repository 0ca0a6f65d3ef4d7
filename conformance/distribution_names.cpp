// Hand-written matchers for the distribution-spec name grammars: linear, no std::regex
// recursion on long input.
#include "mpcheck/conformance/distribution_names.hpp"

namespace mpcheck::conformance {
namespace {

bool lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool alnum(char c) {
  return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

// Shown in messages: bounded, control characters replaced, so a hostile name stays one line.
std::string shown(std::string_view s) {
  constexpr std::size_t kShown = 80;
  std::string out = "\"";
  for (char c : s.substr(0, kShown))
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out + (s.size() > kShown ? "...\"" : "\"");
}

// [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*
bool path_component(std::string_view c) {
  std::size_t i = 0;
  auto run = [&] {
    std::size_t start = i;
    while (i < c.size() && lower_alnum(c[i])) ++i;
    return i > start;
  };
  if (!run()) return false;
  while (i < c.size()) {
    if (c[i] == '.') {
      ++i;
    } else if (c[i] == '_') {
      ++i;
      if (i < c.size() && c[i] == '_') ++i;
    } else if (c[i] == '-') {
      while (i < c.size() && c[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run()) return false;
  }
  return true;
}

}  // namespace

std::expected<void, std::string> check_repository_name(std::string_view name) {
  auto bad = [&](std::string why) {
    return std::unexpected("repository name " + shown(name) + " " + why +
                           "; the distribution spec allows lowercase path components like "
                           "\"library/model-1.0\"");
  };
  if (name.empty()) return bad("is empty");
  std::size_t pos = 0;
  while (true) {
    std::size_t slash = name.find('/', pos);
    std::string_view component = name.substr(pos, slash - pos);
    if (component == "." || component == "..")
      return bad("has a \"" + std::string(component) + "\" path segment");
    if (component.empty()) return bad("has an empty path component");
    if (!path_component(component))
      return bad("has the component " + shown(component) +
                 ", which is not lowercase letters and digits separated by '.', '_', '__' or "
                 "'-'");
    if (slash == std::string_view::npos) return {};
    pos = slash + 1;
  }
}

std::expected<void, std::string> check_tag(std::string_view tag) {
  auto ok_rest = [](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; };
  if (tag.empty() || tag.size() > 128 || !(alnum(tag[0]) || tag[0] == '_'))
    return std::unexpected("tag " + shown(tag) +
                           " does not match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  for (char c : tag.substr(1))
    if (!ok_rest(c))
      return std::unexpected("tag " + shown(tag) +
                             " does not match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  return {};
}

std::expected<void, std::string> check_digest(std::string_view digest) {
  auto bad = [&](std::string why) {
    return std::unexpected("digest " + shown(digest) + " " + why);
  };
  std::size_t colon = digest.find(':');
  if (colon == std::string_view::npos) return bad("has no ':' between algorithm and encoded value");
  std::string_view algorithm = digest.substr(0, colon), encoded = digest.substr(colon + 1);
  // algorithm-component (separator algorithm-component)*, components [a-z0-9]+, separators [+._-]
  bool component = false;
  for (char c : algorithm) {
    if (lower_alnum(c)) {
      component = true;
    } else if ((c == '+' || c == '.' || c == '_' || c == '-') && component) {
      component = false;
    } else {
      return bad("has a malformed algorithm (expected lowercase words joined by + . _ -)");
    }
  }
  if (!component)
    return bad("has a malformed algorithm (expected lowercase words joined by + . _ -)");
  if (encoded.empty()) return bad("has an empty encoded value");
  for (char c : encoded)
    if (!(alnum(c) || c == '=' || c == '_' || c == '-'))
      return bad("has a character outside [a-zA-Z0-9=_-] in its encoded value");
  auto lower_hex = [&](std::size_t length) {
    if (encoded.size() != length) return false;
    for (char c : encoded)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    return true;
  };
  if (algorithm == "sha256" && !lower_hex(64)) return bad("is not 64 lowercase hex digits");
  if (algorithm == "sha512" && !lower_hex(128)) return bad("is not 128 lowercase hex digits");
  return {};
}

std::expected<void, std::string> check_reference(std::string_view reference) {
  if (reference.find(':') != std::string_view::npos) return check_digest(reference);
  return check_tag(reference);
}

}  // namespace mpcheck::conformance
