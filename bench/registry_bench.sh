#!/usr/bin/env bash
# Benchmark of mpcheck's registry client against `skopeo copy`, both ways, on one local
# docker-registry (Distribution 2.8, plain http, throwaway storage on a free loopback port).
#
#   bench/registry_bench.sh [BENCH_BINARY] [SIZE_MIB] [RUNS]
#
# BENCH_BINARY is mpcheck-registry-bench (bench/registry_bench.cpp; default
# build/bench/mpcheck-registry-bench). Builds an OCI layout with one SIZE_MIB (default
# 1024) raw weight layer from /dev/urandom, then RUNS times (default 3), alternating the tools:
#   push: layout -> 127.0.0.1:PORT/<repo>:v1 (a fresh registry per run: every blob is uploaded)
#   pull: 127.0.0.1:PORT/<repo>:v1 -> a fresh layout directory
# and prints a Markdown table of the medians and ratios (mpcheck / skopeo; target <= 1.0).
# BENCH_SKIP_ANCHOR=1 times mpcheck only (skopeo's columns say "skipped").
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"
BENCH=${1:-$here/../build/bench/mpcheck-registry-bench}
SIZE_MIB=${2:-1024}
RUNS=${3:-3}
[[ -x $BENCH ]] || { echo "bench binary not found: $BENCH" >&2; exit 2; }
SKIP_ANCHOR=${BENCH_SKIP_ANCHOR:-0}
if [[ $SKIP_ANCHOR == 1 ]]; then
  echo "registry_bench: skopeo anchor skipped (BENCH_SKIP_ANCHOR=1)" >&2
else
  command -v skopeo >/dev/null || { echo "skopeo not installed" >&2; exit 2; }
fi
[[ -x /usr/bin/docker-registry ]] || { echo "/usr/bin/docker-registry not installed" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-regbench-XXXXXX")
registry_pid=
cleanup() {
  [[ -n $registry_pid ]] && { kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

# A fresh registry per run: skopeo remembers where it saw a blob (its blob info cache) and
# mounts it from there instead of uploading, so a registry that already holds the blob would
# measure a mount, not a push.
start_registry() {
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  rm -rf "$WORK/storage"
  cat >"$WORK/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/storage
http:
  addr: 127.0.0.1:$port
YAML
  /usr/bin/docker-registry serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  registry_pid=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$port/v2/" && break; sleep 0.1; done
  host=127.0.0.1:$port
}
stop_registry() {
  kill "$registry_pid" 2>/dev/null || true
  wait "$registry_pid" 2>/dev/null || true
  registry_pid=
}

# The layout: one raw weight layer, an empty-ish model config, manifest, index.json.
L=$WORK/layout
mkdir -p "$L/blobs/sha256"
echo "generating a ${SIZE_MIB} MiB layer ..." >&2
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/weight"
whex=$(sha256sum "$WORK/weight" | cut -d' ' -f1)
mv "$WORK/weight" "$L/blobs/sha256/$whex"
printf '{"descriptor":{"name":"bench"},"modelfs":{"type":"layers","diffIds":["sha256:%s"]},"config":{}}' "$whex" >"$WORK/config"
chex=$(sha256sum "$WORK/config" | cut -d' ' -f1)
csize=$(stat -c %s "$WORK/config")
mv "$WORK/config" "$L/blobs/sha256/$chex"
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.model.manifest.v1+json","config":{"mediaType":"application/vnd.cncf.model.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.cncf.model.weight.v1.raw","digest":"sha256:%s","size":%s}]}' \
  "$chex" "$csize" "$whex" "$((SIZE_MIB << 20))" >"$WORK/manifest"
mhex=$(sha256sum "$WORK/manifest" | cut -d' ' -f1)
msize=$(stat -c %s "$WORK/manifest")
mv "$WORK/manifest" "$L/blobs/sha256/$mhex"
echo '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}' \
  "$mhex" "$msize" >"$L/index.json"

push_m=() push_s=() pull_m=() pull_s=()
for ((i = 0; i < RUNS; i++)); do
  start_registry
  s=$(now_us); "$BENCH" push "$L" "$host" "bench/m$i:v1"; push_m+=($(($(now_us) - s)))
  if [[ $SKIP_ANCHOR != 1 ]]; then
    s=$(now_us); skopeo copy -q --dest-tls-verify=false "oci:$L:v1" "docker://$host/bench/s$i:v1"; push_s+=($(($(now_us) - s)))
  fi
  s=$(now_us); "$BENCH" pull "$host" "bench/m$i:v1" "$WORK/pm$i"; pull_m+=($(($(now_us) - s)))
  cmp -s "$WORK/pm$i/blobs/sha256/$whex" "$L/blobs/sha256/$whex" || { echo "mpcheck pull: wrong bytes" >&2; exit 1; }
  rm -rf "$WORK/pm$i"
  if [[ $SKIP_ANCHOR != 1 ]]; then
    s=$(now_us); skopeo copy -q --src-tls-verify=false "docker://$host/bench/s$i:v1" "oci:$WORK/ps$i:v1"; pull_s+=($(($(now_us) - s)))
    rm -rf "$WORK/ps$i"
  fi
  stop_registry
done

# row DIRECTION MPCHECK_US... -- SKOPEO_US...: one table row, medians in ms.
row() {
  local direction=$1 m s
  shift
  local mine=() theirs=()
  while [[ $# -gt 0 && $1 != -- ]]; do mine+=("$1"); shift; done
  shift
  theirs=("$@")
  m=$(median_of "${mine[@]}")
  if [[ ${#theirs[@]} -eq 0 ]]; then
    printf '| %s %s MiB | %s ms | skipped | - |\n' "$direction" "$SIZE_MIB" "$m"
  else
    s=$(median_of "${theirs[@]}")
    printf '| %s %s MiB | %s ms | %s ms | %s |\n' "$direction" "$SIZE_MIB" "$m" "$s" \
      "$(awk -v a="$m" -v b="$s" 'BEGIN { printf "%.2f", a / b }')"
  fi
}
echo "| direction | mpcheck (median) | skopeo copy (median) | ratio mpcheck / skopeo |"
echo "|---|---|---|---|"
row push "${push_m[@]}" -- ${push_s[@]+"${push_s[@]}"}
row pull "${pull_m[@]}" -- ${pull_s[@]+"${pull_s[@]}"}
echo
echo "Medians of $RUNS runs; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%d)."
