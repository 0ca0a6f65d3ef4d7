// Checks on an image manifest for a model artifact (docs/spec.md, docs/annotations.md).
#include <algorithm>

#include "document_checker.hpp"
#include "mpcheck/validator/digest.hpp"
#include "mpcheck/validator/lint.hpp"
#include "mpcheck/validator/media_types.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "mpcheck/validator/value_formats.hpp"

namespace mpcheck {
namespace {

std::string quoted(std::string_view s) {
  std::string q = "\"";
  for (unsigned char c : s.substr(0, 120)) q.push_back(c < 0x20 ? '?' : static_cast<char>(c));
  return q + (s.size() > 120 ? "…\"" : "\"");
}

struct ManifestChecker : DocumentChecker {

  // A required string field that must equal `expected`; pre-rename names get MPM012.
  void exact(const rapidjson::Value* obj, const char* name, const std::string& base,
             std::string_view expected, std::string_view rule, std::string_view what) {
    const rapidjson::Value* v = member(obj, name);
    std::string ptr = base + "/" + name;
    if (!v) {
      add(rule, std::string(what) + " is missing; it must be \"" + std::string(expected) + "\"",
          ptr);
      return;
    }
    if (!v->IsString()) return;  // schema reports the type
    std::string_view s = as_view(*v);
    if (s == expected) return;
    if (auto repl = cncf_replacement(s); repl && *repl == expected) {
      add("MPM012",
          std::string(what) + " " + quoted(s) +
              " is the pre-rename name; ModelPack now uses \"" + *repl + "\"",
          ptr);
      return;
    }
    add(rule, std::string(what) + " is " + quoted(s) + "; it must be \"" + std::string(expected) +
                  "\"",
        ptr);
  }

  void digest(const rapidjson::Value* desc, const std::string& base) {
    const rapidjson::Value* v = member(desc, "digest");
    if (!v || !v->IsString()) return;
    auto d = parse_digest(as_view(*v));
    if (!d)
      add("MPM006", "digest " + quoted(as_view(*v)) + " " + d.error(), base + "/digest");
    else if (!d->registered)
      add("MPM014",
          "digest uses the unregistered algorithm \"" + d->algorithm +
              "\"; mpcheck cannot verify it (registered: sha256, sha512, blake3)",
          base + "/digest");
  }

  void size(const rapidjson::Value* desc, const std::string& base) {
    const rapidjson::Value* v = member(desc, "size");
    if (!v || !v->IsNumber()) return;  // missing or wrong type: schema
    if (v->IsInt64() && v->GetInt64() >= 0) return;
    std::string seen = v->IsInt64()    ? std::to_string(v->GetInt64())
                       : v->IsUint64() ? std::to_string(v->GetUint64())
                                       : std::to_string(v->GetDouble());
    add("MPM007", "size " + seen + " is not a byte count (a non-negative integer up to 2^63-1)",
        base + "/size");
  }

  // Annotations must map strings to strings; returns the object when it is usable.
  const rapidjson::Value* annotations(const rapidjson::Value* obj, const std::string& base) {
    const rapidjson::Value* a = member(obj, "annotations");
    if (!a) return nullptr;
    std::string ptr = base + "/annotations";
    if (!a->IsObject()) {
      add("MPM008", std::string("annotations is ") + std::string(json_type_name(*a)) +
                        "; it must be an object mapping strings to strings",
          ptr);
      return nullptr;
    }
    for (const auto& m : a->GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      std::string kp = ptr;
      append_pointer_token(kp, key);
      if (!m.value.IsString())
        add("MPM008",
            "annotation " + quoted(key) + " has a " + std::string(json_type_name(m.value)) +
                " value " + describe_value(m.value) + "; annotation values must be strings",
            kp);
      if (auto repl = cncf_replacement(key))
        add("MPM013",
            "annotation key " + quoted(key) + " is the pre-rename name; use \"" + *repl + "\"", kp);
    }
    return a;
  }

  void filepath(std::string_view p, const std::string& ptr) {
    auto bad = [&](std::string why) {
      add("MPM009", std::string(kAnnotationFilepath) + " " + quoted(p) + " " + why, ptr);
    };
    if (p.empty()) return bad("is empty; it must name the file the layer holds");
    if (p.find('\0') != std::string_view::npos) return bad("contains a NUL byte");
    if (p.front() == '/' || p.front() == '\\' ||
        (p.size() >= 2 && p[1] == ':' && std::isalpha(static_cast<unsigned char>(p[0]))))
      return bad("is absolute; it must be relative to the model root");
    std::size_t start = 0;
    while (start <= p.size()) {
      auto end = p.find_first_of("/\\", start);
      std::string_view part = p.substr(start, end == std::string_view::npos ? p.npos : end - start);
      if (part == "..") return bad("has a \"..\" component; it must stay inside the model root");
      if (end == std::string_view::npos) break;
      start = end + 1;
    }
  }

