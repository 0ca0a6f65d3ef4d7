// The only translation unit that instantiates valijson: keep it that way, it is template-heavy.
#include "mpcheck/schema/schema_set.hpp"

#include <rapidjson/pointer.h>

#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>
#include <unordered_set>
#include <valijson/adapters/rapidjson_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

std::string_view mpcheck_embedded_schemas(std::string_view file_name);

namespace mpcheck::schema {
namespace {

// Absolute, so valijson takes it as is. Deliberately not a URN: valijson tests every reference
// against an RFC 8141 std::regex when it does not contain "://", which costs more than the
// rest of compiling the schema.
constexpr std::string_view kRefPrefix = "mpcheck://schema/";
constexpr std::size_t kSchemaCount = 5;

std::string_view root_file(SchemaId id) {
  switch (id) {
    case SchemaId::ModelConfigMain: return "modelpack/main/config-schema.json";
    case SchemaId::ModelConfigV0_0_7: return "modelpack/v0.0.7/config-schema.json";
    case SchemaId::ImageManifest: return "oci/image-manifest-schema.json";
    case SchemaId::ImageIndex: return "oci/image-index-schema.json";
    case SchemaId::ImageLayout: return "oci/image-layout-schema.json";
  }
  return {};
}

std::string directory_of(std::string_view file) {
  auto slash = file.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(file.substr(0, slash + 1));
}

// Resolves the vendored set explicitly (see schema/PROVENANCE.md): every $ref becomes an
// absolute mpcheck://schema/ reference naming a vendored file, `id`/`$id` are dropped so valijson
// never concatenates them, and `format` is dropped because mpcheck checks formats with its own
// rules.
void resolve_in_place(rapidjson::Value& node, const std::string& file,
                      rapidjson::Document::AllocatorType& alloc) {
  if (node.IsArray()) {
    for (auto& item : node.GetArray()) resolve_in_place(item, file, alloc);
    return;
  }
  if (!node.IsObject()) return;
  for (const char* drop : {"id", "$id", "format"}) {
    auto it = node.FindMember(drop);
    if (it != node.MemberEnd() && it->value.IsString()) node.RemoveMember(it);
  }
  // image-spec's size "maximum" (2^63 written as 9223372036854776000) is not representable as a
  // double; valijson wraps it negative. The int64 bound is checked by rule MPM007 instead.
  if (auto max = node.FindMember("maximum");
      max != node.MemberEnd() && max->value.IsNumber() && max->value.GetDouble() > 9.0e15)
    node.RemoveMember(max);
  if (auto ref = node.FindMember("$ref"); ref != node.MemberEnd() && ref->value.IsString()) {
    std::string target(ref->value.GetString(), ref->value.GetStringLength());
    auto hash = target.find('#');
    std::string doc_part = target.substr(0, hash);
    std::string fragment = hash == std::string::npos ? std::string("#") : target.substr(hash);
    std::string resolved = std::string(kRefPrefix) +
                           (doc_part.empty() ? file : directory_of(file) + doc_part) + fragment;
    ref->value.SetString(resolved.c_str(), static_cast<rapidjson::SizeType>(resolved.size()),
                         alloc);
  }
  for (auto& m : node.GetObject()) {
    // "properties" maps names to schemas; a property named "id" or "format" is not a keyword.
    resolve_in_place(m.value, file, alloc);
  }
}

std::unique_ptr<rapidjson::Document> load_resolved(std::string_view file) {
  std::string_view text = vendored_file(file);
  if (text.empty()) return nullptr;
  auto doc = std::make_unique<rapidjson::Document>();
  doc->Parse(text.data(), text.size());
  if (doc->HasParseError()) return nullptr;
  resolve_in_place(*doc, std::string(file), doc->GetAllocator());
  return doc;
}

std::string vendored_path_of(const std::string& uri) {
  if (uri.rfind(kRefPrefix, 0) != 0) return {};
  return uri.substr(kRefPrefix.size());
}

struct Compiled {
  valijson::Schema schema;
  // Resolved copies of every file of the set, for reading expectations into messages.
  std::map<std::string, std::unique_ptr<rapidjson::Document>> docs;
  std::string root;
};

const rapidjson::Document* fetch_for(Compiled& c, const std::string& uri) {
  std::string file = vendored_path_of(uri);
  if (file.empty()) return nullptr;
  auto& slot = c.docs[file];
  if (!slot) slot = load_resolved(file);
  if (!slot) return nullptr;
  // valijson owns what it fetches; hand it a copy and keep ours for messages.
  auto copy = new rapidjson::Document();
  copy->CopyFrom(*slot, copy->GetAllocator());
  return copy;
}

std::unique_ptr<Compiled> compile(SchemaId id) {
  auto c = std::make_unique<Compiled>();
  c->root = std::string(root_file(id));
  c->docs[c->root] = load_resolved(c->root);
  if (!c->docs[c->root]) throw std::runtime_error("embedded schema missing: " + c->root);
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::RapidJsonAdapter adapter(*c->docs[c->root]);
  Compiled* raw = c.get();
  parser.populateSchema(
      adapter, c->schema,
      [raw](const std::string& uri) { return fetch_for(*raw, uri); },
      [](const rapidjson::Document* d) { delete d; });
  return c;
}

std::array<std::unique_ptr<Compiled>, kSchemaCount> g_compiled;
std::array<std::once_flag, kSchemaCount> g_once;

Compiled& compiled(SchemaId id) {
  auto i = static_cast<std::size_t>(id);
  std::call_once(g_once[i], [&] { g_compiled[i] = compile(id); });
  return *g_compiled[i];
}

// Follows $ref chains inside the resolved set.
const rapidjson::Value* deref(const Compiled& c, const rapidjson::Value* node) {
  for (int guard = 0; node && node->IsObject() && guard < 16; ++guard) {
    auto ref = node->FindMember("$ref");
    if (ref == node->MemberEnd() || !ref->value.IsString()) return node;
    std::string target = ref->value.GetString();
    auto hash = target.find('#');
    std::string file = vendored_path_of(target.substr(0, hash));
    auto it = c.docs.find(file);
    if (it == c.docs.end() || !it->second) return nullptr;
    std::string pointer = hash == std::string::npos ? "" : target.substr(hash + 1);
    node = rapidjson::Pointer(pointer.c_str()).Get(*it->second);
  }
  return node;
}

// The subschema that governs the value at the given path of reference tokens.
const rapidjson::Value* subschema_at(const Compiled& c, const std::vector<std::string>& tokens) {
  const rapidjson::Value* node = deref(c, c.docs.at(c.root).get());
  for (const auto& tok : tokens) {
    if (!node || !node->IsObject()) return nullptr;
    const rapidjson::Value* next = nullptr;
    if (auto p = node->FindMember("properties"); p != node->MemberEnd() && p->value.IsObject()) {
      if (auto m = p->value.FindMember(tok.c_str()); m != p->value.MemberEnd()) next = &m->value;
    }
    if (!next)
      if (auto it = node->FindMember("items"); it != node->MemberEnd()) next = &it->value;
    if (!next)
      if (auto pp = node->FindMember("patternProperties");
          pp != node->MemberEnd() && pp->value.IsObject())
        for (const auto& m : pp->value.GetObject())
          if (!next && tok.size() <= kMaxPatternCheckedLength &&
              std::regex_search(tok, std::regex(m.name.GetString())))
            next = &m.value;
    if (!next)
      if (auto ap = node->FindMember("additionalProperties");
          ap != node->MemberEnd() && ap->value.IsObject())
        next = &ap->value;
    node = deref(c, next);
  }
  return node;
}

std::string type_name(const rapidjson::Value& v) {
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

// At most 80 bytes of `text` for a message, cut on a character boundary (a message never
// carries half a UTF-8 sequence), control characters shown as '?'.
std::string clip(std::string_view text) {
  std::size_t n = std::min<std::size_t>(text.size(), 80);
  while (n < text.size() && n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  std::string s(text.substr(0, n));
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20) ch = '?';
  return n < text.size() ? s + "…" : s;
}

std::string render(const rapidjson::Value& v) {
  if (v.IsString()) return "\"" + clip({v.GetString(), v.GetStringLength()}) + "\"";
  if (v.IsBool()) return v.GetBool() ? "true" : "false";
  if (v.IsNull()) return "null";
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsUint64()) return std::to_string(v.GetUint64());
  if (v.IsNumber()) return std::to_string(v.GetDouble());
  return v.IsObject() ? "an object" : "an array";
}

std::string join_values(const rapidjson::Value& arr) {
  std::string out;
  for (const auto& v : arr.GetArray()) {
    if (!out.empty()) out += ", ";
    out += render(v);
  }
  return out;
}

std::string pointer_of(const std::vector<std::string>& tokens) {
  std::string p;
  for (const auto& t : tokens) {
    p.push_back('/');
    for (char ch : t) {
      if (ch == '~')
        p += "~0";
      else if (ch == '/')
        p += "~1";
      else
        p.push_back(ch);
    }
  }
  return p;
}

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Turns one of valijson's terse messages into one that shows the value seen and the expectation.
std::vector<Violation> explain(const Compiled& c, const rapidjson::Value& document,
                  std::vector<std::string> tokens, const std::string& description) {
  const rapidjson::Value* value = rapidjson::Pointer(pointer_of(tokens).c_str()).Get(document);
  const rapidjson::Value* schema = subschema_at(c, tokens);
  auto member = [&](const char* name) -> const rapidjson::Value* {
    if (!schema || !schema->IsObject()) return nullptr;
    auto it = schema->FindMember(name);
    return it == schema->MemberEnd() ? nullptr : &it->value;
  };
  std::string seen = value ? render(*value) : "the value";
  std::string msg = description;

  if (starts_with(description, "Value type not permitted")) {
    std::string expected = "another type";
    if (auto* t = member("type")) expected = t->IsString() ? t->GetString() : join_values(*t);
    msg = "expected " + expected + ", found " + (value ? type_name(*value) + " " + seen : seen);
  } else if (starts_with(description, "Failed to match against any enum values")) {
    msg = seen + " is not allowed here";
    if (auto* e = member("enum"); e && e->IsArray()) msg += "; expected one of " + join_values(*e);
  } else if (starts_with(description, "Failed to match regex")) {
    msg = seen + " does not have the required form";
    if (auto* p = member("pattern"); p && p->IsString())
      msg += " (pattern " + std::string(p->GetString()) + ")";
  } else if (starts_with(description, "Missing required property '")) {
    std::string name = description.substr(27, description.rfind('\'') - 27);
    msg = "required property \"" + name + "\" is missing";
    tokens.push_back(name);  // point where the member belongs; its position falls back to the parent
  } else if (description.find("'properties' or 'additionalProperties' constraints") !=
             std::string::npos) {
    // valijson names only the first unknown property; report each one at its own pointer.
    std::string allowed;
    if (auto* props = member("properties"); props && props->IsObject()) {
      for (const auto& m : props->GetObject()) {
        if (!allowed.empty()) allowed += ", ";
        allowed += m.name.GetString();
      }
    }
    std::vector<Violation> out;
    if (value && value->IsObject()) {
      const rapidjson::Value* props = member("properties");
      for (const auto& m : value->GetObject()) {
        if (props && props->IsObject() && props->HasMember(m.name)) continue;
        auto at = tokens;
        at.emplace_back(m.name.GetString(), m.name.GetStringLength());
        out.push_back({pointer_of(at), "property \"" + clip(at.back()) + "\" is not allowed here" +
                                           (allowed.empty() ? "" : "; allowed: " + allowed)});
      }
    }
    return out;
  } else if (starts_with(description, "Array should contain no fewer than")) {
    std::size_t n = value && value->IsArray() ? value->Size() : 0;
    msg = "array has " + std::to_string(n) + " item" + (n == 1 ? "" : "s") + "; at least " +
          std::to_string(member("minItems") ? member("minItems")->GetUint64() : 1) + " required";
  } else if (starts_with(description, "String should be no fewer than")) {
    msg = seen + " is too short; at least " +
          std::to_string(member("minLength") ? member("minLength")->GetUint64() : 1) +
          " character(s) required";
  } else if (starts_with(description, "Expected number")) {
    msg = seen + " is out of range: e" + description.substr(1);
  }
  return {{pointer_of(tokens), msg}};
}

// Errors that only say "a child failed"; the child's own error is reported instead.
bool is_chain_message(const std::string& d) {
  return starts_with(d, "Failed to validate against schema associated with property") ||
         starts_with(d, "Failed to validate item #") ||
         starts_with(d, "Failed to validate against additional properties schema") ||
         starts_with(d, "Failed to validate against schema associated with pattern") ||
         starts_with(d, "Failed to validate against dependent schema");
}

// Values and member names longer than kMaxPatternCheckedLength, by their reference tokens.
struct OverlongStrings {
  std::set<std::vector<std::string>> values;
  std::vector<std::vector<std::string>> names;  // in document order; index = placeholder number
};

// The placeholder that stands for the n-th overlong member name in the masked copy. It starts
// with a control character, which no real JSON member name can hold unescaped.
constexpr std::string_view kPlaceholderPrefix = "\x01mpcheck-overlong-";
std::string placeholder_name(std::size_t n) {
  return std::string(kPlaceholderPrefix) + std::to_string(n);
}

void find_overlong(const rapidjson::Value& v, std::vector<std::string>& tokens,
                   OverlongStrings& found) {
  if (v.IsString() && v.GetStringLength() > kMaxPatternCheckedLength) {
    found.values.insert(tokens);
  } else if (v.IsArray()) {
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      tokens.push_back(std::to_string(i));
      find_overlong(v[i], tokens, found);
      tokens.pop_back();
    }
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      tokens.emplace_back(m.name.GetString(), m.name.GetStringLength());
      if (m.name.GetStringLength() > kMaxPatternCheckedLength) found.names.push_back(tokens);
      find_overlong(m.value, tokens, found);
      tokens.pop_back();
    }
  }
}

