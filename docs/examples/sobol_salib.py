"""Sobol' indices of the baseline city two ways: SALib on olika's runs, and olika's own.

    pip install maturin pyarrow SALib
    maturin build --release -m python/Cargo.toml && pip install target/wheels/olika-*.whl
    python docs/examples/sobol_salib.py            # about a minute on two cores

SALib draws Saltelli's sample, olika runs it as a `table` sweep and SALib computes the indices from
each point's mean innovations; olika's own `sobol` sweep of the same box computes them with its
estimators (Saltelli 2010, Jansen 1999) and bootstrap intervals. The two samples differ, so the
estimates differ by sampling noise; each of SALib's intervals should overlap olika's.
"""

import os
import tempfile

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

import olika

PARAMETERS = {
    "homophily": (0.0, 3.0),
    "trust.gain": (0.05, 0.4),
    "innovation.rate": (0.05, 0.4),
    "learning": (0.0, 0.5),
}
BASE_POINTS = 256
REPLICATIONS = 2
METRIC = "innovations"

problem = {"num_vars": len(PARAMETERS), "names": list(PARAMETERS), "bounds": list(PARAMETERS.values())}

# 1. SALib's design, run by olika as a table of points.
X = sobol_sample.sample(problem, BASE_POINTS, calc_second_order=False, seed=11)
folder = tempfile.mkdtemp(prefix="olika-salib-")
table = os.path.join(folder, "points.csv")
np.savetxt(table, X, delimiter=",", header=",".join(problem["names"]), comments="", fmt="%.17g")
salib_scenario = olika.Scenario.from_toml(f"""
extends = "baseline"
name = "salib_points"
[sweep]
design = "table"
table = "{table}"
replications = {REPLICATIONS}
""")
runs = olika.sweep(salib_scenario, seed=11).runs.to_pandas()
Y = runs.groupby("point")[METRIC].mean().sort_index().to_numpy()
assert len(Y) == len(X)
salib = sobol_analyze.analyze(problem, Y, calc_second_order=False, seed=11)

# 2. olika's own Sobol' sweep of the same box.
ranges = "\n".join(f'"{p}" = {{ min = {lo}, max = {hi} }}' for p, (lo, hi) in PARAMETERS.items())
own_scenario = olika.Scenario.from_toml(f"""
extends = "baseline"
name = "olika_sobol"
[sweep]
design = "sobol"
samples = {BASE_POINTS}
seed = 11
replications = {REPLICATIONS}
[sweep.parameters]
{ranges}
""")
indices = olika.sweep(own_scenario, seed=11).sensitivity.to_pandas()
indices = indices[indices.metric == METRIC].set_index(["parameter", "index"])

# 3. Side by side: does each of SALib's 95 % intervals overlap olika's?
print(f"{'parameter':<18} index  SALib (95 % CI)              olika (95 % CI)              overlap")
overlaps = []
for k, name in enumerate(problem["names"]):
    for index in ["S1", "ST"]:
        est, conf = salib[index][k], salib[index + "_conf"][k]
        own = indices.loc[(name, index)]
        overlap = est - conf <= own["high"] and own["low"] <= est + conf
        overlaps.append(overlap)
        print(
            f"{name:<18} {index:<5}  {est:6.3f} [{est - conf:6.3f}, {est + conf:6.3f}]"
            f"     {own['estimate']:6.3f} [{own['low']:6.3f}, {own['high']:6.3f}]     {'yes' if overlap else 'NO'}"
        )
print(f"{sum(overlaps)} of {len(overlaps)} intervals overlap")
if not all(overlaps):
    raise SystemExit("SALib's and olika's indices disagree beyond their intervals")
