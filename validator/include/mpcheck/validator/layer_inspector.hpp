#pragma once
// One streaming pass over a layer blob: the blob digest, the diffID (digest of the
// uncompressed content) and the inspection of the tar entries all come from the same read.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mpcheck/validator/artifact_source.hpp"
#include "mpcheck/validator/diagnostic.hpp"
#include "mpcheck/validator/media_types.hpp"

namespace mpcheck {

// Bounds on the work a hostile layer can cause. Overridable with --max-ratio / --max-entries.
// gzip cannot exceed ~1032:1 and real tar+gzip layers of model files stay far below 100:1;
// 200:1 lets sparse, zero-heavy tensors through while stopping zip bombs early.
inline constexpr double kDefaultMaxRatio = 200.0;
// The ratio applies to the larger of the blob size and this floor, so tiny layers (a 150-byte
// gzip of a 10 KiB tar) are never flagged.
inline constexpr std::uint64_t kRatioFloorBytes = 1u << 20;
// Models have thousands of files at most; a million entries is far beyond any real layer.
inline constexpr std::uint64_t kDefaultMaxEntries = 1'000'000;
// A rule reports at most this many findings per layer, then one summary line.
inline constexpr std::size_t kMaxFindingsPerRule = 20;
// Read buffer of the pipeline: memory per layer being read stays at a few of these.
inline constexpr std::size_t kChunkBytes = 1u << 20;

struct LayerLimits {
  double max_ratio = kDefaultMaxRatio;
  std::uint64_t max_entries = kDefaultMaxEntries;
};

struct LayerInput {
  // Nothing for a media type outside the spec's list: the blob is only hashed.
  const LayerMediaType* media_type = nullptr;
  std::string blob_algorithm = "sha256";     // algorithm of the descriptor's digest
  std::string diff_id_algorithm = "sha256";  // algorithm of the config's diffId
  std::uint64_t blob_size = 0;               // size on the source (for the ratio bound)
  std::optional<std::string> filepath;       // org.cncf.model.filepath
  std::optional<std::string> file_metadata;  // org.cncf.model.file.metadata+json
};

struct LayerReport {
  std::optional<std::string> blob_digest;  // "<alg>:<hex>" of the bytes read; none if unhashable
  std::uint64_t blob_bytes = 0;
  std::optional<std::string> diff_id;  // none when it could not be computed
  std::uint64_t entries = 0;
  std::optional<std::string> read_error;  // the blob stream failed
  // Findings with Location::entry set; the caller fills manifest and layer.
  std::vector<Diagnostic> diagnostics;
};

// Reads `blob` to its end exactly once. `progress`, when given, counts bytes read.
LayerReport inspect_layer(BlobStream& blob, const LayerInput& input, const LayerLimits& limits,
                          std::atomic<std::uint64_t>* progress = nullptr);

}  // namespace mpcheck
