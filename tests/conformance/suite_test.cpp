// The conformance suite against a real docker-registry (Distribution 2.8) on loopback: plain,
// with htpasswd basic auth (right and wrong password), read-only, --only, the full profile.
#include "mpcheck/conformance/suite.hpp"

#include <gtest/gtest.h>

#include "prerequisite.hpp"

#include "local_registry.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"

using namespace mpcheck;
using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;

namespace {

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

SuiteOptions options_for(const LocalRegistry& r) {
  SuiteOptions o;
  o.settings.registry = r.host();
  o.settings.tls = TlsMode::Disabled;
  o.settings.stall_timeout = std::chrono::seconds(10);
  return o;
}

class SuiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    MPCHECK_REQUIRE(std::filesystem::exists(kRegistryBinary), "docker-registry not installed");
  }
};

TEST_F(SuiteTest, PlainDistributionIsConformantWithTheTagSchemaFallback) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.settings.delete_enabled = true;
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "conformant") << summary(*run);
  EXPECT_EQ(run->command, "conformance");
  auto* api = find_case(*run, "referrers/api");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, reports::Status::Skip);
  EXPECT_FALSE(api->required);
  EXPECT_NE(api->message.find("not supported"), std::string::npos);
  auto* fallback = find_case(*run, "referrers/tag-schema-fallback");
  ASSERT_TRUE(fallback);
  EXPECT_EQ(fallback->status, reports::Status::Pass) << fallback->message;
  EXPECT_TRUE(fallback->required);
  for (const char* name :
       {"base/ping", "push/blob-monolithic", "push/blob-chunked", "push/manifest-by-tag",
        "push/manifest-by-digest", "pull/manifest-by-tag", "pull/manifest-by-digest",
        "pull/blob-get", "errors/blob-unknown", "errors/manifest-unknown", "errors/digest-invalid",
        "validate/gguf-single-file", "management/delete-manifest"}) {
    auto* c = find_case(*run, name);
    ASSERT_TRUE(c) << name;
    EXPECT_EQ(c->status, reports::Status::Pass) << name << ": " << c->message;
    EXPECT_FALSE(c->transcript.empty()) << name << " has no transcript";
  }
  // The exchanges belong to the case that made them.
  auto* unknown = find_case(*run, "errors/blob-unknown");
  EXPECT_NE(unknown->transcript.front().response.find("BLOB_UNKNOWN"), std::string::npos);
  EXPECT_EQ(run->configuration.at("registry"), registry->host());
  for (const auto& suite : run->suites)
    for (const auto& c : suite.cases) EXPECT_LE(c.transcript.size(), kMaxExchangesPerCase);
}

TEST_F(SuiteTest, TlsWithTheRegistryCaIsConformantAndUnknownCaCannotRun) {
  auto registry = LocalRegistry::start({}, true);
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.settings.tls = TlsMode::Enabled;
  o.settings.ca_file = registry->ca_file();
  o.settings.only = "base/*";
  o.fixtures = {"gguf-single-file"};
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "conformant") << summary(*run);
  o.settings.ca_file.reset();  // a self-signed certificate the system store does not know
  auto refused = run_suite(o);
  ASSERT_FALSE(refused);  // could not run, with the flags that fix it
  EXPECT_NE(refused.error().find("the TLS certificate does not verify"), std::string::npos)
      << refused.error();
  EXPECT_NE(refused.error().find("--ca-file FILE"), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("--tls insecure"), std::string::npos) << refused.error();
  o.settings.tls = TlsMode::Insecure;
  auto insecure = run_suite(o);
  ASSERT_TRUE(insecure) << insecure.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*insecure), "conformant");
}

TEST_F(SuiteTest, BasicAuthWithTheRightPasswordIsConformant) {
  auto registry = LocalRegistry::start(Credentials{"alice", "s3cret-Pa55"});
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.settings.username = "alice";
  o.settings.password = "s3cret-Pa55";
  o.credentials = Credentials{"alice", "s3cret-Pa55"};
  o.fixtures = {"gguf-single-file"};
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "conformant") << summary(*run);
  EXPECT_EQ(find_case(*run, "base/auth")->status, reports::Status::Pass);
  // Nothing in the report carries the password.
  std::ostringstream junit, html, json;
  reports::write_junit(*run, junit);
  reports::write_html(*run, html);
  reports::write_results_json(*run, json);
  for (const auto& text : {junit.str(), html.str(), json.str()}) {
    EXPECT_EQ(text.find("s3cret-Pa55"), std::string::npos);
    EXPECT_EQ(text.find(encode_base64("alice:s3cret-Pa55")), std::string::npos);
  }
  EXPECT_EQ(run->configuration.at("password"), "<redacted>");
}

