#!/usr/bin/env bash
# olika against Mesa on Axelrod's classic, side by side (issue 14), with a dedicated loop as the
# yardstick of what a program written for this one model reaches (benches/axelrod_bare.rs, issue 28
# item 4). Not part of `cargo test` or CI.
#
#   bash benches/mesa.sh            # validate (q = 5, 10, 15), then time F = 5, q = 10
#   RUNS=50 bash benches/mesa.sh    # Mesa runs per setting (default 40)
#   DOCK=2000 bash benches/mesa.sh  # olika's and the yardstick's runs per setting (default 1000)
#   REPEATS=7 bash benches/mesa.sh  # olika's and the yardstick's times: the fastest of 7 (default 3)
#
# Mesa 3.3.1 comes from PyPI into a virtual environment under target/ (nothing is installed
# system-wide). The port, benches/mesa/axelrod.py, is the same model as
# scenarios/classics/axelrod.toml. Both run on one core. olika's time is its whole command — start-up,
# every run, its tables, summary and report — divided by the runs, once with its default output
# (every step in series.csv, charts) and once thinned (`--every 100000000 --no-plots`); Mesa's is the
# sum of its runs' own times (the interpreter's start-up not counted). The yardstick's is its whole
# process over 200 runs, as olika's.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-40}
repeats=${REPEATS:-3}
dock=${DOCK:-1000}
venv=target/mesa-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import mesa' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "mesa==3.3.1"
fi
cargo build --release --quiet
cargo build --release --quiet -p olika-bench --bin axelrod_bare
olika=$PWD/target/release/olika
bare=$PWD/target/release/axelrod_bare
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Mean and standard error of the first column of stdin.
stats() { awk '{s+=$1; ss+=$1*$1; n++} END {m=s/n; printf "%.2f %.2f", m, sqrt((ss-n*m*m)/(n-1)/n)}'; }
olika_regions() { # mean and standard error of regions in a finished folder
  awk -F, 'NR==1 {for (i=1;i<=NF;i++) if ($i=="regions") k=i; next} {print $k}' "$1/runs.csv" | stats
}

echo "validation: mean stable regions (± standard error), F = 5, 10×10 lattice"
printf "%-4s %-22s %-22s %-22s\n" q "Mesa ($runs runs)" "olika ($dock runs)" "yardstick ($dock runs)"
pm() { awk '{print $1" ± "$2}'; }
# Whether two "mean se" pairs agree within twice their combined standard error.
agree() { awk -v a="$1" -v b="$2" 'BEGIN {split(a, x, " "); split(b, y, " "); d = x[1] - y[1];
  print ((d < 0 ? -d : d) <= 2 * sqrt(x[2]^2 + y[2]^2)) ? "agree" : "DIFFER"}'; }
for q in 5 10 15; do
  mesa=$("$venv/bin/python" benches/mesa/axelrod.py --traits "$q" --runs "$runs" --seed 7 | stats)
  "$olika" run scenarios/classics/axelrod.toml --set traits="$q" --replications "$dock" --threads 1 \
    --no-plots --every 100000000 -q -o "$work/q$q"
  ours=$(olika_regions "$work/q$q")
  yard=$("$bare" --traits "$q" --runs "$dock" --seed 7 | stats)
  printf "%-4s %-22s %-22s %-22s (olika and Mesa %s, olika and the yardstick %s)\n" "$q" "$(echo "$mesa" | pm)" \
    "$(echo "$ours" | pm)" "$(echo "$yard" | pm)" "$(agree "$ours" "$mesa")" "$(agree "$ours" "$yard")"
done

echo
echo "timing: F = 5, q = 10, one core"
mesa_s=$("$venv/bin/python" benches/mesa/axelrod.py --traits 10 --runs "$runs" --seed 11 | awk '{s+=$3} END {print s}')
mesa_ms=$(awk -v s="$mesa_s" -v n="$runs" 'BEGIN {printf "%.2f", 1000*s/n}')
fastest() { # milliseconds per run of a whole command over 200 runs, the fastest of $repeats
  local start end best=
  for _ in $(seq "$repeats"); do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    best=$(awk -v a="$start" -v b="$end" -v best="$best" 'BEGIN {t = 1000*(b-a)/200; if (best == "" || t < best) best = t; printf "%.3f", best}')
  done
  echo "$best"
}
olika_run() { "$olika" run scenarios/classics/axelrod.toml --replications 200 --threads 1 -q --force -o "$work/t" "$@"; }
full=$(fastest olika_run)
thin=$(fastest olika_run --every 100000000 --no-plots)
yard=$(fastest "$bare" --traits 10 --runs 200 --seed 11)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f", a/b}'; }
printf "Mesa 3.3.1:                        %8s ms per run\n" "$mesa_ms"
printf "olika, default output:             %8s ms per run  (%s× Mesa)\n" "$full" "$(ratio "$mesa_ms" "$full")"
printf "olika, thinned output, no charts:  %8s ms per run  (%s× Mesa)\n" "$thin" "$(ratio "$mesa_ms" "$thin")"
printf "yardstick (a dedicated loop):      %8s ms per run  (%s× Mesa)\n" "$yard" "$(ratio "$mesa_ms" "$yard")"
printf "olika / yardstick:                 %8s (default output), %s (thinned)\n" \
  "$(awk -v a="$full" -v b="$yard" 'BEGIN {printf "%.2f", a/b}')" "$(awk -v a="$thin" -v b="$yard" 'BEGIN {printf "%.2f", a/b}')"
