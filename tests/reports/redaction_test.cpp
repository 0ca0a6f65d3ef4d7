#include <gtest/gtest.h>

#include "mpcheck/reports/redact.hpp"

namespace mpcheck::reports {
namespace {

TEST(Redaction, AuthorizationHeaderValues) {
  EXPECT_EQ(redact("GET / HTTP/1.1\r\nAuthorization: Basic dXNlcjpwYXNz\r\nHost: x\r\n"),
            "GET / HTTP/1.1\r\nAuthorization: <redacted>\r\nHost: x\r\n");
  EXPECT_EQ(redact("proxy-authorization: Negotiate abc def"), "proxy-authorization: <redacted>");
  EXPECT_EQ(redact("Cookie: session=abc"), "Cookie: <redacted>");
}

TEST(Redaction, BearerAndBasicCredentialsAnywhere) {
  EXPECT_EQ(redact("sent Bearer eyJhbGciOi.J9.x-y_z+/== to it"), "sent Bearer <redacted> to it");
  EXPECT_EQ(redact("basic   dXNlcjpwYXNz"), "basic   <redacted>");
  EXPECT_EQ(redact("Bearer <redacted>"), "Bearer <redacted>");
}

TEST(Redaction, ChallengeParametersAreKept) {
  std::string challenge =
      "WWW-Authenticate: Bearer realm=\"https://auth.example/token\",service=\"reg\"";
  EXPECT_EQ(redact(challenge), challenge);
  EXPECT_EQ(redact("Basic realm=\"x\""), "Basic realm=\"x\"");
}

TEST(Redaction, QueryStringAndFormValues) {
  EXPECT_EQ(redact("GET /token?service=reg&access_token=abc.def&scope=pull HTTP/1.1"),
            "GET /token?service=reg&access_token=<redacted>&scope=pull HTTP/1.1");
  EXPECT_EQ(redact("grant_type=password&username=u&password=hunter2"),
            "grant_type=password&username=u&password=<redacted>");
  EXPECT_EQ(redact("refresh_token=r1&token=t1"), "refresh_token=<redacted>&token=<redacted>");
  // Keys that merely contain a secret word are left alone.
  EXPECT_EQ(redact("tokens=3&mytoken2=x"), "tokens=3&mytoken2=x");
}

TEST(Redaction, JsonMembers) {
  EXPECT_EQ(redact(R"({"token":"abc","expires_in":300})"),
            R"({"token":"<redacted>","expires_in":300})");
  EXPECT_EQ(redact(R"({"access_token" : "a\"b", "password": "p"})"),
            R"({"access_token" : "<redacted>", "password": "<redacted>"})");
  EXPECT_EQ(redact(R"({"auths":{"r.example":{"auth":"dXNlcjpwYXNz"}}})"),
            R"({"auths":{"r.example":{"auth":"<redacted>"}}})");
  EXPECT_EQ(redact(R"({"Authorization": "Bearer xyz"})"), R"({"Authorization": "<redacted>"})");
  // A body excerpt cut inside the secret is masked to its end.
  EXPECT_EQ(redact(R"({"refresh_token":"abcdef)"), R"({"refresh_token":"<redacted>)");
  EXPECT_EQ(redact(R"({"password":null})"), R"({"password":null})");
}

TEST(Redaction, UrlUserinfoPassword) {
  EXPECT_EQ(redact("https://user:hunter2@registry.example/v2/"),
            "https://user:<redacted>@registry.example/v2/");
  EXPECT_EQ(redact("https://registry.example/v2/@x"), "https://registry.example/v2/@x");
}

TEST(Redaction, RegistryTokenHeadersAndPresignedBlobUrls) {
  EXPECT_EQ(redact("X-Registry-Auth: eyJ1c2VybmFtZSI6"), "X-Registry-Auth: <redacted>");
  EXPECT_EQ(redact("PRIVATE-TOKEN: glpat-abc"), "PRIVATE-TOKEN: <redacted>");
  EXPECT_EQ(redact("Location: https://b.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKIA%2F20260101&X-Amz-Signature=abcdef&X-Amz-Expires=60"),
            "Location: https://b.s3.amazonaws.com/x?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&X-Amz-Expires=60");
  EXPECT_EQ(redact("https://a.blob.core.windows.net/c/b?sv=2020&sig=abc%3D"),
            "https://a.blob.core.windows.net/c/b?sv=2020&sig=<redacted>");
}

TEST(Redaction, IsIdempotentAndLeavesOrdinaryTextAlone) {
  std::string text =
      "PUT /v2/m/manifests/1 HTTP/1.1\nAuthorization: Bearer abc\n\n{\"password\":\"x\"}";
  EXPECT_EQ(redact(redact(text)), redact(text));
  std::string plain = "HTTP/1.1 201 Created\r\nLocation: /v2/m/manifests/sha256:abc\r\n";
  EXPECT_EQ(redact(plain), plain);
}

TEST(Redaction, JsonKeysAreMatchedDecoded) {
  EXPECT_EQ(redact(R"({"tok\u0065n":"abc","expires_in":300})"),
            R"({"tok\u0065n":"<redacted>","expires_in":300})");
  EXPECT_EQ(redact(R"({"p\u0041ssword" : "a\"b", "x":"tok\u0065n"})"),
            R"({"p\u0041ssword" : "<redacted>", "x":"tok\u0065n"})");
  EXPECT_EQ(redact(R"({"\u0074oken":"cut off)"), R"({"\u0074oken":"<redacted>)");
  EXPECT_EQ(redact(R"({"na\u006De":"kept"})"), R"({"na\u006De":"kept"})");
}

TEST(Redaction, TheOneListServesStructuredFields) {
  EXPECT_TRUE(is_secret_header("X-Registry-Auth"));
  EXPECT_TRUE(is_secret_header("authorization"));
  EXPECT_FALSE(is_secret_header("Accept"));
  EXPECT_TRUE(is_secret_key("ACCESS_TOKEN"));
  EXPECT_FALSE(is_secret_key("tokens"));
}

TEST(Redaction, RegisteredSecretsAreRemovedVerbatimAnywhere) {
  Redactor redactor;
  redactor.add_secret("s3cr3t-token");
  redactor.add_secret("Bearer s3cr3t-token");
  redactor.add_secret("");  // ignored: it would match everywhere
  EXPECT_EQ(redactor.redact("the registry said: s3cr3t-token is not valid (s3cr3t-token)"),
            "the registry said: <redacted> is not valid (<redacted>)");
  // Under a key nobody lists, or where no key pattern applies.
  EXPECT_EQ(redactor.redact(R"({"session":"s3cr3t-token"})"), R"({"session":"<redacted>"})");
  // Key patterns still apply to what is not registered.
  EXPECT_EQ(redactor.redact("password=other"), "password=<redacted>");
  std::string once = redactor.redact("x s3cr3t-token y");
  EXPECT_EQ(redactor.redact(once), once);
  // Beyond the bound, the oldest issued secret goes; a lasting one (a password) never does.
  Redactor many;
  many.add_secret("the-password", true);
  for (std::size_t i = 0; i < Redactor::kMaxSecrets; ++i)  // one more than fits
    many.add_secret("token-" + std::to_string(i));
  EXPECT_EQ(many.redact("the-password token-0 token-1 token-" +
                        std::to_string(Redactor::kMaxSecrets - 1)),
            "<redacted> token-0 <redacted> <redacted>");
  // A secret that is part of the mask itself does not mangle it.
  Redactor short_secret;
  short_secret.add_secret("act");
  EXPECT_EQ(short_secret.redact("<redacted> act"), "<redacted> <redacted>");
}

}  // namespace
}  // namespace mpcheck::reports