// A wrong password is a verdict, not a failure to run: the registry answered, the auth case
// fails and every later case is skipped.
TEST_F(SuiteTest, BasicAuthWithAWrongPasswordFailsTheAuthCase) {
  auto registry = LocalRegistry::start(Credentials{"alice", "s3cret-Pa55"});
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.credentials = Credentials{"alice", "wrong-Pa55"};
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "not-conformant");
  auto* auth = find_case(*run, "base/auth");
  ASSERT_TRUE(auth);
  EXPECT_EQ(auth->status, reports::Status::Fail);
  EXPECT_NE(auth->message.find("rejected the credentials"), std::string::npos) << auth->message;
  auto* push = find_case(*run, "push/blob-monolithic");
  ASSERT_TRUE(push);
  EXPECT_EQ(push->status, reports::Status::Skip);
}

TEST_F(SuiteTest, UnreachableRegistryCannotRun) {
  SuiteOptions o;
  o.settings.registry = "127.0.0.1:" + std::to_string(free_loopback_port());
  o.settings.tls = TlsMode::Disabled;
  auto run = run_suite(o);
  ASSERT_FALSE(run);
  EXPECT_NE(run.error().find("unreachable"), std::string::npos) << run.error();
}

TEST_F(SuiteTest, ReadOnlyPullsAndValidatesNamedRefsOnly) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.fixtures = {"gguf-single-file"};
  ASSERT_TRUE(run_suite(o));  // something to read
  o.settings.read_only = true;
  // A reference the registry does not have is a wrong --ref, not a registry defect.
  o.settings.refs = {"gguf-single-file", "mpcheck/conformance:missing-tag"};
  auto wrong_ref = run_suite(o);
  ASSERT_FALSE(wrong_ref);
  EXPECT_NE(wrong_ref.error().find("--ref mpcheck/conformance:missing-tag: the registry has no "
                                   "manifest mpcheck/conformance:missing-tag (HEAD answered 404)"),
            std::string::npos)
      << wrong_ref.error();
  o.settings.refs = {"gguf-single-file"};
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  auto* ok = find_case(*run, "validate/mpcheck/conformance:gguf-single-file");
  ASSERT_TRUE(ok) << summary(*run);
  EXPECT_EQ(ok->status, reports::Status::Pass) << ok->message;
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "conformant");
  // Read-only never writes: no push or upload in any transcript.
  for (const auto& s : run->suites)
    for (const auto& c : s.cases)
      for (const auto& x : c.transcript) {
        EXPECT_NE(x.request.rfind("PUT", 0), 0u) << x.request;
        EXPECT_NE(x.request.rfind("POST", 0), 0u) << x.request;
      }
}

TEST_F(SuiteTest, OnlySelectsCasesAndFullProfileRoundTripsTheLargeLayer) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto o = options_for(*registry);
  o.settings.profile = Profile::Full;
  o.settings.large_layer_bytes = 5 << 20;  // the real default is 2 GiB
  o.settings.only = "pull/*";
  o.fixtures = {"modctl-shape"};
  auto run = run_suite(o);
  ASSERT_TRUE(run) << run.error();
  EXPECT_EQ(mpcheck::reports::verdict_word(*run), "conformant") << summary(*run);
  for (const auto& s : run->suites)
    for (const auto& c : s.cases) EXPECT_EQ(c.name.rfind("pull/", 0), 0u) << c.name;
  auto* large = find_case(*run, "pull/large-layer");
  ASSERT_TRUE(large);
  EXPECT_EQ(large->status, reports::Status::Pass) << large->message;
  EXPECT_NE(large->message.find("5242880 bytes"), std::string::npos);
}

}  // namespace
