#include "mpcheck/conformance/registry_client.hpp"

#include <rapidjson/document.h>

#include <thread>

#include "client_impl.hpp"
#include "mpcheck/conformance/www_authenticate.hpp"

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
      origin((config.tls == TlsMode::Disabled ? "http://" : "https://") + config.host) {}

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

Result<HttpResponse> RegistryClient::Impl::send_with_auth(const ClientRequest& request,
                                                          const std::string& url, bool same_origin,
                                                          detail::ExchangeState& state) {
  detail::HttpRequest http_request = request.http;
  http_request.url = url;
  // Authorization goes to the registry origin only, never to a redirect target elsewhere.
  std::optional<std::string> authorization;
  if (same_origin) authorization = authorization_for(request.scope);
  auto response = http.perform(http_request, authorization, state);
  if (!response || response->status != 401 || !same_origin) return response;
  auto retry = answer_challenge(*response, request.scope);
  if (!retry) return std::unexpected(retry.error());
  if (!*retry || state.reader_used) return response;  // a streamed body cannot be replayed
  auto again = authorization_for(request.scope);
  if (again == authorization) return response;
  state = {};
  return http.perform(http_request, again, state);
}

std::optional<std::string> RegistryClient::Impl::authorization_for(const std::string& scope) {
  if (auto it = tokens.find(scope); it != tokens.end()) {
    if (std::chrono::steady_clock::now() < it->second.expires) return "Bearer " + it->second.value;
    tokens.erase(it);
  }
  if (basic_challenged && config.credentials)
    return "Basic " +
           encode_base64(config.credentials->username + ":" + config.credentials->password);
  return std::nullopt;
}

Result<bool> RegistryClient::Impl::answer_challenge(const HttpResponse& response,
                                                    const std::string& scope) {
  std::vector<AuthChallenge> challenges;
  for (const auto& value : header_values(response.headers, "WWW-Authenticate"))
    if (auto parsed = parse_www_authenticate(value))
      challenges.insert(challenges.end(), parsed->begin(), parsed->end());
  for (const auto& c : challenges) {
    if (!c.is("Bearer")) continue;
    auto realm = c.param("realm");
    if (!realm)
      return std::unexpected(RegistryError{
          RegistryError::Kind::Protocol, 401, {}, "Bearer challenge without a realm"});
    std::string token_scope = c.param("scope").value_or(scope);
    auto token = fetch_token(*realm, c.param("service"), token_scope);
    if (!token) return std::unexpected(token.error());
    tokens[token_scope] = *token;
    tokens[scope] = *token;
    return true;
  }
  for (const auto& c : challenges) {
    if (c.is("Basic") && config.credentials) {
      basic_challenged = true;
      return true;
    }
  }
  return false;
}

Result<RegistryClient::Impl::Token> RegistryClient::Impl::fetch_token(
    const std::string& realm, const std::optional<std::string>& service, const std::string& scope) {
  std::string url = realm;
  char sep = realm.find('?') == std::string::npos ? '?' : '&';
  if (service) {
    url += sep + std::string("service=") + query_escape(*service);
    sep = '&';
  }
  for (std::size_t pos = 0; pos < scope.size();) {  // one scope= per space-separated scope
    std::size_t end = std::min(scope.find(' ', pos), scope.size());
    if (end > pos) {
      url += sep + std::string("scope=") + query_escape(scope.substr(pos, end - pos));
      sep = '&';
    }
    pos = end + 1;
  }
  const bool plain_http = realm.starts_with("http://");
  if (!realm.starts_with("https://") && !plain_http)
    return std::unexpected(
        RegistryError{RegistryError::Kind::Protocol, 401, {}, "token realm is not an http(s) URL"});
  std::optional<std::string> authorization;
  if (config.credentials) {
    // Never send a password in clear text unless the registry itself is plain http.
    if (plain_http && config.tls != TlsMode::Disabled)
      return std::unexpected(RegistryError{RegistryError::Kind::Auth,
                                           401,
                                           {},
                                           "refusing to send credentials to the plain-http "
                                           "token realm " +
                                               redact_url(realm)});
    authorization =
        "Basic " + encode_base64(config.credentials->username + ":" + config.credentials->password);
  }
  detail::HttpRequest request;
  request.url = url;
  request.headers.emplace_back("Accept", "application/json");
  Result<HttpResponse> response;
  for (int attempt = 0;; ++attempt) {
    detail::ExchangeState state;
    response = http.perform(request, authorization, state);
    bool transient = response ? (response->status == 429 || response->status >= 500)
                              : response.error().kind == RegistryError::Kind::Transport;
    if (!transient || attempt >= config.max_retries) break;
    std::this_thread::sleep_for(config.retry_base_delay * (1LL << std::min(attempt, 16)));
  }
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) {
    auto e = status_error(*response, "token request to " + redact_url(realm));
    e.kind = RegistryError::Kind::Auth;
    return std::unexpected(e);
  }
  rapidjson::Document doc;
  doc.Parse(response->body.data(), response->body.size());
  Token token;
  long long expires_in = 60;
  if (!doc.HasParseError() && doc.IsObject()) {
    for (const char* key : {"token", "access_token"}) {
      auto it = doc.FindMember(key);
      if (it != doc.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
        token.value.assign(it->value.GetString(), it->value.GetStringLength());
        break;
      }
    }
    auto exp = doc.FindMember("expires_in");
    if (exp != doc.MemberEnd() && exp->value.IsInt64() && exp->value.GetInt64() > 0)
      expires_in = exp->value.GetInt64();
  }
  if (token.value.empty())
    return std::unexpected(
        RegistryError{RegistryError::Kind::Auth,
                      200,
                      {},
                      "token reply from " + redact_url(realm) + " has no token or access_token"});
  // Renew a little early so a token does not expire in flight.
  auto lifetime = std::chrono::seconds(expires_in);
  if (lifetime > std::chrono::seconds(20)) lifetime -= std::chrono::seconds(10);
  token.expires = std::chrono::steady_clock::now() + lifetime;
  return token;
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
