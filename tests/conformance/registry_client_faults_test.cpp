// RegistryClient against a fault-injecting HTTP server (cpp-httplib) on loopback: retries,
// Retry-After, redirects across hosts, stalls, deadlines, bodies longer than declared, wrong
// digests, bearer tokens and redaction, pagination loops, names leaving /v2/, header injection.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <set>
#include <thread>

#include "local_registry.hpp"
#include "mpcheck/conformance/content_hasher.hpp"
#include "mpcheck/conformance/limits.hpp"
#include "mpcheck/conformance/registry_client.hpp"

using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

class FaultServer {
 public:
  httplib::Server http;
  int port = 0;
  std::atomic<bool> stopping{false};

  void start() {
    port = http.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http.listen_after_bind(); });
    while (!http.is_running()) std::this_thread::sleep_for(5ms);
  }
  ~FaultServer() {
    stopping = true;
    http.stop();
    if (thread_.joinable()) thread_.join();
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port); }

 private:
  std::thread thread_;
};

class FaultTest : public ::testing::Test {
 protected:
  RegistryConfig config() {
    RegistryConfig c;
    c.host = server.host();
    c.tls = TlsMode::Disabled;
    c.retry_base_delay = 10ms;
    c.stall_timeout = 1s;
    c.transcript = [this](const TranscriptEntry& e) { transcript.push_back(e); };
    return c;
  }
  FaultServer server;
  std::vector<TranscriptEntry> transcript;
};

const std::string kManifest = R"({"schemaVersion":2})";
const std::string kManifestType = "application/vnd.oci.image.manifest.v1+json";

TEST_F(FaultTest, TooManyRequestsHonoursRetryAfterThenSucceeds) {
  std::atomic<int> calls = 0;
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})",
                      "application/json");
      return;
    }
    res.set_content(kManifest, kManifestType);
  });
  server.start();
  RegistryClient client(config());
  auto start = Clock::now();
  auto manifest = client.get_manifest("r", "t");
  auto elapsed = Clock::now() - start;
  ASSERT_TRUE(manifest) << manifest.error().describe();
  EXPECT_EQ(manifest->bytes, kManifest);
  EXPECT_EQ(calls, 2);
  EXPECT_GE(elapsed, 900ms);  // waited as told, not the 10 ms backoff
  EXPECT_LT(elapsed, 5s);
}

TEST_F(FaultTest, RetryAfterIsCapped) {
  std::atomic<int> calls = 0;
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request&, httplib::Response& res) {
    if (calls++ == 0) {
      res.status = 503;
      res.set_header("Retry-After", "3600");
      return;
    }
    res.set_content(kManifest, kManifestType);
  });
  server.start();
  RegistryConfig c = config();
  c.max_retry_after = 1s;
  RegistryClient client(c);
  auto start = Clock::now();
  auto manifest = client.get_manifest("r", "t");
  ASSERT_TRUE(manifest) << manifest.error().describe();
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST_F(FaultTest, ServerErrorsAreRetriedThenReported) {
  std::atomic<int> gets = 0, posts = 0;
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request&, httplib::Response& res) {
    ++gets;
    res.status = 500;
    res.set_content(R"({"errors":[{"code":"UNKNOWN","message":"boom"}]})", "application/json");
  });
  server.http.Post("/v2/r/blobs/uploads/", [&](const httplib::Request&, httplib::Response& res) {
    ++posts;
    res.status = 500;
  });
  server.start();
  RegistryConfig c = config();
  c.max_retries = 2;
  RegistryClient client(c);
  auto manifest = client.get_manifest("r", "t");
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().kind, RegistryError::Kind::Http);
  EXPECT_EQ(manifest.error().http_status, 500);
  EXPECT_TRUE(manifest.error().has_code("UNKNOWN"));
  EXPECT_EQ(gets, 3);  // one try and two retries
  auto upload = client.start_upload("r");
  ASSERT_FALSE(upload);
  EXPECT_EQ(posts, 1);  // POST is not idempotent: never retried
}

