#pragma once
// Test support: runs Debian's docker-registry (Distribution 2.8) on a free loopback port with
// a temporary config and storage, the way a user would start it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "mpcheck/conformance/registry_client.hpp"

extern char** environ;

namespace mpcheck::conformance::testing {

inline constexpr const char* kRegistryBinary = "/usr/bin/docker-registry";

inline int free_loopback_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// Runs argv, stdout to `out_path`; returns the exit status.
inline int run(std::vector<std::string> args, const std::string& out_path) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

class LocalRegistry {
 public:
  // With credentials, the registry uses htpasswd auth for that one user. With tls, it serves
  // https with a fresh self-signed certificate for IP 127.0.0.1 (ca_file()).
  static std::unique_ptr<LocalRegistry> start(std::optional<Credentials> user = {},
                                              bool tls = false) {
    std::unique_ptr<LocalRegistry> owner(new LocalRegistry());
    LocalRegistry& r = *owner;
    std::string tmpl = (std::filesystem::temp_directory_path() / "mpcheck-reg-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return nullptr;
    r.dir_ = tmpl;
    r.port_ = free_loopback_port();
    std::ofstream config(r.dir_ / "config.yml");
    config << "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n"
           << "storage:\n  filesystem:\n    rootdirectory: " << (r.dir_ / "data").string()
           << "\n  delete:\n    enabled: true\n"
           << "http:\n  addr: 127.0.0.1:" << r.port_ << "\n";
    if (tls) {
      r.ca_file_ = (r.dir_ / "cert.pem").string();
      std::string key = (r.dir_ / "key.pem").string();
      if (run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
               "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
               "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", r.ca_file_},
              "/dev/null") != 0)
        return nullptr;
      config << "  tls:\n    certificate: " << r.ca_file_ << "\n    key: " << key << "\n";
    }
    if (user) {
      std::string htpasswd = (r.dir_ / "htpasswd").string();
      if (run({"htpasswd", "-Bbn", user->username, user->password}, htpasswd) != 0) return nullptr;
      config << "auth:\n  htpasswd:\n    realm: mpcheck-test\n    path: " << htpasswd << "\n";
    }
    config.close();
    std::string log = (r.dir_ / "registry.log").string();
    std::vector<std::string> args = {kRegistryBinary, "serve", (r.dir_ / "config.yml").string()};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    int rc = posix_spawn(&r.pid_, kRegistryBinary, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) return nullptr;
    // Up when GET /v2/ gets any HTTP answer (401 counts).
    RegistryConfig probe_config;
    probe_config.host = r.host();
    probe_config.tls = tls ? TlsMode::Insecure : TlsMode::Disabled;
    probe_config.max_retries = 0;
    RegistryClient probe(probe_config);
    for (int i = 0; i < 200; ++i) {
      auto ping = probe.ping();
      if (ping || ping.error().http_status != 0) return owner;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return nullptr;
  }

  LocalRegistry(const LocalRegistry&) = delete;
  LocalRegistry& operator=(const LocalRegistry&) = delete;
  ~LocalRegistry() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  const std::string& ca_file() const { return ca_file_; }
  RegistryConfig config() const {
    RegistryConfig c;
    c.host = host();
    c.tls = ca_file_.empty() ? TlsMode::Disabled : TlsMode::Enabled;
    if (!ca_file_.empty()) c.ca_file = ca_file_;
    c.stall_timeout = std::chrono::seconds(10);
    c.retry_base_delay = std::chrono::milliseconds(20);
    return c;
  }

 private:
  LocalRegistry() = default;
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = 0;
  std::string ca_file_;
};

// Deterministic bytes that do not compress to nothing.
inline std::string test_bytes(std::size_t size, unsigned seed) {
  std::string s(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

// A reader over in-memory bytes, standing in for a file or pipe.
inline BodyReader reader_over(const std::string& bytes, std::size_t& pos) {
  return [&bytes, &pos](char* buf, std::size_t cap) -> std::ptrdiff_t {
    std::size_t n = std::min(cap, bytes.size() - pos);
    std::copy_n(bytes.data() + pos, n, buf);
    pos += n;
    return static_cast<std::ptrdiff_t>(n);
  };
}

inline BodyWriter writer_into(std::string& out) {
  return [&out](const char* data, std::size_t size) {
    out.append(data, size);
    return true;
  };
}

}  // namespace mpcheck::conformance::testing
