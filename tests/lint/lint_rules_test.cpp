// Every config and manifest rule: a document that triggers it (checked for rule id, pointer and
// line) and the clean base document that does not.
#include <gtest/gtest.h>

#include <set>

#include "mpcheck/validator/lint.hpp"
#include "mpcheck/validator/rule_catalog.hpp"

using namespace mpcheck;

namespace {

const std::string kConfig = R"({
  "descriptor": {
    "createdAt": "2025-01-01T00:00:00Z",
    "name": "xyz-3-8B-Instruct",
    "docURL": "https://www.xyz.com/get-started/",
    "sourceURL": "https://github.com/xyz/xyz3",
    "datasetsURL": ["https://www.xyz.com/datasets/"],
    "licenses": ["Apache-2.0"]
  },
  "config": {
    "paramSize": "8b",
    "precision": "float16",
    "capabilities": {
      "knowledgeCutoff": "2024-05-21T00:00:00Z",
      "languages": ["en", "zh"]
    }
  },
  "modelfs": {
    "type": "layers",
    "diffIds": ["sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef"]
  }
})";

const std::string kManifest = R"({
  "schemaVersion": 2,
  "mediaType": "application/vnd.oci.image.manifest.v1+json",
  "artifactType": "application/vnd.cncf.model.manifest.v1+json",
  "config": {
    "mediaType": "application/vnd.cncf.model.config.v1+json",
    "digest": "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763",
    "size": 301
  },
  "layers": [
    {
      "mediaType": "application/vnd.cncf.model.weight.v1.tar",
      "digest": "sha256:3f907c1a03bf20f20355fe449e18ff3f9de2e49570ffb536f1a32f20c7179808",
      "size": 30327160,
      "annotations": {
        "org.cncf.model.filepath": "model-00001.safetensors",
        "org.cncf.model.file.metadata+json": "{\"name\":\"model-00001.safetensors\",\"mode\":420,\"uid\":0,\"gid\":0,\"size\":30327160,\"mtime\":\"2025-01-01T00:00:00Z\",\"typeflag\":48}",
        "org.cncf.model.file.mediatype.untested": "false"
      }
    }
  ]
})";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

struct Case {
  const char* name;
  const std::string* base;
  std::string from, to;
  const char* rule;
  const char* pointer;
  unsigned line;  // 0 = not checked
};