TEST_F(FaultTest, RedirectToAnotherHostDropsAuthorization) {
  const std::string blob = "blob bytes behind a redirect";
  const std::string digest = *digest_of("sha256", blob);
  std::atomic<int> registry_authorized = 0, storage_authorized = 0, storage_calls = 0;
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request& req,
                                               httplib::Response& res) {
    if (!req.has_header("Authorization")) {
      res.status = 401;
      res.set_header("WWW-Authenticate", R"(Basic realm="fault")");
      return;
    }
    ++registry_authorized;
    res.status = 307;  // "localhost" is another host than "127.0.0.1" for the client
    res.set_header("Location", "http://localhost:" + std::to_string(server.port) + "/storage/x");
  });
  server.http.Get("/storage/x", [&](const httplib::Request& req, httplib::Response& res) {
    ++storage_calls;
    if (req.has_header("Authorization")) ++storage_authorized;
    res.set_content(blob, "application/octet-stream");
  });
  server.start();
  RegistryConfig c = config();
  c.credentials = Credentials{"user", "secret-pass"};
  RegistryClient client(c);
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got));
  ASSERT_TRUE(fetch) << fetch.error().describe();
  EXPECT_EQ(got, blob);
  EXPECT_EQ(registry_authorized, 1);
  EXPECT_EQ(storage_calls, 1);
  EXPECT_EQ(storage_authorized, 0);
  ASSERT_EQ(transcript.size(), 3u);  // 401, 307, 200
  EXPECT_FALSE(header_value(transcript[2].request_headers, "Authorization"));
}

TEST_F(FaultTest, StalledBodyTimesOutInBoundedTime) {
  const std::string digest = *digest_of("sha256", "never delivered");
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(1 << 20, "application/octet-stream",
                             [&](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               if (offset == 0) return sink.write("0123456789", 10);
                               for (int i = 0; i < 200 && !server.stopping; ++i)
                                 std::this_thread::sleep_for(50ms);
                               return false;
                             });
  });
  server.start();
  RegistryConfig c = config();
  // libcurl averages speed over ~5 s; a threshold above the 10 bytes sent makes the stall
  // count from the first second.
  c.stall_min_bytes_per_second = 1000;
  RegistryClient client(c);
  auto start = Clock::now();
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got));
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::Timeout) << fetch.error().describe();
  EXPECT_LT(elapsed, 5s);
  EXPECT_EQ(got, "0123456789");  // streamed before the stall; not retried after bytes went out
}

TEST_F(FaultTest, WrongBlobDigestIsDetected) {
  const std::string asked = *digest_of("sha256", "what was asked for");
  const std::string good_body = "right bytes";
  const std::string good = *digest_of("sha256", good_body);
  server.http.Get("/v2/r/blobs/" + asked, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content("something else", "application/octet-stream");
  });
  server.http.Get("/v2/r/blobs/" + good, [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("Docker-Content-Digest", asked);  // header contradicts the body
    res.set_content(good_body, "application/octet-stream");
  });
  server.start();
  RegistryClient client(config());
  std::string sink;
  auto wrong_body = client.get_blob("r", asked, writer_into(sink));
  ASSERT_FALSE(wrong_body);
  EXPECT_EQ(wrong_body.error().kind, RegistryError::Kind::DigestMismatch);
  EXPECT_NE(wrong_body.error().message.find(*digest_of("sha256", "something else")),
            std::string::npos);
  auto wrong_header = client.get_blob("r", good, writer_into(sink));
  ASSERT_FALSE(wrong_header);
  EXPECT_EQ(wrong_header.error().kind, RegistryError::Kind::DigestMismatch);
}

TEST_F(FaultTest, BearerTokenFetchedOnceAndReusedAndRedacted) {
  std::atomic<int> token_calls = 0;
  std::string token_auth;
  server.http.Get("/token", [&](const httplib::Request& req, httplib::Response& res) {
    ++token_calls;
    token_auth = req.get_header_value("Authorization");
    EXPECT_EQ(req.get_param_value("service"), "fault-registry");
    EXPECT_EQ(req.get_param_value("scope"), "repository:r:pull");
    res.set_content(R"({"token":"tok-123","expires_in":300})", "application/json");
  });
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer tok-123") {
      res.status = 401;
      res.set_header("WWW-Authenticate",
                     "Bearer realm=\"http://" + server.host() +
                         "/token\",service=\"fault-registry\",scope=\"repository:r:pull\"");
      return;
    }
    res.set_content(kManifest, kManifestType);
  });
  server.start();
  RegistryConfig c = config();
  c.credentials = Credentials{"user", "secret-pass"};
  RegistryClient client(c);
  ASSERT_TRUE(client.get_manifest("r", "t"));
  auto again = client.get_manifest("r", "t");
  ASSERT_TRUE(again) << again.error().describe();
  EXPECT_EQ(token_calls, 1);
  EXPECT_EQ(token_auth, "Basic " + encode_base64("user:secret-pass"));
  ASSERT_EQ(transcript.size(), 4u);  // 401, token, 200, 200 (cached token)
  EXPECT_EQ(header_value(transcript[3].request_headers, "Authorization"), "Bearer <redacted>");
  for (const auto& e : transcript) {
    EXPECT_EQ(e.body_excerpt.find("tok-123"), std::string::npos);
    for (const auto& [k, v] : e.request_headers) {
      EXPECT_EQ(v.find("tok-123"), std::string::npos);
      EXPECT_EQ(v.find(encode_base64("user:secret-pass")), std::string::npos);
    }
  }
}

