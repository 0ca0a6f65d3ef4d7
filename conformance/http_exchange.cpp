#include "http_exchange.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>

#ifndef MPCHECK_VERSION
#define MPCHECK_VERSION "dev"
#endif

namespace mpcheck::conformance::detail {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Everything the libcurl callbacks share during one transfer.
struct Transfer {
  const HttpRequest* request = nullptr;
  const RegistryConfig* config = nullptr;
  ExchangeState* state = nullptr;
  HttpResponse response;
  std::size_t header_bytes = 0;
  bool headers_too_large = false;
  bool body_too_large = false;
  std::optional<std::string> over_declared;  // the declared_size message, when exceeded
  Clock::time_point start = Clock::now();
  std::optional<std::string> deadline_fired;  // which deadline, with its value
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

std::optional<std::uint64_t> parse_length(std::string_view value) {
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return n;
}

std::string seconds_text(milliseconds ms) {
  if (ms.count() % 1000 == 0) return std::to_string(ms.count() / 1000) + " s";
  return std::to_string(ms.count()) + " ms";
}

// Time a blob of `size` bytes may take: the floor plus the size at the minimum rate.
milliseconds blob_allowance(const RegistryConfig& c, std::uint64_t size) {
  constexpr std::uint64_t kMaxSeconds = 1'000'000'000;  // no overflow for any size and rate
  std::uint64_t rate = c.blob_min_bytes_per_second;
  std::uint64_t seconds = std::min(size / rate, kMaxSeconds);
  auto scaled = static_cast<milliseconds::rep>(seconds * 1000 + size % rate * 1000 / rate);
  return std::chrono::duration_cast<milliseconds>(c.blob_timeout_floor) + milliseconds(scaled);
}

// The deadline check, called by libcurl frequently while data moves and about once a second
// while it waits. Returns the message when a deadline has passed.
std::optional<std::string> deadline_passed(const Transfer& t, std::uint64_t moved) {
  const RegistryConfig& c = *t.config;
  auto elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - t.start);
  if (!t.request->blob_transfer) {
    if (c.request_timeout.count() <= 0 || elapsed < c.request_timeout) return std::nullopt;
    return "no complete response within the request deadline of " +
           seconds_text(c.request_timeout) + " (request_timeout)";
  }
  if (c.blob_min_bytes_per_second == 0) return std::nullopt;
  // Only a size the caller knows (a descriptor's) buys a fixed deadline: a Content-Length is
  // the registry's word, and a trickling registry could announce a terabyte.
  std::optional<std::uint64_t> size = t.request->blob_size;
  auto allowed = blob_allowance(c, size.value_or(moved));
  if (elapsed < allowed) return std::nullopt;  // the common case: no string is built
  auto rate = std::to_string(c.blob_min_bytes_per_second) + " bytes/s";
  auto floor = seconds_text(c.blob_timeout_floor);
  if (size)
    return "the blob transfer deadline of " + seconds_text(allowed) + " (" + floor + " plus " +
           std::to_string(*size) + " bytes at the minimum rate of " + rate + ") has passed";
  return "the blob transfer of unknown size fell below the minimum rate of " + rate +
         " after the " + floor + " floor (" + std::to_string(moved) + " bytes in " +
         seconds_text(elapsed) + ")";
}

int on_progress(void* user, curl_off_t, curl_off_t dlnow, curl_off_t, curl_off_t ulnow) {
  auto* t = static_cast<Transfer*>(user);
  auto moved = static_cast<std::uint64_t>(dlnow + ulnow);
  if (auto fired = deadline_passed(*t, moved)) {
    t->deadline_fired = std::move(fired);
    return 1;
  }
  return 0;
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
  const bool success = status >= 200 && status < 300;
  if (req.declared_size && success && (req.writer == nullptr || status == req.writer_status)) {
    // Stop at the declared size: a body that never ends is not read on and on. A
    // Content-Length above it fails before any byte is kept.
    std::uint64_t kept = req.writer != nullptr ? t->response.streamed : t->response.body.size();
    auto announced = parse_length(header_value(t->response.headers, "Content-Length").value_or(""));
    if (kept + n > *req.declared_size ||
        (kept == 0 && announced && *announced > *req.declared_size)) {
      t->over_declared = "the registry sent more than the " + std::to_string(*req.declared_size) +
                         " bytes " + req.declared_size_source;
      return 0;
    }
  }
  if (req.writer != nullptr && success) {
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

RegistryError transfer_error(CURLcode code, Transfer& t, const char* detail,
                             const HttpRequest& req) {
  RegistryError e;
  e.http_status = t.response.status;
  std::string what = req.method + " " + redact_url(req.url) + ": ";
  if (!t.deadline_fired && code == CURLE_OPERATION_TIMEDOUT)  // libcurl's own backstop
    t.deadline_fired = deadline_passed(t, t.response.streamed);
  if (t.over_declared) {
    e.kind = RegistryError::Kind::BodyTooLarge;
    e.message = what + *t.over_declared;
  } else if (t.deadline_fired) {
    e.kind = RegistryError::Kind::Timeout;
    e.message = what + *t.deadline_fired;
  } else if (t.headers_too_large || t.body_too_large) {
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

// Header lines and the URL go on the wire as they are: a CR or LF in a value from the
// configuration or the credentials would start a header of its own.
std::optional<RegistryError> unsafe_field(const HttpRequest& req, const HeaderFields& sent) {
  auto has_break = [](std::string_view s) {
    return s.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos;
  };
  auto refuse = [&](std::string what) {
    return RegistryError{RegistryError::Kind::Protocol,
                         0,
                         {},
                         req.method + " " + redact_url(req.url) + ": refusing to send " + what +
                             ": it contains a CR, LF or NUL character (header injection)"};
  };
  if (has_break(req.url)) return refuse("the URL");
  for (const auto& [name, value] : sent)
    if (has_break(name) || has_break(value))
      return refuse("the " +
                    (has_break(name) ? std::string("header name") : "value of header " + name));
  return std::nullopt;
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
  HeaderFields sent = req.headers;
  sent.emplace_back("User-Agent", user_agent_);  // in the list so transcripts show it
  // A streamed body cannot be replayed after a 401; asking for 100-continue lets the
  // registry refuse before any of it is read.
  if (req.reader != nullptr) sent.emplace_back("Expect", "100-continue");
  if (authorization) sent.emplace_back("Authorization", *authorization);
  if (auto bad = unsafe_field(req, sent)) return std::unexpected(std::move(*bad));
  if (authorization && config_.redactor) {
    config_.redactor->add_secret(*authorization);
    if (std::size_t sp = authorization->find(' '); sp != std::string::npos)
      config_.redactor->add_secret(authorization->substr(sp + 1));
  }

  Transfer t;
  t.request = &req;
  t.config = &config_;
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
  // Deadlines (see deadline_passed); libcurl's timeout is only a backstop a little later.
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  if (!req.blob_transfer && config_.request_timeout.count() > 0)
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(config_.request_timeout.count() * 1000 + 2000));
  else if (req.blob_size && config_.blob_min_bytes_per_second > 0)
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
                     static_cast<long>(blob_allowance(config_, *req.blob_size).count() + 2000));
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
  if (code != CURLE_OK) {
    error = transfer_error(code, t, error_buffer, req);
    if (config_.redactor) error->message = config_.redactor->redact(error->message);
  }
  if (config_.transcript) {
    TranscriptEntry entry;
    entry.method = req.method;
    entry.url = req.url;
    entry.request_headers = std::move(sent);
    entry.status = t.response.status;
    entry.response_headers = t.response.headers;
    entry.body_excerpt = std::move(t.excerpt);
    entry.body_truncated = t.excerpt_truncated;
    if (error) entry.transport_error = error->message;
    if (req.defer_transcript)
      state.deferred = std::move(entry);
    else
      record(std::move(entry));
  }
  if (error) return std::unexpected(std::move(*error));
  // Error bodies end up in error messages (OCI error details): no secret may ride along.
  if (t.response.status >= 300 && config_.redactor)
    t.response.body = config_.redactor->redact(t.response.body);
  return std::move(t.response);
}

void HttpExchange::record(TranscriptEntry entry) const {
  if (!config_.transcript) return;
  auto scrub = [&](std::string text) {
    return config_.redactor ? config_.redactor->redact(text) : reports::redact(text);
  };
  entry.url = scrub(entry.url);
  entry.request_headers = redact_headers(entry.request_headers);
  entry.response_headers = redact_headers(entry.response_headers);
  for (auto* fields : {&entry.request_headers, &entry.response_headers})
    for (auto& [name, value] : *fields) value = scrub(value);
  entry.body_excerpt = scrub(entry.body_excerpt);
  entry.transport_error = scrub(entry.transport_error);
  config_.transcript(entry);
}

}  // namespace mpcheck::conformance::detail
