// `mpcheck rules`: the catalog, and docs/rules.md generated from it.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "run_command.hpp"

using mpcheck::test::read_file;
using mpcheck::test::run_command;

TEST(RulesCli, DocsRulesMdMatchesTheCatalog) {
  auto r = run_command(std::string(MPCHECK_BINARY) + " rules --format md");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, read_file(std::string(MPCHECK_SOURCE_DIR) + "/docs/rules.md"))
      << "docs/rules.md is stale: regenerate it with `mpcheck rules --format md > docs/rules.md`";
}

TEST(RulesCli, JsonListsEveryRuleOnceWithAllFields) {
  auto r = run_command(std::string(MPCHECK_BINARY) + " rules --format json");
  ASSERT_EQ(r.exit_code, 0);
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError());
  std::set<std::string> ids;
  const std::set<std::string> scopes{"config", "manifest", "artifact", "layer", "registry", "tool"};
  for (const auto& rule : d["rules"].GetArray()) {
    EXPECT_TRUE(ids.insert(rule["id"].GetString()).second) << "duplicate " << rule["id"].GetString();
    EXPECT_TRUE(scopes.count(rule["scope"].GetString())) << rule["id"].GetString();
    std::string severity = rule["severity"].GetString();
    EXPECT_TRUE(severity == "error" || severity == "warning");
    EXPECT_GT(rule["title"].GetStringLength(), 5u);
    EXPECT_EQ(std::string(rule["spec"].GetString()).rfind("https://", 0), 0u);
  }
  EXPECT_GE(ids.size(), 20u);
  EXPECT_TRUE(ids.count("MPC002"));
}

TEST(RulesCli, TextIsTheDefaultAndVersionWorks) {
  auto r = run_command(std::string(MPCHECK_BINARY) + " rules");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("MPM009  error    manifest  org.cncf.model.filepath is not a safe relative path"),
            std::string::npos)
      << r.out;
  auto v = run_command(std::string(MPCHECK_BINARY) + " --version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("mpcheck ", 0), 0u);
}
