#pragma once
// The vendored JSON schemas, embedded at build time, compiled once, checked with valijson.
#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mpcheck::schema {

enum class SchemaId {
  ModelConfigMain,    // model-spec main, schema/config-schema.json
  ModelConfigV0_0_7,  // model-spec v0.0.7
  ImageManifest,      // image-spec schema/image-manifest-schema.json
  ImageIndex,         // image-spec schema/image-index-schema.json
  ImageLayout,        // image-spec schema/image-layout-schema.json
};

// Longest string value or member name handed to a schema `pattern` (or `patternProperties`).
// valijson matches with libstdc++'s std::regex, which recurses once per character and overflows
// the stack near 50,000 characters; OCI digests and media types stay under 300. A longer value
// is reported as a violation of its own instead of being matched.
inline constexpr std::size_t kMaxPatternCheckedLength = 4096;

// One root-cause schema violation (valijson's chain of parent failures is dropped).
struct Violation {
  std::string pointer;  // RFC 6901 pointer of the offending value
  std::string message;  // says what was found and what the schema expects
};

// Validates `document` against the schema. Thread-safe; the schema is compiled on first use.
std::vector<Violation> validate(SchemaId id, const rapidjson::Value& document);

// The embedded bytes of a vendored file, by its path under schema/ (e.g. "oci/defs.json").
std::string_view vendored_file(std::string_view path);

// Names of the vendored files that make up the schema `id` (its root first).
std::vector<std::string> files_of(SchemaId id);

}  // namespace mpcheck::schema
