#include <algorithm>

#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports {
namespace {

using detail::terminal_text;

struct Palette {
  const char *red, *yellow, *green, *bold, *reset;
};

std::string where_suffix(const Finding& f) {
  std::string w;
  if (!f.manifest_digest.empty()) w += " manifest " + terminal_text(f.manifest_digest);
  if (f.layer_index) w += " layer " + std::to_string(*f.layer_index);
  if (!f.layer_digest.empty()) w += " (" + terminal_text(f.layer_digest) + ")";
  if (!f.entry.empty()) w += " entry " + terminal_text(f.entry);
  if (!f.blob.empty() && f.file.empty()) w += " blob " + terminal_text(f.blob);
  return w.empty() ? w : " [in" + w + "]";
}

void write_finding(std::ostream& out, const Finding& f, const Palette& p) {
  bool is_error = f.severity == "error";
  out << (is_error ? p.red : p.yellow) << terminal_text(f.severity) << '[' << terminal_text(f.rule)
      << ']' << p.reset << ": " << terminal_text(f.message);
  if (!f.pointer.empty()) out << " (at " << terminal_text(f.pointer) << ')';
  out << where_suffix(f) << '\n';
}

// lint/validate: `TARGET:LINE:COL: severity[ID]: message`, in document order.
void write_findings(const Suite& suite, std::ostream& out, const Palette& p) {
  std::vector<const Finding*> findings;
  for (const auto& c : suite.cases)
    for (const auto& f : c.findings) findings.push_back(&f);
  std::stable_sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
    return std::tie(a->line, a->column) < std::tie(b->line, b->column);
  });
  for (const Finding* f : findings) {
    out << p.bold << terminal_text(f->file.empty() ? suite.target : f->file);
    if (f->line) out << ':' << f->line << ':' << f->column;
    out << ':' << p.reset << ' ';
    write_finding(out, *f, p);
  }
}

const char* status_word(Status s) {
  switch (s) {
    case Status::Pass:
      return "PASS";
    case Status::Fail:
      return "FAIL";
    case Status::Skip:
      return "SKIP";
    case Status::Error:
      return "ERROR";
  }
  return "ERROR";
}

// conformance/tools: a line per case, its findings indented below it.
void write_cases(const Suite& suite, std::ostream& out, const Palette& p) {
  for (const auto& c : suite.cases) {
    const char* colour = c.status == Status::Pass   ? p.green
                         : c.status == Status::Skip ? ""
                         : c.required               ? p.red
                                                    : p.yellow;
    out << colour << status_word(c.status) << p.reset << "  "
        << (c.required ? "required" : "optional") << "  " << terminal_text(c.name);
    if (!c.message.empty()) out << "  " << terminal_text(c.message);
    out << '\n';
    for (const auto& f : c.findings) {
      out << "      ";
      write_finding(out, f, p);
    }
  }
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string summary_line(const Run& run) {
  Counts c = count(run);
  std::string word(verdict_word(run));
  if (is_certification(run)) {
    std::size_t required_failed = c.failed + c.errored - c.optional_failed;
    std::string line = "verdict: " + word + " (" + plural(c.passed, "case") + " passed";
    if (!run.problems.empty()) line = "verdict: " + word;
    line += ", " + std::to_string(required_failed) + " required failed";
    if (c.optional_failed) line += ", " + std::to_string(c.optional_failed) + " optional failed";
    line += ", " + std::to_string(c.skipped) + " skipped)";
    return line;
  }
  std::string line = plural(run.suites.size(), "target") +
                     " checked: " + std::to_string(c.failed_suites) + " invalid, " +
                     plural(c.errors, "error") + ", " + plural(c.warnings, "warning");
  if (!run.problems.empty()) line += "; " + std::to_string(run.problems.size()) + " not checked";
  return line;
}

void write_text(const Run& run, std::ostream& out, const TextOptions& options) {
  Palette p{"", "", "", "", ""};
  if (options.color) p = {"\033[1;31m", "\033[1;33m", "\033[32m", "\033[1m", "\033[0m"};
  bool cases = is_certification(run);
  for (const auto& suite : run.suites) {
    if (cases)
      write_cases(suite, out, p);
    else
      write_findings(suite, out, p);
  }
  out << summary_line(run) << '\n';
}

}  // namespace mpcheck::reports
