#!/usr/bin/env bash
# Peak memory of a sweep of 100 000 runs of a small scenario: memory must stay bounded by the runs
# in flight, not grow with the number of runs. Not a timed test; run it by hand:
#
#   bash benches/sweep_memory.sh            # prints the peak RSS and the files' sizes
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/small.toml" <<TOML
name = "small"
steps = 10
[populations.civil]
count = 20
[venues.table]
kind = "workshop"
every = 2
capacity = 12
[sweep]
design = "grid"
replications = 10
[sweep.parameters]
homophily = { min = 0, max = 4, steps = 100 }
sector_distance = { min = 0, max = 1, steps = 100 }
TOML
for runs in 1000 100000; do
  reps=$((runs / 10000)); [ "$reps" -ge 1 ] || reps=1
  points=$((runs / reps))
  side=$(python3 -c "import math; print(int(math.isqrt($points)))")
  /usr/bin/time -f "%M" -o "$dir/rss" ./target/release/olika sweep "$dir/small.toml" --quiet --every 10 \
    --set "sweep.replications=$reps" \
    --set "sweep.parameters.homophily={min=0,max=4,steps=$side}" \
    --set "sweep.parameters.sector_distance={min=0,max=1,steps=$side}" \
    -o "$dir/out-$runs" --force
  echo "runs $((side * side * reps)): peak RSS $(cat "$dir/rss") KB; files $(du -sh "$dir/out-$runs" | cut -f1)"
done
