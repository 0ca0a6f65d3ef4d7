// RegistryClient against a real Distribution 2.8 (Debian's docker-registry) on loopback.
#include "mpcheck/conformance/registry_client.hpp"

#include <gtest/gtest.h>

#include "prerequisite.hpp"

#include <algorithm>
#include <filesystem>

#include "local_registry.hpp"
#include "mpcheck/conformance/content_hasher.hpp"

using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;

namespace {

constexpr std::size_t kBlobSize = 3 * 1024 * 1024 + 123;  // not a multiple of any chunk
constexpr const char* kManifestType = "application/vnd.oci.image.manifest.v1+json";

class RegistryClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::filesystem::exists(kRegistryBinary)) registry_ = LocalRegistry::start();
  }
  static void TearDownTestSuite() { registry_.reset(); }
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "no " << kRegistryBinary);
    ASSERT_TRUE(registry_) << "docker-registry did not start";
    RegistryConfig config = registry_->config();
    config.transcript = [this](const TranscriptEntry& e) { transcript_.push_back(e); };
    client_.emplace(config);
  }

  // Pushes `bytes` monolithically and returns its digest.
  std::string push(std::string_view repo, const std::string& bytes) {
    std::string digest = *digest_of("sha256", bytes);
    std::size_t pos = 0;
    auto pushed =
        client_->push_blob_monolithic(repo, digest, bytes.size(), reader_over(bytes, pos));
    EXPECT_TRUE(pushed) << pushed.error().describe();
    return digest;
  }
  // A minimal image manifest over a config "{}" and one layer, both pushed to `repo`.
  std::string manifest_for(std::string_view repo, const std::string& layer) {
    std::string config_digest = push(repo, "{}");
    std::string layer_digest = push(repo, layer);
    return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
           R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":")" +
           config_digest +
           R"(","size":2},"layers":[{"mediaType":)"
           R"("application/vnd.oci.image.layer.v1.tar","digest":")" +
           layer_digest + R"(","size":)" + std::to_string(layer.size()) + "}]}";
  }
  void expect_blob(std::string_view repo, const std::string& digest, const std::string& bytes) {
    std::string got;
    auto fetch = client_->get_blob(repo, digest, writer_into(got));
    ASSERT_TRUE(fetch) << fetch.error().describe();
    EXPECT_EQ(fetch->status, 200);
    EXPECT_EQ(fetch->computed_digest, digest);
    EXPECT_EQ(fetch->bytes, bytes.size());
    EXPECT_TRUE(got == bytes);
  }

  static inline std::unique_ptr<LocalRegistry> registry_;
  std::optional<RegistryClient> client_;
  std::vector<TranscriptEntry> transcript_;
};

TEST_F(RegistryClientTest, Ping) {
  auto ping = client_->ping();
  ASSERT_TRUE(ping) << ping.error().describe();
  EXPECT_EQ(*ping, 200);
  ASSERT_EQ(transcript_.size(), 1u);
  EXPECT_EQ(transcript_[0].method, "GET");
  EXPECT_EQ(transcript_[0].url, client_->base_url() + "/v2/");
  EXPECT_EQ(transcript_[0].status, 200);
  EXPECT_EQ(header_value(transcript_[0].request_headers, "User-Agent"), "mpcheck/0.1.0");
}

TEST_F(RegistryClientTest, MonolithicUploadThenVerifiedGetHeadAndRange) {
  std::string blob = test_bytes(kBlobSize, 1);
  std::string digest = push("mono/repo", blob);
  auto head = client_->head_blob("mono/repo", digest);
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_EQ(head->size, blob.size());
  EXPECT_EQ(head->digest, digest);
  expect_blob("mono/repo", digest, blob);

  std::string part;
  auto range = client_->get_blob("mono/repo", digest, writer_into(part), ByteRange{100, 1099});
  ASSERT_TRUE(range) << range.error().describe();
  EXPECT_EQ(range->status, 206);
  EXPECT_TRUE(part == blob.substr(100, 1000));
}

TEST_F(RegistryClientTest, ChunkedUpload) {
  std::string blob = test_bytes(kBlobSize, 2);
  std::string digest = *digest_of("sha256", blob);
  std::size_t pos = 0;
  auto pushed =
      client_->push_blob_chunked("chunked", digest, blob.size(), reader_over(blob, pos), 1 << 20);
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(pushed->status, 201);
  EXPECT_EQ(pushed->digest, digest);
  int patches = 0;
  for (const auto& e : transcript_) {
    if (e.method != "PATCH") continue;
    ++patches;
    EXPECT_TRUE(header_value(e.request_headers, "Content-Range"));
  }
  EXPECT_EQ(patches, 4);  // 3 MiB + 123 bytes in 1 MiB chunks
  expect_blob("chunked", digest, blob);
}

