// `mpcheck lint` as a user runs it: output lines, JSON shape, exit codes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "run_command.hpp"

using mpcheck::test::run_command;
using mpcheck::test::TempDir;

namespace {

const std::string kBin = MPCHECK_BINARY;
const std::string kExamples = std::string(MPCHECK_SOURCE_DIR) + "/fixtures/examples/";

const std::string kBadConfig = R"({
  "descriptor": {"name": "m"},
  "config": {
    "paramSize": "6.75B",
    "precision": "fp16"
  },
  "modelfs": {"type": "layers", "diffIds": ["sha256:00"]}
})";

const std::string kWarnOnlyConfig = R"({
  "descriptor": {"name": "m"},
  "config": {"precision": "fp16"},
  "modelfs": {"type": "layers", "diffIds": ["sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef"]}
})";

}  // namespace

TEST(LintCli, SpecExamplesLintClean) {
  auto r = run_command(kBin + " lint " + kExamples + "config.json " + kExamples + "manifest.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // The spec's own example manifest has no org.cncf.model.filepath on its four layers: a
  // SHOULD of the spec, so four MPM015 warnings and no error.
  EXPECT_NE(r.out.find("manifest.json:11:9: warning[MPM015]: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n2 targets checked: 0 invalid, 0 errors, 4 warnings\n"), std::string::npos)
      << r.out;
}

TEST(LintCli, TextFormatPointsAtFileLineColumn) {
  TempDir dir;
  auto file = dir.write("config.json", kBadConfig);
  auto r = run_command("NO_COLOR=1 " + kBin + " lint " + file);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(file +
                       ":4:18: warning[MPC002]: paramSize \"6.75B\" has 2 decimal digits; the spec "
                       "allows at most one (e.g. \"6.7B\") (at /config/paramSize)\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(file + ":5:18: warning[MPC003]: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(file + ":7:45: error[MPC007]: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 target checked: 1 invalid, 1 error, 2 warnings\n"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find('\033'), std::string::npos) << "no colour when not a terminal";
}

TEST(LintCli, JsonFormatHasTheDocumentedShape) {
  TempDir dir;
  auto bad = dir.write("bad.json", kBadConfig);
  auto r = run_command(kBin + " lint --format json " + bad + " " + kExamples + "manifest.json");
  EXPECT_EQ(r.exit_code, 1);
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_FALSE(d.HasParseError()) << r.out;
  EXPECT_STREQ(d["tool"]["name"].GetString(), "mpcheck");
  EXPECT_TRUE(d["tool"]["version"].IsString());
  EXPECT_STREQ(d["spec"].GetString(), "main");
  ASSERT_EQ(d["results"].Size(), 2u);
  const auto& first = d["results"][0];
  EXPECT_EQ(first["target"].GetString(), bad);
  EXPECT_STREQ(first["kind"].GetString(), "config");
  EXPECT_FALSE(first["valid"].GetBool());
  ASSERT_EQ(first["diagnostics"].Size(), 3u);
  const auto& diag = first["diagnostics"][0];
  for (const char* key : {"rule", "severity", "message", "pointer", "line", "column", "spec"})
    EXPECT_TRUE(diag.HasMember(key)) << key;
  EXPECT_STREQ(d["results"][1]["kind"].GetString(), "manifest");
  EXPECT_TRUE(d["results"][1]["valid"].GetBool());
  EXPECT_EQ(d["summary"]["targets"].GetUint(), 2u);
  EXPECT_EQ(d["summary"]["errors"].GetUint(), 1u);
  EXPECT_EQ(d["summary"]["warnings"].GetUint(), 6u);  // MPC002, MPC003; MPM015 x4 (example)
}

TEST(LintCli, WarningsPassUnlessStrict) {
  TempDir dir;
  auto file = dir.write("warn.json", kWarnOnlyConfig);
  EXPECT_EQ(run_command(kBin + " lint " + file).exit_code, 0);
  EXPECT_EQ(run_command(kBin + " lint --strict " + file).exit_code, 1);
}

TEST(LintCli, ReadsStandardInput) {
  auto r = run_command(kBin + " lint --kind manifest - < " + kExamples + "manifest.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto bad = run_command("echo '{\"schemaVersion\": 2}' | " + kBin + " lint -");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("<stdin>:1:1: error[MPM001]"), std::string::npos) << bad.out;
}

TEST(LintCli, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(run_command(kBin + " lint /nonexistent/config.json 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_command(kBin + " lint --bogus x.json 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_command(kBin + " lint --kind index x.json 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_command(kBin + " lint 2>/dev/null").exit_code, 2);
  EXPECT_EQ(run_command(kBin + " lint " + kExamples + " 2>/dev/null").exit_code, 2);
  auto both = run_command(kBin + " lint /nonexistent.json " + kExamples + "config.json 2>&1");
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.out.find("mpcheck: /nonexistent.json: no such file"), std::string::npos);
  EXPECT_NE(both.out.find("1 target checked"), std::string::npos) << "other files still linted";
}

TEST(LintCli, HostileInputIsAFindingNotACrash) {
  TempDir dir;
  auto deep = dir.write("deep.json", std::string(100000, '[') + std::string(100000, ']'));
  auto r = run_command(kBin + " lint " + deep);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPJ006]"), std::string::npos) << r.out;

  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 7919) & 0xff));
  auto bin = dir.write("bin.json", binary);
  r = run_command(kBin + " lint " + bin);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPJ00"), std::string::npos) << r.out;

  auto empty = dir.write("empty.json", "");
  r = run_command(kBin + " lint " + empty);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPJ001]: document is empty"), std::string::npos) << r.out;

  auto big = dir.write("big.json", "[" + std::string(2000, ' ') + "]");
  r = run_command(kBin + " lint --max-bytes 1000 " + big);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPJ007]: document is 2002 bytes; the limit is 1000 bytes"),
            std::string::npos)
      << r.out;
}

TEST(LintCli, SpecVersionFlag) {
  auto r = run_command(kBin + " lint --spec v0.0.7 " + kExamples + "config-v0.0.7.json");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("warning[MPC003]"), std::string::npos) << r.out;  // its own "fp16"
  auto newer = run_command(kBin + " lint --spec v0.0.7 " + kExamples + "config.json");
  EXPECT_EQ(newer.exit_code, 1) << "datasetsURL and languages are not in v0.0.7";
}
