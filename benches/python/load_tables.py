"""Load time of a results folder's series in pandas and Polars, CSV against Parquet.

    olika run -q --no-plots --replications 1000 --set steps=999 -o big --tables both
    python benches/python/load_tables.py big/series      # a million rows

Prints each file's size and the best of three loads of each reader.
"""

import os
import sys
import time

import pandas as pd
import polars as pl

stem = sys.argv[1] if len(sys.argv) > 1 else "big/series"


def best(load, tries=3):
    times = []
    for _ in range(tries):
        start = time.perf_counter()
        frame = load()
        times.append(time.perf_counter() - start)
    return min(times), len(frame)


for ext in ["csv", "parquet"]:
    path = f"{stem}.{ext}"
    print(f"{path}: {os.path.getsize(path) / 1e6:.1f} MB")
loads = {
    "pandas read_csv (C engine)": lambda: pd.read_csv(f"{stem}.csv"),
    "pandas read_csv (pyarrow engine)": lambda: pd.read_csv(f"{stem}.csv", engine="pyarrow"),
    "pandas read_parquet": lambda: pd.read_parquet(f"{stem}.parquet"),
    "polars read_csv": lambda: pl.read_csv(f"{stem}.csv"),
    "polars read_parquet": lambda: pl.read_parquet(f"{stem}.parquet"),
}
for name, load in loads.items():
    seconds, rows = best(load)
    print(f"{name}: {seconds:.2f} s ({rows} rows)")