TEST_F(FaultTest, TagsFollowLinkPagination) {
  const std::vector<std::string> tags = {"a", "b", "c", "d", "e"};
  server.http.Get("/v2/r/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    std::size_t n = req.has_param("n") ? std::stoul(req.get_param_value("n")) : tags.size();
    std::size_t from = 0;
    if (req.has_param("last"))
      from = std::find(tags.begin(), tags.end(), req.get_param_value("last")) - tags.begin() + 1;
    std::string body = R"({"name":"r","tags":[)";
    std::size_t to = std::min(tags.size(), from + n);
    for (std::size_t i = from; i < to; ++i) body += (i > from ? ",\"" : "\"") + tags[i] + "\"";
    body += "]}";
    if (to < tags.size())
      res.set_header("Link", "</v2/r/tags/list?n=" + std::to_string(n) + "&last=" + tags[to - 1] +
                                 ">; rel=\"next\"");
    res.set_content(body, "application/json");
  });
  server.start();
  RegistryClient client(config());
  auto listed = client.list_tags("r", 2);
  ASSERT_TRUE(listed) << listed.error().describe();
  EXPECT_EQ(listed->tags, tags);
  EXPECT_EQ(listed->pages, 3);
  EXPECT_NE(transcript.back().url.find("last=d"), std::string::npos);
}

TEST_F(FaultTest, OversizedManifestIsAnErrorNotAnAllocation) {
  server.http.Get("/v2/r/manifests/big", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(limits::kMaxManifestBytes + 1, ' '), kManifestType);
  });
  server.start();
  RegistryClient client(config());
  auto manifest = client.get_manifest("r", "big");
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().kind, RegistryError::Kind::BodyTooLarge);
}

TEST_F(FaultTest, ChunkedUploadHonoursMinimumChunkLength) {
  std::vector<std::size_t> patch_sizes;
  std::vector<std::string> ranges;
  std::string received;
  server.http.Post("/v2/r/blobs/uploads/", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 202;
    res.set_header("Location", "/upload/1");
    res.set_header("OCI-Chunk-Min-Length", "3000");
  });
  server.http.Patch("/upload/1", [&](const httplib::Request& req, httplib::Response& res) {
    patch_sizes.push_back(req.body.size());
    ranges.push_back(req.get_header_value("Content-Range"));
    received += req.body;
    res.status = 202;
    res.set_header("Location", "/upload/1?state=" + std::to_string(received.size()));
    res.set_header("Range", "0-" + std::to_string(received.size() - 1));
  });
  server.http.Put("/upload/1", [&](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(req.get_param_value("state"), std::to_string(received.size()));
    if (req.get_param_value("digest") != *digest_of("sha256", received)) {
      res.status = 400;
      return;
    }
    res.status = 201;
    res.set_header("Location", "/v2/r/blobs/" + req.get_param_value("digest"));
  });
  server.start();
  RegistryClient client(config());
  const std::string blob = test_bytes(7000, 11);
  std::size_t pos = 0;
  auto pushed = client.push_blob_chunked("r", *digest_of("sha256", blob), blob.size(),
                                         reader_over(blob, pos), 1000);
  ASSERT_TRUE(pushed) << pushed.error().describe();
  EXPECT_EQ(patch_sizes, (std::vector<std::size_t>{3000, 3000, 1000}));
  EXPECT_EQ(ranges, (std::vector<std::string>{"0-2999", "3000-5999", "6000-6999"}));
  EXPECT_TRUE(received == blob);
}