  void file_metadata(std::string_view text, const std::string& ptr) {
    const std::string key(kAnnotationFileMetadata);
    JsonLimits limits;
    limits.max_bytes = 64 * 1024;
    limits.max_depth = 8;
    auto parsed = parse_json(std::string(text), limits);
    if (!parsed.document || !parsed.diagnostics.empty()) {
      std::string why = parsed.diagnostics.empty() ? "is not JSON" : parsed.diagnostics[0].message;
      add("MPM010", key + " is not valid JSON: " + why, ptr);
      return;
    }
    const auto& v = parsed.document->root();
    if (!v.IsObject()) {
      add("MPM010", key + " is a JSON " + std::string(json_type_name(v)) +
                        "; it must be a FileMetadata object",
          ptr);
      return;
    }
    struct Field {
      const char* name;
      enum { String, U32, I64, Byte, Time } type;
    };
    static constexpr Field kFields[] = {{"name", Field::String}, {"mode", Field::U32},
                                        {"uid", Field::U32},     {"gid", Field::U32},
                                        {"size", Field::I64},    {"mtime", Field::Time},
                                        {"typeflag", Field::Byte}};
    for (const auto& m : v.GetObject()) {
      std::string_view name = as_view(m.name);
      if (std::none_of(std::begin(kFields), std::end(kFields),
                       [&](const Field& f) { return name == f.name; }))
        add("MPM016",
            key + " has the member " + quoted(name) +
                ", which FileMetadata does not define (defined: name, mode, uid, gid, size, "
                "mtime, typeflag)",
            ptr);
    }
    for (const auto& f : kFields) {
      auto it = v.FindMember(f.name);
      if (it == v.MemberEnd()) {
        add("MPM010", key + " lacks \"" + f.name + "\"", ptr);
        continue;
      }
      const auto& x = it->value;
      std::string problem;
      switch (f.type) {
        case Field::String:
          if (!x.IsString()) problem = "must be a string";
          break;
        case Field::U32:
          if (!x.IsUint()) problem = "must be an integer from 0 to 4294967295";
          break;
        case Field::I64:
          if (!x.IsInt64() || x.GetInt64() < 0) problem = "must be a non-negative integer";
          break;
        case Field::Byte:
          if (!x.IsUint() || x.GetUint() > 255) problem = "must be an integer from 0 to 255";
          break;
        case Field::Time:
          if (!x.IsString())
            problem = "must be an RFC 3339 date-time string";
          else if (auto r = check_rfc3339_date_time(as_view(x)); !r)
            problem = "is " + r.error();
          break;
      }
      if (!problem.empty())
        add("MPM010", key + " field \"" + f.name + "\" " + problem + "; found " + describe_value(x),
            ptr);
    }
  }

  // MPM015: without org.cncf.model.filepath an unpacker cannot tell which file a layer holds.
  // A pre-rename org.cnai key is MPM013's to report.
  void missing_filepath(const rapidjson::Value* a, const std::string& base) {
    std::string seen = "none";
    if (a && a->IsObject()) {
      if (a->HasMember(
              rapidjson::StringRef(kAnnotationFilepath.data(), kAnnotationFilepath.size())))
        return;
      for (const auto& m : a->GetObject()) {
        std::string_view key = as_view(m.name);
        if (auto repl = cncf_replacement(key); repl && *repl == kAnnotationFilepath) return;
        seen = seen == "none" ? quoted(key) : seen + ", " + quoted(key);
      }
    }
    add("MPM015",
        "layer has no " + std::string(kAnnotationFilepath) +
            " annotation; the spec's predefined key should name the file or directory the layer "
            "holds (annotation keys seen: " +
            seen + ")",
        base + (a ? "/annotations" : ""));
  }

