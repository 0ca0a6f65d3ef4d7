#include "input.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace mpcheck::cli {

std::expected<InputText, std::string> read_input(const std::string& path, std::size_t limit) {
  InputText in;
  int fd = STDIN_FILENO;
  if (path != "-") {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR) return std::unexpected(path + ": no such file");
      return std::unexpected(path + ": cannot open: " + std::strerror(errno));
    }
  }
  struct Closer {
    int fd;
    ~Closer() {
      if (fd != STDIN_FILENO) ::close(fd);
    }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) return std::unexpected(path + ": is a directory");
    if (S_ISREG(st.st_mode) && static_cast<std::uint64_t>(st.st_size) > limit) {
      in.over_limit = true;
      in.total_size = static_cast<std::size_t>(st.st_size);
      return in;
    }
  }
  // At most limit + 1 bytes: one more than the limit tells an input over it.
  char buf[1 << 16];
  while (in.bytes.size() <= limit) {
    std::size_t want = std::min(sizeof buf, limit + 1 - in.bytes.size());
    ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0)
      return std::unexpected((path == "-" ? std::string("<stdin>") : path) +
                             ": read error: " + std::strerror(errno));
    if (n == 0) break;
    in.bytes.append(buf, static_cast<std::size_t>(n));
  }
  if (in.bytes.size() > limit) {
    in.over_limit = true;
    in.bytes.clear();
  }
  return in;
}

}  // namespace mpcheck::cli
