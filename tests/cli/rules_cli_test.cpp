// `mpcheck rules`: the catalog, docs/rules.md generated from it, `mpcheck rules ID`, and
// docs/traceability.md with the spec statements it maps to rules and fixtures.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "../../validator/include/mpcheck/validator/traceability.hpp"
#include "prerequisite.hpp"
#include "run_command.hpp"

using mpcheck::test::read_file;
using mpcheck::test::run_command;
namespace fs = std::filesystem;

namespace {

const std::string kBin = MPCHECK_BINARY;
const fs::path kSource = MPCHECK_SOURCE_DIR;

struct RuleInfo {
  std::string severity, basis;
};

std::map<std::string, RuleInfo> catalog() {
  std::map<std::string, RuleInfo> out;
  auto r = run_command(kBin + " rules --format json");
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  if (d.HasParseError()) return out;
  for (const auto& rule : d["rules"].GetArray())
    out[rule["id"].GetString()] = {rule["severity"].GetString(), rule["basis"].GetString()};
  return out;
}

// The spec snapshot the quotes come from (modelpack/<version>/ and oci/image-spec/): the
// project's shared/spec folder beside the repository, as CI lays it out; MPCHECK_SPEC_DIR
// overrides the location.
fs::path spec_dir() {
  const char* env = std::getenv("MPCHECK_SPEC_DIR");
  return env && *env ? fs::path(env)
                     : fs::path(MPCHECK_SOURCE_DIR).parent_path() / "shared" / "spec";
}

std::vector<std::string> versions_of(std::string_view versions) {
  std::vector<std::string> out;
  for (std::string_view v : {"main", "v0.0.7"})
    if (versions.find(v) != std::string_view::npos) out.emplace_back(v);
  return out;
}

std::string with_version(std::string path, const std::string& version) {
  if (auto p = path.find("{version}"); p != std::string::npos) path.replace(p, 9, version);
  return path;
}

}  // namespace

TEST(RulesCli, DocsRulesMdMatchesTheCatalog) {
  auto r = run_command(kBin + " rules --format md");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, read_file((kSource / "docs/rules.md").string()))
      << "docs/rules.md is stale: regenerate it with `mpcheck rules --format md > docs/rules.md`";
}

TEST(RulesCli, JsonListsEveryRuleOnceWithAllFields) {
  auto r = run_command(kBin + " rules --format json");
  ASSERT_EQ(r.exit_code, 0);
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError());
  std::set<std::string> ids;
  const std::set<std::string> scopes{"config", "manifest", "artifact", "layer", "registry", "tool"};
  const std::set<std::string> error_bases{"schema", "must", "safety"};
  const std::set<std::string> warning_bases{"should", "guidance"};
  for (const auto& rule : d["rules"].GetArray()) {
    std::string id = rule["id"].GetString();
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
    EXPECT_TRUE(scopes.count(rule["scope"].GetString())) << id;
    std::string severity = rule["severity"].GetString();
    std::string basis = rule["basis"].GetString();
    if (severity == "error")
      EXPECT_TRUE(error_bases.count(basis)) << id << " is an error with basis " << basis;
    else
      EXPECT_TRUE(severity == "warning" && warning_bases.count(basis))
          << id << " is a " << severity << " with basis " << basis;
    EXPECT_GT(rule["title"].GetStringLength(), 5u);
    EXPECT_GT(rule["quote"].GetStringLength(), 15u) << id;
    EXPECT_GT(rule["example"].GetStringLength(), 0u) << id;
    EXPECT_GT(rule["fix"].GetStringLength(), 0u) << id;
    EXPECT_EQ(std::string(rule["spec"].GetString()).rfind("https://", 0), 0u);
  }
  EXPECT_GE(ids.size(), 20u);
  EXPECT_TRUE(ids.count("MPC002"));
  EXPECT_TRUE(ids.count("MPA012") && ids.count("MPM015") && ids.count("MPM016"));
}

