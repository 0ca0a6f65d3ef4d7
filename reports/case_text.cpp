#include "case_text.hpp"

#include "mpcheck/reports/redact.hpp"

namespace mpcheck::reports::detail {

std::string finding_line(const Finding& f) {
  std::string s =
      std::to_string(f.line) + ':' + std::to_string(f.column) + ' ' + f.rule + ' ' + f.message;
  if (!f.pointer.empty()) s += " (at " + f.pointer + ')';
  return s + finding_where(f);
}

std::string finding_where(const Finding& f) {
  std::string s;
  if (!f.manifest_digest.empty()) s += " [manifest " + f.manifest_digest + ']';
  if (f.layer_index) s += " [layer " + std::to_string(*f.layer_index) + ']';
  if (!f.layer_digest.empty()) s += " [" + f.layer_digest + ']';
  if (!f.entry.empty()) s += " [entry " + f.entry + ']';
  return s;
}

std::string case_body(const Case& c) {
  std::string body;
  auto section = [&](std::string_view title) {
    if (!body.empty()) body += '\n';
    body += title;
    body += '\n';
  };
  if (!c.details.empty()) {
    body += redact(c.details);
    if (body.back() != '\n') body += '\n';
  }
  if (!c.findings.empty()) {
    section("Findings:");
    for (const auto& f : c.findings) body += finding_line(f) + '\n';
  }
  if (!c.spec_links.empty()) {
    section("Spec:");
    for (const auto& l : c.spec_links) body += l + '\n';
  }
  for (std::size_t i = 0; i < c.transcript.size(); ++i) {
    section("Exchange " + std::to_string(i + 1) + ":");
    body += "> " + redact(c.transcript[i].request);
    if (body.back() != '\n') body += '\n';
    body += "< " + redact(c.transcript[i].response);
    if (body.back() != '\n') body += '\n';
  }
  return body;
}

}  // namespace mpcheck::reports::detail
