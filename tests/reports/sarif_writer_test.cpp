#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <sstream>

#include "mpcheck/reports/writers.hpp"
#include "sample_run.hpp"

namespace mpcheck::reports {
namespace {

rapidjson::Document sarif(const Run& run) {
  std::ostringstream out;
  write_sarif(run, out);
  rapidjson::Document doc;
  std::string text = out.str();
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str(), text.size());
  EXPECT_FALSE(doc.HasParseError()) << text;
  return doc;
}

std::string str(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

TEST(SarifWriter, TopLevelAndDriver) {
  auto doc = sarif(testing::sample_run());
  ASSERT_TRUE(doc.IsObject());
  EXPECT_NE(str(doc["$schema"]).find("sarif-schema-2.1.0.json"), std::string::npos);
  EXPECT_EQ(str(doc["version"]), "2.1.0");
  ASSERT_TRUE(doc["runs"].IsArray());
  ASSERT_EQ(doc["runs"].Size(), 1u);
  const auto& driver = doc["runs"][0]["tool"]["driver"];
  EXPECT_EQ(str(driver["name"]), "mpcheck");
  EXPECT_EQ(str(driver["version"]), "9.9.9");
  EXPECT_TRUE(str(driver["informationUri"]).starts_with("https://"));
  const auto& rules = driver["rules"];
  ASSERT_EQ(rules.Size(), 3u);
  EXPECT_EQ(str(rules[1]["id"]), "MPC002");
  EXPECT_EQ(str(rules[1]["name"]), "ParamSizeIsNotCountScale");
  EXPECT_EQ(str(rules[1]["shortDescription"]["text"]), "paramSize is not <count><scale>");
  EXPECT_EQ(str(rules[1]["helpUri"]), "https://x/2");
  EXPECT_EQ(str(rules[1]["defaultConfiguration"]["level"]), "error");
  EXPECT_EQ(str(rules[2]["defaultConfiguration"]["level"]), "warning");
}

TEST(SarifWriter, ResultPerFindingWithLocation) {
  auto doc = sarif(testing::sample_run());
  const auto& results = doc["runs"][0]["results"];
  ASSERT_TRUE(results.IsArray());
  ASSERT_EQ(results.Size(), 2u);

  const auto& r0 = results[0];
  EXPECT_EQ(str(r0["ruleId"]), "MPC002");
  EXPECT_EQ(r0["ruleIndex"].GetInt(), 1);
  EXPECT_EQ(str(r0["level"]), "error");
  EXPECT_EQ(str(r0["message"]["text"]), "paramSize \"6.75B\" has two decimals");
  const auto& loc = r0["locations"][0];
  EXPECT_EQ(str(loc["physicalLocation"]["artifactLocation"]["uri"]), "configs/a.json");
  EXPECT_EQ(loc["physicalLocation"]["region"]["startLine"].GetInt(), 3);
  EXPECT_EQ(loc["physicalLocation"]["region"]["startColumn"].GetInt(), 5);
  EXPECT_EQ(str(loc["logicalLocations"][0]["fullyQualifiedName"]), "/config/paramSize");

  const auto& r1 = results[1];
  EXPECT_EQ(str(r1["ruleId"]), "MPC010");
  EXPECT_EQ(r1["ruleIndex"].GetInt(), 2);
  EXPECT_EQ(str(r1["level"]), "warning");
  // Line 0 means unknown: SARIF regions are 1-based, so no region at all.
  EXPECT_FALSE(r1["locations"][0]["physicalLocation"].HasMember("region"));
  EXPECT_FALSE(r1["locations"][0].HasMember("logicalLocations"));
}

TEST(SarifWriter, UnknownRuleHasNoIndexAndTargetsBecomeUris) {
  reports::Run run;
  Suite s{"<stdin>", "<stdin>", "config", {}};
  Case c;
  c.name = "x";
  c.status = Status::Fail;
  c.findings.push_back(testing::finding("MPX999", "error", "bad \xff byte", "/a", 1, 1));
  s.cases.push_back(c);
  run.suites.push_back(s);
  auto doc = sarif(run);  // parsed with UTF-8 validation: the bad byte became U+FFFD
  const auto& r = doc["runs"][0]["results"][0];
  EXPECT_FALSE(r.HasMember("ruleIndex"));
  EXPECT_EQ(str(r["message"]["text"]), "bad \xef\xbf\xbd byte");
  EXPECT_EQ(str(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]), "%3Cstdin%3E");
}

}  // namespace
}  // namespace mpcheck::reports
