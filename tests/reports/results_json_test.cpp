#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "sample_run.hpp"

namespace mpcheck::reports {
namespace {

namespace fs = std::filesystem;

std::string results_json(const Run& run) {
  std::ostringstream out;
  write_results_json(run, out);
  return out.str();
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-results-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

TEST(ResultsJson, DocumentedShape) {
  std::string text = results_json(testing::sample_run());
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["tool"]["name"].GetString(), "mpcheck");
  EXPECT_STREQ(doc["tool"]["version"].GetString(), "9.9.9");
  EXPECT_STREQ(doc["command"].GetString(), "lint");
  EXPECT_STREQ(doc["spec"].GetString(), "main");
  EXPECT_STREQ(doc["verdict"].GetString(), "invalid");
  ASSERT_EQ(doc["targets"].Size(), 2u);
  EXPECT_STREQ(doc["targets"][1].GetString(), "registry.example/models/llama:1");
  EXPECT_STREQ(doc["configuration"]["registry"].GetString(),
               "https://user:<redacted>@registry.example");
  ASSERT_EQ(doc["cases"].Size(), 5u);
  const auto& fail = doc["cases"][1];
  EXPECT_STREQ(fail["suite"].GetString(), "configs/a.json");
  EXPECT_STREQ(fail["status"].GetString(), "fail");
  EXPECT_TRUE(fail["required"].GetBool());
  EXPECT_DOUBLE_EQ(fail["duration"].GetDouble(), 1.5);
  EXPECT_EQ(fail["findings"].Size(), 2u);
  EXPECT_STREQ(fail["findings"][0]["pointer"].GetString(), "/config/paramSize");
  EXPECT_FALSE(doc["cases"][0].HasMember("findings"));
  const auto& summary = doc["summary"];
  EXPECT_EQ(summary["total"].GetInt(), 5);
  EXPECT_EQ(summary["passed"].GetInt(), 2);
  EXPECT_EQ(summary["failed"].GetInt(), 1);
  EXPECT_EQ(summary["skipped"].GetInt(), 1);
  EXPECT_EQ(summary["errors"].GetInt(), 1);
  EXPECT_EQ(summary["errorFindings"].GetInt(), 1);
  EXPECT_EQ(summary["warningFindings"].GetInt(), 1);
  EXPECT_EQ(text.find("s3cr3t"), std::string::npos);
}

TEST(ResultsJson, RoundTripKeepsEveryField) {
  reports::Run original = testing::sample_run();
  auto back = parse_results_json(results_json(original));
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->tool_name, original.tool_name);
  EXPECT_EQ(back->tool_version, original.tool_version);
  EXPECT_EQ(back->command, original.command);
  EXPECT_EQ(verdict_word(*back), verdict_word(original));
  EXPECT_EQ(back->problems, original.problems);
  EXPECT_EQ(back->rules.size(), 3u);
  EXPECT_EQ(back->rules[1].title, original.rules[1].title);
  ASSERT_EQ(back->suites.size(), 2u);
  EXPECT_EQ(back->suites[1].target, "registry.example/models/llama:1");
  EXPECT_EQ(back->suites[1].kind, "registry");
  ASSERT_EQ(back->suites[0].cases.size(), 3u);
  const Case& fail = back->suites[0].cases[1];
  EXPECT_EQ(fail.status, Status::Fail);
  EXPECT_EQ(fail.details, "expected at most one decimal digit");
  EXPECT_EQ(fail.spec_links, original.suites[0].cases[1].spec_links);
  ASSERT_EQ(fail.findings.size(), 2u);
  EXPECT_EQ(fail.findings[0].line, 3u);
  EXPECT_EQ(fail.findings[0].column, 5u);
  EXPECT_EQ(fail.findings[0].severity, "error");
  EXPECT_EQ(back->suites[0].cases[2].status, Status::Skip);
  EXPECT_FALSE(back->suites[0].cases[2].required);
  const Case& err = back->suites[1].cases[0];
  EXPECT_EQ(err.status, Status::Error);
  ASSERT_EQ(err.transcript.size(), 1u);
  EXPECT_NE(err.transcript[0].request.find("Authorization: <redacted>"), std::string::npos);
  // Writing the parsed run again gives the same bytes.
  EXPECT_EQ(results_json(*back), results_json(original));
}

TEST(ResultsJson, SuitesOfTheSameNameStayApart) {
  reports::Run run;
  for (int i = 0; i < 2; ++i) {
    Suite s{"same.json", "same.json", "config", {}};
    Case c;
    c.name = "case " + std::to_string(i);
    s.cases.push_back(c);
    run.suites.push_back(s);
  }
  auto back = parse_results_json(results_json(run));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->suites.size(), 2u);
  EXPECT_EQ(back->suites[1].cases.at(0).name, "case 1");
}

