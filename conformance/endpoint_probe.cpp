#include "mpcheck/conformance/endpoint_probe.hpp"

#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/reports/redact.hpp"

namespace mpcheck::conformance {
namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// libcurl/OpenSSL wording of a TLS handshake answered by a plain-HTTP server.
bool plain_http_answer(const std::string& m) {
  return contains(m, "wrong version number") || contains(m, "packet length too long") ||
         contains(m, "record layer failure") || contains(m, "unknown protocol");
}

bool certificate_problem(const std::string& m) {
  return contains(m, "certificate") || contains(m, "SSL peer") || contains(m, "issuer");
}

}  // namespace

std::string diagnose_endpoint(const RegistryConfig& config, long status,
                              const RegistryError* error) {
  const std::string& host = config.host;
  if (status == 200 || status == 401) return {};
  std::string cause = error ? reports::redact(error->describe()) : std::string();
  if (status == 0) {
    std::string m = error ? error->message : std::string();
    if (config.tls != TlsMode::Disabled && plain_http_answer(m))
      return "registry " + host + " answered the TLS handshake in plain HTTP (" + cause +
             "); for a plain-HTTP registry use --tls disabled";
    if (config.tls == TlsMode::Enabled && certificate_problem(m))
      return "registry " + host + ": the TLS certificate does not verify (" + cause +
             "); give the CA that signed it with --ca-file FILE, or skip verification with "
             "--tls insecure";
    if (error && error->kind == RegistryError::Kind::Timeout)
      return "registry " + host + " did not answer in time (" + cause +
             "); check the host and port, or raise --connect-timeout";
    return "registry " + host + " is unreachable (" + cause + "); check the host and port";
  }
  if (status == 400 && config.tls == TlsMode::Disabled)
    return "registry " + host +
           " answered 400 to plain HTTP: it speaks HTTPS; drop --tls "
           "disabled (or use --tls insecure for a self-signed certificate)";
  return "registry " + host + " is not an OCI registry: GET /v2/ answered " +
         std::to_string(status) + " (a registry answers 200, or 401 asking for credentials); " +
         "check --registry (HOST[:PORT] of the registry, without a path)";
}

std::expected<void, std::string> probe_endpoint(const RegistryConfig& config) {
  RegistryConfig probe_config = config;
  probe_config.credentials.reset();
  probe_config.transcript = nullptr;
  probe_config.max_retries = 0;
  RegistryClient probe(probe_config);
  auto answer = probe.ping();
  long status = answer ? *answer : answer.error().http_status;
  std::string problem = diagnose_endpoint(config, status, answer ? nullptr : &answer.error());
  if (problem.empty()) return {};
  return std::unexpected(problem);
}

}  // namespace mpcheck::conformance
