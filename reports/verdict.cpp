#include "mpcheck/reports/verdict.hpp"

#include <algorithm>

namespace mpcheck::reports {

bool counts_against(const Case& c) {
  return c.required && (c.status == Status::Fail || c.status == Status::Error);
}

bool suite_passed(const Suite& suite) {
  return std::none_of(suite.cases.begin(), suite.cases.end(), counts_against);
}

Verdict verdict(const Run& run) {
  if (!run.problems.empty()) return Verdict::CouldNotRun;
  bool passed = std::all_of(run.suites.begin(), run.suites.end(), suite_passed);
  return passed ? Verdict::Pass : Verdict::Fail;
}

bool is_certification(const Run& run) {
  return run.command.find("conformance") != std::string::npos ||
         run.command.find("tools") != std::string::npos;
}

std::string_view verdict_word(const Run& run) {
  switch (verdict(run)) {
    case Verdict::Pass:
      return is_certification(run) ? "conformant" : "valid";
    case Verdict::Fail:
      return is_certification(run) ? "not-conformant" : "invalid";
    case Verdict::CouldNotRun:
      return "could-not-run";
  }
  return "could-not-run";
}

}  // namespace mpcheck::reports
