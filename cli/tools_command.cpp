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
#include "tool_runs.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

namespace fs = std::filesystem;
using namespace mpcheck::conformance;

struct ToolsArgs {
  std::string registry;
  std::string tls = "enabled";
  std::string ca_file;
  ToolRunArgs run;
  bool list = false;
  OutputOptions output;
};

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

  RegistryConfig registry;
  registry.host = args.registry;
  registry.tls = args.tls == "disabled"   ? TlsMode::Disabled
                 : args.tls == "insecure" ? TlsMode::Insecure
                                          : TlsMode::Enabled;
  if (!args.ca_file.empty()) registry.ca_file = args.ca_file;
  auto creds = resolve_credentials(args.registry, std::nullopt);
  if (!creds) {
    std::cerr << "mpcheck: credentials: " << creds.error() << '\n';
    return kExitUsage;
  }
  registry.credentials = *creds;
  {
    RegistryConfig probe_config = registry;
    probe_config.max_retries = 0;
    RegistryClient probe(probe_config);
    auto ping = probe.ping();
    if (!ping && ping.error().http_status == 0) {
      std::cerr << "mpcheck: registry " << args.registry
                << " is not reachable: " << ping.error().describe() << '\n';
      return kExitUsage;
    }
  }
  auto suites = run_tool_suites(args.run, registry, true);
  if (!suites) {
    std::cerr << "mpcheck: " << suites.error() << '\n';
    return kExitUsage;
  }

  reports::Run run;
  run.tool_version = MPCHECK_VERSION;
  run.command = "tools";
  run.configuration["registry"] = args.registry;
  run.configuration["tls"] = args.tls;
  run.configuration["fixtures"] = args.run.only;
  run.configuration["timeout"] = std::to_string(args.run.timeout) + " s";
  std::string tool_list;
  for (const auto& s : *suites)
    if (s.kind == "tool") tool_list += (tool_list.empty() ? "" : ", ") + s.name.substr(7);
  run.configuration["tools"] = tool_list;
  run.suites = std::move(*suites);
  bool broken = false;
  for (const auto& s : run.suites)
    for (const auto& c : s.cases)
      broken |= c.status == reports::Status::Fail || c.status == reports::Status::Error;
  run.verdict = broken ? "not-conformant" : "conformant";
  bool written = true;
  if (args.output.format == "text") {
    // The lint/validate text writer shows findings only; here every case matters.
    write_text_summary(run);
    if (!args.output.report_dir.empty()) written = write_report_files(run, args.output.report_dir);
  } else {
    written = emit(run, args.output);
  }
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
  add_tool_run_options(*cmd, args->run, "--only");
  cmd->add_flag("--list", args->list,
                "List the built-in tool profiles and whether each is installed");
  add_output_options(*cmd, args->output);
  cmd->callback([&runner, args] { runner = [args] { return run_tools(*args); }; });
}

}  // namespace mpcheck::cli