// Empties overlong values and renames overlong members, in the same walk order as find_overlong.
void mask_overlong(rapidjson::Value& v, rapidjson::Document::AllocatorType& alloc,
                   std::size_t* next_name = nullptr) {
  std::size_t first = 0;
  if (!next_name) next_name = &first;
  if (v.IsString() && v.GetStringLength() > kMaxPatternCheckedLength) {
    v.SetString("", 0, alloc);
  } else if (v.IsArray()) {
    for (auto& item : v.GetArray()) mask_overlong(item, alloc, next_name);
  } else if (v.IsObject()) {
    for (auto& m : v.GetObject()) {
      if (m.name.GetStringLength() > kMaxPatternCheckedLength) {
        std::string name = placeholder_name((*next_name)++);
        m.name.SetString(name.c_str(), static_cast<rapidjson::SizeType>(name.size()), alloc);
      }
      mask_overlong(m.value, alloc, next_name);
    }
  }
}

// Turns placeholder tokens of a violation in the masked copy back into the real member names.
void unmask_tokens(std::vector<std::string>& tokens, const OverlongStrings& found) {
  if (found.names.empty()) return;
  for (auto& token : tokens) {
    if (!token.starts_with(kPlaceholderPrefix)) continue;
    // A real member name may look like a placeholder ("\u0001mpcheck-overlong-x"): never throw.
    std::size_t n = 0;
    const char* first = token.data() + kPlaceholderPrefix.size();
    const char* last = token.data() + token.size();
    auto [end, ec] = std::from_chars(first, last, n);
    if (ec == std::errc() && end == last && n < found.names.size()) token = found.names[n].back();
  }
}

}  // namespace

