// mpcheck validate as a user runs it: exit codes, text and JSON output, --ref, archives,
// and interop with skopeo-written layouts.
#include <gtest/gtest.h>

#include "prerequisite.hpp"
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "layout_builder.hpp"

namespace mpcheck {
namespace {
using namespace test;
namespace fs = std::filesystem;

std::vector<Layer> model_layers() {
  auto weight =
      tar_layer("weight", {{.name = "model.safetensors", .content = std::string(100000, 'w')}});
  weight.annotations["org.cncf.model.filepath"] = "model.safetensors";
  return {weight,
          tar_layer("weight.config", {{.name = "config.json", .content = "{}"}}, Compression::Gzip),
          tar_layer("doc", {{.name = "README.md", .content = "# tiny\n"}}, Compression::Zstd)};
}

CommandResult mpcheck(const std::string& args) {
  return run_command(shell_quote(MPCHECK_BINARY) + " validate " + args + " 2>/dev/null");
}

class ValidateCli : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path dir = tmp.path() / "layout";
  LayoutBuilder b{dir};
  std::string q(const fs::path& p) { return shell_quote(p.string()); }
};

TEST_F(ValidateCli, CleanLayoutExitsZero) {
  b.add_manifest(model_layers());
  b.finish();
  auto r = mpcheck(q(dir));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("1 target checked: 0 invalid"), std::string::npos) << r.out;
}

TEST_F(ValidateCli, FindingsExitOneAndJsonKeepsTheLintShape) {
  auto layers = model_layers();
  layers[1].diff_id = sha256_of(layers[1].blob);
  auto digest = b.add_manifest(layers);
  b.finish();
  auto r = mpcheck("--format json " + q(dir));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  ASSERT_TRUE(doc["results"].IsArray());
  ASSERT_EQ(doc["results"].Size(), 1u);
  const auto& res = doc["results"][0];
  EXPECT_EQ(std::string(res["kind"].GetString()), "artifact");
  EXPECT_FALSE(res["valid"].GetBool());
  EXPECT_EQ(std::string(res["target"].GetString()), dir.string());  // the path a user gave
  EXPECT_EQ(std::string(res["name"].GetString()), dir.string() + "@" + digest + " (latest)");
  bool seen = false;
  for (const auto& d : res["diagnostics"].GetArray()) {
    if (std::string(d["rule"].GetString()) != "MPA009") continue;
    seen = true;
    EXPECT_EQ(std::string(d["manifest"].GetString()), digest);
    EXPECT_EQ(d["layer"].GetUint(), 1u);
    EXPECT_EQ(std::string(d["layerDigest"].GetString()), sha256_of(layers[1].blob));
    EXPECT_EQ(std::string(d["severity"].GetString()), "error");
  }
  EXPECT_TRUE(seen) << r.out;
}

TEST_F(ValidateCli, WarningsFailOnlyUnderStrict) {
  auto layers = model_layers();
  layers.push_back(
      tar_layer("doc", {{.name = "b.md", .content = "b"}, {.name = "a.md", .content = "a"}}));
  b.add_manifest(layers);
  b.finish();
  auto plain = mpcheck(q(dir));
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.out.find("warning[MPL002]"), std::string::npos) << plain.out;
  EXPECT_NE(plain.out.find("entry a.md"), std::string::npos) << plain.out;
  EXPECT_EQ(mpcheck("--strict " + q(dir)).exit_code, 1);
}

TEST_F(ValidateCli, UsageAndIoErrorsExitTwo) {
  b.add_manifest(model_layers(), "v1");
  b.finish();
  EXPECT_EQ(mpcheck(q(tmp.path() / "no-such-layout")).exit_code, 2);
  EXPECT_EQ(mpcheck("--ref v9 " + q(dir)).exit_code, 2);
  EXPECT_EQ(mpcheck("--format yaml " + q(dir)).exit_code, 2);
  EXPECT_EQ(mpcheck("").exit_code, 2);
  EXPECT_EQ(mpcheck("--ref v1 " + q(dir)).exit_code, 0);
}

// A file that is not a layout archive is bad input (a finding), not an I/O error.
TEST_F(ValidateCli, FileThatIsNoArchiveIsAFinding) {
  std::string junk;
  for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919 + 13) & 0xff));
  auto file = tmp.path() / "junk.tar";
  std::ofstream(file, std::ios::binary) << junk;
  auto r = mpcheck(q(file));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPA001]: not an OCI image layout archive"), std::string::npos)
      << r.out;
  auto empty = tmp.path() / "empty.tar";
  std::ofstream(empty, std::ios::binary).flush();
  EXPECT_EQ(mpcheck(q(empty)).exit_code, 1);
}

TEST_F(ValidateCli, RefPicksATagInALayoutWithSeveralManifests) {
  auto layers = model_layers();
  b.add_manifest(layers, "good");
  layers[0].diff_id = sha256_of("other");
  b.add_manifest(layers, "bad");
  b.finish();
  auto every = mpcheck("--format json " + q(dir));
  EXPECT_EQ(every.exit_code, 1);
  rapidjson::Document doc;
  doc.Parse(every.out.c_str());
  ASSERT_TRUE(doc.IsObject() && doc["results"].IsArray()) << every.out;
  EXPECT_EQ(doc["results"].Size(), 2u);
  EXPECT_EQ(mpcheck("--ref good " + q(dir)).exit_code, 0);
  EXPECT_EQ(mpcheck("--ref bad " + q(dir)).exit_code, 1);
}

