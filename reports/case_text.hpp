#pragma once
// The plain-text body of a case shared by the JUnit and HTML writers. Private to reports/.
#include <string>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports::detail {

// `LINE:COL rule message (at pointer)`, plus where inside an artifact when known.
std::string finding_line(const Finding& f);

// " [manifest D] [layer N] [entry E]" for a finding inside an artifact, else "".
std::string finding_where(const Finding& f);

// Details, findings (one line each) and the redacted transcript, as one text block.
std::string case_body(const Case& c);

}  // namespace mpcheck::reports::detail
