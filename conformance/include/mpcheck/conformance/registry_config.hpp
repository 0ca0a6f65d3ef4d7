#pragma once
// How a RegistryClient reaches a registry, and the callback types bodies stream through.
#include <chrono>
#include <cstddef>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/limits.hpp"
#include "mpcheck/conformance/registry_error.hpp"
#include "mpcheck/conformance/transcript.hpp"
#include "mpcheck/reports/redact.hpp"

namespace mpcheck::conformance {

enum class TlsMode {
  Enabled,   // https, peer and host verified
  Insecure,  // https, no verification (self-signed test registries)
  Disabled,  // plain http
};

struct RegistryConfig {
  std::string host;  // "host[:port]"
  TlsMode tls = TlsMode::Enabled;
  std::optional<std::string> ca_file;  // PEM bundle for TlsMode::Enabled
  std::optional<Credentials> credentials;
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than stall_min_bytes_per_second for stall_timeout is aborted
  // (CURLOPT_LOW_SPEED_*). libcurl averages speed over ~5 s, so a stall right after a burst
  // is detected up to that much later. Timeouts are not retried.
  std::chrono::seconds stall_timeout{30};
  long stall_min_bytes_per_second = 1;
  // Total deadline of a request that moves no blob (limits::kRequestTimeout), and of a blob
  // transfer: blob_timeout_floor + size / blob_min_bytes_per_second. Timeouts are not retried.
  std::chrono::seconds request_timeout = limits::kRequestTimeout;
  std::chrono::seconds blob_timeout_floor = limits::kBlobTimeoutFloor;
  std::uint64_t blob_min_bytes_per_second = limits::kBlobMinBytesPerSecond;
  int max_retries = 3;                              // extra attempts for GET/HEAD/DELETE
  std::chrono::milliseconds retry_base_delay{250};  // doubled per attempt
  std::chrono::seconds max_retry_after{30};         // cap on a server's Retry-After
  std::string user_agent;                           // empty: "mpcheck/<version>"
  TranscriptHook transcript;
  // Secrets learned while running (password, tokens, Authorization values) are registered
  // here and removed verbatim from transcripts and error bodies. Share one across the clients
  // of a run; a client creates its own when this is empty.
  std::shared_ptr<reports::Redactor> redactor;
};

// Returns bytes written into buf (0 at end of data), or -1 to abort the transfer.
using BodyReader = std::function<std::ptrdiff_t(char* buf, std::size_t capacity)>;
// Receives body bytes; returning false aborts the transfer.
using BodyWriter = std::function<bool(const char* data, std::size_t size)>;

template <class T>
using Result = std::expected<T, RegistryError>;

}  // namespace mpcheck::conformance
