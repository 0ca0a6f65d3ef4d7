#include <algorithm>

#include "mpcheck/reports/writers.hpp"

namespace mpcheck::reports {
namespace {

// Text output goes to terminals: strip control characters an artifact might smuggle in.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  return out;
}

std::string where_suffix(const Finding& f) {
  std::string w;
  if (!f.manifest_digest.empty()) w += " manifest " + f.manifest_digest;
  if (f.layer_index) w += " layer " + std::to_string(*f.layer_index);
  if (!f.layer_digest.empty()) w += " (" + f.layer_digest + ")";
  if (!f.entry.empty()) w += " entry " + printable(f.entry);
  return w.empty() ? w : " [in" + w + "]";
}

}  // namespace

bool suite_valid(const Suite& suite) {
  for (const auto& c : suite.cases)
    for (const auto& f : c.findings)
      if (f.severity == "error") return false;
  return true;
}

void write_text(const Run& run, std::ostream& out, const TextOptions& options) {
  const char* red = options.color ? "\033[1;31m" : "";
  const char* yellow = options.color ? "\033[1;33m" : "";
  const char* bold = options.color ? "\033[1m" : "";
  const char* reset = options.color ? "\033[0m" : "";
  std::size_t targets = 0, invalid = 0, errors = 0, warnings = 0;
  for (const auto& suite : run.suites) {
    ++targets;
    std::vector<const Finding*> findings;
    for (const auto& c : suite.cases)
      for (const auto& f : c.findings) findings.push_back(&f);
    std::stable_sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
      return std::tie(a->line, a->column) < std::tie(b->line, b->column);
    });
    for (const Finding* f : findings) {
      bool is_error = f->severity == "error";
      (is_error ? errors : warnings)++;
      out << bold << printable(suite.target);
      if (f->line) out << ':' << f->line << ':' << f->column;
      out << ':' << reset << ' ' << (is_error ? red : yellow) << f->severity << '[' << f->rule
          << ']' << reset << ": " << printable(f->message);
      if (!f->pointer.empty()) out << " (at " << printable(f->pointer) << ')';
      out << where_suffix(*f) << '\n';
    }
    if (!suite_valid(suite)) ++invalid;
  }
  out << targets << (targets == 1 ? " target" : " targets") << " checked: " << invalid
      << " invalid, " << errors << (errors == 1 ? " error" : " errors") << ", " << warnings
      << (warnings == 1 ? " warning" : " warnings") << '\n';
}

}  // namespace mpcheck::reports
