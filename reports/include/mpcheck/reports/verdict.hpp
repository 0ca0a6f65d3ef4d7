#pragma once
// The verdict of a run, computed in this one place from its cases. The exit code, the text
// summary, `valid` in JSON, the JUnit property, the SARIF run property and the HTML banner all
// read it; no writer or command decides a verdict of its own.
#include <string_view>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports {

enum class Verdict {
  Pass,         // valid / conformant
  Fail,         // a required case failed or errored
  CouldNotRun,  // something the run was asked to check could not be checked (Run::problems)
};

// A case counts against its suite when it is required and failed or errored. Optional cases
// (a SHOULD, an optional registry feature) and skipped ones never do; under --strict lint and
// validate mark every rule's case required.
bool counts_against(const Case& c);

// True when no case of the suite counts against it.
bool suite_passed(const Suite& suite);

Verdict verdict(const Run& run);

// The word for a run's verdict: "valid"/"invalid" for lint and validate, "conformant"/
// "not-conformant" for conformance and tools, "could-not-run" for either.
std::string_view verdict_word(const Run& run);

// True for runs that certify something (conformance, tools) rather than validate documents.
bool is_certification(const Run& run);

}  // namespace mpcheck::reports
