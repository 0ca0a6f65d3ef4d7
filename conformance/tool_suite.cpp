#include "mpcheck/conformance/tool_suite.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include "mpcheck/conformance/content_hasher.hpp"
#include "mpcheck/conformance/credentials.hpp"
#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/conformance/tool_runner.hpp"
#include "mpcheck/validator/artifact_validator.hpp"
#include "mpcheck/validator/digest.hpp"
#include "mpcheck/validator/media_types.hpp"
#include "mpcheck/validator/report_finding.hpp"

namespace mpcheck::conformance {
namespace {

namespace fs = std::filesystem;
using reports::Case;
using reports::Status;
using Clock = std::chrono::steady_clock;

// Lines of a check failure list kept in a case before "... and N more".
constexpr std::size_t kMaxListedProblems = 20;
// Tool output kept in a case's details (the tail of stderr, the head of stdout).
constexpr std::size_t kOutputExcerptBytes = 2048;
constexpr const char* kRefAnnotation = "org.opencontainers.image.ref.name";

// ---- manifests ---------------------------------------------------------------------------

using Annotations = std::map<std::string, std::string>;

struct Descriptor {
  std::string media_type, digest;
  std::uint64_t size = 0;
  Annotations annotations;
};

struct ManifestFacts {
  std::string media_type, artifact_type;
  Descriptor config;
  std::vector<Descriptor> layers;
  Annotations annotations;
};

struct LoadedManifest {
  std::string digest, media_type, bytes;
  ManifestFacts facts;
};

std::string json_text(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v.Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Annotations annotations_of(const rapidjson::Value& obj) {
  Annotations a;
  if (!obj.IsObject()) return a;
  auto it = obj.FindMember("annotations");
  if (it == obj.MemberEnd() || !it->value.IsObject()) return a;
  for (const auto& m : it->value.GetObject()) a[m.name.GetString()] = json_text(m.value);
  return a;
}

std::string string_member(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return "";
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

Descriptor descriptor_of(const rapidjson::Value& v) {
  Descriptor d;
  d.media_type = string_member(v, "mediaType");
  d.digest = string_member(v, "digest");
  if (v.IsObject()) {
    auto it = v.FindMember("size");
    if (it != v.MemberEnd() && it->value.IsUint64()) d.size = it->value.GetUint64();
  }
  d.annotations = annotations_of(v);
  return d;
}

std::expected<ManifestFacts, std::string> parse_manifest(std::string_view bytes) {
  rapidjson::Document doc;
  doc.Parse(bytes.data(), bytes.size());
  if (doc.HasParseError() || !doc.IsObject())
    return std::unexpected("manifest is not a JSON object");
  ManifestFacts f;
  f.media_type = string_member(doc, "mediaType");
  f.artifact_type = string_member(doc, "artifactType");
  if (doc.HasMember("config")) f.config = descriptor_of(doc["config"]);
  if (doc.HasMember("layers") && doc["layers"].IsArray())
    for (const auto& l : doc["layers"].GetArray()) f.layers.push_back(descriptor_of(l));
  f.annotations = annotations_of(doc);
  return f;
}

std::expected<std::string, std::string> read_bounded(const fs::path& file, std::size_t limit) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::unexpected("cannot open " + file.string());
  std::string text(limit + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limit) return std::unexpected(file.string() + " is larger than expected");
  return text;
}

std::expected<fs::path, std::string> blob_path(const fs::path& layout, std::string_view digest) {
  auto d = parse_digest(digest);
  if (!d) return std::unexpected("bad digest \"" + std::string(digest) + "\": " + d.error());
  return layout / "blobs" / d->algorithm / d->encoded;
}

// The manifest of `layout` named `ref`; when no entry has that name and the index holds one
// manifest (a tool that writes no ref name), that one, with a note.
std::expected<LoadedManifest, std::string> load_layout_manifest(const fs::path& layout,
                                                                std::string_view ref,
                                                                std::string* note = nullptr) {
  auto index = read_bounded(layout / "index.json", kMaxDocumentBytes);
  if (!index) return std::unexpected(index.error());
  rapidjson::Document doc;
  doc.Parse(index->data(), index->size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("manifests") ||
      !doc["manifests"].IsArray())
    return std::unexpected(layout.string() + "/index.json has no manifests array");
  const auto& manifests = doc["manifests"].GetArray();
  const rapidjson::Value* chosen = nullptr;
  for (const auto& m : manifests)
    if (annotations_of(m).count(kRefAnnotation) && annotations_of(m)[kRefAnnotation] == ref)
      chosen = &m;
  if (!chosen && manifests.Size() == 1) {
    chosen = &manifests[0];
    if (note)
      *note = "index.json names no manifest \"" + std::string(ref) + "\"; using its only manifest";
  }
  if (!chosen)
    return std::unexpected(layout.string() + "/index.json has no manifest named \"" +
                           std::string(ref) + "\"");
  LoadedManifest m;
  m.digest = string_member(*chosen, "digest");
  m.media_type = string_member(*chosen, "mediaType");
  auto path = blob_path(layout, m.digest);
  if (!path) return std::unexpected(path.error());
  auto bytes = read_bounded(*path, kMaxDocumentBytes);
  if (!bytes) return std::unexpected(bytes.error());
  m.bytes = std::move(*bytes);
  auto facts = parse_manifest(m.bytes);
  if (!facts) return std::unexpected(facts.error());
  m.facts = std::move(*facts);
  return m;
}

// ---- registry ----------------------------------------------------------------------------

std::vector<Descriptor> blobs_of(const ManifestFacts& f) {
  std::vector<Descriptor> all;
  if (!f.config.digest.empty()) all.push_back(f.config);
  all.insert(all.end(), f.layers.begin(), f.layers.end());
  return all;
}

// Pushes a layout's manifest and its blobs with mpcheck's own client (the source a tool reads).
std::expected<void, std::string> push_manifest(RegistryClient& client, const fs::path& layout,
                                               const LoadedManifest& m, std::string_view repo,
                                               std::string_view tag) {
  for (const auto& b : blobs_of(m.facts)) {
    if (auto head = client.head_blob(repo, b.digest); head) continue;
    auto path = blob_path(layout, b.digest);
    if (!path) return std::unexpected(path.error());
    std::ifstream in(*path, std::ios::binary);
    if (!in) return std::unexpected("cannot open " + path->string());
    BodyReader reader = [&in](char* buf, std::size_t cap) -> std::ptrdiff_t {
      in.read(buf, static_cast<std::streamsize>(cap));
      return in.bad() ? -1 : static_cast<std::ptrdiff_t>(in.gcount());
    };
    auto pushed = client.push_blob_monolithic(repo, b.digest, b.size, reader);
    if (!pushed) return std::unexpected("pushing " + b.digest + ": " + pushed.error().describe());
  }
  std::string type = m.facts.media_type.empty() ? m.media_type : m.facts.media_type;
  auto put = client.put_manifest(repo, tag, m.bytes, type);
  if (!put) return std::unexpected("pushing the manifest: " + put.error().describe());
  return {};
}

// Pulls repo:reference and every blob it names (digest-verified) into an OCI layout at `dir`,
// its manifest named `ref_name`.
std::expected<LoadedManifest, std::string> pull_to_layout(RegistryClient& client,
                                                          std::string_view repo,
                                                          std::string_view reference,
                                                          const fs::path& dir,
                                                          std::string_view ref_name) {
  auto got = client.get_manifest(repo, reference);
  if (!got)
    return std::unexpected("GET manifest " + std::string(repo) + ":" + std::string(reference) +
                           ": " + got.error().describe());
  LoadedManifest m;
  m.bytes = got->bytes;
  m.digest = digest_of("sha256", m.bytes).value_or("");
  auto facts = parse_manifest(m.bytes);
  if (!facts) return std::unexpected(facts.error());
  m.facts = std::move(*facts);
  m.media_type = m.facts.media_type.empty() ? got->content_type : m.facts.media_type;

  std::error_code ec;
  fs::create_directories(dir / "blobs" / "sha256", ec);
  auto write_file = [](const fs::path& p, std::string_view bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
  };
  for (const auto& b : blobs_of(m.facts)) {
    auto path = blob_path(dir, b.digest);
    if (!path) return std::unexpected(path.error());
    fs::create_directories(path->parent_path(), ec);
    std::ofstream out(*path, std::ios::binary | std::ios::trunc);
    auto fetch = client.get_blob(
        repo, b.digest,
        [&out](const char* data, std::size_t size) {
          out.write(data, static_cast<std::streamsize>(size));
          return static_cast<bool>(out);
        },
        std::nullopt, b.size);
    if (!fetch) return std::unexpected("GET blob " + b.digest + ": " + fetch.error().describe());
  }
  auto manifest_path = blob_path(dir, m.digest);
  if (!manifest_path || !write_file(*manifest_path, m.bytes))
    return std::unexpected("cannot write the pulled manifest into " + dir.string());
  // Built with a JSON writer: the media type came from the registry.
  rapidjson::StringBuffer index_buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(index_buf);
  w.StartObject();
  w.Key("schemaVersion");
  w.Int(2);
  w.Key("mediaType");
  w.String("application/vnd.oci.image.index.v1+json");
  w.Key("manifests");
  w.StartArray();
  w.StartObject();
  w.Key("mediaType");
  w.String(m.media_type.c_str(), static_cast<rapidjson::SizeType>(m.media_type.size()));
  w.Key("digest");
  w.String(m.digest.c_str(), static_cast<rapidjson::SizeType>(m.digest.size()));
  w.Key("size");
  w.Uint64(m.bytes.size());
  w.Key("annotations");
  w.StartObject();
  w.Key(kRefAnnotation);
  w.String(ref_name.data(), static_cast<rapidjson::SizeType>(ref_name.size()));
  w.EndObject();
  w.EndObject();
  w.EndArray();
  w.EndObject();
  std::string index(index_buf.GetString(), index_buf.GetSize());
  if (!write_file(dir / "index.json", index) ||
      !write_file(dir / "oci-layout", R"({"imageLayoutVersion":"1.0.0"})"))
    return std::unexpected("cannot write " + dir.string());
  return m;
}

// ---- checks ------------------------------------------------------------------------------

struct Checks {
  std::vector<std::string> lines;
  std::vector<std::string> failures;
  std::vector<reports::Finding> findings;
  std::string error;  // the suite could not do its part (not the tool's fault)
  std::string skip;   // nothing to check (an invalid source the registry would not take)
  std::string pass_message;
  // The source has validator errors: a tool refusing it is doing its job, not failing.
  bool source_invalid = false;

  void ok(const std::string& what) { lines.push_back("ok    " + what); }
  void fail(const std::string& what) {
    lines.push_back("FAIL  " + what);
    failures.push_back(what);
  }
  void note(const std::string& what) { lines.push_back("note  " + what); }
  void broken(const std::string& what) {
    lines.push_back("ERROR " + what);
    if (error.empty()) error = what;
  }
};

std::string quote_value(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 200)) out += (c == '"' ? std::string("\\\"") : std::string(1, c));
  if (s.size() > 200) out += "...";
  return out + "\"";
}

std::string annotation_diff(const Annotations& want, const Annotations& got) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    if (it == got.end())
      parts.push_back("missing " + k);
    else if (it->second != v)
      parts.push_back("changed " + k + ": " + quote_value(it->second) + ", source " +
                      quote_value(v));
  }
  for (const auto& [k, v] : got)
    if (!want.count(k)) parts.push_back("added " + k + "=" + quote_value(v));
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < kMaxListedProblems; ++i)
    out += (i ? "; " : "") + parts[i];
  if (parts.size() > kMaxListedProblems)
    out += "; ... and " + std::to_string(parts.size() - kMaxListedProblems) + " more";
  return out;
}

