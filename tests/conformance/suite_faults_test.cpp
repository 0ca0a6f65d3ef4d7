// The conformance suite through a fault-injecting proxy (cpp-httplib) in front of a real
// docker-registry: each fault ends in the right case failing, or in a clean retry, in bounded
// time; no credential shows up in any report.
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <mutex>
#include <regex>
#include <thread>

#include "local_registry.hpp"
#include "mpcheck/conformance/suite.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "prerequisite.hpp"

using namespace mpcheck;
using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kUser = "bob";
const std::string kPassword = "Pr0xy-Pa55word";

// Forwards every request to the registry; `before` may answer instead, `after` may rewrite
// the registry's answer.
class FaultProxy {
 public:
  using Before = std::function<bool(const httplib::Request&, httplib::Response&)>;
  using After = std::function<void(const httplib::Request&, httplib::Response&)>;
  Before before;
  After after;
  std::atomic<bool> stopping{false};

  explicit FaultProxy(std::string upstream) : upstream_(std::move(upstream)) {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      forward(req, res);
    };
    http_.Get(".*", handler);
    http_.Post(".*", handler);
    http_.Put(".*", handler);
    http_.Patch(".*", handler);
    http_.Delete(".*", handler);
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(5ms);
  }
  ~FaultProxy() {
    stopping = true;
    http_.stop();
    thread_.join();
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }

 private:
  void forward(const httplib::Request& req, httplib::Response& res) {
    if (before && before(req, res)) return;
    httplib::Client client("http://" + upstream_);
    client.set_read_timeout(30, 0);
    httplib::Request up;
    up.method = req.method;
    up.path = req.target;
    for (const auto& [k, v] : req.headers) {
      std::string lk = k;
      for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lk == "host" || lk == "content-length" || lk == "transfer-encoding" ||
          lk.starts_with("remote_") || lk.starts_with("local_"))
        continue;
      up.headers.emplace(k, v);
    }
    up.body = req.body;
    if (!req.body.empty() || req.method == "PUT" || req.method == "PATCH" || req.method == "POST")
      up.headers.emplace("Content-Length", std::to_string(req.body.size()));
    auto result = client.send(up);
    if (!result) {
      res.status = 502;
      return;
    }
    res.status = result->status;
    for (const auto& [k, v] : result->headers) {
      std::string lk = k;
      for (auto& c : lk) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lk == "transfer-encoding" || lk == "connection") continue;
      if (lk == "content-length" && req.method != "HEAD") continue;
      std::string value = v;
      if (lk == "location")
        value = std::regex_replace(value, std::regex("127\\.0\\.0\\.1:[0-9]+"), host());
      res.headers.emplace(k, value);
    }
    if (req.method != "HEAD") res.body = result->body;
    if (after) after(req, res);
  }

  std::string upstream_;
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
};

bool is_blob_get(const httplib::Request& req) {
  return req.method == "GET" && req.path.find("/blobs/sha256:") != std::string::npos;
}

const reports::Case* find_case(const reports::Run& run, std::string_view name) {
  for (const auto& s : run.suites)
    for (const auto& c : s.cases)
      if (c.name == name) return &c;
  return nullptr;
}

std::string summary(const reports::Run& run) {
  std::string out;
  for (const auto& s : run.suites)
    for (const auto& c : s.cases)
      out += std::string(reports::to_string(c.status)) + " " + c.name + " " + c.message + "\n";
  return out;
}

void expect_no_credentials(const reports::Run& run) {
  std::ostringstream junit, html, json;
  reports::write_junit(run, junit);
  reports::write_html(run, html);
  reports::write_results_json(run, json);
  for (const auto& text : {junit.str(), html.str(), json.str(), summary(run)}) {
    EXPECT_EQ(text.find(kPassword), std::string::npos);
    EXPECT_EQ(text.find(encode_base64(kUser + ":" + kPassword)), std::string::npos);
  }
}

class SuiteFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "docker-registry not installed");
    registry = LocalRegistry::start(Credentials{kUser, kPassword});
    ASSERT_TRUE(registry);
    proxy = std::make_unique<FaultProxy>(registry->host());
  }
  reports::Run run(const std::string& only) {
    SuiteOptions o;
    o.settings.registry = proxy->host();
    o.settings.tls = TlsMode::Disabled;
    o.settings.username = kUser;
    o.settings.password = kPassword;
    o.settings.stall_timeout = 2s;
    o.settings.only = only;
    o.credentials = Credentials{kUser, kPassword};
    o.fixtures = {"gguf-single-file"};
    auto r = run_suite(o);
    EXPECT_TRUE(r) << r.error();
    if (!r) return {};
    expect_no_credentials(*r);
    return *r;
  }
  std::unique_ptr<LocalRegistry> registry;
  std::unique_ptr<FaultProxy> proxy;
};

TEST_F(SuiteFaultTest, CleanProxyIsConformant) {
  auto r = run("*");
  EXPECT_EQ(mpcheck::reports::verdict_word(r), "conformant") << summary(r);
}

TEST_F(SuiteFaultTest, RewrittenManifestFailsTheExactBytesPull) {
  proxy->after = [](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" && req.path.find("/manifests/gguf-single-file") != std::string::npos &&
        res.status == 200)
      res.body =
          std::regex_replace(res.body, std::regex("\"schemaVersion\":2"), "\"schemaVersion\": 2");
  };
  auto r = run("pull/manifest-by-*");
  auto* c = find_case(r, "pull/manifest-by-tag");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Fail);
  EXPECT_EQ(find_case(r, "pull/manifest-by-digest")->status, reports::Status::Pass);
  EXPECT_EQ(mpcheck::reports::verdict_word(r), "not-conformant");
}

TEST_F(SuiteFaultTest, WrongBlobBytesFailTheDigestCheck) {
  proxy->after = [](const httplib::Request& req, httplib::Response& res) {
    if (is_blob_get(req) && res.status == 200 && !res.body.empty()) res.body[0] ^= 0x55;
  };
  auto r = run("pull/blob-get");
  auto* c = find_case(r, "pull/blob-get");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Fail);
  EXPECT_NE(c->message.find("igest"), std::string::npos) << c->message;
}

TEST_F(SuiteFaultTest, ServerErrorsFailTheirCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" && req.path.find("/tags/list") != std::string::npos) {
      res.status = 500;
      res.set_content(R"({"errors":[{"code":"UNKNOWN","message":"boom"}]})", "application/json");
      return true;
    }
    return false;
  };
  auto start = Clock::now();
  auto r = run("discovery/tags-list");
  EXPECT_LT(Clock::now() - start, 30s);
  auto* c = find_case(r, "discovery/tags-list");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Fail);
  EXPECT_NE(c->message.find("500"), std::string::npos) << c->message;
}

TEST_F(SuiteFaultTest, TooManyRequestsIsRetriedCleanly) {
  std::atomic<int> limited = 0;
  proxy->before = [&](const httplib::Request& req, httplib::Response& res) {
    if (is_blob_get(req) && limited++ == 0) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]})",
                      "application/json");
      return true;
    }
    return false;
  };
  auto r = run("pull/blob-get");
  auto* c = find_case(r, "pull/blob-get");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Pass) << c->message;
  EXPECT_GE(limited, 2);
  bool saw_429 = false;
  for (const auto& x : c->transcript) saw_429 |= x.response.rfind("HTTP 429", 0) == 0;
  EXPECT_TRUE(saw_429);
}

