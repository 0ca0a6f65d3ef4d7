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
#include "mpcheck/conformance/endpoint_probe.hpp"
#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/conformance/tool_matrix.hpp"
#include "mpcheck/conformance/tool_runner.hpp"
#include "mpcheck/conformance/tool_suite.hpp"
#include "mpcheck/fixtures/generator.hpp"
#include "output.hpp"
#include "registry_options.hpp"
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
  RegistryTimeouts timeouts;
  OutputOptions output;
};

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
  apply(args.timeouts, registry);
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
  if (auto reachable = probe_endpoint(registry); !reachable) {
    std::cerr << "mpcheck: tools: " << reachable.error() << '\n';
    return kExitUsage;
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
  // The matrix first, as docs/tools.md shows it; then every case and the verdict.
  if (args.output.format == "text")
    std::cout << render_matrix_markdown(interop_matrix(run.suites)) << '\n';
  return emit(run, args.output);
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
  add_registry_timeout_options(*cmd, args->timeouts);
  cmd->add_flag("--list", args->list,
                "List the built-in tool profiles and whether each is installed");
  add_output_options(*cmd, args->output);
  cmd->callback([&runner, args] { runner = [args] { return run_tools(*args); }; });
}

}  // namespace mpcheck::cli
