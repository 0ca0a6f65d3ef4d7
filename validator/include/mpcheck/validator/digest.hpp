#pragma once
// OCI content digests: "<algorithm>:<encoded>" (image-spec descriptor.md#digests).
#include <expected>
#include <string>
#include <string_view>

namespace mpcheck {

struct Digest {
  std::string algorithm;  // "sha256", "sha512", "blake3", or an unregistered one
  std::string encoded;
  bool registered = false;  // algorithm is one the image-spec registers
  std::string str() const { return algorithm + ":" + encoded; }
};

// Parses `text` against the digest grammar and, for registered algorithms, their exact
// encodings. The error says what is wrong with the value.
std::expected<Digest, std::string> parse_digest(std::string_view text);

}  // namespace mpcheck
