#include "mpcheck/validator/digest.hpp"

#include <algorithm>

namespace mpcheck {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_encoded_char(char c) {
  return is_lower_alnum(c) || (c >= 'A' && c <= 'Z') || c == '=' || c == '_' || c == '-';
}
bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::expected<Digest, std::string> parse_digest(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos)
    return std::unexpected("has no ':' between algorithm and encoded part (e.g. \"sha256:<64 hex>\")");
  std::string_view alg = text.substr(0, colon), enc = text.substr(colon + 1);
  if (alg.empty()) return std::unexpected("has an empty algorithm");
  // algorithm ::= component (separator component)*, component ::= [a-z0-9]+, separator ::= [+._-]
  bool prev_sep = true;
  for (char c : alg) {
    bool sep = c == '+' || c == '.' || c == '_' || c == '-';
    if (!sep && !is_lower_alnum(c))
      return std::unexpected("has the character '" + std::string(1, c) +
                             "' in its algorithm; only [a-z0-9] and the separators +._- are allowed");
    if (sep && prev_sep) return std::unexpected("has a misplaced separator in its algorithm");
    prev_sep = sep;
  }
  if (prev_sep) return std::unexpected("has an algorithm that ends with a separator");
  if (enc.empty()) return std::unexpected("has an empty encoded part");
  if (!std::all_of(enc.begin(), enc.end(), is_encoded_char))
    return std::unexpected("has characters outside [a-zA-Z0-9=_-] in its encoded part");

  Digest d{std::string(alg), std::string(enc), false};
  std::size_t want = 0;
  if (alg == "sha256" || alg == "blake3") want = 64;
  if (alg == "sha512") want = 128;
  if (want) {
    d.registered = true;
    if (!std::all_of(enc.begin(), enc.end(), is_lower_hex))
      return std::unexpected(d.algorithm + " digests are lowercase hex; found other characters");
    if (enc.size() != want)
      return std::unexpected(d.algorithm + " digests have " + std::to_string(want) +
                             " hex characters; found " + std::to_string(enc.size()));
  }
  return d;
}

}  // namespace mpcheck
