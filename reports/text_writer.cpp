#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports {
namespace {

using detail::terminal_text;

struct Palette {
  std::string red, yellow, green, bold, reset;
};

// Findings longer than this put their artifact context (manifest, layer, entry, blob) on
// following lines; docs/usage.md ("Text output") describes the rule.
constexpr std::size_t kTextWidth = 120;

// Where inside an artifact a finding is, one field per entry: ("manifest", "sha256:..."), ...
std::vector<std::pair<std::string, std::string>> where_fields(const Finding& f) {
  std::vector<std::pair<std::string, std::string>> w;
  if (!f.manifest_digest.empty()) w.emplace_back("manifest", terminal_text(f.manifest_digest));
  if (f.layer_index || !f.layer_digest.empty()) {
    std::string layer = f.layer_index ? std::to_string(*f.layer_index) : std::string();
    if (!f.layer_digest.empty())
      layer += (layer.empty() ? "" : " ") + terminal_text(f.layer_digest);
    w.emplace_back("layer", layer);
  }
  if (!f.entry.empty()) w.emplace_back("entry", terminal_text(f.entry));
  if (!f.blob.empty() && f.file.empty()) w.emplace_back("blob", terminal_text(f.blob));
  return w;
}

std::size_t visible_width(std::string_view s) {  // ANSI escapes take no columns
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\033') {
      while (i < s.size() && s[i] != 'm') ++i;
      continue;
    }
    n += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;  // count UTF-8 code points
  }
  return n;
}

// `PREFIX severity[ID]: message (at /ptr) [in manifest D layer N ...]` when that fits in
// kTextWidth columns; otherwise the line ends after the pointer and each artifact context field
// follows on its own indented line, so no line but the one carrying the message grows past
// the width, and each field is said once.
void write_finding(std::ostream& out, const std::string& prefix, const Finding& f, const Palette& p,
                   std::string_view indent) {
  bool is_error = f.severity == "error";
  std::string head = prefix + (is_error ? p.red : p.yellow) + terminal_text(f.severity) + '[' +
                     terminal_text(f.rule) + ']' + p.reset + ": " + terminal_text(f.message);
  if (!f.pointer.empty()) head += " (at " + terminal_text(f.pointer) + ')';
  auto fields = where_fields(f);
  std::string inline_context;
  for (const auto& [label, value] : fields)
    inline_context += (inline_context.empty() ? " [in " : " ") + label + ' ' + value;
  if (!inline_context.empty()) inline_context += ']';
  if (visible_width(head + inline_context) <= kTextWidth) {
    out << head << inline_context << '\n';
    return;
  }
  out << head << '\n';
  for (const auto& [label, value] : fields)
    out << indent << "    " << label << ' ' << value << '\n';
}

// lint/validate: `TARGET:LINE:COL: severity[ID]: message`, in document order. Quiet: only the
// findings of failing cases (errors, or warnings under --strict).
void write_findings(const Suite& suite, std::ostream& out, const Palette& p, bool quiet) {
  std::vector<const Finding*> findings;
  for (const auto& c : suite.cases) {
    if (quiet && c.status != Status::Fail && c.status != Status::Error) continue;
    for (const auto& f : c.findings) findings.push_back(&f);
  }
  std::stable_sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
    return std::tie(a->line, a->column) < std::tie(b->line, b->column);
  });
  for (const Finding* f : findings) {
    std::string prefix = p.bold + terminal_text(f->file.empty() ? suite.target : f->file);
    if (f->line) prefix += ':' + std::to_string(f->line) + ':' + std::to_string(f->column);
    prefix += std::string(":") + p.reset + ' ';
    write_finding(out, prefix, *f, p, "");
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

// conformance/tools: a line per case, its findings indented below it. Quiet: failures only.
void write_cases(const Suite& suite, std::ostream& out, const Palette& p, bool quiet) {
  for (const auto& c : suite.cases) {
    if (quiet && c.status != Status::Fail && c.status != Status::Error) continue;
    std::string colour = c.status == Status::Pass   ? p.green
                         : c.status == Status::Skip ? std::string()
                         : c.required               ? p.red
                                                    : p.yellow;
    out << colour << status_word(c.status) << p.reset << "  "
        << (c.required ? "required" : "optional") << "  " << terminal_text(c.name);
    if (!c.message.empty()) out << "  " << terminal_text(c.message);
    out << '\n';
    for (const auto& f : c.findings) write_finding(out, "      ", f, p, "      ");
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
  Palette p;
  if (options.color) p = {"\033[1;31m", "\033[1;33m", "\033[32m", "\033[1m", "\033[0m"};
  bool cases = is_certification(run);
  for (const auto& suite : run.suites) {
    if (cases)
      write_cases(suite, out, p, options.quiet);
    else
      write_findings(suite, out, p, options.quiet);
  }
  out << summary_line(run) << '\n';
}

}  // namespace mpcheck::reports
