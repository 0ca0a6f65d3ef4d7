#include "tool_runs.hpp"

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <iostream>

#include "mpcheck/conformance/tool_matrix.hpp"
#include "mpcheck/conformance/tool_runner.hpp"
#include "mpcheck/conformance/tool_suite.hpp"
#include "mpcheck/fixtures/generator.hpp"

namespace mpcheck::cli {
namespace {

namespace fs = std::filesystem;
using namespace mpcheck::conformance;

// A fixture name usable in a repository path and as one word of a case name.
std::string fixture_id(const fixtures::CorpusEntry& e) {
  std::string id = e.name;
  if (!e.ref.empty()) {
    id += "-";
    for (char c : e.ref)
      id += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '-';
  }
  return id;
}

}  // namespace

void add_tool_run_options(CLI::App& cmd, ToolRunArgs& args, const std::string& fixture_flag) {
  cmd.add_option("--tool", args.tools,
                 "A built-in tool profile to run: skopeo, oras, crane, regctl, modctl, kit "
                 "(repeatable)");
  cmd.add_option("--tool-profile", args.profiles, "A tool profile YAML file to run (repeatable)");
  cmd.add_option("--operation", args.operations,
                 "Only this tool operation (repeatable): layout-to-registry, registry-to-layout, "
                 "registry-to-registry, pull-or-extract-to-dir, build-from-model-dir");
  cmd.add_option(fixture_flag, args.only, "Only fixtures whose name matches this glob (tools)")
      ->capture_default_str();
  cmd.add_flag("--include-invalid", args.include_invalid,
               "Tools also get the invalid fixtures (only new validator errors count against "
               "a tool)");
  cmd.add_option("--work-dir", args.work_dir, "Tools' scratch directory (default: temporary)");
  cmd.add_flag("--keep-work", args.keep_work, "Keep what the tools wrote, for inspection");
  cmd.add_option("--timeout", args.timeout, "Seconds one tool command may run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd.add_option("--repository-prefix", args.repository_prefix,
                 "Repositories the tools use are PREFIX/TOOL/FIXTURE")
      ->capture_default_str();
}

std::expected<std::vector<reports::Suite>, std::string> run_tool_suites(
    const ToolRunArgs& args, const RegistryConfig& registry, bool all_by_default) {
  // Profiles: named built-ins, files, or every built-in when neither is given.
  std::vector<ToolProfile> profiles;
  std::vector<std::string> names = args.tools;
  if (names.empty() && args.profiles.empty() && all_by_default) names = builtin_tool_names();
  for (const auto& name : names) {
    auto p = builtin_tool_profile(name);
    if (!p) return std::unexpected(p.error());
    profiles.push_back(std::move(*p));
  }
  for (const auto& file : args.profiles) {
    auto p = load_tool_profile(file);
    if (!p) return std::unexpected("tool profile " + p.error());
    profiles.push_back(std::move(*p));
  }

  ToolSuiteContext ctx;
  for (const auto& name : args.operations) {
    auto op = parse_tool_operation(name);
    if (!op) return std::unexpected("unknown operation \"" + name + "\"");
    ctx.operations.push_back(*op);
  }
  ctx.registry = registry;
  ctx.repository_prefix = args.repository_prefix;
  ctx.timeout = std::chrono::seconds(args.timeout);
  ctx.keep_work = args.keep_work;

  // Scratch space: the given dir, or a fresh temporary one removed at the end.
  fs::path work = args.work_dir;
  bool remove_work = false;
  if (work.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-tools-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) return std::unexpected("cannot create a temporary directory");
    work = tmpl;
    remove_work = !args.keep_work;
  }
  std::error_code ec;
  fs::create_directories(work, ec);
  ctx.work_dir = work / "work";
  ctx.fixtures_dir = work / "fixtures";

  auto corpus = fixtures::corpus();
  if (!corpus) return std::unexpected("fixture corpus: " + corpus.error());
  auto entries = fixtures::generate_corpus(*corpus, ctx.fixtures_dir, {args.only, false});
  if (!entries) return std::unexpected(entries.error());
  for (const auto& e : *entries) {
    if (e.expect != fixtures::Expect::Valid && !args.include_invalid) continue;
    ctx.fixtures.push_back({fixture_id(e), ctx.fixtures_dir / e.path,
                            e.ref.empty() ? "latest" : e.ref, e.expect == fixtures::Expect::Valid});
  }
  if (ctx.fixtures.empty())
    return std::unexpected(std::string("no ") + (args.include_invalid ? "" : "valid ") +
                           "fixture matches \"" + args.only + "\"");

  std::vector<reports::Suite> suites;
  for (const auto& p : profiles) {
    if (isatty(STDERR_FILENO)) std::cerr << "mpcheck: running " << p.name << "...\n";
    suites.push_back(run_tool_suite(p, ctx));
  }
  if (!suites.empty()) suites.push_back(matrix_suite(interop_matrix(suites)));
  if (remove_work) fs::remove_all(work, ec);
  return suites;
}

}  // namespace mpcheck::cli
