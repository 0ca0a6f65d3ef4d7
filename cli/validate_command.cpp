// mpcheck validate: verify whole model artifacts (layout directories or layout tar archives)
// in one streaming pass per blob.
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "mpcheck/validator/artifact_validator.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "output.hpp"
#include "report_mapping.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

struct ValidateArgs {
  std::vector<std::string> targets;
  std::string ref;
  unsigned jobs = 0;
  std::string format = "text";
  std::string spec = "main";
  bool strict = false;
  double max_ratio = kDefaultMaxRatio;
  std::uint64_t max_entries = kDefaultMaxEntries;
};

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1 << 20));
  return buf;
}

int run_validate(const ValidateArgs& args) {
  ValidateOptions options;
  options.ref = args.ref;
  options.jobs = args.jobs;
  options.spec = args.spec == "v0.0.7" ? SpecVersion::V0_0_7 : SpecVersion::Main;
  options.limits.max_ratio = args.max_ratio;
  options.limits.max_entries = args.max_entries;

  reports::Run run;
  run.tool_version = MPCHECK_VERSION;
  run.command = "validate";
  run.spec = args.spec;
  run.rules = rule_infos(args.spec);
  run.configuration["max-ratio"] = std::to_string(args.max_ratio);
  run.configuration["max-entries"] = std::to_string(args.max_entries);
  if (!args.ref.empty()) run.configuration["ref"] = args.ref;

  static constexpr RuleScope kScopes[] = {RuleScope::Config, RuleScope::Manifest,
                                          RuleScope::Artifact, RuleScope::Layer};
  static constexpr RuleScope kLayoutScopes[] = {RuleScope::Artifact};
  bool io_error = false;
  bool tty = isatty(STDERR_FILENO);
  for (const auto& target : args.targets) {
    auto source = open_artifact(target);
    if (!source) {
      std::cerr << "mpcheck: " << source.error() << '\n';
      io_error = true;
      continue;
    }
    if (tty)
      options.progress = [&target](const ValidateProgress& p) {
        std::cerr << "\r\033[Kvalidate " << target << ": " << mib(p.bytes_read) << " / "
                  << mib(p.bytes_total) << ", " << p.layers_done << "/" << p.layers_total
                  << " layers" << std::flush;
      };
    auto result = validate_artifact(**source, options);
    if (tty) std::cerr << "\r\033[K" << std::flush;
    if (!result) {
      std::cerr << "mpcheck: " << target << ": " << result.error() << '\n';
      io_error = true;
      continue;
    }
    if (result->manifests.empty()) {
      run.suites.push_back(
          make_suite(target, "layout", kLayoutScopes, result->layout_diagnostics, args.strict));
      continue;
    }
    for (auto& m : result->manifests) {
      std::vector<Diagnostic> diags = result->layout_diagnostics;
      diags.insert(diags.end(), m.diagnostics.begin(), m.diagnostics.end());
      std::string name = target + "@" + m.digest;
      if (!m.ref_name.empty()) name += " (" + m.ref_name + ")";
      run.suites.push_back(make_suite(name, "artifact", kScopes, diags, args.strict));
    }
  }
  auto counts = reports::count(run);
  run.verdict = counts.failed == 0 ? "valid" : "invalid";
  write_output(run, parse_format(args.format));
  if (io_error) return kExitUsage;
  return counts.failed == 0 ? kExitOk : kExitFindings;
}

}  // namespace

void add_validate_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand(
      "validate",
      "Verify model artifacts: OCI layout directories or layout tar archives, every blob, "
      "diffID and layer entry");
  cmd->add_option("targets", args->targets, "OCI image layout directories or .tar archives")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--ref", args->ref,
                  "Only the manifest with this org.opencontainers.image.ref.name or digest");
  cmd->add_option("--jobs,-j", args->jobs, "Layers read in parallel (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--spec", args->spec, "ModelPack spec version to check against")
      ->check(CLI::IsMember({"main", "v0.0.7"}))
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Warnings fail too (exit 1)");
  cmd->add_option("--max-ratio", args->max_ratio,
                  "Largest decompressed/compressed size ratio of a layer (zip-bomb bound)")
      ->check(CLI::Range(1.0, 1e9))
      ->capture_default_str();
  cmd->add_option("--max-entries", args->max_entries, "Most tar entries read in one layer")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->callback([&runner, args] { runner = [args] { return run_validate(*args); }; });
}

}  // namespace mpcheck::cli
