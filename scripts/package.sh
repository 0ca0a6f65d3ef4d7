#!/usr/bin/env bash
# Builds the Debian package mpcheck_<version>_<arch>.deb with CPack (Depends computed by
# dpkg-shlibdeps from the binaries) into DIR (default: the build directory); prints its path.
#   scripts/package.sh [DIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MPCHECK_BUILD_DIR:-$root/build}
out=$(mkdir -p "${1:-$build}" && cd "${1:-$build}" && pwd)
# CPack computes Depends with dpkg-shlibdeps (dpkg-dev), which it runs on what `file` says is ELF.
for tool in dpkg-shlibdeps:dpkg-dev file:file; do
  command -v "${tool%%:*}" >/dev/null || { echo "package: ${tool%%:*} missing (Debian package ${tool#*:}; scripts/install-deps.sh)" >&2; exit 2; }
done
"$root/scripts/build.sh"
rm -f "$out"/mpcheck_*.deb
(cd "$build" && cpack -G DEB -B "$out" >"$build/cpack.log" 2>&1) || { cat "$build/cpack.log" >&2; exit 1; }
rm -rf "$out/_CPack_Packages"
ls "$out"/mpcheck_*.deb
