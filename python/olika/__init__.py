"""olika from Python: run, sweep and compare scenarios, and load results folders, as Arrow tables.

    import olika
    res = olika.run("hub", replications=20, seed=7, set={"trust.gain": 0.3}, series=True)
    res.runs.to_pandas()               # one row per run (pyarrow.Table; polars.from_arrow works too)
    res.summary                        # one row per metric: mean, sd, 95 % CI
    res.series                         # one row per run and step (with series=True)
    olika.load("results/my-sweep").table("venues")

Each call runs olika's own code (the command line's, so the same seed gives the same bytes) with
the GIL released and the runs in parallel, and writes a results folder — into `output` if given,
else into a temporary folder that is removed once its tables are read. A wrong key or value is a
ValueError whose message names the key; so is a folder that is not a results folder, a damaged
table or a checksum that does not match.
"""

import json
import os
import shutil
import tempfile

import pyarrow.parquet as _parquet

from . import _olika

__version__ = _olika.__version__
__all__ = ["run", "sweep", "compare", "load", "scenarios", "Scenario", "Results"]


class Results:
    """A results folder's tables (pyarrow Tables, by name) and its manifest (a dict)."""

    def __init__(self, folder, manifest, tables):
        self.folder = folder
        self.manifest = manifest
        self._tables = tables

    @property
    def names(self):
        """The names of the folder's tables."""
        return sorted(self._tables)

    def table(self, name):
        """A table by name: runs, series, summary, venues, compare, sensitivity, ..."""
        if name not in self._tables:
            raise KeyError(f"the folder has no table {name!r}; it has {', '.join(self.names)}")
        return self._tables[name]

    runs = property(lambda self: self._tables.get("runs"), doc="One row per run.")
    series = property(lambda self: self._tables.get("series"), doc="One row per run and step.")
    summary = property(lambda self: self._tables.get("summary"), doc="One row per point and metric.")
    venues = property(lambda self: self._tables.get("venues"), doc="One row per run and venue.")
    compare = property(lambda self: self._tables.get("compare"), doc="olika compare's table.")
    sensitivity = property(lambda self: self._tables.get("sensitivity"), doc="Sensitivity indices.")

    def __repr__(self):
        rows = ", ".join(f"{n}: {self._tables[n].num_rows} rows" for n in self.names)
        where = self.folder or "(temporary folder, removed)"
        return f"<olika.Results {self.manifest.get('command')} {where}: {rows}>"


def load(folder, tables=None):
    """Reads a finished results folder (CSV or Parquet), checked as olika checks one: its manifest
    against its scenario, its checksums, its rows against its plan. `tables`: the names to read
    (default: all). Returns Results."""
    folder = os.fspath(folder)
    scratch = tempfile.mkdtemp(prefix="olika-")
    try:
        manifest, files = _olika.check_folder(folder, scratch)
        read = {}
        for name, path in files:
            if tables is not None and name not in tables:
                continue
            try:
                read[name] = _parquet.read_table(path)
            except Exception as e:  # pyarrow's own errors: a file damaged after the check
                raise ValueError(f"{path}: damaged Parquet table: {e}") from e
        return Results(folder, json.loads(manifest), read)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _assignments(set):
    if set is None:
        return []
    if not isinstance(set, dict):
        raise ValueError("set: a dict of parameter paths and values, e.g. {'trust.gain': 0.3}")
    out = []
    for key, value in set.items():
        if not isinstance(key, str):
            raise ValueError(f"set: the key {key!r} is not a parameter path")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (int, float)):
            text = repr(value)
        elif isinstance(value, str):
            text = value
        else:
            text = json.dumps(value)
        out.append(f"{key}={text}")
    return out


