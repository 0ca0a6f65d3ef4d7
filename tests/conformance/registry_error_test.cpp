#include "mpcheck/conformance/registry_error.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;

TEST(RegistryError, ParsesSpecErrorBody) {
  auto errors = parse_oci_errors(
      R"({"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry","detail":"sha256:ab"},
                    {"code":"DIGEST_INVALID","message":"m","detail":{"a":1}}]})");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].code, "BLOB_UNKNOWN");
  EXPECT_EQ(errors[0].message, "blob unknown to registry");
  EXPECT_EQ(errors[0].detail, R"("sha256:ab")");
  EXPECT_EQ(errors[1].detail, R"({"a":1})");
  RegistryError e{RegistryError::Kind::Http, 404, errors, "GET blob"};
  EXPECT_TRUE(e.has_code("DIGEST_INVALID"));
  EXPECT_FALSE(e.has_code("MANIFEST_UNKNOWN"));
  EXPECT_EQ(e.describe(), "GET blob (HTTP 404) [BLOB_UNKNOWN, DIGEST_INVALID]");
}

TEST(RegistryError, IgnoresOtherBodies) {
  EXPECT_TRUE(parse_oci_errors("404 page not found").empty());
  EXPECT_TRUE(parse_oci_errors(R"({"errors":"x"})").empty());
  EXPECT_TRUE(parse_oci_errors("").empty());
}
