#pragma once
// The error value every registry operation returns (distribution-spec "Error Codes").
#include <string>
#include <string_view>
#include <vector>

namespace mpcheck::conformance {

// One entry of the spec's error body {"errors":[{"code","message","detail"}]}.
struct OciError {
  std::string code;  // e.g. "BLOB_UNKNOWN"
  std::string message;
  std::string detail;  // the raw JSON of "detail", bounded; empty when absent
};

struct RegistryError {
  enum class Kind {
    Transport,       // connection refused, reset, TLS failure, DNS...
    Timeout,         // connect timeout or stalled transfer
    Http,            // the registry answered with an unexpected status
    Auth,            // 401/403 after authenticating, or the token service failed
    DigestMismatch,  // content does not match the digest asked for or announced
    BodyTooLarge,    // a response body exceeded its limit (see limits.hpp)
    Protocol,        // a malformed or missing header/body the spec requires
    Unsupported,     // e.g. a digest algorithm this client cannot compute
    Aborted,         // a caller's reader or writer callback stopped the transfer
  };
  Kind kind = Kind::Http;
  long http_status = 0;  // 0 when no response was received
  std::vector<OciError> errors;
  std::string message;  // never contains credentials

  bool has_code(std::string_view code) const;
  // One line: message, status and codes.
  std::string describe() const;
};

std::string_view to_string(RegistryError::Kind kind);

// Parses a distribution-spec error body; returns nothing for bodies that are not one.
std::vector<OciError> parse_oci_errors(std::string_view body);

}  // namespace mpcheck::conformance
