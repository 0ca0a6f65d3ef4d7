#include "mpcheck/validator/blob_hasher.hpp"

#include <openssl/evp.h>

namespace mpcheck {

struct BlobHasher::Ctx {
  EVP_MD_CTX* md = nullptr;
};

void BlobHasher::CtxDeleter::operator()(Ctx* c) const {
  EVP_MD_CTX_free(c->md);
  delete c;
}

std::optional<BlobHasher> BlobHasher::create(std::string_view algorithm) {
  const EVP_MD* md = algorithm == "sha256"   ? EVP_sha256()
                     : algorithm == "sha512" ? EVP_sha512()
                                             : nullptr;
  if (!md) return std::nullopt;
  BlobHasher h;
  h.algorithm_ = std::string(algorithm);
  h.ctx_.reset(new Ctx{EVP_MD_CTX_new()});
  if (!h.ctx_->md || EVP_DigestInit_ex(h.ctx_->md, md, nullptr) != 1) return std::nullopt;
  return h;
}

void BlobHasher::update(std::span<const unsigned char> bytes) {
  if (!bytes.empty()) EVP_DigestUpdate(ctx_->md, bytes.data(), bytes.size());
}

std::string BlobHasher::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md, out, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s = algorithm_ + ":";
  for (unsigned i = 0; i < n; ++i) {
    s.push_back(kHex[out[i] >> 4]);
    s.push_back(kHex[out[i] & 15]);
  }
  return s;
}

}  // namespace mpcheck