TEST_F(ValidateCli, OciArchiveIsReadInPlace) {
  b.add_manifest(model_layers());
  b.finish();
  auto tar = tmp.path() / "model.tar";
  pack_directory(dir, tar);
  auto r = mpcheck("--jobs 1 " + q(tar));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // A blob changed inside the archive is caught too.
  std::string bytes;
  {
    std::ifstream in(tar, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto pos = bytes.find(std::string(1000, 'w'));
  ASSERT_NE(pos, std::string::npos);
  bytes[pos + 10] = 'X';
  std::ofstream(tar, std::ios::binary | std::ios::trunc) << bytes;
  auto bad = mpcheck(q(tar));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("error[MPA006]"), std::string::npos) << bad.out;
}

TEST_F(ValidateCli, HostileLayerIsBoundedByMaxRatio) {
  auto layers = model_layers();
  layers.push_back(tar_layer("dataset",
                             {{.name = "zeros.bin", .content = std::string(4 << 20, '\0')}},
                             Compression::Gzip));
  b.add_manifest(layers);
  b.finish();
  EXPECT_EQ(mpcheck(q(dir)).exit_code, 0);
  auto r = mpcheck("--max-ratio 2 " + q(dir));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("error[MPL013]"), std::string::npos) << r.out;
  auto e = mpcheck("--max-entries 1 " + q(dir));
  EXPECT_EQ(e.exit_code, 0) << e.out;  // every layer has one entry
}

// skopeo copies a generated layout into a fresh one; the copy validates clean.
// `timeout` turns a hang (the old behaviour on a FIFO) into a failure instead of a stuck test.
TEST_F(ValidateCli, FifoIndexIsAFindingNotAHang) {
  b.add_manifest(model_layers());
  b.finish();
  fs::remove(dir / "index.json");
  ASSERT_EQ(::mkfifo((dir / "index.json").c_str(), 0644), 0);
  auto r =
      run_command("timeout 120 " + shell_quote(MPCHECK_BINARY) + " validate " + q(dir) + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("error[MPA002]: " + (dir / "index.json").string() +
                       " is a FIFO, not a regular file; not read"),
            std::string::npos)
      << r.out;
}

TEST_F(ValidateCli, BlobLinkedOutOfTheLayoutIsNotRead) {
  auto outside = tmp.path() / "secret";
  std::ofstream(outside) << "{\"password\": \"TOP-SECRET-VALUE\"}";
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  auto blob = dir / "blobs" / "sha256" / sha256_of(layers[2].blob).substr(7);
  fs::remove(blob);
  fs::create_symlink(outside, blob);
  auto r = run_command(shell_quote(MPCHECK_BINARY) + " validate --format json " + q(dir) + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("MPA004"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("is a symbolic link; links in a layout are not followed"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("TOP-SECRET-VALUE"), std::string::npos) << r.out;
}

// exit 139 with no output before: std::regex overflowed the stack on the 100,000 characters.
TEST_F(ValidateCli, OverlongDigestInIndexIsAFindingNotACrash) {
  b.add_manifest(model_layers());
  b.finish(
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:)" +
      std::string(100000, 'c') + R"(","size":1}]})");
  auto r = run_command(shell_quote(MPCHECK_BINARY) + " validate " + q(dir) + " 2>&1");
  EXPECT_EQ(r.exit_code, 1) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("error[MPA002]"), std::string::npos) << r.out.substr(0, 2000);
  EXPECT_NE(r.out.find("longer than the 4096 bytes mpcheck checks"), std::string::npos)
      << r.out.substr(0, 2000);
}

TEST_F(ValidateCli, SkopeoCopyValidatesClean) {
  MPCHECK_REQUIRE(std::system("skopeo --version >/dev/null 2>&1") == 0, "skopeo");
  b.add_manifest(model_layers(), "v1");
  b.finish();
  auto copy = tmp.path() / "copy";
  auto r = run_command("skopeo --insecure-policy copy --preserve-digests " +
                       shell_quote("oci:" + dir.string() + ":v1") + " " +
                       shell_quote("oci:" + copy.string() + ":v1") + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto v = mpcheck("--ref v1 " + q(copy));
  EXPECT_EQ(v.exit_code, 0) << v.out;
  // And as an OCI archive written by skopeo.
  auto archive = tmp.path() / "copy.tar";
  r = run_command("skopeo --insecure-policy copy --preserve-digests " +
                  shell_quote("oci:" + dir.string() + ":v1") + " " +
                  shell_quote("oci-archive:" + archive.string() + ":v1") + " 2>&1");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto va = mpcheck(q(archive));
  EXPECT_EQ(va.exit_code, 0) << va.out;
}

}  // namespace
}  // namespace mpcheck
