#include "mpcheck/validator/artifact_validator.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>

#include "mpcheck/validator/blob_hasher.hpp"
#include "mpcheck/validator/media_types.hpp"
#include "mpcheck/validator/rule_catalog.hpp"

namespace mpcheck {
namespace {

constexpr std::string_view kRefNameAnnotation = "org.opencontainers.image.ref.name";

struct DescriptorInfo {
  std::string media_type;
  std::string digest_text;
  std::optional<Digest> digest;  // none when the digest is missing or malformed (lint says why)
  std::optional<std::uint64_t> size;
  std::optional<std::string> ref_name, filepath, file_metadata;
};

std::optional<std::string> string_member(const rapidjson::Value& obj, std::string_view name) {
  if (!obj.IsObject()) return std::nullopt;
  auto it = obj.FindMember(rapidjson::StringRef(name.data(), name.size()));
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

DescriptorInfo read_descriptor(const rapidjson::Value& v) {
  DescriptorInfo d;
  if (!v.IsObject()) return d;
  d.media_type = string_member(v, "mediaType").value_or("");
  if (auto s = string_member(v, "digest")) {
    d.digest_text = *s;
    if (auto p = parse_digest(*s)) d.digest = *p;
  }
  if (auto it = v.FindMember("size"); it != v.MemberEnd() && it->value.IsUint64())
    d.size = it->value.GetUint64();
  if (auto it = v.FindMember("annotations"); it != v.MemberEnd() && it->value.IsObject()) {
    d.ref_name = string_member(it->value, kRefNameAnnotation);
    d.filepath = string_member(it->value, kAnnotationFilepath);
    d.file_metadata = string_member(it->value, kAnnotationFileMetadata);
  }
  return d;
}

struct Context {
  ArtifactSource& source;
  const ValidateOptions& options;
  std::string_view spec;
};

Diagnostic diag(const Context& ctx, std::string_view rule, std::string message, std::string pointer,
                Location where) {
  auto d = make_diagnostic(rule, std::move(message), std::move(pointer), ctx.spec);
  d.where = std::move(where);
  return d;
}

// " is missing: why", or " is not read: why" for a name that is not a regular file.
std::string missing_or_unread(const SourceError& e) {
  return (e.kind == SourceError::NotRegular ? " is not read: " : " is missing: ") + e.message;
}

// Reads a manifest or config blob whole (bounded), checking its size and digest on the way.
std::optional<std::string> read_document_blob(const Context& ctx, const DescriptorInfo& desc,
                                              const std::string& pointer, const Location& where,
                                              std::vector<Diagnostic>& out) {
  if (!desc.digest) return std::nullopt;
  auto size = ctx.source.blob_size(*desc.digest);
  if (!size) {
    out.push_back(diag(ctx, "MPA004", "blob " + desc.digest_text + missing_or_unread(size.error()),
                       pointer + "/digest", where));
    return std::nullopt;
  }
  if (desc.size && *desc.size != *size)
    out.push_back(diag(ctx, "MPA005",
                       "blob " + desc.digest_text + " is " + std::to_string(*size) +
                           " bytes; the descriptor says " + std::to_string(*desc.size),
                       pointer + "/size", where));
  if (*size > kMaxDocumentBytes) {
    out.push_back(diag(ctx, "MPJ007",
                       "blob " + desc.digest_text + " is " + std::to_string(*size) +
                           " bytes; documents are read up to " + std::to_string(kMaxDocumentBytes) +
                           " bytes",
                       pointer, where));
    return std::nullopt;
  }
  auto stream = ctx.source.open_blob(*desc.digest);
  if (!stream) {
    out.push_back(diag(ctx, "MPA004",
                       "blob " + desc.digest_text + " cannot be read: " + stream.error().message,
                       pointer + "/digest", where));
    return std::nullopt;
  }
  std::string bytes;
  std::vector<unsigned char> buf(1 << 16);
  while (bytes.size() <= kMaxDocumentBytes) {
    auto n = (*stream)->read(buf);
    if (!n) {
      out.push_back(diag(ctx, "MPA004",
                         "blob " + desc.digest_text + " cannot be read: " + n.error(),
                         pointer + "/digest", where));
      return std::nullopt;
    }
    if (*n == 0) break;
    bytes.append(reinterpret_cast<const char*>(buf.data()), *n);
  }
  if (auto h = BlobHasher::create(desc.digest->algorithm)) {
    h->update({reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()});
    auto seen = h->finish();
    if (seen != desc.digest->str())
      out.push_back(diag(ctx, "MPA006",
                         "blob content hashes to " + seen + ", not " + desc.digest_text,
                         pointer + "/digest", where));
  } else {
    out.push_back(diag(ctx, "MPA010",
                       "blob " + desc.digest_text + " uses " + desc.digest->algorithm +
                           ", which mpcheck cannot compute; its content is not verified",
                       pointer + "/digest", where));
  }
  return bytes;
}

// Parses a blob's text; hygiene findings are located in it.
std::unique_ptr<JsonDocument> parse_blob(const Context& ctx, std::string text,
                                         const Location& where, std::vector<Diagnostic>& out) {
  JsonLimits limits;
  limits.max_bytes = kMaxDocumentBytes;
  auto parsed = parse_json(std::move(text), limits);
  for (auto& d : parsed.diagnostics) {
    if (const Rule* r = find_rule(d.rule)) d.spec = spec_link(*r, ctx.spec);
    d.where = where;
    out.push_back(std::move(d));
  }
  return std::move(parsed.document);
}

void add_located(std::vector<Diagnostic>& out, std::vector<Diagnostic> diags,
                 const Location& where) {
  for (auto& d : diags) {
    d.where = where;
    out.push_back(std::move(d));
  }
}

struct LayerTask {
  std::size_t manifest = 0;
  std::size_t index = 0;
  DescriptorInfo desc;
  std::optional<std::string> diff_id;  // expected, from the config
  std::string diff_id_algorithm = "sha256";
  std::string config_digest;
};

// One read of a layer blob; shared by every manifest that lists the same layer the same way.
struct LayerRead {
  std::optional<std::string> missing;  // the blob could not be opened or read (MPA004)
  bool compressed = false;
  LayerReport report;
};

std::string layer_key(const LayerTask& t) {
  auto opt = [](const std::optional<std::string>& s) { return s ? "+" + *s : std::string("-"); };
  std::string key = t.desc.digest_text;
  for (const std::string& part :
       {t.desc.media_type, t.diff_id_algorithm, opt(t.desc.filepath), opt(t.desc.file_metadata)}) {
    key.push_back('\0');
    key += part;
  }
  return key;
}

LayerRead read_layer(const Context& ctx, const LayerTask& task,
                     std::atomic<std::uint64_t>& progress) {
  LayerRead out;
  const auto& desc = task.desc;
  auto size = ctx.source.blob_size(*desc.digest);
  if (!size) {
    out.missing = "layer blob " + desc.digest_text + missing_or_unread(size.error());
    return out;
  }
  auto stream = ctx.source.open_blob(*desc.digest);
  if (!stream) {
    out.missing = "layer blob " + desc.digest_text + " cannot be read: " + stream.error().message;
    return out;
  }
  LayerInput input;
  input.media_type = find_layer_media_type(desc.media_type);
  input.blob_algorithm = desc.digest->algorithm;
  input.diff_id_algorithm = task.diff_id_algorithm;
  input.blob_size = *size;
  input.filepath = desc.filepath;
  input.file_metadata = desc.file_metadata;
  out.compressed = input.media_type && (input.media_type->format == LayerFormat::TarGzip ||
                                        input.media_type->format == LayerFormat::TarZstd);
  out.report = inspect_layer(**stream, input, ctx.options.limits, &progress);
  if (out.report.read_error)
    out.missing = "layer blob " + desc.digest_text + " cannot be read: " + *out.report.read_error;
  return out;
}

// The findings of one manifest's layer, from the read of its blob.
std::vector<Diagnostic> judge_layer(const Context& ctx, const LayerTask& task,
                                    const LayerRead& read, const std::string& manifest_digest) {
  std::vector<Diagnostic> out;
  const auto& desc = task.desc;
  const auto& report = read.report;
  Location where{manifest_digest, task.index, desc.digest_text, "", ""};
  std::string ptr = "/layers/" + std::to_string(task.index);
  if (read.missing) {
    out.push_back(diag(ctx, "MPA004", *read.missing, ptr + "/digest", where));
    return out;
  }
  if (desc.size && *desc.size != report.blob_bytes)
    out.push_back(diag(ctx, "MPA005",
                       "layer blob is " + std::to_string(report.blob_bytes) +
                           " bytes; the descriptor says " + std::to_string(*desc.size),
                       ptr + "/size", where));
  if (!report.blob_digest)
    out.push_back(diag(ctx, "MPA010",
                       "layer digest uses " + desc.digest->algorithm +
                           ", which mpcheck cannot compute; its content is not verified",
                       ptr + "/digest", where));
  else if (*report.blob_digest != desc.digest->str())
    out.push_back(diag(ctx, "MPA006",
                       "layer blob hashes to " + *report.blob_digest + ", not " + desc.digest_text,
                       ptr + "/digest", where));
  for (auto d : report.diagnostics) {
    d.where.manifest_digest = manifest_digest;
    d.where.layer_index = task.index;
    d.where.layer_digest = desc.digest_text;
    if (const Rule* r = find_rule(d.rule)) d.spec = spec_link(*r, ctx.spec);
    out.push_back(std::move(d));
  }
  if (task.diff_id && report.diff_id && *report.diff_id != *task.diff_id) {
    Location w = where;
    w.blob = task.config_digest;
    out.push_back(
        diag(ctx, "MPA009",
             "modelfs.diffIds[" + std::to_string(task.index) + "] is " + *task.diff_id +
                 " but the layer's " +
                 (read.compressed ? "decompressed content hashes to " : "content hashes to ") +
                 *report.diff_id,
             "/modelfs/diffIds/" + std::to_string(task.index), w));
  }
  return out;
}

struct Selected {
  DescriptorInfo desc;
  std::size_t position = 0;  // in index.json manifests
  std::string ref_names;
};

// Checks the manifest and its config; returns the layer tasks to run.
std::vector<LayerTask> check_manifest_blobs(const Context& ctx, const Selected& sel,
                                            std::size_t manifest_no, ManifestResult& result) {
  std::vector<LayerTask> tasks;
  auto& out = result.diagnostics;
  Location index_where{result.digest, std::nullopt, "", "", "index.json"};
  auto text = read_document_blob(ctx, sel.desc, "/manifests/" + std::to_string(sel.position),
                                 index_where, out);
  if (!text) return tasks;
  Location mwhere{result.digest, std::nullopt, "", "", result.digest};
  auto doc = parse_blob(ctx, std::move(*text), mwhere, out);
  if (!doc) return tasks;
  add_located(out, check_manifest(*doc, ctx.options.spec), mwhere);
  const auto& root = doc->root();
  if (!root.IsObject()) return tasks;

  std::vector<DescriptorInfo> layers;
  if (auto it = root.FindMember("layers"); it != root.MemberEnd() && it->value.IsArray())
    for (const auto& l : it->value.GetArray()) layers.push_back(read_descriptor(l));

  std::optional<std::vector<std::optional<std::string>>> diff_ids;
  std::string config_digest;
  if (auto it = root.FindMember("config"); it != root.MemberEnd() && it->value.IsObject()) {
    auto cdesc = read_descriptor(it->value);
    config_digest = cdesc.digest_text;
    if (auto ctext = read_document_blob(ctx, cdesc, "/config", mwhere, out)) {
      Location cwhere{result.digest, std::nullopt, "", "", cdesc.digest_text};
      if (auto cdoc = parse_blob(ctx, std::move(*ctext), cwhere, out)) {
        const auto& c = cdoc->root();
        std::string why;
        if (!c.IsObject())
          why = "is a JSON " + std::string(json_type_name(c)) + ", not a model config object";
        else if (detect_kind(c) == DocumentKind::Manifest)
          why = "is an image manifest, not a model config";
        else if (c.HasMember("rootfs"))
          why = "is an OCI image config (it has rootfs), not a model config";
        // An empty object under the model config type lacks every REQUIRED member: one MPA012
        // says so (manifest lint already did for the well-known empty blob's digest), instead
        // of a schema error per member.
        bool empty_model_config =
            c.IsObject() && c.MemberCount() == 0 && cdesc.media_type == kModelConfigMediaType;
        if (!why.empty()) {
          out.push_back(diag(ctx, "MPA007", "config blob " + cdesc.digest_text + " " + why,
                             "/config", mwhere));
        } else if (empty_model_config) {
          if (cdesc.digest_text != kEmptyJsonDigest)
            out.push_back(diag(ctx, "MPA012",
                               "config blob " + cdesc.digest_text +
                                   " is the empty JSON object {}; a config of type " +
                                   std::string(kModelConfigMediaType) +
                                   " must hold the REQUIRED descriptor, config and modelfs",
                               "/config", mwhere));
        } else {
          add_located(out, check_config(*cdoc, ctx.options.spec), cwhere);
          auto mfs = c.FindMember("modelfs");
          if (mfs != c.MemberEnd() && mfs->value.IsObject()) {
            auto ids = mfs->value.FindMember("diffIds");
            if (ids != mfs->value.MemberEnd() && ids->value.IsArray()) {
              diff_ids.emplace();
              for (const auto& v : ids->value.GetArray())
                diff_ids->push_back(v.IsString() ? std::optional<std::string>(std::string(
                                                       v.GetString(), v.GetStringLength()))
                                                 : std::nullopt);
              if (diff_ids->size() != layers.size())
                out.push_back(diag(ctx, "MPA008",
                                   "modelfs.diffIds has " + std::to_string(diff_ids->size()) +
                                       " entries but the manifest has " +
                                       std::to_string(layers.size()) + " layers",
                                   "/modelfs/diffIds", cwhere));
            }
          }
        }
      }
    }
  }

  for (std::size_t i = 0; i < layers.size(); ++i) {
    LayerTask t;
    t.manifest = manifest_no;
    t.index = i;
    t.desc = layers[i];
    t.config_digest = config_digest;
    if (diff_ids && i < diff_ids->size() && (*diff_ids)[i]) {
      if (auto d = parse_digest(*(*diff_ids)[i])) {
        if (BlobHasher::create(d->algorithm)) {
          t.diff_id = d->str();
          t.diff_id_algorithm = d->algorithm;
        } else {
          Location w{result.digest, i, layers[i].digest_text, "", config_digest};
          out.push_back(diag(
              ctx, "MPA010",
              "diffId uses " + d->algorithm + ", which mpcheck cannot compute; it is not verified",
              "/modelfs/diffIds/" + std::to_string(i), w));
        }
      }
    }
    tasks.push_back(std::move(t));
  }
  return tasks;
}

}  // namespace

std::expected<ValidateResult, std::string> validate_artifact(ArtifactSource& source,
                                                             const ValidateOptions& options) {
  ValidateResult result;
  Context ctx{source, options, to_string(options.spec)};
  auto& lout = result.layout_diagnostics;

  for (auto& f : source.structure_findings())
    lout.push_back(diag(ctx, f.rule, std::move(f.message), "",
                        Location{"", std::nullopt, "", std::move(f.entry), ""}));

  // oci-layout and index.json (image-layout.md#content).
  Location lwhere{"", std::nullopt, "", "", "oci-layout"};
  if (auto text = source.read_layout_file(LayoutFile::OciLayout, kMaxDocumentBytes); !text) {
    if (text.error().kind == SourceError::Missing)
      lout.push_back(
          diag(ctx, "MPA001", "oci-layout is missing; a layout must have one", "", lwhere));
    else if (text.error().kind == SourceError::NotRegular)
      lout.push_back(diag(ctx, "MPA001", text.error().message + "; not read", "", lwhere));
    else
      return std::unexpected(text.error().message);
  } else if (auto doc = parse_blob(ctx, std::move(*text), lwhere, lout)) {
    auto diags = schema_diagnostics(*doc, schema::SchemaId::ImageLayout, "MPA001", options.spec);
    doc->locate(diags);
    add_located(lout, std::move(diags), lwhere);
  }
  Location iwhere{"", std::nullopt, "", "", "index.json"};
  auto itext = source.read_layout_file(LayoutFile::IndexJson, kMaxDocumentBytes);
  if (!itext) {
    if (itext.error().kind == SourceError::Io) return std::unexpected(itext.error().message);
    lout.push_back(diag(ctx, "MPA002",
                        itext.error().kind == SourceError::NotRegular
                            ? itext.error().message + "; not read"
                            : "index.json is missing; a layout must have one",
                        "", iwhere));
    return result;
  }
  auto index = parse_blob(ctx, std::move(*itext), iwhere, lout);
  if (!index) return result;
  {
    auto diags = schema_diagnostics(*index, schema::SchemaId::ImageIndex, "MPA002", options.spec);
    index->locate(diags);
    add_located(lout, std::move(diags), iwhere);
  }

  // The manifests to validate.
  std::vector<Selected> selected;
  const auto& iroot = index->root();
  bool ref_matched = false;
  if (iroot.IsObject()) {
    auto it = iroot.FindMember("manifests");
    if (it != iroot.MemberEnd() && it->value.IsArray()) {
      const auto& arr = it->value;
      for (rapidjson::SizeType i = 0; i < arr.Size(); ++i) {
        auto desc = read_descriptor(arr[i]);
        if (desc.digest_text.empty()) continue;  // the schema reports it
        if (!options.ref.empty() && desc.ref_name.value_or("") != options.ref &&
            desc.digest_text != options.ref)
          continue;
        ref_matched = true;
        if (desc.media_type != kOciManifestMediaType) {
          lout.push_back(diag(ctx, "MPA011",
                              "manifests[" + std::to_string(i) + "] has mediaType \"" +
                                  desc.media_type + "\"; only image manifests are validated",
                              "/manifests/" + std::to_string(i) + "/mediaType", iwhere));
          continue;
        }
        auto same = std::find_if(selected.begin(), selected.end(), [&](const Selected& s) {
          return s.desc.digest_text == desc.digest_text;
        });
        if (same != selected.end()) {  // one manifest under several tags: validate it once
          if (desc.ref_name)
            same->ref_names += (same->ref_names.empty() ? "" : ", ") + *desc.ref_name;
          continue;
        }
        std::string refs = desc.ref_name.value_or("");
        selected.push_back({std::move(desc), i, std::move(refs)});
      }
    }
  }
  if (!options.ref.empty() && !ref_matched)
    return std::unexpected("no entry of index.json has the ref name or digest \"" + options.ref +
                           "\"");
  if (selected.empty() && options.ref.empty())
    lout.push_back(diag(ctx, "MPA003", "index.json lists no image manifest", "/manifests", iwhere));

  std::vector<LayerTask> tasks;
  for (std::size_t m = 0; m < selected.size(); ++m) {
    ManifestResult mr;
    mr.digest = selected[m].desc.digest_text;
    mr.ref_name = selected[m].ref_names;
    auto t = check_manifest_blobs(ctx, selected[m], m, mr);
    result.manifests.push_back(std::move(mr));
    for (auto& x : t) tasks.push_back(std::move(x));
  }

  // Each distinct layer is read once, in parallel; findings merged in manifest and layer order.
  std::vector<std::size_t> read_of(tasks.size());
  std::vector<const LayerTask*> unique;
  {
    std::map<std::string, std::size_t> seen;
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      if (!tasks[i].desc.digest) continue;  // lint reports the malformed digest
      auto [it, fresh] = seen.emplace(layer_key(tasks[i]), unique.size());
      if (fresh) unique.push_back(&tasks[i]);
      read_of[i] = it->second;
    }
  }
  ValidateProgress prog;
  prog.layers_total = unique.size();
  for (auto* t : unique)
    if (auto s = source.blob_size(*t->desc.digest)) prog.bytes_total += *s;
  std::vector<LayerRead> reads(unique.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<std::uint64_t> bytes{0};
  std::mutex error_mutex;
  std::string internal_error;
  auto worker = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < unique.size();) {
      try {
        reads[i] = read_layer(ctx, *unique[i], bytes);
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mutex);
        internal_error = e.what();
      }
      done.fetch_add(1);
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs =
      static_cast<unsigned>(std::min<std::size_t>(jobs, std::max<std::size_t>(unique.size(), 1)));
  std::vector<std::thread> pool;
  for (unsigned j = 1; j < jobs; ++j) pool.emplace_back(worker);
  if (options.progress) {
    // The calling thread reports progress while the pool reads.
    std::thread last(worker);
    while (done.load() < unique.size()) {
      prog.bytes_read = bytes.load();
      prog.layers_done = done.load();
      options.progress(prog);
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    last.join();
    prog.bytes_read = bytes.load();
    prog.layers_done = done.load();
    options.progress(prog);
  } else {
    worker();
  }
  for (auto& t : pool) t.join();
  if (!internal_error.empty()) throw std::runtime_error(internal_error);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (!tasks[i].desc.digest) continue;
    auto& m = result.manifests[tasks[i].manifest];
    for (auto& d : judge_layer(ctx, tasks[i], reads[read_of[i]], m.digest))
      m.diagnostics.push_back(std::move(d));
  }
  return result;
}

}  // namespace mpcheck
