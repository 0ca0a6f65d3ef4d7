#!/usr/bin/env bash
# fuzz.sh [SECONDS]: builds the libFuzzer harnesses (tests/fuzz/) with clang under ASan+UBSan in
# build-fuzz/, seeds a corpus per harness from the fixtures, and runs every harness for an equal
# share of SECONDS (default 600). Prints executions and exec/s per harness. Exits 1 on a finding
# (crash, leak, timeout, out-of-memory) and leaves the input in build-fuzz/findings/<harness>/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MPCHECK_FUZZ_BUILD_DIR:-$root/build-fuzz}
total_seconds=${1:-600}
clang_version=16
cc=clang-$clang_version
cxx=clang++-$clang_version
jobs=$(nproc 2>/dev/null || echo 2)

stage() {  # stage NAME COMMAND...: runs the command, then prints how long it took
  local name=$1 start=$SECONDS
  shift
  echo "== $name" >&2
  "$@"
  echo "== $name: $((SECONDS - start)) s" >&2
}

# clang and its libFuzzer/sanitizer runtimes, from Debian 12.
install_clang() {
  local pkgs=(clang-$clang_version libclang-rt-$clang_version-dev) missing=()
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null ||
    { "${sudo[@]}" apt-get update >/dev/null && \
      "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null; }
}

build_harnesses() {
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CC=$cc CXX=$cxx cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DMPCHECK_FUZZ=ON \
    "${launcher[@]}" >/dev/null
  cmake --build "$build" -j "$jobs" --target fuzz_harnesses mpcheck-full >"$build/build.log" 2>&1 ||
    { tail -50 "$build/build.log" >&2; exit 1; }
}

harnesses=(fuzz_lint fuzz_manifest fuzz_layout_archive fuzz_layer fuzz_www_authenticate
  fuzz_http_fields fuzz_results_json fuzz_suite_yaml)
dict_for() {
  case $1 in
    fuzz_lint | fuzz_manifest | fuzz_results_json) echo "$root/tests/fuzz/json.dict" ;;
    fuzz_layer | fuzz_layout_archive) echo "$root/tests/fuzz/tar.dict" ;;
    *) echo "" ;;
  esac
}

run_harnesses() {
  local per=$((total_seconds / ${#harnesses[@]}))
  [ "$per" -ge 1 ] || per=1
  local findings=0
  rm -rf "$build/findings"
  for h in "${harnesses[@]}"; do
    local corpus="$build/corpus/$h" found="$build/findings/$h" log="$build/logs/$h.log"
    mkdir -p "$corpus" "$found" "$build/logs"
    local args=(-max_total_time="$per" -timeout=30 -rss_limit_mb=2560 -max_len=1048576
      -print_final_stats=1 -artifact_prefix="$found/")
    local dict
    dict=$(dict_for "$h")
    [ -n "$dict" ] && args+=(-dict="$dict")
    # New inputs go to the first directory, which build-fuzz/ keeps from run to run.
    local rc=0
    (cd "$found" && "$build/tests/fuzz/$h" "${args[@]}" "$corpus" "$build/seeds/$h") >"$log" 2>&1 || rc=$?
    local execs rate
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    if [ "$rc" -eq 0 ]; then
      printf '%-22s %10s execs %7s exec/s  no finding\n' "$h" "${execs:-?}" "${rate:-?}"
      rmdir "$found" 2>/dev/null || true
    else
      findings=$((findings + 1))
      printf '%-22s %10s execs %7s exec/s  FINDING (exit %s): %s\n' "$h" "${execs:-?}" \
        "${rate:-?}" "$rc" "$(ls "$found" | tr '\n' ' ')"
      grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log" || true
      echo "  log: $log" >&2
    fi
  done
  [ "$findings" -eq 0 ] || { echo "fuzz: $findings harness(es) found a problem; inputs in $build/findings/" >&2; return 1; }
}

# A finding stops the harness at once, with a stack trace; UBSan's reports count as findings.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/sanitizers/ubsan.supp}

total=$SECONDS
stage "fuzz: install clang" install_clang
stage "fuzz: build" build_harnesses
stage "fuzz: seeds" "$root/tests/fuzz/make_seeds.sh" "$build/cli/mpcheck-full" "$build/seeds"
stage "fuzz: run ${total_seconds} s" run_harnesses
echo "== fuzz total: $((SECONDS - total)) s" >&2
