#include "mpcheck/validator/json_document.hpp"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstring>
#include <unordered_set>

#include "mpcheck/validator/rule_catalog.hpp"

namespace mpcheck {

JsonDocument::JsonDocument(std::string text) : text_(std::move(text)) {}

SourcePosition JsonDocument::position_at(std::size_t offset) const {
  if (line_starts_.empty()) {
    // One pass builds the line starts and a running count of code points every
    // kColumnCheckpointBytes, so each position costs a binary search and a short scan, not a
    // scan from the start of its line (a minified document is one long line).
    line_starts_.push_back(0);
    std::uint32_t points = 0;
    for (std::size_t i = 0; i < text_.size(); ++i) {
      if (i % kColumnCheckpointBytes == 0) point_checkpoints_.push_back(points);
      if (text_[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++points;
    }
    point_checkpoints_.push_back(points);
  }
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line = static_cast<std::size_t>(it - line_starts_.begin());
  std::size_t start = line_starts_[line - 1];
  auto points_before = [&](std::size_t at) {  // code points in text_[0, at)
    std::size_t block = at / kColumnCheckpointBytes;
    std::uint32_t n = point_checkpoints_[block];
    for (std::size_t i = block * kColumnCheckpointBytes; i < at; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++n;
    return n;
  };
  return {static_cast<std::uint32_t>(line), points_before(offset) - points_before(start) + 1};
}

SourcePosition JsonDocument::position_of(std::string_view pointer) const {
  index_positions();
  std::string p(pointer);
  for (;;) {
    if (auto it = offsets_.find(p); it != offsets_.end()) return position_at(it->second);
    if (p.empty()) return {1, 1};
    p.resize(p.rfind('/'));
  }
}

void JsonDocument::locate(std::vector<Diagnostic>& diags) const {
  for (auto& d : diags) {
    if (d.line != 0) continue;
    auto pos = position_of(d.pointer);
    d.line = pos.line;
    d.column = pos.column;
  }
}

void append_pointer_token(std::string& pointer, std::string_view key) {
  pointer.push_back('/');
  for (char c : key) {
    if (c == '~')
      pointer += "~0";
    else if (c == '/')
      pointer += "~1";
    else
      pointer.push_back(c);
  }
}

std::string_view json_type_name(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kObjectType: return "object";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kStringType: return "string";
    case rapidjson::kNumberType: return v.IsInt64() || v.IsUint64() ? "integer" : "number";
  }
  return "value";
}

std::string describe_value(const rapidjson::Value& v) {
  constexpr std::size_t kMax = 80;  // keep messages one line
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType: return "false";
    case rapidjson::kTrueType: return "true";
    case rapidjson::kObjectType: return "{…}";
    case rapidjson::kArrayType: return "[…]";
    case rapidjson::kNumberType:
      if (v.IsInt64()) return std::to_string(v.GetInt64());
      if (v.IsUint64()) return std::to_string(v.GetUint64());
      {
        std::string s = std::to_string(v.GetDouble());
        return s;
      }
    case rapidjson::kStringType: {
      std::string out = "\"";
      std::string_view s(v.GetString(), v.GetStringLength());
      std::size_t n = 0;
      for (unsigned char c : s) {
        // Counting only the first byte of each character cuts on a character boundary.
        if ((c & 0xC0) != 0x80 && ++n > kMax) {
          out += "…";
          break;
        }
        if (c == '"' || c == '\\') {
          out.push_back('\\');
          out.push_back(static_cast<char>(c));
        } else if (c < 0x20) {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
      }
      return out + "\"";
    }
  }
  return "?";
}

namespace {

// Sits between RapidJSON's reader and a handler (the Document being filled, or nothing):
// notices duplicate keys and excessive depth and, when `record` is set, records where every
// value starts under its JSON Pointer. Recording is a second pass run only when a position is
// asked for, so documents without findings never pay for it.
template <typename Target>
struct JsonParseTracker {
  struct Frame {
    bool is_array = false;
    std::size_t index = 0;     // next element index (arrays)
    std::size_t path_len = 0;  // length of the container's own pointer (recording)
    std::string key;           // key of the member being read (objects)
    std::unordered_set<std::string> keys;  // member names seen so far in this object

    // True the first time `k` is seen in this object: one hash lookup per member, so an object
    // with n members costs O(n), not O(n^2).
    bool first_sighting(const std::string& k) { return keys.insert(k).second; }
    void reset_keys() {
      // clear() costs the bucket count; a frame reused after a huge object starts afresh.
      if (keys.bucket_count() > 64)
        keys = {};
      else
        keys.clear();
    }
  };

  const std::string& text;
  Target& target;
  rapidjson::MemoryStream& stream;
  std::size_t base;  // offset of the parsed text inside `text` (after a BOM)
  unsigned max_depth;
  std::unordered_map<std::string, std::uint32_t>* record;  // null: no recording
  // Open containers, innermost last. Frames are reused, not destroyed, so their strings keep
  // their capacity from one object to the next.
  std::vector<Frame> frames;
  std::size_t depth = 0;
  std::string path;
  std::vector<std::pair<std::string, std::size_t>> duplicates;  // pointer, offset of the key
  bool too_deep = false;
  bool bad_surrogate = false;

  std::size_t tell() const { return base + stream.Tell(); }

  std::size_t string_start(std::size_t end) const {  // end = offset just after closing quote
    std::size_t i = end - 1;                         // closing quote
    while (i > base) {
      --i;
      if (text[i] != '"') continue;
      std::size_t slashes = 0;
      while (i - slashes > base && text[i - slashes - 1] == '\\') ++slashes;
      if (slashes % 2 == 0) return i;
    }
    return i;
  }
  std::size_t scalar_start(std::size_t end) const {
    std::size_t i = end;
    while (i > base &&
           std::string_view("0123456789+-.eEtrufalsn").find(text[i - 1]) != std::string_view::npos)
      --i;
    return i;
  }

  // Pointer of the member `key` of the innermost open object.
  std::string member_pointer(const std::string& key) const {
    std::string p;
    for (std::size_t i = 0; i + 1 < depth; ++i)
      append_pointer_token(p, frames[i].is_array ? std::to_string(frames[i].index - 1)
                                                 : frames[i].key);
    append_pointer_token(p, key);
    return p;
  }

  void begin_value(std::size_t offset) {
    if (!record) {
      if (depth && frames[depth - 1].is_array) ++frames[depth - 1].index;
      return;
    }
    if (depth) {
      Frame& f = frames[depth - 1];
      path.resize(f.path_len);
      if (f.is_array)
        append_pointer_token(path, std::to_string(f.index++));
      else
        append_pointer_token(path, f.key);
    } else {
      path.clear();
    }
    record->emplace(path, static_cast<std::uint32_t>(offset));
  }

  bool Null() { return begin_value(tell() - 4), target.Null(); }
  bool Bool(bool b) { return begin_value(tell() - (b ? 4 : 5)), target.Bool(b); }
  bool Int(int i) { return begin_value(scalar_start(tell())), target.Int(i); }
  bool Uint(unsigned u) { return begin_value(scalar_start(tell())), target.Uint(u); }
  bool Int64(int64_t i) { return begin_value(scalar_start(tell())), target.Int64(i); }
  bool Uint64(uint64_t u) { return begin_value(scalar_start(tell())), target.Uint64(u); }
  bool Double(double d) { return begin_value(scalar_start(tell())), target.Double(d); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return false; }
  // RapidJSON rejects an unpaired high surrogate escape but decodes a lone low one
  // (\uDC00-\uDFFF) into bytes that are not UTF-8 (ED B0-BF xx): refuse those too.
  bool holds_surrogate(const char* s, rapidjson::SizeType n) {
    for (rapidjson::SizeType i = 0; i + 1 < n; ++i)
      if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0)
        return bad_surrogate = true;
    return false;
  }

  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    if (holds_surrogate(s, n)) return false;
    begin_value(string_start(tell()));
    return target.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    if (holds_surrogate(s, n)) return false;
    Frame& f = frames[depth - 1];
    f.key.assign(s, n);
    if (!record) {
      if (!f.first_sighting(f.key))
        duplicates.emplace_back(member_pointer(f.key), string_start(tell()));
    }
    return target.Key(s, n, copy);
  }
  bool open(bool is_array) {
    if (depth >= max_depth) {
      too_deep = true;
      return false;
    }
    begin_value(tell());  // the iterative parser reports a container before taking its bracket
    if (depth == frames.size()) frames.emplace_back();
    Frame& f = frames[depth++];
    f.is_array = is_array;
    f.index = 0;
    f.path_len = path.size();
    f.key.clear();
    f.reset_keys();
    return is_array ? target.StartArray() : target.StartObject();
  }
  bool StartObject() { return open(false); }
  bool StartArray() { return open(true); }
  bool EndObject(rapidjson::SizeType n) {
    --depth;
    return target.EndObject(n);
  }
  bool EndArray(rapidjson::SizeType n) {
    --depth;
    return target.EndArray(n);
  }
};

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseStopWhenDoneFlag;

std::size_t bom_length(const std::string& t) {
  return t.size() >= 3 && t.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
}

}  // namespace

void JsonDocument::index_positions() const {
  if (indexed_) return;
  indexed_ = true;
  std::size_t base = bom_length(text_);
  rapidjson::MemoryStream stream(text_.data() + base, text_.size() - base);
  rapidjson::BaseReaderHandler<> nothing;
  JsonParseTracker<rapidjson::BaseReaderHandler<>> tracker{
      text_, nothing, stream, base, ~0u, &offsets_, {}, 0, {}, {}, false, false};
  rapidjson::Reader reader;
  reader.Parse<kParseFlags>(stream, tracker);
}

namespace {

Diagnostic located(JsonDocument& doc, std::string_view rule, std::string msg, std::size_t offset) {
  auto d = make_diagnostic(rule, std::move(msg));
  auto pos = doc.position_at(offset);
  d.line = pos.line;
  d.column = pos.column;
  return d;
}

}  // namespace

struct JsonParse {
  static JsonParseResult run(std::string text, const JsonLimits& limits) {
    JsonParseResult result;
    auto doc = std::make_unique<JsonDocument>(std::move(text));
    const std::string& t = doc->text_;
    if (t.size() > limits.max_bytes) {
      result.diagnostics.push_back(located(*doc, "MPJ007",
                                           "document is " + std::to_string(t.size()) +
                                               " bytes; the limit is " +
                                               std::to_string(limits.max_bytes) + " bytes",
                                           0));
      return result;
    }
    std::size_t base = bom_length(t);
    if (base) {
      result.diagnostics.push_back(located(
          *doc, "MPJ004", "document starts with a UTF-8 byte-order mark (EF BB BF); JSON text "
                          "must not begin with one",
          0));
    }
    rapidjson::MemoryStream stream(t.data() + base, t.size() - base);
    rapidjson::Reader reader;
    JsonParseTracker<rapidjson::Document> tracker{
        t, doc->doc_, stream, base, limits.max_depth, nullptr, {}, 0, {}, {}, false, false};
    rapidjson::ParseResult ok;
    // Pure ASCII text is valid UTF-8: skip RapidJSON's per-character encoding validation.
    bool ascii = std::all_of(t.begin() + static_cast<std::ptrdiff_t>(base), t.end(),
                             [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    auto generate = [&](rapidjson::Document&) {
      ok = ascii ? reader.Parse<kParseFlags & ~rapidjson::kParseValidateEncodingFlag>(stream, tracker)
                 : reader.Parse<kParseFlags>(stream, tracker);
      return static_cast<bool>(ok);
    };
    doc->doc_.Populate(generate);
    for (auto& [pointer, offset] : tracker.duplicates) {
      auto key = pointer.substr(pointer.rfind('/') + 1);
      if (key.size() > 80) {  // keep the message one line; cut on a character boundary
        std::size_t cut = 80;
        while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
        key = key.substr(0, cut) + "…";
      }
      result.diagnostics.push_back(located(*doc, "MPJ002",
                                           "member \"" + key +
                                               "\" appears more than once in this object; "
                                               "parsers disagree on which value wins",
                                           offset));
      result.diagnostics.back().pointer = pointer;
    }
    if (!ok) {
      std::size_t at = base + ok.Offset();
      if (tracker.bad_surrogate) {
        result.diagnostics.push_back(located(
            *doc, "MPJ001",
            "not well-formed JSON: a string holds an unpaired surrogate (a \\uDC00-\\uDFFF escape "
            "without a high surrogate before it); it encodes no character",
            at));
      } else if (tracker.too_deep) {
        result.diagnostics.push_back(
            located(*doc, "MPJ006",
                    "document nests more than " + std::to_string(limits.max_depth) +
                        " arrays or objects deep",
                    at));
      } else if (ok.Code() == rapidjson::kParseErrorStringInvalidEncoding) {
        result.diagnostics.push_back(
            located(*doc, "MPJ003", "invalid UTF-8 byte sequence in a string", at));
      } else if (ok.Code() == rapidjson::kParseErrorDocumentEmpty) {
        result.diagnostics.push_back(located(*doc, "MPJ001",
                                             t.size() == base
                                                 ? "document is empty"
                                                 : "document holds only white space",
                                             at));
      } else {
        std::string msg = "not well-formed JSON: ";
        msg += rapidjson::GetParseError_En(ok.Code());
        if (msg.back() == '.') msg.pop_back();
        if (at >= t.size()) msg += " (the document ends early: truncated?)";
        result.diagnostics.push_back(located(*doc, "MPJ001", msg, at));
      }
      return result;
    }
    std::size_t end = base + stream.Tell();
    while (end < t.size() && (t[end] == ' ' || t[end] == '\t' || t[end] == '\n' || t[end] == '\r'))
      ++end;
    if (end < t.size()) {
      result.diagnostics.push_back(
          located(*doc, "MPJ005",
                  std::to_string(t.size() - end) +
                      " bytes of content follow the end of the JSON document",
                  end));
    }
    result.document = std::move(doc);
    return result;
  }
};

JsonParseResult parse_json(std::string text, const JsonLimits& limits) {
  return JsonParse::run(std::move(text), limits);
}

}  // namespace mpcheck
