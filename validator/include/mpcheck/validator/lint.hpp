#pragma once
// Linting one JSON document: a ModelPack config or an image manifest.
#include <string>
#include <vector>

#include "mpcheck/schema/schema_set.hpp"
#include "mpcheck/validator/diagnostic.hpp"
#include "mpcheck/validator/json_document.hpp"
#include "mpcheck/validator/limits.hpp"

namespace mpcheck {

enum class DocumentKind { Auto, Config, Manifest };
std::string_view to_string(DocumentKind k);

enum class SpecVersion { Main, V0_0_7 };
std::string_view to_string(SpecVersion v);  // "main", "v0.0.7"

struct LintOptions {
  DocumentKind kind = DocumentKind::Auto;
  SpecVersion spec = SpecVersion::Main;
  JsonLimits limits;
  std::size_t max_findings_per_rule = kDefaultMaxFindingsPerRule;  // 0 = no cap
};

struct LintResult {
  DocumentKind kind = DocumentKind::Config;  // the kind checked (detected when Auto)
  std::vector<Diagnostic> diagnostics;       // located, in document order
  // Auto mode only: a JSON object with no ModelPack config or manifest member (a Hugging Face
  // config.json, a package.json...) is not checked; it is no finding either.
  bool not_modelpack = false;
};

// Parses and checks `text`. Never throws on bad input: every problem is a diagnostic.
LintResult lint_document(std::string text, const LintOptions& options = {});

// Keeps the first `max` findings of each rule (in their order) and, for each rule over it, adds
// one finding of that rule, at the first one left out, saying how many were left out.
void cap_findings_per_rule(std::vector<Diagnostic>& diags, std::size_t max);

// The checks on an already-parsed document (used by `validate` on blobs it reads).
DocumentKind detect_kind(const rapidjson::Value& root);
// Whether `root` is an object with any member a ModelPack config (descriptor, config, modelfs)
// or an image manifest (schemaVersion, layers, mediaType, artifactType) has.
bool has_modelpack_member(const rapidjson::Value& root);
std::vector<Diagnostic> check_config(const JsonDocument& doc, SpecVersion spec);
std::vector<Diagnostic> check_manifest(const JsonDocument& doc, SpecVersion spec);

// Schema violations of `doc` against `schema`, reported under `rule`, located.
std::vector<Diagnostic> schema_diagnostics(const JsonDocument& doc, schema::SchemaId schema,
                                           std::string_view rule, SpecVersion spec);

}  // namespace mpcheck
