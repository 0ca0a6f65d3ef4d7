#include "mpcheck/conformance/credentials.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>

#include "mpcheck/conformance/limits.hpp"

extern char** environ;

namespace mpcheck::conformance {
namespace {

using Found = std::expected<std::optional<Credentials>, std::string>;

std::string string_member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool valid_helper_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return name != "." && name != "..";
}

// Runs `docker-credential-<helper> get` (PATH lookup, no shell), host on stdin.
Found run_credential_helper(const std::string& helper, std::string_view host) {
  if (!valid_helper_name(helper)) return std::unexpected("invalid credential helper name");
  const std::string program = "docker-credential-" + helper;
  // A socketpair for stdin lets us send with MSG_NOSIGNAL: a helper that exits early must not
  // SIGPIPE the caller.
  int in[2], out[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0)
    return std::unexpected("cannot create pipe for " + program);
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    return std::unexpected("cannot create pipe for " + program);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[1], STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  char* argv[] = {const_cast<char*>(program.c_str()), const_cast<char*>("get"), nullptr};
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[1]);
  close(out[1]);
  if (rc != 0) {
    close(in[0]), close(out[0]);
    return std::unexpected("cannot run " + program);
  }
  std::string host_line(host);
  send(in[0], host_line.data(), host_line.size(), MSG_NOSIGNAL);
  shutdown(in[0], SHUT_WR);

  std::string output;
  bool timed_out = false, too_large = false;
  const auto deadline = std::chrono::steady_clock::now() + limits::kCredentialHelperTimeout;
  char buf[4096];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{out[0], POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = read(out[0], buf, sizeof buf);
    if (n <= 0) break;
    output.append(buf, static_cast<std::size_t>(n));
    if (output.size() > limits::kMaxCredentialHelperOutput) {
      too_large = true;
      break;
    }
  }
  close(in[0]);
  close(out[0]);
  if (timed_out || too_large) kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return std::unexpected(program + " timed out");
  if (too_large) return std::unexpected(program + " wrote too much output");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    // Helpers report "credentials not found" with a non-zero exit; the output is not echoed
    // back since a misbehaving helper could print a secret.
    if (output.find("credentials not found") != std::string::npos) return std::nullopt;
    return std::unexpected(program + " failed");
  }
  rapidjson::Document doc;
  doc.Parse(output.data(), output.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::unexpected(program + " did not print a JSON object");
  Credentials creds{string_member(doc, "Username"), string_member(doc, "Secret")};
  if (creds.username == "<token>")
    return std::unexpected(program + " returned an identity token, which is not supported");
  if (creds.username.empty() && creds.password.empty()) return std::nullopt;
  return creds;
}

std::optional<Credentials> from_auth_entry(const rapidjson::Value& entry) {
  if (!entry.IsObject()) return std::nullopt;
  std::string auth = string_member(entry, "auth");
  if (!auth.empty()) {
    auto decoded = decode_base64(auth);
    if (!decoded) return std::nullopt;
    std::size_t colon = decoded->find(':');
    if (colon == std::string::npos) return std::nullopt;
    return Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)};
  }
  Credentials creds{string_member(entry, "username"), string_member(entry, "password")};
  if (creds.username.empty()) return std::nullopt;
  return creds;
}

// Docker keys auths by host, but older files use URLs; match both.
const rapidjson::Value* find_entry(const rapidjson::Value& map, std::string_view host) {
  if (!map.IsObject()) return nullptr;
  for (auto it = map.MemberBegin(); it != map.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (key.starts_with("https://")) key.remove_prefix(8);
    if (key.starts_with("http://")) key.remove_prefix(7);
    if (std::size_t slash = key.find('/'); slash != std::string_view::npos)
      key = key.substr(0, slash);
    if (key == host) return &it->value;
  }
  return nullptr;
}

}  // namespace

std::optional<Credentials> credentials_from_env() {
  const char* user = std::getenv("MPCHECK_USERNAME");
  const char* pass = std::getenv("MPCHECK_PASSWORD");
  if (user == nullptr || pass == nullptr) return std::nullopt;
  return Credentials{user, pass};
}

std::optional<std::string> docker_config_path() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir != nullptr && *dir != '\0')
    return std::string(dir) + "/config.json";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::string(home) + "/.docker/config.json";
  return std::nullopt;
}

Found credentials_from_docker_config(std::string_view registry_host,
                                     const std::string& config_path) {
  std::ifstream file(config_path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string text(limits::kMaxDockerConfigBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > limits::kMaxDockerConfigBytes)
    return std::unexpected("Docker config " + config_path + " is larger than 1 MiB");
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::unexpected("Docker config " + config_path + " is not a JSON object");

  if (auto helpers = doc.FindMember("credHelpers"); helpers != doc.MemberEnd()) {
    if (const auto* helper = find_entry(helpers->value, registry_host);
        helper != nullptr && helper->IsString())
      return run_credential_helper(helper->GetString(), registry_host);
  }
  if (auto auths = doc.FindMember("auths"); auths != doc.MemberEnd()) {
    if (const auto* entry = find_entry(auths->value, registry_host); entry != nullptr) {
      if (auto creds = from_auth_entry(*entry)) return creds;
    }
  }
  std::string store = string_member(doc, "credsStore");
  if (!store.empty()) return run_credential_helper(store, registry_host);
  return std::nullopt;
}

Found resolve_credentials(std::string_view registry_host,
                          std::optional<Credentials> explicit_credentials) {
  if (explicit_credentials) return explicit_credentials;
  if (auto env = credentials_from_env()) return env;
  auto path = docker_config_path();
  if (!path) return std::nullopt;
  return credentials_from_docker_config(registry_host, *path);
}

std::optional<std::string> decode_base64(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) clean += c;
  if (clean.empty()) return std::string();
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out(clean.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  std::size_t padding = 0;
  if (clean.ends_with("=="))
    padding = 2;
  else if (clean.ends_with('='))
    padding = 1;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string encode_base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace mpcheck::conformance
