#include "mpcheck/validator/lint.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <numeric>

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

namespace {

// Of `diags` taken in `order`, the ones the cap keeps, in that order; the first one left out of
// each capped rule comes last, rewritten to count those left out.
std::vector<Diagnostic> select_capped(std::vector<Diagnostic>& diags,
                                      const std::vector<std::uint32_t>& order, std::size_t max) {
  std::vector<Diagnostic> kept;
  if (max == 0) {
    kept.reserve(order.size());
    for (auto i : order) kept.push_back(std::move(diags[i]));
    return kept;
  }
  std::map<std::string, std::size_t, std::less<>> seen;
  std::vector<std::uint32_t> first_left_out;
  for (auto i : order) {
    auto it = seen.find(diags[i].rule);
    if (it == seen.end()) it = seen.emplace(diags[i].rule, 0).first;
    if (++it->second <= max)
      kept.push_back(std::move(diags[i]));
    else if (it->second == max + 1)
      first_left_out.push_back(i);
  }
  for (auto i : first_left_out) {
    Diagnostic& d = diags[i];
    std::size_t more = seen[d.rule] - max;
    d.message = std::to_string(more) + " more finding" + (more == 1 ? "" : "s") + " of rule " +
                d.rule + " in this document not shown (at most " + std::to_string(max) +
                " per rule; --max-findings changes it)";
    kept.push_back(std::move(d));
  }
  return kept;
}

}  // namespace

void cap_findings_per_rule(std::vector<Diagnostic>& diags, std::size_t max) {
  std::vector<std::uint32_t> order(diags.size());
  std::iota(order.begin(), order.end(), 0u);
  diags = select_capped(diags, order, max);
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
  if (result.diagnostics.empty())
    result.diagnostics = std::move(checks);  // no second array of a million findings
  else
    result.diagnostics.insert(result.diagnostics.end(), std::make_move_iterator(checks.begin()),
                              std::make_move_iterator(checks.end()));
  // Document order, then the cap. The order is found on indices: a hostile document can have a
  // million findings, and sorting the findings themselves needs a second copy of them all.
  auto& diags = result.diagnostics;
  std::vector<std::uint32_t> order(diags.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return std::tie(diags[a].line, diags[a].column) < std::tie(diags[b].line, diags[b].column);
  });
  diags = select_capped(diags, order, options.max_findings_per_rule);
  return result;
}

}  // namespace mpcheck