def _scenario(scenario, scratch):
    """A scenario argument as the command line takes it: a path, a built-in name, or a Scenario."""
    if scenario is None:
        return None
    if isinstance(scenario, Scenario):
        path = os.path.join(scratch, f"{scenario.name}.toml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(scenario.toml)
        return path
    return os.fspath(scenario)


def _run(call, output, wanted, **kwargs):
    scratch = tempfile.mkdtemp(prefix="olika-")
    try:
        target = os.fspath(output) if output is not None else os.path.join(scratch, "results")
        call(target, **kwargs)
        results = load(target, wanted)
        if output is None:
            results.folder = None
        return results
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _with_scenario(call, output, wanted, scenario, **kwargs):
    scratch = tempfile.mkdtemp(prefix="olika-scenario-")
    try:
        return _run(call, output, wanted, scenario=_scenario(scenario, scratch), **kwargs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def run(scenario=None, replications=20, seed=None, set=None, series=False, output=None,
        tables="parquet", threads=None, every=None, innovations=False, partnerships=False,
        network=False, plots=False):
    """`olika run`: the scenario's replications (a file, a built-in name, a Scenario; None: the
    baseline city). Returns Results with runs, summary and venues (and series with series=True).
    replications=None keeps the scenario's own."""
    wanted = None if output is not None else _wanted(series, innovations, partnerships, network)
    return _with_scenario(_olika.run_into, output, wanted, scenario, set=_assignments(set), seed=seed,
                          replications=replications, tables=tables, threads=threads, every=every,
                          innovations=innovations, partnerships=partnerships, network=network,
                          plots=plots)


def sweep(scenario, replications=None, seed=None, set=None, series=False, output=None,
          tables="parquet", threads=None, every=None, shard=None, plots=False):
    """`olika sweep`: the scenario's [sweep] section. Returns Results with runs (one column per
    swept parameter), summary, venues, sensitivity for a morris, sobol, lhs or random design (and
    series with series=True)."""
    wanted = None if output is not None else _wanted(series, False, False, False)
    return _with_scenario(_olika.sweep_into, output, wanted, scenario, set=_assignments(set), seed=seed,
                          replications=replications, tables=tables, threads=threads, every=every,
                          plots=plots, shard=shard)


def compare(*strategies, replications=None, seed=None, set=None, series=False, output=None,
            tables="parquet", threads=None, by="innovations", plots=False):
    """`olika compare`: strategies (files, built-in names or Scenarios; the first the baseline) on
    common random numbers. Returns Results with compare, runs, summary, venues."""
    if len(strategies) == 1 and isinstance(strategies[0], (list, tuple)):
        strategies = tuple(strategies[0])
    scratch = tempfile.mkdtemp(prefix="olika-scenario-")
    try:
        paths = [_scenario(s, scratch) for s in strategies]
        wanted = None if output is not None else _wanted(series, False, False, False) + ["compare"]
        return _run(_olika.compare_into, output, wanted, strategies=paths, set=_assignments(set),
                    seed=seed, replications=replications, tables=tables, threads=threads, by=by,
                    plots=plots)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _wanted(series, innovations, partnerships, network):
    names = ["runs", "summary", "venues", "sensitivity"]
    names += ["series"] if series else []
    names += ["innovations"] if innovations else []
    names += ["partnerships"] if partnerships else []
    names += ["network_nodes", "network_edges"] if network else []
    return names


def scenarios():
    """The built-in scenarios: a list of dicts with name, file and question."""
    return [{"name": n, "file": f, "question": q} for n, f, q in _olika.scenarios()]


class Scenario:
    """A scenario, resolved and checked as `olika check` does: `Scenario.from_toml(text)`,
    `Scenario.from_file(path)` or `Scenario.builtin(name)`; pass it to run, sweep or compare."""

    def __init__(self, name, toml):
        self.name = name
        self.toml = toml

    @classmethod
    def from_toml(cls, text, set=None, name="scenario.toml"):
        """A scenario from TOML text (`extends` of a built-in name works; a relative file path is
        taken from the working folder). A wrong key or value is a ValueError naming the key."""
        resolved_name, toml = _olika.resolve(text, name, _assignments(set))
        return cls(resolved_name, toml)

    @classmethod
    def from_file(cls, path, set=None):
        path = os.fspath(path)
        with open(path, encoding="utf-8") as f:
            return cls.from_toml(f.read(), set=set, name=path)

    @classmethod
    def builtin(cls, name, set=None):
        return cls.from_toml(_olika.show(name), set=set, name=name)

    def __repr__(self):
        return f"<olika.Scenario {self.name}>"
