#include "mpcheck/reports/model.hpp"

#include "mpcheck/reports/verdict.hpp"

namespace mpcheck::reports {

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Pass:
      return "pass";
    case Status::Fail:
      return "fail";
    case Status::Skip:
      return "skip";
    case Status::Error:
      return "error";
  }
  return "error";
}

Counts count(const Run& run) {
  Counts c;
  for (const auto& suite : run.suites) {
    for (const auto& kase : suite.cases) {
      switch (kase.status) {
        case Status::Pass:
          ++c.passed;
          break;
        case Status::Fail:
          ++c.failed;
          break;
        case Status::Skip:
          ++c.skipped;
          break;
        case Status::Error:
          ++c.errored;
          break;
      }
      if (!kase.required && (kase.status == Status::Fail || kase.status == Status::Error))
        ++c.optional_failed;
      for (const auto& f : kase.findings) (f.severity == "error" ? c.errors : c.warnings)++;
    }
    if (!suite_passed(suite)) ++c.failed_suites;
  }
  return c;
}

}  // namespace mpcheck::reports