TEST(ResultsJson, MalformedInputsGiveClearErrors) {
  auto not_json = parse_results_json("{\"tool\":");
  ASSERT_FALSE(not_json);
  EXPECT_NE(not_json.error().find("not valid JSON at byte"), std::string::npos);
  auto no_cases = parse_results_json(R"({"tool":{"name":"mpcheck"}})");
  ASSERT_FALSE(no_cases);
  EXPECT_NE(no_cases.error().find("\"cases\""), std::string::npos);
  auto bad_status = parse_results_json(
      R"({"tool":{"name":"m"},"command":"lint","cases":[{"suite":"s","name":"n","status":"ok"}]})");
  ASSERT_FALSE(bad_status);
  EXPECT_EQ(bad_status.error(), "$.cases[0].status \"ok\" is not pass, fail, skip or error");
  auto bad_line = parse_results_json(
      R"({"tool":{"name":"m"},"command":"lint","cases":[{"suite":"s","name":"n","status":"fail",)"
      R"("findings":[{"rule":"R","severity":"error","message":"m","line":-1}]}]})");
  ASSERT_FALSE(bad_line);
  EXPECT_EQ(bad_line.error(), "$.cases[0].findings[0].line is not a non-negative integer");
  std::string deep(100000, '[');
  EXPECT_FALSE(parse_results_json(deep));  // iterative parser: an error, not a stack overflow
}

TEST(ResultsJson, ReadEnforcesTheSizeLimit) {
  TempDir tmp;
  auto path = tmp.path / "results.json";
  std::ofstream(path) << results_json(testing::sample_run());
  EXPECT_TRUE(read_results_json(path));
  auto too_big = read_results_json(path, 100);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().find("the limit for a results.json is 100 bytes"), std::string::npos);
  EXPECT_TRUE(too_big.error().starts_with(path.string()));
  auto missing = read_results_json(tmp.path / "nope.json");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().starts_with((tmp.path / "nope.json").string()));
}

TEST(Merge, SuitesConcatenatedAndVerdictRecomputed) {
  reports::Run valid;
  valid.command = "lint";
  valid.rules = {{"MPC001", "error", "config", "t", ""}};
  Case pass;
  pass.name = "MPC001 t";
  valid.suites.push_back(Suite{"b.json", "b.json", "config", {pass}});
  valid.configuration = {{"spec", "main"}};
  reports::Run invalid = testing::sample_run();

  // Through results.json, the way `mpcheck report merge` gets them.
  auto a = parse_results_json(results_json(valid));
  auto b = parse_results_json(results_json(invalid));
  ASSERT_TRUE(a && b);
  std::vector<reports::Run> runs{*a, *b};
  reports::Run merged = merge_runs(runs);
  EXPECT_EQ(verdict_word(merged), "invalid");
  EXPECT_EQ(merged.command, "lint");
  ASSERT_EQ(merged.suites.size(), 3u);
  EXPECT_EQ(merged.suites[0].name, "b.json");
  EXPECT_EQ(merged.suites[1].name, "configs/a.json");
  EXPECT_EQ(merged.rules.size(), 3u);  // MPC001 once
  Counts c = count(merged);
  EXPECT_EQ(c.passed, 3u);
  EXPECT_EQ(c.failed, 1u);

  std::vector<reports::Run> only_valid{*a, *a};
  EXPECT_EQ(verdict_word(merge_runs(only_valid)), "valid");
  EXPECT_EQ(merge_runs(only_valid).suites.size(), 2u);

  // A shard whose required case failed makes the merge not conformant; an optional failure
  // does not; read back from results.json, which keeps status and required.
  reports::Run bad;
  bad.command = "conformance";
  Case failed;
  failed.name = "push/blob-chunked";
  failed.status = Status::Fail;
  bad.suites.push_back(Suite{"push", "r/x", "registry", {failed}});
  reports::Run good = bad;
  good.suites[0].cases[0].required = false;
  auto bad_back = parse_results_json(results_json(bad));
  auto good_back = parse_results_json(results_json(good));
  ASSERT_TRUE(bad_back && good_back);
  std::vector<reports::Run> conf{*good_back, *bad_back};
  EXPECT_EQ(verdict_word(merge_runs(conf)), "not-conformant");
  std::vector<reports::Run> optional_only{*good_back, *good_back};
  EXPECT_EQ(verdict_word(merge_runs(optional_only)), "conformant");
}

TEST(ReportDir, WritesEveryFile) {
  TempDir tmp;
  auto dir = tmp.path / "nested" / "reports";
  auto written = write_report_dir(testing::sample_run(), dir, true);
  ASSERT_TRUE(written) << written.error();
  for (auto name : {kJunitFile, kHtmlFile, kResultsFile, kSarifFile}) {
    EXPECT_TRUE(fs::exists(dir / name)) << name;
    EXPECT_GT(fs::file_size(dir / name), 100u) << name;
    EXPECT_FALSE(fs::exists(dir / (std::string(name) + ".tmp"))) << name;
  }
  auto back = read_results_json(dir / kResultsFile);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(back->suites.size(), 2u);

  auto without = tmp.path / "nosarif";
  ASSERT_TRUE(write_report_dir(testing::sample_run(), without, false));
  EXPECT_FALSE(fs::exists(without / kSarifFile));
}

TEST(ReportDir, FailureIsAnErrorValue) {
  TempDir tmp;
  std::ofstream(tmp.path / "file") << "x";
  auto written = write_report_dir(testing::sample_run(), tmp.path / "file" / "sub", true);
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().find("cannot create"), std::string::npos);
}

}  // namespace
}  // namespace mpcheck::reports
