// The tool runner: argv passed literally, output bounded, timeouts kill the process group.
#include "mpcheck/conformance/tool_runner.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>

using namespace mpcheck::conformance;

namespace {

TEST(ToolRunner, ArgvIsPassedLiterallyWithoutAShell) {
  ToolCommand cmd;
  cmd.argv = {"printf", "%s|", "a b", "'q'", "\"dq\"", "$(echo pwned)", "`id`", "x;y", "*"};
  auto r = run_tool(cmd);
  ASSERT_TRUE(r.ok()) << describe(r, cmd) << r.err;
  EXPECT_EQ(r.out, "a b|'q'|\"dq\"|$(echo pwned)|`id`|x;y|*|");
}

TEST(ToolRunner, CapturesStdoutStderrAndExitCode) {
  ToolCommand cmd;
  cmd.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  auto r = run_tool(cmd);
  EXPECT_EQ(r.end, ToolOutcome::End::Exited);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(describe(r, cmd), "exit 3");
}

TEST(ToolRunner, MissingBinaryIsNotFound) {
  ToolCommand cmd;
  cmd.argv = {"mpcheck-no-such-tool-xyz", "--version"};
  auto r = run_tool(cmd);
  EXPECT_EQ(r.end, ToolOutcome::End::NotFound);
  EXPECT_FALSE(find_executable("mpcheck-no-such-tool-xyz"));
  EXPECT_TRUE(find_executable("sh"));
  cmd.argv = {"/nonexistent/bin/tool"};
  EXPECT_EQ(run_tool(cmd).end, ToolOutcome::End::NotFound);
}

TEST(ToolRunner, OutputIsBoundedAndTheToolNeverBlocks) {
  ToolCommand cmd;
  // 4 MiB on each stream, far beyond the pipe buffers and the 1000-byte limit.
  cmd.argv = {"sh", "-c",
              "head -c 4194304 /dev/zero; head -c 4194304 /dev/zero >&2; echo done >&2"};
  cmd.output_limit = 1000;
  auto r = run_tool(cmd);
  ASSERT_TRUE(r.ok()) << describe(r, cmd);
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_EQ(r.err.size(), 1000u);
  EXPECT_TRUE(r.out_truncated);
  EXPECT_TRUE(r.err_truncated);
}

TEST(ToolRunner, TimeoutKillsTheWholeProcessGroup) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mpcheck-runner-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  auto marker = dir / "child.pid";
  ToolCommand cmd;
  // A grandchild that would outlive a kill of the direct child only.
  cmd.argv = {"sh", "-c", "sleep 60 & echo $! > \"$1\"; wait", "sh", marker.string()};
  cmd.timeout = std::chrono::milliseconds(300);
  auto started = std::chrono::steady_clock::now();
  auto r = run_tool(cmd);
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.end, ToolOutcome::End::TimedOut);
  EXPECT_LT(took, std::chrono::seconds(10));
  EXPECT_NE(describe(r, cmd).find("timed out"), std::string::npos);
  std::ifstream in(marker);
  pid_t grandchild = 0;
  in >> grandchild;
  ASSERT_GT(grandchild, 0);
  // Killed with its group (it may linger briefly as a zombie reparented to init).
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    std::ifstream stat("/proc/" + std::to_string(grandchild) + "/stat");
    std::string pid, comm, state;
    gone = !(stat >> pid >> comm >> state) || state == "Z";
    if (!gone) usleep(20000);
  }
  EXPECT_TRUE(gone) << "sleep " << grandchild << " survived the timeout";
  std::filesystem::remove_all(dir);
}

TEST(ToolRunner, EnvironmentIsInheritedAndOverridden) {
  setenv("MPCHECK_RUNNER_INHERITED", "from-parent", 1);
  ToolCommand cmd;
  cmd.argv = {"sh", "-c", "echo \"$MPCHECK_RUNNER_INHERITED/$MPCHECK_RUNNER_SET\""};
  cmd.env = {{"MPCHECK_RUNNER_SET", "from-profile $(x)"}};
  auto r = run_tool(cmd);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.out, "from-parent/from-profile $(x)\n");
}

TEST(ToolRunner, StdinAndWorkingDirectory) {
  ToolCommand cmd;
  cmd.argv = {"sh", "-c", "pwd; cat"};
  cmd.stdin_data = "secret\n";
  cmd.cwd = "/";
  auto r = run_tool(cmd);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.out, "/\nsecret\n");
}

TEST(ToolRunner, ASignalIsReported) {
  ToolCommand cmd;
  cmd.argv = {"sh", "-c", "kill -TERM $$"};
  auto r = run_tool(cmd);
  EXPECT_EQ(r.end, ToolOutcome::End::Signaled);
  EXPECT_EQ(r.signal, SIGTERM);
}

}  // namespace
