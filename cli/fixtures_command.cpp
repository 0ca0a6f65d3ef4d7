// mpcheck fixtures: list the embedded fixture corpus and write it as OCI layouts.
#include <iostream>

#include "commands.hpp"
#include "mpcheck/fixtures/fixture_spec.hpp"
#include "mpcheck/fixtures/generator.hpp"

namespace mpcheck::cli {
namespace {

struct FixturesArgs {
  std::string out;
  std::string only = "*";
  bool large = false;
};

int run_list(const FixturesArgs& args) {
  auto fixtures = fixtures::corpus();
  if (!fixtures) {
    std::cerr << "mpcheck: fixture corpus: " << fixtures.error() << '\n';
    return kExitUsage;
  }
  fixtures::GenerateOptions options{args.only, true};
  for (const auto& f : *fixtures) {
    if (!fixtures::selected(f, options)) continue;
    for (const auto& m : f.manifests) {
      std::string name = f.name;
      if (f.manifests.size() > 1) name += ":" + m.ref;
      std::string rules;
      for (const auto& r : m.rules) rules += (rules.empty() ? "" : ",") + r;
      std::cout << name << '\t' << to_string(m.expect) << '\t' << (rules.empty() ? "-" : rules)
                << '\t' << m.description << (f.large ? " (--large)" : "") << '\n';
    }
  }
  return kExitOk;
}

int run_generate(const FixturesArgs& args) {
  auto fixtures = fixtures::corpus();
  if (!fixtures) {
    std::cerr << "mpcheck: fixture corpus: " << fixtures.error() << '\n';
    return kExitUsage;
  }
  fixtures::GenerateOptions options{args.only, args.large};
  std::size_t count = 0;
  for (const auto& f : *fixtures) count += fixtures::selected(f, options);
  if (count == 0) {
    std::cerr << "mpcheck: no fixture matches \"" << args.only << "\""
              << (args.large ? "" : " (large fixtures need --large)") << '\n';
    return kExitUsage;
  }
  auto entries = fixtures::generate_corpus(*fixtures, args.out, options);
  if (!entries) {
    std::cerr << "mpcheck: " << entries.error() << '\n';
    return kExitUsage;
  }
  std::cout << "wrote " << count << (count == 1 ? " fixture (" : " fixtures (") << entries->size()
            << (entries->size() == 1 ? " manifest) to " : " manifests) to ") << args.out << '\n';
  return kExitOk;
}

}  // namespace

void add_fixtures_command(CLI::App& app, Runner& runner) {
  auto args = std::make_shared<FixturesArgs>();
  auto* cmd = app.add_subcommand(
      "fixtures", "The fixture corpus: valid and invalid ModelPack artifacts with their verdicts");
  cmd->require_subcommand(1);

  auto* list = cmd->add_subcommand("list", "List the fixtures: name, verdict, rules, description");
  list->add_option("--only", args->only, "Only fixtures whose name matches this glob")
      ->capture_default_str();
  list->callback([&runner, args] { runner = [args] { return run_list(*args); }; });

  auto* gen = cmd->add_subcommand(
      "generate",
      "Write the fixtures as OCI image layouts (some also as OCI archives) and index.json");
  gen->add_option("--out", args->out, "Output directory (created; fixtures in it are replaced)")
      ->required();
  gen->add_option("--only", args->only, "Only fixtures whose name matches this glob")
      ->capture_default_str();
  gen->add_flag("--large", args->large, "Also write the large fixtures (multi-GiB layers)");
  gen->callback([&runner, args] { runner = [args] { return run_generate(*args); }; });
}

}  // namespace mpcheck::cli
