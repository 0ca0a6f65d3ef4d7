// mpcheck validate: verify whole model artifacts (layout directories or layout tar archives)
// in one streaming pass per blob.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/endpoint_probe.hpp"
#include "mpcheck/conformance/registry_source.hpp"
#include "mpcheck/conformance/suite_config.hpp"
#include "mpcheck/validator/artifact_validator.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "output.hpp"
#include "registry_options.hpp"
#include "report_mapping.hpp"
#include "version.hpp"

namespace mpcheck::cli {
namespace {

struct ValidateArgs {
  std::vector<std::string> targets;
  std::string ref;
  unsigned jobs = 0;
  OutputOptions output;
  std::string spec = "main";
  bool strict = false;
  double max_ratio = kDefaultMaxRatio;
  std::uint64_t max_entries = kDefaultMaxEntries;
  // Registry targets (REGISTRY/REPO:TAG or @DIGEST).
  std::string tls = "enabled";
  std::string ca_file;
  std::string username;
  bool password_stdin = false;
  RegistryTimeouts timeouts;
};

constexpr std::string_view kAcceptedForms =
    "DIR (an OCI image layout), FILE (a layout tar archive), oci:DIR[:TAG|@DIGEST], "
    "oci-archive:FILE[:TAG|@DIGEST], docker://HOST/REPO[:TAG|@DIGEST] or "
    "HOST/REPO[:TAG|@DIGEST]";

// A target as the user wrote it, resolved to a path (with the manifest it selects, like --ref)
// or a registry reference. skopeo's transports are understood: oci:, oci-archive:, docker://.
struct Target {
  std::string path;  // layout directory or archive; empty for a registry target
  std::string ref;   // tag or digest from oci:DIR:TAG / oci:DIR@DIGEST; empty = --ref
  std::optional<conformance::RegistryReference> registry;
};

bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// "DIR", "DIR:TAG" or "DIR@ALG:HEX" (a path that exists as written keeps its colons).
Target local_target(std::string_view rest) {
  std::string whole(rest);
  if (exists(whole)) return {whole, "", std::nullopt};
  if (auto at = rest.rfind('@');
      at != std::string_view::npos && rest.find(':', at) != std::string_view::npos)
    return {std::string(rest.substr(0, at)), std::string(rest.substr(at + 1)), std::nullopt};
  if (auto colon = rest.rfind(':');
      colon != std::string_view::npos && rest.find('/', colon) == std::string_view::npos)
    return {std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1)), std::nullopt};
  return {whole, "", std::nullopt};
}

std::expected<Target, std::string> parse_target(const std::string& text) {
  auto unrecognised = [&](std::string why) {
    return std::unexpected(text + ": " + why + "; validate takes " + std::string(kAcceptedForms));
  };
  if (exists(text)) return Target{text, "", std::nullopt};
  std::string_view t = text;
  for (std::string_view transport : {"oci:", "oci-archive:"}) {
    if (!t.starts_with(transport)) continue;
    Target target = local_target(t.substr(transport.size()));
    if (target.path.empty()) return unrecognised("no path after " + std::string(transport));
    if (!exists(target.path)) return unrecognised(target.path + ": no such file or directory");
    return target;
  }
  if (t.starts_with("docker://")) {
    auto ref = conformance::parse_registry_reference(t.substr(9));
    if (!ref) return unrecognised("not a registry reference (HOST/REPO:TAG or HOST/REPO@DIGEST)");
    return Target{"", "", ref};
  }
  if (auto ref = conformance::parse_registry_reference(t)) return Target{"", "", ref};
  return unrecognised("no such file or directory, and not a registry reference");
}

std::expected<conformance::RegistryConfig, std::string> registry_config_for(
    const ValidateArgs& args, const std::string& host, std::optional<std::string>& password) {
  conformance::RegistryConfig c;
  c.host = host;
  apply(args.timeouts, c);
  auto tls = conformance::parse_tls_mode(args.tls);
  if (!tls) return std::unexpected(tls.error());
  c.tls = *tls;
  if (!args.ca_file.empty()) c.ca_file = args.ca_file;
  if (args.password_stdin && !password) {
    std::string line;
    if (!std::getline(std::cin, line)) return std::unexpected("--password-stdin: nothing on stdin");
    if (!line.empty() && line.back() == '\r') line.pop_back();
    password = line;
  }
  std::optional<conformance::Credentials> explicit_credentials;
  if (!args.username.empty() && password)
    explicit_credentials = conformance::Credentials{args.username, *password};
  auto creds = conformance::resolve_credentials(host, explicit_credentials);
  if (!creds) return std::unexpected("credentials: " + creds.error());
  c.credentials = *creds;
  return c;
}

std::string mib(std::uint64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / (1 << 20));
  return buf;
}

