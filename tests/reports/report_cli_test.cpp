// Runs the mpcheck binary the way a CI job would: lint with each report format and
// --report-dir, then report merge over the shards.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <pugixml.hpp>

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-cli-XXXXXX").string();
    path = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

struct Result {
  int exit_code = -1;
  std::string out;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Arguments are test-made temp paths and fixed words: no shell metacharacters in them.
Result mpcheck(const TempDir& tmp, const std::string& args) {
  auto out = tmp.path / "stdout";
  std::string cmd = "cd '" + tmp.path.string() + "' && timeout 60 '" MPCHECK_BINARY "' " + args +
                    " > '" + out.string() + "' 2> '" + (tmp.path / "stderr").string() + "'";
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out)};
}

class ReportCli : public ::testing::Test {
 protected:
  TempDir tmp;
  void SetUp() override {
    // A config missing required members: an invalid document with findings.
    std::ofstream(tmp.path / "bad.json") << R"({"descriptor":{"name":"x"}})";
  }
};

TEST_F(ReportCli, JunitOnStdout) {
  auto r = mpcheck(tmp, "lint --format junit bad.json");
  EXPECT_EQ(r.exit_code, 1);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(r.out.c_str())) << r.out;
  auto suite = doc.child("testsuites").child("testsuite");
  EXPECT_STREQ(suite.attribute("name").value(), "bad.json");
  EXPECT_GE(suite.attribute("failures").as_int(), 1);
  EXPECT_TRUE(suite.find_child([](pugi::xml_node n) { return bool(n.child("failure")); }));
}

TEST_F(ReportCli, SarifOnStdout) {
  auto r = mpcheck(tmp, "lint --format sarif bad.json");
  EXPECT_EQ(r.exit_code, 1);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_STREQ(doc["version"].GetString(), "2.1.0");
  ASSERT_GE(doc["runs"][0]["results"].Size(), 1u);
  EXPECT_STREQ(
      doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
          .GetString(),
      "bad.json");
}

TEST_F(ReportCli, HtmlOnStdout) {
  auto r = mpcheck(tmp, "lint --format html bad.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(r.out.find("<h1>invalid</h1>"), std::string::npos);
}

TEST_F(ReportCli, JsonKeepsTheLintShape) {
  auto r = mpcheck(tmp, "lint --format json bad.json");
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc.HasMember("results"));
  EXPECT_FALSE(doc.HasMember("cases"));
}

TEST_F(ReportCli, UnknownFormatIsAUsageError) {
  EXPECT_EQ(mpcheck(tmp, "lint --format xml bad.json").exit_code, 2);
}

TEST_F(ReportCli, ReportDirWritesEveryFile) {
  auto r = mpcheck(tmp, "lint --report-dir out/a bad.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("bad.json:"), std::string::npos);  // text still on stdout
  for (const char* name : {"junit.xml", "report.html", "results.json", "results.sarif"})
    EXPECT_TRUE(fs::exists(tmp.path / "out/a" / name)) << name;
}

TEST_F(ReportCli, ReportDirFailureExitsTwo) {
  std::ofstream(tmp.path / "afile") << "x";
  auto r = mpcheck(tmp, "lint --report-dir afile/sub bad.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(slurp(tmp.path / "stderr").find("cannot create"), std::string::npos);
}

TEST_F(ReportCli, MergeShards) {
  std::ofstream(tmp.path / "good.json")
      << R"({"descriptor":{"name":"x"},"config":{},"modelfs":{"type":"layers","diffIds":[]}})";
  EXPECT_EQ(mpcheck(tmp, "lint --report-dir s1 bad.json").exit_code, 1);
  mpcheck(tmp, "lint --report-dir s2 good.json");
  auto merged = mpcheck(tmp, "report merge --out merged s1/results.json s2/results.json");
  EXPECT_EQ(merged.exit_code, 1) << slurp(tmp.path / "stderr");
  for (const char* name : {"junit.xml", "report.html", "results.json", "results.sarif"})
    EXPECT_TRUE(fs::exists(tmp.path / "merged" / name)) << name;
  rapidjson::Document doc;
  std::string text = slurp(tmp.path / "merged/results.json");
  doc.Parse(text.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_STREQ(doc["verdict"].GetString(), "invalid");
  ASSERT_EQ(doc["targets"].Size(), 2u);
  EXPECT_STREQ(doc["targets"][0].GetString(), "bad.json");
  EXPECT_STREQ(doc["targets"][1].GetString(), "good.json");
}

TEST_F(ReportCli, MergeRejectsAMalformedFile) {
  std::ofstream(tmp.path / "broken.json") << "{\"tool\": [";
  auto r = mpcheck(tmp, "report merge --out merged broken.json");
  EXPECT_EQ(r.exit_code, 2);
  std::string err = slurp(tmp.path / "stderr");
  EXPECT_NE(err.find("broken.json: not valid JSON at byte"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(tmp.path / "merged"));
}

}  // namespace