TEST_F(RegistryClientTest, StreamedUpload) {
  std::string blob = test_bytes(kBlobSize, 3);
  std::string digest = *digest_of("sha256", blob);
  std::size_t pos = 0;
  auto pushed = client_->push_blob_streamed("streamed", digest, reader_over(blob, pos));
  ASSERT_TRUE(pushed) << pushed.error().describe();
  for (const auto& e : transcript_) {
    if (e.method == "PATCH") {
      EXPECT_FALSE(header_value(e.request_headers, "Content-Range"));
      EXPECT_EQ(header_value(e.request_headers, "Transfer-Encoding"), std::nullopt);
    }
  }
  expect_blob("streamed", digest, blob);
}

TEST_F(RegistryClientTest, SinglePostFallsBackToSession) {
  std::string blob = test_bytes(4096, 4);
  std::string digest = *digest_of("sha256", blob);
  std::size_t pos = 0;
  auto posted =
      client_->push_blob_single_post("single", digest, blob.size(), reader_over(blob, pos));
  ASSERT_TRUE(posted) << posted.error().describe();
  if (posted->session) {  // Distribution 2.8 answers 202: finish with PUT
    pos = 0;
    auto reader = reader_over(blob, pos);
    auto pushed = client_->complete_upload(*posted->session, digest, &reader, blob.size());
    ASSERT_TRUE(pushed) << pushed.error().describe();
  }
  expect_blob("single", digest, blob);
}

TEST_F(RegistryClientTest, ManifestByTagAndDigestRoundTripsExactBytes) {
  std::string manifest = manifest_for("manifests", test_bytes(1000, 5));
  auto by_tag = client_->put_manifest("manifests", "v1", manifest, kManifestType);
  ASSERT_TRUE(by_tag) << by_tag.error().describe();
  EXPECT_EQ(by_tag->status, 201);
  EXPECT_EQ(by_tag->header_digest, by_tag->digest);
  auto got = client_->get_manifest("manifests", "v1");
  ASSERT_TRUE(got) << got.error().describe();
  EXPECT_EQ(got->bytes, manifest);
  EXPECT_EQ(got->content_type, kManifestType);
  EXPECT_EQ(got->digest, by_tag->digest);

  // The same bytes with different whitespace are a different manifest, pushed by digest.
  std::string spaced = manifest + "\n";
  std::string digest = *digest_of("sha256", spaced);
  auto by_digest = client_->put_manifest("manifests", digest, spaced, kManifestType);
  ASSERT_TRUE(by_digest) << by_digest.error().describe();
  auto pulled = client_->get_manifest("manifests", digest);
  ASSERT_TRUE(pulled) << pulled.error().describe();
  EXPECT_EQ(pulled->bytes, spaced);
  auto head = client_->head_manifest("manifests", digest);
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_EQ(head->size, spaced.size());
  EXPECT_EQ(head->digest, digest);
  EXPECT_EQ(head->content_type, kManifestType);

  auto deleted = client_->delete_manifest("manifests", digest);
  ASSERT_TRUE(deleted) << deleted.error().describe();
  auto gone = client_->get_manifest("manifests", digest);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().http_status, 404);
}

TEST_F(RegistryClientTest, TagsListedWithAndWithoutPageSize) {
  std::string manifest = manifest_for("tags", "layer");
  const std::vector<std::string> tags = {"a1", "b2", "c3", "d4", "e5"};
  for (const auto& tag : tags) {
    auto put = client_->put_manifest("tags", tag, manifest, kManifestType);
    ASSERT_TRUE(put) << put.error().describe();
  }
  // Distribution 2.8 ignores n= (and the order rule); the client still gathers every tag.
  // Link pagination itself is exercised against the fault server.
  for (std::optional<std::uint32_t> n :
       {std::optional<std::uint32_t>{2}, std::optional<std::uint32_t>{}}) {
    auto listed = client_->list_tags("tags", n);
    ASSERT_TRUE(listed) << listed.error().describe();
    std::sort(listed->tags.begin(), listed->tags.end());
    EXPECT_EQ(listed->tags, tags);
    EXPECT_GE(listed->pages, 1);
  }
  EXPECT_NE(transcript_.back().url.find("/v2/tags/tags/list"), std::string::npos);
}