const Case kCases[] = {
    {"bom", &kConfig, "{\n  \"descriptor\"", "\xEF\xBB\xBF{\n  \"descriptor\"", "MPJ004", "", 1},
    {"syntax", &kConfig, "\"layers\",", "\"layers\"", "MPJ001", "", 20},
    {"duplicate key", &kConfig, "\"name\": \"xyz-3-8B-Instruct\",",
     "\"name\": \"a\", \"name\": \"b\",", "MPJ002", "/descriptor/name", 4},
    {"invalid utf-8", &kConfig, "xyz-3-8B", "xyz-\xC3\x28-8B", "MPJ003", "", 4},
    {"trailing", &kConfig, "\n}", "\n}\n{}", "MPJ005", "", 23},
    {"too deep", &kConfig, "\"8b\"", std::string(300, '[') + std::string(300, ']'), "MPJ006", "",
     11},
    {"schema: unknown field", &kConfig, "\"name\":", "\"nmae\":", "MPC001", "/descriptor/nmae", 4},
    {"schema: missing modelfs", &kConfig, "\"modelfs\"", "\"modelFS\"", "MPC001", "/modelfs", 1},
    {"paramSize", &kConfig, "\"8b\"", "\"6.75B\"", "MPC002", "/config/paramSize", 11},
    {"precision", &kConfig, "\"float16\"", "\"fp16\"", "MPC003", "/config/precision", 12},
    {"language", &kConfig, "\"zh\"", "\"xx\"", "MPC004", "/config/capabilities/languages/1", 15},
    {"license", &kConfig, "\"Apache-2.0\"", "\"Apache 2\"", "MPC005", "/descriptor/licenses/0", 8},
    {"createdAt", &kConfig, "2025-01-01T00:00:00Z", "2025-02-30T00:00:00Z", "MPC006",
     "/descriptor/createdAt", 3},
    {"knowledgeCutoff", &kConfig, "2024-05-21T00:00:00Z", "2024-05-21", "MPC006",
     "/config/capabilities/knowledgeCutoff", 14},
    {"diffId", &kConfig, "sha256:1234567890abcdef", "sha256:1234567890ABCDEF", "MPC007",
     "/modelfs/diffIds/0", 20},
    {"url", &kConfig, "\"https://github.com/xyz/xyz3\"", "\"github.com/xyz/xyz3\"", "MPC008",
     "/descriptor/sourceURL", 6},
    {"dataset url", &kConfig, "\"https://www.xyz.com/datasets/\"", "\"datasets\"", "MPC008",
     "/descriptor/datasetsURL/0", 7},
    {"unregistered diffId algorithm", &kConfig,
     "sha256:1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef", "md5:abc", "MPM014",
     "/modelfs/diffIds/0", 20},

    {"manifest schema", &kManifest, "\"schemaVersion\": 2", "\"schemaVersion\": 1", "MPM001",
     "/schemaVersion", 2},
    {"manifest mediaType", &kManifest, "\"application/vnd.oci.image.manifest.v1+json\"",
     "\"application/vnd.docker.distribution.manifest.v2+json\"", "MPM002", "/mediaType", 3},
    {"manifest mediaType missing", &kManifest,
     "\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "", "MPM002", "/mediaType",
     1},
    {"artifactType", &kManifest, "\"application/vnd.cncf.model.manifest.v1+json\"",
     "\"application/vnd.example+json\"", "MPM003", "/artifactType", 4},
    {"config mediaType", &kManifest, "\"application/vnd.cncf.model.config.v1+json\"",
     "\"application/vnd.oci.image.config.v1+json\"", "MPM004", "/config/mediaType", 6},
    {"layer mediaType", &kManifest, "\"application/vnd.cncf.model.weight.v1.tar\"",
     "\"application/vnd.oci.image.layer.v1.tar\"", "MPM005", "/layers/0/mediaType", 12},
    {"digest", &kManifest, "sha256:3f907c1a", "sha256:3f907c1", "MPM006", "/layers/0/digest", 13},
    {"size", &kManifest, "\"size\": 301", "\"size\": 301.5", "MPM007", "/config/size", 8},
    {"annotation value", &kManifest, "\"false\"", "false", "MPM008",
     "/layers/0/annotations/org.cncf.model.file.mediatype.untested", 18},
    {"filepath", &kManifest, "\"model-00001.safetensors\",", "\"../model-00001.safetensors\",",
     "MPM009", "/layers/0/annotations/org.cncf.model.filepath", 16},
    {"absolute filepath", &kManifest, "\"model-00001.safetensors\",", "\"/etc/passwd\",", "MPM009",
     "/layers/0/annotations/org.cncf.model.filepath", 16},
    {"file metadata", &kManifest, "\\\"mode\\\":420", "\\\"mode\\\":\\\"0644\\\"", "MPM010",
     "/layers/0/annotations/org.cncf.model.file.metadata+json", 17},
    {"untested", &kManifest, "\"false\"", "\"no\"", "MPM011",
     "/layers/0/annotations/org.cncf.model.file.mediatype.untested", 18},
    {"legacy artifactType", &kManifest, "vnd.cncf.model.manifest", "vnd.cnai.model.manifest",
     "MPM012", "/artifactType", 4},
    {"legacy layer type", &kManifest, "vnd.cncf.model.weight.v1.tar",
     "vnd.cnai.model.weight.v1.tar", "MPM005", "/layers/0/mediaType", 12},
    {"legacy annotation", &kManifest, "org.cncf.model.filepath", "org.cnai.model.filepath",
     "MPM013", "/layers/0/annotations/org.cnai.model.filepath", 16},
    {"unregistered digest", &kManifest,
     "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763", "foo:bar", "MPM014",
     "/config/digest", 7},
    {"filepath missing", &kManifest, "\"org.cncf.model.filepath\": \"model-00001.safetensors\",",
     "", "MPM015", "/layers/0/annotations", 15},
    {"file metadata member", &kManifest, "\\\"typeflag\\\":48",
     "\\\"typeflag\\\":48,\\\"sha256\\\":\\\"x\\\"", "MPM016",
     "/layers/0/annotations/org.cncf.model.file.metadata+json", 17},
    {"empty config", &kManifest,
     "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763\",\n    \"size\": "
     "301",
     "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\n    \"size\": 2",
     "MPA012", "/config/digest", 7},
};

