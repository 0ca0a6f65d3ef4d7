#!/usr/bin/env bash
# Smoke run of one benchmark script at a tiny size, for ctest (bench:<script>): checks that the
# script completes and prints its results table (the header line and a data row with numbers).
# It measures nothing worth recording; the full-size commands are in docs/benchmarks.md.
#
#   bench/smoke.sh lint_bench|validate_bench|registry_bench MPCHECK REGISTRY_BENCH_BINARY
#
# A missing prerequisite skips (exit 77, ctest's SKIP_RETURN_CODE) locally and fails when CI is
# set.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?script name} mpcheck=${2:?mpcheck binary} registry_bench=${3:?registry bench binary}

missing=()
need() { local t; for t; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done; }
need bash awk sort
case $name in
  lint_bench)
    # ajv-cli comes from npm over the network: the anchor is skipped, mpcheck is timed alone.
    cmd=(env MPCHECK="$mpcheck" CONFIGS=20 BENCH_SKIP_ANCHOR=1 "$here/lint_bench.sh" 1)
    header='| case | mpcheck wall (ms) | ajv-cli wall (ms) | wall ratio | mpcheck CPU (ms) | ajv-cli CPU (ms) | CPU ratio |'
    row='^\| 20 configs, one process \(--jobs default = [0-9]+\) \| [0-9]+\.[0-9]{2} \| skipped \| - \| [0-9]+\.[0-9]{2} \| skipped \| - \|$'
    ;;
  validate_bench)
    need openssl tar sha256sum
    cmd=("$here/validate_bench.sh" "$mpcheck" 4 1)
    header='| artifact | run | load avg | mpcheck validate (median) | openssl dgst -sha256 (median) | ratio | peak RSS |'
    row='^\| 4 MiB in 4 tar layers \| `--jobs [0-9]+`, 1 runs \| [0-9.]+ \| [0-9]+\.[0-9]{3} s \| [0-9]+\.[0-9]{3} s \| [0-9]+\.[0-9]{2} \| [0-9]+\.[0-9] MiB \|$'
    ;;
  registry_bench)
    need skopeo curl python3 sha256sum cmp
    [[ -x /usr/bin/docker-registry ]] || missing+=(/usr/bin/docker-registry)
    cmd=("$here/registry_bench.sh" "$registry_bench" 1 1)
    header='| direction | mpcheck (median) | skopeo copy (median) | ratio mpcheck / skopeo |'
    row='^\| push 1 MiB \| [0-9]+\.[0-9]{2} ms \| [0-9]+\.[0-9]{2} ms \| [0-9]+\.[0-9]{2} \|$'
    ;;
  *)
    echo "smoke: unknown benchmark $name" >&2
    exit 2
    ;;
esac

if ((${#missing[@]})); then
  echo "smoke: $name not run: missing ${missing[*]}"
  [[ -n ${CI:-} ]] && { echo "smoke: CI is set, a missing prerequisite fails"; exit 1; }
  exit 77
fi

echo "smoke: ${cmd[*]}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"${cmd[@]}" 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
if ((rc != 0)); then
  echo "smoke: $name exited $rc" >&2
  exit 1
fi
grep -Fxq -- "$header" "$out" || { echo "smoke: $name printed no results table header: $header" >&2; exit 1; }
grep -Eq -- "$row" "$out" || { echo "smoke: $name printed no data row matching: $row" >&2; exit 1; }
echo "smoke: $name ok: results table with a data row"
