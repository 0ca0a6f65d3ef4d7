// mpcheck tools: drive packaging tools (skopeo, oras, crane, regctl, modctl, kit) through the
// fixture corpus against a registry and validate what they produce (docs/tools.md).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/conformance/tool_matrix.hpp"
#include "mpcheck/conformance/tool_runner.hpp"
#include "mpcheck/conformance/tool_suite.hpp"
#include "mpcheck/fixtures/generator.hpp"
#include "output.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

namespace fs = std::filesystem;
using namespace mpcheck::conformance;

struct ToolsArgs {
  std::string registry;
  std::string tls = "enabled";
  std::string ca_file;
  std::vector<std::string> tools;
  std::vector<std::string> profiles;
  std::vector<std::string> operations;
  std::string only = "*";
  bool include_invalid = false;
  std::string work_dir;
  bool keep_work = false;
  int timeout = static_cast<int>(kToolTimeout.count());
  std::string repository_prefix = "mpcheck-tools";
  bool list = false;
  OutputOptions output;
};

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

// One line per case, then the matrix as Markdown (the same table docs/tools.md shows).
void write_text_summary(const reports::Run& run) {
  std::size_t counts[4] = {0, 0, 0, 0};
  for (const auto& s : run.suites) {
    if (s.kind != "tool") continue;
    for (const auto& c : s.cases) {
      ++counts[static_cast<int>(c.status)];
      std::string word = c.status == reports::Status::Pass   ? "PASS "
                         : c.status == reports::Status::Fail ? "FAIL "
                         : c.status == reports::Status::Skip ? "SKIP "
                                                             : "ERROR";
      std::string line = word + " " + c.name;
      if (!c.message.empty()) line += ": " + c.message;
      for (char& ch : line)
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
      std::cout << line << '\n';
    }
  }
  std::cout << '\n'
            << render_matrix_markdown(interop_matrix(run.suites)) << '\n'
            << counts[0] << " passed, " << counts[1] << " failed, " << counts[2] << " skipped, "
            << counts[3] << " errors\n";
}

int run_list() {
  for (const auto& name : builtin_tool_names()) {
    auto p = builtin_tool_profile(name);
    if (!p) {
      std::cerr << "mpcheck: " << p.error() << '\n';
      return kExitUsage;
    }
    std::string ops;
    for (const auto& [op, steps] : p->operations)
      ops += (ops.empty() ? "" : ",") + std::string(to_string(op));
    auto where = find_executable(p->detect.argv.front());
    std::cout << name << '\t' << (where ? where->string() : "not installed") << '\t' << ops << '\n';
  }
  return kExitOk;
}