std::string describe(const std::vector<Diagnostic>& diags) {
  std::string s;
  for (const auto& d : diags)
    s += d.rule + " " + d.pointer + " " + std::to_string(d.line) + ": " + d.message + "\n";
  return s;
}

}  // namespace

TEST(LintRules, CleanBaseDocumentsHaveNoFindings) {
  auto c = lint_document(kConfig);
  EXPECT_EQ(c.kind, DocumentKind::Config);
  EXPECT_TRUE(c.diagnostics.empty()) << describe(c.diagnostics);
  auto m = lint_document(kManifest);
  EXPECT_EQ(m.kind, DocumentKind::Manifest);
  EXPECT_TRUE(m.diagnostics.empty()) << describe(m.diagnostics);
}

TEST(LintRules, EachCaseTriggersItsRuleAtItsPointer) {
  for (const auto& c : kCases) {
    SCOPED_TRACE(c.name);
    LintOptions options;
    options.kind = c.base == &kConfig ? DocumentKind::Config : DocumentKind::Manifest;
    auto result = lint_document(replace(*c.base, c.from, c.to), options);
    auto it = std::find_if(result.diagnostics.begin(), result.diagnostics.end(),
                           [&](const Diagnostic& d) {
                             return d.rule == c.rule && d.pointer == c.pointer;
                           });
    ASSERT_NE(it, result.diagnostics.end()) << describe(result.diagnostics);
    if (c.line) {
      EXPECT_EQ(it->line, c.line) << describe(result.diagnostics);
    }
    EXPECT_FALSE(it->message.empty());
    EXPECT_TRUE(it->spec.starts_with("https://")) << it->spec;
    EXPECT_EQ(it->severity, find_rule(c.rule)->severity);
  }
}

TEST(LintRules, EveryConfigAndManifestRuleHasATriggeringCase) {
  std::set<std::string> covered;
  for (const auto& c : kCases) covered.insert(c.rule);
  for (const Rule& r : validator_rules()) {
    if (r.scope != RuleScope::Config && r.scope != RuleScope::Manifest) continue;
    if (r.id == "MPJ007") continue;  // size limit: covered by json_document_test and the CLI test
    EXPECT_TRUE(covered.count(std::string(r.id))) << r.id << " has no triggering case";
  }
}

// What producers emit and the spec accepts (no MUST, no schema pattern) warns, never fails:
// KitOps copies free-text Kitfile licenses, Docker Model Runner writes two-decimal paramSize.
TEST(LintRules, FreeTextLicenseAndTwoDecimalParamSizeAreWarnings) {
  auto text =
      replace(replace(kConfig, "\"Apache-2.0\"", "\"Apache 2.0\""), "\"8b\"", "\"361.82M\"");
  auto r = lint_document(text);
  ASSERT_EQ(r.diagnostics.size(), 2u) << describe(r.diagnostics);
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.severity, Severity::Warning) << d.rule;
  EXPECT_EQ(r.diagnostics[0].rule, "MPC005");
  EXPECT_EQ(r.diagnostics[0].pointer, "/descriptor/licenses/0");
  EXPECT_EQ(r.diagnostics[1].rule, "MPC002");
  EXPECT_EQ(r.diagnostics[1].pointer, "/config/paramSize");
  EXPECT_NE(r.diagnostics[1].message.find("\"361.82M\""), std::string::npos)
      << r.diagnostics[1].message;
  EXPECT_FALSE(has_errors(r.diagnostics));
}

