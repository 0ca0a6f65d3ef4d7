#include "mpcheck/conformance/content_hasher.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;

TEST(ContentHasher, KnownDigests) {
  EXPECT_EQ(digest_of("sha256", ""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_of("sha512", "abc")->substr(0, 23), "sha512:ddaf35a193617aba");
  EXPECT_FALSE(digest_of("md5", "abc"));
}

TEST(ContentHasher, StreamingEqualsOneShot) {
  auto h = ContentHasher::create("sha256");
  ASSERT_TRUE(h);
  h->update("ab", 2);
  h->update("c", 1);
  EXPECT_EQ(h->finish(), digest_of("sha256", "abc"));
  EXPECT_EQ(digest_algorithm("sha512:00"), "sha512");
  EXPECT_EQ(digest_algorithm("nocolon"), "");
}
