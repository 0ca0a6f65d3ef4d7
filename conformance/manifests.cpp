// Manifest PUT / GET / HEAD / DELETE (distribution-spec "Pulling manifests", "Pushing
// Manifests", "Deleting Manifests").
#include <charconv>

#include "client_impl.hpp"
#include "mpcheck/conformance/content_hasher.hpp"

namespace mpcheck::conformance {
namespace {

bool is_digest(std::string_view reference) {
  return reference.find(':') != std::string_view::npos;
}

std::string manifest_url(RegistryClient::Impl& impl, std::string_view repo,
                         std::string_view reference) {
  return impl.url("/v2/" + repo_path(repo) + "/manifests/" + reference_path(reference));
}

std::string join_accept(const std::vector<std::string>& accept) {
  std::string out;
  for (const auto& type : accept) out += (out.empty() ? "" : ", ") + type;
  return out;
}

RegistryError mismatch(long status, std::string what) {
  return RegistryError{RegistryError::Kind::DigestMismatch, status, {}, std::move(what)};
}

}  // namespace

Result<ManifestPushed> RegistryClient::put_manifest(std::string_view repo,
                                                    std::string_view reference,
                                                    std::string_view bytes,
                                                    std::string_view content_type) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_reference(reference)) return std::unexpected(*e);
  const std::string what = "PUT manifest " + std::string(reference);
  std::string_view algorithm = is_digest(reference) ? digest_algorithm(reference) : "sha256";
  auto computed = digest_of(algorithm, bytes);
  if (!computed)
    return std::unexpected(RegistryError{
        RegistryError::Kind::Unsupported,
        0,
        {},
        what + ": cannot compute digest algorithm \"" + std::string(algorithm) + "\""});
  ClientRequest request;
  request.http.method = "PUT";
  request.http.url = manifest_url(*impl_, repo, reference);
  request.http.headers.emplace_back("Content-Type", std::string(content_type));
  request.http.body_bytes = bytes;
  request.scope = push_scope(repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 201) return std::unexpected(status_error(*response, what));
  ManifestPushed pushed;
  pushed.status = response->status;
  if (auto location = header_value(response->headers, "Location")) {
    auto resolved = impl_->resolve(request.http.url, *location);
    if (resolved) pushed.location = *resolved;
  }
  pushed.digest = *computed;
  pushed.header_digest = header_value(response->headers, "Docker-Content-Digest");
  pushed.subject = header_value(response->headers, "OCI-Subject");
  if (pushed.header_digest && *pushed.header_digest != pushed.digest)
    return std::unexpected(mismatch(201, what + ": Docker-Content-Digest is " +
                                             *pushed.header_digest + ", the bytes sent are " +
                                             pushed.digest));
  return pushed;
}

Result<Manifest> RegistryClient::get_manifest(std::string_view repo, std::string_view reference,
                                              const std::vector<std::string>& accept,
                                              std::optional<std::uint64_t> expected_size) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_reference(reference)) return std::unexpected(*e);
  const std::string what = "GET manifest " + std::string(reference);
  ClientRequest request;
  request.http.url = manifest_url(*impl_, repo, reference);
  request.http.headers.emplace_back("Accept", join_accept(accept));
  request.http.body_limit = limits::kMaxManifestBytes;
  request.http.declared_size = expected_size;
  request.scope = pull_scope(repo);
  request.follow_redirects = true;
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return std::unexpected(status_error(*response, what));
  if (expected_size && response->body.size() != *expected_size)
    return std::unexpected(
        mismatch(200, what + ": the registry sent " + std::to_string(response->body.size()) +
                          " bytes, the descriptor declares " + std::to_string(*expected_size)));
  Manifest manifest{std::move(response->body),
                    header_value(response->headers, "Content-Type").value_or(""),
                    header_value(response->headers, "Docker-Content-Digest")};
  // Content addressed by digest must hash to it; the header must match the bytes too.
  if (is_digest(reference)) {
    auto computed = digest_of(digest_algorithm(reference), manifest.bytes);
    if (computed && *computed != reference)
      return std::unexpected(mismatch(200, what + ": received bytes have digest " + *computed));
  }
  if (manifest.digest) {
    auto computed = digest_of(digest_algorithm(*manifest.digest), manifest.bytes);
    if (computed && *computed != *manifest.digest)
      return std::unexpected(mismatch(200, what + ": Docker-Content-Digest is " + *manifest.digest +
                                               ", the bytes are " + *computed));
  }
  return manifest;
}

Result<ManifestInfo> RegistryClient::head_manifest(std::string_view repo,
                                                   std::string_view reference,
                                                   const std::vector<std::string>& accept) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_reference(reference)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "HEAD";
  request.http.url = manifest_url(*impl_, repo, reference);
  request.http.headers.emplace_back("Accept", join_accept(accept));
  request.scope = pull_scope(repo);
  request.follow_redirects = true;
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200)
    return std::unexpected(status_error(*response, "HEAD manifest " + std::string(reference)));
  ManifestInfo info;
  info.content_type = header_value(response->headers, "Content-Type").value_or("");
  info.digest = header_value(response->headers, "Docker-Content-Digest");
  if (auto length = header_value(response->headers, "Content-Length")) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), n);
    if (ec == std::errc() && end == length->data() + length->size()) info.size = n;
  }
  return info;
}

Result<long> RegistryClient::delete_manifest(std::string_view repo, std::string_view reference) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_reference(reference)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "DELETE";
  request.http.url = manifest_url(*impl_, repo, reference);
  request.scope = "repository:" + std::string(repo) + ":delete";
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 202)
    return std::unexpected(status_error(*response, "DELETE manifest " + std::string(reference)));
  return response->status;
}

}  // namespace mpcheck::conformance
