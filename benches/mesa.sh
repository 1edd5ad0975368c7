#!/usr/bin/env bash
# olika against Mesa on Axelrod's classic, side by side (issue 14). Not part of `cargo test` or CI.
#
#   bash benches/mesa.sh            # validate (q = 5, 10, 15), then time F = 5, q = 10
#   RUNS=50 bash benches/mesa.sh    # Mesa runs per setting (default 40; olika runs 200)
#
# Mesa 3.3.1 comes from PyPI into a virtual environment under target/ (nothing is installed
# system-wide). The port, benches/mesa/axelrod.py, is the same model as
# scenarios/classics/axelrod.toml. Both run on one core. olika's time is its whole command — start-up,
# every run, its tables, summary and report — divided by the runs, once with its default output
# (every step in series.csv, charts) and once thinned (`--every 100000000 --no-plots`); Mesa's is the
# sum of its runs' own times (the interpreter's start-up not counted).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-40}
venv=target/mesa-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import mesa' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mesa==3.3.1"
fi
cargo build --release --quiet
olika=$PWD/target/release/olika
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Mean and standard error of the first column of stdin.
stats() { awk '{s+=$1; ss+=$1*$1; n++} END {m=s/n; printf "%.2f %.2f", m, sqrt((ss-n*m*m)/(n-1)/n)}'; }
olika_regions() { # mean and standard error of regions in a finished folder
  awk -F, 'NR==1 {for (i=1;i<=NF;i++) if ($i=="regions") k=i; next} {print $k}' "$1/runs.csv" | stats
}

echo "validation: mean stable regions (± standard error), F = 5, 10×10 lattice"
printf "%-4s %-22s %-22s\n" q "Mesa ($runs runs)" "olika (200 runs)"
for q in 5 10 15; do
  mesa=$("$venv/bin/python" benches/mesa/axelrod.py --traits "$q" --runs "$runs" --seed 7 | stats)
  "$olika" run scenarios/classics/axelrod.toml --set traits="$q" --replications 200 --threads 1 \
    --no-plots --every 100000000 -q -o "$work/q$q"
  printf "%-4s %-22s %-22s\n" "$q" "$(echo "$mesa" | awk '{print $1" ± "$2}')" \
    "$(olika_regions "$work/q$q" | awk '{print $1" ± "$2}')"
done

echo
echo "timing: F = 5, q = 10, one core"
mesa_s=$("$venv/bin/python" benches/mesa/axelrod.py --traits 10 --runs "$runs" --seed 11 | awk '{s+=$3} END {print s}')
mesa_ms=$(awk -v s="$mesa_s" -v n="$runs" 'BEGIN {printf "%.2f", 1000*s/n}')
time_olika() { # milliseconds per run of a whole olika command over 200 runs
  local start end
  start=$(date +%s.%N)
  "$olika" run scenarios/classics/axelrod.toml --replications 200 --threads 1 -q --force -o "$work/t" "$@"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", 1000*(b-a)/200}'
}
full=$(time_olika)
thin=$(time_olika --every 100000000 --no-plots)
printf "Mesa 3.3.1:                        %8s ms per run\n" "$mesa_ms"
printf "olika, default output:             %8s ms per run  (%.0f× Mesa)\n" "$full" "$(awk -v m="$mesa_ms" -v o="$full" 'BEGIN {print m/o}')"
printf "olika, thinned output, no charts:  %8s ms per run  (%.0f× Mesa)\n" "$thin" "$(awk -v m="$mesa_ms" -v o="$thin" 'BEGIN {print m/o}')"
