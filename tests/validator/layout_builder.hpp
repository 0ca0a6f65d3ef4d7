#pragma once
// Test inputs for mpcheck validate: tar layers written with libarchive and OCI image layouts
// (blobs/sha256/<hex>, index.json, oci-layout) written into a temp dir.
#include <archive_entry.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "mpcheck/validator/artifact_source.hpp"

namespace mpcheck::test {

struct TarEntry {
  std::string name;
  std::string content;
  unsigned mode = 0644;
  unsigned type = AE_IFREG;
  std::string symlink;   // target, for AE_IFLNK
  std::string hardlink;  // target, for hard links
  std::int64_t mtime = 1700000000, uid = 0, gid = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
  bool atime = false;
};

enum class Compression { None, Gzip, Zstd };

std::string make_tar(const std::vector<TarEntry>& entries, Compression c = Compression::None);
std::string compress(const std::string& bytes, Compression c);
std::string sha256_of(std::string_view bytes);  // "sha256:<hex>"

struct Layer {
  std::string media_type;
  std::string blob;
  std::string diff_id;  // of the uncompressed content
  std::map<std::string, std::string> annotations;
};

// A weight/doc/... layer; the media type follows the compression ("…v1.tar+gzip").
Layer tar_layer(std::string_view content, const std::vector<TarEntry>& entries,
                Compression c = Compression::None);
Layer raw_layer(std::string_view content, std::string bytes);

// A temp dir removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::string config_json(const std::vector<std::string>& diff_ids);

class LayoutBuilder {
 public:
  explicit LayoutBuilder(std::filesystem::path dir);
  // Writes blobs/sha256/<hex>; returns the digest.
  std::string add_blob(const std::string& bytes);
  // Writes config and manifest blobs; returns the manifest JSON (not yet in index.json).
  std::string manifest_json(const std::vector<Layer>& layers,
                            std::optional<std::string> config = std::nullopt);
  // Adds the manifest to index.json under `ref` (empty: no ref annotation); returns its digest.
  std::string add_manifest(const std::vector<Layer>& layers, const std::string& ref = "latest",
                           std::optional<std::string> config = std::nullopt);
  std::string add_manifest_text(
      const std::string& manifest, const std::string& ref,
      std::string media_type = "application/vnd.oci.image.manifest.v1+json");
  // Writes index.json and oci-layout.
  void finish(std::optional<std::string> index_override = std::nullopt,
              std::optional<std::string> layout_override = std::nullopt);
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> index_entries_;
};

// Packs a layout directory into a tar archive (sorted, plain or compressed).
void pack_directory(const std::filesystem::path& dir, const std::filesystem::path& tar,
                    Compression c = Compression::None);

// A blob stream over bytes in memory, read in pieces of `piece` bytes.
class MemoryStream final : public BlobStream {
 public:
  explicit MemoryStream(std::string bytes, std::size_t piece = 1000)
      : bytes_(std::move(bytes)), piece_(piece) {}
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override;
  std::size_t consumed() const { return pos_; }

 private:
  std::string bytes_;
  std::size_t piece_, pos_ = 0;
};

struct CommandResult {
  int exit_code = -1;
  std::string out;
};
// Runs a shell command line (arguments already quoted), capturing stdout.
CommandResult run_command(const std::string& command_line);
std::string shell_quote(const std::string& s);

}  // namespace mpcheck::test
