// `mpcheck conformance` and `mpcheck validate REGISTRY/REPO:TAG` as a user runs them: exit
// codes, report files, settings precedence (file < env < flags), no password in any output.
#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "local_registry.hpp"
#include "mpcheck/conformance/conformance_case.hpp"
#include "prerequisite.hpp"
#include "push_layout.hpp"

using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;

namespace {

namespace fs = std::filesystem;

struct Output {
  int rc = -1;
  std::string out, err;
};

// Runs mpcheck with `args`, `stdin_text` on stdin and `env` added to the environment.
Output mpcheck(std::vector<std::string> args, const fs::path& dir,
               const std::string& stdin_text = "",
               std::vector<std::pair<std::string, std::string>> env = {}) {
  fs::path in = dir / "stdin", out = dir / "stdout", err = dir / "stderr";
  std::ofstream(in) << stdin_text;
  args.insert(args.begin(), MPCHECK_BINARY);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> envs;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("MPCHECK_", 0) != 0 &&
        std::string_view(*e).rfind("DOCKER_CONFIG", 0) != 0)
      envs.emplace_back(*e);
  envs.push_back("DOCKER_CONFIG=" + (dir / "no-docker").string());
  for (auto& [k, v] : env) envs.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& e : envs) envp.push_back(e.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  Output o;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data()) != 0) return o;
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  waitpid(pid, &status, 0);
  o.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  o.out = slurp(out);
  o.err = slurp(err);
  return o;
}

class ConformanceCli : public ::testing::Test {
 protected:
  void SetUp() override {
    MPCHECK_REQUIRE(fs::exists(kRegistryBinary), "docker-registry (/usr/bin/docker-registry)");
    dir = fs::temp_directory_path() / ("mpcheck-cli-" + std::to_string(getpid()));
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};

TEST_F(ConformanceCli, PlainRegistryIsConformantAndWritesReports) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto report = dir / "report";
  auto o = mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled",
                    "--report-dir", report.string()},
                   dir);
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("PASS  required  base/ping"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("SKIP  optional  referrers/api  not supported"), std::string::npos);
  EXPECT_NE(o.out.find("verdict: conformant"), std::string::npos);
  EXPECT_NE(o.out.find("report.html"), std::string::npos);
  EXPECT_NE(slurp(report / "results.json").find("\"verdict\": \"conformant\""), std::string::npos);
  EXPECT_TRUE(fs::exists(report / "junit.xml"));
  EXPECT_NE(slurp(report / "report.html").find("referrers/tag-schema-fallback"), std::string::npos);
}

// --tool adds a tool's suite to the conformance run; a tool that is not installed is skipped.
TEST_F(ConformanceCli, ToolSuitesJoinTheRun) {
  MPCHECK_REQUIRE(fs::exists("/usr/bin/skopeo"), "skopeo");
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto report = dir / "report";
  auto o = mpcheck(
      {"conformance", "--registry", registry->host(), "--tls", "disabled", "--tool", "skopeo",
       "--tool", "oras", "--tool-fixtures", "gguf-single-file", "--report-dir", report.string()},
      dir);
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  EXPECT_NE(o.out.find("PASS  required  skopeo layout-to-registry gguf-single-file"),
            std::string::npos)
      << o.out;
  EXPECT_NE(o.out.find("PASS  required  skopeo registry-to-layout gguf-single-file"),
            std::string::npos);
  if (!fs::exists("/usr/bin/oras") && !fs::exists("/usr/local/bin/oras"))
    EXPECT_NE(o.out.find("oras layout-to-registry gguf-single-file  oras not installed"),
              std::string::npos)
        << o.out;
  EXPECT_NE(o.out.find("verdict: conformant"), std::string::npos);
  EXPECT_NE(slurp(report / "junit.xml").find("skopeo registry-to-registry gguf-single-file"),
            std::string::npos);
}

TEST_F(ConformanceCli, CouldNotRunIsExitTwo) {
  auto o = mpcheck({"conformance", "--registry",
                    "127.0.0.1:" + std::to_string(free_loopback_port()), "--tls", "disabled"},
                   dir);
  EXPECT_EQ(o.rc, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("unreachable"), std::string::npos) << o.err;
  o = mpcheck({"conformance", "--tls", "disabled"}, dir);  // no registry
  EXPECT_EQ(o.rc, 2);
  std::ofstream(dir / "bad.yaml") << "tls: sometimes\n";
  o = mpcheck({"conformance", "--config", (dir / "bad.yaml").string()}, dir);
  EXPECT_EQ(o.rc, 2);
  EXPECT_NE(o.err.find("config key tls"), std::string::npos) << o.err;
}

