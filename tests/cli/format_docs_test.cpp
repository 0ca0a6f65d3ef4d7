// The --format lists in README.md and docs/*.md are the output table's (cli/output.cpp), and
// docs/usage.md's "Output formats" table is generated from it: one line per format.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "output.hpp"
#include "run_command.hpp"

namespace {

namespace fs = std::filesystem;
using mpcheck::test::read_file;

std::string format_list() {
  std::string out;
  for (const auto& f : mpcheck::cli::output_formats())
    out += (out.empty() ? "" : "|") + std::string(f.name);
  return out;
}

std::vector<fs::path> docs() {
  fs::path root = MPCHECK_SOURCE_DIR;
  std::vector<fs::path> out = {root / "README.md"};
  for (const auto& e : fs::directory_iterator(root / "docs"))
    if (e.path().extension() == ".md") out.push_back(e.path());
  return out;
}

// `--format a|b|c` of a checking command (not `mpcheck rules`, whose formats are its own).
TEST(FormatDocs, EveryDocumentedFormatListIsTheTable) {
  std::regex list(R"(--format ([a-z]+(\|[a-z]+)+))");
  std::size_t seen = 0;
  for (const auto& path : docs()) {
    std::string text = read_file(path);
    std::size_t line_no = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      ++line_no;
      if (line.find("rules") != std::string::npos && line.find("md|") != std::string::npos)
        continue;
      for (auto it = std::sregex_iterator(line.begin(), line.end(), list);
           it != std::sregex_iterator(); ++it) {
        ++seen;
        EXPECT_EQ((*it)[1].str(), format_list()) << path.filename() << ":" << line_no;
      }
    }
  }
  EXPECT_GE(seen, 5u);
}

// The lines `mpcheck-full --help`'s table would print, in docs/usage.md, in the table's order.
TEST(FormatDocs, UsageListsEveryFormatFromTheTable) {
  std::string usage = read_file(fs::path(MPCHECK_SOURCE_DIR) / "docs" / "usage.md");
  std::string expected;
  for (const auto& f : mpcheck::cli::output_formats()) {
    std::string file = f.report_file.empty() ? "-" : "`" + std::string(f.report_file) + "`";
    expected +=
        "| `" + std::string(f.name) + "` | " + std::string(f.description) + " | " + file + " |\n";
  }
  EXPECT_NE(usage.find(expected), std::string::npos) << "docs/usage.md should hold:\n" << expected;
}

}  // namespace
