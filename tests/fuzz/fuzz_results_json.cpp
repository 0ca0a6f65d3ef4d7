// libFuzzer harness: a results.json as `mpcheck report` reads it back (from a CI shard).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "mpcheck/reports/report_dir.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)mpcheck::reports::parse_results_json(mpcheck::fuzz::as_text(data, size));
  return 0;
}
