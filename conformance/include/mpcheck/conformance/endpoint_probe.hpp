#pragma once
// Before a run talks to a registry for real, one anonymous GET /v2/ tells whether it can run at
// all: a TLS/plain-HTTP mismatch in either direction, a certificate that does not verify, or a
// server that is not an OCI registry is "could not run" (exit 2) with a hint naming the flag
// that fixes it, never a failed certification.
#include <expected>
#include <string>

#include "mpcheck/conformance/registry_config.hpp"
#include "mpcheck/conformance/registry_error.hpp"

namespace mpcheck::conformance {

// The one-line diagnosis (with its hint) of a failed first GET /v2/; empty when `status` (the
// answer's HTTP status, 0 for none) shows a registry: 200, or 401 asking for credentials.
std::string diagnose_endpoint(const RegistryConfig& config, long status,
                              const RegistryError* error);

// Sends the anonymous GET /v2/ (no retries) and diagnoses its outcome.
std::expected<void, std::string> probe_endpoint(const RegistryConfig& config);

}  // namespace mpcheck::conformance
