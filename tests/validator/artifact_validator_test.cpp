// validate_artifact over real layouts and layout archives written in temp dirs.
#include "mpcheck/validator/artifact_validator.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <mutex>

#include "layout_builder.hpp"

namespace mpcheck {
namespace {
using namespace test;
namespace fs = std::filesystem;

std::vector<Layer> model_layers() {
  auto weight =
      tar_layer("weight", {{.name = "model.safetensors", .content = std::string(70000, 'w')}});
  weight.annotations["org.cncf.model.filepath"] = "model.safetensors";
  auto config =
      tar_layer("weight.config", {{.name = "config.json", .content = "{}"}}, Compression::Gzip);
  config.annotations["org.cncf.model.filepath"] = "config.json";
  auto doc = tar_layer("doc", {{.name = "README.md", .content = "# tiny\n"}}, Compression::Zstd);
  doc.annotations["org.cncf.model.filepath"] = "README.md";
  auto code = raw_layer("code", "print('hi')\n");
  code.annotations["org.cncf.model.filepath"] = "run.py";
  return {weight, config, doc, code};
}

ValidateResult validate(const fs::path& target, ValidateOptions options = {}) {
  options.jobs = 2;
  auto src = open_artifact(target);
  EXPECT_TRUE(src) << (src ? "" : src.error());
  auto r = validate_artifact(**src, options);
  EXPECT_TRUE(r) << (r ? "" : r.error());
  return r ? *r : ValidateResult{};
}

std::vector<Diagnostic> all(const ValidateResult& r) {
  std::vector<Diagnostic> out = r.layout_diagnostics;
  for (auto& m : r.manifests) out.insert(out.end(), m.diagnostics.begin(), m.diagnostics.end());
  return out;
}

std::string describe(const ValidateResult& r) {
  std::string s;
  for (auto& d : all(r)) s += d.rule + " " + d.pointer + ": " + d.message + "\n";
  return s;
}

const Diagnostic* find(const ValidateResult& r, std::string_view id) {
  for (auto& m : r.manifests)
    for (auto& d : m.diagnostics)
      if (d.rule == id) return &d;
  for (auto& d : r.layout_diagnostics)
    if (d.rule == id) return &d;
  return nullptr;
}

std::string hex_of(const std::string& digest) {
  return digest.substr(7);
}

class ArtifactValidator : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path dir = tmp.path() / "layout";
  LayoutBuilder b{dir};
};

TEST_F(ArtifactValidator, CleanLayoutIsValid) {
  auto digest = b.add_manifest(model_layers());
  b.finish();
  auto r = validate(dir);
  ASSERT_EQ(r.manifests.size(), 1u);
  EXPECT_EQ(r.manifests[0].digest, digest);
  EXPECT_EQ(r.manifests[0].ref_name, "latest");
  EXPECT_TRUE(all(r).empty()) << describe(r);
}

TEST_F(ArtifactValidator, CleanArchiveIsValidPlainAndCompressed) {
  b.add_manifest(model_layers());
  b.finish();
  for (auto c : {Compression::None, Compression::Gzip}) {
    auto tar = tmp.path() / (c == Compression::None ? "layout.tar" : "layout.tar.gz");
    pack_directory(dir, tar, c);
    auto r = validate(tar);
    ASSERT_EQ(r.manifests.size(), 1u);
    EXPECT_TRUE(all(r).empty()) << describe(r);
  }
}

TEST_F(ArtifactValidator, ArchiveFindingsMatchDirectoryFindings) {
  auto layers = model_layers();
  layers[0].diff_id = sha256_of("not it");
  b.add_manifest(layers);
  b.finish();
  pack_directory(dir, tmp.path() / "layout.tar");
  auto from_dir = validate(dir), from_tar = validate(tmp.path() / "layout.tar");
  EXPECT_EQ(describe(from_dir), describe(from_tar));
  EXPECT_TRUE(find(from_tar, "MPA009"));
}

TEST_F(ArtifactValidator, MissingOciLayoutIsMPA001) {
  b.add_manifest(model_layers());
  b.finish();
  fs::remove(dir / "oci-layout");
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA001");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->where.blob, "oci-layout");
}

TEST_F(ArtifactValidator, BadOciLayoutIsMPA001) {
  b.add_manifest(model_layers());
  b.finish(std::nullopt, R"({"imageLayoutVersion":1})");
  EXPECT_TRUE(find(validate(dir), "MPA001"));
}

TEST_F(ArtifactValidator, MissingOrBadIndexIsMPA002) {
  b.add_manifest(model_layers());
  b.finish(R"({"schemaVersion":2,"manifests":{}})");
  EXPECT_TRUE(find(validate(dir), "MPA002"));
  fs::remove(dir / "index.json");
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA002"));
  EXPECT_TRUE(r.manifests.empty());
}

TEST_F(ArtifactValidator, EmptyIndexIsMPA003) {
  b.finish();
  auto r = validate(dir);
  EXPECT_TRUE(find(r, "MPA003")) << describe(r);
}

TEST_F(ArtifactValidator, MissingLayerBlobIsMPA004WithLocation) {
  auto layers = model_layers();
  auto digest = b.add_manifest(layers);
  b.finish();
  fs::remove(dir / "blobs" / "sha256" / hex_of(sha256_of(layers[2].blob)));
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA004");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->where.manifest_digest, digest);
  EXPECT_EQ(d->where.layer_index, 2u);
  EXPECT_EQ(d->where.layer_digest, sha256_of(layers[2].blob));
  EXPECT_EQ(d->pointer, "/layers/2/digest");
}

TEST_F(ArtifactValidator, MissingConfigBlobIsMPA004) {
  auto layers = model_layers();
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  b.add_manifest(layers);
  b.finish();
  fs::remove(dir / "blobs" / "sha256" / hex_of(sha256_of(config_json(ids))));
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA004"));
  EXPECT_EQ(find(r, "MPA004")->pointer, "/config/digest");
}

TEST_F(ArtifactValidator, ChangedBlobIsMPA005AndMPA006) {
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  std::ofstream(dir / "blobs" / "sha256" / hex_of(sha256_of(layers[3].blob)), std::ios::app) << "x";
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA005")) << describe(r);
  ASSERT_TRUE(find(r, "MPA006"));
  EXPECT_EQ(find(r, "MPA006")->where.layer_index, 3u);
  EXPECT_EQ(find(r, "MPA005")->pointer, "/layers/3/size");
}

TEST_F(ArtifactValidator, SameSizeCorruptionIsMPA006Only) {
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  auto path = dir / "blobs" / "sha256" / hex_of(sha256_of(layers[0].blob));
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(5000);
  f.put('X');
  f.close();
  auto r = validate(dir);
  EXPECT_TRUE(find(r, "MPA006"));
  EXPECT_FALSE(find(r, "MPA005"));
}

TEST_F(ArtifactValidator, ConfigThatIsNotAModelConfigIsMPA007) {
  auto layers = model_layers();
  b.add_manifest(layers, "latest", R"({"architecture":"amd64","os":"linux","rootfs":{}})");
  b.finish();
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA007")) << describe(r);
  EXPECT_EQ(find(r, "MPA007")->pointer, "/config");
}

// The well-known empty JSON blob as the model config: manifest lint sees its digest, and the
// config is not also reported member by member (MPC001).
TEST_F(ArtifactValidator, WellKnownEmptyConfigIsMPA012Once) {
  b.add_manifest(model_layers(), "latest", "{}");
  b.finish();
  auto r = validate(dir);
  auto diags = all(r);
  ASSERT_EQ(std::count_if(diags.begin(), diags.end(),
                          [](const Diagnostic& d) { return d.rule == "MPA012"; }),
            1)
      << describe(r);
  const Diagnostic* d = find(r, "MPA012");
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->pointer, "/config/digest");
  EXPECT_EQ(
      d->message,
      "config digest "
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a is the empty "
      "JSON object {}; a config of type application/vnd.cncf.model.config.v1+json must hold the "
      "REQUIRED descriptor, config and modelfs");
  EXPECT_FALSE(find(r, "MPC001")) << describe(r);
}

