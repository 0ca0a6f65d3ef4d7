// Checks on application/vnd.cncf.model.config.v1+json beyond its JSON schema (docs/config.md).
#include "document_checker.hpp"
#include "mpcheck/validator/digest.hpp"
#include "mpcheck/validator/lint.hpp"
#include "mpcheck/validator/rule_catalog.hpp"
#include "mpcheck/validator/value_formats.hpp"

namespace mpcheck {
namespace {

struct ConfigChecker : DocumentChecker {

  // Runs `check` on a string member, reporting its failure under `rule`.
  template <typename Check>
  void string_field(const rapidjson::Value* obj, const char* name, const std::string& base,
                    std::string_view rule, Check check) {
    const rapidjson::Value* v = member(obj, name);
    if (!v || !v->IsString()) return;  // absence and type are the schema's business
    if (auto r = check(std::string_view(v->GetString(), v->GetStringLength())); !r)
      add(rule, r.error(), base + "/" + name);
  }

  template <typename Check>
  void string_items(const rapidjson::Value* obj, const char* name, const std::string& base,
                    std::string_view rule, Check check) {
    const rapidjson::Value* arr = member(obj, name);
    if (!arr || !arr->IsArray()) return;
    for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
      const auto& v = (*arr)[i];
      if (!v.IsString()) continue;
      if (auto r = check(std::string_view(v.GetString(), v.GetStringLength())); !r)
        add(rule, r.error(), base + "/" + name + "/" + std::to_string(i));
    }
  }

  void run() {
    const rapidjson::Value* descriptor = member(&root, "descriptor");
    const rapidjson::Value* config = member(&root, "config");
    const rapidjson::Value* modelfs = member(&root, "modelfs");
    const rapidjson::Value* caps = member(config, "capabilities");

    string_field(config, "paramSize", "/config", "MPC002", check_param_size);
    string_field(config, "precision", "/config", "MPC003", check_precision);
    string_items(caps, "languages", "/config/capabilities", "MPC004",
                 [](std::string_view code) -> FormatCheck {
                   // Anything but two lowercase letters is the schema pattern's to report.
                   if (code.size() != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' ||
                       code[1] > 'z')
                     return {};
                   if (is_iso639_1_code(code)) return {};
                   return std::unexpected("\"" + std::string(code) +
                                          "\" is not an ISO 639-1 language code");
                 });
    string_items(descriptor, "licenses", "/descriptor", "MPC005", check_spdx_expression);
    auto date_time = [](const char* field) {
      return [field](std::string_view v) -> FormatCheck {
        if (auto r = check_rfc3339_date_time(v); !r)
          return std::unexpected(std::string(field) + " " + r.error());
        return {};
      };
    };
    string_field(descriptor, "createdAt", "/descriptor", "MPC006", date_time("createdAt"));
    string_field(caps, "knowledgeCutoff", "/config/capabilities", "MPC006",
                 date_time("knowledgeCutoff"));
    string_field(descriptor, "docURL", "/descriptor", "MPC008", check_url);
    string_field(descriptor, "sourceURL", "/descriptor", "MPC008", check_url);
    string_items(descriptor, "datasetsURL", "/descriptor", "MPC008", check_url);

    const rapidjson::Value* diff_ids = member(modelfs, "diffIds");
    if (diff_ids && diff_ids->IsArray()) {
      for (rapidjson::SizeType i = 0; i < diff_ids->Size(); ++i) {
        const auto& v = (*diff_ids)[i];
        if (!v.IsString()) continue;
        std::string ptr = "/modelfs/diffIds/" + std::to_string(i);
        std::string_view text(v.GetString(), v.GetStringLength());
        auto d = parse_digest(text);
        if (!d)
          add("MPC007", "diffId \"" + std::string(text) + "\" " + d.error(), ptr);
        else if (!d->registered)
          add("MPM014",
              "diffId uses the unregistered algorithm \"" + d->algorithm +
                  "\"; its value cannot be verified (registered: sha256, sha512, blake3)",
              ptr);
      }
    }
  }
};

}  // namespace

std::vector<Diagnostic> check_config(const JsonDocument& doc, SpecVersion spec) {
  auto diags = schema_diagnostics(doc,
                                   spec == SpecVersion::Main ? schema::SchemaId::ModelConfigMain
                                                             : schema::SchemaId::ModelConfigV0_0_7,
                                   "MPC001", spec);
  ConfigChecker checker{{doc.root(), to_string(spec), {}}};
  checker.run();
  for (auto& d : checker.out) diags.push_back(std::move(d));
  doc.locate(diags);
  return diags;
}

}  // namespace mpcheck
