#!/usr/bin/env bash
# CI: builds the .deb, installs it into this machine with apt-get, and runs the installed
# /usr/bin/mpcheck from outside the repository on the examples, generated layouts and a
# throwaway docker-registry on loopback (tests/install/smoke.sh); then removes the package.
# Needs root (or sudo). Refuses to replace an mpcheck that it did not install.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
export DEBIAN_FRONTEND=noninteractive

if dpkg-query -W -f='${Status}' mpcheck 2>/dev/null | grep -q "install ok installed"; then
  echo "ci-package: an mpcheck package is already installed; remove it first" >&2
  exit 2
fi
out=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-deb-XXXXXX")
scratch=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-deb-run-XXXXXX")
cleanup() {
  $SUDO apt-get remove -y -qq mpcheck >/dev/null 2>&1 || true
  rm -rf "$out" "$scratch"
}
trap cleanup EXIT

deb=$("$root/scripts/package.sh" "$out")
echo "ci-package: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
dpkg-deb -f "$deb" Depends | sed 's/^/ci-package: Depends: /'
# Nothing test-only in the package.
if dpkg-deb -c "$deb" | grep -E '_test$|registry-bench|gtest' >&2; then
  echo "ci-package: test-only files in the package" >&2
  exit 1
fi
$SUDO apt-get install -y -qq "$deb" >/dev/null
[ "$(command -v mpcheck)" = /usr/bin/mpcheck ] || { echo "ci-package: mpcheck on PATH is $(command -v mpcheck)" >&2; exit 1; }

# From outside the repository, with only what a user has: the package and the examples.
cp "$root/fixtures/examples/config.json" "$root/fixtures/examples/manifest.json" \
  "$root/tests/install/smoke.sh" "$scratch/"
cd "$scratch"
bash ./smoke.sh /usr/bin/mpcheck "$scratch" /usr/bin/docker-registry
man -P cat mpcheck-validate >/dev/null 2>&1 || { echo "ci-package: man mpcheck-validate failed" >&2; exit 1; }
$SUDO apt-get remove -y -qq mpcheck >/dev/null
[ ! -e /usr/bin/mpcheck ] || { echo "ci-package: /usr/bin/mpcheck left after remove" >&2; exit 1; }
echo "ci-package: ok (installed, ran, removed)"