TEST_F(ConformanceCli, PasswordFromStdinNeverAppearsInAnyOutput) {
  const std::string password = "cli-Secret-77";
  auto registry = LocalRegistry::start(Credentials{"carol", password});
  ASSERT_TRUE(registry);
  auto report = dir / "report";
  auto o = mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled",
                    "--username", "carol", "--password-stdin", "--report-dir", report.string()},
                   dir, password + "\n");
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  auto basic = encode_base64("carol:" + password);
  for (const auto& text : {o.out, o.err, slurp(report / "junit.xml"), slurp(report / "report.html"),
                           slurp(report / "results.json")}) {
    EXPECT_EQ(text.find(password), std::string::npos);
    EXPECT_EQ(text.find(basic), std::string::npos);
  }
  EXPECT_NE(slurp(report / "results.json").find("<redacted>"), std::string::npos);

  // Wrong password: the registry answered, so it is a verdict (exit 1), with the auth case
  // failing; still no secret anywhere.
  auto wrong =
      mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled", "--username",
               "carol", "--password-stdin", "--report-dir", (dir / "wrong").string()},
              dir, "not-" + password + "\n");
  EXPECT_EQ(wrong.rc, 1) << wrong.out << wrong.err;
  EXPECT_NE(wrong.out.find("FAIL  required  base/auth"), std::string::npos) << wrong.out;
  EXPECT_EQ(wrong.out.find(password), std::string::npos);
  EXPECT_EQ(slurp(dir / "wrong" / "report.html").find(password), std::string::npos);
}

TEST_F(ConformanceCli, FlagsOverrideEnvironmentOverridesFile) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  std::ofstream(dir / "c.yaml") << "registry: 127.0.0.1:1\nrepo: file/repo\ntls: enabled\n"
                                << "only: \"base/*\"\nprofile: full\npassword: file-Secret\n"
                                << "username: fileuser\n";
  auto report = dir / "report";
  auto o = mpcheck({"conformance", "--config", (dir / "c.yaml").string(), "--registry",
                    registry->host(), "--profile", "quick", "--report-dir", report.string()},
                   dir, "",
                   {{"MPCHECK_REGISTRY", "127.0.0.1:2"},
                    {"MPCHECK_REPO", "env/repo"},
                    {"MPCHECK_TLS", "disabled"}});
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  auto json = slurp(report / "results.json");
  EXPECT_NE(json.find("\"registry\": \"" + registry->host() + "\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"repo\": \"env/repo\""), std::string::npos);
  EXPECT_NE(json.find("\"tls\": \"disabled\""), std::string::npos);
  EXPECT_NE(json.find("\"only\": \"base/*\""), std::string::npos);
  EXPECT_NE(json.find("\"profile\": \"quick\""), std::string::npos);
  EXPECT_EQ(json.find("file-Secret"), std::string::npos);
  EXPECT_EQ(o.out.find("push/"), std::string::npos) << o.out;  // --only base/* from the file
}

TEST_F(ConformanceCli, ValidateRegistryReference) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  RegistryClient client(registry->config());
  ASSERT_TRUE(push_fixture(client, "gguf-single-file", "models/good", "v1", dir / "work"));
  ASSERT_TRUE(push_fixture(client, "diffid-mismatch", "models/bad", "v1", dir / "work"));
  auto good = mpcheck({"validate", "--tls", "disabled", registry->host() + "/models/good:v1"}, dir);
  EXPECT_EQ(good.rc, 0) << good.out << good.err;
  EXPECT_EQ(good.out.find("MPA001"), std::string::npos) << good.out;
  auto bad = mpcheck({"validate", "--tls", "disabled", registry->host() + "/models/bad:v1"}, dir);
  EXPECT_EQ(bad.rc, 1) << bad.out << bad.err;
  EXPECT_NE(bad.out.find("MPA009"), std::string::npos) << bad.out;
  auto missing =
      mpcheck({"validate", "--tls", "disabled", registry->host() + "/models/none:v1"}, dir);
  EXPECT_EQ(missing.rc, 2) << missing.out << missing.err;
  EXPECT_NE(missing.err.find("MANIFEST_UNKNOWN"), std::string::npos) << missing.err;
}

