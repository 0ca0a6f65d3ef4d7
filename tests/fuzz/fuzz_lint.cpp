// libFuzzer harness: one JSON document through lint (parse, schema, config and manifest rules).
// The first byte picks the document kind and the spec version; the rest is the document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "mpcheck/validator/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  mpcheck::LintOptions options;
  switch (data[0] % 3) {
    case 0:
      options.kind = mpcheck::DocumentKind::Auto;
      break;
    case 1:
      options.kind = mpcheck::DocumentKind::Config;
      break;
    default:
      options.kind = mpcheck::DocumentKind::Manifest;
      break;
  }
  options.spec = (data[0] & 0x80) ? mpcheck::SpecVersion::V0_0_7 : mpcheck::SpecVersion::Main;
  auto result = mpcheck::lint_document(
      std::string(reinterpret_cast<const char*>(data) + 1, size - 1), options);
  mpcheck::fuzz::touch(result.diagnostics);
  return 0;
}
