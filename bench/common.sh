# Shared helpers for the benchmark scripts (sourced, not run).

# now_us: wall-clock time in microseconds, from bash's EPOCHREALTIME (no process started, so
# nothing but the measured command lands between two readings).
now_us() {
  local t=${EPOCHREALTIME/[.,]/}
  echo "$((10#$t))"
}

# run_timed CMD: runs the shell string CMD (output discarded) and prints "WALL_US CPU_US", CPU
# being user + system time of it and its children (bash's `time`).
run_timed() {
  local TIMEFORMAT='%R %U %S' out
  out=$({ time eval "$1" >/dev/null 2>&1; } 2>&1 | tail -n 1)
  awk -v t="$out" 'BEGIN { split(t, a, " "); printf "%d %d\n", a[1] * 1e6, (a[2] + a[3]) * 1e6 }'
}

# median_pair RUNS "CMD_A" "CMD_B": runs A and B alternately RUNS times each, so both see the
# same machine load, and prints "WALL_A WALL_B CPU_A CPU_B", each a median in milliseconds.
median_pair() {
  local runs=$1 a=$2 b=$3 wa=() wb=() ca=() cb=() w c
  for ((i = 0; i < runs; i++)); do
    read -r w c < <(run_timed "$a"); wa+=("$w"); ca+=("$c")
    read -r w c < <(run_timed "$b"); wb+=("$w"); cb+=("$c")
  done
  echo "$(median_of "${wa[@]}") $(median_of "${wb[@]}") $(median_of "${ca[@]}") $(median_of "${cb[@]}")"
}

# median_of MICROSECONDS...: the median in milliseconds, two decimals.
median_of() {
  printf '%s\n' "$@" | sort -n |
    awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

# ratio A B: A/B with one decimal.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
