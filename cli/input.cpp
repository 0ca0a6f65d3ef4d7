#include "input.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

namespace mpcheck::cli {

std::expected<InputText, std::string> read_input(const std::string& path, std::size_t limit) {
  InputText in;
  std::istream* stream = &std::cin;
  std::ifstream file;
  if (path != "-") {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status))
      return std::unexpected(path + ": no such file");
    if (std::filesystem::is_directory(status)) return std::unexpected(path + ": is a directory");
    file.open(path, std::ios::binary);
    if (!file) return std::unexpected(path + ": cannot open: " + std::strerror(errno));
    stream = &file;
  }
  char buf[1 << 16];
  while (*stream) {
    stream->read(buf, sizeof buf);
    std::size_t n = static_cast<std::size_t>(stream->gcount());
    in.total_size += n;
    if (in.bytes.size() <= limit) in.bytes.append(buf, std::min(n, limit + 1 - in.bytes.size()));
  }
  if (stream->bad()) return std::unexpected(path + ": read error");
  return in;
}

}  // namespace mpcheck::cli