// Other bytes that parse to {} (here "{ }\n") have another digest: only the blob shows it.
TEST_F(ArtifactValidator, OtherEmptyObjectConfigIsMPA012OnTheConfig) {
  b.add_manifest(model_layers(), "latest", "{ }\n");
  b.finish();
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA012");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->severity, Severity::Error);
  EXPECT_EQ(d->pointer, "/config");
  EXPECT_EQ(d->message, "config blob " + sha256_of("{ }\n") +
                            " is the empty JSON object {}; a config of type "
                            "application/vnd.cncf.model.config.v1+json must hold the "
                            "REQUIRED descriptor, config and modelfs");
  EXPECT_FALSE(find(r, "MPC001")) << describe(r);
}

TEST_F(ArtifactValidator, ModelConfigWithMembersIsNotMPA012) {
  auto layers = model_layers();
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  b.add_manifest(layers, "latest", config_json(ids));
  b.finish();
  auto r = validate(dir);
  EXPECT_FALSE(find(r, "MPA012")) << describe(r);
  EXPECT_TRUE(all(r).empty()) << describe(r);
}

TEST_F(ArtifactValidator, LintFindingsOfManifestAndConfigAreReported) {
  auto layers = model_layers();
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  auto cfg = config_json(ids);
  cfg.replace(cfg.find("\"1M\""), 4, "\"6.75B\"");
  auto digest = b.add_manifest(layers, "latest", cfg);
  b.finish();
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPC002");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->where.manifest_digest, digest);
  EXPECT_EQ(d->where.blob, sha256_of(cfg));
  EXPECT_EQ(d->pointer, "/config/paramSize");
  EXPECT_GT(d->line, 0u);
}

