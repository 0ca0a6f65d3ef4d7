#include "mpcheck/validator/lint.hpp"

#include <algorithm>

#include "mpcheck/validator/rule_catalog.hpp"

namespace mpcheck {

std::string_view to_string(DocumentKind k) {
  switch (k) {
    case DocumentKind::Auto: return "auto";
    case DocumentKind::Config: return "config";
    case DocumentKind::Manifest: return "manifest";
  }
  return "auto";
}

std::string_view to_string(SpecVersion v) { return v == SpecVersion::Main ? "main" : "v0.0.7"; }

DocumentKind detect_kind(const rapidjson::Value& root) {
  if (!root.IsObject()) return DocumentKind::Config;
  for (const char* key : {"schemaVersion", "layers", "mediaType", "artifactType"})
    if (root.HasMember(key)) return DocumentKind::Manifest;
  return DocumentKind::Config;
}

bool has_modelpack_member(const rapidjson::Value& root) {
  if (!root.IsObject()) return false;
  for (const char* key :
       {"descriptor", "config", "modelfs", "schemaVersion", "layers", "mediaType", "artifactType"})
    if (root.HasMember(key)) return true;
  return false;
}

std::vector<Diagnostic> schema_diagnostics(const JsonDocument& doc, schema::SchemaId schema,
                                           std::string_view rule, SpecVersion spec) {
  std::vector<Diagnostic> out;
  for (auto& v : schema::validate(schema, doc.root()))
    out.push_back(make_diagnostic(rule, std::move(v.message), std::move(v.pointer), to_string(spec)));
  return out;
}

LintResult lint_document(std::string text, const LintOptions& options) {
  LintResult result;
  result.kind = options.kind;
  auto parsed = parse_json(std::move(text), options.limits);
  for (auto& d : parsed.diagnostics) {
    d.spec = spec_link(*find_rule(d.rule), to_string(options.spec));
    result.diagnostics.push_back(std::move(d));
  }
  if (!parsed.document) {
    if (result.kind == DocumentKind::Auto) result.kind = DocumentKind::Config;
    return result;
  }
  if (result.kind == DocumentKind::Auto) {
    const auto& root = parsed.document->root();
    // A pre-commit hook or a glob over a model repository meets other JSON files; without a single
    // ModelPack member there is nothing of ours to check. Non-objects still fail as configs.
    if (root.IsObject() && !has_modelpack_member(root)) {
      result.kind = DocumentKind::Config;
      result.not_modelpack = true;
      result.diagnostics.clear();
      return result;
    }
    result.kind = detect_kind(root);
  }
  auto checks = result.kind == DocumentKind::Manifest
                    ? check_manifest(*parsed.document, options.spec)
                    : check_config(*parsed.document, options.spec);
  for (auto& d : checks) result.diagnostics.push_back(std::move(d));
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return result;
}

}  // namespace mpcheck
