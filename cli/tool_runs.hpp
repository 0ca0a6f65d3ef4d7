#pragma once
// Running tool suites (docs/tools.md): shared by `mpcheck tools` and `mpcheck conformance --tool`.
#include <CLI/CLI.hpp>
#include <expected>
#include <string>
#include <vector>

#include "mpcheck/conformance/registry_config.hpp"
#include "mpcheck/reports/model.hpp"

namespace mpcheck::cli {

struct ToolRunArgs {
  std::vector<std::string> tools;     // built-in profile names
  std::vector<std::string> profiles;  // profile files
  std::vector<std::string> operations;
  std::string only = "*";  // fixture glob
  bool include_invalid = false;
  std::string work_dir;
  bool keep_work = false;
  int timeout = 300;  // seconds one tool command may run
  std::string repository_prefix = "mpcheck-tools";
};

// Registers the tool options; `fixture_flag` names the fixture-glob option ("--only" for
// `mpcheck tools`, "--tool-fixtures" where --only means something else).
void add_tool_run_options(CLI::App& cmd, ToolRunArgs& args, const std::string& fixture_flag);

// Runs each selected profile's suite against `registry` over freshly generated fixtures; the
// last suite is the interoperability matrix. The error says why nothing could run.
std::expected<std::vector<reports::Suite>, std::string> run_tool_suites(
    const ToolRunArgs& args, const conformance::RegistryConfig& registry, bool all_by_default);

}  // namespace mpcheck::cli
