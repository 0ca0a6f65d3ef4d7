#pragma once
// Incremental content digests (sha256, sha512) with OpenSSL EVP, for blobs and diffIDs.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace mpcheck {

class BlobHasher {
 public:
  // Nothing for an algorithm mpcheck cannot compute (blake3, unregistered ones).
  static std::optional<BlobHasher> create(std::string_view algorithm);
  void update(std::span<const unsigned char> bytes);
  // "<algorithm>:<hex>"; the hasher is spent afterwards.
  std::string finish();
  const std::string& algorithm() const { return algorithm_; }

 private:
  struct Ctx;
  struct CtxDeleter {
    void operator()(Ctx* c) const;
  };
  std::string algorithm_;
  std::unique_ptr<Ctx, CtxDeleter> ctx_;
};

}  // namespace mpcheck