TEST_F(ArtifactValidator, WrongDiffIdCountIsMPA008) {
  auto layers = model_layers();
  b.add_manifest(layers, "latest", config_json({layers[0].diff_id}));
  b.finish();
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA008")) << describe(r);
  EXPECT_EQ(find(r, "MPA008")->pointer, "/modelfs/diffIds");
}

TEST_F(ArtifactValidator, CompressedBlobDigestAsDiffIdIsMPA009) {
  auto layers = model_layers();
  layers[1].diff_id = sha256_of(layers[1].blob);  // the gzip blob's digest, not the tar's
  b.add_manifest(layers);
  b.finish();
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA009");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->where.layer_index, 1u);
  EXPECT_EQ(d->pointer, "/modelfs/diffIds/1");
  EXPECT_NE(d->message.find("decompressed"), std::string::npos);
}

TEST_F(ArtifactValidator, Sha512DiffIdsAreComputed) {
  auto layers = model_layers();
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  // sha512 of the uncompressed tar of layer 1, computed by the pipeline for sha512 diffIds.
  ids[1] = "sha512:" + std::string(128, 'a');
  b.add_manifest(layers, "latest", config_json(ids));
  b.finish();
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA009");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_NE(d->message.find("hashes to sha512:"), std::string::npos);
}

TEST_F(ArtifactValidator, Blake3DigestIsMPA010) {
  auto layers = model_layers();
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  ids[0] = "blake3:" + std::string(64, 'a');
  b.add_manifest(layers, "latest", config_json(ids));
  b.finish();
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA010")) << describe(r);
  EXPECT_FALSE(find(r, "MPA009"));
}

TEST_F(ArtifactValidator, NestedIndexIsMPA011) {
  b.add_manifest(model_layers());
  b.add_manifest_text(R"({"schemaVersion":2,"manifests":[]})", "nested",
                      "application/vnd.oci.image.index.v1+json");
  b.finish();
  auto r = validate(dir);
  ASSERT_TRUE(find(r, "MPA011")) << describe(r);
  EXPECT_EQ(r.manifests.size(), 1u);
}

TEST_F(ArtifactValidator, LayerFindingsCarryManifestLayerAndEntry) {
  auto layers = model_layers();
  layers.push_back(tar_layer("dataset", {{.name = "../escape.csv", .content = "a,b\n"}}));
  auto digest = b.add_manifest(layers);
  b.finish();
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPL009");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->where.manifest_digest, digest);
  EXPECT_EQ(d->where.layer_index, 4u);
  EXPECT_EQ(d->where.layer_digest, sha256_of(layers[4].blob));
  EXPECT_EQ(d->where.entry, "../escape.csv");
}

TEST_F(ArtifactValidator, RefSelectsOneOfSeveralTaggedManifests) {
  auto layers = model_layers();
  auto good = b.add_manifest(layers, "v1");
  auto bad_layers = layers;
  bad_layers[0].diff_id = sha256_of("wrong");
  auto bad = b.add_manifest(bad_layers, "v2");
  b.finish();
  auto every = validate(dir);
  ASSERT_EQ(every.manifests.size(), 2u);
  EXPECT_TRUE(every.manifests[0].diagnostics.empty()) << describe(every);
  EXPECT_TRUE(find(every, "MPA009"));
  EXPECT_EQ(find(every, "MPA009")->where.manifest_digest, bad);

  ValidateOptions v1;
  v1.ref = "v1";
  auto r1 = validate(dir, v1);
  ASSERT_EQ(r1.manifests.size(), 1u);
  EXPECT_EQ(r1.manifests[0].digest, good);
  EXPECT_TRUE(all(r1).empty());

  ValidateOptions by_digest;
  by_digest.ref = bad;
  auto r2 = validate(dir, by_digest);
  ASSERT_EQ(r2.manifests.size(), 1u);
  EXPECT_EQ(r2.manifests[0].ref_name, "v2");

  ValidateOptions none;
  none.ref = "v3";
  auto src = open_artifact(dir);
  EXPECT_FALSE(validate_artifact(**src, none));
}

