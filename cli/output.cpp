#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <stdexcept>

#include "mpcheck/reports/writers.hpp"
#include "output_writers.hpp"

namespace mpcheck::cli {

namespace {
const ReportWriters* g_writers = nullptr;

const ReportWriters& writers() {
  if (!g_writers) throw std::runtime_error("this output format needs mpcheck-full");
  return *g_writers;
}
}  // namespace

void set_report_writers(const ReportWriters* w) { g_writers = w; }

OutputFormat parse_format(const std::string& name) {
  if (name == "json") return OutputFormat::Json;
  if (name == "junit") return OutputFormat::Junit;
  if (name == "sarif") return OutputFormat::Sarif;
  if (name == "html") return OutputFormat::Html;
  return OutputFormat::Text;
}

void write_output(const reports::Run& run, OutputFormat format) {
  switch (format) {
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
    case OutputFormat::Text: {
      const char* no_color = std::getenv("NO_COLOR");
      bool color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
      reports::write_text(run, std::cout, {color});
      break;
    }
  }
  std::cout.flush();
}

bool wants_sarif(const reports::Run& run) {
  return run.command.find("lint") != std::string::npos ||
         run.command.find("validate") != std::string::npos;
}

bool write_report_files(const reports::Run& run, const std::string& dir) {
  auto written = writers().report_dir(run, dir, wants_sarif(run));
  if (!written) {
    std::cerr << "mpcheck: " << written.error() << '\n';
    return false;
  }
  return true;
}

void add_output_options(CLI::App& cmd, OutputOptions& options) {
  cmd.add_option("--format", options.format, "Output format on standard output")
      ->check(CLI::IsMember(std::vector<std::string>(kFormatNames.begin(), kFormatNames.end())))
      ->capture_default_str();
  cmd.add_option("--report-dir", options.report_dir,
                 "Also write junit.xml, report.html, results.json (and results.sarif for lint "
                 "and validate) into this directory");
}

bool emit(const reports::Run& run, const OutputOptions& options) {
  write_output(run, parse_format(options.format));
  return options.report_dir.empty() || write_report_files(run, options.report_dir);
}

}  // namespace mpcheck::cli