void compare_manifests(const LoadedManifest& src, const LoadedManifest& got, Checks& c) {
  if (got.digest == src.digest)
    c.ok("manifest digest " + got.digest);
  else
    c.fail("manifest digest " + got.digest + " differs from the source's " + src.digest);
  if (got.bytes == src.bytes)
    c.ok("manifest bytes identical (" + std::to_string(got.bytes.size()) + " bytes)");
  else
    c.fail("manifest bytes differ from the source (" + std::to_string(got.bytes.size()) +
           " bytes, source " + std::to_string(src.bytes.size()) + ")");
  const auto& s = src.facts;
  const auto& g = got.facts;
  if (g.media_type == s.media_type)
    c.ok("mediaType " + quote_value(g.media_type));
  else
    c.fail("mediaType " + quote_value(g.media_type) + ", source " + quote_value(s.media_type));
  if (g.artifact_type == s.artifact_type)
    c.ok("artifactType " + quote_value(g.artifact_type));
  else
    c.fail("artifactType " + quote_value(g.artifact_type) + ", source " +
           quote_value(s.artifact_type));
  if (g.config.digest == s.config.digest && g.config.media_type == s.config.media_type)
    c.ok("config " + g.config.digest);
  else
    c.fail("config " + quote_value(g.config.media_type) + " " + g.config.digest + ", source " +
           quote_value(s.config.media_type) + " " + s.config.digest);
  if (g.annotations == s.annotations)
    c.ok("annotations (" + std::to_string(g.annotations.size()) + ")");
  else
    c.fail("annotations differ: " + annotation_diff(s.annotations, g.annotations));

  bool order_ok = g.layers.size() == s.layers.size();
  for (std::size_t i = 0; order_ok && i < s.layers.size(); ++i)
    order_ok = g.layers[i].digest == s.layers[i].digest;
  if (order_ok) {
    c.ok("layer order (" + std::to_string(g.layers.size()) + " layers)");
  } else {
    std::string what = "layer order differs: " + std::to_string(g.layers.size()) +
                       " layers, source " + std::to_string(s.layers.size());
    for (std::size_t i = 0; i < std::max(g.layers.size(), s.layers.size()); ++i) {
      std::string gd = i < g.layers.size() ? g.layers[i].digest : "-";
      std::string sd = i < s.layers.size() ? s.layers[i].digest : "-";
      if (gd != sd) {
        what += "; first difference at layer " + std::to_string(i) + ": " + gd + ", source " + sd;
        break;
      }
    }
    c.fail(what);
    return;
  }
  std::vector<std::string> layer_problems;
  for (std::size_t i = 0; i < s.layers.size(); ++i) {
    if (g.layers[i].media_type != s.layers[i].media_type)
      layer_problems.push_back("layer " + std::to_string(i) + " mediaType " +
                               quote_value(g.layers[i].media_type) + ", source " +
                               quote_value(s.layers[i].media_type));
    if (g.layers[i].annotations != s.layers[i].annotations)
      layer_problems.push_back("layer " + std::to_string(i) + " annotations differ: " +
                               annotation_diff(s.layers[i].annotations, g.layers[i].annotations));
  }
  if (layer_problems.empty())
    c.ok("layer media types and annotations");
  else
    for (const auto& p : layer_problems) c.fail(p);
}