int run_tools(const ToolsArgs& args) {
  if (args.list) return run_list();
  if (args.registry.empty()) {
    std::cerr << "mpcheck: tools: --registry HOST:PORT is required (every operation goes "
                 "through a registry)\n";
    return kExitUsage;
  }

  // Profiles: named built-ins, files, or every built-in when neither is given.
  std::vector<ToolProfile> profiles;
  std::vector<std::string> names = args.tools;
  if (names.empty() && args.profiles.empty()) names = builtin_tool_names();
  for (const auto& name : names) {
    auto p = builtin_tool_profile(name);
    if (!p) {
      std::cerr << "mpcheck: " << p.error() << '\n';
      return kExitUsage;
    }
    profiles.push_back(std::move(*p));
  }
  for (const auto& file : args.profiles) {
    auto p = load_tool_profile(file);
    if (!p) {
      std::cerr << "mpcheck: tool profile " << p.error() << '\n';
      return kExitUsage;
    }
    profiles.push_back(std::move(*p));
  }

  ToolSuiteContext ctx;
  for (const auto& name : args.operations) {
    auto op = parse_tool_operation(name);
    if (!op) {
      std::cerr << "mpcheck: unknown operation \"" << name << "\"\n";
      return kExitUsage;
    }
    ctx.operations.push_back(*op);
  }
  ctx.registry.host = args.registry;
  ctx.registry.tls = args.tls == "disabled"   ? TlsMode::Disabled
                     : args.tls == "insecure" ? TlsMode::Insecure
                                              : TlsMode::Enabled;
  if (!args.ca_file.empty()) ctx.registry.ca_file = args.ca_file;
  auto creds = resolve_credentials(args.registry, std::nullopt);
  if (!creds) {
    std::cerr << "mpcheck: credentials: " << creds.error() << '\n';
    return kExitUsage;
  }
  ctx.registry.credentials = *creds;
  ctx.repository_prefix = args.repository_prefix;
  ctx.timeout = std::chrono::seconds(args.timeout);
  ctx.keep_work = args.keep_work;

  {
    RegistryConfig probe_config = ctx.registry;
    probe_config.max_retries = 0;
    RegistryClient probe(probe_config);
    auto ping = probe.ping();
    if (!ping && ping.error().http_status == 0) {
      std::cerr << "mpcheck: registry " << args.registry
                << " is not reachable: " << ping.error().describe() << '\n';
      return kExitUsage;
    }
  }

  // Scratch space: the given dir, or a fresh temporary one removed at the end.
  fs::path work = args.work_dir;
  bool remove_work = false;
  if (work.empty()) {
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-tools-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) {
      std::cerr << "mpcheck: cannot create a temporary directory\n";
      return kExitUsage;
    }
    work = tmpl;
    remove_work = !args.keep_work;
  }
  std::error_code ec;
  fs::create_directories(work, ec);
  ctx.work_dir = work / "work";
  ctx.fixtures_dir = work / "fixtures";

  auto corpus = fixtures::corpus();
  if (!corpus) {
    std::cerr << "mpcheck: fixture corpus: " << corpus.error() << '\n';
    return kExitUsage;
  }
  auto entries = fixtures::generate_corpus(*corpus, ctx.fixtures_dir, {args.only, false});
  if (!entries) {
    std::cerr << "mpcheck: " << entries.error() << '\n';
    return kExitUsage;
  }
  for (const auto& e : *entries) {
    if (e.expect != fixtures::Expect::Valid && !args.include_invalid) continue;
    ctx.fixtures.push_back({fixture_id(e), ctx.fixtures_dir / e.path,
                            e.ref.empty() ? "latest" : e.ref, e.expect == fixtures::Expect::Valid});
  }
  if (ctx.fixtures.empty()) {
    std::cerr << "mpcheck: no " << (args.include_invalid ? "" : "valid ") << "fixture matches \""
              << args.only << "\"\n";
    return kExitUsage;
  }

  reports::Run run;
  run.tool_version = MPCHECK_VERSION;
  run.command = "tools";
  run.configuration["registry"] = args.registry;
  run.configuration["tls"] = args.tls;
  run.configuration["fixtures"] = std::to_string(ctx.fixtures.size()) + " (" + args.only + ")";
  run.configuration["timeout"] = std::to_string(args.timeout) + " s";
  std::string tool_list;
  for (const auto& p : profiles) tool_list += (tool_list.empty() ? "" : ", ") + p.name;
  run.configuration["tools"] = tool_list;

  for (const auto& p : profiles) {
    if (isatty(STDERR_FILENO)) std::cerr << "mpcheck: running " << p.name << "...\n";
    run.suites.push_back(run_tool_suite(p, ctx));
  }
  bool broken = false;
  for (const auto& s : run.suites)
    for (const auto& c : s.cases)
      broken |= c.status == reports::Status::Fail || c.status == reports::Status::Error;
  run.suites.push_back(matrix_suite(interop_matrix(run.suites)));
  run.verdict = broken ? "not-conformant" : "conformant";
  bool written = true;
  if (args.output.format == "text") {
    // The lint/validate text writer shows findings only; here every case matters.
    write_text_summary(run);
    if (!args.output.report_dir.empty()) written = write_report_files(run, args.output.report_dir);
  } else {
    written = emit(run, args.output);
  }
  if (remove_work) fs::remove_all(work, ec);
  if (!written) return kExitUsage;
  return broken ? kExitFindings : kExitOk;
}

}  // namespace

void add_tools_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ToolsArgs>();
  auto* cmd = app.add_subcommand(
      "tools",
      "Drive packaging tools (skopeo, oras, crane, regctl, modctl, kit) through the fixtures "
      "against a registry and validate what they produce");
  cmd->add_option("--registry", args->registry,
                  "Registry the tools push to and pull from (HOST:PORT)");
  cmd->add_option("--tls", args->tls, "TLS to the registry")
      ->check(CLI::IsMember({"enabled", "insecure", "disabled"}))
      ->capture_default_str();
  cmd->add_option(
      "--ca-file", args->ca_file,
      "PEM bundle for the registry's certificate (mpcheck's requests; tools get it as {cert_dir})");
  cmd->add_option("--tool", args->tools,
                  "A built-in tool profile to run (repeatable; default: all)");
  cmd->add_option("--tool-profile", args->profiles, "A tool profile YAML file to run (repeatable)");
  cmd->add_option("--operation", args->operations,
                  "Only this operation (repeatable): layout-to-registry, registry-to-layout, "
                  "registry-to-registry, pull-or-extract-to-dir, build-from-model-dir");
  cmd->add_option("--only", args->only, "Only fixtures whose name matches this glob")
      ->capture_default_str();
  cmd->add_flag("--include-invalid", args->include_invalid,
                "Also use the invalid fixtures (only new validator errors count against a tool)");
  cmd->add_option("--work-dir", args->work_dir, "Scratch directory (default: a temporary one)");
  cmd->add_flag("--keep-work", args->keep_work, "Keep what the tools wrote, for inspection");
  cmd->add_option("--timeout", args->timeout, "Seconds one tool command may run")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--repository-prefix", args->repository_prefix,
                  "Repositories used are PREFIX/TOOL/FIXTURE")
      ->capture_default_str();
  cmd->add_flag("--list", args->list,
                "List the built-in tool profiles and whether each is installed");
  add_output_options(*cmd, args->output);
  cmd->callback([&runner, args] { runner = [args] { return run_tools(*args); }; });
}

}  // namespace mpcheck::cli
