// Blob uploads: POST/PATCH/PUT sessions, mount, status, cancel (distribution-spec "Push").
#include <charconv>

#include "client_impl.hpp"
#include "mpcheck/conformance/content_hasher.hpp"

namespace mpcheck::conformance {
namespace {

constexpr std::string_view kOctetStream = "application/octet-stream";

std::string uploads_url(RegistryClient::Impl& impl, std::string_view repo) {
  return impl.url("/v2/" + repo_path(repo) + "/blobs/uploads/");
}

std::string with_query(const std::string& url, std::string_view param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + std::string(param);
}

RegistryError protocol(std::string message) {
  return RegistryError{RegistryError::Kind::Protocol, 0, {}, std::move(message)};
}

// Location of a response, made absolute against the URL it answered.
Result<std::string> location_of(RegistryClient::Impl& impl, const detail::HttpResponse& r,
                                const std::string& base, std::string_view what) {
  auto location = header_value(r.headers, "Location");
  if (!location || location->empty())
    return std::unexpected(protocol(std::string(what) + ": response has no Location header"));
  return impl.resolve(base, *location);
}

// A session from a 202 answer to POST, PATCH or GET on an upload.
Result<UploadSession> session_from(RegistryClient::Impl& impl, const detail::HttpResponse& r,
                                   const std::string& base, std::string_view repo,
                                   std::string_view what) {
  auto location = location_of(impl, r, base, what);
  if (!location) return std::unexpected(location.error());
  UploadSession session{std::string(repo), *location, 0, std::nullopt};
  if (auto min = header_value(r.headers, "OCI-Chunk-Min-Length")) {
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(min->data(), min->data() + min->size(), n);
    if (ec == std::errc() && end == min->data() + min->size()) session.min_chunk = n;
  }
  return session;
}

// Caps a shared reader at `limit` bytes, so consecutive chunks can read from one stream.
BodyReader bounded(const BodyReader& reader, std::uint64_t limit, std::uint64_t& sent) {
  return [&reader, limit, &sent](char* buf, std::size_t capacity) -> std::ptrdiff_t {
    std::uint64_t left = limit - sent;
    if (left == 0) return 0;
    std::ptrdiff_t n =
        reader(buf, static_cast<std::size_t>(std::min<std::uint64_t>(capacity, left)));
    if (n > 0) sent += static_cast<std::uint64_t>(n);
    if (n == 0 && sent < limit) return -1;  // the stream ended before the announced length
    return n;
  };
}

BlobPushed pushed_from(const detail::HttpResponse& r, std::string location) {
  return BlobPushed{r.status, std::move(location),
                    header_value(r.headers, "Docker-Content-Digest")};
}

}  // namespace

Result<UploadSession> RegistryClient::start_upload(std::string_view repo) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "POST";
  request.http.url = uploads_url(*impl_, repo);
  request.http.body_bytes = std::string_view{};
  request.scope = push_scope(repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 202)
    return std::unexpected(status_error(*response, "POST upload to " + std::string(repo)));
  return session_from(*impl_, *response, request.http.url, repo, "POST upload");
}

Result<UploadSession> RegistryClient::upload_chunk(const UploadSession& session,
                                                   const BodyReader& reader,
                                                   std::optional<std::uint64_t> length) {
  std::uint64_t sent = 0;
  BodyReader body = length ? bounded(reader, *length, sent)
                           : BodyReader([&](char* buf, std::size_t cap) -> std::ptrdiff_t {
                               std::ptrdiff_t n = reader(buf, cap);
                               if (n > 0) sent += static_cast<std::uint64_t>(n);
                               return n;
                             });
  ClientRequest request;
  request.http.method = "PATCH";
  request.http.url = session.location;
  request.http.headers.emplace_back("Content-Type", kOctetStream);
  if (length) {
    if (*length == 0) return std::unexpected(protocol("PATCH upload: a chunk cannot be empty"));
    request.http.headers.emplace_back(
        "Content-Range",
        std::to_string(session.offset) + "-" + std::to_string(session.offset + *length - 1));
  }
  request.http.reader = &body;
  request.http.reader_length = length;
  request.http.blob_transfer = true;
  request.http.blob_size = length;
  request.scope = push_scope(session.repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 202) return std::unexpected(status_error(*response, "PATCH upload"));
  auto next = session_from(*impl_, *response, session.location, session.repo, "PATCH upload");
  if (!next) return next;
  next->offset = session.offset + sent;
  next->min_chunk = session.min_chunk;
  if (auto range = header_value(response->headers, "Range")) {
    auto acknowledged = parse_upload_range(*range);
    // "0-0" is ambiguous for offsets 0 and 1 (see UploadSession::offset).
    if (!acknowledged || (next->offset > 1 && *acknowledged != next->offset))
      return std::unexpected(protocol("PATCH upload: registry acknowledged Range " + *range +
                                      " after " + std::to_string(next->offset) + " bytes"));
  }
  return next;
}