std::string_view vendored_file(std::string_view path) { return mpcheck_embedded_schemas(path); }

std::vector<std::string> files_of(SchemaId id) {
  auto& c = compiled(id);
  std::vector<std::string> files{c.root};
  for (const auto& [name, doc] : c.docs)
    if (name != c.root) files.push_back(name);
  return files;
}

std::vector<Violation> validate(SchemaId id, const rapidjson::Value& document) {
  Compiled& c = compiled(id);
  // valijson's Validator caches compiled regexes and is not thread-safe: one per thread.
  thread_local std::array<std::unique_ptr<valijson::Validator>, kSchemaCount> validators;
  auto& v = validators[static_cast<std::size_t>(id)];
  if (!v) v = std::make_unique<valijson::Validator>();

  // Strings too long for std::regex are validated in a copy where they are cut out.
  OverlongStrings overlong;
  std::vector<std::string> path;
  find_overlong(document, path, overlong);
  rapidjson::Document masked;
  if (!overlong.values.empty() || !overlong.names.empty()) {
    masked.CopyFrom(document, masked.GetAllocator());
    mask_overlong(masked, masked.GetAllocator());
  }
  const rapidjson::Value& checked = overlong.values.empty() && overlong.names.empty()
                                        ? document
                                        : static_cast<const rapidjson::Value&>(masked);

  valijson::adapters::RapidJsonAdapter target(checked);
  valijson::ValidationResults results;
  std::vector<Violation> out;
  // Violations already reported, by their index in `out`: one hash lookup per violation instead
  // of a scan, and no second copy of a million pointers and messages.
  auto hash = [&](std::size_t i) {
    return std::hash<std::string>()(out[i].pointer) * 31 + std::hash<std::string>()(out[i].message);
  };
  auto same = [&](std::size_t a, std::size_t b) {
    return out[a].pointer == out[b].pointer && out[a].message == out[b].message;
  };
  std::unordered_set<std::size_t, decltype(hash), decltype(same)> reported(64, hash, same);
  auto add = [&](Violation viol) {
    out.push_back(std::move(viol));
    if (!reported.insert(out.size() - 1).second) out.pop_back();
  };
  for (const auto& tokens : overlong.names) {
    // A member name reaches std::regex only through patternProperties.
    std::vector<std::string> parent(tokens.begin(), tokens.end() - 1);
    const rapidjson::Value* schema = subschema_at(c, parent);
    if (schema && schema->IsObject() && schema->HasMember("patternProperties"))
      add({pointer_of(tokens), "member name of " + std::to_string(tokens.back().size()) +
                                   " bytes is longer than the " +
                                   std::to_string(kMaxPatternCheckedLength) +
                                   " bytes mpcheck checks against the schema"});
  }
  if (v->validate(c.schema, target, &results)) return out;
  valijson::ValidationResults::Error err;
  while (results.popError(err)) {
    if (is_chain_message(err.description)) continue;
    std::vector<std::string> tokens;
    for (std::size_t i = 1; i < err.context.size(); ++i) {  // [0] is "<root>"
      const std::string& t = err.context[i];
      tokens.push_back(t.size() >= 2 ? t.substr(1, t.size() - 2) : t);
    }
    unmask_tokens(tokens, overlong);
    if (overlong.values.count(tokens) &&
        !starts_with(err.description, "Failed to match against any enum values")) {
      // The masked value is empty: a failed pattern stands for the check not made, a length
      // bound says nothing about the real value; an enum fails for both alike.
      if (!starts_with(err.description, "Failed to match regex")) continue;
      const rapidjson::Value* value = rapidjson::Pointer(pointer_of(tokens).c_str()).Get(document);
      std::string seen = value ? render(*value) : "the value";
      std::size_t length = value && value->IsString() ? value->GetStringLength() : 0;
      add({pointer_of(tokens), seen + " is " + std::to_string(length) +
                                   " bytes long, longer than the " +
                                   std::to_string(kMaxPatternCheckedLength) +
                                   " bytes mpcheck checks against the schema pattern"});
      continue;
    }
    for (auto& viol : explain(c, document, std::move(tokens), err.description))
      add(std::move(viol));
  }
  return out;
}

}  // namespace mpcheck::schema
