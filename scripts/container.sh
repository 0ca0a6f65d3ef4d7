#!/usr/bin/env bash
# Builds the container image from Containerfile with buildah (daemonless; Debian package buildah)
# and runs `mpcheck --version` and a lint of the examples inside it, as its non-root user.
#   scripts/container.sh [IMAGE]          (default localhost/mpcheck:dev)
# Without access to docker.io, MPCHECK_BASE_FROM_DEBOOTSTRAP=1 first makes the debian:12 and
# debian:12-slim base images locally with debootstrap from the configured Debian mirror.
# Storage: vfs, isolation: chroot, so it also runs inside an unprivileged CI container.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
image=${1:-localhost/mpcheck:dev}
buildah=(buildah --storage-driver vfs)
command -v buildah >/dev/null || { echo "container: buildah is not installed (apt-get install buildah)" >&2; exit 2; }

if [ "${MPCHECK_BASE_FROM_DEBOOTSTRAP:-}" = 1 ]; then
  command -v debootstrap >/dev/null || { echo "container: debootstrap is not installed" >&2; exit 2; }
  rootfs=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-rootfs-XXXXXX")
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >/dev/null
  tar -C "$rootfs" -cf "$rootfs.tar" .
  ctr=$("${buildah[@]}" from scratch)
  "${buildah[@]}" add "$ctr" "$rootfs.tar" / >/dev/null
  rm -rf "$rootfs" "$rootfs.tar"
  "${buildah[@]}" commit -q "$ctr" localhost/debian:12-debootstrap >/dev/null
  "${buildah[@]}" rm "$ctr" >/dev/null
  "${buildah[@]}" tag localhost/debian:12-debootstrap docker.io/library/debian:12 docker.io/library/debian:12-slim
  pull=(--pull=never)
else
  pull=()
fi

commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
"${buildah[@]}" build --isolation chroot ${pull[@]+"${pull[@]}"} -f "$root/Containerfile" \
  --build-arg MPCHECK_GIT_COMMIT="$commit" -t "$image" "$root"

ctr=$("${buildah[@]}" from "$image")
trap '"${buildah[@]}" rm "$ctr" >/dev/null' EXIT
"${buildah[@]}" copy "$ctr" "$root/fixtures/examples/config.json" /tmp/config.json >/dev/null
user=$("${buildah[@]}" run --isolation chroot --user mpcheck "$ctr" -- id -un)
[ "$user" = mpcheck ] || { echo "container: runs as '$user', not mpcheck" >&2; exit 1; }
version=$("${buildah[@]}" run --isolation chroot --user mpcheck "$ctr" -- mpcheck --version)
echo "container: $version"
[[ $version == "mpcheck "*" (commit $commit)" ]] || { echo "container: unexpected --version" >&2; exit 1; }
"${buildah[@]}" run --isolation chroot --user mpcheck "$ctr" -- mpcheck lint /tmp/config.json
echo "container: ok ($image, $("${buildah[@]}" inspect --format '{{.Docker.Config.User}}' "$image" 2>/dev/null || true))"
