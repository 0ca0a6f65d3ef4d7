#!/usr/bin/env bash
# The main job. With arguments, runs `mpcheck ARGS...`. Without, lints the bundled examples
# (the ModelPack spec's own config and manifest examples), then certifies a throwaway local
# registry: Debian's docker-registry (Distribution 2.8) on a free loopback port with temporary
# storage, `mpcheck conformance` against it, the verdict and where report.html is.
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

registry_bin=/usr/bin/docker-registry
if [ ! -x "$registry_bin" ]; then
  echo "mpcheck: $registry_bin not installed; skipping the registry conformance run" >&2
  exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-run-XXXXXX")
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
  fi
  rm -rf "$work/storage"
}
trap cleanup EXIT
# A free loopback port: bind port 0 and read back what the kernel chose.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/registry.yml" <<YAML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $work/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YAML
"$registry_bin" serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 100); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/v2/"; then break; fi
  sleep 0.1
done
report=$work/report
echo "mpcheck: certifying docker-registry $("$registry_bin" --version 2>/dev/null | awk '{print $NF}') on 127.0.0.1:$port"
rc=0
"$mpcheck" conformance --registry "127.0.0.1:$port" --tls disabled --report-dir "$report" || rc=$?
# mpcheck printed the verdict and the report path itself; only a failure to run needs a word.
[ "$rc" -le 1 ] || echo "mpcheck: the conformance run could not run (exit $rc)" >&2
exit "$rc"
