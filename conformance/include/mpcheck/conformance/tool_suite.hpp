#pragma once
// The tool interoperability suite: drives one packaging tool (a ToolProfile) through the
// fixture layouts and checks what it produced, with the validator and against the source:
// manifest digest and bytes, artifactType, annotations, layer order, extracted files.
// One case per (fixture, operation), named "<tool> <operation> <fixture>".
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "mpcheck/conformance/registry_config.hpp"
#include "mpcheck/conformance/tool_profile.hpp"
#include "mpcheck/reports/model.hpp"

namespace mpcheck::conformance {

struct ToolFixture {
  std::string name;              // fixture name, last word of the case name
  std::filesystem::path layout;  // OCI image layout directory
  std::string ref = "latest";    // org.opencontainers.image.ref.name of the manifest to use
};

struct ToolSuiteContext {
  // Registry the tools push to and pull from: host, TLS mode, CA file, credentials.
  RegistryConfig registry;
  // Repositories used: <prefix>/<tool>/<fixture> (and .../<fixture>-copy for copies).
  std::string repository_prefix = "mpcheck-tools";
  std::filesystem::path fixtures_dir;  // where the layouts were generated (shown in reports)
  std::vector<ToolFixture> fixtures;
  std::filesystem::path work_dir;  // scratch space; <work_dir>/<tool>/... is replaced
  std::chrono::seconds timeout = std::chrono::seconds(300);  // per tool command
  std::vector<ToolOperation> operations;                     // empty: all the tool supports
  bool keep_work = false;  // leave the tool's outputs in work_dir for inspection
};

// Never throws for a tool's misbehaviour: a missing tool gives skipped cases ("<tool> not
// installed"), a failing command or a mismatch a failed case, a broken setup an errored case.
reports::Suite run_tool_suite(const ToolProfile& profile, const ToolSuiteContext& context);

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
