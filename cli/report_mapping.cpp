#include "report_mapping.hpp"

#include <algorithm>
#include <map>
#include <mutex>

namespace mpcheck::cli {

namespace {

// What each rule checks, in words that read right next to PASS as well as FAIL (the catalog's
// titles name the violation: "document is not well-formed JSON"). A rule missing here falls
// back to its title; tests/cli/output_cli_test.cpp fails when one is missing.
constexpr std::pair<std::string_view, std::string_view> kChecks[] = {
    {"MPJ001", "well-formed JSON"},
    {"MPJ002", "unique member names"},
    {"MPJ003", "valid UTF-8"},
    {"MPJ004", "no byte-order mark"},
    {"MPJ005", "nothing after the JSON document"},
    {"MPJ006", "nesting within the depth limit"},
    {"MPJ007", "document within the size limit"},
    {"MPC001", "config matches the ModelPack config schema"},
    {"MPC002", "paramSize format"},
    {"MPC003", "precision values"},
    {"MPC004", "language codes (ISO 639-1)"},
    {"MPC005", "license is an SPDX expression"},
    {"MPC006", "timestamps are RFC 3339"},
    {"MPC007", "diffIds are OCI digests"},
    {"MPC008", "URL fields are URLs"},
    {"MPM001", "manifest matches the OCI image manifest schema"},
    {"MPM002", "manifest mediaType"},
    {"MPM003", "artifactType is the ModelPack type"},
    {"MPM004", "config mediaType is the ModelPack type"},
    {"MPM005", "layer mediaTypes are spec layer types"},
    {"MPM006", "descriptor digests are OCI digests"},
    {"MPM007", "descriptor sizes"},
    {"MPM008", "annotations are a string map"},
    {"MPM009", "org.cncf.model.filepath is a safe relative path"},
    {"MPM010", "org.cncf.model.file.metadata+json is FileMetadata"},
    {"MPM011", "org.cncf.model.file.mediatype.untested is true or false"},
    {"MPM012", "no pre-rename vnd.cnai media types"},
    {"MPM013", "no pre-rename org.cnai annotation keys"},
    {"MPM014", "digest algorithms are registered"},
    {"MPA001", "oci-layout header"},
    {"MPA002", "index.json matches the image index schema"},
    {"MPA003", "index.json lists an image manifest"},
    {"MPA004", "every referenced blob is present"},
    {"MPA005", "blob sizes match their descriptors"},
    {"MPA006", "blob digests match their descriptors"},
    {"MPA007", "config descriptor points at a ModelPack config"},
    {"MPA008", "one diffId per layer"},
    {"MPA009", "diffIds match the uncompressed layers"},
    {"MPA010", "digest algorithms mpcheck can verify"},
    {"MPA011", "index.json entries are image manifests"},
    {"MPA012", "config is not the empty object"},
    {"MPL001", "entries carry mtime and mode"},
    {"MPL002", "entries in lexicographic order"},
    {"MPL003", "constant file metadata across entries"},
    {"MPL004", "no platform-specific entry metadata"},
    {"MPL005", "one weight file per weight layer"},
    {"MPL006", "org.cncf.model.filepath names an entry"},
    {"MPL007", "file metadata matches the file"},
    {"MPL008", "entry paths are relative"},
    {"MPL009", "no \"..\" in entry paths"},
    {"MPL010", "links stay inside the layer"},
    {"MPL011", "no device, FIFO or socket entries"},
    {"MPL012", "no setuid or setgid bits"},
    {"MPL013", "decompression ratio within the limit"},
    {"MPL014", "entry count within the limit"},
    {"MPL015", "layer is a valid archive of its media type"},
    {"MPM015", "layers carry org.cncf.model.filepath"},
    {"MPM016", "file metadata has only FileMetadata members"},
};

// Under --strict every rule counts against the verdict, warnings included.
reports::Case case_of(const Rule& rule, bool strict) {
  reports::Case c;
  c.name = std::string(rule.id) + " " + std::string(rule_check(rule));
  c.required = rule.severity == Severity::Error || strict;
  c.spec_links.emplace_back(rule.spec);
  return c;
}

}  // namespace

std::string_view rule_check(const Rule& rule) {
  for (const auto& [id, check] : kChecks)
    if (id == rule.id) return check;
  return rule.title;
}

reports::Suite make_suite(const std::string& target, const std::string& kind,
                          std::span<const RuleScope> scopes, const std::vector<Diagnostic>& diags,
                          bool strict, const std::string& name) {
  // The passing case list of a scope set is built once and copied per target.
  static std::map<std::pair<std::vector<RuleScope>, bool>,
                  std::pair<std::vector<std::string_view>, std::vector<reports::Case>>>
      templates;
  static std::mutex mutex;
  const std::pair<std::vector<std::string_view>, std::vector<reports::Case>>* t;
  {
    // Map nodes never move and a template is not changed once built: copy it unlocked.
    std::lock_guard lock(mutex);
    auto& slot = templates[{std::vector<RuleScope>(scopes.begin(), scopes.end()), strict}];
    if (slot.first.empty()) {
      for (const Rule& rule : validator_rules()) {
        if (std::find(scopes.begin(), scopes.end(), rule.scope) == scopes.end()) continue;
        slot.first.push_back(rule.id);
        slot.second.push_back(case_of(rule, strict));
      }
    }
    t = &slot;
  }
  std::vector<std::string_view> ids = t->first;
  reports::Suite suite{name.empty() ? target : name, target, kind, t->second};
  for (const auto& d : diags) {
    const Rule* rule = find_rule(d.rule);
    if (!rule) continue;
    auto at = std::find(ids.begin(), ids.end(), rule->id);
    if (at == ids.end()) {  // a rule outside the kind's scopes (e.g. MPM014 on a config)
      ids.push_back(rule->id);
      suite.cases.push_back(case_of(*rule, strict));
      at = ids.end() - 1;
    }
    reports::Case& c = suite.cases[static_cast<std::size_t>(at - ids.begin())];
    c.findings.push_back(to_finding(d));
    bool fails = d.severity == Severity::Error || strict;
    if (fails && c.status != reports::Status::Fail) {
      c.status = reports::Status::Fail;
      c.message = d.message;
    }
  }
  return suite;
}

std::vector<reports::RuleInfo> rule_infos(std::string_view spec_version) {
  std::vector<reports::RuleInfo> out;
  for (const Rule& r : validator_rules())
    out.push_back({std::string(r.id), std::string(to_string(r.severity)),
                   std::string(to_string(r.scope)), std::string(r.title),
                   spec_link(r, spec_version)});
  return out;
}

}  // namespace mpcheck::cli
