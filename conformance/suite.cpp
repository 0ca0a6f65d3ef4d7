// The conformance suite. Cases run in a fixed order, later ones using what earlier ones pushed;
// each records the exchanges it made (see Recorder) and ends as pass, fail or skip. An optional
// feature the registry lacks is a skip "not supported", never a failure.
#include "mpcheck/conformance/suite.hpp"

#include <fnmatch.h>
#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <set>
#include <sstream>

#include "mpcheck/conformance/conformance_case.hpp"
#include "mpcheck/conformance/content_hasher.hpp"
#include "mpcheck/conformance/endpoint_probe.hpp"
#include "mpcheck/conformance/registry_client.hpp"
#include "mpcheck/conformance/registry_source.hpp"
#include "mpcheck/fixtures/content_pattern.hpp"
#include "mpcheck/fixtures/generator.hpp"
#include "mpcheck/reports/redact.hpp"
#include "mpcheck/reports/report_dir.hpp"
#include "mpcheck/validator/media_types.hpp"
#include "mpcheck/validator/report_finding.hpp"

namespace mpcheck::conformance {
namespace {

namespace fs = std::filesystem;
using reports::Status;

constexpr std::string_view kSignatureType = "application/vnd.example.signature+json";
// The blob the chunked case pushes: a few chunks of kChunkBytes (or OCI-Chunk-Min-Length).
constexpr std::uint64_t kChunkBytes = 256 * 1024;
constexpr std::uint64_t kChunkedBlobBytes = 3 * kChunkBytes + 4321;
// How often a long transfer reports its progress.
constexpr std::chrono::seconds kProgressInterval{5};
// Read buffer for pushing files and generated blobs.
constexpr std::size_t kIoBufferBytes = 1 << 20;

struct Outcome {
  Status status = Status::Pass;
  std::string message;
  std::string details;
  std::vector<reports::Finding> findings;
};
Outcome pass(std::string m = {}) {
  return {Status::Pass, std::move(m), {}, {}};
}
Outcome fail(std::string m, std::string d = {}) {
  return {Status::Fail, std::move(m), std::move(d), {}};
}
Outcome skip(std::string m) {
  return {Status::Skip, std::move(m), {}, {}};
}

struct Blob {
  std::string digest;
  std::uint64_t size = 0;
  fs::path file;
};

// A valid fixture as pushed: manifest bytes and the blobs it names (config first).
struct Artifact {
  std::string name;
  std::string tag;
  std::string manifest;
  std::string media_type;
  std::string digest;
  std::string artifact_type;
  std::vector<Blob> blobs;
};

std::string lower_tag(std::string tag) {
  for (auto& c : tag)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) c = '-';
  if (tag.size() > 128) tag.resize(128);
  return tag;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path blob_path(const fs::path& layout, std::string_view digest) {
  auto colon = digest.find(':');
  return layout / "blobs" / std::string(digest.substr(0, colon)) /
         std::string(digest.substr(colon + 1));
}

// The artifact for one corpus entry of a generated layout.
std::expected<Artifact, std::string> load_artifact(const fs::path& corpus_dir,
                                                   const fixtures::CorpusEntry& entry) {
  fs::path layout = corpus_dir / entry.path;
  rapidjson::Document index;
  auto index_text = read_file(layout / "index.json");
  index.Parse(index_text.c_str(), index_text.size());
  if (index.HasParseError() || !index.IsObject() || !index.HasMember("manifests"))
    return std::unexpected(entry.name + ": index.json unreadable");
  for (const auto& d : index["manifests"].GetArray()) {
    std::string ref;
    if (d.HasMember("annotations") &&
        d["annotations"].HasMember("org.opencontainers.image.ref.name"))
      ref = d["annotations"]["org.opencontainers.image.ref.name"].GetString();
    if (!entry.ref.empty() && ref != entry.ref) continue;
    Artifact a;
    a.name = entry.name + (entry.ref.empty() ? "" : ":" + entry.ref);
    a.tag = lower_tag(entry.name + (entry.ref.empty() ? "" : "-" + entry.ref));
    a.digest = d["digest"].GetString();
    a.media_type = d["mediaType"].GetString();
    a.manifest = read_file(blob_path(layout, a.digest));
    rapidjson::Document m;
    m.Parse(a.manifest.c_str(), a.manifest.size());
    if (m.HasParseError() || !m.IsObject())
      return std::unexpected(a.name + ": manifest unreadable");
    if (m.HasMember("artifactType") && m["artifactType"].IsString())
      a.artifact_type = m["artifactType"].GetString();
    auto add = [&](const rapidjson::Value& desc) {
      std::string digest = desc["digest"].GetString();
      auto size = desc["size"].GetUint64();
      if (std::none_of(a.blobs.begin(), a.blobs.end(),
                       [&](const Blob& b) { return b.digest == digest; }))
        a.blobs.push_back({digest, size, blob_path(layout, digest)});
    };
    add(m["config"]);
    for (const auto& l : m["layers"].GetArray()) add(l);
    return a;
  }
  return std::unexpected(entry.name + ": no manifest for ref " + entry.ref);
}

struct FileReader {
  std::shared_ptr<std::ifstream> in;
  std::ptrdiff_t operator()(char* buf, std::size_t cap) {
    in->read(buf, static_cast<std::streamsize>(cap));
    if (in->bad()) return -1;
    return static_cast<std::ptrdiff_t>(in->gcount());
  }
};
BodyReader file_reader(const fs::path& path) {
  return FileReader{std::make_shared<std::ifstream>(path, std::ios::binary)};
}
BodyReader string_reader(std::shared_ptr<std::string> bytes) {
  auto pos = std::make_shared<std::size_t>(0);
  return [bytes, pos](char* buf, std::size_t cap) -> std::ptrdiff_t {
    std::size_t n = std::min(cap, bytes->size() - *pos);
    std::copy_n(bytes->data() + *pos, n, buf);
    *pos += n;
    return static_cast<std::ptrdiff_t>(n);
  };
}
// The bytes of `pattern` over [0, size), produced on demand.
BodyReader pattern_reader(fixtures::ContentPattern pattern, std::uint64_t size) {
  auto offset = std::make_shared<std::uint64_t>(0);
  return [pattern, size, offset](char* buf, std::size_t cap) -> std::ptrdiff_t {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(cap, size - *offset));
    pattern.fill(*offset, std::span<char>(buf, n));
    *offset += n;
    return static_cast<std::ptrdiff_t>(n);
  };
}
std::string pattern_digest(const fixtures::ContentPattern& pattern, std::uint64_t size) {
  auto hasher = ContentHasher::create("sha256");
  std::vector<char> buf(kIoBufferBytes);
  for (std::uint64_t off = 0; off < size;) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size - off));
    pattern.fill(off, std::span<char>(buf.data(), n));
    hasher->update(buf.data(), n);
    off += n;
  }
  return hasher->finish();
}

std::string random_hex(std::size_t n) {
  std::random_device rd;
  std::mt19937_64 gen(rd());
  std::string s;
  while (s.size() < n) s += "0123456789abcdef"[gen() % 16];
  return s;
}

std::string fields_text(const HeaderFields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) out += k + ": " + v + "\n";
  return out;
}

reports::Exchange to_exchange(const TranscriptEntry& e) {
  reports::Exchange x;
  x.request = reports::redact(e.method + " " + e.url + "\n" + fields_text(e.request_headers));
  if (!e.transport_error.empty()) {
    x.response = reports::redact("(no response: " + e.transport_error + ")");
    return x;
  }
  std::string response =
      "HTTP " + std::to_string(e.status) + "\n" + fields_text(e.response_headers);
  if (!e.body_excerpt.empty())
    response += "\n" + e.body_excerpt + (e.body_truncated ? "\n[... truncated]" : "");
  x.response = reports::redact(response);
  return x;
}

std::string describe(const RegistryError& e) {
  return reports::redact(e.describe());
}

