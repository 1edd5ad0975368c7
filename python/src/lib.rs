//! `olika._olika`: the commands of olika's library called from Python. Each runs with the GIL
//! released (the runs themselves in parallel on olika's threads) and writes a results folder
//! exactly as the command line does — the same code, so the same bytes for the same seed — whose
//! tables `olika/__init__.py` reads as Arrow tables. An input error (a wrong key or value, a folder
//! that is not a results folder, a damaged table) is a `ValueError` with olika's message, which
//! names the file and key; anything else a `RuntimeError`.

use std::path::{Path, PathBuf};

use olika::commands::options::{Execution, Limits, Output};
use olika::commands::terminal::Say;
use olika::commands::{compare, run, sweep, Ended};
use olika::error::Error;
use olika::observe::TableFormat;
use olika::scenario::Overrides;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

/// Says nothing: Python gets its results as values.
struct Silent;

impl Say for Silent {
    fn out(&mut self, _: &str) {}
    fn note(&mut self, _: &str) {}
}

fn to_python(e: Error) -> PyErr {
    match e.exit_code() {
        2 => PyValueError::new_err(e.to_string()),
        _ => PyRuntimeError::new_err(e.to_string()),
    }
}

fn format(tables: &str) -> PyResult<TableFormat> {
    match tables {
        "csv" => Ok(TableFormat::Csv),
        "parquet" => Ok(TableFormat::Parquet),
        "both" => Ok(TableFormat::Both),
        other => Err(PyValueError::new_err(format!("tables: `{other}` is not csv, parquet or both"))),
    }
}

/// What every running command takes: the output folder, threads, what to record.
#[allow(clippy::too_many_arguments)]
fn execution(
    output: &str,
    tables: &str,
    threads: Option<usize>,
    every: Option<u32>,
    innovations: bool,
    partnerships: bool,
    network: bool,
    plots: bool,
) -> PyResult<Execution> {
    Ok(Execution {
        limits: Limits { threads, ..Limits::default() },
        out: Output { dir: Some(PathBuf::from(output)), force: false, quiet: true },
        every,
        network_every: None,
        innovations,
        partnerships,
        network,
        tables: format(tables)?,
        charts: plots.then_some(olika::plot::Format::Png),
        command_line: vec!["olika (Python)".into()],
        // Saving and branching worlds (`--save-state`, `--from`) are the command line's for now.
        save_state: false,
        from: None,
    })
}

/// Failed runs are reported by the results (their `status`), not raised.
fn ended(result: olika::error::Result<Ended>) -> PyResult<()> {
    result.map(|_| ()).map_err(to_python)
}

/// `olika run` into `output`.
#[pyfunction]
#[pyo3(signature = (output, scenario=None, set=Vec::new(), seed=None, replications=None, tables="parquet", threads=None, every=None, innovations=false, partnerships=false, network=false, plots=false))]
#[allow(clippy::too_many_arguments)]
fn run_into(
    py: Python<'_>,
    output: &str,
    scenario: Option<String>,
    set: Vec<String>,
    seed: Option<u64>,
    replications: Option<u32>,
    tables: &str,
    threads: Option<usize>,
    every: Option<u32>,
    innovations: bool,
    partnerships: bool,
    network: bool,
    plots: bool,
) -> PyResult<()> {
    let asked = execution(output, tables, threads, every, innovations, partnerships, network, plots)?;
    let overrides = Overrides { set, seed, replications };
    py.detach(|| ended(run::command(scenario.as_deref().map(Path::new), &overrides, &asked, &mut Silent)))
}

/// `olika sweep` into `output`.
#[pyfunction]
#[pyo3(signature = (output, scenario, set=Vec::new(), seed=None, replications=None, tables="parquet", threads=None, every=None, innovations=false, partnerships=false, network=false, plots=false, shard=None))]
#[allow(clippy::too_many_arguments)]
fn sweep_into(
    py: Python<'_>,
    output: &str,
    scenario: String,
    set: Vec<String>,
    seed: Option<u64>,
    replications: Option<u32>,
    tables: &str,
    threads: Option<usize>,
    every: Option<u32>,
    innovations: bool,
    partnerships: bool,
    network: bool,
    plots: bool,
    shard: Option<String>,
) -> PyResult<()> {
    let asked = execution(output, tables, threads, every, innovations, partnerships, network, plots)?;
    let overrides = Overrides { set, seed, replications };
    py.detach(|| {
        ended(sweep::command(
            Path::new(&scenario),
            &overrides,
            &asked,
            shard.as_deref(),
            None,
            false,
            &mut Silent,
        ))
    })
}