// ---- validation --------------------------------------------------------------------------

std::expected<std::vector<Diagnostic>, std::string> validation_errors(const fs::path& layout,
                                                                      std::string_view ref) {
  auto source = open_layout_dir(layout);
  if (!source) return std::unexpected(source.error());
  ValidateOptions options;
  options.ref = ref;
  options.jobs = 2;
  auto result = validate_artifact(**source, options);
  if (!result) return std::unexpected(result.error());
  std::vector<Diagnostic> errors;
  auto take = [&](const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
      if (d.severity == Severity::Error) errors.push_back(d);
  };
  take(result->layout_diagnostics);
  for (const auto& m : result->manifests) take(m.diagnostics);
  return errors;
}

// Errors in what the tool produced that the source did not already have (a negative fixture
// stays as broken as it was; only new breakage counts against the tool).
void check_validation(const fs::path& layout, std::string_view ref,
                      const std::set<std::string>& source_rules, Checks& c) {
  auto errors = validation_errors(layout, ref);
  if (!errors) {
    c.fail("validator could not read the result: " + errors.error());
    return;
  }
  std::set<std::string> new_rules;
  for (const auto& d : *errors)
    if (!source_rules.count(d.rule)) {
      new_rules.insert(d.rule);
      c.findings.push_back(to_finding(d));
    }
  if (new_rules.empty()) {
    c.ok("validator: no errors the source does not have");
  } else {
    std::string list;
    for (const auto& r : new_rules) list += (list.empty() ? "" : ", ") + r;
    c.fail("validator: new errors " + list +
           " (first: " + c.findings.front().message.substr(0, 300) + ")");
  }
}

