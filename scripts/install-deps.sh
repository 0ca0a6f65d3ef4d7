#!/usr/bin/env bash
# Installs everything mpcheck needs to build, test and benchmark, from Debian 12 packages.
# Idempotent and quiet: when every package is already present it prints nothing and changes nothing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libvalijson-dev rapidjson-dev libgtest-dev libgmock-dev
  libarchive-dev libyaml-cpp-dev libcurl4-openssl-dev libssl-dev
  libcli11-dev libpugixml-dev libzstd-dev zlib1g-dev
  iso-codes node-spdx-license-ids node-spdx-exceptions jq
  docker-registry skopeo chromium apache2-utils libcpp-httplib-dev zstd curl python3
)
# Node.js and npm (only for bench/lint_bench.sh, which installs ajv-cli) come with the machine;
# Debian's npm package conflicts with that Node.js, so it is not installed here.

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
