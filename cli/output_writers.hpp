#pragma once
// Private to cli/: the hook through which mpcheck-full supplies the heavy report writers.
#include <expected>
#include <filesystem>
#include <ostream>
#include <string>

#include "mpcheck/reports/model.hpp"

namespace mpcheck::cli {

struct ReportWriters {
  void (*junit)(const reports::Run&, std::ostream&);
  void (*sarif)(const reports::Run&, std::ostream&);
  void (*html)(const reports::Run&, std::ostream&);
  std::expected<void, std::string> (*report_dir)(const reports::Run&, const std::filesystem::path&,
                                                 bool include_sarif);
};

void set_report_writers(const ReportWriters* writers);

}  // namespace mpcheck::cli
