#include "report_mapping.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace mpcheck::cli {

namespace {

// Under --strict every rule counts against the verdict, warnings included.
reports::Case case_of(const Rule& rule, bool strict) {
  reports::Case c;
  c.name = std::string(rule.id) + " " + std::string(rule.title);
  c.required = rule.severity == Severity::Error || strict;
  c.spec_links.emplace_back(rule.spec);
  return c;
}

}  // namespace

reports::Suite make_suite(const std::string& target, const std::string& kind,
                          std::span<const RuleScope> scopes, const std::vector<Diagnostic>& diags,
                          bool strict, const std::string& name) {
  // The passing case list of a scope set is built once and copied per target.
  static std::map<std::pair<std::vector<RuleScope>, bool>,
                  std::pair<std::vector<std::string_view>, std::vector<reports::Case>>>
      templates;
  static std::mutex mutex;
  const std::pair<std::vector<std::string_view>, std::vector<reports::Case>>* t;
  {
    // Map nodes never move and a template is not changed once built: copy it unlocked.
    std::lock_guard lock(mutex);
    auto& slot = templates[{std::vector<RuleScope>(scopes.begin(), scopes.end()), strict}];
    if (slot.first.empty()) {
      for (const Rule& rule : validator_rules()) {
        if (std::find(scopes.begin(), scopes.end(), rule.scope) == scopes.end()) continue;
        slot.first.push_back(rule.id);
        slot.second.push_back(case_of(rule, strict));
      }
    }
    t = &slot;
  }
  std::vector<std::string_view> ids = t->first;
  reports::Suite suite{name.empty() ? target : name, target, kind, t->second};
  for (const auto& d : diags) {
    const Rule* rule = find_rule(d.rule);
    if (!rule) continue;
    auto at = std::find(ids.begin(), ids.end(), rule->id);
    if (at == ids.end()) {  // a rule outside the kind's scopes (e.g. MPM014 on a config)
      ids.push_back(rule->id);
      suite.cases.push_back(case_of(*rule, strict));
      at = ids.end() - 1;
    }
    reports::Case& c = suite.cases[static_cast<std::size_t>(at - ids.begin())];
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
