#pragma once
// Writing every report file of a run at once, and reading results.json back to merge shards.
#include <cstddef>
#include <expected>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::reports {

// File names inside a report directory.
inline constexpr std::string_view kJunitFile = "junit.xml";
inline constexpr std::string_view kHtmlFile = "report.html";
inline constexpr std::string_view kResultsFile = "results.json";
inline constexpr std::string_view kSarifFile = "results.sarif";

// Largest results.json read_results_json accepts.
inline constexpr std::size_t kMaxResultsJsonBytes = std::size_t{256} << 20;

// Creates `dir` (and parents) and writes junit.xml, report.html, results.json and, when
// `include_sarif`, results.sarif. The error names the file and the reason.
std::expected<void, std::string> write_report_dir(const Run& run, const std::filesystem::path& dir,
                                                  bool include_sarif);

// Parses the text of a results.json; the error says what is malformed and where.
std::expected<Run, std::string> parse_results_json(std::string_view text);

// Reads and parses a results.json file of at most `max_bytes`; errors start with the path.
std::expected<Run, std::string> read_results_json(const std::filesystem::path& path,
                                                  std::size_t max_bytes = kMaxResultsJsonBytes);

// One run from several (shards of a CI matrix): suites and problems concatenated in order,
// rules and configuration united (differing values joined with ","). Its verdict comes from
// verdict.hpp like any run's: the cases carry their status and whether they are required.
Run merge_runs(std::span<const Run> runs);

}  // namespace mpcheck::reports
