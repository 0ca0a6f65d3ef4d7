// The tool interoperability suite against a real docker-registry on loopback, with skopeo as
// the tool (skipped when either is missing), and a deliberately broken skopeo wrapper.
#include "mpcheck/conformance/tool_suite.hpp"

#include <gtest/gtest.h>

#include "prerequisite.hpp"
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "local_registry.hpp"
#include "mpcheck/conformance/tool_matrix.hpp"
#include "mpcheck/conformance/tool_runner.hpp"
#include "mpcheck/fixtures/generator.hpp"

using namespace mpcheck::conformance;
using namespace mpcheck::conformance::testing;
using mpcheck::reports::Status;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kFixtures = {"gguf-single-file", "llm-safetensors-sharded",
                                            "modctl-shape"};

// Runs skopeo, then, when it wrote an OCI layout, rewrites that layout's manifest without any
// annotations (manifest and layers) and fixes index.json: a tool that loses metadata.
constexpr const char* kBrokenWrapper = R"(#!/bin/sh
set -e
skopeo "$@"
for last; do :; done
case "$last" in oci:*) ;; *) exit 0 ;; esac
spec=${last#oci:}
dir=${spec%:*}
idx="$dir/index.json"
old=$(jq -r '.manifests[0].digest' "$idx")
jq -c 'del(.annotations) | .layers |= map(del(.annotations))' "$dir/blobs/sha256/${old#sha256:}" > "$dir/manifest.tmp"
new=$(sha256sum "$dir/manifest.tmp" | cut -d' ' -f1)
size=$(wc -c < "$dir/manifest.tmp")
rm "$dir/blobs/sha256/${old#sha256:}"
mv "$dir/manifest.tmp" "$dir/blobs/sha256/$new"
jq -c --arg d "sha256:$new" --argjson s "$size" '.manifests[0].digest=$d | .manifests[0].size=$s' "$idx" > "$idx.tmp"
mv "$idx.tmp" "$idx"
)";

// A reference extractor: the layout skopeo wrote, layer by layer (raw layers at their
// org.cncf.model.filepath, tar layers unpacked keeping modes and mtimes). With a third
// argument, README.md files lose group and other permissions afterwards.
constexpr const char* kExtractScript = R"SH(#!/bin/sh
set -e
layout=$1; out=$2
mkdir -p "$out"
m=$(jq -r '.manifests[0].digest' "$layout/index.json")
jq -r '.layers[] | [.mediaType, .digest, (.annotations["org.cncf.model.filepath"] // "")] | @tsv' "$layout/blobs/sha256/${m#sha256:}" |
while IFS="$(printf '\t')" read -r type digest path; do
  blob="$layout/blobs/sha256/${digest#sha256:}"
  case "$type" in
    *.raw) mkdir -p "$out/$(dirname "$path")"; cp "$blob" "$out/$path" ;;
    *) tar -x -p -f "$blob" -C "$out" ;;
  esac
done
if [ -n "$3" ]; then find "$out" -name README.md -exec chmod 600 {} +; fi
)SH";

// A stand-in builder: ignores the model directory and pushes the fixture named by the last
// part of {repo} from the fixtures directory, so the build checks have an artifact to read.
constexpr const char* kBuildScript = R"SH(#!/bin/sh
set -e
fixtures=$1; repo=$2; ref=$3
skopeo --insecure-policy copy --dest-tls-verify=false "oci:$fixtures/${repo##*/}:latest" "docker://$ref"
)SH";

class ToolSuiteTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kRegistryBinary) || !find_executable("skopeo")) return;
    registry_ = LocalRegistry::start();
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-tool-suite-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return;
    dir_ = tmpl;
    auto corpus = mpcheck::fixtures::corpus();
    if (!corpus) return;
    for (const auto& spec : *corpus) {
      if (std::find(kFixtures.begin(), kFixtures.end(), spec.name) == kFixtures.end()) continue;
      auto entries = mpcheck::fixtures::generate_fixture(spec, dir_ / "fixtures");
      if (!entries) return;
      for (const auto& e : *entries)
        fixtures_.push_back({e.name, dir_ / "fixtures" / e.path, e.ref.empty() ? "latest" : e.ref});
    }
  }
  static void TearDownTestSuite() {
    registry_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    MPCHECK_REQUIRE(fs::exists(kRegistryBinary), "no " << kRegistryBinary);
    MPCHECK_REQUIRE(find_executable("skopeo"), "skopeo not installed");
    ASSERT_TRUE(registry_) << "docker-registry did not start";
    ASSERT_EQ(fixtures_.size(), kFixtures.size());
  }

  ToolSuiteContext context(const std::string& work) {
    ToolSuiteContext ctx;
    ctx.registry = registry_->config();
    ctx.fixtures = fixtures_;
    ctx.fixtures_dir = dir_ / "fixtures";
    ctx.work_dir = dir_ / work;
    ctx.timeout = std::chrono::seconds(120);
    return ctx;
  }

  fs::path write_broken_profile() {
    fs::path script = dir_ / "skopeo-broken.sh";
    std::ofstream(script) << kBrokenWrapper;
    fs::permissions(script, fs::perms::owner_all);
    auto skopeo = builtin_tool_profile("skopeo");
    fs::path profile = dir_ / "skopeo-broken.yaml";
    std::ofstream out(profile);
    out << "name: skopeo-broken\n"
        << "description: skopeo, then the annotations of a written layout are dropped\n"
        << "detect:\n  argv: [skopeo, --version]\n  version: 'skopeo version (\\S+)'\n"
        << "operations:\n";
    for (const auto& [op, steps] : skopeo->operations) {
      out << "  " << to_string(op) << ":\n    - [\"" << script.string() << "\"";
      for (std::size_t i = 1; i < steps[0].argv.size(); ++i)
        out << ", \"" << steps[0].argv[i] << "\"";
      out << "]\n";
    }
    return profile;
  }

  fs::path write_script(const std::string& name, const char* text) {
    fs::path script = dir_ / name;
    std::ofstream(script) << text;
    fs::permissions(script, fs::perms::owner_all);
    return script;
  }

  static inline std::unique_ptr<LocalRegistry> registry_;
  static inline fs::path dir_;
  static inline std::vector<ToolFixture> fixtures_;
};

std::string dump(const mpcheck::reports::Suite& s) {
  std::string out;
  for (const auto& c : s.cases)
    out += c.name + ": " + std::string(to_string(c.status)) + " " + c.message + "\n" + c.details;
  return out;
}

TEST_F(ToolSuiteTest, SkopeoPassesEveryCase) {
  auto profile = builtin_tool_profile("skopeo");
  ASSERT_TRUE(profile) << profile.error();
  auto suite = run_tool_suite(*profile, context("skopeo"));
  EXPECT_EQ(suite.name, "tools: skopeo");
  EXPECT_TRUE(suite.target.starts_with("skopeo ")) << suite.target;
  EXPECT_EQ(suite.target.find("unknown"), std::string::npos) << suite.target;
  ASSERT_EQ(suite.cases.size(), 3 * kFixtures.size()) << dump(suite);
  for (const auto& c : suite.cases) {
    EXPECT_EQ(c.status, Status::Pass) << dump(suite);
    EXPECT_NE(c.details.find("ok    manifest digest"), std::string::npos) << c.details;
    EXPECT_NE(c.details.find("ok    validator"), std::string::npos) << c.details;
  }
  EXPECT_EQ(suite.cases[0].name, "skopeo layout-to-registry gguf-single-file");
  EXPECT_EQ(suite.cases[1].name, "skopeo registry-to-layout gguf-single-file");
  EXPECT_EQ(suite.cases[2].name, "skopeo registry-to-registry gguf-single-file");

  auto matrix = interop_matrix({suite});
  auto md = render_matrix_markdown(matrix);
  EXPECT_NE(md.find("| skopeo | " + suite.target.substr(7) +
                    " | layout-to-registry | pass | pass | pass |"),
            std::string::npos)
      << md;
  EXPECT_NE(
      md.find("| skopeo | " + suite.target.substr(7) + " | pull-or-extract-to-dir | — | — | — |"),
      std::string::npos)
      << md;
}

