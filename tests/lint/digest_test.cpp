#include "mpcheck/validator/digest.hpp"

#include <gtest/gtest.h>

using mpcheck::parse_digest;

TEST(Digest, ParsesRegisteredAlgorithms) {
  auto d = parse_digest("sha256:" + std::string(64, 'a'));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->algorithm, "sha256");
  EXPECT_TRUE(d->registered);
  EXPECT_TRUE(parse_digest("sha512:" + std::string(128, '0')));
  EXPECT_TRUE(parse_digest("blake3:" + std::string(64, 'f')));
}

TEST(Digest, EnforcesRegisteredEncodings) {
  EXPECT_EQ(parse_digest("sha256:abc").error(), "sha256 digests have 64 hex characters; found 3");
  EXPECT_EQ(parse_digest("sha256:" + std::string(64, 'A')).error(),
            "sha256 digests are lowercase hex; found other characters");
  EXPECT_FALSE(parse_digest("sha512:" + std::string(64, 'a')));
}

TEST(Digest, AcceptsUnregisteredButWellFormed) {
  auto d = parse_digest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->registered);
}

TEST(Digest, RejectsGrammarViolations) {
  for (auto s : {"", "sha256", ":abc", "sha256:", "SHA256:abc", "sha256+:abc", "+sha:abc",
                 "sha__256:abc", "sha256:ab c", "sha256:ab/c"})
    EXPECT_FALSE(parse_digest(s)) << s;
}
