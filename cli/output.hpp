#pragma once
// The one output path of every checking command (lint, validate, conformance, tools, report
// merge): the same --format and --report-dir options from one table of formats, the output
// written by emit(), and the exit code taken from the run's one verdict (reports/verdict.hpp).
#include <CLI/CLI.hpp>
#include <span>
#include <string>
#include <string_view>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::cli {

enum class OutputFormat { Text, Json, Junit, Sarif, Html };

struct FormatInfo {
  OutputFormat format;
  std::string_view name;         // the --format value
  std::string_view description;  // one line for --help and docs/usage.md
  std::string_view report_file;  // its file in a --report-dir; empty when none
  bool needs_full;               // written by mpcheck-full only (see install_report_writers)
};

// Every output format, in the order --help and the docs list them. results.json, the report
// directory's machine-readable file, is not a stdout format (json is the compact shape).
std::span<const FormatInfo> output_formats();

struct OutputOptions {
  std::string format = "text";
  std::string report_dir;  // empty: no report files
  bool quiet = false;      // text: only failures and the summary
};

// Registers --format, --report-dir (named `report_dir_flag`, "--report-dir" by default) and
// --quiet.
void add_output_options(CLI::App& cmd, OutputOptions& options,
                        const std::string& report_dir_flags = "--report-dir");

// Writes the run to stdout in the chosen format and, when asked, every report file into the
// report directory (its path printed once, on stderr unless the format is text). Returns the
// exit code: 0 valid/conformant, 1 invalid/not conformant, 2 could not run or a report could
// not be written.
int emit(const reports::Run& run, const OutputOptions& options);

// Records something the run could not check (an unreadable file, an unreachable registry): the
// verdict becomes "could not run" (exit 2). Said on stderr at once; JSON and reports carry it.
void add_problem(reports::Run& run, std::string problem, const OutputOptions& options);

// The exit code of a verdict, without writing anything.
int exit_code(const reports::Run& run);

// True when colour may be used on stdout: a terminal, NO_COLOR unset or empty, TERM not dumb.
bool stdout_color();

// JUnit, SARIF, HTML and report directories need the XML and crypto libraries; they are linked
// into mpcheck-full only (output_reports.cpp), whose main() plugs them in with this call. The
// lean `mpcheck` hands any run that needs them to mpcheck-full (see main.cpp).
void install_report_writers();

// True when a command line asks for something only mpcheck-full writes (a heavy --format or a
// report directory); main.cpp of the lean front end uses it.
bool needs_full_writers(int argc, char** argv);

}  // namespace mpcheck::cli
