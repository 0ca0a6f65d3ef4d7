#pragma once
// Where registry credentials come from: explicit values, the environment, or the Docker
// client configuration (auths, credHelpers, credsStore). Values are never logged.
#include <expected>
#include <optional>
#include <string>
#include <string_view>

namespace mpcheck::conformance {

struct Credentials {
  std::string username;
  std::string password;
};

// MPCHECK_USERNAME / MPCHECK_PASSWORD; nothing unless both are set.
std::optional<Credentials> credentials_from_env();

// Path of the Docker config: $DOCKER_CONFIG/config.json, else $HOME/.docker/config.json.
std::optional<std::string> docker_config_path();

// Looks `registry_host` ("host[:port]") up in the Docker config at `config_path`:
// credHelpers[host], then auths[host].auth (base64 "user:password"), then credsStore.
// Helpers run as `docker-credential-<name> get` (no shell) with the host on stdin.
// No file or no entry gives nothing; an unreadable file, bad JSON or a failing helper gives
// an error message (without secrets). Identity tokens (Username "<token>") are unsupported.
std::expected<std::optional<Credentials>, std::string> credentials_from_docker_config(
    std::string_view registry_host, const std::string& config_path);

// Explicit value if given, else the environment, else the default Docker config.
std::expected<std::optional<Credentials>, std::string> resolve_credentials(
    std::string_view registry_host, std::optional<Credentials> explicit_credentials);

// Decodes standard base64 with OpenSSL; nothing when the text is not base64.
std::optional<std::string> decode_base64(std::string_view text);
std::string encode_base64(std::string_view bytes);

}  // namespace mpcheck::conformance
