#pragma once
// Streaming content digests ("sha256:<hex>", "sha512:<hex>") over OpenSSL EVP.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace mpcheck::conformance {

class ContentHasher {
 public:
  // Nothing for algorithms other than sha256 and sha512.
  static std::optional<ContentHasher> create(std::string_view algorithm);

  void update(const char* data, std::size_t size);
  // "<algorithm>:<lower-hex>"; the hasher is spent afterwards.
  std::string finish();

  ContentHasher(ContentHasher&&) noexcept;
  ContentHasher& operator=(ContentHasher&&) noexcept;
  ~ContentHasher();

 private:
  struct State;
  explicit ContentHasher(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

// Digest of in-memory bytes; nothing for unsupported algorithms.
std::optional<std::string> digest_of(std::string_view algorithm, std::string_view bytes);

// The algorithm part of "<algorithm>:<encoded>" (empty if there is no colon).
std::string_view digest_algorithm(std::string_view digest);

}  // namespace mpcheck::conformance
