#pragma once
// A client for the OCI distribution API (spec.md in opencontainers/distribution-spec).
//
// One RegistryClient owns one libcurl easy handle, reused so connections persist. It is NOT
// thread-safe: use one client per thread. Bodies stream through caller callbacks; only
// manifests, error bodies, token replies and listings are read into memory, each bounded
// (limits.hpp). Authorization (basic or bearer) is only ever sent to the configured registry
// origin and the token realm; redirects are followed by hand and drop it on other hosts.
#include <chrono>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/http_fields.hpp"
#include "mpcheck/conformance/registry_error.hpp"
#include "mpcheck/conformance/transcript.hpp"

namespace mpcheck::conformance {

enum class TlsMode {
  Enabled,   // https, peer and host verified
  Insecure,  // https, no verification (self-signed test registries)
  Disabled,  // plain http
};

struct RegistryConfig {
  std::string host;  // "host[:port]"
  TlsMode tls = TlsMode::Enabled;
  std::optional<std::string> ca_file;  // PEM bundle for TlsMode::Enabled
  std::optional<Credentials> credentials;
  std::chrono::milliseconds connect_timeout{10'000};
  // A transfer slower than stall_min_bytes_per_second for stall_timeout is aborted
  // (CURLOPT_LOW_SPEED_*). libcurl averages speed over ~5 s, so a stall right after a burst
  // is detected up to that much later. Timeouts are not retried.
  std::chrono::seconds stall_timeout{30};
  long stall_min_bytes_per_second = 1;
  int max_retries = 3;                              // extra attempts for GET/HEAD/DELETE
  std::chrono::milliseconds retry_base_delay{250};  // doubled per attempt
  std::chrono::seconds max_retry_after{30};         // cap on a server's Retry-After
  std::string user_agent;                           // empty: "mpcheck/<version>"
  TranscriptHook transcript;
};

// Returns bytes written into buf (0 at end of data), or -1 to abort the transfer.
using BodyReader = std::function<std::ptrdiff_t(char* buf, std::size_t capacity)>;
// Receives body bytes; returning false aborts the transfer.
using BodyWriter = std::function<bool(const char* data, std::size_t size)>;

template <class T>
using Result = std::expected<T, RegistryError>;

struct ByteRange {  // inclusive, as in `Range: bytes=first-last`
  std::uint64_t first = 0;
  std::uint64_t last = 0;
};

struct BlobInfo {                     // HEAD /v2/<name>/blobs/<digest>
  std::optional<std::uint64_t> size;  // Content-Length
  std::optional<std::string> digest;  // Docker-Content-Digest
};

struct BlobFetch {
  long status = 0;              // 200, or 206 for a range
  std::uint64_t bytes = 0;      // delivered to the writer
  std::string computed_digest;  // of the delivered bytes (empty for ranges)
  std::optional<std::string> header_digest;
};

struct UploadSession {
  std::string repo;
  std::string location;  // absolute URL of the upload
  // Bytes sent and acknowledged so far. Distribution answers "Range: 0-0" both for 0 and 1
  // bytes, so after PATCH this counts what was sent and checks the Range against it.
  std::uint64_t offset = 0;
  std::optional<std::uint64_t> min_chunk;  // OCI-Chunk-Min-Length
};

struct BlobPushed {
  long status = 0;  // 201
  std::string location;
  std::optional<std::string> digest;  // Docker-Content-Digest
};

struct MountOutcome {
  bool mounted = false;                  // 201
  std::optional<BlobPushed> blob;        // when mounted
  std::optional<UploadSession> session;  // 202 fallback: an upload session to use or cancel
};

struct Manifest {
  std::string bytes;  // exactly as served
  std::string content_type;
  std::optional<std::string> digest;  // Docker-Content-Digest
};

struct ManifestInfo {  // HEAD
  std::string content_type;
  std::optional<std::uint64_t> size;
  std::optional<std::string> digest;
};

struct ManifestPushed {
  long status = 0;
  std::string location;
  std::string digest;  // of the bytes sent (algorithm of `reference` when it is a digest)
  std::optional<std::string> header_digest;  // Docker-Content-Digest; must equal `digest`
  std::optional<std::string> subject;        // OCI-Subject
};

struct TagList {
  std::vector<std::string> tags;
  int pages = 0;
};

struct Referrers {
  bool supported = false;  // false: the registry answered 404 (spec: fall back to tag schema)
  std::string index_bytes;
  std::string content_type;
  bool filter_applied = false;  // OCI-Filters-Applied contains artifactType
};

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
  // on the fly; a range fetch expects 206 and is not digest-verified.
  Result<BlobInfo> head_blob(std::string_view repo, std::string_view digest);
  Result<BlobFetch> get_blob(std::string_view repo, std::string_view digest,
                             const BodyWriter& writer, std::optional<ByteRange> range = {});
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

  // Whole uploads.
  Result<BlobPushed> push_blob_monolithic(std::string_view repo, std::string_view digest,
                                          std::uint64_t size, const BodyReader& reader);
  Result<BlobPushed> push_blob_chunked(std::string_view repo, std::string_view digest,
                                       std::uint64_t size, const BodyReader& reader,
                                       std::uint64_t chunk_size);
  Result<BlobPushed> push_blob_streamed(std::string_view repo, std::string_view digest,
                                        const BodyReader& reader);
  // POST ?digest= with the body. A 202 (unsupported) returns the session in `.second`.
  Result<std::pair<std::optional<BlobPushed>, std::optional<UploadSession>>> push_blob_single_post(
      std::string_view repo, std::string_view digest, std::uint64_t size, const BodyReader& reader);

  // Manifests; `reference` is a tag or a digest.
  Result<ManifestPushed> put_manifest(std::string_view repo, std::string_view reference,
                                      std::string_view bytes, std::string_view content_type);
  Result<Manifest> get_manifest(std::string_view repo, std::string_view reference,
                                const std::vector<std::string>& accept = kDefaultManifestAccept);
  Result<ManifestInfo> head_manifest(
      std::string_view repo, std::string_view reference,
      const std::vector<std::string>& accept = kDefaultManifestAccept);
  Result<long> delete_manifest(std::string_view repo, std::string_view reference);

  // Tags: follows Link rel="next" when page_size is set.
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
