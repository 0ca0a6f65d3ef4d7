// libFuzzer harness: the response header values the client parses: Link (tag and referrer
// pagination), Retry-After and the upload Range.
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mpcheck/conformance/http_fields.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto value = mpcheck::fuzz::as_text(data, size);
  (void)mpcheck::conformance::parse_link_next(value);
  (void)mpcheck::conformance::parse_retry_after(value, std::chrono::system_clock::time_point{});
  (void)mpcheck::conformance::parse_upload_range(value);
  return 0;
}
