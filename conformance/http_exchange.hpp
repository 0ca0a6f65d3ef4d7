#pragma once
// One HTTP request/response over a reused libcurl easy handle (private to the client).
#include <curl/curl.h>

#include <optional>
#include <string>

#include "mpcheck/conformance/limits.hpp"
#include "mpcheck/conformance/registry_client.hpp"

namespace mpcheck::conformance::detail {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  HeaderFields headers;  // never Authorization; that is passed to perform()
  // Body: in-memory bytes (replayable), or a reader (sent once); neither means no body.
  std::optional<std::string_view> body_bytes;
  const BodyReader* reader = nullptr;
  std::optional<std::uint64_t> reader_length;  // nothing: chunked transfer-encoding
  // With a writer, the body of a `writer_status` response streams to it, other 2xx bodies
  // are discarded; everything else is buffered up to body_limit.
  const BodyWriter* writer = nullptr;
  long writer_status = 200;
  // Most bytes a 2xx body may have (the size a descriptor declares), streamed or buffered; a
  // longer body is an error and is not read further. declared_size_source says whose size.
  std::optional<std::uint64_t> declared_size;
  std::string declared_size_source = "the descriptor declares";
  std::size_t body_limit = limits::kMaxSmallBodyBytes;
  // A blob transfer: its deadline scales with blob_size (RegistryConfig::blob_*), or with the
  // bytes moved when the size is unknown. Other requests get RegistryConfig::request_timeout.
  bool blob_transfer = false;
  std::optional<std::uint64_t> blob_size;
  // The caller records the transcript entry itself (HttpExchange::record) once it has
  // registered the secrets the response carries (a token reply).
  bool defer_transcript = false;
};

struct HttpResponse {
  long status = 0;
  HeaderFields headers;
  std::string body;            // buffered body (see HttpRequest)
  std::uint64_t streamed = 0;  // bytes handed to the writer
};

struct ExchangeState {
  bool reader_used = false;    // a reader body cannot be replayed once read from
  std::uint64_t streamed = 0;  // bytes handed to the writer, even if the transfer then failed
  std::optional<TranscriptEntry> deferred;  // unredacted, with HttpRequest::defer_transcript
};

class HttpExchange {
 public:
  explicit HttpExchange(const RegistryConfig& config);
  ~HttpExchange();
  HttpExchange(const HttpExchange&) = delete;
  HttpExchange& operator=(const HttpExchange&) = delete;

  // Sends `request` once (no retries, redirects or auth handling) and records a transcript
  // entry. `authorization` is the full header value, if any.
  Result<HttpResponse> perform(const HttpRequest& request,
                               const std::optional<std::string>& authorization,
                               ExchangeState& state);
  // Redacts `entry` (key patterns and the secrets the redactor knows) and hands it to the
  // transcript hook.
  void record(TranscriptEntry entry) const;

 private:
  const RegistryConfig& config_;
  CURL* curl_;
  std::string user_agent_;
};

}  // namespace mpcheck::conformance::detail
