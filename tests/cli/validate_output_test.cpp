// `mpcheck validate` through the one output path: --report-dir and every --format, each showing
// the one verdict; SARIF locates findings in a layout's JSON blobs by file, line and column.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>

#include "run_command.hpp"

using mpcheck::test::read_file;
using mpcheck::test::run_command;
using mpcheck::test::TempDir;

namespace {

namespace fs = std::filesystem;
const std::string kBin = MPCHECK_BINARY;

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

class ValidateOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = run_command(kBin + " fixtures generate --out " + q(tmp.path() / "corpus") +
                         " --only 'config-schema-violation' 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    r = run_command(kBin + " fixtures generate --out " + q(tmp.path() / "good") +
                    " --only 'gguf-single-file' 2>&1");
    ASSERT_EQ(r.exit_code, 0) << r.out;
    bad = tmp.path() / "corpus" / "config-schema-violation";
    good = tmp.path() / "good" / "gguf-single-file";
  }
  TempDir tmp;
  fs::path bad, good;
};

TEST_F(ValidateOutput, ReportDirWritesEveryFileWithTheVerdict) {
  auto out = tmp.path() / "out";
  auto r = run_command(kBin + " validate --report-dir " + q(out) + " " + q(bad));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("error[MPC001]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 target checked: 1 invalid"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("report: " + (out / "report.html").string() + "\n"), std::string::npos)
      << r.out;
  for (const char* f : {"junit.xml", "report.html", "results.json", "results.sarif"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  EXPECT_NE(read_file(out / "junit.xml").find(R"(name="verdict" value="invalid")"),
            std::string::npos);
  EXPECT_NE(read_file(out / "results.json").find("\"verdict\": \"invalid\""), std::string::npos);
  EXPECT_NE(read_file(out / "report.html").find("data-verdict=\"invalid\""), std::string::npos);

  auto ok = run_command(kBin + " validate --report-dir " + q(tmp.path() / "ok") + " " + q(good));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_NE(read_file(tmp.path() / "ok" / "results.json").find("\"verdict\": \"valid\""),
            std::string::npos);
}

TEST_F(ValidateOutput, SarifPointsAtTheConfigBlobWithLineAndColumn) {
  auto r = run_command(kBin + " validate --format sarif " + q(bad));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  const auto& run = doc["runs"][0];
  EXPECT_STREQ(run["invocations"][0]["properties"]["verdict"].GetString(), "invalid");
  bool seen = false;
  for (const auto& res : run["results"].GetArray()) {
    if (std::string_view(res["ruleId"].GetString()) != "MPC001") continue;
    seen = true;
    const auto& loc = res["locations"][0]["physicalLocation"];
    std::string uri = loc["artifactLocation"]["uri"].GetString();
    std::string blob = res["properties"]["blob"].GetString();
    ASSERT_EQ(blob.rfind("sha256:", 0), 0u) << blob;
    EXPECT_EQ(uri, (bad / "blobs" / "sha256" / blob.substr(7)).string());
    EXPECT_TRUE(fs::exists(uri)) << uri;
    EXPECT_GE(loc["region"]["startLine"].GetUint(), 1u);
    EXPECT_GE(loc["region"]["startColumn"].GetUint(), 1u);
  }
  EXPECT_TRUE(seen) << r.out;
}

TEST_F(ValidateOutput, EveryFormatOnStdoutCarriesTheVerdict) {
  auto junit = run_command(kBin + " validate --format junit " + q(bad));
  EXPECT_EQ(junit.exit_code, 1);
  EXPECT_NE(junit.out.find(R"(name="verdict" value="invalid")"), std::string::npos);
  auto html = run_command(kBin + " validate --format html " + q(good));
  EXPECT_EQ(html.exit_code, 0);
  EXPECT_NE(html.out.find("data-verdict=\"valid\""), std::string::npos);
  auto json = run_command(kBin + " validate --format json " + q(bad) + " " + q(good));
  EXPECT_EQ(json.exit_code, 1);
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json.out;
  EXPECT_STREQ(doc["summary"]["verdict"].GetString(), "invalid");
  EXPECT_EQ(doc["summary"]["invalid"].GetUint(), 1u);
  EXPECT_FALSE(doc["results"][0]["valid"].GetBool());
  EXPECT_TRUE(doc["results"][1]["valid"].GetBool());
}

// A target that cannot be read is "could not run" (exit 2) in every output, not a verdict.
TEST_F(ValidateOutput, UnreadableTargetIsCouldNotRun) {
  auto r = run_command(kBin + " validate --format json " + q(good) + " " +
                       q(tmp.path() / "missing") + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_STREQ(doc["summary"]["verdict"].GetString(), "could-not-run");
  ASSERT_EQ(doc["problems"].Size(), 1u);
  EXPECT_NE(std::string(doc["problems"][0].GetString()).find("missing"), std::string::npos);
  auto text = run_command(kBin + " validate " + q(tmp.path() / "missing") + " 2>&1");
  EXPECT_EQ(text.exit_code, 2);
  EXPECT_NE(text.out.find("0 targets checked: 0 invalid, 0 errors, 0 warnings; 1 not checked"),
            std::string::npos)
      << text.out;
}

// --strict: a warning fails the target, in the verdict and in JSON's valid.
TEST_F(ValidateOutput, StrictCountsWarningsAgainstTheVerdict) {
  std::string config = R"({"descriptor":{"name":"m"},"config":{"paramSize":"6.75B"},)"
                       R"("modelfs":{"type":"layers","diffIds":["sha256:)" +
                       std::string(64, 'a') + R"("]}})";
  auto file = tmp.write("w.json", config);
  auto normal = run_command(kBin + " lint --format json " + q(file));
  EXPECT_EQ(normal.exit_code, 0) << normal.out;
  EXPECT_NE(normal.out.find("\"MPC002\""), std::string::npos) << normal.out;
  EXPECT_NE(normal.out.find("\"verdict\": \"valid\""), std::string::npos) << normal.out;
  auto strict = run_command(kBin + " lint --strict --format json " + q(file));
  EXPECT_EQ(strict.exit_code, 1) << strict.out;
  EXPECT_NE(strict.out.find("\"valid\": false"), std::string::npos) << strict.out;
  EXPECT_NE(strict.out.find("\"verdict\": \"invalid\""), std::string::npos) << strict.out;
}

}  // namespace
