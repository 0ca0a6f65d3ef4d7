// mpcheck-registry-bench: copies an OCI image layout to a registry and back with mpcheck's
// RegistryClient, the way `skopeo copy` does, for bench/registry_bench.sh.
//   mpcheck-registry-bench push LAYOUT HOST REPO:TAG   (first manifest of index.json)
//   mpcheck-registry-bench pull HOST REPO:TAG LAYOUT   (writes a fresh layout)
// Plain http (the benchmark's local registry). Blobs stream between files and the network.
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "mpcheck/conformance/registry_client.hpp"

namespace fs = std::filesystem;
using namespace mpcheck::conformance;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path blob_path(const fs::path& layout, const std::string& digest) {
  auto colon = digest.find(':');
  return layout / "blobs" / digest.substr(0, colon) / digest.substr(colon + 1);
}

int push(const fs::path& layout, const std::string& host, const std::string& repo,
         const std::string& tag) {
  rapidjson::Document index;
  auto itext = slurp(layout / "index.json");
  index.Parse(itext.c_str());
  std::string mdigest = index["manifests"][0]["digest"].GetString();
  std::string mtype = index["manifests"][0]["mediaType"].GetString();
  std::string manifest = slurp(blob_path(layout, mdigest));
  rapidjson::Document m;
  m.Parse(manifest.c_str());
  std::vector<std::pair<std::string, std::uint64_t>> blobs = {
      {m["config"]["digest"].GetString(), m["config"]["size"].GetUint64()}};
  for (const auto& l : m["layers"].GetArray())
    blobs.emplace_back(l["digest"].GetString(), l["size"].GetUint64());
  RegistryConfig c;
  c.host = host;
  c.tls = TlsMode::Disabled;
  RegistryClient client(c);
  for (const auto& [digest, size] : blobs) {
    if (client.head_blob(repo, digest)) continue;  // as skopeo does
    auto in = std::make_shared<std::ifstream>(blob_path(layout, digest), std::ios::binary);
    auto r = client.push_blob_monolithic(repo, digest, size, [in](char* buf, std::size_t cap) {
      in->read(buf, static_cast<std::streamsize>(cap));
      return in->bad() ? std::ptrdiff_t{-1} : static_cast<std::ptrdiff_t>(in->gcount());
    });
    if (!r) {
      std::cerr << "push " << digest << ": " << r.error().describe() << '\n';
      return 1;
    }
  }
  auto r = client.put_manifest(repo, tag, manifest, mtype);
  if (!r) {
    std::cerr << "manifest: " << r.error().describe() << '\n';
    return 1;
  }
  return 0;
}

int pull(const std::string& host, const std::string& repo, const std::string& tag,
         const fs::path& layout) {
  RegistryConfig c;
  c.host = host;
  c.tls = TlsMode::Disabled;
  RegistryClient client(c);
  auto m = client.get_manifest(repo, tag);
  if (!m) {
    std::cerr << "manifest: " << m.error().describe() << '\n';
    return 1;
  }
  rapidjson::Document doc;
  doc.Parse(m->bytes.c_str(), m->bytes.size());
  std::vector<std::string> digests = {doc["config"]["digest"].GetString()};
  for (const auto& l : doc["layers"].GetArray()) digests.push_back(l["digest"].GetString());
  auto mdigest = m->digest.value_or("");
  fs::create_directories(layout / "blobs" / "sha256");
  for (const auto& d : digests) {
    auto path = blob_path(layout, d);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (!f) return 1;
    auto r = client.get_blob(
        repo, d, [f](const char* data, std::size_t n) { return std::fwrite(data, 1, n, f) == n; });
    std::fclose(f);
    if (!r) {
      std::cerr << "blob " << d << ": " << r.error().describe() << '\n';
      return 1;
    }
  }
  std::ofstream(blob_path(layout, mdigest), std::ios::binary) << m->bytes;
  std::ofstream(layout / "oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
  std::ofstream(layout / "index.json")
      << R"({"schemaVersion":2,"manifests":[{"mediaType":")" << m->content_type << R"(","digest":")"
      << mdigest << R"(","size":)" << m->bytes.size() << "}]}";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto split = [](const std::string& ref) {
    auto colon = ref.rfind(':');
    return std::pair{ref.substr(0, colon), ref.substr(colon + 1)};
  };
  if (argc == 5 && std::string(argv[1]) == "push") {
    auto [repo, tag] = split(argv[4]);
    return push(argv[2], argv[3], repo, tag);
  }
  if (argc == 5 && std::string(argv[1]) == "pull") {
    auto [repo, tag] = split(argv[3]);
    return pull(argv[2], repo, tag, argv[4]);
  }
  std::cerr << "usage: mpcheck-registry-bench push LAYOUT HOST REPO:TAG\n"
               "       mpcheck-registry-bench pull HOST REPO:TAG LAYOUT\n";
  return 2;
}
