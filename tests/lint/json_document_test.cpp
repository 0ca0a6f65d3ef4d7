#include "mpcheck/validator/json_document.hpp"

#include <gtest/gtest.h>

using namespace mpcheck;

namespace {
std::vector<std::string> rules_of(const JsonParseResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) out.push_back(d.rule);
  return out;
}
}  // namespace

TEST(JsonDocument, RecordsPositionsOfEveryValue) {
  auto r = parse_json("{\n  \"a\": {\"b\": [1, \"x\\\"y\", true]},\n  \"c~/d\": null\n}");
  ASSERT_TRUE(r.document);
  EXPECT_TRUE(r.diagnostics.empty());
  auto pos = [&](const char* p) {
    auto s = r.document->position_of(p);
    return std::to_string(s.line) + ":" + std::to_string(s.column);
  };
  EXPECT_EQ(pos(""), "1:1");
  EXPECT_EQ(pos("/a"), "2:8");
  EXPECT_EQ(pos("/a/b"), "2:14");
  EXPECT_EQ(pos("/a/b/0"), "2:15");
  EXPECT_EQ(pos("/a/b/1"), "2:18");
  EXPECT_EQ(pos("/a/b/2"), "2:26");
  EXPECT_EQ(pos("/c~0~1d"), "3:11");
  EXPECT_EQ(pos("/a/b/7"), "2:14");  // unknown: nearest ancestor
}

TEST(JsonDocument, ColumnsCountCharactersNotBytes) {
  auto r = parse_json("{\"é\": \"ü\", \"k\": 1}");
  ASSERT_TRUE(r.document);
  EXPECT_EQ(r.document->position_of("/k").column, 17u);
}

TEST(JsonDocument, DuplicateKeysAreReportedAtTheSecondKey) {
  auto r = parse_json("{\"a\": 1,\n \"a\": 2}");
  ASSERT_TRUE(r.document);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"MPJ002"});
  EXPECT_EQ(r.diagnostics[0].pointer, "/a");
  EXPECT_EQ(r.diagnostics[0].line, 2u);
  EXPECT_EQ(r.diagnostics[0].column, 2u);
}

TEST(JsonDocument, DuplicatesAreComparedAfterUnescaping) {
  auto r = parse_json(R"({"a": 1, "\u0061": 2})");
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"MPJ002"});
  EXPECT_EQ(r.diagnostics[0].pointer, "/a");
  // Keys holding NUL or sharing prefixes are distinct keys, not duplicates.
  EXPECT_TRUE(parse_json(R"({"a": 1, "b": 2, "a\u0000b": 3, "ab": 4, "": 5})").diagnostics.empty());
  auto nested = parse_json(R"({"x": [{"k": 1}, {"k": 2, "k": 3}]})");
  ASSERT_EQ(rules_of(nested), std::vector<std::string>{"MPJ002"});
  EXPECT_EQ(nested.diagnostics[0].pointer, "/x/1/k");
}

TEST(JsonDocument, SameKeyInDifferentObjectsIsFine) {
  auto r = parse_json("{\"a\": {\"x\": 1}, \"b\": {\"x\": 2}}");
  EXPECT_TRUE(r.diagnostics.empty());
}

TEST(JsonDocument, ByteOrderMarkIsReportedAndSkipped) {
  auto r = parse_json("\xEF\xBB\xBF{\"a\": 1}");
  ASSERT_TRUE(r.document);
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"MPJ004"});
  EXPECT_EQ(r.document->position_of("/a").column, 8u);
}

TEST(JsonDocument, InvalidUtf8) {
  auto r = parse_json("{\"a\": \"\xC3\x28\"}");
  EXPECT_FALSE(r.document);
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"MPJ003"});
}

TEST(JsonDocument, TrailingContent) {
  auto r = parse_json("{\"a\": 1}\n{\"b\": 2}\n");
  ASSERT_TRUE(r.document);
  ASSERT_EQ(rules_of(r), std::vector<std::string>{"MPJ005"});
  EXPECT_EQ(r.diagnostics[0].line, 2u);
  EXPECT_TRUE(parse_json("{\"a\": 1}\n\n  ").diagnostics.empty());
}

TEST(JsonDocument, EmptyTruncatedAndBinary) {
  EXPECT_EQ(rules_of(parse_json("")), std::vector<std::string>{"MPJ001"});
  EXPECT_EQ(parse_json("").diagnostics[0].message, "document is empty");
  EXPECT_EQ(parse_json("  \n").diagnostics[0].message, "document holds only white space");
  auto t = parse_json("{\"a\": [1, 2");
  ASSERT_EQ(rules_of(t), std::vector<std::string>{"MPJ001"});
  EXPECT_NE(t.diagnostics[0].message.find("truncated"), std::string::npos);
  std::string binary("\x00\x01\x02\xff\xfe", 5);
  EXPECT_FALSE(parse_json(binary).document);
}

TEST(JsonDocument, DeepNestingIsBoundedNotACrash) {
  std::string deep(100000, '[');
  auto r = parse_json(deep);
  EXPECT_FALSE(r.document);
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"MPJ006"});
  JsonLimits limits;
  limits.max_depth = 3;
  EXPECT_EQ(rules_of(parse_json("[[[[1]]]]", limits)), std::vector<std::string>{"MPJ006"});
  EXPECT_TRUE(parse_json("[[[1]]]", limits).diagnostics.empty());
}

TEST(JsonDocument, SizeLimit) {
  JsonLimits limits;
  limits.max_bytes = 10;
  auto r = parse_json("{\"aaaaaaaaaa\": 1}", limits);
  EXPECT_FALSE(r.document);
  EXPECT_EQ(rules_of(r), std::vector<std::string>{"MPJ007"});
}
