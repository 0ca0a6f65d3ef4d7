#include "mpcheck/conformance/content_hasher.hpp"

#include <openssl/evp.h>

namespace mpcheck::conformance {

struct ContentHasher::State {
  std::string algorithm;
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

std::optional<ContentHasher> ContentHasher::create(std::string_view algorithm) {
  const EVP_MD* md = nullptr;
  if (algorithm == "sha256") md = EVP_sha256();
  if (algorithm == "sha512") md = EVP_sha512();
  if (md == nullptr) return std::nullopt;
  auto state = std::make_unique<State>();
  state->algorithm = std::string(algorithm);
  state->ctx = EVP_MD_CTX_new();
  if (state->ctx == nullptr || EVP_DigestInit_ex(state->ctx, md, nullptr) != 1) return std::nullopt;
  return ContentHasher(std::move(state));
}

ContentHasher::ContentHasher(std::unique_ptr<State> state) : state_(std::move(state)) {}
ContentHasher::ContentHasher(ContentHasher&&) noexcept = default;
ContentHasher& ContentHasher::operator=(ContentHasher&&) noexcept = default;
ContentHasher::~ContentHasher() = default;

void ContentHasher::update(const char* data, std::size_t size) {
  EVP_DigestUpdate(state_->ctx, data, size);
}

std::string ContentHasher::finish() {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(state_->ctx, md, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = state_->algorithm + ":";
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0xf];
  }
  return out;
}

std::optional<std::string> digest_of(std::string_view algorithm, std::string_view bytes) {
  auto hasher = ContentHasher::create(algorithm);
  if (!hasher) return std::nullopt;
  hasher->update(bytes.data(), bytes.size());
  return hasher->finish();
}

std::string_view digest_algorithm(std::string_view digest) {
  std::size_t colon = digest.find(':');
  return colon == std::string_view::npos ? std::string_view{} : digest.substr(0, colon);
}

}  // namespace mpcheck::conformance