TEST(LintRules, LayerWithoutFilepathIsAWarningNamingTheKeysSeen) {
  auto r = lint_document(
      replace(kManifest, "\"org.cncf.model.filepath\": \"model-00001.safetensors\",", ""));
  ASSERT_EQ(r.diagnostics.size(), 1u) << describe(r.diagnostics);
  const auto& d = r.diagnostics[0];
  EXPECT_EQ(d.rule, "MPM015");
  EXPECT_EQ(d.severity, Severity::Warning);
  EXPECT_EQ(d.pointer, "/layers/0/annotations");
  EXPECT_EQ(d.message,
            "layer has no org.cncf.model.filepath annotation; the spec's predefined key should "
            "name the file or directory the layer holds (annotation keys seen: "
            "\"org.cncf.model.file.metadata+json\", \"org.cncf.model.file.mediatype.untested\")");
  // A layer without annotations points at the layer; a pre-rename key is MPM013's only.
  auto bare = lint_document(R"({"schemaVersion": 2,
    "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "artifactType": "application/vnd.cncf.model.manifest.v1+json",
    "config": {"mediaType": "application/vnd.cncf.model.config.v1+json",
      "digest": "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763", "size": 301},
    "layers": [{"mediaType": "application/vnd.cncf.model.doc.v1.tar",
      "digest": "sha256:5e236ec37438b02c01c83d134203a646cb354766ac294e533a308dd8caa3a11e", "size": 9}]})");
  ASSERT_EQ(bare.diagnostics.size(), 1u) << describe(bare.diagnostics);
  EXPECT_EQ(bare.diagnostics[0].pointer, "/layers/0");
  EXPECT_NE(bare.diagnostics[0].message.find("(annotation keys seen: none)"), std::string::npos);
  auto legacy =
      lint_document(replace(kManifest, "org.cncf.model.filepath", "org.cnai.model.filepath"));
  ASSERT_EQ(legacy.diagnostics.size(), 1u) << describe(legacy.diagnostics);
  EXPECT_EQ(legacy.diagnostics[0].rule, "MPM013");
}

TEST(LintRules, FileMetadataMemberTheSpecDoesNotDefineIsAWarning) {
  auto r = lint_document(replace(kManifest, "\\\"typeflag\\\":48",
                                 "\\\"typeflag\\\":48,\\\"digest\\\":\\\"sha256:0\\\""));
  ASSERT_EQ(r.diagnostics.size(), 1u) << describe(r.diagnostics);
  const auto& d = r.diagnostics[0];
  EXPECT_EQ(d.rule, "MPM016");
  EXPECT_EQ(d.severity, Severity::Warning);
  EXPECT_EQ(d.pointer, "/layers/0/annotations/org.cncf.model.file.metadata+json");
  EXPECT_EQ(d.message,
            "org.cncf.model.file.metadata+json has the member \"digest\", which FileMetadata does "
            "not define (defined: name, mode, uid, gid, size, mtime, typeflag)");
}

TEST(LintRules, WellKnownEmptyConfigDigestIsMPA012OnlyUnderTheModelConfigType) {
  const std::string empty =
      "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
  auto text = replace(
      kManifest, "sha256:d5815835051dd97d800a03f641ed8162877920e734d3d705b698912602b8c763", empty);
  auto r = lint_document(text);
  ASSERT_EQ(r.diagnostics.size(), 1u) << describe(r.diagnostics);
  EXPECT_EQ(r.diagnostics[0].rule, "MPA012");
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Error);
  EXPECT_EQ(r.diagnostics[0].pointer, "/config/digest");
  EXPECT_EQ(r.diagnostics[0].message,
            "config digest " + empty +
                " is the empty JSON object {}; a config of type "
                "application/vnd.cncf.model.config.v1+json must hold the REQUIRED descriptor, "
                "config and modelfs");
  // Under another config type the empty blob is MPM004's business, not MPA012's.
  auto other = lint_document(replace(text, "\"application/vnd.cncf.model.config.v1+json\"",
                                     "\"application/vnd.oci.empty.v1+json\""));
  for (const auto& d : other.diagnostics) EXPECT_NE(d.rule, "MPA012");
}

TEST(LintRules, DedicatedRuleReplacesTheSchemaMessageForTheSameValue) {
  auto r = lint_document(replace(kManifest, "sha256:3f907c1a", "sha256:3F907c1a"));
  ASSERT_EQ(r.diagnostics.size(), 1u) << describe(r.diagnostics);
  EXPECT_EQ(r.diagnostics[0].rule, "MPM006");
}

TEST(LintRules, LegacyNamesNameTheirReplacement) {
  auto r = lint_document(replace(kManifest, "vnd.cncf.model.config", "vnd.cnai.model.config"));
  ASSERT_EQ(r.diagnostics.size(), 1u) << describe(r.diagnostics);
  EXPECT_EQ(r.diagnostics[0].rule, "MPM012");
  EXPECT_NE(r.diagnostics[0].message.find("application/vnd.cncf.model.config.v1+json"),
            std::string::npos);
}

