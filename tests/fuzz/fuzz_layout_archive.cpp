// libFuzzer harness: the input is a layout archive (tar, tar+gzip, tar+zstd) on disk, indexed
// and then validated as `mpcheck validate model.tar` would: oci-layout, index.json, manifests,
// configs, blobs and layers, all read through the archive source.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "fuzz_support.hpp"
#include "mpcheck/validator/artifact_validator.hpp"

namespace {

// One file per fuzzing process, rewritten for every input.
const std::filesystem::path& archive_path() {
  static const std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("mpcheck-fuzz-layout-" + std::to_string(::getpid()) + ".tar");
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& path = archive_path();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  auto source = mpcheck::open_layout_archive(path);
  if (!source) return 0;
  mpcheck::ValidateOptions options;
  options.jobs = 1;
  auto result = mpcheck::validate_artifact(**source, options);
  if (result) {
    mpcheck::fuzz::touch(result->layout_diagnostics);
    for (const auto& m : result->manifests) mpcheck::fuzz::touch(m.diagnostics);
  }
  return 0;
}
