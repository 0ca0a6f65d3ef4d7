// SARIF 2.1.0 (OASIS), the subset GitHub code scanning, GitLab and SARIF viewers read.
#include <cctype>
#include <map>

#include "json_out.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"

namespace mpcheck::reports {
namespace {

constexpr std::string_view kSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
// mpcheck has no home page of its own yet; the spec it checks is the next best pointer.
constexpr std::string_view kInformationUri = "https://github.com/modelpack/model-spec";

std::string_view level(std::string_view severity) {
  if (severity == "error") return "error";
  if (severity == "warning") return "warning";
  return "note";
}

// SARIF's rule name is an identifier: "Config media type is wrong" -> "ConfigMediaTypeIsWrong".
std::string rule_name(const RuleInfo& r) {
  std::string name;
  bool upper = true;
  for (unsigned char c : r.title) {
    if (std::isalnum(c)) {
      name.push_back(upper ? static_cast<char>(std::toupper(c)) : static_cast<char>(c));
      upper = false;
    } else {
      upper = true;
    }
  }
  return name.empty() ? r.id : name;
}

// A relative path or a reference as a URI reference: percent-encode what a URI cannot hold.
std::string to_uri(std::string_view target) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : target) {
    if (std::isalnum(c) || std::string_view("-._~/:@!$&()*+,;=").find(static_cast<char>(c)) !=
                               std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

}  // namespace

void write_sarif(const Run& run, std::ostream& out) {
  detail::JsonOut j(out);
  auto& w = j.raw();
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < run.rules.size(); ++i) rule_index.emplace(run.rules[i].id, i);

  w.StartObject();
  j.member("$schema", kSchema);
  j.member("version", "2.1.0");
  j.key("runs");
  w.StartArray();
  w.StartObject();

  j.key("tool");
  w.StartObject();
  j.key("driver");
  w.StartObject();
  j.member("name", run.tool_name);
  j.member("version", run.tool_version);
  j.member("informationUri", kInformationUri);
  j.key("rules");
  w.StartArray();
  for (const auto& r : run.rules) {
    w.StartObject();
    j.member("id", r.id);
    j.member("name", rule_name(r));
    j.key("shortDescription");
    w.StartObject();
    j.member("text", r.title);
    w.EndObject();
    if (!r.spec.empty()) j.member("helpUri", r.spec);
    j.key("defaultConfiguration");
    w.StartObject();
    j.member("level", level(r.severity));
    w.EndObject();
    j.key("properties");
    w.StartObject();
    j.member("scope", r.scope);
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();  // driver
  w.EndObject();  // tool

  j.key("invocations");
  w.StartArray();
  w.StartObject();
  j.key("executionSuccessful");
  w.Bool(true);
  j.key("properties");
  w.StartObject();
  j.member("command", run.command);
  j.member("spec", run.spec);
  j.member("verdict", verdict_word(run));
  w.EndObject();
  w.EndObject();
  w.EndArray();

  j.key("results");
  w.StartArray();
  for (const auto& suite : run.suites) {
    for (const auto& c : suite.cases) {
      for (const auto& f : c.findings) {
        w.StartObject();
        j.member("ruleId", f.rule);
        if (auto it = rule_index.find(f.rule); it != rule_index.end()) {
          j.key("ruleIndex");
          w.Uint64(it->second);
        }
        j.member("level", level(f.severity));
        j.key("message");
        w.StartObject();
        j.member("text", f.message);
        w.EndObject();
        j.key("locations");
        w.StartArray();
        w.StartObject();
        j.key("physicalLocation");
        w.StartObject();
        j.key("artifactLocation");
        w.StartObject();
        j.member("uri", to_uri(f.file.empty() ? suite.target : f.file));
        w.EndObject();
        if (f.line > 0) {  // SARIF regions are 1-based; 0 means "unknown"
          j.key("region");
          w.StartObject();
          j.key("startLine");
          w.Uint(f.line);
          if (f.column > 0) {
            j.key("startColumn");
            w.Uint(f.column);
          }
          w.EndObject();
        }
        w.EndObject();  // physicalLocation
        if (!f.pointer.empty()) {
          j.key("logicalLocations");
          w.StartArray();
          w.StartObject();
          j.member("fullyQualifiedName", f.pointer);
          j.member("kind", "member");
          w.EndObject();
          w.EndArray();
        }
        w.EndObject();
        w.EndArray();  // locations
        if (detail::has_where(f) || !f.spec.empty()) {
          j.key("properties");
          w.StartObject();
          if (!f.spec.empty()) j.member("spec", f.spec);
          detail::write_where(j, f);
          w.EndObject();
        }
        w.EndObject();
      }
    }
  }
  w.EndArray();

  w.EndObject();  // run
  w.EndArray();
  w.EndObject();
  out << '\n';
}

}  // namespace mpcheck::reports
