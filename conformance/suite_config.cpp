// Conformance settings: YAML file < MPCHECK_* environment < flags.
#include "mpcheck/conformance/suite_config.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "mpcheck/conformance/distribution_names.hpp"
#include "mpcheck/conformance/transcript.hpp"
#include "mpcheck/fixtures/fixture_spec.hpp"

namespace mpcheck::conformance {
namespace {

// Config files are a screenful; anything much larger is not one.
constexpr std::size_t kMaxConfigBytes = 1u << 20;

std::expected<std::chrono::seconds, std::string> parse_seconds(std::string_view text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || n <= 0 || n > 86400)
    return std::unexpected("\"" + std::string(text) + "\" is not a number of seconds (1-86400)");
  return std::chrono::seconds(n);
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto piece = text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    while (!piece.empty() && piece.front() == ' ') piece.remove_prefix(1);
    while (!piece.empty() && piece.back() == ' ') piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

// One key, from any layer. `where` prefixes errors ("config key tls", "MPCHECK_TLS").
std::expected<void, std::string> apply_value(SuiteSettings& s, std::string_view key,
                                             const std::string& value, const std::string& where) {
  auto fail = [&](const std::string& why) -> std::expected<void, std::string> {
    return std::unexpected(where + ": " + why);
  };
  if (key == "registry") {
    s.registry = value;
  } else if (key == "repo") {
    s.repo = value;
  } else if (key == "tls") {
    auto t = parse_tls_mode(value);
    if (!t) return fail(t.error());
    s.tls = *t;
  } else if (key == "ca-file") {
    s.ca_file = value;
  } else if (key == "username") {
    s.username = value;
  } else if (key == "password") {
    s.password = value;
  } else if (key == "profile") {
    auto p = parse_profile(value);
    if (!p) return fail(p.error());
    s.profile = *p;
  } else if (key == "only") {
    s.only = value;
  } else if (key == "read-only" || key == "delete") {
    auto b = parse_bool(value);
    if (!b) return fail(b.error());
    (key == "delete" ? s.delete_enabled : s.read_only) = *b;
  } else if (key == "refs") {
    s.refs = split_commas(value);
  } else if (key == "connect-timeout" || key == "stall-timeout" || key == "request-timeout") {
    auto t = parse_seconds(value);
    if (!t) return fail(t.error());
    (key == "connect-timeout" ? s.connect_timeout
     : key == "stall-timeout" ? s.stall_timeout
                              : s.request_timeout) = *t;
  } else if (key == "large-layer-size") {
    auto n = fixtures::parse_size(value);
    if (!n) return fail(n.error());
    if (*n == 0) return fail("the size must be positive");
    s.large_layer_bytes = *n;
  } else if (key == "report-dir") {
    s.report_dir = value;
  } else {
    return fail("unknown setting");
  }
  return {};
}

}  // namespace

std::expected<TlsMode, std::string> parse_tls_mode(std::string_view text) {
  if (text == "enabled") return TlsMode::Enabled;
  if (text == "insecure") return TlsMode::Insecure;
  if (text == "disabled") return TlsMode::Disabled;
  return std::unexpected("tls is \"" + std::string(text) +
                         "\"; expected enabled, insecure or disabled");
}

std::expected<Profile, std::string> parse_profile(std::string_view text) {
  if (text == "quick") return Profile::Quick;
  if (text == "full") return Profile::Full;
  return std::unexpected("profile is \"" + std::string(text) + "\"; expected quick or full");
}

std::expected<bool, std::string> parse_bool(std::string_view text) {
  if (text == "true" || text == "1" || text == "yes") return true;
  if (text == "false" || text == "0" || text == "no") return false;
  return std::unexpected("\"" + std::string(text) + "\" is not a boolean (true or false)");
}

std::string_view to_string(TlsMode mode) {
  switch (mode) {
    case TlsMode::Enabled:
      return "enabled";
    case TlsMode::Insecure:
      return "insecure";
    case TlsMode::Disabled:
      return "disabled";
  }
  return "enabled";
}

std::string_view to_string(Profile profile) {
  return profile == Profile::Full ? "full" : "quick";
}

std::expected<void, std::string> apply_yaml(SuiteSettings& settings, std::string_view yaml) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return std::unexpected("config is not YAML: " + std::string(e.what()));
  }
  if (root.IsNull()) return {};
  if (!root.IsMap()) return std::unexpected("config must be a mapping of settings");
  for (const auto& item : root) {
    std::string key = item.first.as<std::string>("");
    std::string where = "config key " + key;
    const YAML::Node& v = item.second;
    if (key == "refs") {
      if (!v.IsSequence()) return std::unexpected(where + ": expected a list of references");
      settings.refs.clear();
      for (const auto& r : v) {
        if (!r.IsScalar()) return std::unexpected(where + ": expected a list of references");
        settings.refs.push_back(r.Scalar());
      }
      continue;
    }
    if (!v.IsScalar()) return std::unexpected(where + ": expected a single value");
    if (auto r = apply_value(settings, key, v.Scalar(), where); !r) return r;
  }
  return {};
}

