// Conformance settings: the YAML file, MPCHECK_* variables over it, validation, redaction.
#include "mpcheck/conformance/suite_config.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace mpcheck::conformance;

namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const char* kYaml = R"(
registry: file.example:5000
repo: from/file
tls: insecure
ca-file: /etc/ca.pem
username: file-user
password: file-secret
profile: full
only: "push/*"
read-only: false
refs: [models/a:1, "models/b@sha256:0000000000000000000000000000000000000000000000000000000000000000"]
delete: true
connect-timeout: 5
stall-timeout: 7
large-layer-size: 3GiB
report-dir: /tmp/report
)";

TEST(SuiteConfig, YamlSetsEveryKey) {
  SuiteSettings s;
  ASSERT_TRUE(apply_yaml(s, kYaml));
  EXPECT_EQ(s.registry, "file.example:5000");
  EXPECT_EQ(s.repo, "from/file");
  EXPECT_EQ(s.tls, TlsMode::Insecure);
  EXPECT_EQ(s.ca_file, "/etc/ca.pem");
  EXPECT_EQ(s.username, "file-user");
  EXPECT_EQ(s.password, "file-secret");
  EXPECT_EQ(s.profile, Profile::Full);
  EXPECT_EQ(s.only, "push/*");
  ASSERT_EQ(s.refs.size(), 2u);
  EXPECT_EQ(s.refs[0], "models/a:1");
  EXPECT_TRUE(s.delete_enabled);
  EXPECT_EQ(s.connect_timeout.count(), 5);
  EXPECT_EQ(s.stall_timeout.count(), 7);
  EXPECT_EQ(s.large_layer_bytes, 3ull << 30);
  EXPECT_EQ(s.report_dir, "/tmp/report");
}

TEST(SuiteConfig, EnvironmentOverridesTheFile) {
  SuiteSettings s;
  ASSERT_TRUE(apply_yaml(s, kYaml));
  ASSERT_TRUE(apply_env(s, env_of({{"MPCHECK_REGISTRY", "env.example"},
                                   {"MPCHECK_TLS", "disabled"},
                                   {"MPCHECK_PASSWORD", "env-secret"},
                                   {"MPCHECK_PROFILE", "quick"},
                                   {"MPCHECK_DELETE", "false"},
                                   {"MPCHECK_REFS", "x:1, y:2"}})));
  EXPECT_EQ(s.registry, "env.example");
  EXPECT_EQ(s.tls, TlsMode::Disabled);
  EXPECT_EQ(s.password, "env-secret");
  EXPECT_EQ(s.profile, Profile::Quick);
  EXPECT_FALSE(s.delete_enabled);
  EXPECT_EQ(s.refs, (std::vector<std::string>{"x:1", "y:2"}));
  EXPECT_EQ(s.repo, "from/file");  // not overridden
  EXPECT_EQ(s.username, "file-user");
}

TEST(SuiteConfig, BadValuesNameTheirSource) {
  SuiteSettings s;
  auto r = apply_yaml(s, "tls: maybe\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("config key tls"), std::string::npos) << r.error();
  r = apply_yaml(s, "colour: blue\n");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("unknown setting"), std::string::npos) << r.error();
  r = apply_env(s, env_of({{"MPCHECK_CONNECT_TIMEOUT", "soon"}}));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("MPCHECK_CONNECT_TIMEOUT"), std::string::npos) << r.error();
  EXPECT_FALSE(apply_yaml(s, "- a\n- b\n"));
  EXPECT_FALSE(apply_yaml(s, "registry: [a\n"));
}

TEST(SuiteConfig, ErrorsNeverEchoThePassword) {
  SuiteSettings s;
  auto r = apply_yaml(s, "password: [hunter2]\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().find("hunter2"), std::string::npos);
}

TEST(SuiteConfig, RedactedConfigurationHidesThePassword) {
  SuiteSettings s;
  ASSERT_TRUE(apply_yaml(s, kYaml));
  auto c = redacted_configuration(s);
  EXPECT_EQ(c.at("password"), "<redacted>");
  EXPECT_EQ(c.at("username"), "file-user");
  EXPECT_EQ(c.at("registry"), "file.example:5000");
  EXPECT_EQ(c.at("tls"), "insecure");
  for (const auto& [k, v] : c) EXPECT_EQ(v.find("file-secret"), std::string::npos) << k;
}

TEST(SuiteConfig, CheckRejectsIncompleteSettings) {
  SuiteSettings s;
  EXPECT_FALSE(check(s));  // no registry
  s.registry = "https://r.example";
  EXPECT_FALSE(check(s));  // a scheme
  s.registry = "r.example";
  EXPECT_TRUE(check(s));
  s.read_only = true;
  EXPECT_FALSE(check(s));  // read-only without refs
  s.refs = {"a:1"};
  EXPECT_TRUE(check(s));
  s.password = "p";
  EXPECT_FALSE(check(s));  // password without user
}

}  // namespace
