#!/usr/bin/env bash
# Lint benchmark: mpcheck lint vs ajv-cli (schema only) on 1,000 generated configs in one
# process, and on a single file. Not a test: it prints medians and ratios for docs/benchmarks.md.
# Usage: bench/lint_bench.sh [RUNS]   (needs a built build/cli/mpcheck and network access to npm)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/bench/common.sh"
runs=${1:-11}
mpcheck=${MPCHECK:-$root/build/cli/mpcheck}
schema=$root/schema/modelpack/main/config-schema.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v npm >/dev/null || { echo "lint_bench: npm is needed to install ajv-cli" >&2; exit 2; }
echo "installing ajv-cli into $work (npm)..." >&2
npm install --silent --no-audit --no-fund --prefix "$work/npm" ajv-cli@5 ajv-formats@2 >/dev/null
ajv=$work/npm/node_modules/.bin/ajv

mkdir -p "$work/configs"
precisions=(float16 bfloat16 float32 int8 "float16,float8_e4m3")
sizes=(7b 8B 70b 1.5B 405b 6.7B 100m 13b)
for i in $(seq 0 999); do
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
"$ajv" validate --spec=draft2020 -c ajv-formats -s "$schema" -d "$work/configs/*.json" >/dev/null

one=$work/configs/config-0.json
ajv_cmd="$ajv validate --spec=draft2020 -c ajv-formats -s $schema"
read -r m_many a_many mc_many ac_many < <(median_pair "$runs" \
  "$mpcheck lint $work/configs/*.json" "$ajv_cmd -d '$work/configs/*.json'")
read -r m_many1 a_many1 mc_many1 ac_many1 < <(median_pair "$runs" \
  "$mpcheck lint --jobs 1 $work/configs/*.json" "$ajv_cmd -d '$work/configs/*.json'")
read -r m_one a_one mc_one ac_one < <(median_pair "$runs" "$mpcheck lint $one" "$ajv_cmd -d $one")

echo "| case | mpcheck wall (ms) | ajv-cli wall (ms) | wall ratio | mpcheck CPU (ms) | ajv-cli CPU (ms) | CPU ratio |"
echo "|---|---|---|---|---|---|---|"
row() { echo "| $1 | $2 | $3 | $(ratio "$3" "$2")x | $4 | $5 | $(ratio "$5" "$4")x |"; }
row "1,000 configs, one process (--jobs default = $(nproc))" "$m_many" "$a_many" "$mc_many" "$ac_many"
row "1,000 configs, one process, --jobs 1" "$m_many1" "$a_many1" "$mc_many1" "$ac_many1"
row "one config" "$m_one" "$a_one" "$mc_one" "$ac_one"
echo
echo "Medians of $runs runs, mpcheck and ajv-cli alternating; $(nproc) cores; load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) at the end; $(date -u +%Y-%m-%d)."
