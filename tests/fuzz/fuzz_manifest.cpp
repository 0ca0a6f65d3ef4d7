// libFuzzer harness: an image manifest (or index) through lint --kind manifest: the image-spec
// schema with its digest and annotation patterns, and the ModelPack manifest rules.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "mpcheck/validator/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mpcheck::LintOptions options;
  options.kind = mpcheck::DocumentKind::Manifest;
  auto result = mpcheck::lint_document(std::string(mpcheck::fuzz::as_text(data, size)), options);
  mpcheck::fuzz::touch(result.diagnostics);
  return 0;
}
