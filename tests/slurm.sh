#!/usr/bin/env bash
# docs/cluster.md's Slurm job array and merge job, run as written on a real single-node Slurm
# (Debian's slurm-wlm and munge, installed and configured here when missing): four shards of the
# homophily × distance sweep as an array, the merge job depending on it, and the merged tables
# compared byte for byte with the same sweep run in one piece. Not part of `cargo test`; `.ci/run`
# runs it. Needs root (to install and start the daemons).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cargo build --release --quiet

# Slurm for this machine alone.
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi
if ! grep -q "olika's single-node Slurm" /etc/slurm/slurm.conf 2>/dev/null; then
  cat > /etc/slurm/slurm.conf <<CONF
# olika's single-node Slurm for tests/slurm.sh
ClusterName=olika
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
NodeName=localhost CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
fi
mkdir -p /run/munge /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
chown munge:munge /run/munge
if ! munge -n >/dev/null 2>&1; then
  [ -f /etc/munge/munge.key ] || mungekey --create
  su -s /bin/sh munge -c /usr/sbin/munged
fi
sinfo >/dev/null 2>&1 || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 30); do
  sinfo -h -o %t 2>/dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %t | grep -q idle || { echo "slurm: the node did not come up"; tail -5 /var/log/slurm/*.log; exit 1; }

# The scripts of docs/cluster.md, as written there.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cp -r "$root/scenarios" scenarios
mkdir -p bin logs
ln -s "$root/target/release/olika" bin/olika
export PATH="$work/bin:$PATH"
extract() { awk -v name="# $1" 'index($0, name) == 1 {on = 1} on && /^```/ {exit} on' "$root/docs/cluster.md"; }
{ echo '#!/bin/bash'; extract sweep.sbatch; } > sweep.sbatch
{ echo '#!/bin/bash'; extract merge.sbatch; } > merge.sbatch
grep -q "olika sweep" sweep.sbatch && grep -q "olika merge" merge.sbatch

# As the docs submit them; this node has fewer cores than the docs' example asks for.
array=$(sbatch --parsable --array=0-3 --cpus-per-task=1 sweep.sbatch)
merge=$(sbatch --parsable --dependency=afterok:"$array" merge.sbatch)
for _ in $(seq 300); do
  [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
  sleep 1
done
merged=results/homophily_distance/merged
if [ ! -f "$merged/manifest.json" ]; then
  echo "slurm: the merge job wrote no folder"; head -50 sweep.sbatch; cat logs/* slurm-*.out 2>/dev/null | tail -20; exit 1
fi

olika sweep scenarios/sweeps/homophily_distance.toml --quiet -o unsharded
for table in runs.csv series.csv venues.csv summary.csv; do
  cmp "$merged/$table" "unsharded/$table"
done
echo "slurm: 4 shards as a job array, merged by a dependent job: byte-identical to the unsharded sweep"
