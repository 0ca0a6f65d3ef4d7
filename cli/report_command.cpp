// mpcheck report merge: one report from the results.json files of several shards (a CI matrix,
// a Kubernetes Indexed Job), written like any command's --report-dir.
#include <iostream>

#include "commands.hpp"
#include "mpcheck/reports/report_dir.hpp"
#include "output.hpp"

namespace mpcheck::cli {
namespace {

struct MergeArgs {
  std::vector<std::string> inputs;
  OutputOptions output;
  std::size_t max_bytes = reports::kMaxResultsJsonBytes;
};

int run_merge(const MergeArgs& args) {
  std::vector<reports::Run> runs;
  for (const auto& path : args.inputs) {
    auto run = reports::read_results_json(path, args.max_bytes);
    if (!run) {
      std::cerr << "mpcheck: " << run.error() << '\n';
      return kExitUsage;
    }
    runs.push_back(std::move(*run));
  }
  return emit(reports::merge_runs(runs), args.output);
}

}  // namespace

void add_report_command(CLI::App& app, Runner& runner) {
  auto* report = app.add_subcommand("report", "Work with report files");
  report->require_subcommand(1);
  auto args = std::make_shared<MergeArgs>();
  auto* merge = report->add_subcommand(
      "merge", "Merge results.json files of several runs (shards) into one report directory");
  merge->add_option("results", args->inputs, "results.json files to merge")
      ->required()
      ->expected(1, -1)
      ->check(CLI::ExistingFile);
  add_output_options(*merge, args->output, "--report-dir,--out");
  merge->add_option("--max-bytes", args->max_bytes, "Largest results.json accepted, in bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  merge->callback([&runner, args] { runner = [args] { return run_merge(*args); }; });
}

}  // namespace mpcheck::cli
