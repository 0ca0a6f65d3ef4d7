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
  std::string out_dir;
  std::string format = "text";
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
  reports::Run merged = reports::merge_runs(runs);
  if (!emit(merged, {args.format, args.out_dir})) return kExitUsage;
  return reports::verdict_is_negative(merged.verdict) ? kExitFindings : kExitOk;
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
  merge->add_option("--out", args->out_dir, "Directory for the merged report files")->required();
  merge->add_option("--format", args->format, "Output format on standard output")
      ->check(CLI::IsMember(std::vector<std::string>(kFormatNames.begin(), kFormatNames.end())))
      ->capture_default_str();
  merge->add_option("--max-bytes", args->max_bytes, "Largest results.json accepted, in bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  merge->callback([&runner, args] { runner = [args] { return run_merge(*args); }; });
}

}  // namespace mpcheck::cli
