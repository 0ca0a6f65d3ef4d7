#pragma once
// Writing a finished run: to stdout in the chosen --format, and every report file at once into
// --report-dir. Any command that fills a reports::Run (lint, validate, conformance, report
// merge) registers the same two options and calls emit().
#include <CLI/CLI.hpp>
#include <array>
#include <string>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::cli {

enum class OutputFormat { Text, Json, Junit, Sarif, Html };

// The --format choices; "json" is the lint/validate JSON shape of docs/output-formats.md.
inline constexpr std::array<const char*, 5> kFormatNames = {"text", "json", "junit", "sarif",
                                                            "html"};

// Parses a --format value; the CLI restricts the choices before this is called.
OutputFormat parse_format(const std::string& name);

// Writes the run to stdout in `format`.
void write_output(const reports::Run& run, OutputFormat format);

// Writes junit.xml, report.html, results.json (and results.sarif for lint and validate) into
// `dir`; on failure prints "mpcheck: ..." to stderr and returns false.
bool write_report_files(const reports::Run& run, const std::string& dir);

// True for the commands whose runs carry findings worth a SARIF file (lint, validate).
bool wants_sarif(const reports::Run& run);

struct OutputOptions {
  std::string format = "text";
  std::string report_dir;  // empty: no report files
};

// JUnit, SARIF, HTML and report directories need the XML and crypto libraries; they are linked
// into mpcheck-full only (output_reports.cpp), whose main() plugs them in with this call. The
// lean `mpcheck` hands any run that needs them to mpcheck-full (see main.cpp), so it starts
// without loading those libraries.
void install_report_writers();

// Registers --format and --report-dir on a subcommand.
void add_output_options(CLI::App& cmd, OutputOptions& options);

// write_output then, when asked, write_report_files; false when the report dir failed.
bool emit(const reports::Run& run, const OutputOptions& options);

}  // namespace mpcheck::cli
