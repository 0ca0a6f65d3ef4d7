#include "mpcheck/conformance/registry_client.hpp"

#include <thread>

#include "client_impl.hpp"
#include "mpcheck/conformance/distribution_names.hpp"

namespace mpcheck::conformance {
namespace {

using detail::HttpResponse;

struct CurlUrl {
  CURLU* u = curl_url();
  ~CurlUrl() { curl_url_cleanup(u); }
  std::string get(CURLUPart part, unsigned flags = 0) const {
    char* out = nullptr;
    if (curl_url_get(u, part, &out, flags) != CURLUE_OK) return {};
    std::string s(out);
    curl_free(out);
    return s;
  }
};

// scheme://host:port with the default port made explicit, for same-origin checks.
std::string origin_of(const std::string& url) {
  CurlUrl u;
  if (curl_url_set(u.u, CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) return {};
  std::string host = u.get(CURLUPART_HOST);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return u.get(CURLUPART_SCHEME) + "://" + host + ":" + u.get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

bool is_idempotent(const ClientRequest& r) {
  const auto& m = r.http.method;
  return (m == "GET" || m == "HEAD" || m == "DELETE") && r.http.reader == nullptr &&
         !r.http.body_bytes;
}

std::string percent_encode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string> kDefaultManifestAccept = {
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
};

std::string repo_path(std::string_view repo) {
  return percent_encode(repo, "._/-");
}
std::string reference_path(std::string_view ref) {
  return percent_encode(ref, "._:+=-");
}
std::string query_escape(std::string_view value) {
  return percent_encode(value, "._~-");
}
std::string pull_scope(std::string_view repo) {
  return "repository:" + std::string(repo) + ":pull";
}
std::string push_scope(std::string_view repo) {
  return "repository:" + std::string(repo) + ":pull,push";
}

namespace {
std::optional<RegistryError> name_error(std::expected<void, std::string> checked) {
  if (checked) return std::nullopt;
  return RegistryError{
      RegistryError::Kind::Protocol, 0, {}, "refusing to build a registry URL: " + checked.error()};
}
}  // namespace

std::optional<RegistryError> bad_repository(std::string_view repo) {
  return name_error(check_repository_name(repo));
}
std::optional<RegistryError> bad_digest(std::string_view digest) {
  return name_error(check_digest(digest));
}
std::optional<RegistryError> bad_reference(std::string_view reference) {
  return name_error(check_reference(reference));
}

bool status_in(long status, std::initializer_list<long> expected) {
  for (long s : expected)
    if (s == status) return true;
  return false;
}

RegistryError status_error(const HttpResponse& response, std::string_view what) {
  RegistryError e;
  e.http_status = response.status;
  e.kind = (response.status == 401 || response.status == 403) ? RegistryError::Kind::Auth
                                                              : RegistryError::Kind::Http;
  e.errors = parse_oci_errors(response.body);
  e.message = std::string(what) + ": registry answered HTTP " + std::to_string(response.status);
  return e;
}

RegistryClient::Impl::Impl(RegistryConfig cfg)
    : config(std::move(cfg)),
      http(config),
      origin((config.tls == TlsMode::Disabled ? "http://" : "https://") + config.host) {
  if (!config.redactor) config.redactor = std::make_shared<reports::Redactor>();
  if (config.credentials) {
    config.redactor->add_secret(config.credentials->password, true);
    config.redactor->add_secret(
        encode_base64(config.credentials->username + ":" + config.credentials->password), true);
  }
}

Result<std::string> RegistryClient::Impl::resolve(std::string_view base,
                                                  std::string_view reference) const {
  CurlUrl u;
  std::string b(base), r(reference);
  if (curl_url_set(u.u, CURLUPART_URL, b.c_str(), 0) != CURLUE_OK ||
      curl_url_set(u.u, CURLUPART_URL, r.c_str(), 0) != CURLUE_OK)
    return std::unexpected(RegistryError{
        RegistryError::Kind::Protocol, 0, {}, "cannot resolve URL " + redact_url(reference)});
  return u.get(CURLUPART_URL);
}

Result<HttpResponse> RegistryClient::Impl::send(const ClientRequest& request) {
  const std::string registry_origin = origin_of(origin);
  std::string url = request.http.url;
  for (int hop = 0;; ++hop) {
    bool same_origin = origin_of(url) == registry_origin;
    auto response = send_with_retries(request, url, same_origin);
    if (!response || !request.follow_redirects ||
        !status_in(response->status, {301, 302, 303, 307, 308}))
      return response;
    auto location = header_value(response->headers, "Location");
    if (!location) return response;
    if (hop >= limits::kMaxRedirects)
      return std::unexpected(
          RegistryError{RegistryError::Kind::Protocol,
                        response->status,
                        {},
                        request.http.method + " " + redact_url(request.http.url) + ": more than " +
                            std::to_string(limits::kMaxRedirects) + " redirects"});
    auto next = resolve(url, *location);
    if (!next) return std::unexpected(next.error());
    url = *next;
  }
}

Result<HttpResponse> RegistryClient::Impl::send_with_retries(const ClientRequest& request,
                                                             const std::string& url,
                                                             bool same_origin) {
  for (int attempt = 0;; ++attempt) {
    detail::ExchangeState state;
    auto response = send_with_auth(request, url, same_origin, state);
    if (!is_idempotent(request) || attempt >= config.max_retries || state.streamed > 0)
      return response;
    std::chrono::milliseconds delay = config.retry_base_delay * (1LL << std::min(attempt, 16));
    delay = std::min<std::chrono::milliseconds>(delay, config.max_retry_after);
    if (!response) {
      // Connection-level failures only; a timeout already cost its full budget.
      if (response.error().kind != RegistryError::Kind::Transport) return response;
    } else if (response->status == 429 || (response->status >= 500 && response->status < 600)) {
      if (auto value = header_value(response->headers, "Retry-After");
          value && (response->status == 429 || response->status == 503)) {
        if (auto after = parse_retry_after(*value, std::chrono::system_clock::now()))
          delay = std::min<std::chrono::milliseconds>(*after, config.max_retry_after);
      }
    } else {
      return response;
    }
    std::this_thread::sleep_for(delay);
  }
}

RegistryClient::RegistryClient(RegistryConfig config)
    : impl_(std::make_unique<Impl>(std::move(config))) {}
RegistryClient::~RegistryClient() = default;
const RegistryConfig& RegistryClient::config() const {
  return impl_->config;
}
std::string RegistryClient::base_url() const {
  return impl_->origin;
}

Result<long> RegistryClient::ping() {
  ClientRequest request;
  request.http.url = impl_->url("/v2/");
  auto response = impl_->send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return std::unexpected(status_error(*response, "GET /v2/"));
  return response->status;
}

}  // namespace mpcheck::conformance