TEST_F(FaultTest, StreamedBodyIsNotLostOnAuthChallenge) {
  // The PATCH asks for 100-continue, so a 401 arrives before any byte of the stream is read
  // and the request can be replayed with credentials.
  std::string received;
  std::atomic<int> patches = 0;
  server.http.set_expect_100_continue_handler(
      [](const httplib::Request& req, httplib::Response& res) {
        if (req.has_header("Authorization")) return 100;
        res.status = 401;
        res.set_header("WWW-Authenticate", R"(Basic realm="fault")");
        return 401;
      });
  server.http.Post("/v2/r/blobs/uploads/", [&](const httplib::Request&, httplib::Response& res) {
    res.status = 202;
    res.set_header("Location", "/upload/2");
  });
  server.http.Patch("/upload/2", [&](const httplib::Request& req, httplib::Response& res) {
    ++patches;
    received += req.body;
    res.status = 202;
    res.set_header("Location", "/upload/2");
    res.set_header("Range", "0-" + std::to_string(received.size() - 1));
  });
  server.start();
  RegistryConfig c = config();
  c.credentials = Credentials{"user", "secret-pass"};
  RegistryClient client(c);
  auto session = client.start_upload("r");
  ASSERT_TRUE(session) << session.error().describe();
  const std::string blob = test_bytes(200000, 12);
  std::size_t pos = 0;
  auto patched = client.upload_chunk(*session, reader_over(blob, pos), std::nullopt);
  ASSERT_TRUE(patched) << patched.error().describe();
  EXPECT_EQ(patched->offset, blob.size());
  EXPECT_EQ(patches, 1);
  EXPECT_TRUE(received == blob);
  ASSERT_EQ(transcript.size(), 3u);  // POST, PATCH 401, PATCH 202
  EXPECT_EQ(transcript[1].status, 401);
  EXPECT_EQ(transcript[2].status, 202);
}

// Everything a transcript shows, as one text, to search for secrets.
std::string transcript_text(const std::vector<TranscriptEntry>& entries) {
  std::string out;
  for (const auto& e : entries) {
    out += e.method + " " + e.url + "\n";
    for (const auto& [k, v] : e.request_headers) out += k + ": " + v + "\n";
    for (const auto& [k, v] : e.response_headers) out += k + ": " + v + "\n";
    out += e.body_excerpt + "\n" + e.transport_error + "\n";
  }
  return out;
}

// A body that never ends: `chunk` bytes every `pause`, until the client goes away.
void endless_body(FaultServer& server, httplib::Response& res, std::size_t chunk,
                  std::chrono::milliseconds pause, std::atomic<std::uint64_t>& sent) {
  res.set_chunked_content_provider(
      "application/octet-stream",
      [&server, chunk, pause, &sent](std::size_t, httplib::DataSink& sink) {
        if (server.stopping) return false;
        std::string bytes(chunk, 'x');
        if (!sink.write(bytes.data(), bytes.size())) return false;
        sent += chunk;
        if (pause.count() > 0) std::this_thread::sleep_for(pause);
        return true;
      });
}

TEST_F(FaultTest, TricklingRegistryHitsTheRequestDeadline) {
  // 5 bytes/s is above the 1 byte/s stall limit: only a total deadline ends this.
  std::atomic<std::uint64_t> sent = 0;
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request&, httplib::Response& res) {
    endless_body(server, res, 1, 200ms, sent);
  });
  server.start();
  RegistryConfig c = config();
  c.request_timeout = 2s;
  RegistryClient client(c);
  auto start = Clock::now();
  auto manifest = client.get_manifest("r", "t");
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().kind, RegistryError::Kind::Timeout);
  EXPECT_NE(manifest.error().message.find("request deadline of 2 s"), std::string::npos)
      << manifest.error().message;
  EXPECT_LT(elapsed, 20s);
  EXPECT_GE(elapsed, 1s);
}

