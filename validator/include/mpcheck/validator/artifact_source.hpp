#pragma once
// Where an artifact's bytes come from: an OCI image layout directory, a layout packed as a tar
// archive, or (from conformance/) a registry. Validation reads everything through this interface.
#include <cstdint>
#include <expected>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mpcheck/validator/digest.hpp"

namespace mpcheck {

// A blob's bytes, read front to back once.
class BlobStream {
 public:
  virtual ~BlobStream() = default;
  // Fills up to buf.size() bytes; 0 means the end of the blob. The error says what failed.
  virtual std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) = 0;
};

struct SourceError {
  // NotRegular: the name exists but is a symlink, FIFO, device or directory; it is reported as
  // a finding and never read or followed.
  enum Kind { Missing, Io, NotRegular } kind = Io;
  std::string message;
};

// The top-level files of an image layout (image-layout.md#content).
enum class LayoutFile { OciLayout, IndexJson };

class ArtifactSource {
 public:
  virtual ~ArtifactSource() = default;
  // What the source is, for messages ("layout dir ./model", "archive model.tar").
  virtual std::string describe() const = 0;
  // The bytes of a top-level layout file, at most `limit` + 1 of them. A registry source
  // synthesizes index.json from the reference it was given and reports oci-layout Missing.
  virtual std::expected<std::string, SourceError> read_layout_file(LayoutFile file,
                                                                   std::size_t limit) = 0;
  // Opens blob `digest` for streaming. Safe to call from several threads at once.
  virtual std::expected<std::unique_ptr<BlobStream>, SourceError> open_blob(
      const Digest& digest) = 0;
  virtual std::expected<std::uint64_t, SourceError> blob_size(const Digest& digest) = 0;

  // Problems with the source's own structure that are findings rather than failures to run
  // (a layout archive's duplicate entries, or its index bounds reached), each with its rule.
  struct StructureFinding {
    std::string rule;
    std::string message;
    std::string entry;  // the entry concerned, if one
  };
  virtual std::vector<StructureFinding> structure_findings() const { return {}; }
};

// An OCI image layout directory (oci-layout, index.json, blobs/<alg>/<encoded>).
std::expected<std::unique_ptr<ArtifactSource>, std::string> open_layout_dir(
    const std::filesystem::path& dir);

// An OCI image layout packed in a tar archive, read in place: one pass indexes the entries,
// blobs are then read at their offsets (plain tar) or by re-reading the archive (compressed).
std::expected<std::unique_ptr<ArtifactSource>, std::string> open_layout_archive(
    const std::filesystem::path& file);

// A directory opens as a layout directory, anything else as an archive.
std::expected<std::unique_ptr<ArtifactSource>, std::string> open_artifact(
    const std::filesystem::path& target);

}  // namespace mpcheck
