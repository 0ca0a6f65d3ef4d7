#pragma once
// Parsing untrusted JSON: RapidJSON with source positions for every value, hygiene findings
// (duplicate keys, BOM, invalid UTF-8, trailing content) and hard limits on size and depth.
#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mpcheck/validator/diagnostic.hpp"

namespace mpcheck {

struct JsonLimits {
  // Largest document accepted (configs and manifests are kilobytes; 16 MiB is generous).
  std::size_t max_bytes = 16u << 20;
  // Deepest nesting accepted; model configs nest 4 levels.
  unsigned max_depth = 256;
};

// Columns are computed from a code-point count kept every this many bytes of the text.
inline constexpr std::size_t kColumnCheckpointBytes = 256;

struct SourcePosition {
  std::uint32_t line = 0;    // 1-based
  std::uint32_t column = 0;  // 1-based, in characters
};

class JsonDocument {
 public:
  explicit JsonDocument(std::string text);
  const rapidjson::Document& root() const { return doc_; }
  const std::string& text() const { return text_; }

  // Position of the value at `pointer`, or of its nearest ancestor that was seen.
  SourcePosition position_of(std::string_view pointer) const;
  SourcePosition position_at(std::size_t offset) const;
  // Fills line and column of each diagnostic from its pointer.
  void locate(std::vector<Diagnostic>& diags) const;

 private:
  friend struct JsonParse;
  void index_positions() const;  // fills offsets_ on first use (a second, recording pass)
  std::string text_;
  rapidjson::Document doc_;
  mutable bool indexed_ = false;
  mutable std::unordered_map<std::string, std::uint32_t> offsets_;  // pointer -> byte offset
  mutable std::vector<std::uint32_t> line_starts_;
  // Code points before every kColumnCheckpointBytes-th byte (columns count characters).
  mutable std::vector<std::uint32_t> point_checkpoints_;
};

struct JsonParseResult {
  std::unique_ptr<JsonDocument> document;  // null when the text is not usable JSON
  std::vector<Diagnostic> diagnostics;     // hygiene and syntax findings, located
};

JsonParseResult parse_json(std::string text, const JsonLimits& limits = {});

// Appends an RFC 6901 reference token for `key` (escaping '~' and '/').
void append_pointer_token(std::string& pointer, std::string_view key);

// Short, printable rendering of a JSON value for messages ("\"6.75B\"", "12", "{…}").
std::string describe_value(const rapidjson::Value& v);
// "string", "number", "object", ...
std::string_view json_type_name(const rapidjson::Value& v);

}  // namespace mpcheck