TEST_F(ArtifactValidator, ProgressIsReportedOnTheCallingThread) {
  b.add_manifest(model_layers());
  b.finish();
  ValidateOptions options;
  ValidateProgress last;
  int calls = 0;
  options.progress = [&](const ValidateProgress& p) {
    last = p;
    ++calls;
  };
  auto r = validate(dir, options);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.layers_done, 4u);
  EXPECT_EQ(last.bytes_read, last.bytes_total);
}

// Counts the blobs opened through a wrapped source.
class CountingSource final : public ArtifactSource {
 public:
  explicit CountingSource(std::unique_ptr<ArtifactSource> inner) : inner_(std::move(inner)) {}
  std::string describe() const override { return inner_->describe(); }
  std::expected<std::string, SourceError> read_layout_file(LayoutFile f,
                                                           std::size_t limit) override {
    return inner_->read_layout_file(f, limit);
  }
  std::expected<std::unique_ptr<BlobStream>, SourceError> open_blob(const Digest& d) override {
    std::lock_guard lock(mutex_);
    ++opened[d.str()];
    return inner_->open_blob(d);
  }
  std::expected<std::uint64_t, SourceError> blob_size(const Digest& d) override {
    return inner_->blob_size(d);
  }
  std::map<std::string, int> opened;

 private:
  std::unique_ptr<ArtifactSource> inner_;
  std::mutex mutex_;
};

TEST_F(ArtifactValidator, LayerSharedByTwoManifestsIsReadOnceAndReportedInBoth) {
  auto layers = model_layers();
  layers.push_back(tar_layer("doc", {{.name = "/abs.md", .content = "x"}}));
  auto first = b.add_manifest(layers, "v1");
  auto other = layers;
  other.erase(other.begin() + 1);  // the shared layers sit at other indexes here
  auto second = b.add_manifest(other, "v2");
  b.finish();
  CountingSource src(std::move(*open_artifact(dir)));
  ValidateOptions options;
  options.jobs = 2;
  auto r = validate_artifact(src, options);
  ASSERT_TRUE(r);
  EXPECT_EQ(src.opened[sha256_of(layers[0].blob)], 1);
  EXPECT_EQ(src.opened[sha256_of(layers[4].blob)], 1);
  ASSERT_EQ(r->manifests.size(), 2u);
  auto abs_in = [](const ManifestResult& m) -> const Diagnostic* {
    for (auto& d : m.diagnostics)
      if (d.rule == "MPL008") return &d;
    return nullptr;
  };
  ASSERT_TRUE(abs_in(r->manifests[0]) && abs_in(r->manifests[1])) << describe(*r);
  EXPECT_EQ(abs_in(r->manifests[0])->where.manifest_digest, first);
  EXPECT_EQ(abs_in(r->manifests[0])->where.layer_index, 4u);
  EXPECT_EQ(abs_in(r->manifests[1])->where.manifest_digest, second);
  EXPECT_EQ(abs_in(r->manifests[1])->where.layer_index, 3u);
}

// A FIFO as a layout file blocked `validate` forever on open(); a symlink was followed out of
// the layout (a blob linked to /etc/shadow was read, hashed and echoed). Neither is opened now.
TEST_F(ArtifactValidator, FifoLayoutFilesAreFindingsNotAHang) {
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  fs::remove(dir / "oci-layout");
  ASSERT_EQ(::mkfifo((dir / "oci-layout").c_str(), 0644), 0);
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA001");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->message, (dir / "oci-layout").string() + " is a FIFO, not a regular file; not read");

  fs::remove(dir / "index.json");
  ASSERT_EQ(::mkfifo((dir / "index.json").c_str(), 0644), 0);
  r = validate(dir);
  d = find(r, "MPA002");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_EQ(d->message, (dir / "index.json").string() + " is a FIFO, not a regular file; not read");
}