TEST(LintRules, SpecVersionSelectsSchemaAndLinks) {
  LintOptions old;
  old.spec = SpecVersion::V0_0_7;
  auto r = lint_document(kConfig, old);
  std::set<std::string> pointers;
  for (const auto& d : r.diagnostics) {
    EXPECT_EQ(d.rule, "MPC001");
    EXPECT_NE(d.spec.find("/blob/v0.0.7/"), std::string::npos) << d.spec;
    pointers.insert(d.pointer);
  }
  // v0.0.7 had no datasetsURL; its capabilities object was open, so languages passes there.
  EXPECT_EQ(pointers, (std::set<std::string>{"/descriptor/datasetsURL"}));
}

TEST(LintRules, KindDetection) {
  EXPECT_EQ(lint_document("{\"layers\": []}").kind, DocumentKind::Manifest);
  EXPECT_EQ(lint_document("{\"modelfs\": {}}").kind, DocumentKind::Config);
  EXPECT_EQ(lint_document("[1]").kind, DocumentKind::Config);
  EXPECT_EQ(lint_document("not json").kind, DocumentKind::Config);
}

namespace {
// kConfig with `n` copies of `code` as its languages, minified onto one line.
std::string config_with_languages(std::size_t n, const std::string& code) {
  std::string list;
  list.reserve(n * (code.size() + 3));
  for (std::size_t i = 0; i < n; ++i) list += (i ? ",\"" : "\"") + code + "\"";
  std::string text =
      replace(kConfig, R"("languages": ["en", "zh"])", "\"languages\": [" + list + "]");
  std::erase(text, '\n');
  return text;
}

std::size_t count_rule(const std::vector<Diagnostic>& diags, std::string_view rule) {
  return static_cast<std::size_t>(std::count_if(
      diags.begin(), diags.end(), [&](const Diagnostic& d) { return d.rule == rule; }));
}
}  // namespace

TEST(LintRules, FindingsPerRuleAreCappedWithACount) {
  auto text = config_with_languages(1000, "zz");
  auto capped = lint_document(text);
  ASSERT_EQ(count_rule(capped.diagnostics, "MPC004"), kDefaultMaxFindingsPerRule + 1)
      << describe(capped.diagnostics).substr(0, 2000);
  const auto& last = capped.diagnostics.back();
  EXPECT_EQ(last.rule, "MPC004");
  EXPECT_EQ(last.message,
            "900 more findings of rule MPC004 in this document not shown (at most "
            "100 per rule; --max-findings changes it)");
  EXPECT_EQ(last.pointer, "/config/capabilities/languages/100");  // the first one left out
  // The kept findings are the first ones in the document.
  EXPECT_EQ(capped.diagnostics.front().pointer, "/config/capabilities/languages/0");

  LintOptions all;
  all.max_findings_per_rule = 0;
  EXPECT_EQ(count_rule(lint_document(text, all).diagnostics, "MPC004"), 1000u);
  LintOptions three;
  three.max_findings_per_rule = 3;
  EXPECT_EQ(count_rule(lint_document(text, three).diagnostics, "MPC004"), 4u);
}

// A minified 5 MB config with a million bad language codes was killed after 200 s at 911 MB:
// every finding's column was counted from the start of the one line. It now completes, and
// reports 100 findings of each rule and a count of the rest (ctest's timeout is the backstop).
TEST(LintRules, AMillionFindingsOnOneLineAreCappedAndLocated) {
  // "ZZ" breaks the schema's pattern (MPC001), "zz" is no ISO 639-1 code (MPC004).
  auto text = config_with_languages(500000, "ZZ\",\"zz");
  ASSERT_GT(text.size(), 5000000u);
  auto r = lint_document(std::move(text));
  EXPECT_EQ(count_rule(r.diagnostics, "MPC001"), kDefaultMaxFindingsPerRule + 1);
  EXPECT_EQ(count_rule(r.diagnostics, "MPC004"), kDefaultMaxFindingsPerRule + 1);
  for (const auto& d : r.diagnostics) EXPECT_EQ(d.line, 1u);
  ASSERT_GE(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[r.diagnostics.size() - 2].message.substr(0, 36),
            "499900 more findings of rule MPC001 ");
  EXPECT_EQ(r.diagnostics.back().message.substr(0, 36), "499900 more findings of rule MPC004 ");
}