TEST_F(RegistryClientTest, ErrorCodesFromTheErrorBody) {
  std::string missing = *digest_of("sha256", "not pushed");
  std::string sink;
  auto blob = client_->get_blob("errors", missing, writer_into(sink));
  ASSERT_FALSE(blob);
  EXPECT_EQ(blob.error().http_status, 404);
  EXPECT_TRUE(blob.error().has_code("BLOB_UNKNOWN")) << blob.error().describe();
  EXPECT_TRUE(sink.empty());  // error bodies never reach the blob writer

  push("errors", "something");  // the repository exists
  auto manifest = client_->get_manifest("errors", "no-such-tag");
  ASSERT_FALSE(manifest);
  EXPECT_TRUE(manifest.error().has_code("MANIFEST_UNKNOWN")) << manifest.error().describe();

  std::string bytes = test_bytes(512, 6);
  std::size_t pos = 0;
  auto wrong =
      client_->push_blob_monolithic("errors", missing, bytes.size(), reader_over(bytes, pos));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().http_status, 400);
  EXPECT_TRUE(wrong.error().has_code("DIGEST_INVALID")) << wrong.error().describe();
  // The failed upload was cancelled, as the spec asks.
  EXPECT_EQ(transcript_.back().method, "DELETE");
}

TEST_F(RegistryClientTest, CrossRepositoryMount) {
  std::string blob = test_bytes(2048, 7);
  std::string digest = push("mount/source", blob);
  auto mounted = client_->mount_blob("mount/target", digest, "mount/source");
  ASSERT_TRUE(mounted) << mounted.error().describe();
  EXPECT_TRUE(mounted->mounted);
  expect_blob("mount/target", digest, blob);

  // Nothing to mount: the registry opens an ordinary upload session instead (202).
  std::string other = *digest_of("sha256", "absent");
  auto fallback = client_->mount_blob("mount/target", other, "mount/source");
  ASSERT_TRUE(fallback) << fallback.error().describe();
  EXPECT_FALSE(fallback->mounted);
  ASSERT_TRUE(fallback->session);
  EXPECT_TRUE(client_->cancel_upload(*fallback->session));
}

TEST_F(RegistryClientTest, UploadStatusAndCancel) {
  auto session = client_->start_upload("cancel");
  ASSERT_TRUE(session) << session.error().describe();
  EXPECT_TRUE(session->location.starts_with(client_->base_url()));
  std::string chunk = test_bytes(1000, 8);
  std::size_t pos = 0;
  auto patched = client_->upload_chunk(*session, reader_over(chunk, pos), chunk.size());
  ASSERT_TRUE(patched) << patched.error().describe();
  EXPECT_EQ(patched->offset, 1000u);
  auto status = client_->upload_status(*patched);
  ASSERT_TRUE(status) << status.error().describe();
  EXPECT_EQ(status->offset, 1000u);
  auto cancelled = client_->cancel_upload(*status);
  ASSERT_TRUE(cancelled) << cancelled.error().describe();
  auto after = client_->upload_status(*status);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().http_status, 404);
  EXPECT_TRUE(after.error().has_code("BLOB_UPLOAD_UNKNOWN")) << after.error().describe();
}

TEST_F(RegistryClientTest, ReferrersApiUnsupportedOnDistribution28) {
  std::string manifest = manifest_for("referrers", "l");
  auto put = client_->put_manifest("referrers", "v1", manifest, kManifestType);
  ASSERT_TRUE(put) << put.error().describe();
  auto referrers = client_->get_referrers("referrers", put->digest);
  ASSERT_TRUE(referrers) << referrers.error().describe();
  EXPECT_FALSE(referrers->supported);
  EXPECT_EQ(referrers_tag(put->digest), "sha256-" + put->digest.substr(7));
  auto by_tag = client_->get_referrers_by_tag("referrers", put->digest);
  ASSERT_TRUE(by_tag) << by_tag.error().describe();
  EXPECT_FALSE(*by_tag);
}

TEST_F(RegistryClientTest, DeleteBlob) {
  std::string digest = push("delete", "bye");
  auto deleted = client_->delete_blob("delete", digest);
  ASSERT_TRUE(deleted) << deleted.error().describe();
  auto head = client_->head_blob("delete", digest);
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().http_status, 404);
}

// The same registry behind htpasswd: basic auth after a 401 challenge.
class RegistryBasicAuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::filesystem::exists(kRegistryBinary))
      registry_ = LocalRegistry::start(Credentials{"user", "pass-w0rd"});
  }
  static void TearDownTestSuite() { registry_.reset(); }
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "no " << kRegistryBinary);
    MPCHECK_REQUIRE(std::filesystem::exists("/usr/bin/htpasswd"), "no htpasswd");
    ASSERT_TRUE(registry_) << "docker-registry did not start";
  }
  RegistryConfig config(std::optional<Credentials> credentials) {
    RegistryConfig c = registry_->config();
    c.credentials = std::move(credentials);
    c.transcript = [this](const TranscriptEntry& e) { transcript_.push_back(e); };
    return c;
  }
  std::string transcript_text() const {
    std::string all;
    for (const auto& e : transcript_) {
      all += e.url + e.body_excerpt + e.transport_error;
      for (const auto& [k, v] : e.request_headers) all += k + v;
      for (const auto& [k, v] : e.response_headers) all += k + v;
    }
    return all;
  }
  static inline std::unique_ptr<LocalRegistry> registry_;
  std::vector<TranscriptEntry> transcript_;
};

