// mpcheck: ModelPack conformance and validation suite.
//
// Two executables are built from this file. `mpcheck-full` has every command. `mpcheck` is the
// one users run: it handles the lightweight commands (lint, rules) itself, linking no HTTP,
// archive or XML library, so a one-file lint starts in a few milliseconds; for anything else it
// executes `mpcheck-full` with the same arguments: from MPCHECK_FULL_RELPATH next to itself when
// installed (bin/mpcheck -> libexec/mpcheck/mpcheck-full), else from its own directory (build
// tree).
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "commands.hpp"
#include "git_commit.hpp"
#include "output.hpp"
#include "version.hpp"
#ifndef MPCHECK_LEAN
#include "manual.hpp"
#endif

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
  auto dir = (ec ? std::filesystem::path(argv[0]) : self).parent_path();
  auto installed = dir / MPCHECK_FULL_RELPATH;
  auto full = access(installed.c_str(), X_OK) == 0 ? installed : dir / "mpcheck-full";
  execv(full.c_str(), argv);
  std::cerr << "mpcheck: cannot run " << full.string() << " (nor " << installed.string()
            << "): " << std::strerror(errno) << '\n';
  return mpcheck::cli::kExitUsage;
}
#else
// Hidden options the build uses to generate man pages and completions from the definitions.
bool generate(const CLI::App& app, int argc, char** argv, int& rc) {
  if (argc != 3) return false;
  std::string_view what = argv[1];
  if (what == "--generate-man") {
    auto written = mpcheck::cli::write_man_pages(app, argv[2], MPCHECK_VERSION);
    if (!written) std::cerr << "mpcheck: " << written.error() << '\n';
    rc = written ? 0 : mpcheck::cli::kExitUsage;
    return true;
  }
  if (what == "--generate-completion") {
    auto script = mpcheck::cli::completion_script(app, argv[2]);
    if (script.empty()) std::cerr << "mpcheck: no completion for shell " << argv[2] << '\n';
    std::cout << script;
    rc = script.empty() ? mpcheck::cli::kExitUsage : 0;
    return true;
  }
  return false;
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
  app.set_version_flag("--version", "mpcheck " MPCHECK_VERSION " (commit " MPCHECK_GIT_COMMIT ")");
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
  if (int rc = 0; generate(app, argc, argv, rc)) return rc;
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
