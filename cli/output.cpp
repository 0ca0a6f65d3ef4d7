#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/reports/writers.hpp"

namespace mpcheck::cli {

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
      reports::write_junit(run, std::cout);
      break;
    case OutputFormat::Sarif:
      reports::write_sarif(run, std::cout);
      break;
    case OutputFormat::Html:
      reports::write_html(run, std::cout);
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
  auto written = reports::write_report_dir(run, dir, wants_sarif(run));
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
