#!/usr/bin/env bash
# The whole CTest suite under AddressSanitizer (with leak detection) and UBSan, in build-asan/.
# Extra arguments go to ctest (e.g. -R lint). Any sanitizer report fails the test that hit it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MPCHECK_ASAN_BUILD_DIR:-$root/build-asan}
jobs=$(nproc 2>/dev/null || echo 2)
launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

stage() {  # stage NAME COMMAND...: runs the command, then prints how long it took
  local name=$1 start=$SECONDS
  shift
  echo "== $name" >&2
  "$@"
  echo "== $name: $((SECONDS - start)) s" >&2
}

configure_and_build() {
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMPCHECK_SANITIZE=ON "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 || { tail -50 "$build/build.log" >&2; exit 1; }
}

# Suppressions hold third-party reports only, each with its reason (tests/sanitizers/*.supp).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp}

run_ctest() {
  cd "$build"
  ctest --output-on-failure -j "$jobs" "$@"
}

total=$SECONDS
stage "asan build" configure_and_build
stage "asan ctest" run_ctest "$@"
echo "== sanitize total: $((SECONDS - total)) s" >&2
