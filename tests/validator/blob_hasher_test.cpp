#include "mpcheck/validator/blob_hasher.hpp"

#include <gtest/gtest.h>

namespace mpcheck {
namespace {

std::string digest(std::string_view alg, std::string_view text, std::size_t piece) {
  auto h = BlobHasher::create(alg);
  EXPECT_TRUE(h);
  for (std::size_t i = 0; i < text.size(); i += piece) {
    auto part = text.substr(i, piece);
    h->update({reinterpret_cast<const unsigned char*>(part.data()), part.size()});
  }
  return h->finish();
}

TEST(BlobHasher, KnownVectorsInAnyPieces) {
  for (std::size_t piece : {1u, 2u, 1000u}) {
    EXPECT_EQ(digest("sha256", "abc", piece),
              "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(digest("sha512", "abc", piece),
              "sha512:ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
              "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  }
  EXPECT_EQ(digest("sha256", "", 1),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(BlobHasher, UnsupportedAlgorithmsHaveNoHasher) {
  EXPECT_FALSE(BlobHasher::create("blake3"));
  EXPECT_FALSE(BlobHasher::create("md5"));
}

}  // namespace
}  // namespace mpcheck
