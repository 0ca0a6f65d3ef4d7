// RegistrySource: blobs stream from a producer thread (the libcurl transfer) to the reader
// through a bounded queue, so memory stays at kBlobStreamBufferBytes whatever the blob size.
#include "mpcheck/conformance/registry_source.hpp"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <thread>

#include "mpcheck/conformance/content_hasher.hpp"
#include "mpcheck/conformance/distribution_names.hpp"

namespace mpcheck::conformance {
namespace {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

class MemoryStream : public BlobStream {
 public:
  explicit MemoryStream(std::string bytes) : bytes_(std::move(bytes)) {}
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    std::size_t n = std::min(buf.size(), bytes_.size() - pos_);
    std::memcpy(buf.data(), bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string bytes_;
  std::size_t pos_ = 0;
};

// The producer thread runs one GET and pushes chunks; the reader pops them. Closing the stream
// early makes the writer return false, which aborts the transfer.
class HttpBlobStream : public BlobStream {
 public:
  // `size` is what HEAD said: the GET reads no further than that.
  HttpBlobStream(RegistryConfig config, std::string repo, std::string digest, std::uint64_t size) {
    producer_ = std::thread([this, config = std::move(config), repo = std::move(repo),
                             digest = std::move(digest), size]() mutable {
      RegistryClient client(std::move(config));
      auto push = [this](const char* data, std::size_t n) {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return closed_ || buffered_ < kBlobStreamBufferBytes; });
        if (closed_) return false;
        chunks_.emplace_back(data, n);
        buffered_ += n;
        ready_.notify_one();
        return true;
      };
      auto fetched = client.get_blob(repo, digest, push, std::nullopt, size);
      std::lock_guard lock(mutex_);
      if (!fetched) error_ = fetched.error().describe();
      done_ = true;
      ready_.notify_one();
    });
  }
  ~HttpBlobStream() override {
    {
      std::lock_guard lock(mutex_);
      closed_ = true;
      space_.notify_all();
    }
    producer_.join();
  }
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return done_ || !chunks_.empty(); });
    if (chunks_.empty()) {
      if (error_) return std::unexpected(*error_);
      return 0;
    }
    auto& front = chunks_.front();
    std::size_t n = std::min(buf.size(), front.size() - front_pos_);
    std::memcpy(buf.data(), front.data() + front_pos_, n);
    front_pos_ += n;
    if (front_pos_ == front.size()) {
      buffered_ -= front.size();
      chunks_.pop_front();
      front_pos_ = 0;
      space_.notify_one();
    }
    return n;
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::string> chunks_;
  std::size_t front_pos_ = 0, buffered_ = 0;
  bool done_ = false, closed_ = false;
  std::optional<std::string> error_;
  std::thread producer_;
};

SourceError to_source_error(const RegistryError& e) {
  bool missing = e.http_status == 404;
  return {missing ? SourceError::Missing : SourceError::Io, e.describe()};
}

}  // namespace

RegistrySource::RegistrySource(RegistryConfig config, std::string repo, std::string reference)
    : config_(std::move(config)), repo_(std::move(repo)), reference_(std::move(reference)) {
  if (config_.transcript) {  // streams call it from their own threads
    auto hook = std::move(config_.transcript);
    auto lock = std::make_shared<std::mutex>();
    config_.transcript = [hook, lock](const TranscriptEntry& e) {
      std::lock_guard guard(*lock);
      hook(e);
    };
  }
  // One redactor for the manifest client and every blob stream's client: a token one of
  // them learns is removed from all their transcripts.
  if (!config_.redactor) config_.redactor = std::make_shared<reports::Redactor>();
  client_ = std::make_unique<RegistryClient>(config_);
}

RegistrySource::~RegistrySource() = default;

std::string RegistrySource::describe() const {
  bool digest = reference_.find(':') != std::string::npos;
  return "registry " + config_.host + "/" + repo_ + (digest ? "@" : ":") + reference_;
}

std::optional<std::string> RegistrySource::manifest_digest() const {
  if (!manifest_) return std::nullopt;
  return manifest_digest_;
}

