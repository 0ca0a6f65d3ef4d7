// The rule catalog: severity follows each rule's normative basis, and every rule carries what
// `mpcheck rules ID` shows (quote, example, fix).
#include "mpcheck/validator/rule_catalog.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace mpcheck;

TEST(RuleCatalog, SeverityIsErrorExactlyWhenTheBasisIsSchemaMustOrSafety) {
  for (const Rule& r : validator_rules()) {
    bool error_basis =
        r.basis == RuleBasis::Schema || r.basis == RuleBasis::Must || r.basis == RuleBasis::Safety;
    EXPECT_EQ(r.severity == Severity::Error, error_basis)
        << r.id << " is " << to_string(r.severity) << " with basis " << to_string(r.basis);
    EXPECT_EQ(r.severity, severity_for(r.basis)) << r.id;
  }
}

TEST(RuleCatalog, EveryRuleHasAQuoteAnExampleAndAFix) {
  std::set<std::string_view> ids;
  for (const Rule& r : validator_rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate " << r.id;
    EXPECT_GT(r.quote.size(), 15u) << r.id;
    EXPECT_FALSE(r.example.empty()) << r.id;
    EXPECT_FALSE(r.fix.empty()) << r.id;
    EXPECT_TRUE(r.spec.starts_with("https://")) << r.id;
  }
}

// A rule whose quote carries an RFC 2119 keyword has the basis that keyword gives, unless the
// rule is an error for safety (e.g. RFC 8259's SHOULD on unique names: parsers disagree).
TEST(RuleCatalog, QuotedKeywordMatchesTheBasis) {
  for (const Rule& r : validator_rules()) {
    if (r.basis == RuleBasis::Safety) continue;
    bool must = r.quote.find("MUST") != std::string_view::npos ||
                r.quote.find("REQUIRED") != std::string_view::npos;
    bool should = r.quote.find("SHOULD") != std::string_view::npos;
    if (r.basis == RuleBasis::Should) {
      EXPECT_TRUE(should && !must) << r.id << ": " << r.quote;
    } else if (r.basis == RuleBasis::Must) {
      EXPECT_TRUE(must) << r.id << ": " << r.quote;
    } else if (r.basis == RuleBasis::Guidance && r.id != "MPA011") {  // quotes MUST NOT error
      EXPECT_FALSE(must || should) << r.id << ": " << r.quote;
    }
  }
}

TEST(RuleCatalog, ProducerShapesTheSpecAcceptsAreWarnings) {
  for (const char* id :
       {"MPC002", "MPC004", "MPC005", "MPM011", "MPL006", "MPL007", "MPM015", "MPM016"})
    EXPECT_EQ(find_rule(id)->severity, Severity::Warning) << id;
  EXPECT_EQ(find_rule("MPA012")->severity, Severity::Error);
  EXPECT_EQ(find_rule("MPA012")->basis, RuleBasis::Must);
}