TEST_F(FaultTest, TricklingBlobHitsItsSizeScaledDeadline) {
  const std::string blob = test_bytes(4096, 21);
  const std::string digest = *digest_of("sha256", blob);
  std::atomic<std::uint64_t> sent = 0;
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    endless_body(server, res, 1, 100ms, sent);
  });
  server.start();
  RegistryConfig c = config();
  c.blob_timeout_floor = 1s;
  c.blob_min_bytes_per_second = 4096;  // 1 s floor + 4096 bytes at 4096 bytes/s = 2 s
  RegistryClient client(c);
  auto start = Clock::now();
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got), std::nullopt, blob.size());
  auto elapsed = Clock::now() - start;
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::Timeout);
  EXPECT_NE(fetch.error().message.find("blob transfer deadline of 2 s"), std::string::npos)
      << fetch.error().message;
  EXPECT_NE(fetch.error().message.find("4096 bytes at the minimum rate of 4096 bytes/s"),
            std::string::npos);
  EXPECT_LT(elapsed, 20s);
}

TEST_F(FaultTest, AnnouncedHugeBlobMustKeepTheMinimumRate) {
  // No size from the caller; the registry announces a terabyte and trickles. Its
  // Content-Length buys no deadline: the transfer must keep the minimum average rate.
  const std::string digest = *digest_of("sha256", "never delivered either");
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content_provider(std::size_t{1} << 40, "application/octet-stream",
                             [&](std::size_t, std::size_t, httplib::DataSink& sink) {
                               if (server.stopping || !sink.write("x", 1)) return false;
                               std::this_thread::sleep_for(100ms);
                               return true;
                             });
  });
  server.start();
  RegistryConfig c = config();
  c.blob_timeout_floor = 1s;
  c.blob_min_bytes_per_second = 4096;
  RegistryClient client(c);
  auto start = Clock::now();
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got));
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::Timeout);
  EXPECT_NE(fetch.error().message.find("unknown size fell below the minimum rate of 4096 bytes/s "
                                       "after the 1 s floor"),
            std::string::npos)
      << fetch.error().message;
  EXPECT_LT(Clock::now() - start, 20s);
}

TEST_F(FaultTest, EndlessBlobBodyStopsAtTheDeclaredSize) {
  const std::string blob = test_bytes(4096, 22);
  const std::string digest = *digest_of("sha256", blob);
  std::atomic<std::uint64_t> sent = 0;
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    endless_body(server, res, 64 * 1024, 0ms, sent);
  });
  server.start();
  RegistryClient client(config());
  std::string got;
  auto start = Clock::now();
  auto fetch = client.get_blob("r", digest, writer_into(got), std::nullopt, blob.size());
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::BodyTooLarge);
  EXPECT_NE(fetch.error().message.find(
                "the registry sent more than the 4096 bytes the descriptor declares"),
            std::string::npos)
      << fetch.error().message;
  EXPECT_LE(got.size(), blob.size());
  EXPECT_LT(Clock::now() - start, 20s);
  // The server could only fill socket buffers before the client hung up.
  std::this_thread::sleep_for(200ms);
  RecordProperty("server_bytes_sent", std::to_string(sent.load()));
  EXPECT_LT(sent.load(), 64u << 20) << sent.load() << " bytes sent";
}

TEST_F(FaultTest, ContentLengthAboveTheDeclaredSizeFailsBeforeAnyByteIsWritten) {
  const std::string blob = test_bytes(4096, 23);
  const std::string digest = *digest_of("sha256", blob);
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(8192, 'y'), "application/octet-stream");
  });
  server.start();
  RegistryClient client(config());
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got), std::nullopt, blob.size());
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::BodyTooLarge);
  EXPECT_TRUE(got.empty());
}

TEST_F(FaultTest, ShortBlobBodyIsReportedAgainstTheDeclaredSize) {
  const std::string blob = test_bytes(4096, 24);
  const std::string digest = *digest_of("sha256", blob);
  server.http.Get("/v2/r/blobs/" + digest, [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(blob.substr(0, 100), "application/octet-stream");
  });
  server.start();
  RegistryClient client(config());
  std::string got;
  auto fetch = client.get_blob("r", digest, writer_into(got), std::nullopt, blob.size());
  ASSERT_FALSE(fetch);
  EXPECT_EQ(fetch.error().kind, RegistryError::Kind::DigestMismatch);
  EXPECT_NE(fetch.error().message.find("sent 100 bytes, the descriptor declares 4096"),
            std::string::npos)
      << fetch.error().message;
}

