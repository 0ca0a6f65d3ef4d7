// libFuzzer harness: a WWW-Authenticate header value, as a registry or token server sends it.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mpcheck/conformance/www_authenticate.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto challenges =
      mpcheck::conformance::parse_www_authenticate(mpcheck::fuzz::as_text(data, size));
  if (challenges) {
    for (const auto& c : *challenges) {
      (void)c.is("bearer");
      (void)c.param("realm");
      (void)c.param("scope");
    }
  }
  return 0;
}