// ---- files -------------------------------------------------------------------------------

struct FileFact {
  char type = 'f';  // f(ile) d(ir) l(ink) o(ther)
  std::string digest;
  std::uint64_t size = 0;
  std::uint32_t mode = 0;
  bool has_mode = false;
  std::int64_t mtime = 0;
  bool has_mtime = false;
  std::string link;
};
using FileSet = std::map<std::string, FileFact>;

std::string normalize(std::string p) {
  while (p.starts_with("./")) p.erase(0, 2);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

bool safe_relative(const std::string& p) {
  if (p.empty() || p.front() == '/') return false;
  for (const auto& part : fs::path(p))
    if (part == "..") return false;
  return true;
}

// The files a manifest's layers carry (raw layers: their filepath annotation). With
// `write_to`, regular files and directories are also written there (a model directory).
std::expected<FileSet, std::string> files_of_layers(const fs::path& layout, const ManifestFacts& m,
                                                    const fs::path* write_to) {
  FileSet files;
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const auto& layer = m.layers[i];
    auto path = blob_path(layout, layer.digest);
    if (!path) return std::unexpected(path.error());
    bool raw = layer.media_type.ends_with(".raw");
    if (raw) {
      std::string name;
      for (const char* key : {"org.cncf.model.filepath", "org.opencontainers.image.title"})
        if (layer.annotations.count(key)) {
          name = normalize(layer.annotations.at(key));
          break;
        }
      if (name.empty())
        return std::unexpected("raw layer " + std::to_string(i) + " has no file name");
      std::ifstream in(*path, std::ios::binary);
      if (!in) return std::unexpected("cannot open " + path->string());
      auto hasher = ContentHasher::create("sha256");
      std::optional<std::ofstream> out;
      if (write_to && safe_relative(name)) {
        fs::create_directories((*write_to / name).parent_path());
        out.emplace(*write_to / name, std::ios::binary | std::ios::trunc);
      }
      FileFact f;
      char buf[65536];
      while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        hasher->update(buf, static_cast<std::size_t>(in.gcount()));
        f.size += static_cast<std::uint64_t>(in.gcount());
        if (out) out->write(buf, in.gcount());
      }
      f.digest = hasher->finish();
      files[name] = f;
      continue;
    }
    std::unique_ptr<archive, decltype(&archive_read_free)> a(archive_read_new(), archive_read_free);
    archive_read_support_filter_all(a.get());
    archive_read_support_format_tar(a.get());
    if (archive_read_open_filename(a.get(), path->c_str(), 65536) != ARCHIVE_OK)
      return std::unexpected("layer " + std::to_string(i) + ": " + archive_error_string(a.get()));
    archive_entry* e = nullptr;
    int rc;
    while ((rc = archive_read_next_header(a.get(), &e)) == ARCHIVE_OK || rc == ARCHIVE_WARN) {
      std::string name = normalize(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
      if (name.empty() || name == ".") continue;
      FileFact f;
      f.mode = archive_entry_perm(e);
      f.has_mode = true;
      f.mtime = archive_entry_mtime(e);
      f.has_mtime = true;
      auto type = archive_entry_filetype(e);
      bool writable = write_to && safe_relative(name);
      if (archive_entry_hardlink(e)) {
        std::string target = normalize(archive_entry_hardlink(e));
        if (files.count(target)) f = files[target];
      } else if (type == AE_IFDIR) {
        f.type = 'd';
        if (writable) fs::create_directories(*write_to / name);
      } else if (type == AE_IFLNK) {
        f.type = 'l';
        f.link = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
      } else if (type == AE_IFREG) {
        auto hasher = ContentHasher::create("sha256");
        std::optional<std::ofstream> out;
        if (writable) {
          fs::create_directories((*write_to / name).parent_path());
          out.emplace(*write_to / name, std::ios::binary | std::ios::trunc);
        }
        const void* block;
        size_t size;
        la_int64_t offset;
        while (archive_read_data_block(a.get(), &block, &size, &offset) == ARCHIVE_OK) {
          hasher->update(static_cast<const char*>(block), size);
          f.size += size;
          if (out) out->write(static_cast<const char*>(block), static_cast<std::streamsize>(size));
        }
        f.digest = hasher->finish();
        if (out) {
          out->close();
          fs::permissions(*write_to / name, static_cast<fs::perms>(f.mode & 0777));
        }
      } else {
        f.type = 'o';
      }
      files[name] = f;
    }
    if (rc != ARCHIVE_EOF)
      return std::unexpected(
          "layer " + std::to_string(i) + ": " +
          (archive_error_string(a.get()) ? archive_error_string(a.get()) : "bad tar"));
  }
  return files;
}