TEST_F(SuiteFaultTest, TruncatedBodyFailsInBoundedTime) {
  proxy->after = [](const httplib::Request& req, httplib::Response& res) {
    if (!is_blob_get(req) || res.status != 200 || res.body.size() < 100) return;
    auto body = std::make_shared<std::string>(res.body);
    res.body.clear();
    res.set_content_provider(body->size(), "application/octet-stream",
                             [body](std::size_t offset, std::size_t, httplib::DataSink& sink) {
                               if (offset > 0) return false;  // drop the connection mid-body
                               sink.write(body->data(), body->size() / 2);
                               return true;
                             });
  };
  auto start = Clock::now();
  auto r = run("pull/blob-get");
  EXPECT_LT(Clock::now() - start, 30s);
  auto* c = find_case(r, "pull/blob-get");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Fail);
}

TEST_F(SuiteFaultTest, StalledBodyFailsInBoundedTime) {
  auto* stopping = &proxy->stopping;
  proxy->after = [stopping](const httplib::Request& req, httplib::Response& res) {
    if (!is_blob_get(req) || res.status != 200 || res.body.size() < 100) return;
    auto body = std::make_shared<std::string>(res.body);
    res.body.clear();
    res.set_content_provider(
        body->size(), "application/octet-stream",
        [body, stopping](std::size_t offset, std::size_t, httplib::DataSink& sink) {
          if (offset == 0) {
            sink.write(body->data(), 10);
            return true;
          }
          for (int i = 0; i < 300 && !*stopping; ++i) std::this_thread::sleep_for(100ms);
          return false;
        });
  };
  auto start = Clock::now();
  auto r = run("pull/blob-get");
  EXPECT_LT(Clock::now() - start, 25s);
  auto* c = find_case(r, "pull/blob-get");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Fail);
}

// Blob GETs redirected to another host (as registries do to object storage): the bytes are
// served there, and the credentials never follow the redirect.
TEST_F(SuiteFaultTest, RedirectToAnotherHostKeepsCredentialsHome) {
  httplib::Server storage;
  std::atomic<int> served = 0, with_auth = 0;
  std::string upstream = registry->host();
  storage.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    ++served;
    if (req.has_header("Authorization")) ++with_auth;
    httplib::Client c("http://" + upstream);
    c.set_basic_auth(kUser.c_str(), kPassword.c_str());
    auto r = c.Get(req.path.c_str());
    res.status = r ? r->status : 502;
    if (r) res.set_content(r->body, "application/octet-stream");
  });
  int storage_port = storage.bind_to_any_port("127.0.0.1");
  std::thread t([&] { storage.listen_after_bind(); });
  while (!storage.is_running()) std::this_thread::sleep_for(5ms);
  proxy->before = [&](const httplib::Request& req, httplib::Response& res) {
    if (!is_blob_get(req)) return false;
    res.status = 307;
    res.set_header("Location", "http://localhost:" + std::to_string(storage_port) + req.path);
    return true;
  };
  auto r = run("pull/blob-get");
  storage.stop();
  t.join();
  auto* c = find_case(r, "pull/blob-get");
  ASSERT_TRUE(c) << summary(r);
  EXPECT_EQ(c->status, reports::Status::Pass) << c->message;
  EXPECT_GT(served, 0);
  EXPECT_EQ(with_auth, 0);
}

// --- one misbehaviour per content case: each makes exactly its own case fail ----------------

// Every case of the run passes or skips, except `name`, which fails.
void expect_only_failure(const reports::Run& run, std::string_view name) {
  bool seen = false;
  for (const auto& s : run.suites)
    for (const auto& c : s.cases) {
      bool bad = c.status == reports::Status::Fail || c.status == reports::Status::Error;
      if (c.name == name) {
        seen = true;
        EXPECT_TRUE(bad) << name << " should fail\n" << summary(run);
      } else if (c.required) {
        EXPECT_FALSE(bad) << c.name << " failed too: " << c.message;
      }
    }
  EXPECT_TRUE(seen) << name << " did not run\n" << summary(run);
  EXPECT_EQ(mpcheck::reports::verdict_word(run), "not-conformant");
}

bool manifest_request(const httplib::Request& req, const char* method, std::string_view tag) {
  return req.method == method && req.path.ends_with("/manifests/" + std::string(tag));
}

