// An OCI image layout packed as a tar archive (image-layout.md allows archive transports),
// read in place with libarchive: never extracted to disk.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "mpcheck/validator/artifact_source.hpp"
#include "mpcheck/validator/limits.hpp"

namespace mpcheck {
namespace {

struct EntrySpan {
  std::uint64_t offset = 0;  // of the data in the archive file (plain tar only)
  std::uint64_t size = 0;
  std::uint64_t ordinal = 0;          // position of the entry in the archive (compressed re-reads)
  const char* not_regular = nullptr;  // what the entry is when not a regular file
};

// Entries of a plain tar are read with pread at their data offset: concurrent and seekable.
class OffsetStream final : public BlobStream {
 public:
  OffsetStream(int fd, EntrySpan span)
      : fd_(fd), next_(span.offset), end_(span.offset + span.size) {}
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end_ - next_));
    if (want == 0) return 0;
    for (;;) {
      ssize_t n = ::pread(fd_, buf.data(), want, static_cast<off_t>(next_));
      if (n > 0) {
        next_ += static_cast<std::uint64_t>(n);
        return static_cast<std::size_t>(n);
      }
      if (n == 0) return std::unexpected(std::string("archive ends inside the entry"));
      if (errno != EINTR)
        return std::unexpected(std::string("read failed: ") + std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::uint64_t next_, end_;
};

// Entries of a compressed archive: a fresh pass over the archive up to the entry, then its data.
class RereadStream final : public BlobStream {
 public:
  explicit RereadStream(archive* a) : a_(a) {}
  ~RereadStream() override { archive_read_free(a_); }
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    la_ssize_t n = archive_read_data(a_, buf.data(), buf.size());
    if (n < 0)
      return std::unexpected(std::string("archive read failed: ") +
                             (archive_error_string(a_) ? archive_error_string(a_) : "error"));
    return static_cast<std::size_t>(n);
  }

 private:
  archive* a_;
};

std::string entry_key(std::string_view name) {
  while (name.starts_with("./")) name.remove_prefix(2);
  while (name.starts_with('/')) name.remove_prefix(1);
  return std::string(name);
}

// Only these names can be part of the layout; other entries are skipped, never kept.
bool is_layout_name(std::string_view key) {
  return key == "oci-layout" || key == "index.json" ||
         (key.starts_with("blobs/") && key.size() <= kMaxLayoutEntryNameBytes);
}

// An entry name for a message: ASCII only (layout names are), other bytes shown as '?'.
std::string shown(std::string_view name) {
  std::string out;
  for (unsigned char c : name.substr(0, 200)) out.push_back(c < 0x20 || c >= 0x7f ? '?' : char(c));
  return name.size() > 200 ? out + "..." : out;
}

// The rule a problem with a layout entry falls under.
std::string rule_for(std::string_view key) {
  return key == "oci-layout" ? "MPA001" : key == "index.json" ? "MPA002" : "MPA004";
}

const char* not_regular_kind(archive_entry* e) {
  switch (archive_entry_filetype(e)) {
    case AE_IFLNK:
      return "a symbolic link; links in a layout are not followed";
    case AE_IFDIR:
      return "a directory, not a regular file";
    case AE_IFIFO:
      return "a FIFO, not a regular file";
    default:
      return "not a regular file";
  }
}

archive* open_reader(const std::filesystem::path& file) {
  archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  archive_read_support_filter_gzip(a);
  archive_read_support_filter_zstd(a);
  archive_read_support_filter_xz(a);
  archive_read_support_filter_bzip2(a);
  if (archive_read_open_filename(a, file.c_str(), 1 << 16) != ARCHIVE_OK) {
    archive_read_free(a);
    return nullptr;
  }
  return a;
}

class LayoutArchiveSource final : public ArtifactSource {
 public:
  static std::expected<std::unique_ptr<LayoutArchiveSource>, std::string> open(
      const std::filesystem::path& file) {
    auto src = std::unique_ptr<LayoutArchiveSource>(new LayoutArchiveSource(file));
    archive* a = archive_read_new();
    archive_read_support_format_tar(a);
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_zstd(a);
    archive_read_support_filter_xz(a);
    archive_read_support_filter_bzip2(a);
    if (archive_read_open_filename(a, file.c_str(), 1 << 16) != ARCHIVE_OK) {
      std::string why = archive_error_string(a) ? archive_error_string(a) : "cannot open";
      archive_read_free(a);
      return std::unexpected(file.string() + ": " + why);
    }
    archive_entry* e = nullptr;
    int r;
    std::unordered_map<std::string, std::string> hardlinks;
    std::unordered_map<std::string, std::size_t> copies;  // layout name -> entries with it
    std::size_t name_bytes = 0;
    bool over_bounds = false;
    std::uint64_t ordinal = 0;
    for (; (r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN; ++ordinal) {
      src->plain_ = archive_filter_count(a) == 1;
      const char* raw = archive_entry_pathname(e);
      std::string key = entry_key(raw ? raw : "");
      auto type = archive_entry_filetype(e);
      if (!is_layout_name(key) || (type == AE_IFDIR && !archive_entry_hardlink(e))) {
        archive_read_data_skip(a);
        continue;
      }
      // Bounded: a hostile archive of many long names costs these bytes at most, then a finding.
      auto seen = copies.find(key);
      if (seen == copies.end()) {
        if (copies.size() >= kMaxLayoutArchiveEntries ||
            name_bytes + key.size() > kMaxLayoutArchiveNameBytes) {
          over_bounds = true;
          archive_read_data_skip(a);
          continue;
        }
        name_bytes += key.size();
        seen = copies.emplace(key, 0).first;
      }
      ++seen->second;
      // The last entry of a name wins, as when the archive is extracted, for every flavour.
      src->entries_.erase(key);
      hardlinks.erase(key);
      if (const char* link = archive_entry_hardlink(e)) {
        if (std::strlen(link) <= kMaxLayoutEntryNameBytes) hardlinks[key] = entry_key(link);
      } else if (type == AE_IFREG && archive_entry_sparse_count(e) == 0) {
        // After the header the reader has consumed exactly up to the entry's data.
        src->entries_[key] =
            EntrySpan{static_cast<std::uint64_t>(archive_filter_bytes(a, -1)),
                      static_cast<std::uint64_t>(archive_entry_size(e)), ordinal, nullptr};
      } else {
        src->entries_[key] = EntrySpan{0, 0, ordinal, not_regular_kind(e)};
      }
      archive_read_data_skip(a);
    }
    std::string why =
        r == ARCHIVE_EOF ? "" : (archive_error_string(a) ? archive_error_string(a) : "read error");
    archive_read_free(a);
    if (!why.empty())
      return std::unexpected(file.string() + ": not a readable tar archive: " + why);
    for (auto& [name, target] : hardlinks)
      if (auto it = src->entries_.find(target); it != src->entries_.end())
        src->entries_[name] = it->second;
    // Duplicates make the layout ambiguous: readers of tar archives disagree on which copy wins.
    std::vector<std::string> duplicated;
    for (auto& [name, n] : copies)
      if (n > 1) duplicated.push_back(name);
    std::sort(duplicated.begin(), duplicated.end());
    if (duplicated.size() > kMaxDuplicateEntryFindings) {
      src->findings_.push_back(
          {"MPA004",
           std::to_string(duplicated.size() - kMaxDuplicateEntryFindings) +
               " more layout names appear more than once in the archive (not listed)",
           ""});
      duplicated.resize(kMaxDuplicateEntryFindings);
    }
    for (const auto& name : duplicated)
      src->findings_.push_back(
          {rule_for(name),
           "archive holds " + std::to_string(copies[name]) + " entries named \"" + shown(name) +
               "\"; tar readers disagree on which one is the layout's, so the layout is ambiguous",
           shown(name)});
    if (over_bounds)
      src->findings_.push_back(
          {"MPA004",
           "archive holds more layout entries than mpcheck indexes (" +
               std::to_string(kMaxLayoutArchiveEntries) + " names or " +
               std::to_string(kMaxLayoutArchiveNameBytes) +
               " bytes of names); the entries past that are not read and their blobs are missing",
           ""});
    if (src->plain_) {
      src->fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
      if (src->fd_ < 0) return std::unexpected(file.string() + ": " + std::strerror(errno));
    }
    return src;
  }

  ~LayoutArchiveSource() override {
    if (fd_ >= 0) ::close(fd_);
  }

  std::string describe() const override { return "archive " + file_.string(); }

  std::expected<std::string, SourceError> read_layout_file(LayoutFile file,
                                                           std::size_t limit) override {
    std::string name = file == LayoutFile::OciLayout ? "oci-layout" : "index.json";
    auto s = open_entry(name);
    if (!s) return std::unexpected(s.error());
    std::string out;
    unsigned char buf[65536];
    while (out.size() <= limit) {
      auto n = (*s)->read(buf);
      if (!n) return std::unexpected(SourceError{SourceError::Io, name + ": " + n.error()});
      if (*n == 0) break;
      out.append(reinterpret_cast<const char*>(buf), *n);
    }
    if (out.size() > limit + 1) out.resize(limit + 1);
    return out;
  }

  std::expected<std::unique_ptr<BlobStream>, SourceError> open_blob(const Digest& d) override {
    return open_entry(blob_name(d));
  }

  std::expected<std::uint64_t, SourceError> blob_size(const Digest& d) override {
    auto it = entries_.find(blob_name(d));
    if (it == entries_.end()) return std::unexpected(missing(blob_name(d)));
    if (it->second.not_regular) return std::unexpected(not_regular(blob_name(d), it->second));
    return it->second.size;
  }

  std::vector<StructureFinding> structure_findings() const override { return findings_; }

 private:
  explicit LayoutArchiveSource(std::filesystem::path file) : file_(std::move(file)) {}
  static std::string blob_name(const Digest& d) { return "blobs/" + d.algorithm + "/" + d.encoded; }
  SourceError not_regular(const std::string& name, const EntrySpan& span) const {
    return {SourceError::NotRegular,
            file_.string() + ": entry " + shown(name) + " is " + span.not_regular};
  }
  SourceError missing(const std::string& name) const {
    return {SourceError::Missing, file_.string() + ": no entry " + name};
  }

  std::expected<std::unique_ptr<BlobStream>, SourceError> open_entry(const std::string& name) {
    auto it = entries_.find(name);
    if (it == entries_.end()) return std::unexpected(missing(name));
    if (it->second.not_regular) return std::unexpected(not_regular(name, it->second));
    if (plain_) return std::make_unique<OffsetStream>(fd_, it->second);
    // A fresh pass up to the very entry the index chose (by its position, so a duplicate name
    // resolves to the same copy as for a plain tar).
    archive* a = open_reader(file_);
    if (!a)
      return std::unexpected(SourceError{SourceError::Io, file_.string() + ": cannot reopen"});
    archive_entry* e = nullptr;
    for (std::uint64_t at = 0; archive_read_next_header(a, &e) == ARCHIVE_OK; ++at) {
      if (at == it->second.ordinal) return std::make_unique<RereadStream>(a);
      archive_read_data_skip(a);
    }
    archive_read_free(a);
    return std::unexpected(
        SourceError{SourceError::Io, file_.string() + ": entry " + shown(name) + " vanished"});
  }

  std::filesystem::path file_;
  bool plain_ = true;
  int fd_ = -1;
  std::unordered_map<std::string, EntrySpan> entries_;
  std::vector<StructureFinding> findings_;
};

}  // namespace

std::expected<std::unique_ptr<ArtifactSource>, std::string> open_layout_archive(
    const std::filesystem::path& file) {
  auto src = LayoutArchiveSource::open(file);
  if (!src) return std::unexpected(src.error());
  return std::unique_ptr<ArtifactSource>(std::move(*src));
}

}  // namespace mpcheck
