#include "http_exchange.hpp"

#include <algorithm>
#include <cstring>

#ifndef MPCHECK_VERSION
#define MPCHECK_VERSION "dev"
#endif

namespace mpcheck::conformance::detail {
namespace {

// Everything the libcurl callbacks share during one transfer.
struct Transfer {
  const HttpRequest* request = nullptr;
  ExchangeState* state = nullptr;
  HttpResponse response;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  bool body_too_large = false;
  bool writer_stopped = false;
  bool reader_failed = false;
  std::string_view bytes_left;  // unsent part of body_bytes
  std::string excerpt;
  bool excerpt_truncated = false;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {  // a new response (after 100 Continue, for instance)
    t->response.headers.clear();
    t->header_bytes = 0;
    std::size_t sp = line.find(' ');
    t->response.status = sp == std::string_view::npos ? 0 : std::atol(line.data() + sp + 1);
    return n;
  }
  t->header_bytes += n;
  if (t->header_bytes > limits::kMaxHeaderBytes) {
    t->headers_too_large = true;
    return 0;
  }
  std::size_t colon = line.find(':');
  if (colon != std::string_view::npos)
    t->response.headers.emplace_back(std::string(trim(line.substr(0, colon))),
                                     std::string(trim(line.substr(colon + 1))));
  return n;
}

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t n = size * count;
  if (t->excerpt.size() < limits::kTranscriptExcerptBytes) {
    t->excerpt.append(data, std::min(n, limits::kTranscriptExcerptBytes - t->excerpt.size()));
  }
  if (t->excerpt.size() >= limits::kTranscriptExcerptBytes && n > 0) t->excerpt_truncated = true;
  const HttpRequest& req = *t->request;
  long status = t->response.status;
  if (req.writer != nullptr && status >= 200 && status < 300) {
    if (status != req.writer_status) return n;  // e.g. 200 when 206 was asked: discarded
    if (!(*req.writer)(data, n)) {
      t->writer_stopped = true;
      return 0;
    }
    t->response.streamed += n;
    t->state->streamed += n;
    return n;
  }
  if (t->response.body.size() + n > req.body_limit) {
    t->body_too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t capacity = size * count;
  if (t->request->reader == nullptr) {
    std::size_t n = std::min(capacity, t->bytes_left.size());
    std::memcpy(buffer, t->bytes_left.data(), n);
    t->bytes_left.remove_prefix(n);
    return n;
  }
  t->state->reader_used = true;
  std::ptrdiff_t n = (*t->request->reader)(buffer, capacity);
  if (n < 0 || static_cast<std::size_t>(n) > capacity) {
    t->reader_failed = true;
    return CURL_READFUNC_ABORT;
  }
  return static_cast<std::size_t>(n);
}

RegistryError transfer_error(CURLcode code, const Transfer& t, const char* detail,
                             const HttpRequest& req) {
  RegistryError e;
  e.http_status = t.response.status;
  std::string what = req.method + " " + redact_url(req.url) + ": ";
  if (t.headers_too_large || t.body_too_large) {
    e.kind = RegistryError::Kind::BodyTooLarge;
    e.message =
        what +
        (t.headers_too_large ? "response headers exceed " + std::to_string(limits::kMaxHeaderBytes)
                             : "response body exceeds " + std::to_string(req.body_limit)) +
        " bytes";
  } else if (t.writer_stopped || t.reader_failed) {
    e.kind = RegistryError::Kind::Aborted;
    e.message = what + (t.writer_stopped ? "the body writer stopped the transfer"
                                         : "the body reader failed");
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    e.kind = RegistryError::Kind::Timeout;
    e.message = what + "timed out (" + (*detail ? detail : curl_easy_strerror(code)) + ")";
  } else {
    e.kind = RegistryError::Kind::Transport;
    e.message = what + (*detail ? detail : curl_easy_strerror(code));
  }
  return e;
}

}  // namespace

HttpExchange::HttpExchange(const RegistryConfig& config)
    : config_(config), curl_(curl_easy_init()) {
  user_agent_ = config.user_agent.empty() ? "mpcheck/" MPCHECK_VERSION : config.user_agent;
}

HttpExchange::~HttpExchange() {
  curl_easy_cleanup(curl_);
}

Result<HttpResponse> HttpExchange::perform(const HttpRequest& req,
                                           const std::optional<std::string>& authorization,
                                           ExchangeState& state) {
  if (curl_ == nullptr)
    return std::unexpected(RegistryError{RegistryError::Kind::Transport, 0, {}, "no curl"});
  CURL* h = curl_;
  curl_easy_reset(h);  // keeps the connection cache: connections are reused
  Transfer t;
  t.request = &req;
  t.state = &state;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);  // redirects are followed by the client
  curl_easy_setopt(h, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, config_.stall_min_bytes_per_second);
  curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, static_cast<long>(config_.stall_timeout.count()));
  if (config_.tls == TlsMode::Insecure) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (config_.ca_file) {
    curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file->c_str());
  }

  if (req.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    // UPLOAD with a read callback for every body, so an empty body still says Content-Length 0.
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, &t);
    curl_off_t length = 0;
    if (req.body_bytes) {
      t.bytes_left = *req.body_bytes;
      length = static_cast<curl_off_t>(req.body_bytes->size());
    } else if (req.reader != nullptr) {
      length = req.reader_length ? static_cast<curl_off_t>(*req.reader_length) : -1;
    }
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, length);
  }

  HeaderFields sent = req.headers;
  sent.emplace_back("User-Agent", user_agent_);  // in the list so transcripts show it
  // A streamed body cannot be replayed after a 401; asking for 100-continue lets the
  // registry refuse before any of it is read.
  if (req.reader != nullptr) sent.emplace_back("Expect", "100-continue");
  if (authorization) sent.emplace_back("Authorization", *authorization);
  curl_slist* list = nullptr;
  for (const auto& [name, value] : sent)
    list = curl_slist_append(list, (name + ": " + value).c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);

  CURLcode code = curl_easy_perform(h);
  curl_slist_free_all(list);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);

  std::optional<RegistryError> error;
  if (code != CURLE_OK) error = transfer_error(code, t, error_buffer, req);
  if (config_.transcript) {
    TranscriptEntry entry;
    entry.method = req.method;
    entry.url = redact_url(req.url);
    entry.request_headers = redact_headers(sent);
    entry.status = t.response.status;
    entry.response_headers = redact_headers(t.response.headers);
    entry.body_excerpt = redact_body(t.excerpt);
    entry.body_truncated = t.excerpt_truncated;
    if (error) entry.transport_error = error->message;
    config_.transcript(entry);
  }
  if (error) return std::unexpected(std::move(*error));
  return std::move(t.response);
}

}  // namespace mpcheck::conformance::detail
