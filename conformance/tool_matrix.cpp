#include "mpcheck/conformance/tool_matrix.hpp"

#include <algorithm>
#include <sstream>

#include "mpcheck/conformance/tool_profile.hpp"

namespace mpcheck::conformance {

using reports::Case;
using reports::Status;

InteropMatrix interop_matrix(const std::vector<reports::Suite>& suites) {
  InteropMatrix m;
  auto add_tool = [&](const std::string& t) {
    if (std::find(m.tools.begin(), m.tools.end(), t) == m.tools.end()) m.tools.push_back(t);
  };
  for (const auto& s : suites) {
    if (s.kind != "tool") continue;
    std::string tool = s.name.starts_with("tools: ") ? s.name.substr(7) : s.name;
    add_tool(tool);
    if (s.target.starts_with(tool + " ")) m.versions[tool] = s.target.substr(tool.size() + 1);
    for (const auto& c : s.cases) {
      std::istringstream words(c.name);
      std::string t, op, fixture, rest;
      if (!(words >> t >> op >> fixture) || (words >> rest) || !parse_tool_operation(op)) continue;
      add_tool(t);
      if (std::find(m.fixtures.begin(), m.fixtures.end(), fixture) == m.fixtures.end())
        m.fixtures.push_back(fixture);
      m.cells[t][op][fixture] = {c.status, c.message};
    }
  }
  return m;
}

namespace {
std::string cell_word(reports::Status s) {
  switch (s) {
    case Status::Pass:
      return "pass";
    case Status::Fail:
      return "FAIL";
    case Status::Error:
      return "error";
    case Status::Skip:
      return "skipped";
  }
  return "?";
}
}  // namespace

std::string render_matrix_markdown(const InteropMatrix& m) {
  std::string out = "| tool | version | operation |";
  std::string rule = "|---|---|---|";
  for (const auto& f : m.fixtures) {
    out += " " + f + " |";
    rule += "---|";
  }
  out += "\n" + rule + "\n";
  for (const auto& tool : m.tools) {
    auto v = m.versions.find(tool);
    std::string version = v == m.versions.end() ? "" : v->second;
    auto tool_cells = m.cells.find(tool);
    for (auto op : kToolOperations) {
      std::string op_name(to_string(op));
      out += "| " + tool + " | " + version + " | " + op_name + " |";
      const std::map<std::string, InteropMatrix::Cell>* row = nullptr;
      if (tool_cells != m.cells.end()) {
        auto r = tool_cells->second.find(op_name);
        if (r != tool_cells->second.end()) row = &r->second;
      }
      for (const auto& f : m.fixtures) {
        if (!row) {
          out += " — |";
          continue;
        }
        auto cell = row->find(f);
        out +=
            " " + (cell == row->end() ? std::string("—") : cell_word(cell->second.status)) + " |";
      }
      out += "\n";
    }
  }
  return out;
}

reports::Suite matrix_suite(const InteropMatrix& m) {
  reports::Suite s;
  s.name = "interoperability matrix";
  s.kind = "matrix";
  s.target = "tool x operation x fixture";
  for (const auto& tool : m.tools) {
    auto tool_cells = m.cells.find(tool);
    for (auto op : kToolOperations) {
      std::string op_name(to_string(op));
      Case c;
      c.name = tool + " " + op_name;
      c.required = false;
      const std::map<std::string, InteropMatrix::Cell>* row = nullptr;
      if (tool_cells != m.cells.end()) {
        auto r = tool_cells->second.find(op_name);
        if (r != tool_cells->second.end()) row = &r->second;
      }
      if (!row) {
        c.status = Status::Skip;
        c.message = "not supported by the " + tool + " profile";
        s.cases.push_back(std::move(c));
        continue;
      }
      std::size_t pass = 0, fail = 0, error = 0, skip = 0;
      std::vector<std::string> failed;
      std::string skip_message;
      for (const auto& f : m.fixtures) {
        auto cell = row->find(f);
        if (cell == row->end()) continue;
        const auto& [status, message] = cell->second;
        c.details += f + ": " + cell_word(status) + (message.empty() ? "" : " - " + message) + "\n";
        switch (status) {
          case Status::Pass:
            ++pass;
            break;
          case Status::Fail:
            ++fail, failed.push_back(f);
            break;
          case Status::Error:
            ++error, failed.push_back(f);
            break;
          case Status::Skip:
            ++skip, skip_message = message;
            break;
        }
      }
      std::size_t total = pass + fail + error + skip;
      if (fail || error) {
        c.status = fail ? Status::Fail : Status::Error;
        std::string list;
        for (const auto& f : failed) list += (list.empty() ? "" : ", ") + f;
        c.message =
            std::to_string(pass) + "/" + std::to_string(total) + " fixtures pass; broken: " + list;
      } else if (skip == total) {
        c.status = Status::Skip;
        c.message = skip_message;
      } else {
        c.status = Status::Pass;
        c.message = std::to_string(pass) + "/" + std::to_string(total) + " fixtures pass";
      }
      s.cases.push_back(std::move(c));
    }
  }
  return s;
}

}  // namespace mpcheck::conformance