// Compares the parts of two manifests a model consumer relies on, for a precise message when
// the bytes differ.
std::string manifest_difference(const std::string& sent, const std::string& got) {
  rapidjson::Document a, b;
  a.Parse(sent.c_str(), sent.size());
  b.Parse(got.c_str(), got.size());
  if (b.HasParseError() || !b.IsObject()) return "the served manifest is not a JSON object";
  auto member = [](const rapidjson::Document& d, const char* name) -> const rapidjson::Value* {
    auto it = d.FindMember(name);
    return it == d.MemberEnd() ? nullptr : &it->value;
  };
  for (const char* name : {"artifactType", "annotations", "layers", "config", "subject"}) {
    auto* x = member(a, name);
    auto* y = member(b, name);
    if ((x == nullptr) != (y == nullptr) || (x && *x != *y))
      return std::string(name) + " differs from what was pushed";
  }
  return "the bytes differ from what was pushed (same fields, different serialization)";
}

class SuiteRunner {
 public:
  explicit SuiteRunner(const SuiteOptions& options) : opt_(options), s_(options.settings) {
    cfg_ = registry_config(s_, options.credentials);
    cfg_.transcript = [this](const TranscriptEntry& e) { record(e); };
    client_ = std::make_unique<RegistryClient>(cfg_);
    run_.tool_version = options.tool_version;
    run_.command = "conformance";
    run_.spec = "distribution-spec v1.1";
    run_.configuration = redacted_configuration(s_);
  }

  std::expected<reports::Run, std::string> run() {
    // Whether the run can happen at all is decided before any case: a TLS mismatch, a
    // certificate that does not verify or a server that is no registry is "could not run".
    if (auto reachable = probe_endpoint(cfg_); !reachable)
      return std::unexpected(reachable.error());
    if (s_.read_only) {
      if (auto refs = check_refs_exist(); !refs) return std::unexpected(refs.error());
    } else {
      fixtures_ = load_fixtures();
    }
    // A dry pass lists every case this run would have, so a --only that selects none is a
    // usage error instead of an empty "conformant".
    listing_ = true;
    cases();
    listing_ = false;
    run_.suites.clear();
    if (std::none_of(listed_.begin(), listed_.end(),
                     [&](const std::string& name) { return selected(name); })) {
      std::string names;
      for (const auto& n : listed_) names += (names.empty() ? "" : ", ") + n;
      return std::unexpected("--only \"" + s_.only + "\" matches no case; the cases are: " + names);
    }
    cases();
    std::error_code ec;
    if (!corpus_dir_.empty()) fs::remove_all(corpus_dir_, ec);
    return std::move(run_);
  }

 private:
  void cases() {
    auto& base = suite("base", "api");
    run_case(base, "base/ping", [&] { return ping(); });
    run_case(base, "base/auth", [&] { return auth(); });
    if (s_.read_only)
      read_only_cases();
    else
      read_write_cases();
  }

  // Read-only references must name manifests the registry has: a missing one is a wrong --ref,
  // not a registry defect.
  std::expected<void, std::string> check_refs_exist() {
    for (const auto& ref : s_.refs) {
      auto [repo, reference] = split_ref(ref);
      auto h = client_->head_manifest(repo, reference);
      if (h) continue;
      long status = h.error().http_status;
      if (status == 404)
        return std::unexpected("--ref " + ref + ": the registry has no manifest " + repo +
                               (reference.find(':') != std::string::npos ? "@" : ":") + reference +
                               " (HEAD answered 404); check the reference");
      if (status == 0) return std::unexpected("--ref " + ref + ": " + describe(h.error()));
    }
    return {};
  }

  std::pair<std::string, std::string> split_ref(const std::string& ref) const {
    if (auto at = ref.find('@'); at != std::string::npos)
      return {ref.substr(0, at), ref.substr(at + 1)};
    if (auto colon = ref.rfind(':'); colon != std::string::npos)
      return {ref.substr(0, colon), ref.substr(colon + 1)};
    return {s_.repo, ref};
  }

  // --- machinery ---------------------------------------------------------------------------
  void record(const TranscriptEntry& e) {
    std::lock_guard lock(transcript_mutex_);
    if (current_.size() < kMaxExchangesPerCase)
      current_.push_back(to_exchange(e));
    else
      ++dropped_;
  }

  reports::Suite& suite(const std::string& name, const std::string& kind) {
    run_.suites.push_back({name, s_.registry + "/" + s_.repo, kind, {}});
    return run_.suites.back();
  }

  bool selected(const std::string& name) const {
    std::string_view globs = s_.only;
    while (true) {
      auto comma = globs.find(',');
      std::string glob(globs.substr(0, comma));
      if (fnmatch(glob.c_str(), name.c_str(), 0) == 0) return true;
      if (comma == std::string_view::npos) return false;
      globs.remove_prefix(comma + 1);
    }
  }

  // Runs `fn` as case `name`. Unselected cases do not run, except `setup` ones (pushes later
  // cases need), which run unreported. After an authentication failure everything is skipped.
  bool run_case(reports::Suite& suite, const std::string& name, const std::function<Outcome()>& fn,
                bool setup = false) {
    // Every case is registered (conformance_cases.cpp): its status and spec come from there.
    const ConformanceCase* registered = find_conformance_case(name);
    if (!registered) throw std::logic_error("conformance case " + name + " is not registered");
    if (listing_) {
      listed_.push_back(name);
      return false;
    }
    bool report = selected(name);
    if (!report && !setup) return false;
    reports::Case c;
    c.name = name;
    c.required = registered->required;
    c.spec_links = {case_link(*registered)};
    {
      std::lock_guard lock(transcript_mutex_);
      current_.clear();
      dropped_ = 0;
    }
    auto start = std::chrono::steady_clock::now();
    Outcome o = halted_ ? skip("not run: " + halt_reason_) : fn();
    c.duration_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    c.status = o.status;
    c.message = reports::redact(o.message);
    c.details = reports::redact(o.details);
    c.findings = std::move(o.findings);
    {
      std::lock_guard lock(transcript_mutex_);
      c.transcript = std::move(current_);
      current_.clear();
      if (dropped_ > 0)
        c.details += (c.details.empty() ? "" : "\n") + std::to_string(dropped_) +
                     " more exchanges not recorded (limit " + std::to_string(kMaxExchangesPerCase) +
                     " per case)";
    }
    bool ok = o.status == Status::Pass;
    if (report && opt_.on_case) opt_.on_case(c);
    if (report) suite.cases.push_back(std::move(c));
    return ok;
  }

  // --- base ---------------------------------------------------------------------------------
  Outcome ping() {
    auto p = client_->ping();
    if (!p) {
      if (p.error().kind == RegistryError::Kind::Auth || p.error().http_status == 401 ||
          p.error().http_status == 403) {
        auth_failed_ = true;
      }
      return fail("GET /v2/ failed: " + describe(p.error()));
    }
    if (*p != 200) return fail("GET /v2/ answered " + std::to_string(*p) + "; expected 200");
    return pass("GET /v2/ answered 200");
  }

  Outcome auth() {
    if (auth_failed_) {  // every later case would fail the same way
      halted_ = true;
      halt_reason_ = "authentication failed";
      return fail(opt_.credentials ? "the registry rejected the credentials"
                                   : "the registry requires authentication; none were given");
    }
    RegistryConfig anon = cfg_;
    anon.credentials.reset();
    anon.max_retries = 0;
    RegistryClient anonymous(anon);
    auto p = anonymous.ping();
    if (p) return pass("the API is open to anonymous clients (GET /v2/ answered 200)");
    if (p.error().http_status == 401)
      return pass(std::string("anonymous GET /v2/ answered 401 with a challenge; ") +
                  (opt_.credentials ? "the credentials were accepted" : "no credentials given"));
    return fail("anonymous GET /v2/: " + describe(p.error()) + "; expected 200 or 401");
  }

