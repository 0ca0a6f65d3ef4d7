#pragma once
// The interoperability matrix: tool x operation x fixture, read back from the suites
// run_tool_suite returns (case names "<tool> <operation> <fixture>"), for docs and reports.
#include <map>
#include <string>
#include <vector>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::conformance {

// tool x operation x fixture, read back from suites' case names.
struct InteropMatrix {
  std::vector<std::string> tools;     // in suite order
  std::vector<std::string> fixtures;  // in first-seen order
  struct Cell {
    reports::Status status = reports::Status::Skip;
    std::string message;
  };
  // [tool][operation][fixture]; an operation a tool lacks has no entry.
  std::map<std::string, std::map<std::string, std::map<std::string, Cell>>> cells;
  std::map<std::string, std::string> versions;  // tool -> version or "not installed"
};

InteropMatrix interop_matrix(const std::vector<reports::Suite>& suites);

// A Markdown table: one row per tool and operation, one column per fixture; cells are
// pass / FAIL / error / skipped, "—" for an operation the tool does not support.
std::string render_matrix_markdown(const InteropMatrix& matrix);

// The matrix as a report suite ("interoperability matrix"), so the HTML, JUnit and text
// reports show it: one case per tool and operation, "<tool> <operation>", failing when any
// fixture failed, with one line per fixture in its details.
reports::Suite matrix_suite(const InteropMatrix& matrix);

}  // namespace mpcheck::conformance
