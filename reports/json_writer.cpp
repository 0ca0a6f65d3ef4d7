#include "json_out.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"

namespace mpcheck::reports {

void write_lint_json(const Run& run, std::ostream& out) {
  detail::JsonOut j(out);
  auto& w = j.raw();
  auto str = [&](std::string_view s) { j.str(s); };
  Counts counts = count(run);
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
    if (suite.name != suite.target) {  // validate: one result per manifest of a layout
      w.Key("name");
      str(suite.name);
    }
    w.Key("kind");
    str(suite.kind);
    w.Key("valid");
    w.Bool(suite_passed(suite));
    if (is_certification(run)) {  // conformance and tools: every case, not only findings
      w.Key("cases");
      w.StartArray();
      for (const auto& c : suite.cases) {
        w.StartObject();
        w.Key("name");
        str(c.name);
        w.Key("status");
        str(to_string(c.status));
        w.Key("required");
        w.Bool(c.required);
        w.Key("message");
        str(c.message);
        w.EndObject();
      }
      w.EndArray();
    }
    w.Key("diagnostics");
    w.StartArray();
    for (const auto& c : suite.cases) {
      for (const auto& f : c.findings) {
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
        detail::write_where(j, f);
        w.EndObject();
      }
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("problems");
  w.StartArray();
  for (const auto& p : run.problems) str(p);
  w.EndArray();
  w.Key("summary");
  w.StartObject();
  w.Key("verdict");
  str(verdict_word(run));
  w.Key("targets");
  w.Uint64(run.suites.size());
  w.Key("invalid");
  w.Uint64(counts.failed_suites);
  w.Key("errors");
  w.Uint64(counts.errors);
  w.Key("warnings");
  w.Uint64(counts.warnings);
  w.Key("passed");
  w.Uint64(counts.passed);
  w.Key("failed");
  w.Uint64(counts.failed + counts.errored);
  w.Key("optionalFailed");
  w.Uint64(counts.optional_failed);
  w.Key("skipped");
  w.Uint64(counts.skipped);
  w.EndObject();
  w.EndObject();
  out << '\n';
}

}  // namespace mpcheck::reports