  // --- read-write profile --------------------------------------------------------------------
  std::expected<void, std::string> load_fixtures() {
    auto specs = fixtures::corpus();
    if (!specs) return std::unexpected(specs.error());
    std::string tmpl = (fs::temp_directory_path() / "mpcheck-conformance-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) return std::unexpected("cannot create a temp dir");
    corpus_dir_ = tmpl;
    std::vector<std::string> names = opt_.fixtures;
    if (names.empty() && s_.profile == Profile::Quick) names = kQuickFixtures;
    for (const auto& spec : *specs) {
      if (spec.large) continue;
      if (!names.empty() && std::find(names.begin(), names.end(), spec.name) == names.end())
        continue;
      auto entries = fixtures::generate_fixture(spec, corpus_dir_);
      if (!entries) return std::unexpected(entries.error());
      for (const auto& e : *entries) {
        if (e.expect != fixtures::Expect::Valid) continue;
        auto a = load_artifact(corpus_dir_, e);
        if (!a) return std::unexpected(a.error());
        artifacts_.push_back(std::move(*a));
      }
    }
    if (artifacts_.empty()) return std::unexpected("no valid fixture selected");
    return {};
  }

  Outcome push_blobs(const Artifact& a, const std::string& method) {
    for (const auto& b : a.blobs) {
      Result<BlobPushed> r;
      if (method == "chunked")
        r = client_->push_blob_chunked(s_.repo, b.digest, b.size, file_reader(b.file), kChunkBytes);
      else if (method == "streamed")
        r = client_->push_blob_streamed(s_.repo, b.digest, file_reader(b.file));
      else
        r = client_->push_blob_monolithic(s_.repo, b.digest, b.size, file_reader(b.file));
      if (!r)
        return fail(a.name + ": " + method + " push of " + b.digest + ": " + describe(r.error()));
      if (r->status != 201)
        return fail(a.name + ": push of " + b.digest + " answered " + std::to_string(r->status) +
                    "; expected 201");
      if (r->digest && *r->digest != b.digest)
        return fail(a.name + ": Docker-Content-Digest " + *r->digest + " for " + b.digest);
    }
    return pass(a.name + ": " + std::to_string(a.blobs.size()) + " blobs pushed " + method);
  }

  Outcome check_blobs_exist(const Artifact& a) {
    for (const auto& b : a.blobs) {
      auto h = client_->head_blob(s_.repo, b.digest);
      if (!h) return fail("HEAD " + b.digest + " after the push: " + describe(h.error()));
    }
    return pass();
  }

  void read_write_cases() {
    auto& push = suite("push", "registry");
    if (!fixtures_) {
      run_case(push, "push/fixtures", [&] { return fail("fixtures: " + fixtures_.error()); });
      return;
    }
    // Blob uploads: the first fixture monolithic, the second chunked, the third streamed, the
    // rest monolithic again. Uploaded as setup so later cases have them under --only.
    std::vector<bool> blobs_pushed(artifacts_.size(), false);
    auto push_fixture_blobs = [&](std::size_t i, const std::string& method) {
      auto o = push_blobs(artifacts_[i], method);
      if (o.status == Status::Pass)
        if (auto exists = check_blobs_exist(artifacts_[i]); exists.status != Status::Pass)
          o = exists;
      blobs_pushed[i] = o.status == Status::Pass;
      return o;
    };
    run_case(
        push, "push/blob-monolithic", [&] { return push_fixture_blobs(0, "monolithic"); }, true);
    run_case(
        push, "push/blob-chunked",
        [&] {
          auto o = chunked_blob();
          if (o.status != Status::Pass || artifacts_.size() < 2) return o;
          auto f = push_fixture_blobs(1, "chunked");
          if (f.status != Status::Pass) return f;
          o.message += "; " + f.message;
          return o;
        },
        true);
    run_case(
        push, "push/blob-streamed",
        [&] {
          if (artifacts_.size() < 3) return streamed_blob();
          return push_fixture_blobs(2, "streamed");
        },
        true);
    for (std::size_t i = 0; i < artifacts_.size() && !listing_; ++i)
      if (!blobs_pushed[i]) push_fixture_blobs(i, "monolithic");
    run_case(push, "push/blob-single-post", [&] { return single_post(); });
    run_case(push, "push/mount", [&] { return mount(); });
    run_case(push, "push/upload-status", [&] { return upload_status(); });
    run_case(push, "push/upload-cancel", [&] { return upload_cancel(); });
    run_case(
        push, "push/manifest-by-tag", [&] { return push_manifests(); }, true);
    run_case(push, "push/manifest-by-digest", [&] { return push_manifest_by_digest(); });
    run_case(push, "push/blob-zero-byte", [&] { return zero_byte_blob(); });
    run_case(push, "push/blob-empty-json", [&] { return empty_json_blob(); });
    run_case(push, "push/blob-sha512", [&] { return sha512_blob(); });
    run_case(push, "push/chunk-out-of-order", [&] { return chunk_out_of_order(); });
    run_case(push, "push/manifest-custom-fields", [&] { return manifest_custom_fields(); });
    run_case(push, "push/manifest-subject-missing", [&] { return manifest_subject_missing(); });
    run_case(push, "push/manifest-1000-layers", [&] { return manifest_many_layers(); });
    run_case(push, "push/manifest-1mib-annotation", [&] { return manifest_large_annotation(); });
    run_case(push, "push/index-model-variants", [&] { return index_variants(); });
    run_case(push, "push/index-nested", [&] { return index_nested(); });
    run_case(push, "push/index-empty", [&] { return index_empty(); });

    auto& pull = suite("pull", "registry");
    run_case(pull, "pull/manifest-by-tag", [&] { return pull_manifests(false); });
    run_case(pull, "pull/manifest-by-digest", [&] { return pull_manifests(true); });
    run_case(pull, "pull/manifest-head", [&] { return head_manifests(); });
    run_case(pull, "pull/blob-head", [&] { return head_blobs(); });
    run_case(pull, "pull/blob-get", [&] { return get_blobs(); });
    run_case(pull, "pull/blob-range", [&] { return range(); });
    run_case(pull, "pull/large-layer", [&] { return large_layer(); });

    auto& validate = suite("validate", "artifact");
    for (const auto& a : artifacts_)
      run_case(validate, "validate/" + a.tag, [&] { return validate_pulled(a.tag, s_.repo); });

    auto& discovery = suite("discovery", "registry");
    run_case(discovery, "discovery/tags-list", [&] { return tags_list(); });
    run_case(discovery, "discovery/tags-order", [&] { return tags_order(); });
    run_case(discovery, "discovery/tags-pagination", [&] { return tags_pagination(); });
    run_case(discovery, "discovery/tags-unknown-repository",
             [&] { return tags_unknown_repository(); });

    auto& referrers = suite("referrers", "registry");
    run_case(
        referrers, "referrers/push-with-subject", [&] { return push_signature(); }, true);
    run_case(
        referrers, "referrers/api", [&] { return referrers_api(std::nullopt); }, true);
    run_case(referrers, "referrers/unknown-digest", [&] { return referrers_unknown_digest(); });
    run_case(referrers, "referrers/api-artifact-type-filter",
             [&] { return referrers_api(std::string(kSignatureType)); });
    run_case(referrers, "referrers/tag-schema-fallback", [&] { return tag_fallback(); });

    auto& errors = suite("errors", "registry");
    run_case(errors, "errors/blob-unknown", [&] { return blob_unknown(); });
    run_case(errors, "errors/manifest-unknown", [&] { return manifest_unknown(); });
    run_case(errors, "errors/digest-invalid", [&] { return digest_invalid(); });

    auto& management = suite("management", "registry");
    run_case(management, "management/delete-tag", [&] { return delete_tag(); });
    run_case(management, "management/delete-manifest", [&] { return delete_manifest(); });
    run_case(management, "management/delete-blob", [&] { return delete_blob(); });
  }

  // --- content a model registry must carry (issue: conformance breadth) ---------------------
  // Pushes `bytes` as a blob (POST then PUT) and reads it back; the digest uses `algorithm`.
  Outcome round_trip_blob(const std::string& what, const std::string& bytes,
                          const std::string& algorithm = "sha256") {
    auto digest = digest_of(algorithm, bytes);
    if (!digest) return fail("mpcheck cannot compute " + algorithm);
    auto pushed = client_->push_blob_monolithic(
        s_.repo, *digest, bytes.size(), string_reader(std::make_shared<std::string>(bytes)));
    if (!pushed) return fail(what + ": push of " + *digest + ": " + describe(pushed.error()));
    auto head = client_->head_blob(s_.repo, *digest);
    if (!head) return fail(what + ": HEAD after the push: " + describe(head.error()));
    if (head->size && *head->size != bytes.size())
      return fail(what + ": HEAD answered Content-Length " + std::to_string(*head->size) +
                  "; expected " + std::to_string(bytes.size()));
    std::string got;
    auto f = client_->get_blob(
        s_.repo, *digest,
        [&](const char* d, std::size_t n) {
          got.append(d, n);
          return true;
        },
        std::nullopt, bytes.size());
    if (!f) return fail(what + ": GET " + *digest + ": " + describe(f.error()));
    if (got != bytes) return fail(what + ": GET returned other bytes");
    return pass(what + " (" + *digest + ") pushed, found by HEAD and pulled back");
  }

  Outcome zero_byte_blob() { return round_trip_blob("a zero-byte blob", ""); }
  Outcome empty_json_blob() { return round_trip_blob("the empty JSON blob {}", "{}"); }
  Outcome sha512_blob() {
    auto o = round_trip_blob("a sha512 blob", "mpcheck sha512 content " + random_hex(16), "sha512");
    if (o.status == Status::Fail && o.message.find("push of") != std::string::npos)
      return skip("not supported: " + o.message);
    return o;
  }

  // A chunk whose Content-Range does not start where the last one ended: 416.
  Outcome chunk_out_of_order() {
    auto session = client_->start_upload(s_.repo);
    if (!session) return fail("POST: " + describe(session.error()));
    auto first = std::make_shared<std::string>(std::string(1024, 'a'));
    auto after = client_->upload_chunk(*session, string_reader(first), first->size());
    if (!after) return fail("first PATCH: " + describe(after.error()));
    UploadSession skipped = *after;
    skipped.offset += 512;  // leaves a gap of 512 bytes
    auto second = std::make_shared<std::string>(std::string(1024, 'b'));
    auto r = client_->upload_chunk(skipped, string_reader(second), second->size());
    client_->cancel_upload(*after);
    if (r) return fail("a chunk starting 512 bytes past the end of the upload was accepted");
    if (r.error().kind == RegistryError::Kind::Protocol && r.error().http_status == 0)
      return fail("a chunk starting 512 bytes past the end of the upload was appended (" +
                  describe(r.error()) + ")");
    if (r.error().http_status != 416)
      return fail("a chunk out of order: " + describe(r.error()) +
                  "; expected 416 Requested Range Not Satisfiable");
    return pass("a chunk out of order answered 416");
  }

  // PUTs `bytes` by tag, then GETs it by tag and by digest: the same bytes each time.
  Outcome round_trip_manifest(const std::string& what, const std::string& tag,
                              const std::string& bytes, const std::string& media_type) {
    auto put = client_->put_manifest(s_.repo, tag, bytes, media_type);
    if (!put) return fail(what + ": PUT manifests/" + tag + ": " + describe(put.error()));
    if (put->header_digest && *put->header_digest != put->digest)
      return fail(what + ": Docker-Content-Digest " + *put->header_digest +
                  " for bytes hashing to " + put->digest);
    for (const auto& ref : {tag, put->digest}) {
      auto got = client_->get_manifest(s_.repo, ref, {media_type}, bytes.size());
      if (!got) return fail(what + ": GET manifests/" + ref + ": " + describe(got.error()));
      if (got->bytes != bytes)
        return fail(what + ": GET manifests/" + ref + ": " + manifest_difference(bytes, got->bytes),
                    "pushed " + std::to_string(bytes.size()) + " bytes, served " +
                        std::to_string(got->bytes.size()));
    }
    return pass(what + ": " + std::to_string(bytes.size()) +
                " bytes came back byte for byte by tag and digest");
  }

  // A model manifest from the first fixture with `edit` applied to its JSON.
  std::string edited_manifest(const std::function<void(rapidjson::Document&)>& edit) {
    rapidjson::Document d;
    const auto& a = artifacts_.front();
    d.Parse(a.manifest.c_str(), a.manifest.size());
    edit(d);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    d.Accept(w);
    return std::string(buf.GetString(), buf.GetSize());
  }

  Outcome manifest_custom_fields() {
    // The config descriptor embeds the config's bytes in "data" (base64, image-spec
    // descriptor.md); unknown members at the top level and in a descriptor must survive too.
    std::string config = read_file(artifacts_.front().blobs.front().file);
    std::string data(4 * ((config.size() + 2) / 3) + 1, '\0');
    data.resize(static_cast<std::size_t>(EVP_EncodeBlock(
        reinterpret_cast<unsigned char*>(data.data()),
        reinterpret_cast<const unsigned char*>(config.data()), static_cast<int>(config.size()))));
    std::string bytes = edited_manifest([&](rapidjson::Document& d) {
      auto& al = d.GetAllocator();
      d["config"].AddMember("data", rapidjson::Value(data.c_str(), al), al);
      d["layers"][0].AddMember("io.mpcheck.unknown", rapidjson::Value("kept", al), al);
      d.AddMember("io.mpcheck.custom", rapidjson::Value("kept byte for byte", al), al);
    });
    return round_trip_manifest("a manifest with unknown fields", "custom-fields", bytes,
                               artifacts_.front().media_type);
  }

  Outcome manifest_subject_missing() {
    std::string absent = "sha256:" + random_hex(64);
    std::string bytes = edited_manifest([&](rapidjson::Document& d) {
      auto& al = d.GetAllocator();
      rapidjson::Value subject(rapidjson::kObjectType);
      subject.AddMember("mediaType", rapidjson::Value(kOciManifestMediaType.data(), al), al);
      subject.AddMember("digest", rapidjson::Value(absent.c_str(), al), al);
      subject.AddMember("size", 1234, al);
      d.AddMember("subject", subject, al);
    });
    auto o = round_trip_manifest("a manifest whose subject does not exist", "subject-missing",
                                 bytes, artifacts_.front().media_type);
    return o;
  }

  // An index of the pushed model manifests (variants of one model), with artifactType.
  std::string variants_index(std::size_t count) {
    std::string out = R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndexMediaType) +
                      R"(","artifactType":"application/vnd.cncf.model.manifest.v1+json",)"
                      R"("manifests":[)";
    for (std::size_t i = 0; i < count && i < artifacts_.size(); ++i) {
      const auto& a = artifacts_[i];
      out += std::string(i ? "," : "") + R"({"mediaType":")" + a.media_type + R"(","digest":")" +
             a.digest + R"(","size":)" + std::to_string(a.manifest.size()) +
             R"(,"artifactType":")" + a.artifact_type +
             R"(","annotations":{"org.opencontainers.image.ref.name":")" + a.tag + R"("}})";
    }
    return out + "]}";
  }

  Outcome index_variants() {
    std::size_t n = artifacts_.size();
    return round_trip_manifest(
        "an index of " + std::to_string(n) + " model variant" + (n == 1 ? "" : "s"), "variants",
        variants_index(n), std::string(kOciIndexMediaType));
  }

  Outcome index_nested() {
    std::string inner = variants_index(artifacts_.size());
    auto inner_put =
        client_->put_manifest(s_.repo, "variants-inner", inner, std::string(kOciIndexMediaType));
    if (!inner_put) return fail("PUT of the inner index: " + describe(inner_put.error()));
    std::string outer = R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndexMediaType) +
                        R"(","manifests":[{"mediaType":")" + std::string(kOciIndexMediaType) +
                        R"(","digest":")" + inner_put->digest + R"(","size":)" +
                        std::to_string(inner.size()) + "}]}";
    return round_trip_manifest("an index of an index", "variants-nested", outer,
                               std::string(kOciIndexMediaType));
  }

  Outcome index_empty() {
    std::string empty = R"({"schemaVersion":2,"mediaType":")" + std::string(kOciIndexMediaType) +
                        R"(","manifests":[]})";
    return round_trip_manifest("an empty index", "index-empty", empty,
                               std::string(kOciIndexMediaType));
  }

  // A model sharded into 1,000 weight files: one manifest with 1,000 layers (one blob named
  // 1,000 times, each with its own file path).
  Outcome manifest_many_layers() {
    std::string blob = "shard";
    auto digest = *digest_of("sha256", blob);
    auto pushed = client_->push_blob_monolithic(s_.repo, digest, blob.size(),
                                                string_reader(std::make_shared<std::string>(blob)));
    if (!pushed) return fail("push of the shard blob: " + describe(pushed.error()));
    std::string bytes = edited_manifest([&](rapidjson::Document& d) {
      auto& al = d.GetAllocator();
      rapidjson::Value layers(rapidjson::kArrayType);
      for (int i = 0; i < 1000; ++i) {
        rapidjson::Value l(rapidjson::kObjectType);
        l.AddMember("mediaType", rapidjson::Value("application/vnd.cncf.model.weight.v1.raw"), al);
        l.AddMember("digest", rapidjson::Value(digest.c_str(), al), al);
        l.AddMember("size", static_cast<std::uint64_t>(blob.size()), al);
        rapidjson::Value ann(rapidjson::kObjectType);
        std::string path = "model-" + std::to_string(i + 1) + "-of-1000.safetensors";
        ann.AddMember("org.cncf.model.filepath", rapidjson::Value(path.c_str(), al), al);
        l.AddMember("annotations", ann, al);
        layers.PushBack(l, al);
      }
      d["layers"] = layers;
    });
    return round_trip_manifest("a manifest with 1,000 layers", "layers-1000", bytes,
                               artifacts_.front().media_type);
  }

  // A Modelfile/Kitfile-sized annotation: 1 MiB in one value.
  Outcome manifest_large_annotation() {
    std::string big(1 << 20, 'x');
    for (std::size_t i = 0; i < big.size(); i += 64) big[i] = '\n';
    std::string bytes = edited_manifest([&](rapidjson::Document& d) {
      auto& al = d.GetAllocator();
      if (!d.HasMember("annotations"))
        d.AddMember("annotations", rapidjson::Value(rapidjson::kObjectType), al);
      d["annotations"].AddMember("io.mpcheck.modelfile", rapidjson::Value(big.c_str(), al), al);
    });
    return round_trip_manifest("a manifest with a 1 MiB annotation", "annotation-1mib", bytes,
                               artifacts_.front().media_type);
  }

  Outcome tags_unknown_repository() {
    std::string repo = s_.repo + "-none-" + random_hex(8);
    auto tags = client_->list_tags(repo);
    if (tags)
      return fail("tags/list of a repository never pushed answered 200 with " +
                  std::to_string(tags->tags.size()) + " tags");
    if (tags.error().http_status != 404)
      return fail("tags/list of a repository never pushed: " + describe(tags.error()) +
                  "; expected 404");
    return pass("tags/list of a repository never pushed answered 404");
  }

  Outcome referrers_unknown_digest() {
    std::string digest = "sha256:" + random_hex(64);
    auto r = client_->get_referrers(s_.repo, digest);
    if (!r) return fail("GET referrers/" + digest + ": " + describe(r.error()));
    if (!r->supported) return skip("not supported: the referrers API answered 404");
    rapidjson::Document d;
    d.Parse(r->index_bytes.c_str(), r->index_bytes.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("manifests") ||
        !d["manifests"].IsArray())
      return fail("the referrers of an unknown digest are not an image index");
    if (!d["manifests"].Empty())
      return fail("the referrers of a digest never pushed list " +
                  std::to_string(d["manifests"].Size()) + " manifests");
    return pass("an empty image index for a digest with no referrers");
  }

  Outcome chunked_blob() {
    fixtures::ContentPattern pattern{fixtures::ContentPattern::Kind::Random, {}, 0x6d7063};
    std::string digest = pattern_digest(pattern, kChunkedBlobBytes);
    auto session = client_->start_upload(s_.repo);
    if (!session) return fail("POST: " + describe(session.error()));
    std::uint64_t chunk = std::max(kChunkBytes, session->min_chunk.value_or(0));
    auto reader = pattern_reader(pattern, kChunkedBlobBytes);
    UploadSession current = *session;
    std::uint64_t sent = 0;
    int patches = 0;
    std::vector<char> buf;
    while (kChunkedBlobBytes - sent > chunk) {  // the last piece goes with the PUT
      buf.resize(chunk);
      reader(buf.data(), chunk);
      auto piece = std::make_shared<std::string>(buf.data(), chunk);
      auto next = client_->upload_chunk(current, string_reader(piece), chunk);
      if (!next) {
        client_->cancel_upload(current);
        return fail("PATCH bytes " + std::to_string(sent) + "-" + std::to_string(sent + chunk - 1) +
                    ": " + describe(next.error()));
      }
      if (next->offset != sent + chunk)
        return fail("after PATCH the registry reports " + std::to_string(next->offset) +
                    " bytes received; expected " + std::to_string(sent + chunk));
      current = *next;
      sent += chunk;
      ++patches;
    }
    std::uint64_t rest = kChunkedBlobBytes - sent;
    buf.resize(rest);
    reader(buf.data(), rest);
    auto last = std::make_shared<std::string>(buf.data(), rest);
    auto reader_last = string_reader(last);
    auto done = client_->complete_upload(current, digest, &reader_last, rest);
    if (!done) return fail("final PUT: " + describe(done.error()));
    if (done->status != 201)
      return fail("final PUT answered " + std::to_string(done->status) + "; expected 201");
    if (done->digest && *done->digest != digest)
      return fail("Docker-Content-Digest " + *done->digest + "; expected " + digest);
    auto h = client_->head_blob(s_.repo, digest);
    if (!h || h->size != kChunkedBlobBytes)
      return fail("the chunked blob is not there after the PUT (HEAD " +
                  (h ? "size " + std::to_string(h->size.value_or(0)) : describe(h.error())) + ")");
    return pass(std::to_string(patches) + " PATCH chunks of " + std::to_string(chunk) +
                " bytes (OCI-Chunk-Min-Length " +
                (session->min_chunk ? std::to_string(*session->min_chunk) : "not sent") +
                ") and a final PUT");
  }

  Outcome streamed_blob() {
    auto bytes = std::make_shared<std::string>(100000, 'm');
    auto digest = *digest_of("sha256", *bytes);
    auto r = client_->push_blob_streamed(s_.repo, digest, string_reader(bytes));
    if (!r) return skip("not supported: " + describe(r.error()));
    return pass("streamed PATCH accepted");
  }

  Outcome single_post() {
    auto bytes = std::make_shared<std::string>("mpcheck single POST " + random_hex(16));
    auto digest = *digest_of("sha256", *bytes);
    auto r = client_->push_blob_single_post(s_.repo, digest, bytes->size(), string_reader(bytes));
    if (!r) return fail("POST ?digest=: " + describe(r.error()));
    if (r->session) {
      client_->cancel_upload(*r->session);
      return skip("not supported (the registry answered 202 and opened an upload session)");
    }
    return pass("the blob was stored by one POST (201)");
  }

  Outcome mount() {
    const auto& b = artifacts_.front().blobs.front();
    std::string target = s_.repo + "-mount";
    auto r = client_->mount_blob(target, b.digest, s_.repo);
    if (!r) return fail("POST ?mount=: " + describe(r.error()));
    if (!r->mounted) {
      if (r->session) client_->cancel_upload(*r->session);
      return skip("not supported (202: the registry opened an upload instead of mounting)");
    }
    auto h = client_->head_blob(target, b.digest);
    if (!h) return fail("the mounted blob is not in " + target + ": " + describe(h.error()));
    return pass(b.digest + " mounted from " + s_.repo + " into " + target);
  }

  Outcome upload_status() {
    auto session = client_->start_upload(s_.repo);
    if (!session) return fail("POST: " + describe(session.error()));
    std::uint64_t n = std::max<std::uint64_t>(session->min_chunk.value_or(0), 1000);
    auto bytes = std::make_shared<std::string>(n, 's');
    auto after = client_->upload_chunk(*session, string_reader(bytes), n);
    if (!after) {
      client_->cancel_upload(*session);
      return fail("PATCH: " + describe(after.error()));
    }
    auto status = client_->upload_status(*after);
    client_->cancel_upload(*after);
    if (!status) return fail("GET <location>: " + describe(status.error()));
    if (status->offset != n)
      return fail("upload status reports " + std::to_string(status->offset) + " bytes; expected " +
                  std::to_string(n));
    return pass("GET on the upload reports Range 0-" + std::to_string(n - 1));
  }

  Outcome upload_cancel() {
    auto session = client_->start_upload(s_.repo);
    if (!session) return fail("POST: " + describe(session.error()));
    auto r = client_->cancel_upload(*session);
    if (!r) return fail("DELETE <location>: " + describe(r.error()));
    auto status = client_->upload_status(*session);
    if (status) return fail("the upload still answers after DELETE");
    if (status.error().http_status != 404)
      return fail("status of the cancelled upload: " + describe(status.error()) +
                  "; expected 404 BLOB_UPLOAD_UNKNOWN");
    return pass("DELETE answered " + std::to_string(*r) + "; the session is gone (404)");
  }

  Outcome check_pushed(const ManifestPushed& r, const Artifact& a) {
    if (r.status != 201)
      return fail(a.name + ": PUT answered " + std::to_string(r.status) + "; expected 201");
    if (!r.header_digest)
      return fail(a.name + ": no Docker-Content-Digest header in the PUT response");
    if (*r.header_digest != a.digest)
      return fail(a.name + ": Docker-Content-Digest " + *r.header_digest + "; expected " +
                  a.digest);
    return pass();
  }

  Outcome push_manifests() {
    for (auto& a : artifacts_) {
      auto r = client_->put_manifest(s_.repo, a.tag, a.manifest, a.media_type);
      if (!r) return fail(a.name + ": PUT manifests/" + a.tag + ": " + describe(r.error()));
      if (auto o = check_pushed(*r, a); o.status != Status::Pass) return o;
    }
    return pass(std::to_string(artifacts_.size()) + " model manifests pushed by tag");
  }

  Outcome push_manifest_by_digest() {
    const auto& a = artifacts_.front();
    auto r = client_->put_manifest(s_.repo, a.digest, a.manifest, a.media_type);
    if (!r) return fail("PUT manifests/" + a.digest + ": " + describe(r.error()));
    if (auto o = check_pushed(*r, a); o.status != Status::Pass) return o;
    return pass(a.name + " pushed by digest");
  }

  Outcome pull_manifests(bool by_digest) {
    for (const auto& a : artifacts_) {
      std::string ref = by_digest ? a.digest : a.tag;
      auto m = client_->get_manifest(s_.repo, ref);
      if (!m) return fail(a.name + ": GET manifests/" + ref + ": " + describe(m.error()));
      if (m->bytes != a.manifest)
        return fail(a.name + ": " + manifest_difference(a.manifest, m->bytes),
                    "pushed " + std::to_string(a.manifest.size()) + " bytes, served " +
                        std::to_string(m->bytes.size()));
      if (m->content_type.rfind(a.media_type, 0) != 0)
        return fail(a.name + ": Content-Type \"" + m->content_type + "\"; expected " +
                    a.media_type);
      if (m->digest && *m->digest != a.digest)
        return fail(a.name + ": Docker-Content-Digest " + *m->digest + "; expected " + a.digest);
    }
    return pass(std::to_string(artifacts_.size()) +
                " manifests came back byte for byte (artifactType, annotations, layer order)");
  }

  Outcome head_manifests() {
    for (const auto& a : artifacts_)
      for (const auto& ref : {a.tag, a.digest}) {
        auto h = client_->head_manifest(s_.repo, ref);
        if (!h) return fail(a.name + ": HEAD manifests/" + ref + ": " + describe(h.error()));
        if (h->size && *h->size != a.manifest.size())
          return fail(a.name + ": HEAD Content-Length " + std::to_string(*h->size) + "; expected " +
                      std::to_string(a.manifest.size()));
        if (h->digest && *h->digest != a.digest)
          return fail(a.name + ": HEAD Docker-Content-Digest " + *h->digest);
      }
    return pass("HEAD by tag and digest: sizes and digests match");
  }

  Outcome head_blobs() {
    for (const auto& a : artifacts_)
      for (const auto& b : a.blobs) {
        auto h = client_->head_blob(s_.repo, b.digest);
        if (!h) return fail(a.name + ": HEAD blobs/" + b.digest + ": " + describe(h.error()));
        if (h->size != b.size)
          return fail(a.name + ": HEAD blobs/" + b.digest + " Content-Length " +
                      std::to_string(h->size.value_or(0)) + "; expected " + std::to_string(b.size));
      }
    return pass("every blob answers HEAD with its size");
  }

  Outcome get_blobs() {
    std::size_t n = 0;
    for (const auto& a : artifacts_)
      for (const auto& b : a.blobs) {
        auto f = client_->get_blob(
            s_.repo, b.digest, [](const char*, std::size_t) { return true; }, std::nullopt, b.size);
        if (!f) return fail(a.name + ": GET blobs/" + b.digest + ": " + describe(f.error()));
        if (f->bytes != b.size)
          return fail(a.name + ": GET blobs/" + b.digest + " gave " + std::to_string(f->bytes) +
                      " bytes; expected " + std::to_string(b.size));
        ++n;
      }
    return pass(std::to_string(n) + " blobs pulled, each matching its digest");
  }

  Outcome range() {
    // The largest fixture blob, its middle.
    const Blob* big = nullptr;
    for (const auto& a : artifacts_)
      for (const auto& b : a.blobs)
        if (!big || b.size > big->size) big = &b;
    if (big->size < 4) return skip("no blob large enough for a range request");
    ByteRange r{big->size / 4, big->size / 2};
    std::string got;
    auto f = client_->get_blob(
        s_.repo, big->digest,
        [&](const char* d, std::size_t n) {
          got.append(d, n);
          return got.size() <= big->size;
        },
        r);
    if (!f) {
      if (f.error().http_status == 200) return skip("not supported (200 instead of 206)");
      return fail("GET with Range: " + describe(f.error()));
    }
    std::string whole = read_file(big->file);
    if (got != whole.substr(r.first, r.last - r.first + 1))
      return fail("206 body differs from bytes " + std::to_string(r.first) + "-" +
                  std::to_string(r.last) + " of the blob");
    return pass("Range bytes=" + std::to_string(r.first) + "-" + std::to_string(r.last) +
                " answered 206 with the right bytes");
  }

  // Counts bytes of a long transfer and reports "LABEL 1.2 GiB of 2.0 GiB" every few seconds.
  std::shared_ptr<std::function<void(std::size_t)>> progress_counter(std::string label,
                                                                     std::uint64_t total) {
    auto done = std::make_shared<std::uint64_t>(0);
    auto last =
        std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now());
    auto report = opt_.on_progress;
    return std::make_shared<std::function<void(std::size_t)>>([=](std::size_t n) {
      *done += n;
      auto now = std::chrono::steady_clock::now();
      if (!report || now - *last < kProgressInterval) return;
      *last = now;
      char buf[96];
      std::snprintf(buf, sizeof buf, " %.1f MiB of %.1f MiB", double(*done) / (1 << 20),
                    double(total) / (1 << 20));
      report(label + buf);
    });
  }
  BodyReader with_progress(std::string label, std::uint64_t total, BodyReader reader) {
    auto count = progress_counter(std::move(label), total);
    return [count, reader](char* buf, std::size_t cap) -> std::ptrdiff_t {
      auto n = reader(buf, cap);
      if (n > 0) (*count)(static_cast<std::size_t>(n));
      return n;
    };
  }

  Outcome large_layer() {
    if (s_.profile != Profile::Full) return skip("full profile only");
    fixtures::ContentPattern pattern{fixtures::ContentPattern::Kind::Random, {}, 0x4c41524745};
    std::uint64_t size = s_.large_layer_bytes;
    std::string digest = pattern_digest(pattern, size);
    auto start = std::chrono::steady_clock::now();
    auto pushed = client_->push_blob_monolithic(
        s_.repo, digest, size,
        with_progress("pull/large-layer: pushed", size, pattern_reader(pattern, size)));
    if (!pushed)
      return fail("push of " + std::to_string(size) + " bytes: " + describe(pushed.error()));
    auto mid = std::chrono::steady_clock::now();
    auto count = progress_counter("pull/large-layer: pulled", size);
    auto pulled = client_->get_blob(
        s_.repo, digest,
        [count](const char*, std::size_t n) {
          (*count)(n);
          return true;
        },
        std::nullopt, size);
    auto end = std::chrono::steady_clock::now();
    if (!pulled) return fail("pull: " + describe(pulled.error()));
    if (pulled->bytes != size)
      return fail("pull gave " + std::to_string(pulled->bytes) + " bytes; expected " +
                  std::to_string(size));
    auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "%llu bytes pushed in %.1f s and pulled back in %.1f s, digest verified",
                  static_cast<unsigned long long>(size), secs(mid - start), secs(end - mid));
    return pass(buf);
  }

  Outcome validate_pulled(const std::string& reference, const std::string& repo) {
    RegistryConfig c = cfg_;
    RegistrySource source(c, repo, reference);
    ValidateOptions vo;
    vo.jobs = 2;
    auto result = validate_registry_artifact(source, vo);
    if (!result) return fail("validation could not run: " + result.error());
    Outcome o = pass();
    std::size_t errors = 0, warnings = 0;
    // The one Diagnostic->Finding mapping (line and column included).
    auto add = [&](const Diagnostic& d, const std::string& manifest) {
      reports::Finding f = to_finding(d);
      if (!manifest.empty()) f.manifest_digest = manifest;
      (d.severity == Severity::Error ? errors : warnings)++;
      o.findings.push_back(std::move(f));
    };
    for (const auto& d : result->layout_diagnostics) add(d, "");
    for (const auto& m : result->manifests)
      for (const auto& d : m.diagnostics) add(d, m.digest);
    if (errors > 0) {
      o.status = Status::Fail;
      o.message = std::to_string(errors) + " validation errors in the artifact pulled back";
      for (const auto& f : o.findings)
        if (f.severity == "error") o.details += f.rule + ": " + f.message + "\n";
    } else {
      o.message = "the artifact pulled back validates (" + std::to_string(warnings) +
                  (warnings == 1 ? " warning)" : " warnings)");
    }
    return o;
  }

  Outcome tags_list() {
    auto t = client_->list_tags(s_.repo);
    if (!t) return fail("GET tags/list: " + describe(t.error()));
    for (const auto& a : artifacts_)
      if (std::find(t->tags.begin(), t->tags.end(), a.tag) == t->tags.end())
        return fail("tag " + a.tag + " is missing from the tag list");
    return pass(std::to_string(t->tags.size()) + " tags, every pushed tag listed");
  }

  // Spec v1.1: "the tags MUST be in lexical or ASCIIbetical order". Optional here because
  // registries deployed before v1.1 (Distribution 2.8) list them in storage order.
  Outcome tags_order() {
    auto t = client_->list_tags(s_.repo);
    if (!t) return fail("GET tags/list: " + describe(t.error()));
    auto lower = [](std::string s) {
      for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return s;
    };
    bool ascii = std::is_sorted(t->tags.begin(), t->tags.end());
    bool lexical =
        std::is_sorted(t->tags.begin(), t->tags.end(),
                       [&](const auto& a, const auto& b) { return lower(a) < lower(b); });
    if (!ascii && !lexical) {
      std::string list;
      for (std::size_t i = 0; i < t->tags.size() && i < 10; ++i)
        list += (i ? ", " : "") + t->tags[i];
      return fail("tags are not in lexical or ASCIIbetical order: " + list);
    }
    return pass("tags listed in " + std::string(ascii ? "ASCIIbetical" : "lexical") + " order");
  }

  // ?n=1: one tag per page, the rest through Link rel="next". A registry that ignores n and
  // sends every tag at once does not support pagination.
  Outcome tags_pagination() {
    auto all = client_->list_tags(s_.repo);
    if (!all) return fail("GET tags/list: " + describe(all.error()));
    auto t = client_->list_tags(s_.repo, 1);
    if (!t) return fail("GET tags/list?n=1: " + describe(t.error()));
    if (t->tags.size() > 1 && t->pages == 1)
      return skip("not supported: with n=1 the registry sent " + std::to_string(t->tags.size()) +
                  " tags in one page without a Link header");
    if (t->tags != all->tags &&
        std::set(t->tags.begin(), t->tags.end()) != std::set(all->tags.begin(), all->tags.end()))
      return fail("paging with n=1 gave other tags than the unpaginated list");
    if (t->pages < static_cast<int>(t->tags.size()))
      return fail("with n=1 the registry gave " + std::to_string(t->tags.size()) + " tags in " +
                  std::to_string(t->pages) + " pages");
    return pass(std::to_string(t->tags.size()) + " tags in " + std::to_string(t->pages) +
                " pages of n=1 (Link rel=\"next\")");
  }

  Outcome push_signature() {
    const auto& subject = artifacts_.front();
    auto payload =
        std::make_shared<std::string>(R"({"signature":"mpcheck-)" + random_hex(16) + "\"}");
    auto config = std::make_shared<std::string>("{}");
    auto payload_digest = *digest_of("sha256", *payload);
    auto config_digest = *digest_of("sha256", *config);
    for (auto& [digest, bytes] :
         {std::pair{payload_digest, payload}, std::pair{config_digest, config}}) {
      auto r = client_->push_blob_monolithic(s_.repo, digest, bytes->size(), string_reader(bytes));
      if (!r) return fail("signature blob push: " + describe(r.error()));
    }
    signature_ =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
        R"("artifactType":")" +
        std::string(kSignatureType) +
        R"(","config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":")" +
        config_digest + R"(","size":2},"layers":[{"mediaType":")" + std::string(kSignatureType) +
        R"(","digest":")" + payload_digest + R"(","size":)" + std::to_string(payload->size()) +
        R"(}],"subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
        subject.digest + R"(","size":)" + std::to_string(subject.manifest.size()) +
        R"(},"annotations":{"org.opencontainers.image.created":"2025-01-01T00:00:00Z"}})";
    signature_digest_ = *digest_of("sha256", signature_);
    auto r = client_->put_manifest(s_.repo, signature_digest_, signature_,
                                   std::string(kOciManifestMediaType));
    if (!r) return fail("PUT of a manifest with subject: " + describe(r.error()));
    if (r->status != 201)
      return fail("PUT answered " + std::to_string(r->status) + "; expected 201");
    subject_header_ = r->subject.has_value();
    return pass(
        std::string("signature manifest with subject pushed; OCI-Subject header ") +
        (subject_header_ ? "present (referrers API)" : "absent (client maintains the tag schema)"));
  }

  bool index_lists_signature(const std::string& index) {
    rapidjson::Document d;
    d.Parse(index.c_str(), index.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("manifests") ||
        !d["manifests"].IsArray())
      return false;
    for (const auto& m : d["manifests"].GetArray())
      if (m.IsObject() && m.HasMember("digest") && m["digest"].IsString() &&
          m["digest"].GetString() == signature_digest_ && m.HasMember("artifactType") &&
          m["artifactType"].IsString() && m["artifactType"].GetString() == kSignatureType)
        return true;
    return false;
  }

  Outcome referrers_api(std::optional<std::string> filter) {
    if (signature_digest_.empty()) return fail("no signature was pushed");
    auto r =
        client_->get_referrers(s_.repo, artifacts_.front().digest,
                               filter ? std::optional<std::string_view>(*filter) : std::nullopt);
    if (!r) return fail("GET referrers: " + describe(r.error()));
    if (!filter) referrers_supported_ = r->supported;
    if (!r->supported)
      return skip("not supported (404): clients must use the referrers tag schema");
    if (!index_lists_signature(r->index_bytes))
      return fail("the referrers index does not list the signature " + signature_digest_ +
                  " with its artifactType");
    if (filter && !r->filter_applied)
      return pass(
          "the signature is listed; the artifactType filter was not applied "
          "(no OCI-Filters-Applied), which the spec allows");
    return pass("the referrers index lists the signature" +
                std::string(filter ? " (filter applied)" : ""));
  }

  Outcome tag_fallback() {
    if (signature_digest_.empty()) return fail("no signature was pushed");
    if (referrers_supported_ && subject_header_)
      return skip("the referrers API is supported; the tag schema is not needed");
    const auto& subject = artifacts_.front();
    std::string tag = referrers_tag(subject.digest);
    // Read the current index (another client may have added referrers), add ours, push it.
    auto existing = client_->get_referrers_by_tag(s_.repo, subject.digest);
    if (!existing) return fail("GET manifests/" + tag + ": " + describe(existing.error()));
    std::string entry = R"({"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                        signature_digest_ + R"(","size":)" + std::to_string(signature_.size()) +
                        R"(,"artifactType":")" + std::string(kSignatureType) + "\"}";
    std::string entries = entry;
    if (*existing) {
      rapidjson::Document d;
      d.Parse((*existing)->bytes.c_str(), (*existing)->bytes.size());
      if (!d.HasParseError() && d.IsObject() && d.HasMember("manifests") &&
          d["manifests"].IsArray())
        for (const auto& m : d["manifests"].GetArray()) {
          if (!m.IsObject() || !m.HasMember("digest") || !m["digest"].IsString() ||
              m["digest"].GetString() == signature_digest_)
            continue;
          rapidjson::StringBuffer sb;
          rapidjson::Writer<rapidjson::StringBuffer> w(sb);
          m.Accept(w);
          entries += std::string(",") + sb.GetString();
        }
    }
    std::string index =
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[)" +
        entries + "]}";
    auto put = client_->put_manifest(s_.repo, tag, index, std::string(kOciIndexMediaType));
    if (!put) return fail("PUT manifests/" + tag + ": " + describe(put.error()));
    auto back = client_->get_referrers_by_tag(s_.repo, subject.digest);
    if (!back) return fail("GET manifests/" + tag + ": " + describe(back.error()));
    if (!*back) return fail("the index at tag " + tag + " is gone after the PUT");
    if ((*back)->bytes != index)
      return fail("the index at tag " + tag + " came back with other bytes");
    if (!index_lists_signature((*back)->bytes))
      return fail("the index at tag " + tag + " does not list the signature");
    return pass(std::string("referrers API absent: index pushed at tag ") + tag +
                " and read back listing the signature" +
                (*existing ? " (updated an existing index)" : ""));
  }

  Outcome blob_unknown() {
    std::string digest = "sha256:" + random_hex(64);
    auto r = client_->get_blob(s_.repo, digest, [](const char*, std::size_t) { return true; });
    if (r) return fail("GET of a blob never pushed answered " + std::to_string(r->status));
    if (r.error().http_status != 404)
      return fail("GET of a missing blob: " + describe(r.error()) + "; expected 404");
    if (!r.error().has_code("BLOB_UNKNOWN"))
      return fail("404 without the BLOB_UNKNOWN error code: " + describe(r.error()));
    return pass("404 BLOB_UNKNOWN");
  }

  Outcome manifest_unknown() {
    std::string tag = "mpcheck-missing-" + random_hex(12);
    auto r = client_->get_manifest(s_.repo, tag);
    if (r) return fail("GET of a tag never pushed answered with a manifest");
    if (r.error().http_status != 404)
      return fail("GET of a missing manifest: " + describe(r.error()) + "; expected 404");
    if (!r.error().has_code("MANIFEST_UNKNOWN"))
      return fail("404 without the MANIFEST_UNKNOWN error code: " + describe(r.error()));
    return pass("404 MANIFEST_UNKNOWN");
  }

  Outcome digest_invalid() {
    auto bytes = std::make_shared<std::string>("mpcheck digest mismatch " + random_hex(8));
    std::string wrong = "sha256:" + random_hex(64);
    auto r = client_->push_blob_monolithic(s_.repo, wrong, bytes->size(), string_reader(bytes));
    if (r) return fail("the registry stored bytes under a digest they do not have (" + wrong + ")");
    if (r.error().http_status != 400)
      return fail("PUT with a wrong digest: " + describe(r.error()) + "; expected 400");
    if (!r.error().has_code("DIGEST_INVALID"))
      return fail("400 without the DIGEST_INVALID error code: " + describe(r.error()));
    return pass("400 DIGEST_INVALID");
  }

  Outcome delete_tag() {
    if (!s_.delete_enabled) return skip("deletes not enabled (--delete)");
    std::string tag = "mpcheck-delete-" + random_hex(8);
    const auto& a = artifacts_.back();
    auto put = client_->put_manifest(s_.repo, tag, a.manifest, a.media_type);
    if (!put) return fail("PUT manifests/" + tag + ": " + describe(put.error()));
    auto del = client_->delete_manifest(s_.repo, tag);
    if (!del) {
      if (del.error().http_status == 400 || del.error().http_status == 405 ||
          del.error().has_code("UNSUPPORTED"))
        return skip("not supported: " + describe(del.error()));
      return fail("DELETE manifests/" + tag + ": " + describe(del.error()));
    }
    return pass("DELETE by tag answered " + std::to_string(*del));
  }

  Outcome delete_manifest() {
    if (!s_.delete_enabled) return skip("deletes not enabled (--delete)");
    const auto& a = artifacts_.back();
    auto del = client_->delete_manifest(s_.repo, a.digest);
    if (!del) {
      if (del.error().http_status == 405 || del.error().has_code("UNSUPPORTED"))
        return skip("not supported: " + describe(del.error()));
      return fail("DELETE manifests/" + a.digest + ": " + describe(del.error()));
    }
    auto after = client_->get_manifest(s_.repo, a.digest);
    if (after) return fail("the manifest is still served after DELETE");
    if (after.error().http_status != 404)
      return fail("GET after DELETE: " + describe(after.error()) + "; expected 404");
    return pass("DELETE answered " + std::to_string(*del) + "; GET then answers 404");
  }

  Outcome delete_blob() {
    if (!s_.delete_enabled) return skip("deletes not enabled (--delete)");
    auto bytes = std::make_shared<std::string>("mpcheck delete me " + random_hex(8));
    auto digest = *digest_of("sha256", *bytes);
    auto r = client_->push_blob_monolithic(s_.repo, digest, bytes->size(), string_reader(bytes));
    if (!r) return fail("push: " + describe(r.error()));
    auto del = client_->delete_blob(s_.repo, digest);
    if (!del) {
      if (del.error().http_status == 405 || del.error().has_code("UNSUPPORTED"))
        return skip("not supported: " + describe(del.error()));
      return fail("DELETE blobs/" + digest + ": " + describe(del.error()));
    }
    auto after = client_->head_blob(s_.repo, digest);
    if (after) return fail("the blob still answers HEAD after DELETE");
    return pass("DELETE answered " + std::to_string(*del) + "; HEAD then answers " +
                std::to_string(after.error().http_status));
  }

  // --- read-only profile ---------------------------------------------------------------------
  void read_only_cases() {
    auto& pull = suite("read-only", "registry");
    for (const auto& ref : s_.refs) {
      auto [repo, reference] = split_ref(ref);
      std::string label = repo + (reference.find(':') != std::string::npos ? "@" : ":") + reference;
      run_case(pull, "pull/" + label, [&] {
        auto m = client_->get_manifest(repo, reference);
        if (!m) return fail("GET manifests/" + reference + ": " + describe(m.error()));
        if (m->digest) {
          auto computed = digest_of(std::string(digest_algorithm(*m->digest)), m->bytes);
          if (computed && *computed != *m->digest)
            return fail("Docker-Content-Digest " + *m->digest + " but the bytes hash to " +
                        *computed);
        }
        if (reference.find(':') != std::string::npos) {
          auto computed = digest_of(std::string(digest_algorithm(reference)), m->bytes);
          if (computed && *computed != reference)
            return fail("the manifest served for " + reference + " hashes to " + *computed);
        }
        auto h = client_->head_manifest(repo, reference);
        if (!h) return fail("HEAD manifests/" + reference + ": " + describe(h.error()));
        return pass(std::to_string(m->bytes.size()) + " bytes, " + m->content_type);
      });
      run_case(pull, "validate/" + label, [&] { return validate_pulled(reference, repo); });
    }
  }

  const SuiteOptions& opt_;
  const SuiteSettings& s_;
  RegistryConfig cfg_;
  std::unique_ptr<RegistryClient> client_;
  reports::Run run_;
  std::mutex transcript_mutex_;
  std::vector<reports::Exchange> current_;
  std::size_t dropped_ = 0;
  bool auth_failed_ = false, halted_ = false;
  std::string halt_reason_;
  fs::path corpus_dir_;
  std::vector<Artifact> artifacts_;
  std::string signature_, signature_digest_;
  bool subject_header_ = false, referrers_supported_ = false;
  std::expected<void, std::string> fixtures_;
  bool listing_ = false;
  std::vector<std::string> listed_;
};

}  // namespace

RegistryConfig registry_config(const SuiteSettings& s,
                               const std::optional<Credentials>& credentials) {
  RegistryConfig c;
  c.host = s.registry;
  c.tls = s.tls;
  c.ca_file = s.ca_file;
  c.credentials = credentials;
  c.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(s.connect_timeout);
  c.stall_timeout = s.stall_timeout;
  c.request_timeout = s.request_timeout;
  // One redactor for every client of the run, so a secret one client learns (a token) is
  // removed from what the others record too.
  c.redactor = std::make_shared<reports::Redactor>();
  return c;
}

std::expected<reports::Run, std::string> run_suite(const SuiteOptions& options) {
  if (auto ok = check(options.settings); !ok) return std::unexpected(ok.error());
  SuiteRunner runner(options);
  return runner.run();
}

}  // namespace mpcheck::conformance
