#pragma once
// Writing a finished run to stdout in the chosen format.
#include <string>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::cli {

enum class OutputFormat { Text, Json };

// Parses a --format value; the CLI restricts the choices before this is called.
OutputFormat parse_format(const std::string& name);

void write_output(const reports::Run& run, OutputFormat format);

}  // namespace mpcheck::cli
