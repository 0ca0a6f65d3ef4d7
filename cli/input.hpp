#pragma once
// Reading the documents named on the command line: files or "-" for standard input.
#include <cstddef>
#include <expected>
#include <string>

namespace mpcheck::cli {

struct InputText {
  std::string bytes;
  std::size_t total_size = 0;  // size of the whole input; bytes is cut at limit + 1
};

// Reads at most `limit + 1` bytes of `path` ("-" = stdin). The error is the diagnostic to show.
std::expected<InputText, std::string> read_input(const std::string& path, std::size_t limit);

}  // namespace mpcheck::cli