TEST_F(RegistryBasicAuthTest, RightPasswordPushesAndPulls) {
  RegistryClient client(config(Credentials{"user", "pass-w0rd"}));
  auto ping = client.ping();
  ASSERT_TRUE(ping) << ping.error().describe();
  std::string blob = test_bytes(100000, 9);
  std::string digest = *digest_of("sha256", blob);
  std::size_t pos = 0;
  auto pushed =
      client.push_blob_chunked("auth", digest, blob.size(), reader_over(blob, pos), 40000);
  ASSERT_TRUE(pushed) << pushed.error().describe();
  std::string got;
  ASSERT_TRUE(client.get_blob("auth", digest, writer_into(got)));
  EXPECT_TRUE(got == blob);
  // First exchange is the anonymous challenge; credentials then go with every request.
  ASSERT_GE(transcript_.size(), 2u);
  EXPECT_EQ(transcript_[0].status, 401);
  EXPECT_EQ(header_value(transcript_[1].request_headers, "Authorization"), "Basic <redacted>");
  std::string all = transcript_text();
  EXPECT_EQ(all.find("pass-w0rd"), std::string::npos);
  EXPECT_EQ(all.find(encode_base64("user:pass-w0rd")), std::string::npos);
}

TEST_F(RegistryBasicAuthTest, WrongPasswordIsAnAuthError) {
  RegistryClient client(config(Credentials{"user", "wrong-secret"}));
  auto ping = client.ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().kind, RegistryError::Kind::Auth);
  EXPECT_EQ(ping.error().http_status, 401);
  EXPECT_TRUE(ping.error().has_code("UNAUTHORIZED")) << ping.error().describe();
  EXPECT_EQ(ping.error().describe().find("wrong-secret"), std::string::npos);
  EXPECT_EQ(transcript_text().find("wrong-secret"), std::string::npos);
}

TEST_F(RegistryBasicAuthTest, AnonymousIsAnAuthError) {
  RegistryClient client(config(std::nullopt));
  auto ping = client.ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().kind, RegistryError::Kind::Auth);
  EXPECT_EQ(transcript_.size(), 1u);  // no credentials: no second attempt
}

// The registry over https with a self-signed certificate: the three TLS modes.
class RegistryTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::filesystem::exists(kRegistryBinary))
      registry_ = LocalRegistry::start(std::nullopt, /*tls=*/true);
  }
  static void TearDownTestSuite() { registry_.reset(); }
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "no " << kRegistryBinary);
    MPCHECK_REQUIRE(std::filesystem::exists("/usr/bin/openssl"), "no openssl CLI");
    ASSERT_TRUE(registry_) << "docker-registry (TLS) did not start";
  }
  static inline std::unique_ptr<LocalRegistry> registry_;
};

TEST_F(RegistryTlsTest, VerifiedWithTheRightCaFile) {
  RegistryClient client(registry_->config());
  EXPECT_TRUE(client.base_url().starts_with("https://"));
  auto ping = client.ping();
  ASSERT_TRUE(ping) << ping.error().describe();
  std::string blob = test_bytes(50000, 13);
  std::string digest = *digest_of("sha256", blob);
  std::size_t pos = 0;
  ASSERT_TRUE(client.push_blob_monolithic("tls", digest, blob.size(), reader_over(blob, pos)));
  std::string got;
  ASSERT_TRUE(client.get_blob("tls", digest, writer_into(got)));
  EXPECT_TRUE(got == blob);
}

TEST_F(RegistryTlsTest, UnknownCertificateIsRejectedUnlessInsecure) {
  RegistryConfig verified = registry_->config();
  verified.ca_file.reset();  // system CAs do not know the self-signed certificate
  verified.max_retries = 0;
  auto ping = RegistryClient(verified).ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().kind, RegistryError::Kind::Transport);
  EXPECT_EQ(ping.error().http_status, 0);

  RegistryConfig insecure = verified;
  insecure.tls = TlsMode::Insecure;
  auto insecure_ping = RegistryClient(insecure).ping();
  EXPECT_TRUE(insecure_ping) << insecure_ping.error().describe();

  RegistryConfig plain = verified;
  plain.tls = TlsMode::Disabled;  // Go answers plain http on a TLS port with a 400
  auto plain_ping = RegistryClient(plain).ping();
  ASSERT_FALSE(plain_ping);
  EXPECT_EQ(plain_ping.error().http_status, 400);
}

}  // namespace
