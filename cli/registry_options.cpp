#include "registry_options.hpp"

namespace mpcheck::cli {

void add_registry_timeout_options(CLI::App& cmd, RegistryTimeouts& t) {
  cmd.add_option("--connect-timeout", t.connect, "Seconds to connect to the registry")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
  cmd.add_option("--stall-timeout", t.stall, "Seconds a transfer may stall before it fails")
      ->check(CLI::Range(1u, 3600u))
      ->capture_default_str();
  cmd.add_option("--request-timeout", t.request,
                 "Seconds a request that moves no blob may take in all (blobs get a deadline "
                 "scaled by their size)")
      ->check(CLI::Range(1u, 86400u))
      ->capture_default_str();
}

void apply(const RegistryTimeouts& t, conformance::RegistryConfig& config) {
  config.connect_timeout = std::chrono::seconds(t.connect);
  config.stall_timeout = std::chrono::seconds(t.stall);
  config.request_timeout = std::chrono::seconds(t.request);
}

}  // namespace mpcheck::cli
