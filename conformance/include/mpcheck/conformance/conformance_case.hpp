#pragma once
// The conformance cases, registered in one list (conformance_cases.cpp) the way rules are: each
// with its id, area, whether it is required, the spec sentence it checks and where that
// sentence is. `mpcheck conformance --list` and the table in docs/certify-a-registry.md are
// generated from this list; the suite refuses to run a case that is not in it.
#include <span>
#include <string>
#include <string_view>

namespace mpcheck::conformance {

struct ConformanceCase {
  std::string_view id;        // "push/blob-monolithic"; a trailing "*" stands for one per target
  std::string_view area;      // base, push, pull, validate, discovery, referrers, errors, ...
  bool required;              // a MUST of a category every registry implements
  std::string_view keyword;   // the RFC 2119 word the status is argued from
  std::string_view quote;     // the sentence, verbatim from the spec it links to
  std::string_view anchor;    // section of the distribution spec (or a full URL)
  std::string_view checks;    // one line: what the case does
};

// Every case, in the order a run executes them.
std::span<const ConformanceCase> conformance_cases();

// The registered case `name` is an instance of ("validate/gguf-single-file" of "validate/*");
// nullptr when none.
const ConformanceCase* find_conformance_case(std::string_view name);

// The spec link of a case.
std::string case_link(const ConformanceCase& c);

// The registration list as Markdown (the case table of docs/certify-a-registry.md) and as one
// line per case (--list).
std::string cases_markdown();
std::string cases_text();

}  // namespace mpcheck::conformance
