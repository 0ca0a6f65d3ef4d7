// An OCI image layout on disk: image-layout.md#content.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

class LayoutDirSource final : public ArtifactSource {
 public:
  explicit LayoutDirSource(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::string describe() const override { return "layout " + dir_.string(); }

  std::expected<std::string, SourceError> read_layout_file(LayoutFile file,
                                                           std::size_t limit) override {
    auto path = dir_ / (file == LayoutFile::OciLayout ? "oci-layout" : "index.json");
    auto fd = open_file(path);
    if (!fd) return std::unexpected(fd.error());
    FileStream s(*fd);
    std::string out;
    unsigned char buf[65536];
    while (out.size() <= limit) {
      auto n = s.read(buf);
      if (!n)
        return std::unexpected(SourceError{SourceError::Io, path.string() + ": " + n.error()});
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
    struct stat st {};
    auto path = blob_path(d);
    if (::stat(path.c_str(), &st) != 0) return std::unexpected(error_for(path));
    if (!S_ISREG(st.st_mode))
      return std::unexpected(
          SourceError{SourceError::Io, path.string() + " is not a regular file"});
    return static_cast<std::uint64_t>(st.st_size);
  }

 private:
  // The digest grammar keeps both parts free of '/' and "..", so this stays under blobs/.
  std::filesystem::path blob_path(const Digest& d) const {
    return dir_ / "blobs" / d.algorithm / d.encoded;
  }
  static SourceError error_for(const std::filesystem::path& p) {
    int e = errno;
    return {e == ENOENT || e == ENOTDIR ? SourceError::Missing : SourceError::Io,
            p.string() + ": " + std::strerror(e)};
  }
  static std::expected<int, SourceError> open_file(const std::filesystem::path& p) {
    int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::unexpected(error_for(p));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return std::unexpected(SourceError{SourceError::Io, p.string() + " is not a regular file"});
    }
    return fd;
  }

  std::filesystem::path dir_;
};

}  // namespace

std::expected<std::unique_ptr<ArtifactSource>, std::string> open_layout_dir(
    const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    return std::unexpected(dir.string() + ": not a directory");
  return std::make_unique<LayoutDirSource>(dir);
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
