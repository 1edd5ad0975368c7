#!/usr/bin/env bash
# Fingerprints of every output file of every shipped scenario, for refactorings that must change no
# result: run it before and after, and compare the two lists.
#
#   bash tests/snapshot.sh > before.txt   # on the old code
#   bash tests/snapshot.sh > after.txt    # on the new code
#   diff before.txt after.txt             # nothing: every file is byte-identical
#
# `tests/snapshot.txt` holds the list as of the last refactoring that was checked with it. Values
# that say when and where a command ran (start and end times, host, threads) are blanked in
# manifest.json and report.html before hashing; everything else, charts included, is compared as is.
# Not part of `cargo test`: it runs every shipped scenario (about a minute on two cores).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
# Called by name, so that the command line each manifest records is the same in every clone.
export PATH="$PWD/target/release:$PATH"
olika=olika
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp -r "$OLDPWD/scenarios" scenarios
rec=(--threads 2 --quiet)

"$olika" run "${rec[@]}" -o out/baseline --innovations --partnerships --network
for f in scenarios/strategies/*.toml; do
  "$olika" run "${rec[@]}" -o "out/strategy-$(basename "$f" .toml)" "$f"
done
"$olika" run "${rec[@]}" -o out/axelrod scenarios/classics/axelrod.toml
"$olika" run "${rec[@]}" -o out/bass scenarios/classics/bass.toml --every 5
"$olika" run "${rec[@]}" -o out/nooteboom scenarios/classics/nooteboom.toml --partnerships
for f in scenarios/sweeps/*.toml scenarios/classics/nooteboom.toml; do
  name=sweep-$(basename "$f" .toml)
  if grep -q '^\[sweep\]' "$f"; then
    "$olika" sweep "${rec[@]}" -o "out/$name" "$f" --every 12
    "$olika" sweep "${rec[@]}" --dry-run "$f" --every 12 --max-memory 4G > "out/$name.dry-run.txt"
  fi
done
"$olika" sweep "${rec[@]}" -o out/shard-0 --shard 0/2 scenarios/sweeps/homophily_distance.toml --every 12
"$olika" sweep "${rec[@]}" -o out/shard-1 --shard 1/2 scenarios/sweeps/homophily_distance.toml --every 12
"$olika" merge --quiet -o out/merged out/shard-0 out/shard-1
"$olika" compare "${rec[@]}" -o out/compare scenarios/strategies/round_tables.toml \
  scenarios/strategies/hub.toml scenarios/strategies/matchmaking_day.toml
"$olika" optimize "${rec[@]}" -o out/optimize scenarios/optimize/venue_portfolio.toml --replications 12
"$olika" animate out/baseline -o out/baseline.gif > /dev/null
"$olika" animate out/axelrod -o out/axelrod.gif --size 300 > /dev/null
"$olika" check scenarios/strategies/hub.toml > out/check-hub.txt
"$olika" params --markdown > out/params.md

# Blank what depends on the clock and the machine.
find out -name manifest.json -o -name report.html | while read -r f; do
  sed -E -i 's/("(started|finished|host)": )"[^"]*"/\1""/; s/("threads": )[0-9]+/\10/;
    s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g; s/'"$(hostname)"'/HOST/g' "$f"
done
find out -type f | sort | xargs sha256sum
