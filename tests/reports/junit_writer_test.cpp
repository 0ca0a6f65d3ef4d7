#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <sstream>

#include "mpcheck/reports/writers.hpp"
#include "sample_run.hpp"

namespace mpcheck::reports {
namespace {

std::string junit(const Run& run) {
  std::ostringstream out;
  write_junit(run, out);
  return out.str();
}

pugi::xml_document parse(const std::string& xml) {
  pugi::xml_document doc;
  auto result = doc.load_string(xml.c_str());
  EXPECT_TRUE(result) << result.description() << "\n" << xml;
  return doc;
}

TEST(JunitWriter, CountsOnTestsuitesAndEachTestsuite) {
  std::string xml = junit(testing::sample_run());
  auto doc = parse(xml);
  auto root = doc.child("testsuites");
  ASSERT_TRUE(root);
  EXPECT_EQ(root.attribute("tests").as_int(), 5);
  EXPECT_EQ(root.attribute("failures").as_int(), 1);
  EXPECT_EQ(root.attribute("errors").as_int(), 1);
  EXPECT_EQ(root.attribute("skipped").as_int(), 1);
  EXPECT_STREQ(root.attribute("time").value(), "1.875");

  auto a = root.find_child_by_attribute("testsuite", "name", "configs/a.json");
  ASSERT_TRUE(a);
  EXPECT_EQ(a.attribute("tests").as_int(), 3);
  EXPECT_EQ(a.attribute("failures").as_int(), 1);
  EXPECT_EQ(a.attribute("errors").as_int(), 0);
  EXPECT_EQ(a.attribute("skipped").as_int(), 1);
  EXPECT_STREQ(a.attribute("time").value(), "1.750");
  auto reg = root.find_child_by_attribute("testsuite", "name", "registry");
  ASSERT_TRUE(reg);
  EXPECT_EQ(reg.attribute("errors").as_int(), 1);
  EXPECT_STREQ(reg.child("properties")
                   .find_child_by_attribute("property", "name", "target")
                   .attribute("value")
                   .value(),
               "registry.example/models/llama:1");
}

TEST(JunitWriter, TestcasesCarryNameClassnameTimeAndOutcome) {
  auto doc = parse(junit(testing::sample_run()));
  auto a = doc.child("testsuites").child("testsuite");
  std::vector<std::string> names;
  for (auto tc : a.children("testcase")) {
    names.push_back(tc.attribute("name").value());
    EXPECT_STREQ(tc.attribute("classname").value(), "configs/a.json");
  }
  EXPECT_EQ(names, (std::vector<std::string>{"MPC001 config does not match the schema",
                                             "MPC002 paramSize is not <count><scale>",
                                             "MPC010 description is empty"}));

  auto pass =
      a.find_child_by_attribute("testcase", "name", "MPC001 config does not match the schema");
  EXPECT_STREQ(pass.attribute("time").value(), "0.250");
  EXPECT_FALSE(pass.child("failure"));
  EXPECT_FALSE(pass.child("system-out"));

  auto fail =
      a.find_child_by_attribute("testcase", "name", "MPC002 paramSize is not <count><scale>");
  auto failure = fail.child("failure");
  ASSERT_TRUE(failure);
  std::string message = failure.attribute("message").value();
  EXPECT_NE(message.find("paramSize \"6.75B\" has two decimals"), std::string::npos);
  EXPECT_NE(message.find("utf8 & <more>"), std::string::npos);
  std::string body = failure.text().get();
  EXPECT_NE(body.find("expected at most one decimal digit"), std::string::npos);
  EXPECT_NE(body.find("3:5 MPC002 paramSize \"6.75B\" has two decimals (at /config/paramSize)"),
            std::string::npos);
  EXPECT_NE(body.find("0:0 MPC010 description is empty\n"), std::string::npos);

  auto skip = a.find_child_by_attribute("testcase", "name", "MPC010 description is empty");
  EXPECT_STREQ(skip.child("skipped").attribute("message").value(), "not applicable");

  auto err = doc.child("testsuites")
                 .find_child_by_attribute("testsuite", "name", "registry")
                 .child("testcase");
  auto error = err.child("error");
  ASSERT_TRUE(error);
  EXPECT_STREQ(error.attribute("message").value(), "connection reset");
  std::string transcript = error.text().get();
  EXPECT_NE(transcript.find("> PUT /v2/models/llama/manifests/1 HTTP/1.1"), std::string::npos);
  EXPECT_NE(transcript.find("< HTTP/1.1 401 Unauthorized"), std::string::npos);
}

TEST(JunitWriter, ControlCharactersAndInvalidUtf8AreRemoved) {
  std::string xml = junit(testing::sample_run());
  for (unsigned char c : xml)
    EXPECT_FALSE(c < 0x20 && c != '\t' && c != '\n' && c != '\r') << "control byte " << int(c);
  EXPECT_EQ(xml.find("&#27;"), std::string::npos);
  EXPECT_EQ(xml.find("&#1;"), std::string::npos);
  EXPECT_EQ(xml.find('\xff'), std::string::npos);
  EXPECT_EQ(xml.find('\xfe'), std::string::npos);
  auto doc = parse(xml);
  std::string message =
      doc.child("testsuites")
          .child("testsuite")
          .find_child_by_attribute("testcase", "name", "MPC002 paramSize is not <count><scale>")
          .child("failure")
          .attribute("message")
          .value();
  EXPECT_NE(message.find("decimals[31m red\x7f bad utf8"), std::string::npos) << message;
}

TEST(JunitWriter, XmlInvalidCodePointsAreDroppedButValidOnesKept) {
  reports::Run run;
  Suite s{"s", "s", "", {}};
  Case c;
  c.name = "case";
  c.status = Status::Fail;
  // U+FFFE and U+FFFF are not XML characters; an overlong '<' and a lone surrogate are not UTF-8.
  c.message =
      "a\xef\xbf\xbe"
      "b\xef\xbf\xbf"
      "c\xc0\xbc"
      "d\xed\xa0\x80"
      "e \xc3\xa9 \xf0\x9f\x99\x82";
  s.cases.push_back(c);
  run.suites.push_back(s);
  auto doc = parse(junit(run));
  EXPECT_STREQ(doc.child("testsuites")
                   .child("testsuite")
                   .child("testcase")
                   .child("failure")
                   .attribute("message")
                   .value(),
               "abcde \xc3\xa9 \xf0\x9f\x99\x82");
}

TEST(JunitWriter, TranscriptCredentialsAreRedacted) {
  std::string xml = junit(testing::sample_run());
  EXPECT_EQ(xml.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(xml.find("hunter2"), std::string::npos);
  EXPECT_NE(xml.find("Authorization: &lt;redacted&gt;"), std::string::npos);
  EXPECT_NE(xml.find("realm=\"https://auth.example/token\""), std::string::npos);
}

TEST(JunitWriter, EmptyRunIsAValidDocument) {
  auto doc = parse(junit(reports::Run{}));
  EXPECT_EQ(doc.child("testsuites").attribute("tests").as_int(), 0);
}

}  // namespace
}  // namespace mpcheck::reports
