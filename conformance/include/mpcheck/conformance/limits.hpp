#pragma once
// Bounds on everything the registry client reads into memory or waits for. A response body
// larger than its cap is an error (RegistryError::Kind::BodyTooLarge), never an allocation.
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace mpcheck::conformance::limits {

// Manifests: the distribution spec says registries and clients SHOULD handle at least 4 MB.
inline constexpr std::size_t kMaxManifestBytes = 4 * 1024 * 1024;
// Error bodies, token replies, tag lists, referrers indexes, upload-status replies.
inline constexpr std::size_t kMaxSmallBodyBytes = 1024 * 1024;
// Sum of all response header lines of one response.
inline constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
// Body excerpt kept in a transcript entry.
inline constexpr std::size_t kTranscriptExcerptBytes = 2 * 1024;
// Redirect hops followed for a blob or manifest GET/HEAD.
inline constexpr int kMaxRedirects = 5;
// Tag listing: pages followed and tags kept before giving up. Each page is also bounded by
// kMaxSmallBodyBytes, so a listing holds at most kMaxTags names in memory.
inline constexpr int kMaxTagPages = 1000;
inline constexpr std::size_t kMaxTags = 100'000;
// Total time one request may take, headers and body, when it moves no blob (pings, manifests,
// tokens, listings): a registry trickling one byte per second cannot hold a request forever.
inline constexpr std::chrono::seconds kRequestTimeout{60};
// A blob transfer (GET or upload) of a size the caller knows may take kBlobTimeoutFloor plus
// that size at kBlobMinBytesPerSecond; otherwise (a Content-Length is only the registry's
// word) it must keep that average rate once the floor has passed.
inline constexpr std::chrono::seconds kBlobTimeoutFloor{60};
inline constexpr std::uint64_t kBlobMinBytesPerSecond = 1024 * 1024;
// Output accepted from a docker-credential helper, and how long it may run.
inline constexpr std::size_t kMaxCredentialHelperOutput = 64 * 1024;
inline constexpr std::chrono::seconds kCredentialHelperTimeout{30};
// Docker config.json size.
inline constexpr std::size_t kMaxDockerConfigBytes = 1024 * 1024;

}  // namespace mpcheck::conformance::limits
