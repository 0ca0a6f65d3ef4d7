#pragma once
// RegistryClient internals shared by the operation files: authentication, retries and
// redirects around HttpExchange.
#include <chrono>
#include <initializer_list>
#include <map>

#include "http_exchange.hpp"

namespace mpcheck::conformance {

// A request as the operations describe it.
struct ClientRequest {
  detail::HttpRequest http;
  std::string scope;  // token scope(s) it needs, space-separated; "" for /v2/
  bool follow_redirects = false;
};

struct RegistryClient::Impl {
  explicit Impl(RegistryConfig cfg);

  RegistryConfig config;
  detail::HttpExchange http;
  std::string origin;  // "scheme://host[:port]"

  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  std::map<std::string, Token> tokens;  // by scope
  reports::Redactor& redactor() { return *config.redactor; }
  bool basic_challenged = false;  // the registry asked for Basic

  // Sends with authentication, retries (idempotent requests) and redirects (when asked).
  Result<detail::HttpResponse> send(const ClientRequest& request);

  std::string url(std::string_view path) const { return origin + std::string(path); }
  // Resolves a Location/Link reference against `base`.
  Result<std::string> resolve(std::string_view base, std::string_view reference) const;

 private:
  Result<detail::HttpResponse> send_with_retries(const ClientRequest& request,
                                                 const std::string& url, bool same_origin);
  Result<detail::HttpResponse> send_with_auth(const ClientRequest& request, const std::string& url,
                                              bool same_origin, detail::ExchangeState& state);
  std::optional<std::string> authorization_for(const std::string& scope);
  // Handles a 401; true when a retry with new credentials makes sense.
  Result<bool> answer_challenge(const detail::HttpResponse& response, const std::string& scope);
  Result<Token> fetch_token(const std::string& realm, const std::optional<std::string>& service,
                            const std::string& scope);
};

// Names are checked against the distribution-spec grammar (distribution_names.hpp) before a
// URL is built from them, whatever the caller checked: a "../" segment would leave /v2/.
std::optional<RegistryError> bad_repository(std::string_view repo);
std::optional<RegistryError> bad_digest(std::string_view digest);
std::optional<RegistryError> bad_reference(std::string_view reference);

// Helpers for the operation files.
std::string repo_path(std::string_view repo);      // percent-encodes outside [a-z0-9._/-]
std::string reference_path(std::string_view ref);  // percent-encodes outside [A-Za-z0-9._:+=-]
std::string query_escape(std::string_view value);
std::string pull_scope(std::string_view repo);
std::string push_scope(std::string_view repo);
// The error for a response whose status is not the expected one.
RegistryError status_error(const detail::HttpResponse& response, std::string_view what);
bool status_in(long status, std::initializer_list<long> expected);

}  // namespace mpcheck::conformance