std::expected<FileSet, std::string> files_in_dir(const fs::path& dir) {
  FileSet files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return std::unexpected(dir.string() + " was not created");
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::string name = fs::relative(it->path(), dir, ec).generic_string();
    struct stat st {};
    if (::lstat(it->path().c_str(), &st) != 0) continue;
    FileFact f;
    f.mode = st.st_mode & 07777;
    f.has_mode = true;
    f.mtime = st.st_mtime;
    f.has_mtime = true;
    if (S_ISDIR(st.st_mode)) {
      f.type = 'd';
    } else if (S_ISLNK(st.st_mode)) {
      f.type = 'l';
      f.link = fs::read_symlink(it->path(), ec).string();
    } else if (S_ISREG(st.st_mode)) {
      std::ifstream in(it->path(), std::ios::binary);
      auto hasher = ContentHasher::create("sha256");
      char buf[65536];
      while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        hasher->update(buf, static_cast<std::size_t>(in.gcount()));
        f.size += static_cast<std::uint64_t>(in.gcount());
      }
      f.digest = hasher->finish();
    } else {
      f.type = 'o';
    }
    files[name] = f;
  }
  if (ec) return std::unexpected("reading " + dir.string() + ": " + ec.message());
  return files;
}

std::string octal(std::uint32_t mode) {
  std::ostringstream s;
  s << '0' << std::oct << (mode & 07777);
  return s.str();
}

// Every file of `want` must be in `got` with the same type and content (and, with
// `attributes`, the same permission bits; a different mtime is a note).
void compare_files(const FileSet& want, const FileSet& got, bool attributes, Checks& c) {
  std::vector<std::string> problems, notes;
  std::size_t files = 0;
  for (const auto& [name, w] : want) {
    auto it = got.find(name);
    if (it == got.end()) {
      if (w.type != 'd') problems.push_back("missing " + name);
      continue;
    }
    const auto& g = it->second;
    if (w.type != g.type) {
      problems.push_back(name + " is type " + g.type + ", source " + w.type);
      continue;
    }
    if (w.type == 'f') {
      ++files;
      if (g.digest != w.digest)
        problems.push_back("content of " + name + " differs (" + std::to_string(g.size) +
                           " bytes " + g.digest + ", source " + std::to_string(w.size) + " bytes " +
                           w.digest + ")");
      else if (attributes && w.has_mode && g.has_mode && (w.mode & 0777) != (g.mode & 0777))
        problems.push_back("mode of " + name + " is " + octal(g.mode) + ", source " +
                           octal(w.mode));
      else if (attributes && w.has_mtime && g.has_mtime && w.mtime != g.mtime)
        notes.push_back("mtime of " + name + " is " + std::to_string(g.mtime) + ", source " +
                        std::to_string(w.mtime));
    } else if (w.type == 'l' && g.link != w.link) {
      problems.push_back("symlink " + name + " -> " + quote_value(g.link) + ", source " +
                         quote_value(w.link));
    }
  }
  std::size_t extra = 0;
  for (const auto& [name, g] : got)
    if (!want.count(name) && g.type != 'd' && ++extra <= 5) notes.push_back("extra file " + name);
  for (std::size_t i = 0; i < problems.size() && i < kMaxListedProblems; ++i) c.fail(problems[i]);
  if (problems.size() > kMaxListedProblems)
    c.fail("... and " + std::to_string(problems.size() - kMaxListedProblems) + " more");
  if (problems.empty())
    c.ok(std::to_string(files) + " files: content" + (attributes ? " and modes" : "") +
         " as in the source");
  for (std::size_t i = 0; i < notes.size() && i < kMaxListedProblems; ++i) c.note(notes[i]);
}

// ---- running a tool ----------------------------------------------------------------------

std::string tls_word(TlsMode t) {
  return t == TlsMode::Enabled ? "enabled" : t == TlsMode::Insecure ? "insecure" : "disabled";
}

bool applies(StepCondition when, const RegistryConfig& r) {
  switch (when) {
    case StepCondition::Always:
      return true;
    case StepCondition::Credentials:
      return r.credentials.has_value();
    case StepCondition::NoCredentials:
      return !r.credentials.has_value();
    case StepCondition::TlsEnabled:
      return r.tls == TlsMode::Enabled;
    case StepCondition::TlsInsecure:
      return r.tls == TlsMode::Insecure;
    case StepCondition::TlsDisabled:
      return r.tls == TlsMode::Disabled;
  }
  return true;
}

std::string redact_secret(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos))
    text.replace(pos, secret.size(), "<redacted>");
  return text;
}

std::string shell_quote_for_display(const std::string& a) {
  bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("-_./:=,@+%").find(c) != std::string_view::npos;
  });
  if (plain) return a;
  std::string out = "'";
  for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string excerpt(const std::string& s, bool tail) {
  if (s.size() <= kOutputExcerptBytes) return s;
  return tail ? "..." + s.substr(s.size() - kOutputExcerptBytes)
              : s.substr(0, kOutputExcerptBytes) + "...";
}

std::string first_line(const std::string& s) {
  std::string t = s;
  auto last = t.find_last_not_of(" \n\r\t");
  t = last == std::string::npos ? "" : t.substr(0, last + 1);
  auto nl = t.rfind('\n');  // the last line of stderr says what went wrong, usually
  std::string line = nl == std::string::npos ? t : t.substr(nl + 1);
  return line.size() > 300 ? line.substr(0, 300) + "..." : line;
}

struct StepsResult {
  bool ok = true;
  std::string failure;
};

