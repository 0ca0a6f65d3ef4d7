#pragma once
// The rule catalog: every check mpcheck makes has one entry here, with a stable id.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mpcheck/validator/diagnostic.hpp"

namespace mpcheck {

enum class RuleScope { Config, Manifest, Artifact, Layer, Registry, Tool };
std::string_view to_string(RuleScope s);

struct Rule {
  std::string_view id;
  Severity severity;
  RuleScope scope;
  std::string_view title;
  std::string_view spec;  // upstream URL of the spec section (main branch)
};

// Rules of the validator (config, manifest, artifact and layer scopes), in catalog order.
std::span<const Rule> validator_rules();

// Looks a rule up among the validator's rules; nullptr when unknown.
const Rule* find_rule(std::string_view id);

// The spec link of a rule rewritten for the spec version being checked
// ("main" or "v0.0.7"): model-spec links move to that tag, others stay.
std::string spec_link(const Rule& rule, std::string_view spec_version);

// A diagnostic for `id` with the catalog's severity and spec link filled in.
Diagnostic make_diagnostic(std::string_view id, std::string message, std::string pointer = {},
                           std::string_view spec_version = "main");

}  // namespace mpcheck
