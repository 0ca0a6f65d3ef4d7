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

namespace {
// Whether `s` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates).
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80                 ? 1
                    : c >= 0xC2 && c <= 0xDF ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    auto c1 = static_cast<unsigned char>(s[i + (n > 1)]);
    if ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0) || (c == 0xF0 && c1 < 0x90) ||
        (c == 0xF4 && c1 >= 0x90))
      return false;
    i += n;
  }
  return true;
}
}  // namespace

// 160,000 member names took ~60 s when each key was compared with every earlier one; a hash
// set makes it linear (the ctest timeout is the backstop).
TEST(JsonDocument, DuplicateKeysInAHugeObjectAreFoundOnce) {
  std::string text = "{";
  for (int i = 0; i < 160000; ++i) text += "\"k" + std::to_string(i) + "\":1,";
  text += "\"k123\":2,\"k159999\":3}";
  auto r = parse_json(text);
  ASSERT_TRUE(r.document);
  ASSERT_EQ(rules_of(r), (std::vector<std::string>{"MPJ002", "MPJ002"}));
  EXPECT_EQ(r.diagnostics[0].pointer, "/k123");
  EXPECT_EQ(r.diagnostics[1].pointer, "/k159999");
  EXPECT_EQ(r.diagnostics[1].column, text.size() - 11);
}

// RapidJSON refuses an unpaired high surrogate escape but decoded a lone low one into bytes
// that are not UTF-8; both are MPJ001 now.
TEST(JsonDocument, UnpairedLowSurrogateEscapeIsNotWellFormed) {
  for (const char* text : {R"({"a": "\uDC00"})", R"({"a": "x\udfffy"})", R"({"\uDC80": 1})"}) {
    auto r = parse_json(text);
    EXPECT_FALSE(r.document) << text;
    ASSERT_EQ(rules_of(r), std::vector<std::string>{"MPJ001"}) << text;
    EXPECT_NE(r.diagnostics[0].message.find("unpaired surrogate"), std::string::npos);
  }
  auto high = parse_json(R"({"a": "\uD800"})");
  EXPECT_EQ(rules_of(high), std::vector<std::string>{"MPJ001"});
  auto pair = parse_json(R"({"a": "\uD83D\uDE00"})");  // a valid pair is one character
  EXPECT_TRUE(pair.document);
  EXPECT_TRUE(pair.diagnostics.empty());
}

TEST(JsonDocument, ValuesInMessagesAreCutOnACharacterBoundary) {
  std::string text = "{\"a\": \"x";
  for (int i = 0; i < 100; ++i) text += "\xC3\xA9";  // é: the 80-character cut falls inside it
  text += "\"}";
  auto r = parse_json(text);
  ASSERT_TRUE(r.document);
  auto shown = describe_value(r.document->root()["a"]);
  EXPECT_TRUE(valid_utf8(shown)) << shown;
  EXPECT_NE(shown.find("…"), std::string::npos);
}

// Columns of many findings on one 5 MB line: counted from checkpoints, not from the line start.
TEST(JsonDocument, ColumnsOnALongMinifiedLine) {
  std::string text = "[";
  for (int i = 0; i < 500000; ++i) text += "\"\xC3\xA9\",";  // "é", : 4 characters, 5 bytes
  text += "1]";
  auto r = parse_json(text);
  ASSERT_TRUE(r.document);
  for (int i : {0, 1, 255, 256, 499999})
    EXPECT_EQ(r.document->position_of("/" + std::to_string(i)).column, 2u + 4u * i) << i;
  EXPECT_EQ(r.document->position_of("/500000").column, 2u + 4u * 500000);
  std::size_t located = 0;
  for (int i = 0; i < 500000; i += 1)
    located += r.document->position_of("/" + std::to_string(i)).line;
  EXPECT_EQ(located, 500000u);
}
