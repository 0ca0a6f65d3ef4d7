// Issue 19, as a user sees it: skopeo-style references, tidy text (width, colour, quiet, report
// path, plurals, flag names, -j), and report rows titled by what was checked.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "local_registry.hpp"
#include "mpcheck/conformance/registry_error.hpp"
#include "prerequisite.hpp"
#include "push_layout.hpp"
#include "run_command.hpp"

using mpcheck::test::read_file;
using mpcheck::test::run_command;
using mpcheck::test::TempDir;

namespace {

namespace fs = std::filesystem;
const std::string kBin = MPCHECK_BINARY;

std::string q(const fs::path& p) {
  return "'" + p.string() + "'";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

class OutputCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = new TempDir();
    for (const char* name : {"gguf-single-file", "config-schema-violation"}) {
      auto r = run_command(kBin + " fixtures generate --out " + q(dir->path() / name) + " --only " +
                           name + " 2>&1");
      ASSERT_EQ(r.exit_code, 0) << r.out;
    }
  }
  static void TearDownTestSuite() {
    delete dir;
    dir = nullptr;
  }
  static fs::path good() { return dir->path() / "gguf-single-file" / "gguf-single-file"; }
  static fs::path archive() { return dir->path() / "gguf-single-file" / "gguf-single-file.tar"; }
  static fs::path bad() {
    return dir->path() / "config-schema-violation" / "config-schema-violation";
  }
  // The first manifest of a layout: its digest and its org.opencontainers.image.ref.name.
  static std::pair<std::string, std::string> first_manifest(const fs::path& layout) {
    rapidjson::Document index;
    std::string text = read_file(layout / "index.json");
    index.Parse(text.c_str());
    const auto& m = index["manifests"][0];
    std::string tag;
    if (m.HasMember("annotations") &&
        m["annotations"].HasMember("org.opencontainers.image.ref.name"))
      tag = m["annotations"]["org.opencontainers.image.ref.name"].GetString();
    return {m["digest"].GetString(), tag};
  }
  static TempDir* dir;
};
TempDir* OutputCli::dir = nullptr;

// --- 1. references as users write them -------------------------------------------------------

TEST_F(OutputCli, OciReferencesWithTagAndDigestSelectTheManifest) {
  auto [digest, tag] = first_manifest(good());
  ASSERT_FALSE(tag.empty()) << "the generated layout names its manifest";
  auto plain = run_command(kBin + " validate " + q("oci:" + good().string()) + " 2>&1");
  EXPECT_EQ(plain.exit_code, 0) << plain.out;
  EXPECT_NE(plain.out.find("1 target checked: 0 invalid"), std::string::npos) << plain.out;

  auto tagged =
      run_command(kBin + " validate --format json " + q("oci:" + good().string() + ":" + tag));
  EXPECT_EQ(tagged.exit_code, 0) << tagged.out;
  EXPECT_NE(tagged.out.find(digest), std::string::npos) << tagged.out;

  auto by_digest =
      run_command(kBin + " validate --format json " + q("oci:" + good().string() + "@" + digest));
  EXPECT_EQ(by_digest.exit_code, 0) << by_digest.out;
  EXPECT_NE(by_digest.out.find(digest), std::string::npos) << by_digest.out;

  // A tag the layout does not have names nothing: could not run, like --ref.
  auto missing =
      run_command(kBin + " validate " + q("oci:" + good().string() + ":no-such-tag") + " 2>&1");
  EXPECT_EQ(missing.exit_code, 2) << missing.out;
  EXPECT_NE(missing.out.find("no-such-tag"), std::string::npos) << missing.out;
}

