#pragma once
// Runs an external tool (skopeo, oras, ...) the safe way: posix_spawn with an argv vector and
// no shell, stdout/stderr captured up to a bound, a timeout that kills the whole process group.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpcheck::conformance {

// Output kept per stream; the rest is read and dropped so the tool never blocks on a pipe.
inline constexpr std::size_t kToolOutputLimit = 256 * 1024;
// Default time a tool command may run before its process group is killed.
inline constexpr std::chrono::seconds kToolTimeout{300};
// Input given on stdin is written in one go into the pipe, so it must fit a pipe buffer.
inline constexpr std::size_t kToolStdinLimit = 60 * 1024;
// After the tool exits, how long a child it left behind may keep its output pipes open.
inline constexpr std::chrono::milliseconds kToolLingerTime{1000};

struct ToolCommand {
  std::vector<std::string> argv;  // argv[0] without '/' is looked up in PATH
  // Added to (or replacing in) the inherited environment.
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdin_data;                    // empty: stdin is /dev/null
  std::optional<std::filesystem::path> cwd;  // working directory of the tool
  std::chrono::milliseconds timeout = kToolTimeout;
  std::size_t output_limit = kToolOutputLimit;
};

struct ToolOutcome {
  enum class End { Exited, Signaled, TimedOut, NotFound, SpawnFailed };
  End end = End::SpawnFailed;
  int exit_code = -1;  // End::Exited
  int signal = 0;      // End::Signaled
  std::string out, err;
  bool out_truncated = false, err_truncated = false;
  double seconds = 0;
  std::string error;  // NotFound / SpawnFailed: why

  bool ok() const { return end == End::Exited && exit_code == 0; }
};

// PATH lookup as execvp does it; a name with '/' is taken as a path. Nothing when not found
// or not executable.
std::optional<std::filesystem::path> find_executable(std::string_view name);

ToolOutcome run_tool(const ToolCommand& command);

// "exit 1", "killed by signal 9", "timed out after 30 s", "not found: oras"...
std::string describe(const ToolOutcome& outcome, const ToolCommand& command);

}  // namespace mpcheck::conformance