TEST_F(SuiteFaultTest, RegistryDroppingTheDataFieldFailsCustomFields) {
  std::atomic<bool> stored_digest_seen{false};
  proxy->after = [&](const httplib::Request& req, httplib::Response& res) {
    if (req.method != "GET" || req.path.find("/manifests/") == std::string::npos) return;
    if (res.body.find("\"io.mpcheck.custom\"") == std::string::npos) return;
    res.body = std::regex_replace(res.body, std::regex(",\"data\":\"[^\"]*\""), "");
    stored_digest_seen = true;
  };
  auto r = run("*");
  expect_only_failure(r, "push/manifest-custom-fields");
  EXPECT_TRUE(stored_digest_seen);
}

TEST_F(SuiteFaultTest, RegistryRefusingAZeroByteBlobFailsItsCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "PUT" &&
        req.target.find("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") !=
            std::string::npos) {
      res.status = 400;
      res.set_content(R"({"errors":[{"code":"SIZE_INVALID","message":"empty"}]})",
                      "application/json");
      return true;
    }
    return false;
  };
  expect_only_failure(run("*"), "push/blob-zero-byte");
}

TEST_F(SuiteFaultTest, RegistryServingOtherBytesForTheEmptyJsonBlobFailsItsCase) {
  proxy->after = [](const httplib::Request& req, httplib::Response& res) {
    if (is_blob_get(req) &&
        req.path.ends_with("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a") &&
        res.status == 200)
      res.body = "[]";
  };
  expect_only_failure(run("*"), "push/blob-empty-json");
}

TEST_F(SuiteFaultTest, RegistryRefusingAMissingSubjectFailsItsCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (!manifest_request(req, "PUT", "subject-missing")) return false;
    res.status = 400;
    res.set_content(R"({"errors":[{"code":"MANIFEST_BLOB_UNKNOWN","message":"subject"}]})",
                    "application/json");
    return true;
  };
  expect_only_failure(run("*"), "push/manifest-subject-missing");
}

TEST_F(SuiteFaultTest, RegistryRefusingAThousandLayersFailsItsCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (!manifest_request(req, "PUT", "layers-1000")) return false;
    res.status = 413;
    return true;
  };
  expect_only_failure(run("*"), "push/manifest-1000-layers");
}

TEST_F(SuiteFaultTest, RegistryLosingAnIndexArtifactTypeFailsItsCase) {
  proxy->after = [](const httplib::Request& req, httplib::Response& res) {
    if (manifest_request(req, "GET", "variants") && res.status == 200)
      res.body = std::regex_replace(
          res.body,
          std::regex("\"artifactType\":\"application/vnd.cncf.model.manifest.v1\\+json\","
                     "\"manifests\""),
          "\"manifests\"");
  };
  auto r = run("*");
  expect_only_failure(r, "push/index-model-variants");
  auto* variants = find_case(r, "push/index-model-variants");
  ASSERT_TRUE(variants);
  EXPECT_NE(variants->message.find("GET manifests/variants"), std::string::npos)
      << variants->message;
}

TEST_F(SuiteFaultTest, RegistryRefusingANestedIndexFailsItsCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (!manifest_request(req, "PUT", "variants-nested")) return false;
    res.status = 400;
    res.set_content(R"({"errors":[{"code":"MANIFEST_INVALID","message":"nested"}]})",
                    "application/json");
    return true;
  };
  expect_only_failure(run("*"), "push/index-nested");
}

TEST_F(SuiteFaultTest, RegistryLosingAnEmptyIndexFailsItsCase) {
  proxy->before = [](const httplib::Request& req, httplib::Response& res) {
    if (!manifest_request(req, "GET", "index-empty")) return false;
    res.status = 404;
    res.set_content(R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"gone"}]})",
                    "application/json");
    return true;
  };
  expect_only_failure(run("*"), "push/index-empty");
}

}  // namespace
