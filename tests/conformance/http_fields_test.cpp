#include "mpcheck/conformance/http_fields.hpp"

#include <gtest/gtest.h>

using namespace mpcheck::conformance;
using namespace std::chrono_literals;

TEST(LinkHeader, NextTarget) {
  EXPECT_EQ(parse_link_next(R"(</v2/r/tags/list?n=2&last=b>; rel="next")"),
            "/v2/r/tags/list?n=2&last=b");
  EXPECT_EQ(parse_link_next("</v2/r/tags/list?n=2&last=b>; rel=next"),
            "/v2/r/tags/list?n=2&last=b");
}

TEST(LinkHeader, PicksNextAmongSeveralLinks) {
  EXPECT_EQ(
      parse_link_next(R"(<https://a/prev>; rel="prev"; title="x, y", <https://a/n>; rel="NEXT")"),
      "https://a/n");
  EXPECT_EQ(parse_link_next(R"(<https://a/x>; rel="last next")"), "https://a/x");
}

TEST(LinkHeader, NoNext) {
  EXPECT_FALSE(parse_link_next(R"(<https://a/prev>; rel="prev")"));
  EXPECT_FALSE(parse_link_next(R"(<https://a/x>; title="next")"));
  EXPECT_FALSE(parse_link_next("garbage"));
  EXPECT_FALSE(parse_link_next("<unterminated; rel=next"));
}

TEST(RetryAfter, Seconds) {
  auto now = std::chrono::system_clock::now();
  EXPECT_EQ(parse_retry_after("0", now), 0s);
  EXPECT_EQ(parse_retry_after(" 120 ", now), 120s);
  EXPECT_FALSE(parse_retry_after("-1", now));
  EXPECT_FALSE(parse_retry_after("1.5", now));
  EXPECT_FALSE(parse_retry_after("soon", now));
  EXPECT_FALSE(parse_retry_after("", now));
  // Huge values do not overflow; the client caps them.
  EXPECT_GT(*parse_retry_after("99999999999999999999", now), 1000000s);
}

TEST(RetryAfter, HttpDate) {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now), 30s);
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now), 0s);
}

// Found by fuzz_http_fields: dates past 2262 overflowed the clock's nanosecond count (undefined
// behaviour; the delay came out as garbage). They are a long delay, capped like delay-seconds.
TEST(RetryAfter, FarFutureDateIsCappedNotOverflowed) {
  auto now = std::chrono::system_clock::from_time_t(784111777);
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now),
            std::chrono::seconds(1ll << 31));
  EXPECT_EQ(parse_retry_after("--99990620", now), std::chrono::seconds(1ll << 31));  // the input
  // A sub-second `now` still rounds the delay up to whole seconds.
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now + 300ms), 30s);
}

TEST(UploadRange, EndPlusOne) {
  EXPECT_EQ(parse_upload_range("0-1023"), 1024u);
  EXPECT_EQ(parse_upload_range("bytes=0-9"), 10u);
  EXPECT_FALSE(parse_upload_range("5-9"));
  EXPECT_FALSE(parse_upload_range("0-"));
  EXPECT_FALSE(parse_upload_range("x"));
}

TEST(HeaderFields, CaseInsensitiveLookup) {
  HeaderFields f = {{"Link", "a"}, {"link", "b"}, {"Other", "c"}};
  EXPECT_EQ(header_value(f, "LINK"), "a");
  EXPECT_EQ(header_values(f, "link").size(), 2u);
  EXPECT_FALSE(header_value(f, "missing"));
}
