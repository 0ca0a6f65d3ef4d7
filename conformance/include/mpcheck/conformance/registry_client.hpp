#pragma once
// A client for the OCI distribution API (spec.md in opencontainers/distribution-spec).
//
// One RegistryClient owns one libcurl easy handle, reused so connections persist. It is NOT
// thread-safe: use one client per thread. Bodies stream through caller callbacks; only
// manifests, error bodies, token replies and listings are read into memory, each bounded
// (limits.hpp). Authorization (basic or bearer) is only ever sent to the configured registry
// origin and the token realm; redirects are followed by hand and drop it on other hosts, and
// an upload Location on another host gets no Authorization either.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mpcheck/conformance/registry_config.hpp"
#include "mpcheck/conformance/registry_results.hpp"

namespace mpcheck::conformance {

// Manifest media types sent in Accept by default.
extern const std::vector<std::string> kDefaultManifestAccept;

// "sha256:abc..." -> "sha256-abc..." (referrers tag schema).
std::string referrers_tag(std::string_view digest);

class RegistryClient {
 public:
  explicit RegistryClient(RegistryConfig config);
  ~RegistryClient();
  RegistryClient(const RegistryClient&) = delete;
  RegistryClient& operator=(const RegistryClient&) = delete;

  const RegistryConfig& config() const;
  std::string base_url() const;  // "https://host[:port]"

  // GET /v2/
  Result<long> ping();

  // Blobs. get_blob verifies the full body against `digest` (and Docker-Content-Digest)
  // on the fly: on a DigestMismatch the writer has seen bad bytes and must discard them.
  // A range fetch expects 206 and is not digest-verified. With `expected_size` (the
  // descriptor's size) reading stops there: a longer body is BodyTooLarge, a shorter one a
  // DigestMismatch, and the transfer deadline scales with it (RegistryConfig::blob_*).
  // Every operation checks repository names, tags and digests (distribution_names.hpp) first.
  Result<BlobInfo> head_blob(std::string_view repo, std::string_view digest);
  Result<BlobFetch> get_blob(std::string_view repo, std::string_view digest,
                             const BodyWriter& writer, std::optional<ByteRange> range = {},
                             std::optional<std::uint64_t> expected_size = {});
  Result<long> delete_blob(std::string_view repo, std::string_view digest);

  // Upload building blocks (session locations are absolute after these calls).
  Result<UploadSession> start_upload(std::string_view repo);
  // PATCH; with `length` sends Content-Range/Content-Length, else streams chunked.
  Result<UploadSession> upload_chunk(const UploadSession& session, const BodyReader& reader,
                                     std::optional<std::uint64_t> length);
  // PUT ?digest=; optionally carries a final chunk of `length` bytes.
  Result<BlobPushed> complete_upload(const UploadSession& session, std::string_view digest,
                                     const BodyReader* reader = nullptr, std::uint64_t length = 0);
  Result<UploadSession> upload_status(const UploadSession& session);
  Result<long> cancel_upload(const UploadSession& session);
  Result<MountOutcome> mount_blob(std::string_view repo, std::string_view digest,
                                  std::string_view from_repo);

  // Whole uploads. Readers are read once, front to back; a failed upload is cancelled.
  Result<BlobPushed> push_blob_monolithic(std::string_view repo, std::string_view digest,
                                          std::uint64_t size, const BodyReader& reader);
  Result<BlobPushed> push_blob_chunked(std::string_view repo, std::string_view digest,
                                       std::uint64_t size, const BodyReader& reader,
                                       std::uint64_t chunk_size);
  Result<BlobPushed> push_blob_streamed(std::string_view repo, std::string_view digest,
                                        const BodyReader& reader);
  // POST ?digest= with the body (optional in the spec; 202 means unsupported).
  Result<SinglePostOutcome> push_blob_single_post(std::string_view repo, std::string_view digest,
                                                  std::uint64_t size, const BodyReader& reader);

  // Manifests; `reference` is a tag or a digest.
  Result<ManifestPushed> put_manifest(std::string_view repo, std::string_view reference,
                                      std::string_view bytes, std::string_view content_type);
  // With `expected_size` (a descriptor's size) the body is read no further than that, as
  // for get_blob; without, up to limits::kMaxManifestBytes.
  Result<Manifest> get_manifest(std::string_view repo, std::string_view reference,
                                const std::vector<std::string>& accept = kDefaultManifestAccept,
                                std::optional<std::uint64_t> expected_size = {});
  Result<ManifestInfo> head_manifest(
      std::string_view repo, std::string_view reference,
      const std::vector<std::string>& accept = kDefaultManifestAccept);
  Result<long> delete_manifest(std::string_view repo, std::string_view reference);

  // Tags of every page: page_size sets ?n=, Link rel="next" is followed to the end, at most
  // limits::kMaxTagPages pages and limits::kMaxTags tags; a Link back to a page already
  // fetched is an error.
  Result<TagList> list_tags(std::string_view repo, std::optional<std::uint32_t> page_size = {});

  // Referrers API; 404 is `supported == false`, not an error.
  Result<Referrers> get_referrers(std::string_view repo, std::string_view digest,
                                  std::optional<std::string_view> artifact_type = {});
  // Referrers tag schema fallback: the index at tag sha256-<hex>; 404 gives nothing.
  Result<std::optional<Manifest>> get_referrers_by_tag(std::string_view repo,
                                                       std::string_view digest);

  struct Impl;  // exchange machinery, shared by the operation files

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace mpcheck::conformance
