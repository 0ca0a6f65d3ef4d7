#pragma once
// The timeout flags every command that talks to a registry takes (validate REGISTRY/REPO:TAG,
// tools; conformance reads the same names through its settings), with the client's defaults.
#include <CLI/CLI.hpp>

#include "mpcheck/conformance/registry_config.hpp"

namespace mpcheck::cli {

struct RegistryTimeouts {
  unsigned connect = 10;  // seconds to connect
  unsigned stall = 30;    // seconds a transfer may make no progress
  unsigned request = static_cast<unsigned>(conformance::limits::kRequestTimeout.count());
};

void add_registry_timeout_options(CLI::App& cmd, RegistryTimeouts& t);
void apply(const RegistryTimeouts& t, conformance::RegistryConfig& config);

}  // namespace mpcheck::cli
