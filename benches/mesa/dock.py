"""Dock the Mesa city (city.py) to olika: equivalence of the headline metrics' means.

    python dock.py OLIKA_RUNS.csv,... MESA.csv,...   (the same number of files, seed by seed)

For each metric and each root seed: a TOST (two one-sided Welch tests at alpha = 0.05, i.e. the 90 %
interval of the difference of means inside the margin) with the margin stated before looking: +-10 %
of olika's mean over all seeds. A metric docks when it is equivalent at every seed. Prints a
Markdown table: metric, olika mean [95 % CI], Mesa mean [95 % CI] (all seeds pooled), difference
(Mesa - olika, % of olika's mean, and its 95 % interval in % of olika's mean), the largest |t| of a plain difference test over the seeds, the
TOST at each seed, the same TOST on all seeds' runs pooled (added after the first results showed
that 100 runs a side cannot resolve ±10 % for the metrics whose coefficient of variation is above
about a quarter), the power of the per-seed criterion, verdict (by the per-seed criterion).

The power is the chance that a port whose means equal olika's exactly docks by the per-seed
criterion, from each seed's standard error: at one seed the 90 % interval D ± z·se lies inside ±M
with D ~ N(0, se) when |D| < M − z·se, a chance of 2 Φ(M/se − z) − 1 (0 when M < z·se); the
seeds multiply. A metric that does not dock where this is low says little about the port; the
pooled TOST, and more runs, are then what can tell. Standard library only.
"""

import csv
import math
import sys
from statistics import NormalDist

METRICS = ("innovations", "social_value", "economic_value", "partnerships_begun",
           "cross_sector_share", "adoptions", "scaled_up", "partnerships", "partnerships_exhausted",
           "ties", "trust_within", "trust_across", "knowledge_diversity", "innovations_in_use",
           "mandated", "first_innovation_step", "venue_cost")
MARGIN = 0.10
Z95, Z90 = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.95)


def column(path, metric):
    with open(path) as f:
        return [float(r[metric]) for r in csv.DictReader(f) if r.get(metric, "") != ""]


def mean_se(xs):
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
    return m, math.sqrt(var / n)


def main():
    olika_files, mesa_files = sys.argv[1].split(","), sys.argv[2].split(",")
    print("| metric | olika mean [95 % CI] | Mesa mean [95 % CI] | difference | max \\|t\\| | "
          "TOST at each seed (margin ±10 %) | TOST pooled | power | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for metric in METRICS:
        o_all = [x for p in olika_files for x in column(p, metric)]
        m_all = [x for p in mesa_files for x in column(p, metric)]
        if not o_all or not m_all:
            continue
        om, ose = mean_se(o_all)
        mm, mse = mean_se(m_all)
        margin = MARGIN * abs(om)
        seeds, tmax, power = [], 0.0, 1.0
        for op, mp in zip(olika_files, mesa_files):
            a, sa = mean_se(column(op, metric))
            b, sb = mean_se(column(mp, metric))
            diff, se = b - a, math.hypot(sa, sb)
            lo, hi = diff - Z90 * se, diff + Z90 * se
            seeds.append("yes" if -margin < lo and hi < margin else "no")
            if se > 0:
                power *= max(0.0, 2 * NormalDist().cdf(margin / se - Z90) - 1)
                tmax = max(tmax, abs(diff) / se)
            elif diff != 0:
                tmax = math.inf
        verdict = "docks" if all(s == "yes" for s in seeds) else "does not dock"
        lo = mm - om - Z90 * math.hypot(ose, mse)
        hi = mm - om + Z90 * math.hypot(ose, mse)
        pooled = "yes" if -margin < lo and hi < margin else "no"
        rel = 100 * (mm - om) / om if om else 0.0
        half = 100 * Z95 * math.hypot(ose, mse) / abs(om) if om else 0.0

        def ci(m, se):
            return f"{m:.3g} [{m - Z95 * se:.3g}, {m + Z95 * se:.3g}]"

        print(f"| {metric} | {ci(om, ose)} | {ci(mm, mse)} | {mm - om:+.3g} ({rel:+.1f} % [{rel - half:+.1f}, {rel + half:+.1f}]) | "
              f"{tmax:.1f} | {' '.join(seeds)} | {pooled} | {power:.2f} | {verdict} |")


if __name__ == "__main__":
    main()