TEST_F(FaultTest, ManifestLongerThanItsDescriptorIsNotReadOn) {
  std::atomic<std::uint64_t> sent = 0;
  server.http.Get("/v2/r/manifests/t", [&](const httplib::Request&, httplib::Response& res) {
    endless_body(server, res, 16 * 1024, 0ms, sent);
  });
  server.http.Get("/v2/r/manifests/short", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(kManifest, kManifestType);
  });
  server.start();
  RegistryClient client(config());
  auto manifest = client.get_manifest("r", "t", kDefaultManifestAccept, 512);
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().kind, RegistryError::Kind::BodyTooLarge);
  EXPECT_NE(manifest.error().message.find("more than the 512 bytes the descriptor declares"),
            std::string::npos)
      << manifest.error().message;
  auto shorter = client.get_manifest("r", "short", kDefaultManifestAccept, kManifest.size() + 1);
  ASSERT_FALSE(shorter);
  EXPECT_EQ(shorter.error().kind, RegistryError::Kind::DigestMismatch);
  EXPECT_TRUE(client.get_manifest("r", "short", kDefaultManifestAccept, kManifest.size()));
}

TEST_F(FaultTest, TagLinkBackToAnEarlierPageIsALoop) {
  std::atomic<int> calls = 0;
  server.http.Get("/v2/r/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    ++calls;
    // Page 1 links to page 2, page 2 back to page 1.
    bool second = req.has_param("last");
    res.set_header("Link", second ? "</v2/r/tags/list?n=1>; rel=\"next\""
                                  : "</v2/r/tags/list?n=1&last=a>; rel=\"next\"");
    res.set_content(second ? R"({"name":"r","tags":["b"]})" : R"({"name":"r","tags":["a"]})",
                    "application/json");
  });
  server.start();
  RegistryClient client(config());
  auto listed = client.list_tags("r", 1);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, RegistryError::Kind::Protocol);
  EXPECT_NE(listed.error().message.find("points back to a page already fetched"), std::string::npos)
      << listed.error().message;
  EXPECT_EQ(calls, 2);
}

TEST_F(FaultTest, EndlessTagPagesStopAtTheTagBound) {
  // Every page has 10,000 new tags and a Link to a page never seen before.
  std::atomic<int> calls = 0;
  server.http.Get("/v2/r/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 0;
    ++calls;
    std::string body = R"({"name":"r","tags":[)";
    for (int i = 0; i < 10000; ++i)
      body += (i ? ",\"" : "\"") + std::to_string(page) + "-" + std::to_string(i) + "\"";
    body += "]}";
    res.set_header("Link", "</v2/r/tags/list?page=" + std::to_string(page + 1) + ">; rel=\"next\"");
    res.set_content(body, "application/json");
  });
  server.start();
  RegistryClient client(config());
  auto listed = client.list_tags("r");
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, RegistryError::Kind::Protocol);
  EXPECT_NE(listed.error().message.find("more than " + std::to_string(limits::kMaxTags) + " tags"),
            std::string::npos)
      << listed.error().message;
  EXPECT_EQ(calls, static_cast<int>(limits::kMaxTags / 10000) + 1);
}

TEST_F(FaultTest, EndlessTagPagesStopAtThePageBound) {
  // Few enough tags per page that the page bound comes first.
  constexpr int kPerPage = static_cast<int>(limits::kMaxTags / limits::kMaxTagPages) - 1;
  std::atomic<int> calls = 0;
  server.http.Get("/v2/r/tags/list", [&](const httplib::Request& req, httplib::Response& res) {
    int page = req.has_param("page") ? std::stoi(req.get_param_value("page")) : 0;
    ++calls;
    std::string body = R"({"name":"r","tags":[)";
    for (int i = 0; i < kPerPage; ++i)
      body += (i ? ",\"" : "\"") + std::to_string(page) + "-" + std::to_string(i) + "\"";
    body += "]}";
    res.set_header("Link", "</v2/r/tags/list?page=" + std::to_string(page + 1) + ">; rel=\"next\"");
    res.set_content(body, "application/json");
  });
  server.http.set_tcp_nodelay(true);  // a thousand small replies, without Nagle's delays
  server.start();
  RegistryClient client(config());
  auto listed = client.list_tags("r");
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, RegistryError::Kind::Protocol);
  EXPECT_NE(
      listed.error().message.find("beyond " + std::to_string(limits::kMaxTagPages) + " pages"),
      std::string::npos)
      << listed.error().message;
  EXPECT_EQ(calls, limits::kMaxTagPages);
}

