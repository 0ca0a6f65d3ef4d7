#pragma once
// Integration tests need real components (docker-registry, skopeo, chromium, jq...). Locally a
// missing one skips the test with the reason; in CI (CI set and not "false") it fails the test,
// because a skipped integration suite is not a passing one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace mpcheck::test {

inline bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci && *ci && std::string_view(ci) != "false" && std::string_view(ci) != "0";
}

}  // namespace mpcheck::test

// Use at the top of a test (or SetUp): MPCHECK_REQUIRE(fs::exists(kRegistry), "docker-registry").
#define MPCHECK_REQUIRE(condition, what)                                                    \
  do {                                                                                      \
    if (!(condition)) {                                                                     \
      if (::mpcheck::test::in_ci())                                                         \
        FAIL() << "prerequisite missing in CI: " << what                                    \
               << " (scripts/install-deps.sh should have installed it)";                    \
      else                                                                                  \
        GTEST_SKIP() << "prerequisite missing: " << what << " (CI fails instead of skipping)"; \
    }                                                                                       \
  } while (0)
