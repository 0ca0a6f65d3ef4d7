#!/usr/bin/env bash
# Benchmark of `mpcheck validate` against `openssl dgst -sha256` over the same blobs.
#
#   bench/validate_bench.sh [MPCHECK_BINARY] [TOTAL_MIB] [RUNS]
#
# Builds an OCI layout of TOTAL_MIB (default 1024) split over 4 weight layers
# (application/vnd.cncf.model.weight.v1.tar, reproducible ustar archives of random data)
# in a temp dir, then runs each tool RUNS times (default 5) side by side and reports the
# median wall times, their ratio (mpcheck / openssl; target <= 1.0) and mpcheck's peak RSS
# (target < 64 MiB), as a Markdown table. TOTAL_MIB must be at least 4 (one MiB per layer); 4 and
# RUNS 1 make a smoke run of a second. The layout is removed at exit; set KEEP=1 to keep it.
set -euo pipefail

MPCHECK=${1:-$(dirname "$0")/../build/cli/mpcheck}
TOTAL_MIB=${2:-1024}
RUNS=${3:-5}
LAYERS=4
JOBS=${JOBS:-$(nproc)}

[[ -x $MPCHECK ]] || { echo "mpcheck binary not found: $MPCHECK" >&2; exit 2; }
((TOTAL_MIB >= LAYERS)) || { echo "TOTAL_MIB must be at least $LAYERS" >&2; exit 2; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-bench-XXXXXX")
[[ ${KEEP:-0} == 1 ]] || trap 'rm -rf "$WORK"' EXIT
LAYOUT=$WORK/layout
mkdir -p "$LAYOUT/blobs/sha256" "$WORK/src"

# blob FILE MEDIATYPE -> prints a descriptor, moves FILE into blobs/
blob() {
  local file=$1 media=$2 hex size
  hex=$(sha256sum "$file" | cut -d' ' -f1)
  size=$(stat -c %s "$file")
  mv "$file" "$LAYOUT/blobs/sha256/$hex"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$media" "$hex" "$size"
}

echo "generating ${TOTAL_MIB} MiB in $LAYERS layers under $WORK ..." >&2
per=$((TOTAL_MIB / LAYERS))
layers=""
diffids=""
for i in $(seq 1 $LAYERS); do
  name=$(printf 'model-%05d-of-%05d.safetensors' "$i" "$LAYERS")
  head -c "$((per << 20))" /dev/urandom > "$WORK/src/$name"
  tar --format=ustar --mtime=@0 --owner=0 --group=0 --numeric-owner --mode=0644 \
    -C "$WORK/src" -cf "$WORK/layer.tar" "$name"
  rm "$WORK/src/$name"
  d=$(blob "$WORK/layer.tar" application/vnd.cncf.model.weight.v1.tar)
  digest=$(sed 's/.*"digest":"\([^"]*\)".*/\1/' <<<"$d")
  d=${d%\}}',"annotations":{"org.cncf.model.filepath":"'$name'"}}'
  layers+=${layers:+,}$d
  diffids+=${diffids:+,}\"$digest\"
done
printf '{"descriptor":{"name":"bench"},"config":{"format":"safetensors"},"modelfs":{"type":"layers","diffIds":[%s]}}' \
  "$diffids" > "$WORK/config.json"
config=$(blob "$WORK/config.json" application/vnd.cncf.model.config.v1+json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.cncf.model.manifest.v1+json","config":%s,"layers":[%s]}' \
  "$config" "$layers" > "$WORK/manifest.json"
manifest=$(blob "$WORK/manifest.json" application/vnd.oci.image.manifest.v1+json)
manifest=${manifest%\}}',"annotations":{"org.opencontainers.image.ref.name":"v1"}}'
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
  "$manifest" > "$LAYOUT/index.json"
printf '{"imageLayoutVersion":"1.0.0"}' > "$LAYOUT/oci-layout"
[[ ${KEEP:-0} == 1 ]] && echo "layout kept at $LAYOUT" >&2

"$MPCHECK" validate "$LAYOUT" >/dev/null || { echo "generated layout does not validate" >&2; exit 1; }

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
blobs=("$LAYOUT"/blobs/sha256/*)
: > "$WORK/t_mpcheck"
: > "$WORK/t_openssl"
for r in $(seq 1 "$RUNS"); do
  t0=$(now); "$MPCHECK" validate --jobs "$JOBS" "$LAYOUT" >/dev/null; t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$WORK/t_mpcheck"
  t0=$(now); openssl dgst -sha256 "${blobs[@]}" >/dev/null; t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", b - a }' >> "$WORK/t_openssl"
done
m=$(median < "$WORK/t_mpcheck")
o=$(median < "$WORK/t_openssl")

if [[ -x /usr/bin/time ]]; then
  rss_kib=$(/usr/bin/time -v "$MPCHECK" validate --jobs "$JOBS" "$LAYOUT" 2>&1 >/dev/null |
    awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}')
  rss_how="/usr/bin/time -v"
else
  "$MPCHECK" validate --jobs "$JOBS" "$LAYOUT" >/dev/null &
  pid=$!
  rss_kib=0
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n $v ]] && rss_kib=$v
    sleep 0.02
  done
  rss_how="VmHWM sampled"
fi

echo "| artifact | run | load avg | mpcheck validate (median) | openssl dgst -sha256 (median) | ratio | peak RSS |"
echo "|---|---|---|---|---|---|---|"
printf '| %s MiB in %d tar layers | `--jobs %s`, %d runs | %s | %.3f s | %.3f s | %.2f | %.1f MiB |\n' \
  "$TOTAL_MIB" "$LAYERS" "$JOBS" "$RUNS" "$(cut -d' ' -f1 /proc/loadavg)" "$m" "$o" \
  "$(awk -v a="$m" -v b="$o" 'BEGIN { print a / b }')" "$(awk -v k="$rss_kib" 'BEGIN { print k / 1024 }')"
echo
echo "Targets: ratio <= 1.0, peak RSS < 64 MiB. $(nproc) cores; peak RSS via $rss_how."
echo "mpcheck validate runs (s): $(paste -sd' ' "$WORK/t_mpcheck" | xargs printf '%.3f ')"
echo "openssl dgst runs (s):     $(paste -sd' ' "$WORK/t_openssl" | xargs printf '%.3f ')"