std::expected<void, std::string> apply_yaml_file(SuiteSettings& settings, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected("cannot read config " + path);
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxConfigBytes) return std::unexpected("config " + path + " is over 1 MiB");
  auto r = apply_yaml(settings, text);
  if (!r) return std::unexpected(path + ": " + r.error());
  return {};
}

namespace {

// The OCI distribution-spec conformance suite's variables, read below mpcheck's own so a job
// written for that suite runs unchanged (docs/certify-a-registry.md has the mapping).
std::expected<void, std::string> apply_oci_env(SuiteSettings& settings, const EnvLookup& getenv) {
  auto get = [&](const char* name) -> std::optional<std::string> {
    auto v = getenv(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
  };
  if (auto url = get("OCI_ROOT_URL")) {
    std::string host = *url;
    std::string tls = "enabled";
    if (host.starts_with("http://")) {
      host = host.substr(7);
      tls = "disabled";
    } else if (host.starts_with("https://")) {
      host = host.substr(8);
    }
    while (!host.empty() && host.back() == '/') host.pop_back();
    if (auto r = apply_value(settings, "registry", host, "OCI_ROOT_URL"); !r) return r;
    if (auto r = apply_value(settings, "tls", tls, "OCI_ROOT_URL"); !r) return r;
  }
  if (auto ns = get("OCI_NAMESPACE"))
    if (auto r = apply_value(settings, "repo", *ns, "OCI_NAMESPACE"); !r) return r;
  if (auto user = get("OCI_USERNAME"))
    if (auto r = apply_value(settings, "username", *user, "OCI_USERNAME"); !r) return r;
  if (auto password = get("OCI_PASSWORD"))
    if (auto r = apply_value(settings, "password", *password, "OCI_PASSWORD"); !r) return r;
  // OCI_TEST_<WORKFLOW>=1 selects areas; none set means every area, as in that suite.
  static constexpr std::pair<const char*, const char*> kWorkflows[] = {
      {"OCI_TEST_PULL", "base/*,pull/*,validate/*,errors/*"},
      {"OCI_TEST_PUSH", "base/*,push/*"},
      {"OCI_TEST_CONTENT_DISCOVERY", "base/*,discovery/*,referrers/*"},
      {"OCI_TEST_CONTENT_MANAGEMENT", "base/*,management/*"},
  };
  std::string only;
  for (auto [var, globs] : kWorkflows) {
    auto v = get(var);
    if (!v || *v == "0" || *v == "false") continue;
    only += (only.empty() ? "" : ",") + std::string(globs);
    if (std::string_view(var) == "OCI_TEST_CONTENT_MANAGEMENT") settings.delete_enabled = true;
  }
  if (!only.empty()) settings.only = only;
  return {};
}

}  // namespace

std::expected<void, std::string> apply_env(SuiteSettings& settings, const EnvLookup& getenv) {
  if (auto r = apply_oci_env(settings, getenv); !r) return r;
  static constexpr std::pair<const char*, const char*> kVars[] = {
      {"MPCHECK_REGISTRY", "registry"},
      {"MPCHECK_REPO", "repo"},
      {"MPCHECK_TLS", "tls"},
      {"MPCHECK_CA_FILE", "ca-file"},
      {"MPCHECK_USERNAME", "username"},
      {"MPCHECK_PASSWORD", "password"},
      {"MPCHECK_PROFILE", "profile"},
      {"MPCHECK_ONLY", "only"},
      {"MPCHECK_READ_ONLY", "read-only"},
      {"MPCHECK_REFS", "refs"},
      {"MPCHECK_DELETE", "delete"},
      {"MPCHECK_CONNECT_TIMEOUT", "connect-timeout"},
      {"MPCHECK_STALL_TIMEOUT", "stall-timeout"},
      {"MPCHECK_REQUEST_TIMEOUT", "request-timeout"},
      {"MPCHECK_LARGE_LAYER_SIZE", "large-layer-size"},
      {"MPCHECK_REPORT_DIR", "report-dir"},
  };
  for (auto [var, key] : kVars) {
    auto value = getenv(var);
    if (!value || value->empty()) continue;
    if (auto r = apply_value(settings, key, *value, var); !r) return r;
  }
  return {};
}

EnvLookup process_env() {
  return [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

std::map<std::string, std::string> redacted_configuration(const SuiteSettings& s) {
  std::map<std::string, std::string> c;
  c["registry"] = s.registry;
  c["repo"] = s.repo;
  c["tls"] = to_string(s.tls);
  if (s.ca_file) c["ca-file"] = *s.ca_file;
  if (s.username) c["username"] = *s.username;
  if (s.password) c["password"] = std::string(kRedacted);
  c["profile"] = to_string(s.profile);
  c["only"] = s.only;
  c["read-only"] = s.read_only ? "true" : "false";
  if (!s.refs.empty()) {
    std::string refs;
    for (const auto& r : s.refs) refs += (refs.empty() ? "" : ",") + r;
    c["refs"] = refs;
  }
  c["delete"] = s.delete_enabled ? "true" : "false";
  c["connect-timeout"] = std::to_string(s.connect_timeout.count()) + "s";
  c["stall-timeout"] = std::to_string(s.stall_timeout.count()) + "s";
  c["request-timeout"] = std::to_string(s.request_timeout.count()) + "s";
  c["large-layer-size"] = std::to_string(s.large_layer_bytes);
  if (!s.report_dir.empty()) c["report-dir"] = s.report_dir;
  return c;
}

std::expected<void, std::string> check_ref(std::string_view ref) {
  std::string_view repo, reference = ref;
  if (auto at = ref.find('@'); at != std::string_view::npos) {
    repo = ref.substr(0, at);
    reference = ref.substr(at + 1);
  } else if (auto colon = ref.rfind(':'); colon != std::string_view::npos) {
    repo = ref.substr(0, colon);
    reference = ref.substr(colon + 1);
  }
  std::expected<void, std::string> ok;
  if (!repo.empty() || ref.find('@') != std::string_view::npos) ok = check_repository_name(repo);
  if (ok) ok = check_reference(reference);
  if (ok) return {};
  return std::unexpected("--ref \"" + std::string(ref) + "\": " + ok.error() +
                         " (expected TAG, REPO:TAG or REPO@DIGEST)");
}

std::expected<void, std::string> check(const SuiteSettings& s) {
  if (s.registry.empty()) return std::unexpected("no registry given (--registry or registry:)");
  if (s.registry.find('/') != std::string::npos)
    return std::unexpected("registry must be host[:port], without a scheme or path");
  if (s.repo.empty()) return std::unexpected("no repository given (--repo)");
  if (s.password && !s.username) return std::unexpected("a password needs a username");
  if (s.read_only && s.refs.empty())
    return std::unexpected("--read-only needs references to pull (refs: in the config)");
  if (s.read_only && s.delete_enabled)
    return std::unexpected("--read-only and --delete exclude each other");
  if (!s.read_only && !s.refs.empty())
    return std::unexpected(
        "--ref (refs:) names what a read-only run pulls; add --read-only, or "
        "drop --ref to run the read-write cases");
  if (auto repo = check_repository_name(s.repo); !repo)
    return std::unexpected("--repo: " + repo.error());
  for (const auto& ref : s.refs)
    if (auto ok = check_ref(ref); !ok) return ok;
  return {};
}

}  // namespace mpcheck::conformance
