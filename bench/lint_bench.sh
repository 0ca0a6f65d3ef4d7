#!/usr/bin/env bash
# Lint benchmark: mpcheck lint vs ajv-cli (schema only) on 1,000 generated configs in one
# process, and on a single file. Not a test: it prints medians and ratios for docs/benchmarks.md.
# Usage: bench/lint_bench.sh [RUNS]   (needs a built build/cli/mpcheck and network access to npm)
# Environment: MPCHECK (the binary), CONFIGS (how many configs, default 1000),
# BENCH_SKIP_ANCHOR=1 (time mpcheck only: no npm, ajv-cli's columns say "skipped").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/common.sh"
runs=${1:-11}
configs=${CONFIGS:-1000}
skip_anchor=${BENCH_SKIP_ANCHOR:-0}
mpcheck=${MPCHECK:-$root/build/cli/mpcheck}
schema=$root/schema/modelpack/main/config-schema.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[[ -x $mpcheck ]] || { echo "lint_bench: mpcheck binary not found: $mpcheck" >&2; exit 2; }
if [[ $skip_anchor == 1 ]]; then
  echo "lint_bench: ajv-cli anchor skipped (BENCH_SKIP_ANCHOR=1): mpcheck timed alone" >&2
else
  command -v npm >/dev/null || { echo "lint_bench: npm is needed to install ajv-cli" >&2; exit 2; }
  echo "installing ajv-cli into $work (npm)..." >&2
  npm install --silent --no-audit --no-fund --prefix "$work/npm" ajv-cli@5 ajv-formats@2 >/dev/null
  ajv=$work/npm/node_modules/.bin/ajv
fi

mkdir -p "$work/configs"
precisions=(float16 bfloat16 float32 int8 "float16,float8_e4m3")
sizes=(7b 8B 70b 1.5B 405b 6.7B 100m 13b)
for i in $(seq 0 $((configs - 1))); do
  cat >"$work/configs/config-$i.json" <<JSON
{
  "descriptor": {
    "createdAt": "2025-0$((i % 9 + 1))-1$((i % 10))T12:00:00Z",
    "authors": ["team-$i@example.com"],
    "vendor": "Example Corp.",
    "family": "family$((i % 17))",
    "name": "model-$i",
    "version": "1.$i",
    "title": "Example model $i",
    "description": "Generated config number $i for the lint benchmark.",
    "docURL": "https://example.com/models/$i",
    "sourceURL": "https://github.com/example/model-$i",
    "datasetsURL": ["https://example.com/datasets/$((i % 5))"],
    "revision": "$(printf '%040x' "$i")",
    "licenses": ["Apache-2.0"]
  },
  "config": {
    "architecture": "transformer",
    "format": "safetensors",
    "paramSize": "${sizes[$((i % 8))]}",
    "precision": "${precisions[$((i % 5))]}",
    "quantization": "awq",
    "capabilities": {
      "inputTypes": ["text"],
      "outputTypes": ["text"],
      "knowledgeCutoff": "2024-05-21T00:00:00Z",
      "reasoning": $([ $((i % 2)) -eq 0 ] && echo true || echo false),
      "toolUsage": false,
      "reward": false,
      "languages": ["en", "zh", "fr"]
    }
  },
  "modelfs": {
    "type": "layers",
    "diffIds": ["sha256:$(printf '%064x' "$i")", "sha256:$(printf '%064x' $((i + 1000)))"]
  }
}
JSON
done

# Sanity: both tools accept every file (a benchmark of a failing run measures nothing).
"$mpcheck" lint "$work"/configs/*.json >/dev/null
[[ $skip_anchor == 1 ]] ||
  "$ajv" validate --spec=draft2020 -c ajv-formats -s "$schema" -d "$work/configs/*.json" >/dev/null

# measure "MPCHECK_CMD" "AJV_CMD": "WALL_M WALL_A CPU_M CPU_A" (medians, ms); without the anchor
# mpcheck runs alone and ajv-cli's values are "skipped".
measure() {
  if [[ $skip_anchor == 1 ]]; then
    local w=() c=() wall cpu
    for ((i = 0; i < runs; i++)); do
      read -r wall cpu < <(run_timed "$1"); w+=("$wall"); c+=("$cpu")
    done
    echo "$(median_of "${w[@]}") skipped $(median_of "${c[@]}") skipped"
  else
    median_pair "$runs" "$1" "$2"
  fi
}

one=$work/configs/config-0.json
ajv_cmd="${ajv:-ajv} validate --spec=draft2020 -c ajv-formats -s $schema"
read -r m_many a_many mc_many ac_many < <(measure \
  "$mpcheck lint $work/configs/*.json" "$ajv_cmd -d '$work/configs/*.json'")
read -r m_many1 a_many1 mc_many1 ac_many1 < <(measure \
  "$mpcheck lint --jobs 1 $work/configs/*.json" "$ajv_cmd -d '$work/configs/*.json'")
read -r m_one a_one mc_one ac_one < <(measure "$mpcheck lint $one" "$ajv_cmd -d $one")

echo "| case | mpcheck wall (ms) | ajv-cli wall (ms) | wall ratio | mpcheck CPU (ms) | ajv-cli CPU (ms) | CPU ratio |"
echo "|---|---|---|---|---|---|---|"
ratio_or_dash() { if [[ $2 == skipped ]]; then echo "-"; else echo "$(ratio "$2" "$1")x"; fi; }
row() { echo "| $1 | $2 | $3 | $(ratio_or_dash "$2" "$3") | $4 | $5 | $(ratio_or_dash "$4" "$5") |"; }
with_commas() { local s=$1 out=""; while ((${#s} > 3)); do out=",${s: -3}$out"; s=${s:0:-3}; done; echo "$s$out"; }
n=$(with_commas "$configs")
row "$n configs, one process (--jobs default = $(nproc))" "$m_many" "$a_many" "$mc_many" "$ac_many"
row "$n configs, one process, --jobs 1" "$m_many1" "$a_many1" "$mc_many1" "$ac_many1"
row "one config" "$m_one" "$a_one" "$mc_one" "$ac_one"
echo
if [[ $skip_anchor == 1 ]]; then how="mpcheck alone, ajv-cli skipped"; else how="mpcheck and ajv-cli alternating"; fi
echo "Medians of $runs runs, $how; $(nproc) cores; load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%d)."
