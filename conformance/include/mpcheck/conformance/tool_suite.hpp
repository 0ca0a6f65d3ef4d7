#pragma once
// The tool interoperability suite: drives one packaging tool (a ToolProfile) through the
// fixture layouts and checks what it produced, with the validator and against the source:
// manifest digest and bytes, artifactType, annotations, layer order, extracted files.
// One case per (fixture, operation), named "<tool> <operation> <fixture>".
#include <chrono>
#include <filesystem>
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
  // The corpus verdict. For an invalid fixture (or one the validator finds errors in) a tool
  // refusing it passes, and only validator errors the source does not have count.
  bool valid = true;
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

}  // namespace mpcheck::conformance