StepsResult run_steps(const ToolProfile& profile, const std::vector<CommandTemplate>& steps,
                      const Placeholders& values, const ToolSuiteContext& ctx, const fs::path& cwd,
                      Checks& c) {
  std::string secret = ctx.registry.credentials ? ctx.registry.credentials->password : "";
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const auto& step = steps[i];
    if (!applies(step.when, ctx.registry)) continue;
    ToolCommand cmd;
    cmd.cwd = cwd;
    cmd.timeout = ctx.timeout;
    std::string shown = "$";
    for (const auto& t : step.argv) {
      auto a = expand_template(t, values);
      if (!a) {
        c.broken("step " + std::to_string(i + 1) + ": " + a.error());
        return {false, a.error()};
      }
      cmd.argv.push_back(*a);
      shown += " " + shell_quote_for_display(*a);
    }
    for (const auto* env : {&profile.env, &step.env})
      for (const auto& [k, t] : *env) {
        auto v = expand_template(t, values);
        if (!v) {
          c.broken("step " + std::to_string(i + 1) + ": " + v.error());
          return {false, v.error()};
        }
        cmd.env.emplace_back(k, *v);
      }
    if (!step.stdin_data.empty()) {
      auto s = expand_template(step.stdin_data, values);
      if (!s) {
        c.broken("step " + std::to_string(i + 1) + ": " + s.error());
        return {false, s.error()};
      }
      cmd.stdin_data = *s;
    }
    c.lines.push_back(redact_secret(shown, secret));
    ToolOutcome out = run_tool(cmd);
    std::string how = describe(out, cmd);
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.2f s", out.seconds);
    c.lines.push_back("      -> " + how + " in " + secs);
    if (!out.ok()) {
      if (!out.out.empty())
        c.lines.push_back("      stdout:\n" + redact_secret(excerpt(out.out, false), secret));
      if (!out.err.empty())
        c.lines.push_back("      stderr:\n" + redact_secret(excerpt(out.err, true), secret));
      std::string why = "step " + std::to_string(i + 1) + " (" + cmd.argv[0] + ") " + how;
      std::string line = redact_secret(first_line(out.err.empty() ? out.out : out.err), secret);
      if (!line.empty()) why += ": " + line;
      if (c.source_invalid) {
        c.note("refused the invalid source: " + why);
        c.pass_message = "refused the invalid source: " + why;
      } else {
        c.fail(why);
      }
      return {false, why};
    }
  }
  return {};
}

// ---- the suite ---------------------------------------------------------------------------

struct SourceInfo {
  std::string load_error;
  LoadedManifest manifest;
  std::set<std::string> error_rules;  // validator errors the source itself has
  bool seeded = false;
  std::string seed_error;
};

std::string join_failures(const std::vector<std::string>& f) {
  std::string out;
  for (std::size_t i = 0; i < f.size() && i < 3; ++i) out += (i ? "; " : "") + f[i];
  if (f.size() > 3) out += "; (+" + std::to_string(f.size() - 3) + " more)";
  return out;
}

bool write_docker_config(const fs::path& dir, const RegistryConfig& r) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string auths = "{}";
  if (r.credentials) {
    std::string auth = encode_base64(r.credentials->username + ":" + r.credentials->password);
    auths = "{\"" + r.host + "\":{\"auth\":\"" + auth + "\"}}";
  }
  fs::path file = dir / "config.json";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) return false;
  }
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, ec);
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << "{\"auths\":" << auths << "}\n";
  return static_cast<bool>(out);
}

}  // namespace

