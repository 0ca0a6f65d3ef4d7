#include "layout_builder.hpp"

#include <archive.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <stdexcept>

#include "mpcheck/validator/blob_hasher.hpp"

namespace mpcheck::test {
namespace fs = std::filesystem;

namespace {

la_ssize_t append_cb(struct archive*, void* client, const void* buf, size_t n) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

archive* new_writer(std::string& out, Compression c, bool full_pax = false) {
  archive* a = archive_write_new();
  // Restricted pax writes plain ustar unless an entry needs more; full pax keeps atime.
  if (full_pax)
    archive_write_set_format_pax(a);
  else
    archive_write_set_format_pax_restricted(a);
  if (c == Compression::Gzip) archive_write_add_filter_gzip(a);
  if (c == Compression::Zstd) archive_write_add_filter_zstd(a);
  archive_write_set_bytes_in_last_block(a, 1);
  if (archive_write_open(a, &out, nullptr, append_cb, nullptr) != ARCHIVE_OK)
    throw std::runtime_error(archive_error_string(a));
  return a;
}

std::string json_string(std::string_view s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o.push_back('\\');
    o.push_back(c);
  }
  return o + "\"";
}

void write_file(const fs::path& p, const std::string& bytes) {
  fs::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string descriptor(std::string_view media_type, const std::string& blob,
                       const std::map<std::string, std::string>& annotations = {}) {
  std::string d = "{\"mediaType\":" + json_string(media_type) + ",\"digest\":\"" + sha256_of(blob) +
                  "\",\"size\":" + std::to_string(blob.size());
  if (!annotations.empty()) {
    d += ",\"annotations\":{";
    bool first = true;
    for (auto& [k, v] : annotations) {
      d += first ? "" : ",";
      d += json_string(k) + ":" + json_string(v);
      first = false;
    }
    d += "}";
  }
  return d + "}";
}

}  // namespace

std::string make_tar(const std::vector<TarEntry>& entries, Compression c) {
  std::string out;
  bool atime = std::any_of(entries.begin(), entries.end(), [](auto& t) { return t.atime; });
  archive* a = new_writer(out, c, atime);
  for (const auto& t : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, t.name.c_str());
    archive_entry_set_filetype(e, t.type);
    archive_entry_set_perm(e, t.mode);
    archive_entry_set_mtime(e, t.mtime, 0);
    archive_entry_set_uid(e, t.uid);
    archive_entry_set_gid(e, t.gid);
    if (t.atime) archive_entry_set_atime(e, t.mtime + 5, 0);
    for (auto& [k, v] : t.xattrs) archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
    if (!t.symlink.empty()) archive_entry_set_symlink(e, t.symlink.c_str());
    if (!t.hardlink.empty()) archive_entry_set_hardlink(e, t.hardlink.c_str());
    archive_entry_set_size(e, t.type == AE_IFREG && t.hardlink.empty()
                                  ? static_cast<la_int64_t>(t.content.size())
                                  : 0);
    if (archive_write_header(a, e) != ARCHIVE_OK) throw std::runtime_error(archive_error_string(a));
    if (t.type == AE_IFREG && !t.content.empty())
      archive_write_data(a, t.content.data(), t.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string compress(const std::string& bytes, Compression c) {
  std::string out;
  archive* a = archive_write_new();
  archive_write_set_format_raw(a);
  if (c == Compression::Gzip) archive_write_add_filter_gzip(a);
  if (c == Compression::Zstd) archive_write_add_filter_zstd(a);
  archive_write_set_bytes_per_block(a, 0);
  archive_write_open(a, &out, nullptr, append_cb, nullptr);
  archive_entry* e = archive_entry_new();
  archive_entry_set_filetype(e, AE_IFREG);
  archive_write_header(a, e);
  archive_write_data(a, bytes.data(), bytes.size());
  archive_entry_free(e);
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

std::string sha256_of(std::string_view bytes) {
  auto h = BlobHasher::create("sha256");
  h->update({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
  return h->finish();
}

Layer tar_layer(std::string_view content, const std::vector<TarEntry>& entries, Compression c) {
  std::string plain = make_tar(entries);
  Layer l;
  l.media_type = "application/vnd.cncf.model." + std::string(content) + ".v1.tar" +
                 (c == Compression::Gzip   ? "+gzip"
                  : c == Compression::Zstd ? "+zstd"
                                           : "");
  l.diff_id = sha256_of(plain);
  l.blob = c == Compression::None ? plain : compress(plain, c);
  return l;
}

Layer raw_layer(std::string_view content, std::string bytes) {
  Layer l;
  l.media_type = "application/vnd.cncf.model." + std::string(content) + ".v1.raw";
  l.diff_id = sha256_of(bytes);
  l.blob = std::move(bytes);
  return l;
}

TempDir::TempDir() {
  std::string tmpl = (fs::temp_directory_path() / "mpcheck-validate-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}
TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string config_json(const std::vector<std::string>& diff_ids) {
  std::string ids;
  for (auto& d : diff_ids) {
    ids += ids.empty() ? "" : ",";
    ids += json_string(d);
  }
  return R"({"descriptor":{"name":"tiny","createdAt":"2025-01-01T00:00:00Z"},)"
         R"("config":{"format":"safetensors","paramSize":"1M"},)"
         R"("modelfs":{"type":"layers","diffIds":[)" +
         ids + "]}}";
}

LayoutBuilder::LayoutBuilder(fs::path dir) : dir_(std::move(dir)) {
  fs::create_directories(dir_ / "blobs" / "sha256");
}

std::string LayoutBuilder::add_blob(const std::string& bytes) {
  std::string d = sha256_of(bytes);
  write_file(dir_ / "blobs" / "sha256" / d.substr(7), bytes);
  return d;
}

std::string LayoutBuilder::manifest_json(const std::vector<Layer>& layers,
                                         std::optional<std::string> config) {
  std::vector<std::string> ids;
  for (auto& l : layers) ids.push_back(l.diff_id);
  std::string cfg = config ? *config : config_json(ids);
  add_blob(cfg);
  std::string m = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
                  R"("artifactType":"application/vnd.cncf.model.manifest.v1+json","config":)" +
                  descriptor("application/vnd.cncf.model.config.v1+json", cfg) + ",\"layers\":[";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    add_blob(layers[i].blob);
    m += i ? "," : "";
    m += descriptor(layers[i].media_type, layers[i].blob, layers[i].annotations);
  }
  return m + "]}";
}

std::string LayoutBuilder::add_manifest(const std::vector<Layer>& layers, const std::string& ref,
                                        std::optional<std::string> config) {
  return add_manifest_text(manifest_json(layers, std::move(config)), ref);
}

std::string LayoutBuilder::add_manifest_text(const std::string& manifest, const std::string& ref,
                                             std::string media_type) {
  add_blob(manifest);
  std::map<std::string, std::string> ann;
  if (!ref.empty()) ann["org.opencontainers.image.ref.name"] = ref;
  index_entries_.push_back(descriptor(media_type, manifest, ann));
  return sha256_of(manifest);
}

void LayoutBuilder::finish(std::optional<std::string> index_override,
                           std::optional<std::string> layout_override) {
  std::string list;
  for (auto& e : index_entries_) {
    list += list.empty() ? "" : ",";
    list += e;
  }
  write_file(
      dir_ / "index.json",
      index_override
          ? *index_override
          : R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
                list + "]}");
  write_file(dir_ / "oci-layout",
             layout_override ? *layout_override : R"({"imageLayoutVersion":"1.0.0"})");
}

void pack_directory(const fs::path& dir, const fs::path& tar, Compression c) {
  std::vector<fs::path> files;
  for (auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  if (c == Compression::Gzip) archive_write_add_filter_gzip(a);
  if (c == Compression::Zstd) archive_write_add_filter_zstd(a);
  archive_write_open_filename(a, tar.c_str());
  for (auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, fs::relative(f, dir).string().c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
    archive_write_header(a, e);
    archive_write_data(a, bytes.data(), bytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
}

std::expected<std::size_t, std::string> MemoryStream::read(std::span<unsigned char> buf) {
  std::size_t n = std::min({buf.size(), piece_, bytes_.size() - pos_});
  std::copy_n(bytes_.data() + pos_, n, buf.data());
  pos_ += n;
  return n;
}

CommandResult run_command(const std::string& command_line) {
  CommandResult r;
  FILE* p = popen(command_line.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

}  // namespace mpcheck::test
