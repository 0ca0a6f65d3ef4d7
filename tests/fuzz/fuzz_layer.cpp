// libFuzzer harness: one layer blob through the streaming inspector (digest, decompression,
// tar entries, link targets, pax keys). The first byte picks the layer media type, and so
// the format (raw, tar, tar+gzip, tar+zstd); the rest is the blob, served in uneven reads.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_support.hpp"
#include "mpcheck/validator/layer_inspector.hpp"
#include "mpcheck/validator/media_types.hpp"

namespace {

class MemoryBlob : public mpcheck::BlobStream {
 public:
  MemoryBlob(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::expected<std::size_t, std::string> read(std::span<unsigned char> buf) override {
    // Short reads of varying length, as a socket or pipe gives them.
    std::size_t n = std::min({buf.size(), size_ - pos_, std::size_t{1} + (pos_ * 7919) % 65536});
    std::copy_n(data_ + pos_, n, buf.data());
    pos_ += n;
    return n;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto types = mpcheck::layer_media_types();
  mpcheck::LayerInput input;
  input.media_type = &types[data[0] % types.size()];
  input.blob_size = size - 1;
  input.filepath = "model";
  MemoryBlob blob(data + 1, size - 1);
  mpcheck::LayerLimits limits;
  limits.max_entries = 10'000;  // keeps one input fast; the bound itself is tested elsewhere
  auto report = mpcheck::inspect_layer(blob, input, limits);
  mpcheck::fuzz::touch(report.diagnostics);
  return 0;
}
