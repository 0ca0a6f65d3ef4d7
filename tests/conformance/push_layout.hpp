#pragma once
// Test support: generates one corpus fixture and pushes its first manifest (and blobs) to a
// registry as is, valid or not, so tests can pull it back through RegistrySource.
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/fixtures/fixture_spec.hpp"
#include "mpcheck/fixtures/generator.hpp"

namespace mpcheck::conformance::testing {

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Returns the pushed manifest's digest, or an error message.
inline std::expected<std::string, std::string> push_fixture(RegistryClient& client,
                                                            const std::string& fixture,
                                                            const std::string& repo,
                                                            const std::string& tag,
                                                            const std::filesystem::path& work) {
  auto specs = fixtures::corpus();
  if (!specs) return std::unexpected(specs.error());
  for (const auto& spec : *specs) {
    if (spec.name != fixture) continue;
    auto entries = fixtures::generate_fixture(spec, work);
    if (!entries || entries->empty()) return std::unexpected("generate failed");
    auto layout = work / entries->front().path;
    auto blob = [&](std::string_view digest) {
      auto colon = digest.find(':');
      return layout / "blobs" / std::string(digest.substr(0, colon)) /
             std::string(digest.substr(colon + 1));
    };
    rapidjson::Document index;
    auto itext = slurp(layout / "index.json");
    index.Parse(itext.c_str());
    std::string mdigest = index["manifests"][0]["digest"].GetString();
    std::string manifest = slurp(blob(mdigest));
    rapidjson::Document m;
    m.Parse(manifest.c_str());
    std::vector<std::string> digests = {m["config"]["digest"].GetString()};
    for (const auto& l : m["layers"].GetArray()) digests.push_back(l["digest"].GetString());
    for (const auto& d : digests) {
      auto bytes = slurp(blob(d));
      std::size_t pos = 0;
      auto reader = [&](char* buf, std::size_t cap) -> std::ptrdiff_t {
        std::size_t n = std::min(cap, bytes.size() - pos);
        std::copy_n(bytes.data() + pos, n, buf);
        pos += n;
        return static_cast<std::ptrdiff_t>(n);
      };
      if (client.head_blob(repo, d)) continue;
      auto r = client.push_blob_monolithic(repo, d, bytes.size(), reader);
      if (!r) return std::unexpected("push " + d + ": " + r.error().describe());
    }
    auto r = client.put_manifest(repo, tag, manifest, "application/vnd.oci.image.manifest.v1+json");
    if (!r) return std::unexpected("manifest: " + r.error().describe());
    return mdigest;
  }
  return std::unexpected("no fixture " + fixture);
}

}  // namespace mpcheck::conformance::testing
