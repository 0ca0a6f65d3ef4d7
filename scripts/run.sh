#!/usr/bin/env bash
# The main job. With arguments, runs `mpcheck ARGS...`. Without, lints the bundled examples
# (the ModelPack spec's own config and manifest examples) and prints the verdict.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
mpcheck=${MPCHECK_BUILD_DIR:-$root/build}/cli/mpcheck
if [ $# -gt 0 ]; then
  exec "$mpcheck" "$@"
fi
examples=$root/fixtures/examples
echo "mpcheck: linting the spec's examples (model-spec main)"
"$mpcheck" lint "$examples/config.json" "$examples/manifest.json"
echo "mpcheck: linting the v0.0.7 config example against --spec v0.0.7"
"$mpcheck" lint --spec v0.0.7 "$examples/config-v0.0.7.json"
