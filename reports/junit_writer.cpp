// JUnit XML in the de-facto schema of Jenkins' junit step, GitLab's artifacts:reports:junit
// and GitHub test-reporter actions: counts as attributes, failure text in the element body.
#include <pugixml.hpp>

#include "case_text.hpp"
#include "mpcheck/reports/redact.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports {
namespace {

using detail::format_seconds;
using detail::xml_text;

struct Tally {
  std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
  double time = 0;
  void add(const Case& c) {
    ++tests;
    time += c.duration_seconds > 0 ? c.duration_seconds : 0;
    if (c.status == Status::Fail) ++failures;
    if (c.status == Status::Error) ++errors;
    if (c.status == Status::Skip) ++skipped;
  }
  void set_on(pugi::xml_node node) const {
    node.append_attribute("tests").set_value(std::to_string(tests).c_str());
    node.append_attribute("failures").set_value(std::to_string(failures).c_str());
    node.append_attribute("errors").set_value(std::to_string(errors).c_str());
    node.append_attribute("skipped").set_value(std::to_string(skipped).c_str());
    node.append_attribute("time").set_value(format_seconds(time).c_str());
  }
};

void attr(pugi::xml_node node, const char* name, std::string_view value) {
  node.append_attribute(name).set_value(xml_text(value).c_str());
}

void property(pugi::xml_node props, std::string_view name, std::string_view value) {
  auto p = props.append_child("property");
  attr(p, "name", name);
  attr(p, "value", value);
}

}  // namespace

void write_junit(const Run& run, std::ostream& out) {
  pugi::xml_document doc;
  auto decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version").set_value("1.0");
  decl.append_attribute("encoding").set_value("UTF-8");

  auto root = doc.append_child("testsuites");
  attr(root, "name", run.tool_name + " " + run.command);
  Tally all;
  for (const auto& suite : run.suites)
    for (const auto& c : suite.cases) all.add(c);
  all.set_on(root);

  for (const auto& suite : run.suites) {
    auto ts = root.append_child("testsuite");
    attr(ts, "name", suite.name);
    Tally tally;
    for (const auto& c : suite.cases) tally.add(c);
    tally.set_on(ts);

    auto props = ts.append_child("properties");
    property(props, "target", suite.target);
    property(props, "kind", suite.kind);
    property(props, "command", run.command);
    property(props, "spec", run.spec);
    property(props, "verdict", std::string(verdict_word(run)));
    for (const auto& [key, value] : run.configuration) property(props, key, redact(value));

    for (const auto& c : suite.cases) {
      auto tc = ts.append_child("testcase");
      attr(tc, "name", c.name);
      attr(tc, "classname", suite.name);
      attr(tc, "time", format_seconds(c.duration_seconds));
      std::string body = detail::case_body(c);
      const char* child = c.status == Status::Fail    ? "failure"
                          : c.status == Status::Error ? "error"
                          : c.status == Status::Skip  ? "skipped"
                                                      : nullptr;
      if (child) {
        auto n = tc.append_child(child);
        attr(n, "message", c.message);
        if (c.status != Status::Skip) attr(n, "type", c.required ? "required" : "optional");
        if (!body.empty()) n.text().set(xml_text(body).c_str());
      } else if (!c.details.empty() || !c.findings.empty() || !c.transcript.empty()) {
        // A passing case can still carry warnings and a transcript worth reading.
        tc.append_child("system-out").text().set(xml_text(body).c_str());
      }
    }
  }
  doc.save(out, "  ", pugi::format_default, pugi::encoding_utf8);
}

}  // namespace mpcheck::reports
