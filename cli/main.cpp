// mpcheck: ModelPack conformance and validation suite.
#include <cstdio>
#include <exception>
#include <iostream>

#include "commands.hpp"
#include "version.hpp"

int main(int argc, char** argv) {
  using namespace mpcheck::cli;
  CLI::App app{"mpcheck " MPCHECK_VERSION
               ": conformance and validation suite for CNCF ModelPack model artifacts"};
  app.set_version_flag("--version", "mpcheck " MPCHECK_VERSION);
  app.require_subcommand(1);
  Runner runner;
  add_lint_command(app, runner);
  add_rules_command(app, runner);
  add_fixtures_command(app, runner);
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
