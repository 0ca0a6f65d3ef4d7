// A self-contained HTML report: no network, no fonts, no inline handlers. The one <style> and
// the one <script> are pinned by their sha256 in a Content-Security-Policy meta tag, so a
// string from an artifact that slipped through escaping still could not run.
#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <string_view>
#include <vector>

#include "case_text.hpp"
#include "mpcheck/reports/redact.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "text_safety.hpp"

namespace mpcheck::reports {
namespace {

using detail::html_text;

constexpr std::string_view kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1200px;margin:0 auto;padding:0 16px 32px}
.banner{padding:18px 24px;color:#fff}
.banner.good{background:#1a7f37}.banner.bad{background:#cf222e}
.banner h1{margin:0;font-size:28px;letter-spacing:.04em;text-transform:uppercase}
.banner p{margin:4px 0 0;opacity:.9}
.counts{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0;padding:0;list-style:none}
.counts li{border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:90px}
.counts b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;margin:8px 0 24px;table-layout:fixed}
col.c-case{width:34%}col.c-status{width:80px}col.c-req{width:80px}col.c-time{width:72px}
td{overflow-wrap:anywhere}
.banner p.why{font-size:17px;font-weight:600;opacity:1}
th,td{border-bottom:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
.st{font-weight:600;text-transform:uppercase;font-size:12px;padding:2px 6px;border-radius:4px}
tr.pass .st{background:#dafbe1;color:#1a7f37}tr.fail .st{background:#ffebe9;color:#cf222e}
tr.error .st{background:#fff1e5;color:#bc4c00}tr.skip .st{background:#eaeef2;color:#57606a}
pre{white-space:pre-wrap;word-break:break-word;background:#f6f8fa;padding:8px;border-radius:6px;margin:4px 0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.target{color:#57606a;margin-top:-8px}
.sev-error{color:#cf222e}.sev-warning{color:#9a6700}
body.failed-only tr.pass:not(.warn),body.failed-only tr.skip,body.failed-only section.suite.clean{display:none}
tr.warn .st{box-shadow:inset 0 0 0 1px #9a6700}
details summary{cursor:pointer;color:#0969da}
)";

constexpr std::string_view kScript = R"(
(function () {
  var box = document.getElementById('failed-only');
  function apply() { document.body.classList.toggle('failed-only', box.checked); }
  box.addEventListener('change', apply);
  apply();
  document.body.setAttribute('data-script', 'ran');
})();
)";

// 'sha256-<base64>' of a CSP hash source.
std::string csp_hash(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), digest, &len, EVP_sha256(), nullptr);
  unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
  int n = EVP_EncodeBlock(b64, digest, static_cast<int>(len));
  return "'sha256-" + std::string(reinterpret_cast<char*>(b64), static_cast<std::size_t>(n)) + "'";
}

// Only http(s) links become anchors; anything else (javascript:, data:) stays text.
bool linkable(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

std::string link_or_text(std::string_view url, std::string_view label) {
  if (!linkable(url)) return html_text(label);
  return "<a href=\"" + html_text(url) + "\" rel=\"noreferrer noopener\">" + html_text(label) +
         "</a>";
}

bool failed(const Case& c) {
  return c.status == Status::Fail || c.status == Status::Error;
}

// A passing case that still has findings (warnings): shown under "failed only" too.
bool warns(const Case& c) {
  return !failed(c) && !c.findings.empty();
}

// Nothing to show under "failed only": no failed case and no warning.
bool suite_clean(const Suite& s) {
  for (const auto& c : s.cases)
    if (failed(c) || warns(c)) return false;
  return true;
}

// Rows in the order a reader wants them: required failures, optional failures, warnings,
// passes, skips; the order within each group as the run produced it.
int row_rank(const Case& c) {
  if (failed(c)) return c.required ? 0 : 1;
  if (warns(c)) return 2;
  return c.status == Status::Skip ? 4 : 3;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// The banner's one line of why: "2 required cases failed", "all required cases passed; 1
// optional failed", or what could not be checked.
std::string verdict_reason(const Run& run, const Counts& c) {
  std::size_t required_failed = c.failed + c.errored - c.optional_failed;
  std::string why;
  if (!run.problems.empty())
    why = plural(run.problems.size(), "thing", "things") + " could not be checked";
  else if (required_failed)
    why = plural(required_failed, "required case", "required cases") + " failed";
  else
    why = "all required cases passed";
  if (c.optional_failed) why += "; " + std::to_string(c.optional_failed) + " optional failed";
  if (!required_failed && c.warnings) why += "; " + plural(c.warnings, "warning", "warnings");
  return why;
}

void write_case_details(const Case& c, std::ostream& out) {
  bool any =
      !c.details.empty() || !c.findings.empty() || !c.spec_links.empty() || !c.transcript.empty();
  if (!any) return;
  out << "<details><summary>details</summary>";
  if (!c.details.empty())
    out << "<pre class=\"case-details\">" << html_text(redact(c.details)) << "</pre>";
  if (!c.findings.empty()) {
    out << "<ul class=\"findings\">";
    for (const auto& f : c.findings) {
      out << "<li><code>" << f.line << ':' << f.column << "</code> <span class=\"sev-"
          << (f.severity == "error" ? "error" : "warning") << "\">" << html_text(f.severity)
          << "</span> <code>" << link_or_text(f.spec, f.rule) << "</code> " << html_text(f.message);
      if (!f.pointer.empty()) out << " (at <code>" << html_text(f.pointer) << "</code>)";
      if (std::string where = detail::finding_where(f); !where.empty())
        out << "<br><small>" << html_text(where) << "</small>";
      out << "</li>";
    }
    out << "</ul>";
  }
  if (!c.spec_links.empty()) {
    out << "<p>Spec: ";
    for (std::size_t i = 0; i < c.spec_links.size(); ++i)
      out << (i ? ", " : "") << link_or_text(c.spec_links[i], c.spec_links[i]);
    out << "</p>";
  }
  for (std::size_t i = 0; i < c.transcript.size(); ++i) {
    out << "<details class=\"exchange\"><summary>exchange " << i + 1 << "</summary>"
        << "<pre class=\"request\">" << html_text(redact(c.transcript[i].request)) << "</pre>"
        << "<pre class=\"response\">" << html_text(redact(c.transcript[i].response))
        << "</pre></details>";
  }
  out << "</details>";
}

}  // namespace

void write_html(const Run& run, std::ostream& out) {
  Counts counts = count(run);
  bool bad = reports::verdict(run) != Verdict::Pass;
  std::string verdict(verdict_word(run));
  std::string csp = "default-src 'none'; style-src " + csp_hash(kStyle) + "; script-src " +
                    csp_hash(kScript) +
                    "; img-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"" << csp << "\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta name=\"referrer\" content=\"no-referrer\">\n"
      << "<title>" << html_text(run.tool_name) << ' ' << html_text(run.command) << ": "
      << html_text(verdict) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n";

  out << "<header id=\"verdict\" class=\"banner " << (bad ? "bad" : "good") << "\" data-verdict=\""
      << html_text(verdict) << "\"><h1>" << html_text(verdict)
      << "</h1><p id=\"why\" class=\"why\">" << html_text(verdict_reason(run, counts)) << "</p><p>"
      << html_text(run.tool_name) << ' ' << html_text(run.tool_version) << " &middot; "
      << html_text(run.command) << " &middot; spec " << html_text(run.spec) << "</p>";
  for (const auto& problem : run.problems)
    out << "<p class=\"problem\">could not check: " << html_text(problem) << "</p>";
  out << "</header>\n";

  out << "<main>\n<ul id=\"counts\" class=\"counts\">"
      << "<li class=\"count-passed\">passed<b>" << counts.passed << "</b></li>"
      << "<li class=\"count-failed\">failed<b>" << counts.failed << "</b></li>"
      << "<li class=\"count-errors\">errors<b>" << counts.errored << "</b></li>"
      << "<li class=\"count-skipped\">skipped<b>" << counts.skipped << "</b></li>"
      << "<li class=\"count-findings\">findings<b>" << counts.errors << " / " << counts.warnings
      << "</b><small>errors / warnings</small></li></ul>\n";

  if (!run.configuration.empty()) {
    out << "<details id=\"configuration\"><summary>configuration</summary><table>";
    for (const auto& [k, v] : run.configuration)
      out << "<tr><th>" << html_text(k) << "</th><td><code>" << html_text(redact(v))
          << "</code></td></tr>";
    out << "</table></details>\n";
  }

  // When anything failed the reader wants the failures: the filter starts on (warnings stay).
  bool any_failed = counts.failed + counts.errored > 0;
  out << "<p><label><input type=\"checkbox\" id=\"failed-only\"" << (any_failed ? " checked" : "")
      << "> show failed only</label></p>\n";

  std::vector<const Suite*> suites;
  for (const auto& suite : run.suites) suites.push_back(&suite);
  std::stable_partition(suites.begin(), suites.end(), [](const Suite* s) {
    return std::any_of(s->cases.begin(), s->cases.end(), failed);
  });
  for (const Suite* suite_ptr : suites) {
    const Suite& suite = *suite_ptr;
    out << "<section class=\"suite" << (suite_clean(suite) ? " clean" : "") << "\">\n<h2>"
        << html_text(suite.name) << "</h2>\n";
    if (suite.target != suite.name || !suite.kind.empty())
      out << "<p class=\"target\">" << html_text(suite.target)
          << (suite.kind.empty() ? "" : " &middot; ") << html_text(suite.kind) << "</p>\n";
    if (suite.cases.empty()) {
      out << "<p>no cases</p></section>\n";
      continue;
    }
    // One layout for every suite: the same columns with the same fixed widths.
    out << "<table><colgroup><col class=\"c-case\"><col class=\"c-status\"><col class=\"c-req\">"
           "<col class=\"c-msg\"><col class=\"c-time\"></colgroup><thead><tr><th>checked</th>"
           "<th>status</th><th>required</th><th>message</th><th>time</th></tr></thead><tbody>\n";
    std::vector<const Case*> rows;
    for (const auto& c : suite.cases) rows.push_back(&c);
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Case* a, const Case* b) { return row_rank(*a) < row_rank(*b); });
    for (const Case* row : rows) {
      const Case& c = *row;
      auto status = to_string(c.status);
      out << "<tr class=\"case " << status << (warns(c) ? " warn" : "") << "\"><td>"
          << html_text(c.name) << "</td><td><span class=\"st\">" << status << "</span></td><td>"
          << (c.required ? "yes" : "no") << "</td><td>";
      // The violation only when the case failed; a skip says why it was skipped.
      if (c.status != Status::Pass) out << html_text(c.message);
      if (warns(c))
        out << "<span class=\"sev-warning\">" << plural(c.findings.size(), "warning", "warnings")
            << "</span>";
      write_case_details(c, out);
      out << "</td><td>" << detail::format_seconds(c.duration_seconds) << "s</td></tr>\n";
    }
    out << "</tbody></table>\n</section>\n";
  }
  out << "</main>\n<script>" << kScript << "</script>\n</body>\n</html>\n";
}

}  // namespace mpcheck::reports
