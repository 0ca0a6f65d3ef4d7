#pragma once
// Writers: each one is a function of the Run and nothing else.
#include <ostream>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports {

struct TextOptions {
  bool color = false;  // ANSI colours (the CLI decides: TTY and no NO_COLOR)
};

// `FILE:LINE:COL: error[ID]: message` per finding, then a one-line summary.
void write_text(const Run& run, std::ostream& out, const TextOptions& options = {});

// The lint/validate JSON shape documented in docs/output-formats.md:
// {"tool":{name,version},"spec","results":[{target,kind,valid,diagnostics:[...]}],"summary":{...}}
void write_lint_json(const Run& run, std::ostream& out);

// True when no finding of the suite has severity "error".
bool suite_valid(const Suite& suite);

}  // namespace mpcheck::reports
