#pragma once
// An artifact in a registry as an ArtifactSource, so the validator checks it exactly as it
// checks a layout: index.json is synthesized with the one manifest the reference names,
// oci-layout is Missing (a registry has none), blobs stream over HTTP.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/validator/artifact_source.hpp"
#include "mpcheck/validator/artifact_validator.hpp"

namespace mpcheck::conformance {

// Bytes buffered between the HTTP transfer and the reader of one blob stream.
inline constexpr std::size_t kBlobStreamBufferBytes = 4u << 20;

class RegistrySource : public ArtifactSource {
 public:
  // `reference` is a tag or a digest. Each open blob stream gets its own RegistryClient over
  // `config` (a client is not thread-safe); the transcript hook is serialized.
  RegistrySource(RegistryConfig config, std::string repo, std::string reference);
  ~RegistrySource() override;

  std::string describe() const override;
  std::expected<std::string, SourceError> read_layout_file(LayoutFile file,
                                                           std::size_t limit) override;
  std::expected<std::unique_ptr<BlobStream>, SourceError> open_blob(const Digest& digest) override;
  std::expected<std::uint64_t, SourceError> blob_size(const Digest& digest) override;

  // The manifest the reference resolved to (after read_layout_file(IndexJson)).
  const std::optional<Manifest>& manifest() const { return manifest_; }
  std::optional<std::string> manifest_digest() const;

 private:
  std::expected<void, SourceError> resolve();
  RegistryConfig config_;
  std::string repo_, reference_;
  std::mutex mutex_;  // guards manifest_ and client_
  std::optional<Manifest> manifest_;
  std::string manifest_digest_;
  std::unique_ptr<RegistryClient> client_;  // HEADs and the manifest GET
};

// validate_artifact over a RegistrySource, without the layout-only findings that cannot apply
// to a registry (MPA001: no oci-layout file).
std::expected<ValidateResult, std::string> validate_registry_artifact(
    RegistrySource& source, const ValidateOptions& options);

// "host[:port]/repo[:tag|@digest]" as `mpcheck validate` accepts it. The host must contain a
// dot or a colon or be "localhost"; a missing tag means "latest".
struct RegistryReference {
  std::string host, repo, reference;
};
std::optional<RegistryReference> parse_registry_reference(std::string_view text);

}  // namespace mpcheck::conformance
