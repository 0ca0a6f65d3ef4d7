#pragma once
// What RegistryClient operations return on success (the errors are RegistryError).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mpcheck::conformance {

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

struct SinglePostOutcome {
  std::optional<BlobPushed> blob;        // 201: stored by the one POST
  std::optional<UploadSession> session;  // 202: unsupported; finish with complete_upload
};

struct Referrers {
  bool supported = false;  // false: the registry answered 404 (spec: fall back to tag schema)
  std::string index_bytes;
  std::string content_type;
  bool filter_applied = false;  // OCI-Filters-Applied contains artifactType
};

}  // namespace mpcheck::conformance