TEST(RulesCli, TextIsTheDefaultAndShowsBasisAndQuote) {
  auto r = run_command(kBin + " rules");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("MPM009  error    manifest  org.cncf.model.filepath is not a safe relative "
                       "path\n        safety: "),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("MPC005  warning  config  license is not a valid SPDX license expression\n"
                       "        guidance: A list of licenses under which the model is "
                       "distributed, represented as [SPDX License "
                       "Expressions][spdx-license-expression].\n"),
            std::string::npos)
      << r.out;
  auto v = run_command(kBin + " --version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("mpcheck ", 0), 0u);
}

// A rule's quote is verbatim from the document its spec link names (ModelPack and image-spec
// documents; RFC quotes and schema summaries are not in the snapshot, safety rules quote the
// hazard).
TEST(RulesCli, CatalogQuotesOccurInTheDocumentTheyLink) {
  const fs::path spec = spec_dir();
  MPCHECK_REQUIRE(fs::exists(spec / "modelpack/main/spec.md"),
                  "the spec snapshot at " + spec.string() + " (MPCHECK_SPEC_DIR)");
  auto r = run_command(kBin + " rules --format json");
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError());
  std::size_t checked = 0;
  for (const auto& rule : d["rules"].GetArray()) {
    std::string basis = rule["basis"].GetString();
    if (basis == "safety" || basis == "schema") continue;
    std::string link = rule["spec"].GetString();
    link = link.substr(0, link.find('#'));
    fs::path doc;
    for (auto [prefix, dir] :
         {std::pair{"https://github.com/modelpack/model-spec/blob/main/docs/", "modelpack/main/"},
          std::pair{"https://github.com/opencontainers/image-spec/blob/main/", "oci/image-spec/"}})
      if (link.starts_with(prefix)) doc = spec / dir / link.substr(std::string(prefix).size());
    if (doc.empty()) continue;  // an RFC
    ++checked;
    EXPECT_NE(read_file(doc.string()).find(rule["quote"].GetString()), std::string::npos)
        << rule["id"].GetString() << ": \"" << rule["quote"].GetString() << "\" is not in " << doc;
  }
  EXPECT_GE(checked, 25u);
}

TEST(RulesCli, ExplainsOneRuleCaseInsensitively) {
  auto r = run_command(kBin + " rules mpc002");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(
      r.out,
      "MPC002: paramSize is not <count><scale-prefix>\n\n"
      "  severity  warning\n"
      "  basis     guidance\n"
      "  scope     config\n"
      "  quote     The model size is represented as a combination of a decimal `count` "
      "and a single-letter `scale-prefix` in the format of `<count><scale-prefix>`\n"
      "  spec      https://github.com/modelpack/model-spec/blob/main/docs/config.md#properties\n"
      "  example   \"paramSize\": \"6.75B\"\n"
      "  fix       write a count with at most one decimal digit and one of Q, T, B, M, K: "
      "\"6.8B\"\n");
  auto j = run_command(kBin + " rules Mpm016 --format json");
  ASSERT_EQ(j.exit_code, 0) << j.out;
  rapidjson::Document d;
  d.Parse(j.out.c_str());
  ASSERT_FALSE(d.HasParseError()) << j.out;
  EXPECT_STREQ(d["id"].GetString(), "MPM016");
  EXPECT_STREQ(d["severity"].GetString(), "warning");
  EXPECT_STREQ(d["basis"].GetString(), "guidance");
  EXPECT_NE(std::string(d["fix"].GetString()).find("typeflag"), std::string::npos);
  auto n = run_command(kBin + " rules MPA012");
  ASSERT_EQ(n.exit_code, 0);
  EXPECT_NE(n.out.find("  severity  error\n  basis     must\n"), std::string::npos) << n.out;
  EXPECT_NE(n.out.find("sha256:44136fa3"), std::string::npos) << n.out;
}

