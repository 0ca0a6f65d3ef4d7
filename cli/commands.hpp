#pragma once
// Each subcommand registers itself on the app and leaves a runner that returns the exit code.
#include <CLI/CLI.hpp>
#include <functional>

namespace mpcheck::cli {

// Exit codes, documented in docs/usage.md.
inline constexpr int kExitOk = 0;        // no errors (warnings allowed unless --strict)
inline constexpr int kExitFindings = 1;  // findings, or not conformant
inline constexpr int kExitUsage = 2;     // usage or I/O error, or could not run

using Runner = std::function<int()>;

void add_lint_command(CLI::App& app, Runner& runner);
void add_rules_command(CLI::App& app, Runner& runner);
void add_report_command(CLI::App& app, Runner& runner);
void add_validate_command(CLI::App& app, Runner& runner);
void add_fixtures_command(CLI::App& app, Runner& runner);
void add_conformance_command(CLI::App& app, Runner& runner);
void add_tools_command(CLI::App& app, Runner& runner);

}  // namespace mpcheck::cli
