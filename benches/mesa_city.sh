#!/usr/bin/env bash
# olika against Mesa on the whole baseline city, side by side (issue 28, item 3). Not part of
# `cargo test` or CI.
#
#   bash benches/mesa_city.sh                # time only: 3 repeats, medians, the ratio
#   DOCK=1 bash benches/mesa_city.sh         # first dock: seeds 1, 2, 3 × 100 runs each, the table
#   DOCK=only bash benches/mesa_city.sh      # the docking table alone, no timing
#   DOCK=only SEEDS="1 2 3 4 5 6" KEEP=dir bash benches/mesa_city.sh   # other seeds; runs kept in dir
#   RUNS=20 REPEATS=3 bash benches/mesa_city.sh
#
# The port, benches/mesa/city.py, is scenarios/baseline.toml written in Mesa 3.3.1 from
# docs/model.md; benches/mesa/dock.py judges the means (TOST, margin ±10 % of olika's mean). Timing
# is on one core: olika's whole command (`--threads 1`: start-up, runs, tables, summary, charts,
# report) divided by its runs, with default output and thinned (`--every 100000000 --no-plots`);
# Mesa's is the sum of its runs' own times (every step collected by a DataCollector; the
# interpreter's start-up not counted). Each is repeated REPEATS times and the median taken.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-20}           # Mesa runs per timing repeat
olika_runs=${OLIKA_RUNS:-200}
repeats=${REPEATS:-3}
venv=target/mesa-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import mesa' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mesa==3.3.1"
fi
py=$venv/bin/python
cargo build --release --quiet
olika=$PWD/target/release/olika
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

seeds=${SEEDS:-1 2 3}
if [ -n "${DOCK:-}" ]; then
  o=() m=()
  for s in $seeds; do
    "$olika" run scenarios/baseline.toml --replications 100 --seed "$s" -q --force --no-plots -o "$work/o$s"
    "$py" benches/mesa/city.py --runs 100 --seed "$s" > "$work/m$s.csv"
    o+=("$work/o$s/runs.csv") m+=("$work/m$s.csv")
  done
  echo "docking: seeds ${seeds// /, } × 100 runs each"
  "$py" benches/mesa/dock.py "$(IFS=,; echo "${o[*]}")" "$(IFS=,; echo "${m[*]}")"
  echo
  if [ -n "${KEEP:-}" ]; then
    mkdir -p "$KEEP"
    for s in $seeds; do cp "$work/o$s/runs.csv" "$KEEP/olika-$s.csv"; cp "$work/m$s.csv" "$KEEP/mesa-$s.csv"; done
  fi
  [ "$DOCK" = only ] && exit 0
fi

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
time_olika() { # milliseconds per run of a whole olika command
  local start end
  start=$(date +%s.%N)
  "$olika" run scenarios/baseline.toml --replications "$olika_runs" --threads 1 -q --force -o "$work/t" "$@"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" -v n="$olika_runs" 'BEGIN {printf "%.4f\n", 1000*(b-a)/n}'
}
mesa_times=() full_times=() thin_times=()
for i in $(seq "$repeats"); do
  mesa_times+=("$("$py" benches/mesa/city.py --runs "$runs" --seed $((10 + i)) --time |
    awk -F, -v n="$runs" 'NR>1 {s+=$NF} END {printf "%.3f\n", 1000*s/n}')")
  full_times+=("$(time_olika)")
  thin_times+=("$(time_olika --every 100000000 --no-plots)")
done
mesa=$(printf '%s\n' "${mesa_times[@]}" | median)
full=$(printf '%s\n' "${full_times[@]}" | median)
thin=$(printf '%s\n' "${thin_times[@]}" | median)
orgsteps=$((150 * 120))
echo "timing: the baseline (150 organisations × 120 steps), one core, median of $repeats"
echo "  Mesa repeats (ms/run): ${mesa_times[*]}; olika default: ${full_times[*]}; thinned: ${thin_times[*]}"
row() { awk -v n="$1" -v ms="$2" -v m="$mesa" -v os="$orgsteps" \
  'BEGIN {printf "%-34s %9.3f ms per run  %8.1f ns per organisation-step  (%.0f× Mesa)\n", n, ms, 1e6*ms/os, m/ms}'; }
awk -v ms="$mesa" -v os="$orgsteps" \
  'BEGIN {printf "%-34s %9.3f ms per run  %8.1f ns per organisation-step\n", "Mesa 3.3.1:", ms, 1e6*ms/os}'
row "olika, default output:" "$full"
row "olika, thinned output, no charts:" "$thin"
