#include "mpcheck/validator/lint.hpp"

#include <algorithm>
#include <map>

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

std::vector<Diagnostic> schema_diagnostics(const JsonDocument& doc, schema::SchemaId schema,
                                           std::string_view rule, SpecVersion spec) {
  std::vector<Diagnostic> out;
  for (auto& v : schema::validate(schema, doc.root()))
    out.push_back(make_diagnostic(rule, std::move(v.message), std::move(v.pointer), to_string(spec)));
  return out;
}

void cap_findings_per_rule(std::vector<Diagnostic>& diags, std::size_t max) {
  if (max == 0) return;
  std::map<std::string, std::size_t> seen;
  std::map<std::string, Diagnostic> first_left_out;
  std::vector<Diagnostic> kept;
  for (auto& d : diags) {
    if (++seen[d.rule] <= max)
      kept.push_back(std::move(d));
    else if (!first_left_out.count(d.rule))
      first_left_out.emplace(d.rule, std::move(d));
  }
  for (auto& [rule, d] : first_left_out) {
    std::size_t more = seen[rule] - max;
    d.message = std::to_string(more) + " more finding" + (more == 1 ? "" : "s") + " of rule " +
                rule + " in this document not shown (at most " + std::to_string(max) +
                " per rule; --max-findings changes it)";
    kept.push_back(std::move(d));
  }
  diags = std::move(kept);
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
  if (result.kind == DocumentKind::Auto) result.kind = detect_kind(parsed.document->root());
  auto checks = result.kind == DocumentKind::Manifest
                    ? check_manifest(*parsed.document, options.spec)
                    : check_config(*parsed.document, options.spec);
  for (auto& d : checks) result.diagnostics.push_back(std::move(d));
  std::stable_sort(result.diagnostics.begin(), result.diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  cap_findings_per_rule(result.diagnostics, options.max_findings_per_rule);
  return result;
}

}  // namespace mpcheck
