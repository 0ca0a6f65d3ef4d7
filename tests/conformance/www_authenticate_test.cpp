#include "mpcheck/conformance/www_authenticate.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;

TEST(WwwAuthenticate, BearerWithQuotedParams) {
  auto c = parse_www_authenticate(
      R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push")");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 1u);
  EXPECT_TRUE((*c)[0].is("bearer"));
  EXPECT_EQ((*c)[0].param("realm"), "https://auth.example.com/token");
  EXPECT_EQ((*c)[0].param("service"), "registry.example.com");
  // The comma inside the quoted scope does not split the parameter.
  EXPECT_EQ((*c)[0].param("scope"), "repository:a/b:pull,push");
}

TEST(WwwAuthenticate, EscapesSpacesAndCaseInsensitiveNames) {
  auto c = parse_www_authenticate(R"(Bearer  Realm = "a\"b\\c" , error=insufficient_scope)");
  ASSERT_TRUE(c);
  EXPECT_EQ((*c)[0].param("realm"), "a\"b\\c");
  EXPECT_EQ((*c)[0].param("ERROR"), "insufficient_scope");
}

TEST(WwwAuthenticate, SeveralChallengesInOneValue) {
  auto c = parse_www_authenticate(
      R"(Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple")");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "Newauth");
  EXPECT_EQ((*c)[0].param("type"), "1");
  EXPECT_EQ((*c)[0].param("title"), "Login to \"apps\"");
  EXPECT_TRUE((*c)[1].is("Basic"));
  EXPECT_EQ((*c)[1].param("realm"), "simple");
}

TEST(WwwAuthenticate, SchemeOnlyAndToken68) {
  auto c = parse_www_authenticate("Negotiate, Basic abc/def==, Bearer realm=x");
  // "realm=" alone is token68 by the grammar, not an empty parameter.
  EXPECT_TRUE(parse_www_authenticate("Bearer realm="));
  ASSERT_TRUE(c);
  ASSERT_EQ(c->size(), 3u);
  EXPECT_EQ((*c)[0].scheme, "Negotiate");
  EXPECT_TRUE((*c)[1].params.empty());
  EXPECT_EQ((*c)[2].param("realm"), "x");
}

TEST(WwwAuthenticate, RejectsMalformed) {
  EXPECT_FALSE(parse_www_authenticate(""));
  EXPECT_FALSE(parse_www_authenticate(R"(Bearer realm="unterminated)"));
  EXPECT_FALSE(parse_www_authenticate(R"(Bearer realm="a" junk)"));
  EXPECT_FALSE(parse_www_authenticate(R"(Bearer realm="x",=y)"));
}
