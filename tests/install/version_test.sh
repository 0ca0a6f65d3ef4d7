#!/usr/bin/env bash
# The commit --version reports (cmake/GitCommit.cmake): the checkout's HEAD inside a git checkout,
# "unknown" for sources without .git (a release tarball), even unpacked inside another git
# repository, and the packager's -DMPCHECK_GIT_COMMIT when given.
#   version_test.sh SOURCE_DIR MPCHECK
set -euo pipefail
source=$(cd "$1" && pwd) mpcheck=$2
script=$source/cmake/GitCommit.cmake
work=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-version-XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "version_test: FAIL: $*" >&2; exit 1; }
commit_for() {  # commit_for SOURCE_DIR [OVERRIDE]
  cmake -DSOURCE_DIR="$1" -DOUTPUT="$work/out.hpp" -DOVERRIDE="${2:-}" -P "$script"
  sed -n 's/^#define MPCHECK_GIT_COMMIT "\(.*\)"$/\1/p' "$work/out.hpp"
}

mkdir "$work/tarball"
[ "$(commit_for "$work/tarball")" = unknown ] || fail "sources without .git: not 'unknown'"
# A tarball unpacked inside some other repository does not take that repository's commit.
git -C "$work" init -q && mkdir -p "$work/tarball/sub"
[ "$(commit_for "$work/tarball/sub")" = unknown ] || fail "sources inside another repository took its commit"
[ "$(commit_for "$work/tarball" 0123456789ab)" = 0123456789ab ] || fail "-DMPCHECK_GIT_COMMIT ignored"
if git -C "$source" rev-parse HEAD >/dev/null 2>&1; then
  head=$(git -C "$source" rev-parse --short=12 HEAD)
  [[ $(commit_for "$source") == "$head"* ]] || fail "checkout: not HEAD ($head)"
  # The binary under test says the same (modulo -dirty, which depends on the moment).
  "$mpcheck" --version | grep -Eq "^mpcheck [0-9.]+ \(commit [0-9a-f]{12}(-dirty)?\)$" ||
    fail "mpcheck --version: $("$mpcheck" --version)"
fi
echo "version_test: ok"
