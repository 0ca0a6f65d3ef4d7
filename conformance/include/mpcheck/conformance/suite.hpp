#pragma once
// The conformance suite: certifies that a registry stores and serves ModelPack artifacts as the
// OCI distribution spec requires. Each check is a reports::Case, required or optional, grouped
// in suites by area, with the (redacted, bounded) HTTP transcript of the exchanges it made.
#include <cstddef>
#include <expected>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/suite_config.hpp"
#include "mpcheck/reports/model.hpp"

namespace mpcheck::conformance {

// Transcript exchanges kept per case; later ones are counted in the case details.
inline constexpr std::size_t kMaxExchangesPerCase = 64;

// Fixtures pushed by the quick profile (the full profile pushes every valid one).
inline const std::vector<std::string> kQuickFixtures = {"llm-safetensors-sharded",
                                                        "gguf-single-file", "modctl-shape"};

struct SuiteOptions {
  SuiteSettings settings;
  std::optional<Credentials> credentials;  // resolved by the caller (flags, env, Docker config)
  // Overrides the profile's fixture selection (tests use a smaller set); empty: the profile's.
  std::vector<std::string> fixtures;
  std::string tool_version;
  // Progress: called as each reported case finishes (a CI log is never silent for the whole
  // run), and every few seconds of a long transfer with a one-line status.
  std::function<void(const reports::Case&)> on_case;
  std::function<void(const std::string&)> on_progress;
};

// Runs the suite. The error means the run could not start (exit 2): the first GET /v2/ showed
// no usable registry (endpoint_probe.hpp), a read-only --ref names no manifest, or --only
// selects no case. An answer such as 401 to the credentials is a case failure, not an error.
std::expected<reports::Run, std::string> run_suite(const SuiteOptions& options);

// RegistryConfig for the settings and credentials (timeouts, TLS, CA file).
RegistryConfig registry_config(const SuiteSettings& settings,
                               const std::optional<Credentials>& credentials);

}  // namespace mpcheck::conformance
