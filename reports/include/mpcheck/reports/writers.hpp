#pragma once
// Writers: each one is a function of the Run and nothing else.
#include <ostream>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports {

struct TextOptions {
  bool color = false;  // ANSI colours (the CLI decides: TTY, NO_COLOR unset, TERM not dumb)
  bool quiet = false;  // only failing cases/findings, then the summary
};

// lint/validate: `FILE:LINE:COL: error[ID]: message (at POINTER)` per finding (its manifest,
// layer and entry on the same line, or on indented lines below when it would pass 120 columns);
// conformance/tools: a
// `PASS|FAIL|SKIP|ERROR  required|optional  NAME  message` line per case. Then summary_line().
// Run::problems are not repeated here: the CLI says them on stderr as they happen.
void write_text(const Run& run, std::ostream& out, const TextOptions& options = {});

// The last line of text output, built from verdict.hpp: "3 targets checked: 1 invalid, 2 errors,
// 0 warnings" or "verdict: not-conformant (30 cases passed, 1 required
// failed, 1 optional failed, 2 skipped)".
std::string summary_line(const Run& run);

// The JSON shape documented in docs/usage.md ("JSON output"):
// {"tool":{name,version},"spec","results":[{target,kind,valid,diagnostics:[...]}],"summary":{...}}
void write_lint_json(const Run& run, std::ostream& out);

// JUnit XML as Jenkins, GitLab and GitHub test reporters read it: <testsuites> with a
// <testsuite> per Suite and a <testcase> per Case (classname = suite name); failure/error/
// skipped children carry the message, details, findings and the (redacted) transcript.
void write_junit(const Run& run, std::ostream& out);

// SARIF 2.1.0: the rule table from Run.rules, one result per finding, located by the suite
// target (artifactLocation.uri), line/column and JSON pointer (logical location).
void write_sarif(const Run& run, std::ostream& out);

// results.json, the shape documented in docs/reports.md; read back by read_results_json.
void write_results_json(const Run& run, std::ostream& out);

// One self-contained HTML page (inline CSS and JS pinned by sha256 in a CSP meta tag): verdict
// banner, counts, a table per suite, a "show failed only" filter, expandable details.
void write_html(const Run& run, std::ostream& out);

}  // namespace mpcheck::reports
