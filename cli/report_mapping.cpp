#include "report_mapping.hpp"

#include <algorithm>

namespace mpcheck::cli {

reports::Finding to_finding(const Diagnostic& d) {
  reports::Finding f;
  f.rule = d.rule;
  f.severity = std::string(to_string(d.severity));
  f.message = d.message;
  f.pointer = d.pointer;
  f.line = d.line;
  f.column = d.column;
  f.spec = d.spec;
  f.manifest_digest = d.where.manifest_digest;
  f.layer_index = d.where.layer_index;
  f.layer_digest = d.where.layer_digest;
  f.entry = d.where.entry;
  return f;
}

reports::Suite make_suite(const std::string& target, const std::string& kind,
                          std::span<const RuleScope> scopes, const std::vector<Diagnostic>& diags,
                          bool strict) {
  reports::Suite suite{target, target, kind, {}};
  auto case_for = [&](const Rule& rule) -> reports::Case& {
    for (auto& c : suite.cases)
      if (c.name.starts_with(rule.id)) return c;
    reports::Case c;
    c.name = std::string(rule.id) + " " + std::string(rule.title);
    c.required = rule.severity == Severity::Error;
    c.spec_links.emplace_back(rule.spec);
    suite.cases.push_back(std::move(c));
    return suite.cases.back();
  };
  for (const Rule& rule : validator_rules())
    if (std::find(scopes.begin(), scopes.end(), rule.scope) != scopes.end()) case_for(rule);
  for (const auto& d : diags) {
    const Rule* rule = find_rule(d.rule);
    if (!rule) continue;
    reports::Case& c = case_for(*rule);
    c.findings.push_back(to_finding(d));
    bool fails = d.severity == Severity::Error || strict;
    if (fails && c.status != reports::Status::Fail) {
      c.status = reports::Status::Fail;
      c.message = d.message;
    }
  }
  return suite;
}

std::vector<reports::RuleInfo> rule_infos(std::string_view spec_version) {
  std::vector<reports::RuleInfo> out;
  for (const Rule& r : validator_rules())
    out.push_back({std::string(r.id), std::string(to_string(r.severity)),
                   std::string(to_string(r.scope)), std::string(r.title),
                   spec_link(r, spec_version)});
  return out;
}

}  // namespace mpcheck::cli
