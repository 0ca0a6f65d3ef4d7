#pragma once
// The settings of a conformance run and where they come from: a YAML file, then MPCHECK_*
// environment variables, then command-line flags (each overriding the one before).
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mpcheck/conformance/limits.hpp"
#include "mpcheck/conformance/registry_config.hpp"

namespace mpcheck::conformance {

enum class Profile { Quick, Full };

// Multi-GiB layer of the full profile.
inline constexpr std::uint64_t kDefaultLargeLayerBytes = std::uint64_t{2} << 30;
inline constexpr std::string_view kDefaultRepo = "mpcheck/conformance";

struct SuiteSettings {
  std::string registry;  // "host[:port]"
  std::string repo{kDefaultRepo};
  TlsMode tls = TlsMode::Enabled;
  std::optional<std::string> ca_file;
  std::optional<std::string> username;
  std::optional<std::string> password;  // never printed
  Profile profile = Profile::Quick;
  std::string only = "*";  // fnmatch globs on case names, comma-separated
  bool read_only = false;
  std::vector<std::string> refs;  // read-only: "tag", "repo:tag" or "repo@digest"
  bool delete_enabled = false;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds stall_timeout{30};
  std::chrono::seconds request_timeout = limits::kRequestTimeout;  // a request moving no blob
  std::uint64_t large_layer_bytes = kDefaultLargeLayerBytes;
  std::string report_dir;
};

// Applies a YAML mapping (keys as the flags: registry, repo, tls, ca-file, username, password,
// profile, only, read-only, refs, delete, connect-timeout, stall-timeout, request-timeout,
// large-layer-size, report-dir). Unknown keys and bad values are errors naming the key.
std::expected<void, std::string> apply_yaml(SuiteSettings& settings, std::string_view yaml);
std::expected<void, std::string> apply_yaml_file(SuiteSettings& settings, const std::string& path);

// Applies MPCHECK_REGISTRY, MPCHECK_REPO, MPCHECK_TLS, MPCHECK_CA_FILE, MPCHECK_USERNAME,
// MPCHECK_PASSWORD, MPCHECK_PROFILE, MPCHECK_ONLY, MPCHECK_READ_ONLY, MPCHECK_REFS
// (comma-separated), MPCHECK_DELETE, MPCHECK_CONNECT_TIMEOUT, MPCHECK_STALL_TIMEOUT,
// MPCHECK_LARGE_LAYER_SIZE, MPCHECK_REPORT_DIR. `getenv` is injectable for tests.
using EnvLookup = std::function<std::optional<std::string>(const char*)>;
std::expected<void, std::string> apply_env(SuiteSettings& settings, const EnvLookup& getenv);
EnvLookup process_env();

// Value parsers shared by the three layers.
std::expected<TlsMode, std::string> parse_tls_mode(std::string_view text);
std::expected<Profile, std::string> parse_profile(std::string_view text);
std::expected<bool, std::string> parse_bool(std::string_view text);
std::string_view to_string(TlsMode mode);
std::string_view to_string(Profile profile);

// The effective settings for a report: every key, the password as "<redacted>".
std::map<std::string, std::string> redacted_configuration(const SuiteSettings& settings);

// Missing registry, bad combinations (a password without a username, --ref without
// --read-only, ...), a repository name or read-only reference outside the distribution-spec
// grammar. The error is a usage error (exit 2) naming the flag.
std::expected<void, std::string> check(const SuiteSettings& settings);

// A read-only reference: TAG (in --repo), REPO:TAG or REPO@DIGEST.
std::expected<void, std::string> check_ref(std::string_view ref);

}  // namespace mpcheck::conformance