TEST_F(ArtifactValidator, FifoBlobIsMPA004NotAHang) {
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  auto blob = dir / "blobs" / "sha256" / hex_of(sha256_of(layers[2].blob));
  fs::remove(blob);
  ASSERT_EQ(::mkfifo(blob.c_str(), 0644), 0);
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA004");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_NE(d->message.find(" is not read: " + blob.string() + " is a FIFO, not a regular file"),
            std::string::npos)
      << d->message;
}

TEST_F(ArtifactValidator, SymlinkedBlobIsNotFollowed) {
  std::string secret = R"({"root":"SECRET-SHADOW-LINE"})";
  auto outside = tmp.path() / "shadow";
  std::ofstream(outside, std::ios::binary) << secret;
  auto layers = model_layers();
  b.add_manifest(layers);
  b.finish();
  // The config blob becomes a link: once to a file outside, once to a copy of its own bytes.
  std::string config_hex;
  for (auto& e : fs::directory_iterator(dir / "blobs" / "sha256")) {
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    if (bytes.find("\"modelfs\"") != std::string::npos) config_hex = e.path().filename();
  }
  ASSERT_FALSE(config_hex.empty());
  auto config = dir / "blobs" / "sha256" / config_hex;
  auto copy = tmp.path() / "config-copy";
  fs::copy_file(config, copy);
  for (const auto& target : {outside, copy}) {
    fs::remove(config);
    fs::create_symlink(target, config);
    auto r = validate(dir);
    const Diagnostic* d = find(r, "MPA004");
    ASSERT_NE(d, nullptr) << describe(r);
    EXPECT_NE(d->message.find(config.string() +
                              " is a symbolic link; links in a layout are not followed"),
              std::string::npos)
        << d->message;
    EXPECT_EQ(describe(r).find("SECRET-SHADOW-LINE"), std::string::npos) << describe(r);
    EXPECT_FALSE(find(r, "MPA006"));  // never hashed
    EXPECT_FALSE(find(r, "MPC001"));  // never parsed
  }
}

TEST_F(ArtifactValidator, SymlinkedLayoutFilesAndBlobDirectoriesAreNotFollowed) {
  b.add_manifest(model_layers());
  b.finish();
  auto real = tmp.path() / "real";
  fs::create_directory(real);
  for (const char* name : {"oci-layout", "index.json"}) {
    fs::rename(dir / name, real / name);
    fs::create_symlink(real / name, dir / name);
  }
  auto r = validate(dir);
  const Diagnostic* layout = find(r, "MPA001");
  ASSERT_NE(layout, nullptr) << describe(r);
  EXPECT_EQ(layout->message,
            (dir / "oci-layout").string() +
                " is a symbolic link; links in a layout are not followed; not read");
  const Diagnostic* index = find(r, "MPA002");
  ASSERT_NE(index, nullptr) << describe(r);
  EXPECT_TRUE(r.manifests.empty());

  for (const char* name : {"oci-layout", "index.json"}) {
    fs::remove(dir / name);
    fs::rename(real / name, dir / name);
  }
  fs::rename(dir / "blobs", real / "blobs");
  fs::create_directory_symlink(real / "blobs", dir / "blobs");
  r = validate(dir);
  const Diagnostic* d = find(r, "MPA004");
  ASSERT_NE(d, nullptr) << describe(r);
  EXPECT_NE(d->message.find((dir / "blobs").string() +
                            " is a symbolic link; links in a layout are not followed"),
            std::string::npos)
      << d->message;
}

// A 100,000-character digest in index.json overflowed std::regex's stack (SIGSEGV).
TEST_F(ArtifactValidator, OverlongIndexDigestIsMPA002NotACrash) {
  b.add_manifest(model_layers());
  std::string digest = "sha256:" + std::string(100000, 'b');
  b.finish(
      R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
      digest + R"(","size":1}]})");
  auto r = validate(dir);
  const Diagnostic* d = find(r, "MPA002");
  ASSERT_NE(d, nullptr) << describe(r).substr(0, 1000);
  EXPECT_EQ(d->pointer, "/manifests/0/digest");
  EXPECT_NE(d->message.find("longer than the 4096 bytes mpcheck checks against the schema"),
            std::string::npos)
      << d->message;
}

TEST(LayoutArchiveSource, RejectsWhatIsNotATar) {
  TempDir tmp;
  std::ofstream(tmp.path() / "junk.tar") << "definitely not a tar archive, just text";
  EXPECT_FALSE(open_artifact(tmp.path() / "junk.tar"));
  EXPECT_FALSE(open_artifact(tmp.path() / "missing"));
}

}  // namespace
}  // namespace mpcheck
