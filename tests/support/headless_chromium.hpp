#pragma once
// Test support: Debian's Chromium, headless, on a local page: --dump-dom gives the DOM after the
// page's scripts ran, --screenshot=PNG a picture of it. argv goes to posix_spawn (no shell), a
// fresh profile per run, the flags that keep it off the network, and `timeout` bounds a stuck
// browser.
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <expected>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace mpcheck::test {

inline constexpr const char* kChromium = "/usr/bin/chromium";

// Runs chromium with `mode` ("--dump-dom" or "--screenshot=FILE") on `page`; its stdout, or why
// it failed.
inline std::expected<std::string, std::string> headless_chromium(const std::filesystem::path& page,
                                                                 const std::string& mode) {
  namespace fs = std::filesystem;
  std::string tmpl = (fs::temp_directory_path() / "mpcheck-chromium-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) return std::unexpected("mkdtemp failed");
  fs::path tmp = tmpl;
  std::vector<std::string> args = {"timeout",
                                   "60",
                                   kChromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--disable-dev-shm-usage",
                                   "--hide-scrollbars",
                                   "--window-size=1280,1400",
                                   "--user-data-dir=" + (tmp / "profile").string(),
                                   mode,
                                   "file://" + fs::absolute(page).string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  auto out_path = tmp / "stdout", err_path = tmp / "stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, "timeout", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return std::unexpected(std::string("posix_spawnp: ") + strerror(spawned));
  int status = 0;
  waitpid(pid, &status, 0);
  auto slurp = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  std::string out = slurp(out_path), err = slurp(err_path);
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return std::unexpected("chromium failed (status " + std::to_string(status) + "): " + err);
  return out;
}

}  // namespace mpcheck::test