// In a layout directory the JSON documents are files of their own: a finding with a line and
// column points at blobs/ALG/HEX, so an editor or a SARIF viewer opens the right file.
void point_at_blob_files(reports::Suite& suite, const std::string& layout) {
  for (auto& c : suite.cases)
    for (auto& f : c.findings) {
      auto colon = f.blob.find(':');
      if (f.line == 0) continue;
      if (f.blob == "index.json")
        f.file = (std::filesystem::path(layout) / "index.json").string();
      else if (colon != std::string::npos)
        f.file = (std::filesystem::path(layout) / "blobs" / f.blob.substr(0, colon) /
                  f.blob.substr(colon + 1))
                     .string();
    }
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
  // The progress line redraws itself with ANSI escapes: a terminal that understands them only.
  const char* term = std::getenv("TERM");
  bool tty = isatty(STDERR_FILENO) && !(term && std::string_view(term) == "dumb");
  std::optional<std::string> password;
  for (const auto& written : args.targets) {
    auto parsed = parse_target(written);
    if (!parsed) {
      add_problem(run, parsed.error(), args.output);
      continue;
    }
    const std::string& target = parsed->registry ? written : parsed->path;
    options.ref = parsed->ref.empty() ? args.ref : parsed->ref;
    std::expected<std::unique_ptr<ArtifactSource>, std::string> source;
    const auto& ref = parsed->registry;
    if (ref) {
      auto config = registry_config_for(args, ref->host, password);
      if (config)
        if (auto reachable = conformance::probe_endpoint(*config); !reachable)
          config = std::unexpected(reachable.error());
      if (config)
        source = std::make_unique<conformance::RegistrySource>(*config, ref->repo, ref->reference);
      else
        source = std::unexpected(target + ": " + config.error());
    } else {
      source = open_artifact(target);
    }
    if (!source) {
      // A regular file we could read but not as a layout archive is bad input, a finding like
      // unparseable JSON for lint; a missing or unreadable target is an I/O error (exit 2).
      std::error_code ec;
      if (!ref && std::filesystem::is_regular_file(target, ec) &&
          access(target.c_str(), R_OK) == 0) {
        run.suites.push_back(make_suite(
            target, "layout", kLayoutScopes,
            {make_diagnostic("MPA001",
                             "not an OCI image layout archive (a tar holding oci-layout, "
                             "index.json and blobs/): " +
                                 source.error(),
                             "", args.spec)},
            args.strict));
        continue;
      }
      add_problem(run, source.error(), args.output);
      continue;
    }
    std::error_code dir_ec;
    bool layout_dir = !ref && std::filesystem::is_directory(target, dir_ec);
    if (tty)
      options.progress = [&target](const ValidateProgress& p) {
        std::cerr << "\r\033[Kvalidate " << target << ": " << mib(p.bytes_read) << " / "
                  << mib(p.bytes_total) << ", " << p.layers_done << "/" << p.layers_total
                  << " layers" << std::flush;
      };
    auto result = ref ? conformance::validate_registry_artifact(
                            static_cast<conformance::RegistrySource&>(**source), options)
                      : validate_artifact(**source, options);
    if (tty) std::cerr << "\r\033[K" << std::flush;
    if (!result) {
      add_problem(run, target + ": " + result.error(), args.output);
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
      auto suite = make_suite(target, "artifact", kScopes, diags, args.strict, name);
      if (layout_dir) point_at_blob_files(suite, target);
      run.suites.push_back(std::move(suite));
    }
  }
  return emit(run, args.output);
}

}  // namespace

void add_validate_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand(
      "validate",
      "Verify model artifacts: OCI layout directories or layout tar archives, every blob, "
      "diffID and layer entry");
  cmd->add_option("targets", args->targets,
                  "Artifacts: " + std::string(kAcceptedForms) +
                      ". A TAG or DIGEST after oci: or oci-archive: selects the manifest like "
                      "--ref")
      ->required()
      ->expected(1, -1);
  cmd->add_option("--ref", args->ref,
                  "Only the manifest with this org.opencontainers.image.ref.name or digest");
  cmd->add_option("--jobs,-j", args->jobs, "Layers read in parallel (0 = one per core)")
      ->check(CLI::Range(0u, 1024u))
      ->capture_default_str();
  add_output_options(*cmd, args->output);
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
  cmd->add_option("--tls", args->tls, "Registry targets: enabled, insecure or disabled (http)")
      ->check(CLI::IsMember({"enabled", "insecure", "disabled"}))
      ->capture_default_str();
  cmd->add_option("--ca-file", args->ca_file, "Registry targets: PEM CA bundle");
  cmd->add_option("--username", args->username, "Registry targets: user name");
  add_registry_timeout_options(*cmd, args->timeouts);
  cmd->add_flag("--password-stdin", args->password_stdin,
                "Registry targets: read the password from stdin");
  cmd->callback([&runner, args] { runner = [args] { return run_validate(*args); }; });
}

}  // namespace mpcheck::cli
