#pragma once
// A finding about a document or artifact: what rule, where, and why.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mpcheck {

enum class Severity { Error, Warning };
std::string_view to_string(Severity s);

// Where inside an artifact a finding was made (empty for a lone document).
struct Location {
  std::string manifest_digest;             // manifest the finding belongs to
  std::optional<std::size_t> layer_index;  // index in manifest.layers
  std::string layer_digest;
  std::string entry;  // path of the archive entry inside the layer
  std::string blob;   // digest of the blob being read, when not a layer
};

struct Diagnostic {
  std::string rule;  // stable id from the catalog, e.g. "MPC002"
  Severity severity = Severity::Error;
  std::string message;  // what is wrong, the value seen, what is expected
  std::string pointer;  // RFC 6901 JSON Pointer of the offending value ("" = whole document)
  std::uint32_t line = 0;    // 1-based; 0 = unknown
  std::uint32_t column = 0;  // 1-based; 0 = unknown
  std::string spec;          // link to the spec section
  Location where;
};

bool has_errors(const std::vector<Diagnostic>& diags);

}  // namespace mpcheck
