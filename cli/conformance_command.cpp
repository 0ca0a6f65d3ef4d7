// mpcheck conformance: certify an OCI registry for ModelPack artifacts. Settings come from
// --config FILE, then MPCHECK_* variables, then flags; the report goes through emit().
#include <iostream>
#include <optional>
#include <string>

#include "commands.hpp"
#include "mpcheck/conformance/conformance_case.hpp"
#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/suite.hpp"
#include "mpcheck/reports/redact.hpp"
#include "output.hpp"
#include "tool_runs.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

using namespace mpcheck::conformance;

struct ConformanceArgs {
  std::string config_file;
  std::optional<std::string> registry, repo, tls, ca_file, username, profile, only;
  std::optional<std::string> connect_timeout, stall_timeout, request_timeout, large_layer_size;
  bool password_stdin = false;
  bool read_only = false, delete_enabled = false;
  bool list = false, list_markdown = false;
  std::vector<std::string> refs;
  ToolRunArgs tools;  // --tool / --tool-profile: tool suites added to the run
  OutputOptions output;
};

// A flag value through the config file's parser (single-quoted YAML, so any text stays one
// scalar); the parser's "config key KEY:" prefix becomes the flag, "--KEY:".
std::expected<void, std::string> apply_flag(SuiteSettings& s, const std::string& key,
                                            const std::string& value) {
  std::string quoted;
  for (char c : value) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  auto r = apply_yaml(s, key + ": '" + quoted + "'\n");
  if (r) return r;
  std::string error = r.error();
  std::string prefix = "config key " + key;
  if (error.starts_with(prefix)) error = "--" + key + error.substr(prefix.size());
  return std::unexpected(error);
}

// Settings in precedence order; the error is a usage error (exit 2).
std::expected<SuiteSettings, std::string> effective_settings(const ConformanceArgs& a) {
  SuiteSettings s;
  if (!a.config_file.empty())
    if (auto r = apply_yaml_file(s, a.config_file); !r) return std::unexpected(r.error());
  if (auto r = apply_env(s, process_env()); !r) return std::unexpected(r.error());
  auto set = [](auto& field, const std::optional<std::string>& v) {
    if (v) field = *v;
  };
  set(s.registry, a.registry);
  set(s.repo, a.repo);
  set(s.only, a.only);
  if (a.ca_file) s.ca_file = a.ca_file;
  if (a.username) s.username = a.username;
  if (a.tls) {
    auto t = parse_tls_mode(*a.tls);
    if (!t) return std::unexpected(t.error());
    s.tls = *t;
  }
  if (a.profile) {
    auto p = parse_profile(*a.profile);
    if (!p) return std::unexpected(p.error());
    s.profile = *p;
  }
  // The size/timeout flags share the file's parsers; an error names the flag the user typed.
  for (auto [key, value] : {std::pair{"connect-timeout", &a.connect_timeout},
                            std::pair{"stall-timeout", &a.stall_timeout},
                            std::pair{"request-timeout", &a.request_timeout},
                            std::pair{"large-layer-size", &a.large_layer_size}})
    if (*value)
      if (auto r = apply_flag(s, key, **value); !r) return std::unexpected(r.error());
  if (a.read_only) s.read_only = true;
  if (a.delete_enabled) s.delete_enabled = true;
  if (!a.refs.empty()) s.refs = a.refs;
  if (!a.output.report_dir.empty()) s.report_dir = a.output.report_dir;
  if (a.password_stdin) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::unexpected("--password-stdin: nothing on stdin");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    s.password = line;
  }
  if (auto ok = check(s); !ok) return std::unexpected(ok.error());
  return s;
}

