#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include "mpcheck/reports/writers.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports {

void write_lint_json(const Run& run, std::ostream& out) {
  rapidjson::OStreamWrapper os(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> w(os);
  w.SetIndent(' ', 2);
  auto str = [&](std::string_view s) {
    std::string safe = detail::json_text(s);  // a path or value may not be valid UTF-8
    w.String(safe.data(), static_cast<rapidjson::SizeType>(safe.size()));
  };
  std::size_t errors = 0, warnings = 0;
  w.StartObject();
  w.Key("tool");
  w.StartObject();
  w.Key("name");
  str(run.tool_name);
  w.Key("version");
  str(run.tool_version);
  w.EndObject();
  w.Key("spec");
  str(run.spec);
  w.Key("results");
  w.StartArray();
  for (const auto& suite : run.suites) {
    w.StartObject();
    w.Key("target");
    str(suite.target);
    w.Key("kind");
    str(suite.kind);
    w.Key("valid");
    w.Bool(suite_valid(suite));
    w.Key("diagnostics");
    w.StartArray();
    for (const auto& c : suite.cases) {
      for (const auto& f : c.findings) {
        (f.severity == "error" ? errors : warnings)++;
        w.StartObject();
        w.Key("rule");
        str(f.rule);
        w.Key("severity");
        str(f.severity);
        w.Key("message");
        str(f.message);
        w.Key("pointer");
        str(f.pointer);
        w.Key("line");
        w.Uint(f.line);
        w.Key("column");
        w.Uint(f.column);
        w.Key("spec");
        str(f.spec);
        if (!f.manifest_digest.empty()) {
          w.Key("manifest");
          str(f.manifest_digest);
        }
        if (f.layer_index) {
          w.Key("layer");
          w.Uint64(*f.layer_index);
        }
        if (!f.layer_digest.empty()) {
          w.Key("layerDigest");
          str(f.layer_digest);
        }
        if (!f.entry.empty()) {
          w.Key("entry");
          str(f.entry);
        }
        w.EndObject();
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("summary");
  w.StartObject();
  w.Key("targets");
  w.Uint64(run.suites.size());
  w.Key("errors");
  w.Uint64(errors);
  w.Key("warnings");
  w.Uint64(warnings);
  w.EndObject();
  w.EndObject();
  out << '\n';
}

}  // namespace mpcheck::reports