Result<BlobPushed> RegistryClient::complete_upload(const UploadSession& session,
                                                   std::string_view digest,
                                                   const BodyReader* reader, std::uint64_t length) {
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  std::uint64_t sent = 0;
  BodyReader body;
  ClientRequest request;
  request.http.method = "PUT";
  request.http.url = with_query(session.location, "digest=" + query_escape(digest));
  if (reader != nullptr && length > 0) {
    body = bounded(*reader, length, sent);
    request.http.reader = &body;
    request.http.reader_length = length;
    request.http.blob_transfer = true;
    request.http.blob_size = length;
    request.http.headers.emplace_back("Content-Type", kOctetStream);
    if (session.offset > 0)
      request.http.headers.emplace_back(
          "Content-Range",
          std::to_string(session.offset) + "-" + std::to_string(session.offset + length - 1));
  } else {
    request.http.body_bytes = std::string_view{};
  }
  request.scope = push_scope(session.repo);
  auto response = impl_->send(request);
  const std::string what = "PUT upload " + std::string(digest);
  if (!response) return std::unexpected(response.error());
  if (response->status != 201) return std::unexpected(status_error(*response, what));
  auto location = location_of(*impl_, *response, session.location, what);
  if (!location) return std::unexpected(location.error());
  auto pushed = pushed_from(*response, *location);
  if (pushed.digest && *pushed.digest != digest)
    return std::unexpected(RegistryError{RegistryError::Kind::DigestMismatch,
                                         201,
                                         {},
                                         what + ": registry stored digest " + *pushed.digest});
  return pushed;
}

Result<UploadSession> RegistryClient::upload_status(const UploadSession& session) {
  ClientRequest request;
  request.http.url = session.location;
  request.scope = push_scope(session.repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 204) return std::unexpected(status_error(*response, "GET upload"));
  auto next = session_from(*impl_, *response, session.location, session.repo, "GET upload");
  if (!next) return next;
  next->min_chunk = session.min_chunk;
  auto range = header_value(response->headers, "Range");
  auto acknowledged = range ? parse_upload_range(*range) : std::nullopt;
  if (!acknowledged) return std::unexpected(protocol("GET upload: missing or bad Range header"));
  // "0-0" means nothing or one byte; trust what this client sent when it knows.
  next->offset = (*acknowledged == 1 && session.offset == 0) ? 0 : *acknowledged;
  return next;
}

Result<long> RegistryClient::cancel_upload(const UploadSession& session) {
  ClientRequest request;
  request.http.method = "DELETE";
  request.http.url = session.location;
  request.scope = push_scope(session.repo);
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status < 200 || response->status >= 300)
    return std::unexpected(status_error(*response, "DELETE upload"));
  return response->status;
}