TEST_F(ConformanceCli, ValidateRegistryReferenceWithBasicAuth) {
  const std::string password = "validate-Pa55";
  auto registry = LocalRegistry::start(Credentials{"dave", password});
  ASSERT_TRUE(registry);
  auto config = registry->config();
  config.credentials = Credentials{"dave", password};
  RegistryClient client(config);
  ASSERT_TRUE(push_fixture(client, "modctl-shape", "models/m", "v1", dir / "work"));
  auto ok = mpcheck({"validate", "--tls", "disabled", "--username", "dave", "--password-stdin",
                     registry->host() + "/models/m:v1"},
                    dir, password + "\n");
  EXPECT_EQ(ok.rc, 0) << ok.out << ok.err;
  auto denied = mpcheck({"validate", "--tls", "disabled", "--username", "dave", "--password-stdin",
                         registry->host() + "/models/m:v1"},
                        dir, "wrong\n");
  EXPECT_EQ(denied.rc, 2) << denied.out << denied.err;
  EXPECT_EQ(denied.err.find("wrong"), std::string::npos) << denied.err;
  EXPECT_EQ(denied.err.find(password), std::string::npos);
}

// A server that answers every request with `status`: not a registry.
class NotARegistry {
 public:
  explicit NotARegistry(int status) {
    http_.Get(".*", [status](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content("<html>not here</html>", "text/html");
    });
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~NotARegistry() {
    http_.stop();
    thread_.join();
  }
  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
};

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str(), text.size());
  return d;
}

// A run that failed says so in every output: exit 1, the text verdict, "valid": false and the
// summary of --format json, the JUnit property, results.json, and `report merge` of it.
TEST_F(ConformanceCli, FailedRunIsNotConformantInEveryOutput) {
  auto registry = LocalRegistry::start(Credentials{"erin", "erin-Pa55"});
  ASSERT_TRUE(registry);
  auto report = dir / "failed";
  auto json =
      mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled", "--username",
               "erin", "--password-stdin", "--format", "json", "--report-dir", report.string()},
              dir, "wrong-password\n");
  EXPECT_EQ(json.rc, 1) << json.out << json.err;
  auto doc = parse_json(json.out);
  ASSERT_TRUE(doc.IsObject()) << json.out;
  EXPECT_STREQ(doc["summary"]["verdict"].GetString(), "not-conformant");
  EXPECT_GE(doc["summary"]["failed"].GetUint(), 1u);
  bool base_invalid = false;
  for (const auto& r : doc["results"].GetArray()) {
    if (std::string_view(r["target"].GetString()).find(registry->host()) == 0 &&
        !r["valid"].GetBool())
      base_invalid = true;
  }
  EXPECT_TRUE(base_invalid) << json.out;
  EXPECT_NE(json.err.find("report: " + (report / "report.html").string()), std::string::npos)
      << json.err;
  EXPECT_NE(slurp(report / "junit.xml").find(R"(name="verdict" value="not-conformant")"),
            std::string::npos);
  EXPECT_NE(slurp(report / "results.json").find("\"verdict\": \"not-conformant\""),
            std::string::npos);
  EXPECT_NE(slurp(report / "report.html").find("data-verdict=\"not-conformant\""),
            std::string::npos);

  auto merged = mpcheck({"report", "merge", (report / "results.json").string()}, dir);
  EXPECT_EQ(merged.rc, 1) << merged.out << merged.err;
  EXPECT_NE(merged.out.find("verdict: not-conformant ("), std::string::npos) << merged.out;
  EXPECT_NE(merged.out.find("FAIL  required  base/auth"), std::string::npos) << merged.out;
  auto merged_json =
      mpcheck({"report", "merge", "--format", "json", (report / "results.json").string()}, dir);
  EXPECT_EQ(merged_json.rc, 1);
  EXPECT_STREQ(parse_json(merged_json.out)["summary"]["verdict"].GetString(), "not-conformant");
}

TEST_F(ConformanceCli, OnlyThatMatchesNoCaseIsAUsageErrorListingTheCases) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto o = mpcheck(
      {"conformance", "--registry", registry->host(), "--tls", "disabled", "--only", "referrer/*"},
      dir);
  EXPECT_EQ(o.rc, 2) << o.out << o.err;
  EXPECT_EQ(o.out.find("verdict"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("--only \"referrer/*\" matches no case; the cases are: base/ping, "
                       "base/auth, push/blob-monolithic"),
            std::string::npos)
      << o.err;
  EXPECT_NE(o.err.find("referrers/tag-schema-fallback"), std::string::npos) << o.err;
}

