#!/usr/bin/env bash
# Installs what mpcheck needs, from Debian 12 packages.
#   scripts/install-deps.sh          what building and running needs (compiler, CMake, libraries)
#   scripts/install-deps.sh --test   also what the tests, the package step and the benchmarks
#                                    start: GoogleTest, docker-registry, skopeo, Chromium, man-db...
# scripts/test.sh passes --test. Idempotent and quiet: when every package is already present it
# prints nothing and changes nothing.
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git dpkg-dev file
  libvalijson-dev rapidjson-dev
  libarchive-dev libyaml-cpp-dev libcurl4-openssl-dev libssl-dev
  libcli11-dev libpugixml-dev libzstd-dev zlib1g-dev
  # Reference data embedded at build time (ISO 639 codes, SPDX identifiers).
  iso-codes node-spdx-license-ids node-spdx-exceptions
)
test_packages=(
  libgtest-dev libgmock-dev libcpp-httplib-dev
  docker-registry skopeo chromium apache2-utils zstd curl jq python3 python3-venv
  man-db groff-base python3-yaml
)
# Node.js and npm (only for bench/lint_bench.sh, which installs ajv-cli) come with the machine;
# Debian's npm package conflicts with that Node.js, so it is not installed here.

packages=("${build_packages[@]}")
case "${1:-}" in
  --test) packages+=("${test_packages[@]}") ;;
  "") ;;
  *) echo "usage: $0 [--test]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
