#include "mpcheck/validator/value_formats.hpp"

#include <gtest/gtest.h>

using namespace mpcheck;

TEST(ParamSize, AcceptsTheSpecsExamples) {
  for (auto v : {"6.7B", "1.0t", "100m", "8b", "7K", "2Q", "0.5M"})
    EXPECT_TRUE(check_param_size(v).has_value()) << v;
}

TEST(ParamSize, ExplainsWhatIsWrong) {
  EXPECT_EQ(check_param_size("6.75B").error(),
            "paramSize \"6.75B\" has 2 decimal digits; the spec allows at most one (e.g. \"6.7B\")");
  EXPECT_NE(check_param_size("7").error().find("no scale prefix"), std::string::npos);
  EXPECT_NE(check_param_size("7G").error().find("scale prefix \"G\""), std::string::npos);
  EXPECT_NE(check_param_size("B").error().find("does not start with a number"), std::string::npos);
  EXPECT_NE(check_param_size("7.B").error().find("no digit after"), std::string::npos);
  EXPECT_NE(check_param_size("7BB").error().find("after the scale prefix"), std::string::npos);
  EXPECT_FALSE(check_param_size("").has_value());
  EXPECT_FALSE(check_param_size("-7B").has_value());
  EXPECT_FALSE(check_param_size(" 7B").has_value());
}

TEST(Precision, AcceptsTableValuesCommaSeparated) {
  EXPECT_TRUE(check_precision("float16").has_value());
  EXPECT_TRUE(check_precision("float16,float8_e4m3").has_value());
  EXPECT_TRUE(check_precision("bool").has_value());
}

TEST(Precision, RejectsOthersWithHints) {
  EXPECT_NE(check_precision("fp16").error().find("did you mean \"float16\""), std::string::npos);
  EXPECT_NE(check_precision("float16, int8").error().find("spaces around \"int8\""),
            std::string::npos);
  EXPECT_FALSE(check_precision("float16,").has_value());
  EXPECT_FALSE(check_precision("").has_value());
  EXPECT_FALSE(check_precision("FLOAT16").has_value());
}

TEST(DateTime, AcceptsRfc3339) {
  for (auto v : {"2025-01-01T00:00:00Z", "2024-02-29T23:59:59.123+05:30", "2025-12-31t10:00:00z",
                 "1999-12-31T23:59:60Z", "2025-06-01T00:00:00-08:00"})
    EXPECT_TRUE(check_rfc3339_date_time(v).has_value()) << v;
}

TEST(DateTime, RejectsNonCalendarAndIncompleteValues) {
  EXPECT_NE(check_rfc3339_date_time("2025-02-29T00:00:00Z").error().find("not a calendar date"),
            std::string::npos);
  EXPECT_NE(check_rfc3339_date_time("2100-02-29T00:00:00Z").error().find("not a calendar date"),
            std::string::npos);
  EXPECT_NE(check_rfc3339_date_time("2025-01-01").error().find("no time"), std::string::npos);
  EXPECT_NE(check_rfc3339_date_time("2025-01-01T10:00:00").error().find("no time zone"),
            std::string::npos);
  for (auto v : {"2025-1-01T00:00:00Z", "2025-01-01 00:00:00Z", "2025-01-01T24:00:00Z",
                 "2025-01-01T00:60:00Z", "2025-01-01T00:00:00+5:00", "2025-13-01T00:00:00Z",
                 "2025-01-01T00:00:00.Z", "2025-01-01T00:00:00Zjunk", ""})
    EXPECT_FALSE(check_rfc3339_date_time(v).has_value()) << v;
}

TEST(Url, LooksLikeAUrl) {
  EXPECT_TRUE(check_url("https://www.xyz.com/get-started/").has_value());
  EXPECT_TRUE(check_url("s3://bucket/data").has_value());
  EXPECT_FALSE(check_url("www.xyz.com").has_value());
  EXPECT_FALSE(check_url("https://").has_value());
  EXPECT_FALSE(check_url("https://exa mple.com").has_value());
  EXPECT_FALSE(check_url("not a url").has_value());
}

TEST(Spdx, AcceptsExpressions) {
  for (auto v : {"Apache-2.0", "MIT OR Apache-2.0", "(MIT AND BSD-3-Clause) OR GPL-2.0-or-later",
                 "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-llama3", "apache-2.0",
                 "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2", "GPL-2.0+"})
    EXPECT_TRUE(check_spdx_expression(v).has_value()) << v << ": " << check_spdx_expression(v).error();
}

TEST(Spdx, RejectsWithReason) {
  EXPECT_NE(check_spdx_expression("apache2").error().find("\"apache2\" is not an SPDX license identifier"),
            std::string::npos);
  EXPECT_NE(check_spdx_expression("MIT or Apache-2.0").error().find("upper case"), std::string::npos);
  EXPECT_NE(check_spdx_expression("(MIT").error().find("unclosed parenthesis"), std::string::npos);
  EXPECT_NE(check_spdx_expression("MIT WITH Bogus-exception").error().find("exception"),
            std::string::npos);
  EXPECT_FALSE(check_spdx_expression("MIT Apache-2.0").has_value());
  EXPECT_FALSE(check_spdx_expression("MIT AND").has_value());
  EXPECT_FALSE(check_spdx_expression("").has_value());
  EXPECT_FALSE(check_spdx_expression("LicenseRef-").has_value());
  std::string deep(1000, '(');
  EXPECT_NE(check_spdx_expression(deep + "MIT").error().find("too deeply"), std::string::npos);
}

TEST(Iso639, UsesIsoCodesData) {
  EXPECT_TRUE(is_iso639_1_code("en"));
  EXPECT_TRUE(is_iso639_1_code("zh"));
  EXPECT_TRUE(is_iso639_1_code("yo"));
  EXPECT_FALSE(is_iso639_1_code("xx"));
  EXPECT_FALSE(is_iso639_1_code("EN"));
  EXPECT_FALSE(is_iso639_1_code("eng"));
}
