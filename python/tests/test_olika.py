"""pytest against the built wheel: `pip install maturin pytest pyarrow`, then
`maturin build --release -m python/Cargo.toml`, `pip install target/wheels/olika-*.whl`, and
`OLIKA=target/release/olika pytest python/tests` from the repository root."""

import filecmp
import os
import subprocess
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import olika

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("OLIKA", str(ROOT / "target" / "release" / "olika"))
SMALL = {"steps": 24}


def cli(*args):
    subprocess.run([CLI, *args, "--quiet", "--no-plots"], check=True, cwd=ROOT)


def same_tables(a, b, ext):
    names = sorted(p.name for p in Path(a).glob(f"*.{ext}"))
    assert names and names == sorted(p.name for p in Path(b).glob(f"*.{ext}"))
    for name in names:
        assert filecmp.cmp(Path(a) / name, Path(b) / name, shallow=False), name
    return names


@pytest.mark.parametrize("tables", ["parquet", "csv"])
def test_run_writes_the_clis_bytes_for_the_same_seed(tmp_path, tables):
    cli("run", "hub", "--seed", "7", "--replications", "3", "--set", "steps=24", "--tables", tables,
        "-o", str(tmp_path / "cli"))
    res = olika.run("hub", replications=3, seed=7, set=SMALL, tables=tables, output=tmp_path / "py")
    names = same_tables(tmp_path / "cli", tmp_path / "py", tables)
    assert "runs." + tables in names and "series." + tables in names
    if tables == "parquet":
        assert res.runs.equals(pq.read_table(tmp_path / "cli" / "runs.parquet"))
    assert res.runs.num_rows == 3
    assert res.manifest["seed"] == 7 and res.manifest["command"] == "run"


def test_tables_are_arrow_for_pandas_and_polars():
    res = olika.run("hub", replications=2, seed=3, set=SMALL, series=True)
    assert res.folder is None
    assert res.series.num_rows == 2 * 25
    frame = res.series.to_pandas()
    assert list(frame.columns[:4]) == ["run_id", "point", "replication", "step"]
    assert str(res.runs.schema.field("seed").type) == "uint64"
    polars = pytest.importorskip("polars")
    assert polars.from_arrow(res.runs).height == 2
    # The same seed again: the same table.
    assert olika.run("hub", replications=2, seed=3, set=SMALL).runs.equals(res.runs)


def test_a_wrong_key_or_value_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="trust.gian"):
        olika.run(replications=2, set={"trust.gian": 0.3, **SMALL})
    with pytest.raises(ValueError, match="trust.gain"):
        olika.run(replications=2, set={"trust.gain": -4, **SMALL})
    with pytest.raises(ValueError, match="no_such_scenario"):
        olika.run("no_such_scenario")
    with pytest.raises(ValueError, match="tables"):
        olika.run(replications=2, set=SMALL, tables="xlsx")
    with pytest.raises(ValueError, match="homophly"):
        olika.Scenario.from_toml('extends = "baseline"\nhomophly = 2\n')


def test_a_scenario_from_toml_runs_as_its_file_does(tmp_path):
    text = 'extends = "hub"\nname = "my_hub"\nsteps = 24\n'
    scenario = olika.Scenario.from_toml(text)
    assert scenario.name == "my_hub" and "steps = 24" in scenario.toml
    (tmp_path / "my_hub.toml").write_text(text)
    cli("run", str(tmp_path / "my_hub.toml"), "--seed", "5", "--replications", "2", "--tables", "parquet",
        "-o", str(tmp_path / "cli"))
    olika.run(scenario, replications=2, seed=5, output=tmp_path / "py")
    same_tables(tmp_path / "cli", tmp_path / "py", "parquet")
    names = [s["name"] for s in olika.scenarios()]
    assert "baseline" in names and "hub" in names
    assert olika.Scenario.builtin("hub").name == "hub"


def test_sweep_and_compare(tmp_path):
    res = olika.sweep("frequency_facilitation", replications=2, seed=1, set=SMALL)
    assert "venues.round_tables.every" in res.runs.column_names
    assert res.runs.num_rows == 2 * res.manifest["points"]
    cli("compare", "hub", "round_tables", "--replications", "3", "--set", "steps=24", "--tables", "parquet",
        "-o", str(tmp_path / "cli"))
    res = olika.compare("hub", "round_tables", replications=3, set=SMALL, output=tmp_path / "py")
    same_tables(tmp_path / "cli", tmp_path / "py", "parquet")
    assert res.compare.num_rows > 0


def test_load_checks_the_folder(tmp_path):
    cli("run", "hub", "--seed", "7", "--replications", "2", "--set", "steps=24", "-o", str(tmp_path / "csv"))
    cli("run", "hub", "--seed", "7", "--replications", "2", "--set", "steps=24", "--tables", "parquet",
        "-o", str(tmp_path / "pq"))
    a, b = olika.load(tmp_path / "csv"), olika.load(tmp_path / "pq")
    assert a.names == b.names and all(a.table(n).equals(b.table(n)) for n in a.names)
    with pytest.raises(KeyError):
        a.table("partnerships")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "runs.csv").write_text("my notes\n")
    with pytest.raises(ValueError, match="not a results folder"):
        olika.load(tmp_path / "notes")
    with pytest.raises(ValueError, match="not a folder"):
        olika.load(tmp_path / "absent")
    runs = tmp_path / "pq" / "runs.parquet"
    data = bytearray(runs.read_bytes())
    data[len(data) // 2] ^= 0xFF
    runs.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="changed after olika wrote it"):
        olika.load(tmp_path / "pq")


def test_the_heavy_work_releases_the_gil():
    ticks = 0
    done = threading.Event()

    def work():
        olika.run(replications=8, set={"steps": 120}, threads=1)
        done.set()

    thread = threading.Thread(target=work)
    thread.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    thread.join()
    assert ticks > 20
