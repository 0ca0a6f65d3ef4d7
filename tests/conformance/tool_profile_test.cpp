// Tool profiles: the built-in ones parse, mistakes are reported with what and where.
#include "mpcheck/conformance/tool_profile.hpp"

#include <gtest/gtest.h>

#include <regex>

using namespace mpcheck::conformance;

namespace {

constexpr const char* kMinimal = R"(
name: demo
detect:
  argv: [demo, --version]
  version: 'demo ([0-9.]+)'
operations:
  layout-to-registry:
    - [demo, push, "oci:{layout}:{layout_ref}", "{ref}"]
)";

std::string error_of(const std::string& yaml) {
  auto p = parse_tool_profile(yaml, "test.yaml");
  return p ? std::string("(parsed)") : p.error();
}

TEST(ToolProfile, EveryBuiltinProfileParses) {
  auto names = builtin_tool_names();
  EXPECT_EQ(names,
            (std::vector<std::string>{"crane", "kit", "modctl", "oras", "regctl", "skopeo"}));
  for (const auto& name : names) {
    auto p = builtin_tool_profile(name);
    ASSERT_TRUE(p) << p.error();
    EXPECT_EQ(p->name, name);
    EXPECT_FALSE(p->detect.argv.empty());
    EXPECT_FALSE(p->version_regex.empty());
    EXPECT_FALSE(p->operations.empty());
  }
  auto missing = builtin_tool_profile("docker");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("no built-in profile for tool \"docker\""), std::string::npos);
}

TEST(ToolProfile, SkopeoProfile) {
  auto p = builtin_tool_profile("skopeo");
  ASSERT_TRUE(p) << p.error();
  EXPECT_TRUE(p->supports(ToolOperation::LayoutToRegistry));
  EXPECT_TRUE(p->supports(ToolOperation::RegistryToLayout));
  EXPECT_TRUE(p->supports(ToolOperation::RegistryToRegistry));
  EXPECT_FALSE(p->supports(ToolOperation::PullToDir));
  EXPECT_FALSE(p->supports(ToolOperation::BuildFromModelDir));
  std::smatch m;
  std::string out = "skopeo version 1.9.3\n";
  ASSERT_TRUE(std::regex_search(out, m, std::regex(p->version_regex)));
  EXPECT_EQ(m[1].str(), "1.9.3");
  const auto& step = p->operations.at(ToolOperation::LayoutToRegistry).at(0);
  EXPECT_EQ(step.argv.front(), "skopeo");
  EXPECT_EQ(step.argv.back(), "docker://{ref}");
}

TEST(ToolProfile, MinimalProfileAndStepForms) {
  auto p = parse_tool_profile(std::string(kMinimal) + R"(
  pull-or-extract-to-dir:
    - argv: [demo, login, --password-stdin, "{registry}"]
      stdin: "{password}"
      env: {DEMO_HOME: "{work_dir}/home"}
      when: credentials
    - [demo, pull, -o, "{out_dir}", "{ref}"]
env:
  DOCKER_CONFIG: "{docker_config}"
)",
                              "test.yaml");
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->name, "demo");
  EXPECT_EQ(p->origin, "test.yaml");
  const auto& steps = p->operations.at(ToolOperation::PullToDir);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].when, StepCondition::Credentials);
  EXPECT_EQ(steps[0].stdin_data, "{password}");
  ASSERT_EQ(steps[0].env.size(), 1u);
  EXPECT_EQ(steps[0].env[0].first, "DEMO_HOME");
  EXPECT_EQ(steps[1].when, StepCondition::Always);
  ASSERT_EQ(p->env.size(), 1u);
}

TEST(ToolProfile, UnknownKeysAreRejected) {
  EXPECT_NE(error_of(std::string(kMinimal) + "colour: blue\n").find("unknown key \"colour\""),
            std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo], verison: 'x(.)'}
operations: {layout-to-registry: [[demo]]}
)")
                .find("unknown key \"verison\" in detect"),
            std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations:
  layout-to-registry:
    - {argv: [demo], shell: true}
)")
                .find("unknown key \"shell\" in operations.layout-to-registry[0]"),
            std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {copy-everything: [[demo]]}
)")
                .find("unknown operation \"copy-everything\""),
            std::string::npos);
}

TEST(ToolProfile, ClearErrors) {
  // A shell string instead of argv.
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: ["demo push {layout} {ref}"]}
)")
                .find("must be a non-empty list of arguments"),
            std::string::npos);
  // A placeholder that does not exist, and one the operation does not have.
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: [[demo, "{layuot}"]]}
)")
                .find("operations.layout-to-registry[0].argv[1]: unknown placeholder {layuot}"),
            std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: [[demo, "{out_dir}"]]}
)")
                .find("unknown placeholder {out_dir}"),
            std::string::npos);
  // The program is never a placeholder.
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: [["{layout}", x]]}
)")
                .find("argv[0]"),
            std::string::npos);
  EXPECT_NE(error_of("name: Demo Tool\ndetect: {argv: [x]}\noperations: {}\n").find("name"),
            std::string::npos);
  EXPECT_NE(error_of("name: demo\noperations: {}\n").find("detect is required"), std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo], version: 'no group'}
operations: {layout-to-registry: [[demo]]}
)")
                .find("capture group"),
            std::string::npos);
  EXPECT_NE(error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: [{argv: [demo], when: sometimes}]}
)")
                .find("\"sometimes\" is not one of"),
            std::string::npos);
  EXPECT_NE(error_of("name: [unclosed\n").find("not valid YAML"), std::string::npos);
}

TEST(ToolProfile, PasswordInArgvIsRefused) {
  // argv is world-readable (/proc/<pid>/cmdline): the password goes on stdin or in a file.
  std::string error = error_of(R"(
name: demo
detect: {argv: [demo]}
operations: {layout-to-registry: [[demo, login, "--password={password}", "{registry}"]]}
)");
  EXPECT_NE(error.find("operations.layout-to-registry[0].argv[2]: {password} may not appear in "
                       "argv"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("stdin"), std::string::npos);
  EXPECT_EQ(error_of(R"(
name: demo
detect: {argv: [demo]}
operations:
  layout-to-registry:
    - {argv: [demo, login, --password-stdin, "{registry}"], stdin: "{password}"}
    - {argv: [demo, push, "{ref}"], env: {DEMO_PASSWORD: "{password}"}}
)"),
            "(parsed)");
}

TEST(ToolProfile, ExpandTemplate) {
  Placeholders v = {{"registry", "127.0.0.1:5000"}, {"repo", "a/b"}, {"tag", "t"}};
  EXPECT_EQ(*expand_template("docker://{registry}/{repo}:{tag}", v),
            "docker://127.0.0.1:5000/a/b:t");
  EXPECT_EQ(*expand_template("{{.VCSTag}}", v), "{.VCSTag}");
  // Values are inserted as they are: no further expansion, no quoting.
  Placeholders tricky = {{"password", "p{repo}$(x) 'y'"}};
  EXPECT_EQ(*expand_template("--password={password}", tricky), "--password=p{repo}$(x) 'y'");
  auto missing = expand_template("{out_dir}", v);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("{out_dir}"), std::string::npos);
  EXPECT_FALSE(expand_template("{unclosed", v));
}

TEST(ToolProfile, OperationNames) {
  for (auto op : kToolOperations) EXPECT_EQ(parse_tool_operation(to_string(op)), op);
  EXPECT_EQ(to_string(ToolOperation::PullToDir), "pull-or-extract-to-dir");
  EXPECT_FALSE(parse_tool_operation("push"));
}

}  // namespace
