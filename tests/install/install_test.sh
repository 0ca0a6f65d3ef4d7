#!/usr/bin/env bash
# `cmake --install` into a scratch prefix, then the installed tree is used with the build and
# source trees hidden (a private mount namespace lays an empty tmpfs over both), from another
# directory, and again after the prefix is moved: it must need nothing from either tree.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd) source=$(cd "$2" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/mpcheck-install-XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }
in_ci() { [ -n "${CI:-}" ] && [ "${CI}" != false ] && [ "${CI}" != 0 ]; }

cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install"; }

for f in bin/mpcheck libexec/mpcheck/mpcheck-full share/man/man1/mpcheck.1 \
  share/man/man1/mpcheck-lint.1 share/man/man1/mpcheck-validate.1 \
  share/man/man1/mpcheck-conformance.1 share/bash-completion/completions/mpcheck \
  share/zsh/vendor-completions/_mpcheck share/fish/vendor_completions.d/mpcheck.fish \
  share/doc/mpcheck/README.md share/doc/mpcheck/docs/usage.md; do
  [ -s "$prefix/$f" ] || fail "not installed: $f"
done
# Nothing test-only is installed.
! find "$prefix" -name '*_test' -o -name 'mpcheck-registry-bench' | grep -q . || fail "test binaries installed"
# The installed binaries name no directory of the build: no RPATH/RUNPATH, no library from it.
for exe in "$prefix/bin/mpcheck" "$prefix/libexec/mpcheck/mpcheck-full"; do
  ! readelf -d "$exe" | grep -E 'RPATH|RUNPATH' | grep -qF "$build" || fail "$exe has the build tree in its RPATH"
  ! ldd "$exe" | grep -qF "$build" || fail "$exe loads a library from the build tree"
done

# What the installed tree is run with: the examples and the smoke script, copied out.
mkdir "$work/inputs"
cp "$source/fixtures/examples/config.json" "$source/fixtures/examples/manifest.json" \
  "$source/tests/install/smoke.sh" "$work/inputs/"

check_installed() {  # check_installed PREFIX: the smoke run, the man page, the completion
  local p=$1
  bash "$work/inputs/smoke.sh" "$p/bin/mpcheck" "$work/inputs"
  man -l -P cat "$p/share/man/man1/mpcheck-lint.1" >"$work/man.txt" 2>"$work/man.err" ||
    { cat "$work/man.err" >&2; fail "man -l mpcheck-lint.1"; }
  grep -q -- "--kind" "$work/man.txt" || fail "mpcheck-lint.1 does not render --kind"
  grep -q "EXIT STATUS" "$work/man.txt" || fail "mpcheck-lint.1 has no EXIT STATUS"
  # Every flag of every EXAMPLES line exists in the --help of the (sub)command the line runs.
  local page line flag
  for page in "$p"/share/man/man1/mpcheck-*.1; do
    sed -n '/^\.SH EXAMPLES/,/^\.SH EXIT/p' "$page" | grep '^\\fBmpcheck ' | sed 's/\\-/-/g; s/\\f[BR]//g' |
      while read -r line; do
        read -r -a w <<<"$line"
        "$p/bin/mpcheck" "${w[1]}" "${w[2]}" --help >"$work/help.txt" 2>/dev/null ||
          "$p/bin/mpcheck" "${w[1]}" --help >"$work/help.txt"
        for flag in $(grep -o -- '--[a-z][a-z-]*' <<<"$line"); do
          grep -qE -- "(^|[ ,])$flag([ =,]|$)" "$work/help.txt" || fail "$(basename "$page") EXAMPLES: '$line': no $flag in its --help"
        done
      done
  done
  grep -q "EXAMPLES" "$work/man.txt" || fail "mpcheck-lint.1 has no EXAMPLES"
  local words
  words=$(bash -c 'source "$1"; COMP_WORDS=(mpcheck lint --kind ""); COMP_CWORD=3; _mpcheck; echo "${COMPREPLY[*]}"' \
    _ "$p/share/bash-completion/completions/mpcheck")
  [ "$words" = "auto config manifest" ] || fail "bash completion of lint --kind: '$words'"
}
export -f check_installed fail
export work

if ! command -v man >/dev/null; then
  in_ci && fail "man (Debian man-db) is not installed"
  echo "install_test: man not installed (scripts/install-deps.sh --test installs man-db)"; exit 77
fi

cd "$work"
if unshare -m true 2>/dev/null; then
  # The build and source trees are gone for everything that runs inside.
  unshare -m bash -c 'set -euo pipefail
    mount -t tmpfs none "$1" && mount -t tmpfs none "$2" || exit 3
    [ ! -e "$1/CMakeCache.txt" ] && [ ! -e "$2/CMakeLists.txt" ] || exit 3
    check_installed "$3"' _ "$build" "$source" "$prefix" || fail "installed tree with build and source hidden"
  echo "install_test: ran with $build and $source hidden"
else
  in_ci && fail "unshare -m is not permitted here: cannot hide the build tree"
  echo "install_test: unshare -m not permitted; running without hiding the build tree"
  check_installed "$prefix"
fi

# Relocatable: the same tree, moved, still finds its libexec half.
mv "$prefix" "$work/moved"
check_installed "$work/moved"
echo "install_test: ok"
