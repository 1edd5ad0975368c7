#!/usr/bin/env bash
# Parallel efficiency of `olika run` (issue 28 item 5): 200 baseline runs, default output, on 1, 2,
# 4, 8 and 16 threads — those the machine has cores for. Not a timed test; run it by hand on a
# machine nothing else uses:
#
#   bash benches/threads.sh              # each thread count timed 5 times, the fastest kept
#   REPEATS=9 RUNS=400 bash benches/threads.sh
#   OLIKA=path/to/olika bash benches/threads.sh   # another build (no cargo build then)
#
# Efficiency on t threads is T1 / (t × Tt), each T the fastest of REPEATS whole commands (start-up,
# runs, tables, summary, charts and report, into a new folder): the minimum is the least disturbed
# by other work. Then the machine's own ceiling: t single-thread commands side by side against one
# alone (T1 / Tside): what the cores give when nothing is shared between the runs but the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${REPEATS:-5}
runs=${RUNS:-200}
if [ -z "${OLIKA:-}" ]; then
  cargo build --release --quiet
  OLIKA=$PWD/target/release/olika
fi
cores=$(nproc)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fastest() { # seconds of the fastest of $repeats commands on $1 threads
  local best=""
  for _ in $(seq "$repeats"); do
    local start end
    # A new folder each time, as `olika run` makes one by default: with --force the command
    # would also remove the folder it replaces (the filesystem's discards, milliseconds that
    # wait on the disk), which is not the runs' work. Removed after the clock stops.
    start=$(date +%s.%N)
    "$OLIKA" run --replications "$runs" --threads "$1" -q -o "$work/eff"
    end=$(date +%s.%N)
    rm -rf "$work/eff"
    best=$(awk -v a="$start" -v b="$end" -v m="$best" 'BEGIN {d = b - a; print (m == "" || d < m) ? d : m}')
  done
  echo "$best"
}

side_by_side() { # seconds of the fastest of $repeats rounds of $1 single-thread commands at once
  local best=""
  for _ in $(seq "$repeats"); do
    local start end
    start=$(date +%s.%N)
    for i in $(seq "$1"); do
      "$OLIKA" run --replications "$runs" --threads 1 -q -o "$work/side-$i" &
    done
    wait
    end=$(date +%s.%N)
    rm -rf "$work"/side-*
    best=$(awk -v a="$start" -v b="$end" -v m="$best" 'BEGIN {d = b - a; print (m == "" || d < m) ? d : m}')
  done
  echo "$best"
}

echo "olika run --replications $runs (baseline), default output; $cores cores; fastest of $repeats"
printf "%-8s %-12s %-10s %-12s %s\n" threads seconds speed-up efficiency "machine ceiling"
one=""
for t in 1 2 4 8 16; do
  if [ "$t" -gt "$cores" ]; then
    printf "%-8s %s\n" "$t" "not measured (this machine has $cores cores)"
    continue
  fi
  s=$(fastest "$t")
  [ -z "$one" ] && one=$s
  side=$one
  [ "$t" -gt 1 ] && side=$(side_by_side "$t")
  awk -v t="$t" -v s="$s" -v one="$one" -v side="$side" \
    'BEGIN {printf "%-8s %-12.3f %-10.2f %-12s %.1f %%\n", t, s, one / s, sprintf("%.1f %%", 100 * one / (t * s)), 100 * one / side}'
done