TEST_F(OutputCli, OciArchiveReference) {
  ASSERT_TRUE(fs::exists(archive())) << archive();
  auto [digest, tag] = first_manifest(good());
  auto r = run_command(kBin + " validate " + q("oci-archive:" + archive().string()) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto tagged = run_command(kBin + " validate --format json " +
                            q("oci-archive:" + archive().string() + ":" + tag));
  EXPECT_EQ(tagged.exit_code, 0) << tagged.out;
  EXPECT_NE(tagged.out.find(digest), std::string::npos) << tagged.out;
}

TEST_F(OutputCli, UnrecognisedReferenceListsTheAcceptedForms) {
  for (std::string target : {"oci:layout:v1", "no-such-dir", "oci-archive:/nonexistent.tar"}) {
    auto r = run_command(kBin + " validate " + q(target) + " 2>&1");
    EXPECT_EQ(r.exit_code, 2) << target << "\n" << r.out;
    for (const char* form : {"oci:DIR[:TAG|@DIGEST]", "oci-archive:FILE[:TAG|@DIGEST]",
                             "docker://HOST/REPO[:TAG|@DIGEST]"})
      EXPECT_NE(r.out.find(form), std::string::npos) << target << ": " << form << "\n" << r.out;
  }
}

TEST_F(OutputCli, DockerReferenceFromALoopbackRegistry) {
  using namespace mpcheck::conformance::testing;
  MPCHECK_REQUIRE(fs::exists(kRegistryBinary), "docker-registry (" << kRegistryBinary << ")");
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  TempDir work;
  mpcheck::conformance::RegistryClient client(registry->config());
  auto digest = push_fixture(client, "gguf-single-file", "models/x", "v1", work.path());
  ASSERT_TRUE(digest) << digest.error();
  std::string base = "docker://" + registry->host() + "/models/x";
  auto tagged = run_command(kBin + " validate --tls disabled " + q(base + ":v1") + " 2>&1");
  EXPECT_EQ(tagged.exit_code, 0) << tagged.out;
  EXPECT_NE(tagged.out.find("1 target checked: 0 invalid"), std::string::npos) << tagged.out;
  auto pinned = run_command(kBin + " validate --tls disabled " + q(base + "@" + *digest) + " 2>&1");
  EXPECT_EQ(pinned.exit_code, 0) << pinned.out;
  auto absent = run_command(kBin + " validate --tls disabled " + q(base + ":nope") + " 2>&1");
  EXPECT_EQ(absent.exit_code, 2) << absent.out;
}

// --- 3. text output ------------------------------------------------------------------------

// The rule (docs/usage.md, "Text output"): a finding is one line when it fits in 120 columns;
// otherwise its message and pointer end the line and each artifact context field (manifest,
// layer, entry) follows on an indented line of its own. The head line is the location, the
// rule, the message and the pointer; without the message and pointer it stays within 160
// columns (the location is the blob file, LAYOUT/blobs/sha256/HEX:LINE:COL). No field appears
// twice.
TEST_F(OutputCli, ValidateFindingsStayWithinAReadableWidth) {
  auto [digest, tag] = first_manifest(bad());
  auto json = run_command(kBin + " validate --format json " + q(bad()));
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json.out;
  std::vector<std::string> messages;
  for (const auto& result : doc["results"].GetArray())
    for (const auto& d : result["diagnostics"].GetArray())
      messages.emplace_back(d["message"].GetString());
  ASSERT_FALSE(messages.empty());

  // As a user types it: the layout relative to the current directory.
  auto r = run_command("cd " + q(bad().parent_path()) + " && " + kBin +
                       " validate config-schema-violation");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  std::size_t heads = 0;
  for (const auto& line : lines_of(r.out)) {
    std::string rest = line;
    bool head = false;
    for (const auto& m : messages)
      if (auto at = rest.find(m);
          at != std::string::npos && rest.find("error[") != std::string::npos) {
        rest.erase(at, m.size());
        if (auto p = rest.find(" (at /"); p != std::string::npos) rest.erase(p);
        head = true;
        break;
      }
    heads += head;
    EXPECT_LE(rest.size(), head ? 160u : 120u) << line;
    EXPECT_LE(count_of(line, digest), 1u) << line;
  }
  EXPECT_EQ(heads, messages.size()) << r.out;
  EXPECT_EQ(count_of(r.out, digest), messages.size()) << "the manifest once per finding\n" << r.out;
  EXPECT_NE(r.out.find("    manifest " + digest + "\n"), std::string::npos) << r.out;
}

// Colour: a terminal, NO_COLOR unset, TERM not dumb, in every command that writes text.
TEST_F(OutputCli, ColourOnlyOnATerminalWithoutNoColorOrDumbTerm) {
  MPCHECK_REQUIRE(access("/usr/bin/script", X_OK) == 0, "script (util-linux)");
  std::string cmd = kBin + " validate " + q(bad()) + " 2>/dev/null";  // stdout's colour only
  auto tty = [&](const std::string& env) {
    return run_command("env -u NO_COLOR " + env + " script -qec \"" + cmd + "\" /dev/null");
  };
  EXPECT_NE(tty("TERM=xterm").out.find("\033["), std::string::npos);
  EXPECT_EQ(tty("TERM=xterm NO_COLOR=1").out.find("\033["), std::string::npos);
  EXPECT_EQ(tty("TERM=dumb").out.find("\033["), std::string::npos);
  EXPECT_EQ(run_command("env -u NO_COLOR TERM=xterm " + cmd).out.find("\033["), std::string::npos)
      << "not a terminal";
  // lint decides the same way (conformance and tools print through the same emit()).
  TempDir out;
  auto config = out.write("bad.json", "{\"descriptor\": ");
  std::string lint = kBin + " lint " + q(config);
  EXPECT_NE(run_command("env -u NO_COLOR TERM=xterm script -qec \"" + lint + "\" /dev/null")
                .out.find("\033["),
            std::string::npos);
  EXPECT_EQ(run_command("env -u NO_COLOR TERM=dumb script -qec \"" + lint + "\" /dev/null")
                .out.find("\033["),
            std::string::npos);
}

// conformance prints its case lines through the same writer and the same colour rule.
TEST_F(OutputCli, ConformanceColourFollowsTheSameRule) {
  using namespace mpcheck::conformance::testing;
  MPCHECK_REQUIRE(access("/usr/bin/script", X_OK) == 0, "script (util-linux)");
  MPCHECK_REQUIRE(fs::exists(kRegistryBinary), "docker-registry (" << kRegistryBinary << ")");
  auto registry = LocalRegistry::start();
  ASSERT_TRUE(registry);
  std::string cmd = kBin + " conformance --registry " + registry->host() +
                    " --tls disabled --only 'base/*' 2>/dev/null";
  auto tty = [&](const std::string& env) {
    return run_command("env -u NO_COLOR " + env + " script -qec \"" + cmd + "\" /dev/null");
  };
  auto coloured = tty("TERM=xterm");
  EXPECT_NE(coloured.out.find("\033[32mPASS\033[0m  required  base/"), std::string::npos)
      << coloured.out;
  auto no_color = tty("TERM=xterm NO_COLOR=1");
  EXPECT_NE(no_color.out.find("PASS  required  base/"), std::string::npos) << no_color.out;
  EXPECT_EQ(no_color.out.find("\033["), std::string::npos) << no_color.out;
  EXPECT_EQ(tty("TERM=dumb").out.find("\033["), std::string::npos);
  auto quiet = run_command(kBin + " conformance --registry " + registry->host() +
                           " --tls disabled --only 'base/*' --quiet");
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out;
  EXPECT_EQ(lines_of(quiet.out).size(), 1u) << "only the summary\n" << quiet.out;
  EXPECT_EQ(quiet.out.rfind("verdict: conformant", 0), 0u) << quiet.out;
}

TEST_F(OutputCli, ReportPathPrintedOnceNormalised) {
  TempDir out;
  fs::path plain = out.path() / "out-plain";
  auto r = run_command("cd " + q(out.path()) + " && " + kBin +
                       " validate --report-dir out-plain/ " + q(good()) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(count_of(r.out, "report: "), 1u) << r.out;
  EXPECT_NE(r.out.find("report: out-plain/report.html\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("//"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(plain / "report.html"));

  // Not text on stdout: the path goes to stderr, stdout stays the format's.
  auto json = run_command(kBin + " validate --format json --report-dir " + q(out.path() / "j") +
                          " " + q(good()) + " 2>/dev/null");
  EXPECT_EQ(json.out.find("report: "), std::string::npos) << json.out;
  auto json_err = run_command(kBin + " validate --format json --report-dir " +
                              q(out.path() / "j2") + " " + q(good()) + " 2>&1 >/dev/null");
  EXPECT_EQ(count_of(json_err.out, "report: "), 1u) << json_err.out;

  // lint says where its report went too.
  auto config = out.write("config.json", read_file(fs::path(MPCHECK_SOURCE_DIR) / "fixtures" /
                                                   "examples" / "config.json"));
  auto lint =
      run_command(kBin + " lint --report-dir " + q(out.path() / "l") + " " + q(config) + " 2>&1");
  EXPECT_EQ(count_of(lint.out, "report: " + (out.path() / "l" / "report.html").string() + "\n"), 1u)
      << lint.out;
}

TEST_F(OutputCli, JobsZeroMeansOnePerCoreForValidateToo) {
  auto r = run_command(kBin + " validate -j 0 " + q(good()) + " 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  auto lint = run_command(kBin + " validate --help");
  EXPECT_NE(lint.out.find("0 = one per core"), std::string::npos) << lint.out;
}

TEST_F(OutputCli, FixturesPluralRight) {
  TempDir out;
  auto r = run_command(kBin + " fixtures generate --out " + q(out.path()) +
                       " --only config-schema-violation");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("wrote 1 fixture (1 manifest) to "), std::string::npos) << r.out;
}

TEST_F(OutputCli, QuietKeepsFailuresAndTheSummary) {
  TempDir out;
  // Findings: a failing error and a warning; --quiet drops the warning, keeps the summary.
  auto config = out.write("config.json", R"({
  "descriptor": {"name": "x", "createdAt": "2025-01-01T00:00:00Z"},
  "config": {"paramSize": "6.75B"},
  "modelfs": {"type": "layers", "diffIds": ["sha256:abc"]}
})");
  auto loud = run_command(kBin + " lint " + q(config));
  auto quiet = run_command(kBin + " lint --quiet " + q(config));
  EXPECT_EQ(loud.exit_code, quiet.exit_code);
  auto loud_lines = lines_of(loud.out), quiet_lines = lines_of(quiet.out);
  ASSERT_FALSE(quiet_lines.empty());
  EXPECT_EQ(quiet_lines.back(), loud_lines.back()) << "the same summary";
  for (const auto& l : quiet_lines) EXPECT_EQ(l.find("warning["), std::string::npos) << l;
  EXPECT_EQ(count_of(quiet.out, "error["), count_of(loud.out, "error[")) << loud.out;

  auto good_quiet = run_command(kBin + " validate -q " + q(good()));
  EXPECT_EQ(good_quiet.exit_code, 0);
  EXPECT_EQ(lines_of(good_quiet.out).size(), 1u) << good_quiet.out;

  for (const char* command : {"lint", "validate", "conformance", "tools", "report merge"}) {
    auto help = run_command(kBin + " " + command + " --help");
    EXPECT_NE(help.out.find("--quiet"), std::string::npos) << command;
  }
}

TEST_F(OutputCli, HelpMentionsSarifOnlyWhereItIsWritten) {
  for (const char* command : {"tools", "conformance"}) {
    auto help = run_command(kBin + " " + command + " --help");
    EXPECT_EQ(help.out.find("results.sarif"), std::string::npos) << command << help.out;
    EXPECT_EQ(help.out.find("for lint and validate"), std::string::npos) << command;
  }
  for (const char* command : {"lint", "validate"})
    EXPECT_NE(run_command(kBin + " " + command + " --help").out.find("results.sarif"),
              std::string::npos)
        << command;
}

TEST_F(OutputCli, BadFlagValuesAreNamedAsFlags) {
  for (const char* flag : {"--large-layer-size", "--connect-timeout", "--stall-timeout"}) {
    auto r =
        run_command(kBin + " conformance --registry 127.0.0.1:1 " + flag + " 'bo\"g'\\''us' 2>&1");
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(std::string(flag) + ": "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("config key"), std::string::npos) << r.out;
  }
}

TEST(RegistryErrorText, HttpStatusNamedOnce) {
  mpcheck::conformance::RegistryError e;
  e.http_status = 401;
  e.message = "GET /v2/: registry answered HTTP 401";
  EXPECT_EQ(e.describe(), "GET /v2/: registry answered HTTP 401");
  e.message = "token request";
  EXPECT_EQ(e.describe(), "token request (HTTP 401)");
}

// --- 2. rows titled by what was checked -----------------------------------------------------

TEST_F(OutputCli, ReportRowsAreTitledByWhatWasChecked) {
  auto rules = run_command(kBin + " rules --format json");
  rapidjson::Document doc;
  doc.Parse(rules.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << rules.out.substr(0, 200);
  const auto& list = doc.IsArray() ? doc : doc["rules"];
  ASSERT_TRUE(list.IsArray());

  TempDir out;
  auto r = run_command(kBin + " validate --report-dir " + q(out.path()) + " " + q(good()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::string page = read_file(out.path() / "report.html");
  std::regex row(R"(<tr class="case [^"]*"><td>([^<]*)</td>)");
  std::vector<std::string> titles;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), row); it != std::sregex_iterator();
       ++it)
    titles.push_back((*it)[1]);
  EXPECT_GE(titles.size(), 40u);
  for (const auto& rule : list.GetArray()) {
    std::string id = rule["id"].GetString(), title = rule["title"].GetString();
    for (const auto& t : titles)
      EXPECT_NE(t.substr(t.find(' ') + 1), title) << id << ": a violation as a PASS row's title";
  }
  EXPECT_NE(std::find(titles.begin(), titles.end(), "MPJ001 well-formed JSON"), titles.end());
}

}  // namespace
