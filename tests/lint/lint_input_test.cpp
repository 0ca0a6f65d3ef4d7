// `mpcheck lint` on hostile input as a user feeds it: endless pipes, sparse multi-terabyte files,
// strings that used to overflow the stack. Each ends promptly with a finding, never a crash.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "run_command.hpp"

using mpcheck::test::run_command;
using mpcheck::test::TempDir;

namespace {

const std::string kBin = MPCHECK_BINARY;

std::string manifest_with_config_digest(const std::string& digest) {
  return R"({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.cncf.model.manifest.v1+json",
  "config": {"mediaType": "application/vnd.cncf.model.config.v1+json", "digest": ")" +
         digest + R"(", "size": 301},
  "layers": [{"mediaType": "application/vnd.cncf.model.weight.v1.tar",
    "digest": "sha256:3f907c1a03bf20f20355fe449e18ff3f9de2e49570ffb536f1a32f20c7179808",
    "size": 5018536960}]})";
}

}  // namespace

// An endless stdin used to be read to its end (never) only to report its size.
TEST(LintInput, EndlessStdinStopsAtTheLimit) {
  auto r = run_command("yes | " + kBin + " lint --max-bytes 1000 - 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("MPJ007"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("document is larger than the limit of 1000 bytes (raise it with "
                       "--max-bytes)"),
            std::string::npos)
      << r.out;
}

TEST(LintInput, EndlessDeviceStopsAtTheLimit) {
  auto r = run_command(kBin + " lint --max-bytes 4096 /dev/zero 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("document is larger than the limit of 4096 bytes"), std::string::npos)
      << r.out;
}

// A sparse 64 GiB file is judged by its size, not read.
TEST(LintInput, SparseHugeFileIsJudgedByItsSize) {
  TempDir dir;
  auto file = dir.write("huge.json", "{");
  std::error_code ec;
  std::filesystem::resize_file(file, std::uintmax_t{1} << 36, ec);
  ASSERT_FALSE(ec) << ec.message();
  auto r = run_command(kBin + " lint " + file + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("document is 68719476736 bytes; the limit is 16777216 bytes"),
            std::string::npos)
      << r.out;
}

TEST(LintInput, DocumentAtTheLimitIsLinted) {
  TempDir dir;
  std::string doc = R"({"a": 1})";
  auto file = dir.write("small.json", doc);
  auto r =
      run_command(kBin + " lint --max-bytes " + std::to_string(doc.size()) + " " + file + " 2>&1");
  EXPECT_EQ(r.out.find("MPJ007"), std::string::npos) << r.out;
  auto piped = run_command("printf '%s' '" + doc + "' | " + kBin + " lint --max-bytes " +
                           std::to_string(doc.size()) + " - 2>&1");
  EXPECT_EQ(piped.out.find("MPJ007"), std::string::npos) << piped.out;
}

// A 100,000-character digest made libstdc++'s std::regex overflow the stack: exit 139, no output.
TEST(LintInput, OverlongDigestIsAFindingNotACrash) {
  TempDir dir;
  auto file =
      dir.write("manifest.json", manifest_with_config_digest("sha256:" + std::string(100000, 'a')));
  auto r = run_command(kBin + " lint " + file + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 2000);
  // The dedicated digest rule reports the value; the schema's finding for it is folded into it.
  EXPECT_NE(r.out.find("error[MPM006]: digest \"sha256:aaaa"), std::string::npos)
      << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("found 100000 (at /config/digest)"), std::string::npos)
      << r.out.substr(0, 2000);
}

TEST(LintInput, OverlongAnnotationKeyIsAFindingNotACrash) {
  TempDir dir;
  std::string text = manifest_with_config_digest(
      "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763");
  text.insert(text.rfind('}'), ", \"annotations\": {\"" + std::string(100000, 'k') + "\": \"v\"}");
  auto file = dir.write("manifest.json", text);
  auto r = run_command(kBin + " lint " + file + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("error[MPM001]: member name of 100000 bytes is longer than the 4096 bytes "
                       "mpcheck checks against the schema"),
            std::string::npos)
      << r.out.substr(0, 2000);
}

TEST(LintInput, LoneLowSurrogateIsMPJ001) {
  TempDir dir;
  auto file = dir.write("c.json", R"({"descriptor": {"name": "\uDC00"}})");
  auto r = run_command(kBin + " lint " + file + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("error[MPJ001]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("unpaired surrogate"), std::string::npos) << r.out;
}

TEST(LintInput, MaxFindingsFlagSetsTheCap) {
  TempDir dir;
  std::string langs;
  for (int i = 0; i < 10; ++i) langs += std::string(i ? "," : "") + "\"zz\"";
  auto file = dir.write(
      "c.json", R"({"descriptor": {"name": "m"}, "config": {"capabilities": {"languages": [)" +
                    langs + "]}}, \"modelfs\": {\"type\": \"layers\", \"diffIds\": []}}");
  auto r = run_command(kBin + " lint --max-findings 2 " + file + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("8 more findings of rule MPC004 in this document not shown (at most 2 per "
                       "rule; --max-findings changes it)"),
            std::string::npos)
      << r.out;
}
