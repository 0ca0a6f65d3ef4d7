# Shared helpers for the benchmark scripts (sourced, not run).

# now_us: wall clock in microseconds.
now_us() { echo $(($(date +%s%N) / 1000)); }

# median_pair RUNS "CMD_A" "CMD_B": runs A and B alternately RUNS times each (so both see the
# same machine load) and prints "MEDIAN_A_MS MEDIAN_B_MS". Commands are shell strings we build.
median_pair() {
  local runs=$1 a=$2 b=$3 ta=() tb=() s
  for ((i = 0; i < runs; i++)); do
    s=$(now_us); eval "$a" >/dev/null 2>&1 || true; ta+=($(($(now_us) - s)))
    s=$(now_us); eval "$b" >/dev/null 2>&1 || true; tb+=($(($(now_us) - s)))
  done
  echo "$(median_of "${ta[@]}") $(median_of "${tb[@]}")"
}

# median_of MICROSECONDS...: the median in milliseconds, two decimals.
median_of() {
  printf '%s\n' "$@" | sort -n |
    awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.2f", m / 1000}'
}

# ratio A B: A/B with one decimal.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
