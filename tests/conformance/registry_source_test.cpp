// RegistrySource: artifacts validated straight from a real docker-registry on loopback.
#include "mpcheck/conformance/registry_source.hpp"

#include <gtest/gtest.h>

#include "prerequisite.hpp"

#include "local_registry.hpp"
#include "mpcheck/conformance/content_hasher.hpp"
#include "push_layout.hpp"

using namespace mpcheck;
using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;

namespace {

class RegistrySourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "docker-registry not installed");
    registry = LocalRegistry::start();
    ASSERT_TRUE(registry);
    work = std::filesystem::temp_directory_path() / ("mpcheck-rs-" + std::to_string(getpid()));
    std::filesystem::create_directories(work);
  }
  void TearDown() override { std::filesystem::remove_all(work); }
  std::unique_ptr<LocalRegistry> registry;
  std::filesystem::path work;
};

std::vector<std::string> rules_of(const ValidateResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.layout_diagnostics) out.push_back(d.rule);
  for (const auto& m : r.manifests)
    for (const auto& d : m.diagnostics) out.push_back(d.rule);
  return out;
}

TEST_F(RegistrySourceTest, ValidFixtureValidatesCleanWithoutOciLayoutFinding) {
  RegistryClient client(registry->config());
  auto digest = push_fixture(client, "llm-safetensors-sharded", "models/llm", "v1", work);
  ASSERT_TRUE(digest) << digest.error();
  RegistrySource source(registry->config(), "models/llm", "v1");
  auto result = validate_registry_artifact(source, {});
  ASSERT_TRUE(result) << result.error();
  // Only the fixture's declared warnings: its two multi-file tar layers at the root have no
  // org.cncf.model.filepath (MPM015); no layout finding (MPA001) for a registry source.
  const std::vector<std::string> declared{"MPM015", "MPM015"};
  EXPECT_EQ(rules_of(*result), declared);
  ASSERT_EQ(result->manifests.size(), 1u);
  EXPECT_EQ(result->manifests[0].digest, *digest);
  EXPECT_EQ(result->manifests[0].ref_name, "v1");

  RegistrySource by_digest(registry->config(), "models/llm", *digest);
  auto again = validate_registry_artifact(by_digest, {});
  ASSERT_TRUE(again) << again.error();
  EXPECT_EQ(rules_of(*again), declared);
}

TEST_F(RegistrySourceTest, CorruptedLayerGivesFindings) {
  RegistryClient client(registry->config());
  auto digest = push_fixture(client, "diffid-mismatch", "models/bad", "v1", work);
  ASSERT_TRUE(digest) << digest.error();
  RegistrySource source(registry->config(), "models/bad", "v1");
  auto result = validate_registry_artifact(source, {});
  ASSERT_TRUE(result) << result.error();
  auto rules = rules_of(*result);
  EXPECT_NE(std::find(rules.begin(), rules.end(), "MPA009"), rules.end())
      << ::testing::PrintToString(rules);
}

TEST_F(RegistrySourceTest, MissingReferenceIsAnErrorNotALayoutFinding) {
  RegistrySource source(registry->config(), "models/none", "v1");
  auto index = source.read_layout_file(LayoutFile::IndexJson, 1 << 20);
  ASSERT_FALSE(index);
  EXPECT_EQ(index.error().kind, SourceError::Io);
  EXPECT_NE(index.error().message.find("MANIFEST_UNKNOWN"), std::string::npos);
  auto layout = source.read_layout_file(LayoutFile::OciLayout, 1 << 20);
  ASSERT_FALSE(layout);
  EXPECT_EQ(layout.error().kind, SourceError::Missing);
}

TEST_F(RegistrySourceTest, LargeBlobStreamsThroughTheBoundedBuffer) {
  RegistryClient client(registry->config());
  std::string bytes = test_bytes(3 * kBlobStreamBufferBytes + 12345, 7);
  auto digest = *digest_of("sha256", bytes);
  std::size_t pos = 0;
  ASSERT_TRUE(client.push_blob_monolithic("r", digest, bytes.size(), reader_over(bytes, pos)));
  RegistrySource source(registry->config(), "r", "unused");
  auto parsed = parse_digest(digest);
  auto size = source.blob_size(*parsed);
  ASSERT_TRUE(size);
  EXPECT_EQ(*size, bytes.size());
  // Read slowly in small pieces: the producer must wait, not buffer the whole blob.
  auto stream = source.open_blob(*parsed);
  ASSERT_TRUE(stream);
  auto hasher = ContentHasher::create("sha256");
  std::vector<unsigned char> buf(4096);
  std::uint64_t total = 0;
  for (;;) {
    auto n = (*stream)->read(buf);
    ASSERT_TRUE(n) << n.error();
    if (*n == 0) break;
    hasher->update(reinterpret_cast<const char*>(buf.data()), *n);
    total += *n;
  }
  EXPECT_EQ(total, bytes.size());
  EXPECT_EQ(hasher->finish(), digest);
  // Closing a stream after one read aborts its transfer instead of hanging.
  auto partial = source.open_blob(*parsed);
  ASSERT_TRUE(partial);
  ASSERT_TRUE((*partial)->read(buf));
  partial->reset();
  // Parallel streams, one client each.
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&] {
      auto s = source.open_blob(*parsed);
      if (!s) return;
      std::vector<unsigned char> b(1 << 16);
      std::uint64_t t = 0;
      for (;;) {
        auto n = (*s)->read(b);
        if (!n || *n == 0) break;
        t += *n;
      }
      if (t == bytes.size()) ++ok;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 4);
}

TEST_F(RegistrySourceTest, MissingBlobIsMissing) {
  RegistrySource source(registry->config(), "r", "unused");
  auto d = parse_digest("sha256:" + std::string(64, 'a'));
  auto size = source.blob_size(*d);
  ASSERT_FALSE(size);
  EXPECT_EQ(size.error().kind, SourceError::Missing);
  EXPECT_FALSE(source.open_blob(*d));
}

TEST(RegistryReference, Parses) {
  auto r = parse_registry_reference("127.0.0.1:5000/models/llm:v1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->host, "127.0.0.1:5000");
  EXPECT_EQ(r->repo, "models/llm");
  EXPECT_EQ(r->reference, "v1");
  r = parse_registry_reference("registry.example/m@sha256:" + std::string(64, '0'));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reference, "sha256:" + std::string(64, '0'));
  r = parse_registry_reference("localhost/m");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->reference, "latest");
  EXPECT_FALSE(parse_registry_reference("models/llm:v1"));  // no host
  EXPECT_FALSE(parse_registry_reference("./layout"));
  EXPECT_FALSE(parse_registry_reference("r.example/Upper:v1"));
  EXPECT_FALSE(parse_registry_reference("r.example/m@v1"));
  // Names that would take requests out of /v2/<name>/, and references outside the grammar.
  EXPECT_FALSE(parse_registry_reference("r.example/../../x:tag"));
  EXPECT_FALSE(parse_registry_reference("r.example/a/./b:tag"));
  EXPECT_FALSE(parse_registry_reference("r.example/a//b:tag"));
  EXPECT_FALSE(parse_registry_reference("r.example/m:-tag"));
  EXPECT_FALSE(parse_registry_reference("r.example/m@sha256:abc"));
  EXPECT_TRUE(parse_registry_reference("r.example/a__b/c-d.e:V1_x.2"));
}

}  // namespace