TEST_F(FaultTest, NamesThatWouldLeaveV2AreRefusedBeforeAnyRequest) {
  std::atomic<int> requests = 0;
  server.http.set_pre_routing_handler([&](const httplib::Request&, httplib::Response&) {
    ++requests;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server.start();
  RegistryClient client(config());
  const std::string good_digest = *digest_of("sha256", "x");
  std::string sink;
  auto m = client.get_manifest("../../x", "t");
  ASSERT_FALSE(m);
  EXPECT_NE(m.error().message.find("\"..\" path segment"), std::string::npos) << m.error().message;
  EXPECT_FALSE(client.get_manifest("r/./x", "t"));
  EXPECT_FALSE(client.get_manifest("r", "../t"));
  EXPECT_FALSE(client.head_manifest("r", "sha256:../../x"));
  EXPECT_FALSE(client.get_blob("r", "sha256:../../../v2", writer_into(sink)));
  EXPECT_FALSE(client.head_blob("../r", good_digest));
  EXPECT_FALSE(client.list_tags("r/.."));
  EXPECT_FALSE(client.start_upload(".."));
  EXPECT_FALSE(client.mount_blob("r", good_digest, "../other"));
  EXPECT_FALSE(client.get_referrers("r", "sha256:%2e%2e"));
  EXPECT_EQ(requests, 0);
}

TEST_F(FaultTest, TokenUnderAnEscapedKeyIsUsedAndNeverShown) {
  const std::string token = "tok-Zq81-escaped";
  std::atomic<int> token_calls = 0;
  server.http.Get("/token", [&](const httplib::Request&, httplib::Response& res) {
    ++token_calls;
    // "tok\u0065n" is "token" once decoded; key-based redaction alone would miss it.
    res.set_content(R"({"tok\u0065n":")" + token + R"(","expires_in":300})", "application/json");
  });
  auto handler = [&](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("Authorization") != "Bearer " + token) {
      res.status = 401;
      res.set_header("WWW-Authenticate",
                     "Bearer realm=\"http://" + server.host() + "/token\",service=\"fault\"");
      return;
    }
    if (req.path.ends_with("/t")) {
      res.set_content(kManifest, kManifestType);
      return;
    }
    // A registry echoing the credential back in its error body.
    res.status = 404;
    res.set_content(R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"not for )" + token +
                        R"( nor secret-pass"}]})",
                    "application/json");
  };
  server.http.Get("/v2/r/manifests/t", handler);
  server.http.Get("/v2/r/manifests/missing", handler);
  server.start();
  RegistryConfig c = config();
  c.credentials = Credentials{"user", "secret-pass"};
  RegistryClient client(c);
  auto manifest = client.get_manifest("r", "t");
  ASSERT_TRUE(manifest) << manifest.error().describe();  // the decoded token was used
  auto missing = client.get_manifest("r", "missing");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().http_status, 404);
  EXPECT_TRUE(missing.error().has_code("MANIFEST_UNKNOWN"));
  EXPECT_EQ(token_calls, 1);
  std::string text = transcript_text(transcript);
  EXPECT_NE(text.find("/token"), std::string::npos);  // the token exchange is recorded
  EXPECT_EQ(text.find(token), std::string::npos) << text;
  EXPECT_EQ(text.find("secret-pass"), std::string::npos) << text;
  EXPECT_EQ(missing.error().describe().find(token), std::string::npos)
      << missing.error().describe();
  EXPECT_EQ(missing.error().describe().find("secret-pass"), std::string::npos);
}

TEST_F(FaultTest, HeaderValuesWithLineBreaksAreNeverSent) {
  std::atomic<int> requests = 0;
  server.http.Get("/v2/", [&](const httplib::Request&, httplib::Response& res) {
    ++requests;
    res.set_content("{}", "application/json");
  });
  server.start();
  RegistryConfig c = config();
  c.user_agent = "mpcheck\r\nX-Injected: yes";
  RegistryClient client(c);
  auto ping = client.ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().kind, RegistryError::Kind::Protocol);
  EXPECT_NE(ping.error().message.find("value of header User-Agent"), std::string::npos)
      << ping.error().message;
  EXPECT_NE(ping.error().message.find("CR, LF"), std::string::npos);
  EXPECT_EQ(requests, 0);
  EXPECT_TRUE(transcript.empty());
}

}  // namespace
