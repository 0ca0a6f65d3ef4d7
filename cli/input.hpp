#pragma once
// Reading the documents named on the command line: files or "-" for standard input.
#include <cstddef>
#include <expected>
#include <optional>
#include <string>

namespace mpcheck::cli {

struct InputText {
  std::string bytes;  // the whole input, or nothing when it is larger than the limit
  bool over_limit = false;
  // Size of an input over the limit when known (a regular file's size); a pipe or device is read
  // only to limit + 1 bytes, so its size stays unknown.
  std::optional<std::size_t> total_size;
};

// Reads `path` ("-" = stdin) when it holds at most `limit` bytes. A larger regular file is not
// read at all; any other input is read to limit + 1 bytes and no further, so an endless stream
// or a sparse multi-terabyte file ends promptly. The error is the diagnostic to show.
std::expected<InputText, std::string> read_input(const std::string& path, std::size_t limit);

}  // namespace mpcheck::cli
