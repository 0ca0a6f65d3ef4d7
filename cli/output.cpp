#include "output.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "mpcheck/reports/writers.hpp"

namespace mpcheck::cli {

OutputFormat parse_format(const std::string& name) {
  return name == "json" ? OutputFormat::Json : OutputFormat::Text;
}

void write_output(const reports::Run& run, OutputFormat format) {
  switch (format) {
    case OutputFormat::Json: reports::write_lint_json(run, std::cout); break;
    case OutputFormat::Text: {
      const char* no_color = std::getenv("NO_COLOR");
      bool color = isatty(STDOUT_FILENO) && !(no_color && *no_color);
      reports::write_text(run, std::cout, {color});
      break;
    }
  }
  std::cout.flush();
}

}  // namespace mpcheck::cli
