#include "mpcheck/conformance/tool_runner.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

extern char** environ;

namespace mpcheck::conformance {
namespace {

using Clock = std::chrono::steady_clock;

bool is_executable_file(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
}

std::vector<std::string> build_environment(
    const std::vector<std::pair<std::string, std::string>>& overrides) {
  std::map<std::string, std::string> vars;
  std::vector<std::string> order;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry = *e;
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    std::string key(entry.substr(0, eq));
    if (vars.emplace(key, std::string(entry.substr(eq + 1))).second) order.push_back(key);
  }
  for (const auto& [k, v] : overrides) {
    if (vars.find(k) == vars.end()) order.push_back(k);
    vars[k] = v;
  }
  std::vector<std::string> out;
  out.reserve(order.size());
  for (const auto& k : order) out.push_back(k + "=" + vars[k]);
  return out;
}

struct Capture {
  int fd = -1;
  std::string* text = nullptr;
  bool* truncated = nullptr;
};

// Reads what is available; returns false at end of stream.
bool drain(Capture& c, std::size_t limit) {
  char buf[16384];
  ssize_t n = ::read(c.fd, buf, sizeof buf);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  std::size_t room = limit > c.text->size() ? limit - c.text->size() : 0;
  std::size_t keep = std::min<std::size_t>(room, static_cast<std::size_t>(n));
  c.text->append(buf, keep);
  if (keep < static_cast<std::size_t>(n)) *c.truncated = true;
  return true;
}

}  // namespace

std::optional<std::filesystem::path> find_executable(std::string_view name) {
  if (name.empty()) return std::nullopt;
  if (name.find('/') != std::string_view::npos) {
    std::filesystem::path p(name);
    if (is_executable_file(p)) return p;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    auto colon = dirs.find(':');
    std::string_view dir = dirs.substr(0, colon);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return std::nullopt;
}

ToolOutcome run_tool(const ToolCommand& command) {
  ToolOutcome r;
  auto started = Clock::now();
  if (command.argv.empty()) {
    r.error = "empty command";
    return r;
  }
  auto program = find_executable(command.argv[0]);
  if (!program) {
    r.end = ToolOutcome::End::NotFound;
    r.error = "not found: " + command.argv[0];
    return r;
  }
  if (command.stdin_data.size() > kToolStdinLimit) {
    r.error = "stdin data larger than " + std::to_string(kToolStdinLimit) + " bytes";
    return r;
  }

  int out[2] = {-1, -1}, err[2] = {-1, -1}, in[2] = {-1, -1};
  auto close_all = [&] {
    for (int* p : {out, err, in})
      for (int i = 0; i < 2; ++i)
        if (p[i] >= 0) ::close(p[i]), p[i] = -1;
  };
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 ||
      (!command.stdin_data.empty() && pipe2(in, O_CLOEXEC) != 0)) {
    r.error = std::string("cannot create pipe: ") + std::strerror(errno);
    close_all();
    return r;
  }
  if (!command.stdin_data.empty()) {
    // Fits the pipe buffer (kToolStdinLimit), so this never blocks; the read end is open.
    ssize_t w = ::write(in[1], command.stdin_data.data(), command.stdin_data.size());
    ::close(in[1]);
    in[1] = -1;
    if (w != static_cast<ssize_t>(command.stdin_data.size())) {
      r.error = "cannot write the tool's stdin";
      close_all();
      return r;
    }
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (in[0] >= 0)
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  if (command.cwd) posix_spawn_file_actions_addchdir_np(&actions, command.cwd->c_str());

  // Its own process group, so a timeout kills the tool and everything it started; default
  // signal dispositions and an empty mask, whatever the caller had.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<std::string> args = command.argv;
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = build_environment(command.env);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc = posix_spawn(&pid, program->c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out[1]), out[1] = -1;
  ::close(err[1]), err[1] = -1;
  if (in[0] >= 0) ::close(in[0]), in[0] = -1;
  if (rc != 0) {
    r.error = "cannot start " + program->string() + ": " + std::strerror(rc);
    close_all();
    return r;
  }

  Capture captures[2] = {{out[0], &r.out, &r.out_truncated}, {err[0], &r.err, &r.err_truncated}};
  bool open[2] = {true, true};
  bool reaped = false, timed_out = false;
  int status = 0;
  auto deadline = started + command.timeout;
  std::optional<Clock::time_point> linger_until;
  while (open[0] || open[1] || !reaped) {
    auto now = Clock::now();
    if (!timed_out && now >= deadline) {
      timed_out = true;
      ::kill(-pid, SIGKILL);
    }
    if (reaped && linger_until && now >= *linger_until) {
      ::kill(-pid, SIGKILL);  // something the tool started still holds the pipes
      break;
    }
    pollfd fds[2];
    nfds_t n = 0;
    int index[2];
    for (int i = 0; i < 2; ++i)
      if (open[i]) index[n] = i, fds[n++] = {captures[i].fd, POLLIN, 0};
    int wait_ms = 50;
    if (n > 0 && ::poll(fds, n, wait_ms) > 0) {
      for (nfds_t k = 0; k < n; ++k)
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR))
          open[index[k]] = drain(captures[index[k]], command.output_limit);
    } else if (n == 0) {
      ::usleep(wait_ms * 1000);
    }
    if (!reaped) {
      pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) {
        reaped = true;
        linger_until = Clock::now() + (timed_out ? std::chrono::milliseconds(0) : kToolLingerTime);
      }
    }
  }
  if (timed_out) ::kill(-pid, SIGKILL);  // stragglers of the group
  close_all();
  for (auto& c : captures) ::close(c.fd);

  r.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  if (timed_out) {
    r.end = ToolOutcome::End::TimedOut;
  } else if (WIFEXITED(status)) {
    r.end = ToolOutcome::End::Exited;
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.end = ToolOutcome::End::Signaled;
    r.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  }
  return r;
}

std::string describe(const ToolOutcome& outcome, const ToolCommand& command) {
  switch (outcome.end) {
    case ToolOutcome::End::Exited:
      return "exit " + std::to_string(outcome.exit_code);
    case ToolOutcome::End::Signaled:
      return "killed by signal " + std::to_string(outcome.signal);
    case ToolOutcome::End::TimedOut:
      return "timed out after " +
             std::to_string(
                 std::chrono::duration_cast<std::chrono::seconds>(command.timeout).count()) +
             " s (process group killed)";
    case ToolOutcome::End::NotFound:
    case ToolOutcome::End::SpawnFailed:
      return outcome.error;
  }
  return outcome.error;
}

}  // namespace mpcheck::conformance
