#include "mpcheck/conformance/transcript.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;

TEST(Redaction, AuthorizationHeaders) {
  HeaderFields in = {{"Authorization", "Basic dXNlcjpwYXNz"},
                     {"proxy-authorization", "Bearer abc"},
                     {"Cookie", "session=1"},
                     {"Accept", "*/*"},
                     {"Location", "https://s3.example/b?X-Amz-Signature=abc&x=1"}};
  auto out = redact_headers(in);
  EXPECT_EQ(out[0].second, "Basic <redacted>");
  EXPECT_EQ(out[1].second, "Bearer <redacted>");
  EXPECT_EQ(out[2].second, "<redacted>");
  EXPECT_EQ(out[3].second, "*/*");
  EXPECT_EQ(out[4].second, "https://s3.example/b?X-Amz-Signature=<redacted>&x=1");
}

TEST(Redaction, TokenFieldsInJson) {
  std::string body =
      R"({"token":"s3cr3t", "access_token" : "t0k", "expires_in":300, "name":"token"})";
  auto out = redact_body(body);
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(out.find("t0k"), std::string::npos);
  EXPECT_NE(out.find(R"("token":"<redacted>")"), std::string::npos);
  EXPECT_NE(out.find(R"("expires_in":300)"), std::string::npos);
  EXPECT_NE(out.find(R"("name":"token")"), std::string::npos);  // a value, not a key
}

TEST(Redaction, TruncatedJsonDoesNotLeak) {
  EXPECT_EQ(redact_body(R"({"password":"hunt)"), R"({"password":"<redacted>)");
  EXPECT_EQ(redact_body(R"({"token":"a\"b", "x":1})"), R"({"token":"<redacted>", "x":1})");
}

TEST(Redaction, UrlQueryAndUserinfo) {
  EXPECT_EQ(
      redact_url("https://s3.example/blob?X-Amz-Signature=abc&X-Amz-Credential=k&part=1"),
      "https://s3.example/blob?X-Amz-Signature=<redacted>&X-Amz-Credential=<redacted>&part=1");
  EXPECT_EQ(redact_url("https://user:pw@host/v2/?a=1"), "https://user:<redacted>@host/v2/?a=1");
  EXPECT_EQ(redact_url("https://host/v2/r/tags/list?n=2"), "https://host/v2/r/tags/list?n=2");
}
