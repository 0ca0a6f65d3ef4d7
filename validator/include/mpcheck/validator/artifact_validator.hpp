#pragma once
// Validating whole model artifacts: the layout files, each manifest and its config (everything
// lint checks), every blob's size and digest, the diffIDs and the layer contents.
#include <cstdint>
#include <expected>
#include <functional>
#include <string>
#include <vector>

#include "mpcheck/validator/artifact_source.hpp"
#include "mpcheck/validator/diagnostic.hpp"
#include "mpcheck/validator/layer_inspector.hpp"
#include "mpcheck/validator/lint.hpp"

namespace mpcheck {

// Manifests and configs are kilobytes; a bounded read protects against a hostile blob.
inline constexpr std::size_t kMaxDocumentBytes = 4u << 20;

struct ValidateProgress {
  std::uint64_t bytes_read = 0, bytes_total = 0;
  std::size_t layers_done = 0, layers_total = 0;
};

struct ValidateOptions {
  std::string ref;    // org.opencontainers.image.ref.name or digest; empty = every manifest
  unsigned jobs = 0;  // layers read in parallel; 0 = hardware concurrency
  SpecVersion spec = SpecVersion::Main;
  LayerLimits limits;
  // Called from the calling thread a few times a second while layers are read.
  std::function<void(const ValidateProgress&)> progress;
};

struct ManifestResult {
  std::string digest;    // "sha256:..." as index.json names it
  std::string ref_name;  // org.opencontainers.image.ref.name, if any
  std::vector<Diagnostic> diagnostics;
};

struct ValidateResult {
  std::vector<Diagnostic> layout_diagnostics;  // oci-layout, index.json
  std::vector<ManifestResult> manifests;       // in index.json order
};

// The error is for a run that cannot start (e.g. --ref names nothing); findings are values.
std::expected<ValidateResult, std::string> validate_artifact(ArtifactSource& source,
                                                             const ValidateOptions& options);

}  // namespace mpcheck
