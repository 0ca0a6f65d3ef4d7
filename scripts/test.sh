#!/usr/bin/env bash
# The test command: installs missing dependencies (with the test-only ones), builds, runs every
# test with CTest.
# Each stage prints its duration, so a CI log shows where the time went.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MPCHECK_BUILD_DIR:-$root/build}

stage() {  # stage NAME COMMAND...: runs the command, then prints how long it took
  local name=$1 start=$SECONDS
  shift
  echo "== $name" >&2
  "$@"
  echo "== $name: $((SECONDS - start)) s" >&2
}

run_ctest() {
  cd "$build"
  ctest --output-on-failure -j "$(nproc 2>/dev/null || echo 2)" "$@"
}

total=$SECONDS
stage "install dependencies" "$root/scripts/install-deps.sh" --test
stage "build" "$root/scripts/build.sh"
stage "ctest" run_ctest "$@"
echo "== total: $((SECONDS - total)) s" >&2
