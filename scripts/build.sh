#!/usr/bin/env bash
# Configures and builds mpcheck into build/ (Release). Used by run.sh, test.sh and package.sh.
# MPCHECK_GIT_COMMIT, when set, is the commit --version reports (a build without .git).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MPCHECK_BUILD_DIR:-$root/build}
jobs=$(nproc 2>/dev/null || echo 2)
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
    ${MPCHECK_GIT_COMMIT:+-DMPCHECK_GIT_COMMIT=$MPCHECK_GIT_COMMIT} >/dev/null
fi
cmake --build "$build" -j "$jobs" >"$build/build.log" 2>&1 || { cat "$build/build.log" >&2; exit 1; }