int run_conformance(const ConformanceArgs& args) {
  if (args.list || args.list_markdown) {
    std::cout << (args.list_markdown ? cases_markdown() : cases_text());
    return kExitOk;
  }
  auto settings = effective_settings(args);
  if (!settings) {
    std::cerr << "mpcheck conformance: " << reports::redact(settings.error()) << '\n';
    return kExitUsage;
  }
  SuiteOptions options;
  options.settings = *settings;
  options.tool_version = MPCHECK_VERSION;
  if (settings->username && settings->password) {
    options.credentials = Credentials{*settings->username, *settings->password};
  } else {
    auto resolved = resolve_credentials(settings->registry, std::nullopt);
    if (!resolved) {
      std::cerr << "mpcheck conformance: credentials: " << resolved.error() << '\n';
      return kExitUsage;
    }
    options.credentials = *resolved;
  }
  // Each case on stderr as it finishes, so a long run is never silent; the report on stdout.
  std::size_t finished = 0;
  options.on_case = [&finished](const reports::Case& c) {
    std::cerr << "mpcheck: [" << ++finished << "] " << reports::to_string(c.status) << ' ' << c.name
              << '\n';
  };
  options.on_progress = [](const std::string& line) { std::cerr << "mpcheck: " << line << '\n'; };
  auto run = run_suite(options);
  if (!run) {
    std::cerr << "mpcheck conformance: " << reports::redact(run.error()) << '\n';
    return kExitUsage;
  }
  if (!args.tools.tools.empty() || !args.tools.profiles.empty()) {
    auto suites =
        run_tool_suites(args.tools, registry_config(*settings, options.credentials), false);
    if (!suites) {
      std::cerr << "mpcheck conformance: tools: " << reports::redact(suites.error()) << '\n';
      return kExitUsage;
    }
    for (auto& s : *suites) run->suites.push_back(std::move(s));
  }
  OutputOptions output = args.output;
  output.report_dir = settings->report_dir;
  return emit(*run, output);
}

}  // namespace

void add_conformance_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ConformanceArgs>();
  auto* cmd = app.add_subcommand(
      "conformance", "Certify an OCI registry for ModelPack artifacts (distribution-spec cases)");
  cmd->add_option("--config", args->config_file, "YAML file with the settings below")
      ->check(CLI::ExistingFile);
  cmd->add_option("--registry", args->registry, "Registry host[:port]");
  cmd->add_option("--repo", args->repo, "Repository to push to (default mpcheck/conformance)");
  cmd->add_option("--tls", args->tls, "enabled (default), insecure (no verification), disabled")
      ->check(CLI::IsMember({"enabled", "insecure", "disabled"}));
  cmd->add_option("--ca-file", args->ca_file, "PEM CA bundle to verify the registry with");
  cmd->add_option("--username", args->username, "Registry user (password from --password-stdin)");
  cmd->add_flag("--password-stdin", args->password_stdin, "Read the password from stdin");
  cmd->add_option("--profile", args->profile, "quick (default) or full (all fixtures, large layer)")
      ->check(CLI::IsMember({"quick", "full"}));
  cmd->add_option("--only", args->only,
                  "Run only cases whose name matches one of these comma-separated globs");
  cmd->add_flag("--read-only", args->read_only,
                "Only pull and validate the artifacts named by --ref (production registries)");
  cmd->add_option("--ref", args->refs, "Read-only: tag, repo:tag or repo@digest to pull");
  cmd->add_flag("--delete", args->delete_enabled, "Also check deletes (tags, manifests, blobs)");
  cmd->add_flag("--list", args->list,
                "List the cases (id, required or optional, what each checks)");
  cmd->add_flag("--list-markdown", args->list_markdown,
                "The case table of docs/certify-a-registry.md, with each case's spec sentence");
  cmd->add_option("--connect-timeout", args->connect_timeout, "Seconds to connect");
  cmd->add_option("--stall-timeout", args->stall_timeout,
                  "Seconds a transfer may stall before it fails");
  cmd->add_option("--request-timeout", args->request_timeout,
                  "Seconds a request that moves no blob may take in all");
  cmd->add_option("--large-layer-size", args->large_layer_size,
                  "Full profile: size of the large layer round trip (e.g. 2GiB)");
  add_tool_run_options(*cmd, args->tools, "--tool-fixtures");
  add_output_options(*cmd, args->output);
  cmd->callback([&runner, args] { runner = [args] { return run_conformance(*args); }; });
}

}  // namespace mpcheck::cli
