// mpcheck: ModelPack conformance and validation suite.
//
// Two executables are built from this file. `mpcheck-full` has every command. `mpcheck` is the
// one users run: it handles the lightweight commands (lint, rules) itself, linking no HTTP,
// archive or XML library, so a one-file lint starts in a few milliseconds; for anything else it
// executes `mpcheck-full` from its own directory with the same arguments.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "commands.hpp"
#include "output.hpp"
#include "version.hpp"

namespace {

#ifdef MPCHECK_LEAN
// lint and rules run here, unless they ask for a report format only mpcheck-full writes.
bool handled_here(int argc, char** argv) {
  if (argc < 2) return false;
  std::string_view cmd = argv[1];
  if (cmd != "lint" && cmd != "rules") return false;
  return !mpcheck::cli::needs_full_writers(argc, argv);
}

int exec_full(char** argv) {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  auto full = (ec ? std::filesystem::path(argv[0]) : self).parent_path() / "mpcheck-full";
  execv(full.c_str(), argv);
  std::cerr << "mpcheck: cannot run " << full.string() << ": " << std::strerror(errno) << '\n';
  return mpcheck::cli::kExitUsage;
}
#endif

}  // namespace

int main(int argc, char** argv) {
  using namespace mpcheck::cli;
#ifdef MPCHECK_LEAN
  if (!handled_here(argc, argv)) return exec_full(argv);
#else
  install_report_writers();
#endif
  CLI::App app{"mpcheck " MPCHECK_VERSION
               ": conformance and validation suite for CNCF ModelPack model artifacts"};
  app.set_version_flag("--version", "mpcheck " MPCHECK_VERSION);
  app.require_subcommand(1);
  Runner runner;
  add_lint_command(app, runner);
  add_rules_command(app, runner);
#ifndef MPCHECK_LEAN
  add_report_command(app, runner);
  add_validate_command(app, runner);
  add_fixtures_command(app, runner);
  add_conformance_command(app, runner);
  add_tools_command(app, runner);
#endif
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);  // prints help/version to stdout, errors to stderr
    return e.get_exit_code() == 0 ? rc : kExitUsage;
  }
  try {
    return runner ? runner() : kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "mpcheck: internal error: " << e.what() << '\n';
    return kExitUsage;
  }
}