TEST(RulesCli, UnknownRuleIsExit2WithANearId) {
  auto r = run_command(kBin + " rules MPC02 2>&1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out,
            "mpcheck rules: unknown rule id \"MPC02\"; did you mean MPC002? (`mpcheck rules` "
            "lists them all)\n");
  auto far = run_command(kBin + " rules NOPE42 2>&1");
  EXPECT_EQ(far.exit_code, 2);
  EXPECT_EQ(far.out.find("did you mean"), std::string::npos) << far.out;
  EXPECT_NE(far.out.find("unknown rule id \"NOPE42\""), std::string::npos) << far.out;
}

TEST(RulesCli, DocsTraceabilityMdIsTheGeneratedTable) {
  auto r = run_command(kBin + " rules --format traceability");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, read_file((kSource / "docs/traceability.md").string()))
      << "docs/traceability.md is stale: regenerate it with "
         "`mpcheck rules --format traceability > docs/traceability.md`";
  EXPECT_NE(r.out.find(" statements of ModelPack main and v0.0.7: "), std::string::npos);
}

// Every row names a rule that exists and a fixture that declares that rule, or says why not;
// and no error rule rests on a statement weaker than MUST/REQUIRED/schema unless it is a safety
// rule or the row names the stronger text that binds the same thing.
TEST(RulesCli, TraceabilityRowsNameRealRulesAndFixturesAndCheckNothingHarder) {
  auto rules = catalog();
  ASSERT_FALSE(rules.empty());
  const std::set<std::string_view> strong{"MUST", "MUST NOT", "REQUIRED", "schema"};
  std::size_t checked = 0;
  for (const auto& s : mpcheck::trace_statements()) {
    SCOPED_TRACE(std::string(s.doc) + ": " + std::string(s.quote));
    EXPECT_FALSE(versions_of(s.versions).empty());
    if (s.rule.empty()) {
      EXPECT_TRUE(s.note.starts_with("untestable: ") || s.note.starts_with("not checked yet: "))
          << s.note;
      EXPECT_TRUE(s.fixture.empty());
      continue;
    }
    ++checked;
    auto it = rules.find(std::string(s.rule));
    ASSERT_NE(it, rules.end()) << s.rule << " is not a rule";
    std::string fixture(s.fixture.substr(0, s.fixture.find(':')));
    auto yaml = kSource / "fixtures/corpus" / (fixture + ".yaml");
    ASSERT_TRUE(fs::exists(yaml)) << s.fixture << " is not a corpus fixture";
    EXPECT_NE(read_file(yaml.string()).find(std::string(s.rule)), std::string::npos)
        << s.fixture << " does not declare " << s.rule;
    if (it->second.severity == "error" && it->second.basis != "safety") {
      EXPECT_TRUE(strong.count(s.keyword) || !s.binding.empty())
          << s.rule << " is an error (" << it->second.basis << ") on a \"" << s.keyword
          << "\" statement with no binding";
    }
  }
  EXPECT_GE(checked, 40u);
}

TEST(RulesCli, TraceabilityQuotesOccurInTheSpecDocumentsTheyCite) {
  const fs::path spec = spec_dir();
  MPCHECK_REQUIRE(fs::exists(spec / "modelpack/main/spec.md"),
                  "the spec snapshot at " + spec.string() + " (MPCHECK_SPEC_DIR)");
  for (const auto& s : mpcheck::trace_statements()) {
    for (const auto& version : versions_of(s.versions)) {
      auto doc = spec / "modelpack" / version / std::string(s.doc);
      ASSERT_TRUE(fs::exists(doc)) << doc;
      EXPECT_NE(read_file(doc.string()).find(std::string(s.quote)), std::string::npos)
          << "\"" << s.quote << "\" is not in " << doc;
      if (s.binding.empty()) continue;
      auto bar = s.binding.find('|');
      auto bound = spec / with_version(std::string(s.binding.substr(0, bar)), version);
      EXPECT_NE(read_file(bound.string()).find(std::string(s.binding.substr(bar + 1))),
                std::string::npos)
          << "binding \"" << s.binding.substr(bar + 1) << "\" is not in " << bound;
    }
  }
}
