#pragma once
// How lint and validate results map onto the report model: a suite per target, a case per
// rule that applies to the target's kind (failing when that rule has an error finding, or a
// warning under --strict), the diagnostics attached to their rule's case.
#include <span>
#include <string>
#include <vector>

#include "mpcheck/reports/model.hpp"
#include "mpcheck/validator/diagnostic.hpp"
#include "mpcheck/validator/report_finding.hpp"
#include "mpcheck/validator/rule_catalog.hpp"

namespace mpcheck::cli {

// `name` defaults to the target; validate names a suite per manifest ("layout@sha256:...").
reports::Suite make_suite(const std::string& target, const std::string& kind,
                          std::span<const RuleScope> scopes, const std::vector<Diagnostic>& diags,
                          bool strict, const std::string& name = {});

// What a rule checks ("well-formed JSON"), the title of its case in reports; the case message
// carries the violation when it fails.
std::string_view rule_check(const Rule& rule);

std::vector<reports::RuleInfo> rule_infos(std::string_view spec_version);

}  // namespace mpcheck::cli
