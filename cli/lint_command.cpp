// mpcheck lint: check ModelPack configs and image manifests, one document per file.
#include <expected>
#include <iostream>

#include "commands.hpp"
#include "input.hpp"
#include "mpcheck/validator/lint.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "output.hpp"
#include "parallel.hpp"
#include "report_mapping.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

struct LintArgs {
  std::vector<std::string> files;
  std::string kind = "auto";
  OutputOptions output;
  std::string spec = "main";
  bool strict = false;
  unsigned jobs = 0;
  std::size_t max_bytes = JsonLimits{}.max_bytes;
  unsigned max_depth = JsonLimits{}.max_depth;
  std::size_t max_findings = kDefaultMaxFindingsPerRule;
};

// Reads and lints one file; the error is an I/O problem (exit code 2), not a finding.
std::expected<LintResult, std::string> lint_file(const std::string& file,
                                                 const LintOptions& options,
                                                 const std::string& spec) {
  auto input = read_input(file, options.limits.max_bytes);
  if (!input) return std::unexpected(input.error());
  if (!input->over_limit) return lint_document(std::move(input->bytes), options);
  LintResult result;
  std::string size = input->total_size ? "document is " + std::to_string(*input->total_size) +
                                             " bytes; the limit is "
                                       : std::string("document is larger than the limit of ");
  auto d = make_diagnostic(
      "MPJ007",
      size + std::to_string(options.limits.max_bytes) + " bytes (raise it with --max-bytes)", "",
      spec);
  d.line = d.column = 1;
  result.kind = options.kind == DocumentKind::Auto ? DocumentKind::Config : options.kind;
  result.diagnostics.push_back(std::move(d));
  return result;
}

int run_lint(const LintArgs& args) {
  LintOptions options;
  options.kind = args.kind == "config"     ? DocumentKind::Config
                 : args.kind == "manifest" ? DocumentKind::Manifest
                                           : DocumentKind::Auto;
  options.spec = args.spec == "v0.0.7" ? SpecVersion::V0_0_7 : SpecVersion::Main;
  options.limits.max_bytes = args.max_bytes;
  options.limits.max_depth = args.max_depth;
  options.max_findings_per_rule = args.max_findings;

  // Files are read, checked and mapped onto the report model in parallel; results are reported
  // in command-line order.
  static constexpr RuleScope kConfigScopes[] = {RuleScope::Config};
  static constexpr RuleScope kManifestScopes[] = {RuleScope::Manifest};
  std::vector<std::expected<reports::Suite, std::string>> suites(args.files.size());
  std::vector<char> skipped(args.files.size(), 0);
  parallel_for(args.files.size(), args.jobs, [&](std::size_t i) {
    auto result = lint_file(args.files[i], options, args.spec);
    if (!result) {
      suites[i] = std::unexpected(std::move(result.error()));
      return;
    }
    if (result->not_modelpack) {
      skipped[i] = 1;
      return;
    }
    bool is_manifest = result->kind == DocumentKind::Manifest;
    suites[i] = make_suite(args.files[i] == "-" ? "<stdin>" : args.files[i],
                           std::string(to_string(result->kind)),
                           is_manifest ? std::span<const RuleScope>(kManifestScopes)
                                       : std::span<const RuleScope>(kConfigScopes),
                           result->diagnostics, args.strict);
  });

  reports::Run run;
  run.tool_version = MPCHECK_VERSION;
  run.command = "lint";
  run.spec = args.spec;
  run.rules = rule_infos(args.spec);
  run.configuration = {{"kind", args.kind},
                       {"spec", args.spec},
                       {"strict", args.strict ? "true" : "false"},
                       {"max-bytes", std::to_string(args.max_bytes)},
                       {"max-depth", std::to_string(args.max_depth)},
                       {"max-findings", std::to_string(args.max_findings)}};
  run.suites.reserve(suites.size());
  for (std::size_t i = 0; i < suites.size(); ++i) {
    auto& suite = suites[i];
    if (skipped[i]) {
      // A note, not a finding: the file counts neither as checked nor as invalid.
      std::cerr << "mpcheck: " << (args.files[i] == "-" ? "<stdin>" : args.files[i])
                << ": skipped: not a ModelPack document (no config or manifest member; "
                   "--kind config checks it anyway)\n";
      continue;
    }
    if (suite)
      run.suites.push_back(std::move(*suite));
    else
      add_problem(run, std::move(suite.error()), args.output);
  }
  return emit(run, args.output);
}

}  // namespace

void add_lint_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<LintArgs>();
  auto* cmd = app.add_subcommand(
      "lint", "Check ModelPack config.json and image manifest files against the spec");
  cmd->add_option("files", args->files, "Files to check; - reads standard input")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--kind", args->kind, "Document kind; auto detects it from the content")
      ->check(CLI::IsMember({"auto", "config", "manifest"}))
      ->capture_default_str();
  add_output_options(*cmd, args->output);
  cmd->add_option("--spec", args->spec, "ModelPack spec version to check against")
      ->check(CLI::IsMember({"main", "v0.0.7"}))
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Warnings fail too (exit 1)");
  cmd->add_option("-j,--jobs", args->jobs, "Files checked in parallel (0 = one per core)")
      ->capture_default_str();
  cmd->add_option("--max-bytes", args->max_bytes, "Largest document accepted, in bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--max-depth", args->max_depth, "Deepest JSON nesting accepted")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  cmd->add_option("--max-findings", args->max_findings,
                  "Findings shown per rule and document; the rest are counted (0 = all)")
      ->capture_default_str();
  cmd->callback([&runner, args] { runner = [args] { return run_lint(*args); }; });
}

}  // namespace mpcheck::cli
