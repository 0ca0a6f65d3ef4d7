// results.json: the whole Run, lossless, so shards can be merged and re-rendered later.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <limits>
#include <set>

#include "json_out.hpp"
#include "mpcheck/reports/redact.hpp"
#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"

namespace mpcheck::reports {
namespace {

constexpr int kFormatVersion = 1;

void write_finding(detail::JsonOut& j, const Finding& f) {
  auto& w = j.raw();
  w.StartObject();
  j.member("rule", f.rule);
  j.member("severity", f.severity);
  j.member("message", f.message);
  j.member("pointer", f.pointer);
  j.key("line");
  w.Uint(f.line);
  j.key("column");
  w.Uint(f.column);
  j.member("spec", f.spec);
  detail::write_where(j, f);
  w.EndObject();
}

}  // namespace

void write_results_json(const Run& run, std::ostream& out) {
  detail::JsonOut j(out);
  auto& w = j.raw();
  Counts counts = count(run);
  w.StartObject();
  j.key("formatVersion");
  w.Int(kFormatVersion);
  j.key("tool");
  w.StartObject();
  j.member("name", run.tool_name);
  j.member("version", run.tool_version);
  w.EndObject();
  j.member("command", run.command);
  j.member("spec", run.spec);
  j.key("targets");
  w.StartArray();
  for (const auto& s : run.suites) j.str(s.target);
  w.EndArray();
  j.member("verdict", verdict_word(run));
  j.key("problems");
  w.StartArray();
  for (const auto& p : run.problems) j.str(p);
  w.EndArray();
  j.key("configuration");
  w.StartObject();
  for (const auto& [k, v] : run.configuration) j.member(k, redact(v));
  w.EndObject();
  j.key("suites");
  w.StartArray();
  for (const auto& s : run.suites) {
    w.StartObject();
    j.member("name", s.name);
    j.member("target", s.target);
    j.member("kind", s.kind);
    w.EndObject();
  }
  w.EndArray();
  j.key("cases");
  w.StartArray();
  for (std::size_t si = 0; si < run.suites.size(); ++si) {
    const Suite& s = run.suites[si];
    for (const auto& c : s.cases) {
      w.StartObject();
      j.member("suite", s.name);
      j.key("suiteIndex");
      w.Uint64(si);
      j.member("name", c.name);
      j.member("status", to_string(c.status));
      j.key("required");
      w.Bool(c.required);
      j.member("message", c.message);
      j.key("duration");
      w.Double(c.duration_seconds >= 0 && c.duration_seconds < 1e12 ? c.duration_seconds : 0);
      if (!c.details.empty()) j.member("details", redact(c.details));
      if (!c.spec_links.empty()) {
        j.key("specLinks");
        w.StartArray();
        for (const auto& l : c.spec_links) j.str(l);
        w.EndArray();
      }
      if (!c.findings.empty()) {
        j.key("findings");
        w.StartArray();
        for (const auto& f : c.findings) write_finding(j, f);
        w.EndArray();
      }
      if (!c.transcript.empty()) {
        j.key("transcript");
        w.StartArray();
        for (const auto& e : c.transcript) {
          w.StartObject();
          j.member("request", redact(e.request));
          j.member("response", redact(e.response));
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
    }
  }
  w.EndArray();
  j.key("rules");
  w.StartArray();
  for (const auto& r : run.rules) {
    w.StartObject();
    j.member("id", r.id);
    j.member("severity", r.severity);
    j.member("scope", r.scope);
    j.member("title", r.title);
    j.member("spec", r.spec);
    w.EndObject();
  }
  w.EndArray();
  j.key("summary");
  w.StartObject();
  j.key("total");
  w.Uint64(counts.passed + counts.failed + counts.skipped + counts.errored);
  j.key("passed");
  w.Uint64(counts.passed);
  j.key("failed");
  w.Uint64(counts.failed);
  j.key("skipped");
  w.Uint64(counts.skipped);
  j.key("errors");
  w.Uint64(counts.errored);
  j.key("errorFindings");
  w.Uint64(counts.errors);
  j.key("warningFindings");
  w.Uint64(counts.warnings);
  w.EndObject();
  w.EndObject();
  out << '\n';
}

// ---- reading back ---------------------------------------------------------------------------

namespace {

using Value = rapidjson::Value;

// Field access with a path in every error, so a malformed shard says where it is broken.
struct Reader {
  std::string error;

  bool fail(std::string msg) {
    if (error.empty()) error = std::move(msg);
    return false;
  }
  const Value* member(const Value& obj, const char* key, const std::string& where) {
    if (!obj.IsObject()) return fail(where + " is not an object"), nullptr;
    auto it = obj.FindMember(key);
    return it == obj.MemberEnd() ? nullptr : &it->value;
  }
  bool str(const Value& obj, const char* key, const std::string& where, std::string& out,
           bool required = true) {
    const Value* v = member(obj, key, where);
    if (!v) return required ? fail(where + "." + key + " is missing") : error.empty();
    if (!v->IsString()) return fail(where + "." + key + " is not a string");
    out.assign(v->GetString(), v->GetStringLength());
    return true;
  }
  template <typename T>
  bool uint(const Value& obj, const char* key, const std::string& where, T& out) {
    const Value* v = member(obj, key, where);
    if (!v) return error.empty();
    if (!v->IsUint64() || v->GetUint64() > std::numeric_limits<T>::max())
      return fail(where + "." + key + " is not a non-negative integer");
    out = static_cast<T>(v->GetUint64());
    return true;
  }
  const Value* array(const Value& obj, const char* key, const std::string& where, bool required) {
    const Value* v = member(obj, key, where);
    if (!v) return required ? (fail(where + "." + key + " is missing"), nullptr) : nullptr;
    if (!v->IsArray()) return fail(where + "." + key + " is not an array"), nullptr;
    return v;
  }
};

std::optional<Status> parse_status(std::string_view s) {
  if (s == "pass") return Status::Pass;
  if (s == "fail") return Status::Fail;
  if (s == "skip") return Status::Skip;
  if (s == "error") return Status::Error;
  return std::nullopt;
}

bool read_finding(Reader& r, const Value& v, const std::string& at, Finding& f) {
  r.str(v, "rule", at, f.rule);
  r.str(v, "severity", at, f.severity);
  r.str(v, "message", at, f.message);
  r.str(v, "pointer", at, f.pointer, false);
  r.uint(v, "line", at, f.line);
  r.uint(v, "column", at, f.column);
  r.str(v, "spec", at, f.spec, false);
  r.str(v, "manifest", at, f.manifest_digest, false);
  if (const Value* layer = r.member(v, "layer", at)) {
    if (!layer->IsUint64()) return r.fail(at + ".layer is not a non-negative integer");
    f.layer_index = layer->GetUint64();
  }
  r.str(v, "layerDigest", at, f.layer_digest, false);
  r.str(v, "entry", at, f.entry, false);
  r.str(v, "blob", at, f.blob, false);
  r.str(v, "file", at, f.file, false);
  return r.error.empty();
}

bool read_case(Reader& r, const Value& v, const std::string& at, Case& c, std::string& suite,
               std::optional<std::size_t>& suite_index) {
  std::string status;
  r.str(v, "suite", at, suite);
  if (const Value* si = r.member(v, "suiteIndex", at); si && si->IsUint64())
    suite_index = si->GetUint64();
  r.str(v, "name", at, c.name);
  if (!r.str(v, "status", at, status)) return false;
  auto st = parse_status(status);
  if (!st) return r.fail(at + ".status \"" + status + "\" is not pass, fail, skip or error");
  c.status = *st;
  if (const Value* req = r.member(v, "required", at)) {
    if (!req->IsBool()) return r.fail(at + ".required is not a boolean");
    c.required = req->GetBool();
  }
  r.str(v, "message", at, c.message, false);
  if (const Value* d = r.member(v, "duration", at)) {
    if (!d->IsNumber()) return r.fail(at + ".duration is not a number");
    c.duration_seconds = d->GetDouble();
  }
  r.str(v, "details", at, c.details, false);
  if (const Value* links = r.array(v, "specLinks", at, false)) {
    for (const auto& l : links->GetArray()) {
      if (!l.IsString()) return r.fail(at + ".specLinks holds a non-string");
      c.spec_links.emplace_back(l.GetString(), l.GetStringLength());
    }
  }
  if (const Value* fs = r.array(v, "findings", at, false)) {
    for (rapidjson::SizeType i = 0; i < fs->Size(); ++i) {
      Finding f;
      if (!read_finding(r, (*fs)[i], at + ".findings[" + std::to_string(i) + "]", f)) return false;
      c.findings.push_back(std::move(f));
    }
  }
  if (const Value* ts = r.array(v, "transcript", at, false)) {
    for (rapidjson::SizeType i = 0; i < ts->Size(); ++i) {
      std::string where = at + ".transcript[" + std::to_string(i) + "]";
      Exchange e;
      r.str((*ts)[i], "request", where, e.request, false);
      r.str((*ts)[i], "response", where, e.response, false);
      c.transcript.push_back(std::move(e));
    }
  }
  return r.error.empty();
}

}  // namespace

std::expected<Run, std::string> parse_results_json(std::string_view text) {
  rapidjson::Document doc;
  // Iterative parsing: a hostile file cannot exhaust the stack with deep nesting.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(),
                                                                                    text.size());
  if (doc.HasParseError())
    return std::unexpected("not valid JSON at byte " + std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return std::unexpected("not a results.json: the top level is not an object");
  if (!doc.HasMember("cases") || !doc.HasMember("tool"))
    return std::unexpected("not a results.json: \"tool\" or \"cases\" is missing");

  Reader r;
  Run run;
  if (const Value* tool = r.member(doc, "tool", "$")) {
    r.str(*tool, "name", "$.tool", run.tool_name);
    r.str(*tool, "version", "$.tool", run.tool_version, false);
  }
  r.str(doc, "command", "$", run.command);
  r.str(doc, "spec", "$", run.spec, false);
  // "verdict" is not read back: it is recomputed from the cases and problems (verdict.hpp).
  if (const Value* problems = r.array(doc, "problems", "$", false)) {
    for (const auto& p : problems->GetArray()) {
      if (!p.IsString()) return std::unexpected("$.problems entries must be strings");
      run.problems.emplace_back(p.GetString(), p.GetStringLength());
    }
  }
  if (const Value* cfg = r.member(doc, "configuration", "$")) {
    if (!cfg->IsObject()) return std::unexpected("$.configuration is not an object");
    for (const auto& m : cfg->GetObject()) {
      if (!m.value.IsString()) return std::unexpected("$.configuration values must be strings");
      run.configuration.emplace(std::string(m.name.GetString(), m.name.GetStringLength()),
                                std::string(m.value.GetString(), m.value.GetStringLength()));
    }
  }
  if (const Value* suites = r.array(doc, "suites", "$", false)) {
    for (rapidjson::SizeType i = 0; i < suites->Size(); ++i) {
      std::string at = "$.suites[" + std::to_string(i) + "]";
      Suite s;
      r.str((*suites)[i], "name", at, s.name);
      r.str((*suites)[i], "target", at, s.target, false);
      r.str((*suites)[i], "kind", at, s.kind, false);
      run.suites.push_back(std::move(s));
    }
  }
  if (const Value* cases = r.array(doc, "cases", "$", true)) {
    for (rapidjson::SizeType i = 0; i < cases->Size(); ++i) {
      std::string at = "$.cases[" + std::to_string(i) + "]";
      Case c;
      std::string suite_name;
      std::optional<std::size_t> suite_index;
      if (!read_case(r, (*cases)[i], at, c, suite_name, suite_index)) break;
      Suite* suite = nullptr;
      // suiteIndex tells apart suites of the same name (one file linted twice).
      if (suite_index && *suite_index < run.suites.size() &&
          run.suites[*suite_index].name == suite_name)
        suite = &run.suites[*suite_index];
      for (std::size_t k = 0; !suite && k < run.suites.size(); ++k)
        if (run.suites[k].name == suite_name) suite = &run.suites[k];
      if (!suite) {  // a case of a suite not listed under "suites": make the suite up
        run.suites.push_back(Suite{suite_name, suite_name, "", {}});
        suite = &run.suites.back();
      }
      suite->cases.push_back(std::move(c));
    }
  }
  if (const Value* rules = r.array(doc, "rules", "$", false)) {
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
      std::string at = "$.rules[" + std::to_string(i) + "]";
      RuleInfo info;
      r.str((*rules)[i], "id", at, info.id);
      r.str((*rules)[i], "severity", at, info.severity, false);
      r.str((*rules)[i], "scope", at, info.scope, false);
      r.str((*rules)[i], "title", at, info.title, false);
      r.str((*rules)[i], "spec", at, info.spec, false);
      run.rules.push_back(std::move(info));
    }
  }
  if (!r.error.empty()) return std::unexpected(r.error);
  return run;
}

std::expected<Run, std::string> read_results_json(const std::filesystem::path& path,
                                                  std::size_t max_bytes) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return std::unexpected(path.string() + ": " + ec.message());
  if (size > max_bytes)
    return std::unexpected(path.string() + ": " + std::to_string(size) +
                           " bytes; the limit for a results.json is " + std::to_string(max_bytes) +
                           " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::unexpected(path.string() + ": cannot open");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return std::unexpected(path.string() + ": read error");
  auto run = parse_results_json(text);
  if (!run) return std::unexpected(path.string() + ": " + run.error());
  return run;
}

}  // namespace mpcheck::reports
