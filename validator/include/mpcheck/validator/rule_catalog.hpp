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

// What makes a rule binding. schema, must and safety rules are errors; should and guidance
// rules are warnings (a SHOULD or prose does not make an artifact invalid).
enum class RuleBasis {
  Schema,    // a JSON schema (or grammar) constraint
  Must,      // an RFC 2119 MUST, MUST NOT or REQUIRED
  Should,    // an RFC 2119 SHOULD or SHOULD NOT
  Guidance,  // prose without an RFC 2119 keyword ("represented as", "may", lowercase "should")
  Safety,    // no consumer can honour it safely (path escapes, bombs, unverifiable content)
};
std::string_view to_string(RuleBasis b);
// The severity a basis implies: Error for schema, must and safety; Warning otherwise.
Severity severity_for(RuleBasis b);

struct Rule {
  std::string_view id;
  Severity severity;
  RuleScope scope;
  std::string_view title;
  std::string_view spec;  // upstream URL of the spec section (main branch)
  RuleBasis basis;
  // The normative sentence the rule enforces, verbatim from the spec, RFC or schema; for a
  // safety rule without one, the hazard.
  std::string_view quote;
  std::string_view example;  // a short input that triggers the rule
  std::string_view fix;      // what to change so it no longer fires
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
