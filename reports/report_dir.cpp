#include "mpcheck/reports/report_dir.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "mpcheck/reports/writers.hpp"

namespace mpcheck::reports {
namespace {

// Writes to a temporary name first so a reader never sees half a report.
template <typename Writer>
std::expected<void, std::string> write_file(const Run& run, const std::filesystem::path& dir,
                                            std::string_view name, Writer writer) {
  auto path = dir / name;
  auto tmp = dir / (std::string(name) + ".tmp");
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return std::unexpected("cannot write " + tmp.string() + ": " + std::strerror(errno));
    writer(run, out);
    out.close();
    if (!out) {
      std::string reason = std::strerror(errno);
      std::filesystem::remove(tmp, ec);
      return std::unexpected("cannot write " + tmp.string() + ": " + reason);
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::string reason = ec.message();
    std::filesystem::remove(tmp, ec);
    return std::unexpected("cannot write " + path.string() + ": " + reason);
  }
  return {};
}

}  // namespace

std::expected<void, std::string> write_report_dir(const Run& run, const std::filesystem::path& dir,
                                                  bool include_sarif) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return std::unexpected("cannot create " + dir.string() + ": " + ec.message());
  if (auto r = write_file(run, dir, kJunitFile, write_junit); !r) return r;
  if (auto r = write_file(run, dir, kHtmlFile, write_html); !r) return r;
  if (auto r = write_file(run, dir, kResultsFile, write_results_json); !r) return r;
  if (include_sarif)
    if (auto r = write_file(run, dir, kSarifFile, write_sarif); !r) return r;
  return {};
}

Run merge_runs(std::span<const Run> runs) {
  Run merged;
  if (runs.empty()) return merged;
  merged.tool_name = runs.front().tool_name;
  merged.tool_version = runs.front().tool_version;
  auto join_distinct = [](std::string& into, const std::string& value) {
    if (into.empty())
      into = value;
    else if (value != into && ("," + into + ",").find("," + value + ",") == std::string::npos)
      into += "," + value;
  };
  std::set<std::string> rule_ids;
  for (const Run& run : runs) {
    join_distinct(merged.command, run.command);
    join_distinct(merged.spec, run.spec);
    for (const auto& s : run.suites) merged.suites.push_back(s);
    for (const auto& r : run.rules)
      if (rule_ids.insert(r.id).second) merged.rules.push_back(r);
    for (const auto& [k, v] : run.configuration) {
      auto [it, inserted] = merged.configuration.emplace(k, v);
      if (!inserted) join_distinct(it->second, v);
    }
    merged.problems.insert(merged.problems.end(), run.problems.begin(), run.problems.end());
  }
  return merged;
}

}  // namespace mpcheck::reports