TEST_F(ToolSuiteTest, ABrokenToolFailsExactlyTheCasesItBreaks) {
  auto profile = load_tool_profile(write_broken_profile());
  ASSERT_TRUE(profile) << profile.error();
  MPCHECK_REQUIRE(find_executable("jq"), "jq not installed (the broken wrapper uses it)");
  auto suite = run_tool_suite(*profile, context("broken"));
  ASSERT_EQ(suite.cases.size(), 3 * kFixtures.size()) << dump(suite);
  for (const auto& c : suite.cases) {
    if (c.name.starts_with("skopeo-broken registry-to-layout ")) {
      EXPECT_EQ(c.status, Status::Fail) << c.name << "\n" << c.details;
      EXPECT_NE(c.message.find("manifest digest"), std::string::npos) << c.message;
      EXPECT_NE(c.details.find("FAIL  layer 0 annotations differ: "), std::string::npos)
          << c.details;
      EXPECT_NE(c.details.find("missing org.cncf.model.filepath"), std::string::npos) << c.details;
    } else {
      EXPECT_EQ(c.status, Status::Pass) << c.name << "\n" << c.details;
    }
  }
  auto matrix = matrix_suite(interop_matrix({suite}));
  ASSERT_EQ(matrix.cases.size(), 5u);
  EXPECT_EQ(matrix.cases[0].name, "skopeo-broken layout-to-registry");
  EXPECT_EQ(matrix.cases[0].status, Status::Pass);
  EXPECT_EQ(matrix.cases[1].status, Status::Fail);
  EXPECT_EQ(matrix.cases[1].message,
            "0/3 fixtures pass; broken: gguf-single-file, llm-safetensors-sharded, modctl-shape");
  EXPECT_EQ(matrix.cases[3].status, Status::Skip);
}

TEST_F(ToolSuiteTest, AMissingToolSkipsEveryCase) {
  auto profile = parse_tool_profile(R"(
name: no-such-tool
detect: {argv: [mpcheck-no-such-tool-xyz, version], version: 'v(\S+)'}
operations:
  layout-to-registry: [[mpcheck-no-such-tool-xyz, push, "{layout}", "{ref}"]]
  pull-or-extract-to-dir: [[mpcheck-no-such-tool-xyz, pull, "{ref}", "{out_dir}"]]
)",
                                    "test");
  ASSERT_TRUE(profile) << profile.error();
  auto suite = run_tool_suite(*profile, context("missing"));
  ASSERT_EQ(suite.cases.size(), 2 * kFixtures.size());
  for (const auto& c : suite.cases) {
    EXPECT_EQ(c.status, Status::Skip);
    EXPECT_EQ(c.message, "no-such-tool not installed");
  }
  auto md = render_matrix_markdown(interop_matrix({suite}));
  EXPECT_NE(md.find("| no-such-tool | not installed | layout-to-registry | skipped | skipped | "
                    "skipped |"),
            std::string::npos)
      << md;
}

TEST_F(ToolSuiteTest, AFailingCommandFailsItsCaseWithTheToolsStderr) {
  auto profile = parse_tool_profile(R"(
name: failing
detect: {argv: [sh, -c, 'echo failing 1.0'], version: 'failing (\S+)'}
operations:
  layout-to-registry: [[sh, -c, 'echo "cannot push $0" >&2; exit 7', "{ref}"]]
)",
                                    "test");
  ASSERT_TRUE(profile) << profile.error();
  auto ctx = context("failing");
  ctx.fixtures.resize(1);
  auto suite = run_tool_suite(*profile, ctx);
  ASSERT_EQ(suite.cases.size(), 1u);
  EXPECT_EQ(suite.target, "failing 1.0");
  EXPECT_EQ(suite.cases[0].status, Status::Fail);
  EXPECT_NE(
      suite.cases[0].message.find("step 1 (sh) exit 7: cannot push " + registry_->host() +
                                  "/mpcheck-tools/failing/gguf-single-file:layout-to-registry"),
      std::string::npos)
      << suite.cases[0].message;

  // Refusing a fixture the corpus marks invalid is what a tool should do.
  ctx.fixtures[0].valid = false;
  suite = run_tool_suite(*profile, ctx);
  ASSERT_EQ(suite.cases.size(), 1u);
  EXPECT_EQ(suite.cases[0].status, Status::Pass) << suite.cases[0].details;
  EXPECT_TRUE(suite.cases[0].message.starts_with("refused the invalid source: step 1 (sh) exit 7"))
      << suite.cases[0].message;
}
TEST_F(ToolSuiteTest, CliRunsAProfileFileAndExitsOneOnFailures) {
  MPCHECK_REQUIRE(find_executable("jq"), "jq not installed (the broken wrapper uses it)");
  fs::path profile = write_broken_profile();
  fs::path report = dir_ / "cli-report";
  ToolCommand cmd;
  cmd.argv = {MPCHECK_BINARY,    "tools",          "--registry",
              registry_->host(), "--tls",          "disabled",
              "--tool-profile",  profile.string(), "--tool",
              "skopeo",          "--only",         "gguf-single-file",
              "--format",        "junit",          "--report-dir",
              report.string(),   "--work-dir",     (dir_ / "cli-work").string()};
  cmd.timeout = std::chrono::seconds(300);
  auto r = run_tool(cmd);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find(R"(<testcase name="skopeo registry-to-layout gguf-single-file")"),
            std::string::npos);
  EXPECT_NE(r.out.find(R"(<testsuite name="tools: skopeo-broken" tests="3" failures="1")"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(R"(<testsuite name="tools: skopeo" tests="3" failures="0")"),
            std::string::npos);
  EXPECT_TRUE(fs::exists(report / "report.html"));

  cmd.argv = {MPCHECK_BINARY, "tools", "--tool", "skopeo"};
  EXPECT_EQ(run_tool(cmd).exit_code, 2);  // --registry is required
}

