// The distribution-spec name grammars: what is accepted, what is refused and why.
#include "mpcheck/conformance/distribution_names.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;

namespace {

std::string error_of(std::expected<void, std::string> r) {
  return r ? std::string("(valid)") : r.error();
}

TEST(DistributionNames, RepositoryNamesFollowTheGrammar) {
  for (const char* ok : {"r", "library/ubuntu", "a.b/c_d/e__f/g-h/i---j", "0/1/2", "models/llm-7b"})
    EXPECT_TRUE(check_repository_name(ok)) << ok << ": " << error_of(check_repository_name(ok));
  for (const char* bad : {"", "A", "a/B", "/a", "a/", "a//b", "-a", "a-", "a._b", "a___b", "a.",
                          "a/.b", "a b", "a%2fb", "a\nb"})
    EXPECT_FALSE(check_repository_name(bad)) << bad;
}

TEST(DistributionNames, DotSegmentsAreNamedInTheMessage) {
  EXPECT_NE(error_of(check_repository_name("../../x")).find("has a \"..\" path segment"),
            std::string::npos);
  EXPECT_NE(error_of(check_repository_name("a/./b")).find("has a \".\" path segment"),
            std::string::npos);
  // A long hostile name is checked in linear time and shown bounded, on one line.
  std::string hostile(200000, 'a');
  hostile += "-\n";
  auto message = error_of(check_repository_name(hostile));
  EXPECT_LT(message.size(), 400u);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(DistributionNames, Tags) {
  for (const char* ok : {"latest", "v1.0", "_x", "V1-2_3.4", "sha256-abc"})
    EXPECT_TRUE(check_tag(ok)) << ok;
  for (const char* bad : {"", ".x", "-x", "a/b", "a:b", "../x", "a b"})
    EXPECT_FALSE(check_tag(bad)) << bad;
  EXPECT_TRUE(check_tag(std::string(128, 'a')));
  EXPECT_FALSE(check_tag(std::string(129, 'a')));
}

TEST(DistributionNames, Digests) {
  EXPECT_TRUE(check_digest("sha256:" + std::string(64, 'a')));
  EXPECT_TRUE(check_digest("sha512:" + std::string(128, '0')));
  EXPECT_TRUE(check_digest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"));
  EXPECT_FALSE(check_digest("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(check_digest("sha256:" + std::string(63, 'a')));
  EXPECT_FALSE(check_digest("sha256:../../x"));
  EXPECT_FALSE(check_digest("sha256"));
  EXPECT_FALSE(check_digest(":abc"));
  EXPECT_FALSE(check_digest("Sha256:abc"));
  EXPECT_FALSE(check_digest("sha256+:abc"));
  EXPECT_FALSE(check_digest("x:a/b"));
  EXPECT_TRUE(check_reference("v1"));
  EXPECT_TRUE(check_reference("sha256:" + std::string(64, 'b')));
  EXPECT_FALSE(check_reference("sha256:b"));
}

}  // namespace
