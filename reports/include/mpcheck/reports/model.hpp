#pragma once
// The result model every command fills and every writer reads. Knows nothing of rules,
// registries or artifacts: only runs, suites, cases and findings.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mpcheck::reports {

// One diagnostic of lint/validate, carried as plain data.
struct Finding {
  std::string rule;
  std::string severity;  // "error" | "warning"
  std::string message;
  std::string pointer;  // RFC 6901
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string spec;  // link
  // Where inside an artifact (empty for a lone document).
  std::string manifest_digest;
  std::optional<std::size_t> layer_index;
  std::string layer_digest;
  std::string entry;
  std::string blob;  // digest of the JSON blob line/column refer to (a config, a manifest)
  // The file line/column refer to when it is not the suite's target (a blob of a layout
  // directory); empty otherwise.
  std::string file;
};

enum class Status { Pass, Fail, Skip, Error };
std::string_view to_string(Status s);

// One HTTP exchange of a conformance case, already redacted by whoever recorded it.
struct Exchange {
  std::string request;   // request line and headers (+ a bounded body excerpt)
  std::string response;  // status line and headers (+ a bounded body excerpt)
};

struct Case {
  std::string name;
  Status status = Status::Pass;
  bool required = true;
  double duration_seconds = 0;
  std::string message;  // one line: why it failed or was skipped
  std::string details;  // free text, may be multi-line
  std::vector<std::string> spec_links;
  std::vector<Exchange> transcript;
  std::vector<Finding> findings;  // lint/validate diagnostics behind this case
};

// A suite per target (lint/validate) or per area of a conformance run.
struct Suite {
  std::string name;
  std::string target;  // file, layout, archive or reference the suite is about
  std::string kind;    // "config", "manifest", "layout", "registry", ...
  std::vector<Case> cases;
};

struct RuleInfo {  // for SARIF's rule table and HTML help links
  std::string id, severity, scope, title, spec;
};

struct Run {
  std::string tool_name = "mpcheck";
  std::string tool_version;
  std::string command;  // "lint", "validate", "conformance"
  std::string spec;     // spec version checked ("main", "v0.0.7")
  std::vector<Suite> suites;
  std::vector<RuleInfo> rules;
  // Effective configuration shown in reports; values must already be redacted.
  std::map<std::string, std::string> configuration;
  // What the run was asked to check but could not (an unreadable target, an unreachable
  // registry): any entry makes the verdict "could not run" (exit 2). See verdict.hpp.
  std::vector<std::string> problems;
};

struct Counts {
  std::size_t passed = 0, failed = 0, skipped = 0, errored = 0;
  std::size_t optional_failed = 0;       // of failed + errored, cases that are not required
  std::size_t errors = 0, warnings = 0;  // findings by severity
  std::size_t failed_suites = 0;         // suites a required case failed in (verdict.hpp)
};
Counts count(const Run& run);

}  // namespace mpcheck::reports