TEST_F(ToolSuiteTest, TlsVerifiedWithTheCaFileAndInsecure) {
  auto secured = LocalRegistry::start({}, true);
  ASSERT_TRUE(secured) << "docker-registry with TLS did not start";
  auto profile = builtin_tool_profile("skopeo");
  ASSERT_TRUE(profile);
  for (TlsMode mode : {TlsMode::Enabled, TlsMode::Insecure}) {
    auto ctx = context(mode == TlsMode::Enabled ? "tls" : "tls-insecure");
    ctx.registry = secured->config();  // https, verified against its self-signed CA
    ctx.registry.tls = mode;
    if (mode == TlsMode::Insecure) ctx.registry.ca_file.reset();
    ctx.fixtures.resize(1);
    auto suite = run_tool_suite(*profile, ctx);
    ASSERT_EQ(suite.cases.size(), 3u);
    for (const auto& c : suite.cases)
      EXPECT_EQ(c.status, Status::Pass) << c.name << "\n" << c.details;
  }
  // Verified TLS without the CA: skopeo must refuse the self-signed certificate.
  auto ctx = context("tls-no-ca");
  ctx.registry = secured->config();
  ctx.registry.ca_file.reset();
  ctx.fixtures.resize(1);
  ctx.operations = {ToolOperation::LayoutToRegistry};
  auto suite = run_tool_suite(*profile, ctx);
  ASSERT_EQ(suite.cases.size(), 1u);
  EXPECT_EQ(suite.cases[0].status, Status::Fail) << suite.cases[0].details;
  EXPECT_NE(suite.cases[0].message.find("certificate"), std::string::npos)
      << suite.cases[0].message;
}

TEST_F(ToolSuiteTest, CredentialsReachTheToolThroughItsAuthFile) {
  Credentials user{"tester", "s3cr3t-pass"};
  auto secured = LocalRegistry::start(user);
  ASSERT_TRUE(secured) << "docker-registry with htpasswd did not start";
  auto profile = builtin_tool_profile("skopeo");
  ASSERT_TRUE(profile);
  auto ctx = context("auth");
  ctx.registry = secured->config();
  ctx.registry.credentials = user;
  ctx.fixtures.resize(1);
  auto suite = run_tool_suite(*profile, ctx);
  ASSERT_EQ(suite.cases.size(), 3u);
  for (const auto& c : suite.cases) {
    EXPECT_EQ(c.status, Status::Pass) << c.name << "\n" << c.details;
    EXPECT_EQ(c.details.find("s3cr3t-pass"), std::string::npos);
  }
}

