// Registry authentication: answering 401 challenges with Basic credentials or a bearer token
// from the challenge's realm (the Docker token protocol), tokens cached per scope.
#include <rapidjson/document.h>

#include <algorithm>
#include <thread>

#include "client_impl.hpp"
#include "mpcheck/conformance/www_authenticate.hpp"

namespace mpcheck::conformance {

using detail::HttpResponse;

namespace {
constexpr long long kMaxTokenLifetimeSeconds = 24 * 3600;  // beyond that, ask again
}  // namespace

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
    // Ask for what the registry names plus what this request needs (a mount needs pull on
    // the source repository too, which a challenge may not mention).
    std::string token_scope = c.param("scope").value_or("");
    for (std::size_t pos = 0; pos < scope.size();) {
      std::size_t end = std::min(scope.find(' ', pos), scope.size());
      std::string item = scope.substr(pos, end - pos);
      if (!item.empty() && (" " + token_scope + " ").find(" " + item + " ") == std::string::npos)
        token_scope += (token_scope.empty() ? "" : " ") + item;
      pos = end + 1;
    }
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
  // The reply carries the token: its transcript entries wait until the token is registered
  // with the redactor, which then removes it however the reply spelled its key.
  request.defer_transcript = true;
  std::vector<TranscriptEntry> entries;
  struct RecordOnExit {
    detail::HttpExchange& http;
    std::vector<TranscriptEntry>& entries;
    ~RecordOnExit() {
      for (auto& e : entries) http.record(std::move(e));
    }
  } record_on_exit{http, entries};
  Result<HttpResponse> response;
  for (int attempt = 0;; ++attempt) {
    detail::ExchangeState state;
    response = http.perform(request, authorization, state);
    if (state.deferred) entries.push_back(std::move(*state.deferred));
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
    // Every credential in the reply, under its decoded name, is a secret from now on.
    for (const auto& member : doc.GetObject())
      if (member.value.IsString() &&
          reports::is_secret_key({member.name.GetString(), member.name.GetStringLength()}))
        redactor().add_secret({member.value.GetString(), member.value.GetStringLength()});
    for (const char* key : {"token", "access_token"}) {
      auto it = doc.FindMember(key);
      if (it != doc.MemberEnd() && it->value.IsString() && it->value.GetStringLength() > 0) {
        token.value.assign(it->value.GetString(), it->value.GetStringLength());
        break;
      }
    }
    auto exp = doc.FindMember("expires_in");
    if (exp != doc.MemberEnd() && exp->value.IsInt64() && exp->value.GetInt64() > 0)
      expires_in = std::min<long long>(exp->value.GetInt64(), kMaxTokenLifetimeSeconds);
  }
  // The token goes into a header line: printable ASCII only, or it could inject headers.
  bool printable = std::all_of(token.value.begin(), token.value.end(),
                               [](char c) { return c > 0x20 && c < 0x7f; });
  if (token.value.empty() || !printable)
    return std::unexpected(RegistryError{
        RegistryError::Kind::Auth,
        200,
        {},
        "token reply from " + redact_url(realm) + " has no usable token or access_token"});
  // Renew a little early so a token does not expire in flight.
  auto lifetime = std::chrono::seconds(expires_in);
  if (lifetime > std::chrono::seconds(20)) lifetime -= std::chrono::seconds(10);
  token.expires = std::chrono::steady_clock::now() + lifetime;
  return token;
}

}  // namespace mpcheck::conformance