std::expected<void, SourceError> RegistrySource::resolve() {
  if (manifest_) return {};
  auto m = client_->get_manifest(repo_, reference_);
  // A reference naming nothing is a failed pull, not a layout without index.json.
  if (!m)
    return std::unexpected(SourceError{SourceError::Io, describe() + ": " + m.error().describe()});
  auto algorithm = reference_.find(':') != std::string::npos
                       ? std::string(digest_algorithm(reference_))
                       : std::string("sha256");
  auto computed = digest_of(algorithm, m->bytes);
  if (!computed) return std::unexpected(SourceError{SourceError::Io, "unsupported digest"});
  manifest_digest_ = *computed;
  manifest_ = std::move(*m);
  return {};
}

std::expected<std::string, SourceError> RegistrySource::read_layout_file(LayoutFile file,
                                                                         std::size_t) {
  if (file == LayoutFile::OciLayout)
    return std::unexpected(SourceError{SourceError::Missing, "a registry has no oci-layout"});
  std::lock_guard lock(mutex_);
  if (auto r = resolve(); !r) return std::unexpected(r.error());
  std::string media_type = manifest_->content_type;
  if (auto semi = media_type.find(';'); semi != std::string::npos) media_type.resize(semi);
  std::string ref_annotation = reference_.find(':') == std::string::npos
                                   ? R"(,"annotations":{"org.opencontainers.image.ref.name":)" +
                                         json_string(reference_) + "}"
                                   : "";
  return R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
         R"("manifests":[{"mediaType":)" +
         json_string(media_type) + R"(,"digest":)" + json_string(manifest_digest_) + R"(,"size":)" +
         std::to_string(manifest_->bytes.size()) + ref_annotation + "}]}";
}

std::expected<std::unique_ptr<BlobStream>, SourceError> RegistrySource::open_blob(
    const Digest& digest) {
  {
    std::lock_guard lock(mutex_);
    if (manifest_ && digest.str() == manifest_digest_)
      return std::make_unique<MemoryStream>(manifest_->bytes);
  }
  // Open lazily: the first read reports a missing blob as an error of the stream; a HEAD first
  // gives the validator the Missing it expects for absent blobs.
  auto size = blob_size(digest);
  if (!size) return std::unexpected(size.error());
  return std::make_unique<HttpBlobStream>(config_, repo_, digest.str(), *size);
}

std::expected<std::uint64_t, SourceError> RegistrySource::blob_size(const Digest& digest) {
  std::lock_guard lock(mutex_);
  if (manifest_ && digest.str() == manifest_digest_) return manifest_->bytes.size();
  auto info = client_->head_blob(repo_, digest.str());
  if (!info) return std::unexpected(to_source_error(info.error()));
  if (!info->size)
    return std::unexpected(
        SourceError{SourceError::Io, "HEAD " + digest.str() + " gave no Content-Length"});
  return *info->size;
}

std::expected<ValidateResult, std::string> validate_registry_artifact(
    RegistrySource& source, const ValidateOptions& options) {
  auto result = validate_artifact(source, options);
  if (!result) return result;
  auto& lout = result->layout_diagnostics;
  std::erase_if(lout, [](const Diagnostic& d) { return d.rule == "MPA001"; });
  return result;
}

std::optional<RegistryReference> parse_registry_reference(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  std::string host(text.substr(0, slash));
  if (host.find('.') == std::string::npos && host.find(':') == std::string::npos &&
      host != "localhost")
    return std::nullopt;
  // A host name or address with an optional port; rules out "./dir" and "../dir".
  if (!std::isalnum(static_cast<unsigned char>(host.front())) && host.front() != '[')
    return std::nullopt;
  for (char c : host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '[' || c == ']'))
      return std::nullopt;
  std::string_view rest = text.substr(slash + 1);
  std::string repo, reference;
  if (auto at = rest.find('@'); at != std::string_view::npos) {
    repo = rest.substr(0, at);
    reference = rest.substr(at + 1);
    if (reference.find(':') == std::string::npos) return std::nullopt;
  } else {
    auto colon = rest.rfind(':');
    auto last_slash = rest.rfind('/');
    if (colon != std::string_view::npos &&
        (last_slash == std::string_view::npos || colon > last_slash)) {
      repo = rest.substr(0, colon);
      reference = rest.substr(colon + 1);
    } else {
      repo = rest;
      reference = "latest";
    }
  }
  // The distribution-spec grammar: no "." or ".." segments, tags and digests as specified.
  if (!check_repository_name(repo) || !check_reference(reference)) return std::nullopt;
  return RegistryReference{host, repo, reference};
}

}  // namespace mpcheck::conformance
