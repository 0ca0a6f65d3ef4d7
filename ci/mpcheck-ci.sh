#!/usr/bin/env bash
# mpcheck in a CI job, shared by the GitHub Action (action.yml) and the GitLab CI template
# (ci/gitlab/mpcheck.yml):
#   ci/mpcheck-ci.sh install   puts mpcheck on the machine (Debian 12; root or sudo)
#   ci/mpcheck-ci.sh run       runs one command; exits with mpcheck's exit code
# Settings come from the environment (the Action's inputs, the template's variables):
#   MPCHECK_DEB          install: path or https URL of mpcheck_<version>_<arch>.deb; without it,
#                        the package is built from this checkout (scripts/package.sh, ~10 min)
#   MPCHECK_COMMAND      lint | validate | conformance
#   MPCHECK_TARGETS      lint, validate: files, layouts, archives or registry refs, separated by
#                        blanks; shell globs are expanded
#   MPCHECK_REPORT_DIR   --report-dir (default mpcheck-report)
#   MPCHECK_FORMAT       --format on standard output (default text)
#   MPCHECK_SPEC         lint, validate: --spec (main or v0.0.7)
#   MPCHECK_STRICT       lint, validate: "true" adds --strict
#   MPCHECK_KIND         lint: --kind (auto, config, manifest)
#   MPCHECK_REGISTRY     conformance: --registry HOST[:PORT]
#   MPCHECK_REPOSITORY   conformance: --repo
#   MPCHECK_PROFILE      conformance: --profile (quick or full)
#   MPCHECK_TLS          validate (registry targets), conformance: --tls
#   MPCHECK_ARGS         more arguments, split on blanks
#   MPCHECK_DRY_RUN      "1": print the command line instead of running it
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi

install() {
  export DEBIAN_FRONTEND=noninteractive
  local deb=${MPCHECK_DEB:-} tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
  if [ -z "$deb" ]; then
    "$root/scripts/install-deps.sh"
    deb=$(MPCHECK_BUILD_DIR="$tmp/mpcheck-build" "$root/scripts/package.sh" "$tmp/mpcheck-deb")
  elif [[ $deb == https://* ]]; then
    command -v curl >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq curl ca-certificates; }
    curl -fsSL -o "$tmp/$(basename "$deb")" "$deb"
    deb=$tmp/$(basename "$deb")
  fi
  [[ $deb == /* ]] || deb=$PWD/$deb
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "$deb"
  mpcheck --version
}

command_line() {
  local cmd=${MPCHECK_COMMAND:-lint}
  args=("$cmd")
  case $cmd in
    lint)
      [ -z "${MPCHECK_KIND:-}" ] || args+=(--kind "$MPCHECK_KIND")
      ;;&
    lint | validate)
      [ -z "${MPCHECK_SPEC:-}" ] || args+=(--spec "$MPCHECK_SPEC")
      [ "${MPCHECK_STRICT:-false}" != true ] || args+=(--strict)
      ;;&
    validate | conformance)
      [ -z "${MPCHECK_TLS:-}" ] || args+=(--tls "$MPCHECK_TLS")
      ;;&
    conformance)
      [ -n "${MPCHECK_REGISTRY:-}" ] || { echo "mpcheck-ci: conformance needs MPCHECK_REGISTRY (the registry input)" >&2; exit 2; }
      args+=(--registry "$MPCHECK_REGISTRY")
      [ -z "${MPCHECK_REPOSITORY:-}" ] || args+=(--repo "$MPCHECK_REPOSITORY")
      [ -z "${MPCHECK_PROFILE:-}" ] || args+=(--profile "$MPCHECK_PROFILE")
      ;;
    lint | validate) ;;
    *) echo "mpcheck-ci: unknown command '$cmd' (lint, validate or conformance)" >&2; exit 2 ;;
  esac
  args+=(--report-dir "${MPCHECK_REPORT_DIR:-mpcheck-report}")
  [ -z "${MPCHECK_FORMAT:-}" ] || args+=(--format "$MPCHECK_FORMAT")
  local extra
  read -r -a extra <<<"${MPCHECK_ARGS:-}"
  args+=(${extra[@]+"${extra[@]}"})
  if [ "$cmd" != conformance ]; then
    [ -n "${MPCHECK_TARGETS:-}" ] || { echo "mpcheck-ci: $cmd needs MPCHECK_TARGETS (the targets input)" >&2; exit 2; }
    local t
    for t in $MPCHECK_TARGETS; do args+=("$t"); done  # unquoted on purpose: globs expand
  fi
}

case "${1:-}" in
  install) install ;;
  run)
    command_line
    if [ "${MPCHECK_DRY_RUN:-}" = 1 ]; then
      printf '%s\n' "${args[@]}"
      exit 0
    fi
    echo "+ mpcheck ${args[*]}" >&2
    exec mpcheck "${args[@]}"
    ;;
  *) echo "usage: $0 install|run" >&2; exit 2 ;;
esac
