// Blob HEAD / GET / DELETE (distribution-spec "Pulling blobs", "Deleting Blobs").
#include <charconv>

#include "client_impl.hpp"
#include "mpcheck/conformance/content_hasher.hpp"

namespace mpcheck::conformance {
namespace {

std::optional<std::uint64_t> content_length(const HeaderFields& headers) {
  auto value = header_value(headers, "Content-Length");
  if (!value) return std::nullopt;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), n);
  if (ec != std::errc() || end != value->data() + value->size()) return std::nullopt;
  return n;
}

std::string blob_url(RegistryClient::Impl& impl, std::string_view repo, std::string_view digest) {
  return impl.url("/v2/" + repo_path(repo) + "/blobs/" + reference_path(digest));
}

RegistryError mismatch(std::string what) {
  return RegistryError{RegistryError::Kind::DigestMismatch, 0, {}, std::move(what)};
}

}  // namespace

Result<BlobInfo> RegistryClient::head_blob(std::string_view repo, std::string_view digest) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "HEAD";
  request.http.url = blob_url(*impl_, repo, digest);
  request.scope = pull_scope(repo);
  request.follow_redirects = true;
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200)
    return std::unexpected(status_error(*response, "HEAD blob " + std::string(digest)));
  return BlobInfo{content_length(response->headers),
                  header_value(response->headers, "Docker-Content-Digest")};
}

Result<BlobFetch> RegistryClient::get_blob(std::string_view repo, std::string_view digest,
                                           const BodyWriter& writer, std::optional<ByteRange> range,
                                           std::optional<std::uint64_t> expected_size) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  const std::string what = "GET blob " + std::string(digest);
  std::optional<ContentHasher> hasher;
  if (!range) {
    hasher = ContentHasher::create(digest_algorithm(digest));
    if (!hasher)
      return std::unexpected(RegistryError{RegistryError::Kind::Unsupported,
                                           0,
                                           {},
                                           what + ": cannot compute digest algorithm \"" +
                                               std::string(digest_algorithm(digest)) + "\""});
  }
  // Bytes flow once: into the hasher and on to the caller.
  BodyWriter tee = [&](const char* data, std::size_t size) {
    if (hasher) hasher->update(data, size);
    return writer(data, size);
  };
  ClientRequest request;
  request.http.url = blob_url(*impl_, repo, digest);
  request.http.writer = &tee;
  request.http.writer_status = range ? 206 : 200;
  request.http.blob_transfer = true;
  if (range && range->last >= range->first) {
    request.http.declared_size = range->last - range->first + 1;
    request.http.declared_size_source = "of the requested range";
  } else if (expected_size) {
    request.http.declared_size = *expected_size;
  }
  request.http.blob_size = request.http.declared_size;
  if (range)
    request.http.headers.emplace_back(
        "Range", "bytes=" + std::to_string(range->first) + "-" + std::to_string(range->last));
  request.scope = pull_scope(repo);
  request.follow_redirects = true;
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != request.http.writer_status) {
    auto e = status_error(*response, what);
    if (range && response->status == 200) {
      e.kind = RegistryError::Kind::Protocol;
      e.message = what + ": registry ignored the Range request (200 instead of 206)";
    }
    return std::unexpected(e);
  }
  BlobFetch fetch{response->status,
                  response->streamed,
                  {},
                  header_value(response->headers, "Docker-Content-Digest")};
  if (!range && expected_size && fetch.bytes != *expected_size)
    return std::unexpected(mismatch(what + ": the registry sent " + std::to_string(fetch.bytes) +
                                    " bytes, the descriptor declares " +
                                    std::to_string(*expected_size)));
  if (hasher) {
    fetch.computed_digest = hasher->finish();
    if (fetch.computed_digest != digest)
      return std::unexpected(
          mismatch(what + ": received content has digest " + fetch.computed_digest));
    if (fetch.header_digest && digest_algorithm(*fetch.header_digest) == digest_algorithm(digest) &&
        *fetch.header_digest != digest)
      return std::unexpected(mismatch(what + ": Docker-Content-Digest is " + *fetch.header_digest));
  }
  return fetch;
}

Result<long> RegistryClient::delete_blob(std::string_view repo, std::string_view digest) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "DELETE";
  request.http.url = blob_url(*impl_, repo, digest);
  request.scope = "repository:" + std::string(repo) + ":delete";
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 202)
    return std::unexpected(status_error(*response, "DELETE blob " + std::string(digest)));
  return response->status;
}

}  // namespace mpcheck::conformance