TEST_F(ConformanceCli, ReadOnlyReferencesAreCheckedBeforeTheRun) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto without = mpcheck(
      {"conformance", "--registry", registry->host(), "--tls", "disabled", "--ref", "models/x:v1"},
      dir);
  EXPECT_EQ(without.rc, 2) << without.out << without.err;
  EXPECT_NE(without.err.find("--ref (refs:) names what a read-only run pulls; add --read-only"),
            std::string::npos)
      << without.err;
  auto malformed = mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled",
                            "--read-only", "--ref", "models/../x:v1"},
                           dir);
  EXPECT_EQ(malformed.rc, 2) << malformed.out << malformed.err;
  EXPECT_NE(malformed.err.find("--ref \"models/../x:v1\": repository name \"models/../x\" has a "
                               "\"..\" path segment"),
            std::string::npos)
      << malformed.err;
  EXPECT_NE(malformed.err.find("(expected TAG, REPO:TAG or REPO@DIGEST)"), std::string::npos)
      << malformed.err;
  auto missing = mpcheck({"conformance", "--registry", registry->host(), "--tls", "disabled",
                          "--read-only", "--ref", "models/none:v1"},
                         dir);
  EXPECT_EQ(missing.rc, 2) << missing.out << missing.err;
  EXPECT_NE(missing.err.find("the registry has no manifest models/none:v1"), std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.out.find("not-conformant"), std::string::npos) << missing.out;
}

// TLS and plain HTTP mixed up either way, an unknown CA and a server that is no registry: exit
// 2 before any case, with the flag that fixes it; the same for validate and tools.
TEST_F(ConformanceCli, EndpointThatCannotBeCertifiedIsCouldNotRunWithAHint) {
  auto plain = LocalRegistry::start();
  ASSERT_TRUE(plain);
  auto tls_to_plain = mpcheck({"conformance", "--registry", plain->host()}, dir);
  EXPECT_EQ(tls_to_plain.rc, 2) << tls_to_plain.out << tls_to_plain.err;
  EXPECT_NE(tls_to_plain.err.find("answered the TLS handshake in plain HTTP"), std::string::npos)
      << tls_to_plain.err;
  EXPECT_NE(tls_to_plain.err.find("use --tls disabled"), std::string::npos) << tls_to_plain.err;
  EXPECT_EQ(tls_to_plain.out.find("FAIL"), std::string::npos) << tls_to_plain.out;
  auto validate = mpcheck({"validate", plain->host() + "/models/x:v1"}, dir);
  EXPECT_EQ(validate.rc, 2) << validate.out << validate.err;
  EXPECT_NE(validate.err.find("use --tls disabled"), std::string::npos) << validate.err;
  auto tools = mpcheck({"tools", "--registry", plain->host(), "--tool", "skopeo"}, dir);
  EXPECT_EQ(tools.rc, 2) << tools.out << tools.err;
  EXPECT_NE(tools.err.find("use --tls disabled"), std::string::npos) << tools.err;

  auto tls = LocalRegistry::start({}, true);
  ASSERT_TRUE(tls);
  auto plain_to_tls = mpcheck({"conformance", "--registry", tls->host(), "--tls", "disabled"}, dir);
  EXPECT_EQ(plain_to_tls.rc, 2) << plain_to_tls.out << plain_to_tls.err;
  EXPECT_NE(plain_to_tls.err.find("it speaks HTTPS; drop --tls disabled"), std::string::npos)
      << plain_to_tls.err;
  auto unknown_ca = mpcheck({"conformance", "--registry", tls->host()}, dir);
  EXPECT_EQ(unknown_ca.rc, 2) << unknown_ca.out << unknown_ca.err;
  EXPECT_NE(unknown_ca.err.find("give the CA that signed it with --ca-file FILE"),
            std::string::npos)
      << unknown_ca.err;
  auto with_ca = mpcheck(
      {"conformance", "--registry", tls->host(), "--ca-file", tls->ca_file(), "--only", "base/*"},
      dir);
  EXPECT_EQ(with_ca.rc, 0) << with_ca.out << with_ca.err;

  NotARegistry web(404);
  auto not_registry = mpcheck({"conformance", "--registry", web.host(), "--tls", "disabled"}, dir);
  EXPECT_EQ(not_registry.rc, 2) << not_registry.out << not_registry.err;
  EXPECT_NE(not_registry.err.find("is not an OCI registry: GET /v2/ answered 404"),
            std::string::npos)
      << not_registry.err;
  EXPECT_NE(not_registry.err.find("check --registry"), std::string::npos) << not_registry.err;
  EXPECT_EQ(not_registry.out.find("FAIL"), std::string::npos) << not_registry.out;
}

