// An OCI image layout on disk: image-layout.md#content.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "mpcheck/validator/artifact_source.hpp"

namespace mpcheck {
namespace {

class FileStream final : public BlobStream {
 public:
  explicit FileStream(int fd) : fd_(fd) {}
  ~FileStream() override { ::close(fd_); }
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    for (;;) {
      ssize_t n = ::read(fd_, buf.data(), buf.size());
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno != EINTR)
        return std::unexpected(std::string("read failed: ") + std::strerror(errno));
    }
  }

 private:
  int fd_;
};

// What a name in the layout is when it is not a regular file, for messages.
std::string_view kind_of(mode_t mode) {
  if (S_ISLNK(mode)) return "a symbolic link; links in a layout are not followed";
  if (S_ISFIFO(mode)) return "a FIFO, not a regular file";
  if (S_ISSOCK(mode)) return "a socket, not a regular file";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device, not a regular file";
  if (S_ISDIR(mode)) return "a directory, not a regular file";
  return "not a regular file";
}

class LayoutDirSource final : public ArtifactSource {
 public:
  LayoutDirSource(std::filesystem::path dir, int dir_fd) : dir_(std::move(dir)), dir_fd_(dir_fd) {}
  ~LayoutDirSource() override { ::close(dir_fd_); }

  std::string describe() const override { return "layout " + dir_.string(); }

  std::expected<std::string, SourceError> read_layout_file(LayoutFile file,
                                                           std::size_t limit) override {
    std::string name = file == LayoutFile::OciLayout ? "oci-layout" : "index.json";
    auto fd = open_file({name});
    if (!fd) return std::unexpected(fd.error());
    FileStream s(*fd);
    std::string out;
    unsigned char buf[65536];
    while (out.size() <= limit) {
      auto n = s.read(buf);
      if (!n)
        return std::unexpected(
            SourceError{SourceError::Io, (dir_ / name).string() + ": " + n.error()});
      if (*n == 0) break;
      out.append(reinterpret_cast<const char*>(buf), *n);
    }
    if (out.size() > limit + 1) out.resize(limit + 1);
    return out;
  }

  std::expected<std::unique_ptr<BlobStream>, SourceError> open_blob(const Digest& d) override {
    auto fd = open_file(blob_path(d));
    if (!fd) return std::unexpected(fd.error());
    ::posix_fadvise(*fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    return std::make_unique<FileStream>(*fd);
  }

  std::expected<std::uint64_t, SourceError> blob_size(const Digest& d) override {
    auto fd = open_file(blob_path(d));
    if (!fd) return std::unexpected(fd.error());
    struct stat st {};
    int ok = ::fstat(*fd, &st), err = errno;
    ::close(*fd);
    if (ok != 0) return std::unexpected(SourceError{SourceError::Io, std::strerror(err)});
    return static_cast<std::uint64_t>(st.st_size);
  }

 private:
  // The digest grammar keeps both parts free of '/' and "..", so this stays under blobs/.
  static std::vector<std::string> blob_path(const Digest& d) {
    return {"blobs", d.algorithm, d.encoded};
  }

  // Opens a regular file under the layout one component at a time, relative to the layout's
  // directory, never following a symlink (O_NOFOLLOW at each step) and never blocking on a FIFO
  // (O_NONBLOCK): anything but a regular file is an error naming what it is, and its bytes are
  // never read.
  std::expected<int, SourceError> open_file(const std::vector<std::string>& parts) const {
    std::string shown = (dir_ / "").string();
    int at = dir_fd_;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      bool last = i + 1 == parts.size();
      shown += parts[i];
      int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
      int fd = ::openat(at, parts[i].c_str(), flags);
      int err = errno;
      struct stat st {};
      bool known = fd < 0 && ::fstatat(at, parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
      if (at != dir_fd_) ::close(at);
      if (fd < 0) {
        if (known && S_ISLNK(st.st_mode))
          return std::unexpected(SourceError{SourceError::NotRegular,
                                             shown + " is " + std::string(kind_of(st.st_mode))});
        return std::unexpected(
            SourceError{err == ENOENT || err == ENOTDIR ? SourceError::Missing : SourceError::Io,
                        shown + ": " + std::strerror(err)});
      }
      if (last) {
        if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
          ::close(fd);
          return std::unexpected(SourceError{SourceError::NotRegular,
                                             shown + " is " + std::string(kind_of(st.st_mode))});
        }
        ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        return fd;
      }
      at = fd;
      shown += '/';
    }
    return std::unexpected(SourceError{SourceError::Missing, shown + ": empty path"});
  }

  std::filesystem::path dir_;
  int dir_fd_;
};

}  // namespace

std::expected<std::unique_ptr<ArtifactSource>, std::string> open_layout_dir(
    const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return std::unexpected(dir.string() + ": not a directory");
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(dir.string() + ": " + std::strerror(errno));
  return std::make_unique<LayoutDirSource>(dir, fd);
}

std::expected<std::unique_ptr<ArtifactSource>, std::string> open_artifact(
    const std::filesystem::path& target) {
  std::error_code ec;
  auto st = std::filesystem::status(target, ec);
  if (ec || !std::filesystem::exists(st))
    return std::unexpected(target.string() + ": no such file or directory");
  if (std::filesystem::is_directory(st)) return open_layout_dir(target);
  return open_layout_archive(target);
}

}  // namespace mpcheck
