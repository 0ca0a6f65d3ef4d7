// Linked into mpcheck-full only: the writers that need pugixml and OpenSSL (see output.hpp).
#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/reports/writers.hpp"
#include "output.hpp"
#include "output_writers.hpp"

namespace mpcheck::cli {

void install_report_writers() {
  static const ReportWriters kWriters{&reports::write_junit, &reports::write_sarif,
                                      &reports::write_html, &reports::write_report_dir};
  set_report_writers(&kWriters);
}

}  // namespace mpcheck::cli