// The case table in docs/certify-a-registry.md is the registration list, regenerated by
// `mpcheck conformance --list-markdown`; --list needs no registry.
TEST(ConformanceCases, DocsTableIsGeneratedFromTheRegistrationList) {
  auto dir = fs::temp_directory_path() / ("mpcheck-cases-" + std::to_string(getpid()));
  fs::create_directories(dir);
  auto md = mpcheck({"conformance", "--list-markdown"}, dir);
  auto list = mpcheck({"conformance", "--list"}, dir);
  fs::remove_all(dir);
  ASSERT_EQ(md.rc, 0) << md.err;
  ASSERT_EQ(list.rc, 0) << list.err;
  std::string doc = slurp(fs::path(MPCHECK_SOURCE_DIR) / "docs" / "certify-a-registry.md");
  auto begin = doc.find("<!-- cases:begin");
  auto end = doc.find("<!-- cases:end -->");
  ASSERT_NE(begin, std::string::npos);
  ASSERT_NE(end, std::string::npos);
  begin = doc.find('\n', begin) + 1;
  EXPECT_EQ(doc.substr(begin, end - begin), md.out)
      << "regenerate with: mpcheck conformance --list-markdown";
  for (const auto& c : conformance_cases()) {
    EXPECT_NE(list.out.find(std::string(c.id) + " "), std::string::npos) << c.id;
    EXPECT_EQ(find_conformance_case(c.id), &c) << c.id;
  }
  EXPECT_NE(list.out.find("discovery/tags-order                optional"), std::string::npos)
      << list.out;
  // Instances resolve to their registered pattern; unregistered names to nothing.
  ASSERT_TRUE(find_conformance_case("validate/gguf-single-file"));
  EXPECT_EQ(find_conformance_case("validate/gguf-single-file")->id, "validate/*");
  EXPECT_EQ(find_conformance_case("pull/blob-get")->id, "pull/blob-get");
  EXPECT_EQ(find_conformance_case("push/typo"), nullptr);
}

// The OCI distribution-spec conformance suite's variables drive a run, below MPCHECK_*.
TEST_F(ConformanceCli, DistributionSuiteVariablesAreRead) {
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  auto report = dir / "oci-env";
  auto o = mpcheck({"conformance", "--report-dir", report.string()}, dir, "",
                   {{"OCI_ROOT_URL", "http://" + registry->host()},
                    {"OCI_NAMESPACE", "oci/suite"},
                    {"OCI_TEST_PULL", "1"}});
  EXPECT_EQ(o.rc, 0) << o.out << o.err;
  auto json = slurp(report / "results.json");
  EXPECT_NE(json.find("\"registry\": \"" + registry->host() + "\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"repo\": \"oci/suite\""), std::string::npos);
  EXPECT_NE(json.find("\"tls\": \"disabled\""), std::string::npos);
  EXPECT_NE(o.out.find("PASS  required  pull/blob-get"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("push/blob-chunked"), std::string::npos) << o.out;  // pull only
  // Each case is announced on stderr as it finishes, before the report.
  EXPECT_NE(o.err.find("mpcheck: [1] pass base/ping\n"), std::string::npos) << o.err;
  auto mine = mpcheck({"conformance", "--registry", registry->host(), "--only", "base/*"}, dir, "",
                      {{"OCI_ROOT_URL", "https://127.0.0.1:1"}, {"MPCHECK_TLS", "disabled"}});
  EXPECT_EQ(mine.rc, 0) << mine.out << mine.err;  // flags and MPCHECK_* win
}

// A registry that answers GET /v2/ and then trickles a manifest a byte a second: the request
// deadline (--request-timeout) ends it, as a could-not-run naming the limit.
TEST_F(ConformanceCli, RequestTimeoutFlagBoundsATricklingRegistry) {
  httplib::Server http;
  std::atomic<bool> stop{false};
  http.Get("/v2/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  http.Get(".*/manifests/.*", [&](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/vnd.oci.image.manifest.v1+json",
                                     [&](size_t, httplib::DataSink& sink) {
                                       std::this_thread::sleep_for(std::chrono::milliseconds(500));
                                       return !stop && sink.write("{", 1);
                                     });
  });
  int port = http.bind_to_any_port("127.0.0.1");
  std::thread t([&] { http.listen_after_bind(); });
  while (!http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto start = std::chrono::steady_clock::now();
  auto o = mpcheck({"validate", "--tls", "disabled", "--request-timeout", "2",
                    "127.0.0.1:" + std::to_string(port) + "/models/slow:v1"},
                   dir);
  auto took = std::chrono::steady_clock::now() - start;
  stop = true;
  http.stop();
  t.join();
  EXPECT_EQ(o.rc, 2) << o.out << o.err;
  EXPECT_NE(o.err.find("request deadline of 2 s"), std::string::npos) << o.err;
  EXPECT_LT(took, std::chrono::seconds(30));  // a generous bound: the deadline is 2 s
}

}  // namespace
