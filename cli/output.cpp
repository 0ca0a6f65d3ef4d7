#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/reports/verdict.hpp"
#include "mpcheck/reports/writers.hpp"
#include "output_writers.hpp"

namespace mpcheck::cli {

namespace {
const ReportWriters* g_writers = nullptr;

const ReportWriters& writers() {
  if (!g_writers) throw std::runtime_error("this output format needs mpcheck-full");
  return *g_writers;
}

constexpr FormatInfo kFormats[] = {
    {OutputFormat::Text, "text", "findings or cases, one per line, then the verdict", "", false},
    {OutputFormat::Json, "json", "targets with their verdict and findings (docs/usage.md)", "",
     false},
    {OutputFormat::Junit, "junit", "JUnit XML for CI test reporters", reports::kJunitFile, true},
    {OutputFormat::Sarif, "sarif", "SARIF 2.1.0 for code scanning", reports::kSarifFile, true},
    {OutputFormat::Html, "html", "one self-contained HTML page", reports::kHtmlFile, true},
};

const FormatInfo& format_info(const std::string& name) {
  for (const auto& f : kFormats)
    if (f.name == name) return f;
  return kFormats[0];  // the CLI restricts the choices before this is called
}

void write_output(const reports::Run& run, const OutputOptions& options) {
  switch (format_info(options.format).format) {
    case OutputFormat::Json:
      reports::write_lint_json(run, std::cout);
      break;
    case OutputFormat::Junit:
      writers().junit(run, std::cout);
      break;
    case OutputFormat::Sarif:
      writers().sarif(run, std::cout);
      break;
    case OutputFormat::Html:
      writers().html(run, std::cout);
      break;
    case OutputFormat::Text:
      reports::write_text(run, std::cout, {stdout_color(), options.quiet});
      break;
  }
  std::cout.flush();
}

// Lint and validate findings have locations worth a SARIF file; conformance cases do not.
bool wants_sarif(const reports::Run& run) {
  return !reports::is_certification(run);
}

}  // namespace

void set_report_writers(const ReportWriters* w) {
  g_writers = w;
}

std::span<const FormatInfo> output_formats() {
  return kFormats;
}

bool stdout_color() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
         !(term && std::string_view(term) == "dumb");
}

void add_output_options(CLI::App& cmd, OutputOptions& options,
                        const std::string& report_dir_flags) {
  std::vector<std::string> names;
  std::string help = "Output format on standard output:";
  for (const auto& f : kFormats) {
    names.emplace_back(f.name);
    help += std::string(" ") + std::string(f.name) + " (" + std::string(f.description) + ");";
  }
  help.back() = '.';
  cmd.add_option("--format", options.format, help)
      ->check(CLI::IsMember(names))
      ->capture_default_str();
  // Conformance and tools cases have no file locations: no SARIF file for them (wants_sarif).
  std::string name = cmd.get_name();
  std::string sarif = name == "lint" || name == "validate" ? ", results.sarif"
                      : name == "merge" ? " (and results.sarif for lint or validate results)"
                                        : "";
  cmd.add_option(report_dir_flags, options.report_dir,
                 "Also write junit.xml, report.html, results.json" + sarif +
                     " into this directory (its report.html path is printed)");
  cmd.add_flag("--quiet,-q", options.quiet,
               "Text output: only failed cases or failing findings, then the summary");
}

void add_problem(reports::Run& run, std::string problem, const OutputOptions& options) {
  std::cerr << "mpcheck: " << problem << '\n';
  run.problems.push_back(std::move(problem));
}

int exit_code(const reports::Run& run) {
  switch (reports::verdict(run)) {
    case reports::Verdict::Pass:
      return kExitOk;
    case reports::Verdict::Fail:
      return kExitFindings;
    case reports::Verdict::CouldNotRun:
      return kExitUsage;
  }
  return kExitUsage;
}

int emit(const reports::Run& run, const OutputOptions& options) {
  write_output(run, options);
  if (!options.report_dir.empty()) {
    std::filesystem::path dir(options.report_dir);
    auto written = writers().report_dir(run, dir, wants_sarif(run));
    if (!written) {
      std::cerr << "mpcheck: " << written.error() << '\n';
      return kExitUsage;
    }
    std::string where = "report: " + (dir / reports::kHtmlFile).lexically_normal().string();
    (options.format == "text" ? std::cout : std::cerr) << where << '\n';
  }
  return exit_code(run);
}

bool needs_full_writers(int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--report-dir" || arg.starts_with("--report-dir=")) return true;
    std::string_view value;
    if (arg.starts_with("--format="))
      value = arg.substr(9);
    else if (arg == "--format" && i + 1 < argc)
      value = argv[i + 1];
    else
      continue;
    for (const auto& f : kFormats)
      if (f.name == value && f.needs_full) return true;
  }
  return false;
}

}  // namespace mpcheck::cli