/// `olika compare` into `output`.
#[pyfunction]
#[pyo3(signature = (output, strategies, set=Vec::new(), seed=None, replications=None, tables="parquet", threads=None, plots=false, by="innovations"))]
#[allow(clippy::too_many_arguments)]
fn compare_into(
    py: Python<'_>,
    output: &str,
    strategies: Vec<String>,
    set: Vec<String>,
    seed: Option<u64>,
    replications: Option<u32>,
    tables: &str,
    threads: Option<usize>,
    plots: bool,
    by: &str,
) -> PyResult<()> {
    let asked = execution(output, tables, threads, None, false, false, false, plots)?;
    let overrides = Overrides { set, seed, replications };
    let rank = match by {
        "innovations" => ("innovations", true),
        "social-value" | "social_value" => ("social_value", true),
        "cost-per-innovation" | "cost_per_innovation" => ("cost_per_innovation", false),
        other => {
            return Err(PyValueError::new_err(format!(
                "by: `{other}` is not innovations, social_value or cost_per_innovation"
            )))
        }
    };
    let paths: Vec<PathBuf> = strategies.iter().map(PathBuf::from).collect();
    py.detach(|| {
        let what = compare::Asked { strategies: &paths, posterior: None };
        ended(compare::command(what, &overrides, &asked, rank, &mut Silent))
    })
}

/// Checks the finished results folder `dir` as every command of olika does before it reads one
/// (its manifest against its scenario, its checksums, its rows against its plan), then stores each
/// of its CSV tables as Parquet in `scratch` (Parquet tables are read where they are). Returns the
/// manifest as JSON and the Parquet file of each table by name.
#[pyfunction]
fn check_folder(py: Python<'_>, dir: &str, scratch: &str) -> PyResult<(String, Vec<(String, String)>)> {
    let (dir, scratch) = (PathBuf::from(dir), PathBuf::from(scratch));
    py.detach(|| {
        if dir.is_dir() && !dir.join("manifest.json").exists() {
            return Err(Error::input(
                olika::error::Location::file(dir.display().to_string()),
                None,
                "not a results folder of olika (it has no manifest.json): give the folder a command wrote (its -o)",
            ));
        }
        let checked = olika::output::checked::finished(&dir)?;
        let manifest = std::fs::read_to_string(dir.join("manifest.json")).map_err(|e| Error::io(&dir, e))?;
        let mut tables = Vec::new();
        for file in checked.manifest.checksums.keys() {
            let Some(name) = file.strip_suffix(".csv").or_else(|| file.strip_suffix(".parquet")) else {
                continue;
            };
            if tables.iter().any(|(n, _): &(String, String)| n == name) {
                continue;
            }
            let parquet = dir.join(format!("{name}.parquet"));
            let path = if parquet.exists() {
                parquet
            } else {
                let target = scratch.join(format!("{name}.parquet"));
                olika::output::parquet::from_csv(&dir.join(file), &target)?;
                target
            };
            tables.push((name.to_string(), path.display().to_string()));
        }
        Ok((manifest, tables))
    })
    .map_err(to_python)
}

/// The scenarios built in: (name, file, question).
#[pyfunction]
fn scenarios() -> Vec<(String, String, String)> {
    olika::scenario::library::SCENARIOS
        .iter()
        .map(|(path, text)| {
            let question = toml::from_str::<toml::Table>(text)
                .ok()
                .and_then(|t| t.get("description").and_then(|d| d.as_str()).map(String::from))
                .unwrap_or_default();
            (olika::scenario::library::name(path).to_string(), path.to_string(), question)
        })
        .collect()
}

/// A scenario file's text (or a built-in scenario by name) resolved and checked as `olika check`
/// does, with `set` applied: its name and the resolved TOML, or a ValueError naming the key.
#[pyfunction]
#[pyo3(signature = (text, name="scenario.toml", set=Vec::new()))]
fn resolve(text: &str, name: &str, set: Vec<String>) -> PyResult<(String, String)> {
    let resolved = olika::scenario::load_str(name, text, &set).map_err(to_python)?;
    Ok((resolved.scenario.name.clone(), resolved.toml))
}

/// A built-in scenario's file (`olika scenarios show NAME`).
#[pyfunction]
fn show(name: &str) -> PyResult<String> {
    olika::commands::scenarios::show(name).map_err(to_python)
}

#[pymodule]
fn _olika(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run_into, m)?)?;
    m.add_function(wrap_pyfunction!(sweep_into, m)?)?;
    m.add_function(wrap_pyfunction!(compare_into, m)?)?;
    m.add_function(wrap_pyfunction!(check_folder, m)?)?;
    m.add_function(wrap_pyfunction!(scenarios, m)?)?;
    m.add_function(wrap_pyfunction!(resolve, m)?)?;
    m.add_function(wrap_pyfunction!(show, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
