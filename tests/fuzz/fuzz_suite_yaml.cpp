// libFuzzer harness: a conformance settings file (--config), applied over the defaults.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mpcheck/conformance/suite_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  mpcheck::conformance::SuiteSettings settings;
  (void)mpcheck::conformance::apply_yaml(settings, mpcheck::fuzz::as_text(data, size));
  return 0;
}