Result<MountOutcome> RegistryClient::mount_blob(std::string_view repo, std::string_view digest,
                                                std::string_view from_repo) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  if (auto e = bad_repository(from_repo)) return std::unexpected(*e);
  ClientRequest request;
  request.http.method = "POST";
  request.http.url = uploads_url(*impl_, repo) + "?mount=" + query_escape(digest) +
                     "&from=" + query_escape(from_repo);
  request.http.body_bytes = std::string_view{};
  request.scope = push_scope(repo) + " " + pull_scope(from_repo);
  auto response = impl_->send(request);
  const std::string what = "POST mount " + std::string(digest);
  if (!response) return std::unexpected(response.error());
  MountOutcome outcome;
  if (response->status == 201) {
    auto location = location_of(*impl_, *response, request.http.url, what);
    if (!location) return std::unexpected(location.error());
    outcome.mounted = true;
    outcome.blob = pushed_from(*response, *location);
  } else if (response->status == 202) {
    auto session = session_from(*impl_, *response, request.http.url, repo, what);
    if (!session) return std::unexpected(session.error());
    outcome.session = *session;
  } else {
    return std::unexpected(status_error(*response, what));
  }
  return outcome;
}

Result<BlobPushed> RegistryClient::push_blob_monolithic(std::string_view repo,
                                                        std::string_view digest, std::uint64_t size,
                                                        const BodyReader& reader) {
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  auto session = start_upload(repo);
  if (!session) return std::unexpected(session.error());
  auto pushed = complete_upload(*session, digest, &reader, size);
  if (!pushed) (void)cancel_upload(*session);  // spec: SHOULD cancel, ignore failures
  return pushed;
}

Result<BlobPushed> RegistryClient::push_blob_chunked(std::string_view repo, std::string_view digest,
                                                     std::uint64_t size, const BodyReader& reader,
                                                     std::uint64_t chunk_size) {
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  auto session = start_upload(repo);
  if (!session) return std::unexpected(session.error());
  const std::uint64_t chunk =
      std::max<std::uint64_t>({chunk_size, session->min_chunk.value_or(0), 1});
  UploadSession current = *session;
  while (current.offset < size) {
    auto next = upload_chunk(current, reader, std::min(chunk, size - current.offset));
    if (!next) {
      (void)cancel_upload(current);
      return std::unexpected(next.error());
    }
    current = *next;
  }
  auto pushed = complete_upload(current, digest);
  if (!pushed) (void)cancel_upload(current);
  return pushed;
}

Result<BlobPushed> RegistryClient::push_blob_streamed(std::string_view repo,
                                                      std::string_view digest,
                                                      const BodyReader& reader) {
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  auto session = start_upload(repo);
  if (!session) return std::unexpected(session.error());
  auto streamed = upload_chunk(*session, reader, std::nullopt);
  if (!streamed) {
    (void)cancel_upload(*session);
    return std::unexpected(streamed.error());
  }
  auto pushed = complete_upload(*streamed, digest);
  if (!pushed) (void)cancel_upload(*streamed);
  return pushed;
}

Result<SinglePostOutcome> RegistryClient::push_blob_single_post(std::string_view repo,
                                                                std::string_view digest,
                                                                std::uint64_t size,
                                                                const BodyReader& reader) {
  if (auto e = bad_repository(repo)) return std::unexpected(*e);
  if (auto e = bad_digest(digest)) return std::unexpected(*e);
  std::uint64_t sent = 0;
  BodyReader body = bounded(reader, size, sent);
  ClientRequest request;
  request.http.method = "POST";
  request.http.url = uploads_url(*impl_, repo) + "?digest=" + query_escape(digest);
  request.http.headers.emplace_back("Content-Type", kOctetStream);
  request.http.reader = &body;
  request.http.reader_length = size;
  request.http.blob_transfer = true;
  request.http.blob_size = size;
  request.scope = push_scope(repo);
  auto response = impl_->send(request);
  const std::string what = "POST single upload " + std::string(digest);
  if (!response) return std::unexpected(response.error());
  if (response->status == 201) {
    auto location = location_of(*impl_, *response, request.http.url, what);
    if (!location) return std::unexpected(location.error());
    return SinglePostOutcome{pushed_from(*response, *location), std::nullopt};
  }
  if (response->status == 202) {
    auto session = session_from(*impl_, *response, request.http.url, repo, what);
    if (!session) return std::unexpected(session.error());
    return SinglePostOutcome{std::nullopt, *session};
  }
  return std::unexpected(status_error(*response, what));
}

}  // namespace mpcheck::conformance