  // MPA012: the well-known empty JSON blob ({}) as the model config lacks every REQUIRED
  // member of config.md; the digest alone shows it, so lint reports it without the blob.
  void empty_config(const rapidjson::Value* config) {
    const rapidjson::Value* mt = member(config, "mediaType");
    const rapidjson::Value* dg = member(config, "digest");
    if (!mt || !mt->IsString() || as_view(*mt) != kModelConfigMediaType) return;
    if (!dg || !dg->IsString() || as_view(*dg) != kEmptyJsonDigest) return;
    add("MPA012",
        "config digest " + std::string(kEmptyJsonDigest) +
            " is the empty JSON object {}; a config of type " + std::string(kModelConfigMediaType) +
            " must hold the REQUIRED descriptor, config and modelfs",
        "/config/digest");
  }

  void layer(const rapidjson::Value& l, std::size_t i) {
    std::string base = "/layers/" + std::to_string(i);
    if (!l.IsObject()) return;
    if (const rapidjson::Value* mt = member(&l, "mediaType"); mt && mt->IsString()) {
      std::string_view s = as_view(*mt);
      if (!find_layer_media_type(s)) {
        // The layer types are a SHOULD of the spec, so a pre-rename one is a warning too.
        if (auto repl = cncf_replacement(s); repl && find_layer_media_type(*repl))
          add("MPM005",
              "layer mediaType " + quoted(s) + " is the pre-rename name; use \"" + *repl + "\"",
              base + "/mediaType");
        else
          add("MPM005",
              "layer mediaType " + quoted(s) +
                  " is not a ModelPack layer type (application/vnd.cncf.model.{weight,"
                  "weight.config,doc,code,dataset}.v1.{raw,tar,tar+gzip,tar+zstd})",
              base + "/mediaType");
      }
    }
    digest(&l, base);
    size(&l, base);
    const rapidjson::Value* a = annotations(&l, base);
    missing_filepath(a, base);
    if (!a) return;
    auto ann = [&](std::string_view key) -> const rapidjson::Value* {
      auto it = a->FindMember(rapidjson::StringRef(key.data(), key.size()));
      return it != a->MemberEnd() && it->value.IsString() ? &it->value : nullptr;
    };
    auto ann_ptr = [&](std::string_view key) {
      std::string p = base + "/annotations";
      append_pointer_token(p, key);
      return p;
    };
    if (auto* v = ann(kAnnotationFilepath)) filepath(as_view(*v), ann_ptr(kAnnotationFilepath));
    if (auto* v = ann(kAnnotationFileMetadata))
      file_metadata(as_view(*v), ann_ptr(kAnnotationFileMetadata));
    if (auto* v = ann(kAnnotationMediaTypeUntested)) {
      std::string_view s = as_view(*v);
      if (s != "true" && s != "false")
        add("MPM011",
            std::string(kAnnotationMediaTypeUntested) + " is " + quoted(s) +
                "; it must be \"true\" or \"false\"",
            ann_ptr(kAnnotationMediaTypeUntested));
    }
  }

  void run() {
    if (!root.IsObject()) return;  // the schema reports it
    exact(&root, "mediaType", "", kOciManifestMediaType, "MPM002", "mediaType");
    exact(&root, "artifactType", "", kModelManifestArtifactType, "MPM003", "artifactType");
    annotations(&root, "");
    if (const rapidjson::Value* config = member(&root, "config"); config && config->IsObject()) {
      exact(config, "mediaType", "/config", kModelConfigMediaType, "MPM004", "config mediaType");
      digest(config, "/config");
      size(config, "/config");
      annotations(config, "/config");
      empty_config(config);
    }
    if (const rapidjson::Value* subject = member(&root, "subject");
        subject && subject->IsObject()) {
      digest(subject, "/subject");
      size(subject, "/subject");
    }
    if (const rapidjson::Value* layers = member(&root, "layers"); layers && layers->IsArray())
      for (rapidjson::SizeType i = 0; i < layers->Size(); ++i) layer((*layers)[i], i);
  }
};

}  // namespace

std::vector<Diagnostic> check_manifest(const JsonDocument& doc, SpecVersion spec) {
  ManifestChecker checker{{doc.root(), to_string(spec), {}}};
  checker.run();
  // A dedicated rule says more than the schema about the same value: keep only the rule.
  auto diags = schema_diagnostics(doc, schema::SchemaId::ImageManifest, "MPM001", spec);
  std::erase_if(diags, [&](const Diagnostic& s) {
    return std::any_of(checker.out.begin(), checker.out.end(), [&](const Diagnostic& d) {
      return d.pointer == s.pointer;
    });
  });
  for (auto& d : checker.out) diags.push_back(std::move(d));
  doc.locate(diags);
  return diags;
}

}  // namespace mpcheck
