#pragma once
// A tool profile: how to find a packaging tool (skopeo, oras, crane, regctl, modctl, kit), read
// its version, and drive it through the operations the interoperability suite exercises.
// Profiles are YAML (conformance/tools/*.yaml, embedded; format in docs/tools.md).
#include <array>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mpcheck::conformance {

enum class ToolOperation {
  LayoutToRegistry,    // push an OCI layout to {ref}
  RegistryToLayout,    // copy {ref} into an OCI layout
  RegistryToRegistry,  // copy {src_ref} to {dst_ref}
  PullToDir,           // pull or extract {ref}'s files into {out_dir}
  BuildFromModelDir,   // package the files of {model_dir} and push the result to {ref}
};
inline constexpr std::array<ToolOperation, 5> kToolOperations = {
    ToolOperation::LayoutToRegistry, ToolOperation::RegistryToLayout,
    ToolOperation::RegistryToRegistry, ToolOperation::PullToDir, ToolOperation::BuildFromModelDir};

// "layout-to-registry", "registry-to-layout", "registry-to-registry", "pull-or-extract-to-dir",
// "build-from-model-dir"
std::string_view to_string(ToolOperation op);
std::optional<ToolOperation> parse_tool_operation(std::string_view name);

// When a step runs, so one profile serves every registry setup.
enum class StepCondition {
  Always,
  Credentials,
  NoCredentials,
  TlsEnabled,
  TlsInsecure,
  TlsDisabled
};

// One command: argv (and env, stdin) are templates with {placeholder}s, each expanded into the
// one argv element it appears in; nothing goes through a shell.
struct CommandTemplate {
  std::vector<std::string> argv;
  std::vector<std::pair<std::string, std::string>> env;
  std::string stdin_data;
  StepCondition when = StepCondition::Always;
};

struct ToolProfile {
  std::string name;  // [a-z0-9][a-z0-9._-]*; first word of every case name
  std::string description;
  std::string homepage;
  CommandTemplate detect;     // argv[0] missing from PATH means "not installed"
  std::string version_regex;  // ECMAScript; group 1 of the first match on stdout+stderr
  std::vector<std::pair<std::string, std::string>> env;              // for every command
  std::map<ToolOperation, std::vector<CommandTemplate>> operations;  // steps, run in order
  std::string origin;  // "builtin skopeo.yaml" or the file it was loaded from

  bool supports(ToolOperation op) const { return operations.count(op) != 0; }
};

// Placeholders every operation has, and those each operation adds.
std::vector<std::string_view> placeholders_for(ToolOperation op);

std::expected<ToolProfile, std::string> parse_tool_profile(std::string_view yaml,
                                                           std::string_view origin);
std::expected<ToolProfile, std::string> load_tool_profile(const std::filesystem::path& file);

// The profiles shipped in the binary, by tool name, sorted.
std::vector<std::string> builtin_tool_names();
std::expected<ToolProfile, std::string> builtin_tool_profile(std::string_view name);

using Placeholders = std::map<std::string, std::string, std::less<>>;
// Replaces each {name}; "{{" and "}}" stand for literal braces. An unknown or unavailable
// placeholder is an error naming it.
std::expected<std::string, std::string> expand_template(std::string_view text,
                                                        const Placeholders& values);

}  // namespace mpcheck::conformance
