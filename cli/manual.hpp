#pragma once
// Man pages and shell completions, generated from the CLI11 definitions of every command, so the
// installed documentation cannot drift from the flags the binary accepts. The build runs
// `mpcheck-full --generate-man DIR` and `--generate-completion SHELL` (hidden options).
#include <CLI/CLI.hpp>
#include <expected>
#include <filesystem>
#include <string>

namespace mpcheck::cli {

// Writes mpcheck.1 and mpcheck-CMD.1 for each command of `app` into `dir` (roff, section 1).
std::expected<void, std::string> write_man_pages(const CLI::App& app,
                                                 const std::filesystem::path& dir,
                                                 std::string_view version);

// The completion script for `shell` ("bash", "zsh" or "fish"); empty for another shell.
std::string completion_script(const CLI::App& app, std::string_view shell);

}  // namespace mpcheck::cli