reports::Suite run_tool_suite(const ToolProfile& profile, const ToolSuiteContext& ctx) {
  reports::Suite suite;
  suite.name = "tools: " + profile.name;
  suite.kind = "tool";
  std::vector<ToolOperation> ops;
  for (auto op : kToolOperations) {
    bool wanted = ctx.operations.empty() || std::find(ctx.operations.begin(), ctx.operations.end(),
                                                      op) != ctx.operations.end();
    if (wanted && profile.supports(op)) ops.push_back(op);
  }
  auto case_name = [&](ToolOperation op, const ToolFixture& f) {
    return profile.name + " " + std::string(to_string(op)) + " " + f.name;
  };
  auto all_cases = [&](Status status, const std::string& message) {
    for (const auto& f : ctx.fixtures)
      for (auto op : ops) {
        Case c;
        c.name = case_name(op, f);
        c.status = status;
        c.message = message;
        suite.cases.push_back(std::move(c));
      }
  };

  // Detect the tool and its version.
  std::string program = profile.detect.argv.empty() ? profile.name : profile.detect.argv[0];
  if (!find_executable(program)) {
    suite.target = profile.name + " not installed";
    all_cases(Status::Skip, profile.name + " not installed");
    return suite;
  }
  ToolCommand detect;
  for (const auto& t : profile.detect.argv)
    detect.argv.push_back(expand_template(t, {}).value_or(t));
  detect.timeout = std::chrono::seconds(30);
  ToolOutcome detected = run_tool(detect);
  if (!detected.ok()) {
    suite.target = profile.name + " (detect failed)";
    all_cases(Status::Error, profile.name + " detect command failed: " +
                                 describe(detected, detect) + " " + first_line(detected.err));
    return suite;
  }
  std::string version = "unknown";
  if (!profile.version_regex.empty()) {
    std::smatch m;
    std::string text = detected.out + "\n" + detected.err;
    if (std::regex_search(text, m, std::regex(profile.version_regex)) && m.size() > 1)
      version = m[1].str();
  }
  suite.target = profile.name + " " + version;

  // The tool's directory is replaced: never let an empty work_dir make that the current one.
  if (ctx.work_dir.empty()) {
    all_cases(Status::Error, "no work directory given");
    return suite;
  }
  fs::path tool_dir = ctx.work_dir / profile.name;
  std::error_code ec;
  fs::remove_all(tool_dir, ec);
  fs::create_directories(tool_dir, ec);
  fs::path docker_config = tool_dir / "docker-config";
  if (!write_docker_config(docker_config, ctx.registry)) {
    all_cases(Status::Error, "cannot write " + docker_config.string());
    return suite;
  }

  // containers/image style certificate directory: ca.crt is the CA file, if any.
  fs::path cert_dir = tool_dir / "certs";
  fs::create_directories(cert_dir, ec);
  if (ctx.registry.ca_file) {
    fs::copy_file(*ctx.registry.ca_file, cert_dir / "ca.crt", fs::copy_options::overwrite_existing,
                  ec);
    if (ec) {
      all_cases(Status::Error,
                "cannot copy the CA file " + *ctx.registry.ca_file + ": " + ec.message());
      fs::remove_all(docker_config, ec);
      return suite;
    }
  }

  RegistryClient client(ctx.registry);
  const RegistryConfig& reg = ctx.registry;
  Placeholders common = {
      {"registry", reg.host},
      {"tls", tls_word(reg.tls)},
      {"tls_verify", reg.tls == TlsMode::Enabled ? "true" : "false"},
      {"plain_http", reg.tls == TlsMode::Disabled ? "true" : "false"},
      {"insecure", reg.tls == TlsMode::Enabled ? "false" : "true"},
      {"username", reg.credentials ? reg.credentials->username : ""},
      {"password", reg.credentials ? reg.credentials->password : ""},
      {"auth_file", (docker_config / "config.json").string()},
      {"docker_config", docker_config.string()},
      {"cert_dir", cert_dir.string()},
  };

  for (const auto& fixture : ctx.fixtures) {
    SourceInfo src;
    auto errors = validation_errors(fixture.layout, fixture.ref);
    if (errors)
      for (const auto& d : *errors) src.error_rules.insert(d.rule);
    bool source_invalid = !fixture.valid || !errors || !src.error_rules.empty();
    auto loaded = load_layout_manifest(fixture.layout, fixture.ref);
    if (!loaded)
      src.load_error = loaded.error();
    else
      src.manifest = std::move(*loaded);
    std::string base_repo = ctx.repository_prefix + "/" + profile.name + "/" + fixture.name;

    for (auto op : ops) {
      auto started = Clock::now();
      Case result;
      result.name = case_name(op, fixture);
      Checks c;
      fs::path case_dir = tool_dir / fixture.name / std::string(to_string(op));
      fs::create_directories(case_dir, ec);
      Placeholders values = common;
      values["work_dir"] = case_dir.string();
      std::string tag(to_string(op));

      auto finish = [&] {
        result.duration_seconds = std::chrono::duration<double>(Clock::now() - started).count();
        if (!c.failures.empty()) {
          result.status = Status::Fail;
          result.message = join_failures(c.failures);
        } else if (!c.error.empty()) {
          result.status = Status::Error;
          result.message = c.error;
        } else if (!c.skip.empty()) {
          result.status = Status::Skip;
          result.message = c.skip;
        } else {
          result.status = Status::Pass;
          result.message = c.pass_message;
        }
        std::string details;
        for (const auto& l : c.lines) details += l + "\n";
        result.details = details;
        result.findings = std::move(c.findings);
        suite.cases.push_back(std::move(result));
        if (!ctx.keep_work) fs::remove_all(case_dir, ec);
      };

      c.source_invalid = source_invalid;
      if (source_invalid && !src.error_rules.empty()) {
        std::string rules;
        for (const auto& r : src.error_rules) rules += (rules.empty() ? "" : ", ") + r;
        c.note("the source is invalid (" + rules +
               "); only new errors count, and refusing it is fine");
      }
      if (!src.load_error.empty()) {
        if (source_invalid) {
          c.skip = "the fixture's manifest cannot be read: " + src.load_error;
          c.note(c.skip);
        } else {
          c.broken("fixture " + fixture.name + ": " + src.load_error);
        }
        finish();
        continue;
      }
      // Operations reading from the registry start from the source pushed by mpcheck itself.
      bool needs_source = op == ToolOperation::RegistryToLayout ||
                          op == ToolOperation::RegistryToRegistry || op == ToolOperation::PullToDir;
      if (needs_source && !src.seeded && src.seed_error.empty()) {
        auto pushed = push_manifest(client, fixture.layout, src.manifest, base_repo, "source");
        if (pushed)
          src.seeded = true;
        else
          src.seed_error = pushed.error();
      }
      if (needs_source && !src.seeded) {
        std::string why = "pushing the source to " + base_repo + ":source: " + src.seed_error;
        if (source_invalid) {
          c.skip = "the invalid source cannot be pushed: " + src.seed_error;
          c.note(c.skip);
        } else {
          c.broken(why);
        }
        finish();
        continue;
      }
      std::string ref_of_source = reg.host + "/" + base_repo + ":source";

      // Filesystem errors on what a tool wrote (permissions, odd names) end the case, not the run.
      try {
        switch (op) {
          case ToolOperation::LayoutToRegistry: {
            values["layout"] = fixture.layout.string();
            values["layout_ref"] = fixture.ref;
            values["repo"] = base_repo;
            values["tag"] = tag;
            values["ref"] = reg.host + "/" + base_repo + ":" + tag;
            c.note("source " + fixture.layout.string() + ":" + fixture.ref + " " +
                   src.manifest.digest);
            if (!run_steps(profile, profile.operations.at(op), values, ctx, case_dir, c).ok) break;
            auto pulled = pull_to_layout(client, base_repo, tag, case_dir / "pulled", fixture.ref);
            if (!pulled) {
              c.fail("reading the pushed artifact back: " + pulled.error());
              break;
            }
            compare_manifests(src.manifest, *pulled, c);
            check_validation(case_dir / "pulled", fixture.ref, src.error_rules, c);
            break;
          }
          case ToolOperation::RegistryToRegistry: {
            std::string dst_repo = base_repo + "-copy";
            values["repo"] = base_repo;
            values["tag"] = "source";
            values["ref"] = ref_of_source;
            values["src_ref"] = ref_of_source;
            values["dst_repo"] = dst_repo;
            values["dst_tag"] = tag;
            values["dst_ref"] = reg.host + "/" + dst_repo + ":" + tag;
            c.note("source " + ref_of_source + " " + src.manifest.digest);
            if (!run_steps(profile, profile.operations.at(op), values, ctx, case_dir, c).ok) break;
            auto pulled = pull_to_layout(client, dst_repo, tag, case_dir / "pulled", fixture.ref);
            if (!pulled) {
              c.fail("reading the copy back: " + pulled.error());
              break;
            }
            compare_manifests(src.manifest, *pulled, c);
            check_validation(case_dir / "pulled", fixture.ref, src.error_rules, c);
            break;
          }
          case ToolOperation::RegistryToLayout: {
            fs::path layout = case_dir / "layout";
            values["layout"] = layout.string();
            values["layout_ref"] = fixture.ref;
            values["repo"] = base_repo;
            values["tag"] = "source";
            values["ref"] = ref_of_source;
            c.note("source " + ref_of_source + " " + src.manifest.digest);
            if (!run_steps(profile, profile.operations.at(op), values, ctx, case_dir, c).ok) break;
            std::string note;
            auto got = load_layout_manifest(layout, fixture.ref, &note);
            if (!got) {
              c.fail("the layout written: " + got.error());
              break;
            }
            if (!note.empty()) c.note(note);
            compare_manifests(src.manifest, *got, c);
            check_validation(layout, note.empty() ? fixture.ref : "", src.error_rules, c);
            break;
          }
          case ToolOperation::PullToDir: {
            fs::path out_dir = case_dir / "out";
            values["repo"] = base_repo;
            values["tag"] = "source";
            values["ref"] = ref_of_source;
            values["out_dir"] = out_dir.string();
            c.note("source " + ref_of_source + " " + src.manifest.digest);
            auto want = files_of_layers(fixture.layout, src.manifest.facts, nullptr);
            if (!want) {
              c.broken("reading the fixture's files: " + want.error());
              break;
            }
            if (!run_steps(profile, profile.operations.at(op), values, ctx, case_dir, c).ok) break;
            auto got = files_in_dir(out_dir);
            if (!got) {
              c.fail(got.error());
              break;
            }
            compare_files(*want, *got, true, c);
            break;
          }
          case ToolOperation::BuildFromModelDir: {
            fs::path model_dir = case_dir / "model";
            fs::create_directories(model_dir, ec);
            values["model_dir"] = model_dir.string();
            values["repo"] = base_repo;
            values["tag"] = tag;
            values["ref"] = reg.host + "/" + base_repo + ":" + tag;
            auto want = files_of_layers(fixture.layout, src.manifest.facts, &model_dir);
            if (!want) {
              c.broken("writing the model directory: " + want.error());
              break;
            }
            c.note("model directory: the " + std::to_string(want->size()) + " entries of " +
                   fixture.name);
            if (!run_steps(profile, profile.operations.at(op), values, ctx, case_dir, c).ok) break;
            auto pulled = pull_to_layout(client, base_repo, tag, case_dir / "pulled", fixture.ref);
            if (!pulled) {
              c.fail("reading the built artifact back: " + pulled.error());
              break;
            }
            if (pulled->facts.artifact_type == kModelManifestArtifactType)
              c.ok("artifactType " + quote_value(pulled->facts.artifact_type));
            else
              c.fail("artifactType " + quote_value(pulled->facts.artifact_type) + ", expected " +
                     quote_value(kModelManifestArtifactType));
            check_validation(case_dir / "pulled", fixture.ref, {}, c);
            auto got = files_of_layers(case_dir / "pulled", pulled->facts, nullptr);
            if (!got) {
              c.fail("reading the built layers: " + got.error());
              break;
            }
            compare_files(*want, *got, false, c);
            break;
          }
        }
      } catch (const std::exception& e) {
        c.broken(std::string("checking the result: ") + e.what());
      }
      finish();
    }
  }
  // The credentials file goes whatever --keep-work says: kept work must not hold secrets.
  fs::remove_all(docker_config, ec);
  if (!ctx.keep_work) fs::remove_all(tool_dir, ec);
  return suite;
}

}  // namespace mpcheck::conformance