TEST_F(ToolSuiteTest, KeptWorkHoldsNoCredentials) {
  Credentials user{"keeper", "k33p-s3cr3t"};
  auto secured = LocalRegistry::start(user);
  ASSERT_TRUE(secured) << "docker-registry with htpasswd did not start";
  auto profile = builtin_tool_profile("skopeo");
  ASSERT_TRUE(profile);
  auto ctx = context("keep");
  ctx.registry = secured->config();
  ctx.registry.credentials = user;
  ctx.fixtures.resize(1);
  ctx.operations = {ToolOperation::LayoutToRegistry};
  ctx.keep_work = true;
  auto suite = run_tool_suite(*profile, ctx);
  ASSERT_EQ(suite.cases.size(), 1u);
  EXPECT_EQ(suite.cases[0].status, Status::Pass) << suite.cases[0].details;
  // The work is kept, the Docker config that carried the password is not.
  ASSERT_TRUE(fs::exists(ctx.work_dir / "skopeo"));
  EXPECT_FALSE(fs::exists(ctx.work_dir / "skopeo" / "docker-config"));
  const std::string basic = encode_base64("keeper:k33p-s3cr3t");
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(ctx.work_dir)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find("k33p-s3cr3t"), std::string::npos) << entry.path();
    EXPECT_EQ(text.find(basic), std::string::npos) << entry.path();
  }
  EXPECT_GT(files, 0);
}

}  // namespace

namespace {

TEST_F(ToolSuiteTest, ExtractedFilesAreComparedByContentAndMode) {
  MPCHECK_REQUIRE(find_executable("jq"), "jq not installed (the extractor uses it)");
  fs::path script = write_script("extract.sh", kExtractScript);
  std::string yaml = R"(
name: extractor
detect: {argv: [skopeo, --version], version: 'skopeo version (\S+)'}
operations:
  pull-or-extract-to-dir:
    - [skopeo, --insecure-policy, copy, "--src-tls-verify={tls_verify}",
       "--src-authfile={auth_file}", "docker://{ref}", "oci:{work_dir}/layout:x"]
    - [")" + script.string() +
                     R"(", "{work_dir}/layout", "{out_dir}"]
)";
  auto good = parse_tool_profile(yaml, "test");
  ASSERT_TRUE(good) << good.error();
  auto suite = run_tool_suite(*good, context("extract"));
  ASSERT_EQ(suite.cases.size(), kFixtures.size());
  for (const auto& c : suite.cases) {
    EXPECT_EQ(c.status, Status::Pass) << c.name << "\n" << c.details;
    EXPECT_NE(c.details.find("files: content and modes as in the source"), std::string::npos)
        << c.details;
  }

  // The same with README.md made 0600: tar layers carry modes, raw layers do not.
  auto pos = yaml.rfind("\"{out_dir}\"]");
  yaml.insert(pos + std::string("\"{out_dir}\"").size(), ", break");
  auto bad = parse_tool_profile(yaml, "test");
  ASSERT_TRUE(bad) << bad.error();
  suite = run_tool_suite(*bad, context("extract-bad"));
  ASSERT_EQ(suite.cases.size(), kFixtures.size());
  EXPECT_EQ(suite.cases[0].name, "extractor pull-or-extract-to-dir gguf-single-file");
  EXPECT_EQ(suite.cases[0].status, Status::Pass) << suite.cases[0].details;
  for (std::size_t i = 1; i < suite.cases.size(); ++i) {
    EXPECT_EQ(suite.cases[i].status, Status::Fail) << suite.cases[i].details;
    EXPECT_EQ(suite.cases[i].message, "mode of README.md is 0600, source 0644");
  }
}

TEST_F(ToolSuiteTest, BuiltArtifactsAreValidatedAndCarryTheModelFiles) {
  fs::path script = write_script("build.sh", kBuildScript);
  auto profile = parse_tool_profile(R"(
name: builder
detect: {argv: [skopeo, --version], version: 'skopeo version (\S+)'}
operations:
  build-from-model-dir:
    - [")" + script.string() + R"(", ")" +
                                        (dir_ / "fixtures").string() +
                                        R"(", "{repo}", "{ref}"]
)",
                                    "test");
  ASSERT_TRUE(profile) << profile.error();
  auto suite = run_tool_suite(*profile, context("build"));
  ASSERT_EQ(suite.cases.size(), kFixtures.size());
  for (const auto& c : suite.cases) {
    EXPECT_EQ(c.status, Status::Pass) << c.name << "\n" << c.details;
    EXPECT_NE(c.details.find("ok    artifactType"), std::string::npos) << c.details;
    EXPECT_NE(c.details.find("files: content as in the source"), std::string::npos) << c.details;
  }
}

}  // namespace
