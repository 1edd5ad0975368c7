//! The `[sweep]` section: which parameters vary, over which values, by which design. Parsed and
//! checked here, with the file's line and column for every mistake; each value typed
//! (`scenario::Value`) once it is checked. Points are drawn in `experiment::design`.

use std::path::Path;

use super::params::{self, Domain, Param};
use super::{validate, Scenario, Value};
use crate::error::{Error, Location, Result};

/// The most parameters of a sobol design: its Sobol' points have two dimensions per parameter, and
/// `experiment::sensitivity::sobol` has direction numbers for 32.
pub(crate) const MOST_SOBOL_PARAMETERS: usize = 16;

/// Declares the sweep designs once: the enum, the names scenario files use and the words
/// `olika params` and docs/scenario.md say them in. What a design does is in the `match`es on it
/// (how many points: `point_count`; which points: `experiment::design`; which indices:
/// `experiment::sensitivity`), which the compiler makes complete.
macro_rules! designs {
    ($( $(#[doc = $doc:literal])* $variant:ident = $name:literal, $words:literal; )*) => {
        /// How a sweep chooses its points (`sweep.design`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Design {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Design {
            /// Every design, in the order of `NAMES`.
            pub(crate) const ALL: &'static [Design] = &[$( Design::$variant, )*];
            /// The designs' names in scenario files.
            pub(crate) const NAMES: &'static [&'static str] = &[$( $name, )*];
            /// What each design does, in a few words.
            const WORDS: &'static [&'static str] = &[$( $words, )*];
        }
    };
}

designs! {
    /// Full factorial: every combination of the values, the last parameter varying fastest.
    Grid = "grid", "full factorial";
    /// The i-th values of every parameter together.
    Zip = "zip", "values taken together";
    /// `samples` points drawn uniformly.
    Random = "random", "random";
    /// A Latin hypercube of `samples` points: each parameter's range is cut into `samples` strata,
    /// and each stratum is used exactly once.
    Lhs = "lhs", "Latin hypercube";
    /// The rows of a CSV file.
    Table = "table", "rows of a CSV file";
    /// Morris's elementary effects: `samples` trajectories of k + 1 points on a grid of `levels`
    /// levels, each moving one parameter (Morris 1991; `candidates` > samples spreads them,
    /// Campolongo et al. 2007).
    Morris = "morris", "Morris trajectories";
    /// Saltelli's (2010) design for Sobol' indices: `samples` base points of a scrambled Sobol'
    /// sequence, k + 2 points each.
    Sobol = "sobol", "Saltelli's design for Sobol' indices";
}

/// The values of one swept parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// These values, in this order (empty for the table design, whose values are its rows).
    List(Vec<Value>),
    /// A numeric range; `steps` evenly spaced values for grid and zip, the range itself for random
    /// and lhs designs.
    Range {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
        /// The number of values for grid and zip designs; `None` for random and lhs.
        steps: Option<u32>,
    },
}

/// A swept parameter: its path and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Swept {
    /// The parameter's dotted path, e.g. `venues.round_tables.every`.
    pub path: String,
    /// Whether the parameter is an integer (its values stay integers).
    pub integer: bool,
    /// The values it takes.
    pub values: Values,
}

/// A parsed and checked `[sweep]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepSpec {
    /// How points are chosen.
    pub design: Design,
    /// Replications per point.
    pub replications: u32,
    /// Points of a random or lhs design.
    pub samples: u32,
    /// Seed of a random, lhs, morris or sobol design (apart from the runs' seeds).
    pub seed: u64,
    /// Grid levels of a morris design.
    pub levels: u32,
    /// Random trajectories a morris design chooses its `samples` from, spread as far apart as
    /// possible (0: no choice, every trajectory drawn is used).
    pub candidates: u32,
    /// False: every point uses the same seeds (common random numbers); true: each point its own.
    pub independent_points: bool,
    /// The swept parameters, in alphabetical order of their paths (for the table design, the
    /// file's columns in their order).
    pub parameters: Vec<Swept>,
    /// The points of a table design.
    pub rows: Vec<Vec<Value>>,
}

impl Design {
    /// The design's name in scenario files.
    pub fn name(self) -> &'static str {
        Self::NAMES[self as usize]
    }

    /// The design of a name in a scenario file.
    pub fn named(name: &str) -> Option<Design> {
        Self::NAMES.iter().position(|n| *n == name).map(|i| Self::ALL[i])
    }

    /// What `sweep.design` chooses between, in words: "how points are chosen: full factorial, …".
    pub fn doc() -> String {
        let (last, rest) = Self::WORDS.split_last().expect("designs are declared");
        format!("how points are chosen: {} or {last}", rest.join(", "))
    }
}

impl Values {
    /// How many values a grid or zip design takes: the list's, or the range's `steps`.
    pub(super) fn count(&self) -> usize {
        match self {
            Values::List(items) => items.len(),
            Values::Range { steps, .. } => steps.unwrap_or(1) as usize,
        }
    }
}

impl SweepSpec {
    /// The paths of the swept parameters, in order.
    pub(crate) fn paths(&self) -> Vec<String> {
        self.parameters.iter().map(|p| p.path.clone()).collect()
    }
}

/// Keys a sweep may not vary: they name or shape the scenario rather than parameterise it.
const FIXED: &[&str] =
    &["name", "description", "extends", "replace", "replications", "populations.*.sector", "venues.*.kind"];

/// Parses and checks a `[sweep]` table against the resolved scenario. `locate` finds where a key
/// was set; `dir` is where a table design's file is looked for.
pub fn parse(
    table: &toml::Table,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
    dir: &Path,
) -> Result<SweepSpec> {
    let int = |key: &str, default: i64| table.get(key).and_then(|v| v.as_integer()).unwrap_or(default);
    // Validation has refused a name that is not a design's.
    let design = table.get("design").and_then(|v| v.as_str()).and_then(Design::named).unwrap_or(Design::Grid);
    let (parameters, rows) = varied(table, design, scenario, locate, dir)?;
    check_design(design, &parameters, locate)?;
    let spec = SweepSpec {
        design,
        replications: int("replications", i64::from(scenario.replications)) as u32,
        samples: int("samples", 10) as u32,
        seed: int("seed", 1) as u64,
        levels: int("levels", 4) as u32,
        candidates: int("candidates", 0) as u32,
        independent_points: table.get("independent_points").and_then(|v| v.as_bool()).unwrap_or(false),
        parameters,
        rows,
    };
    check_size(&spec, locate)?;
    Ok(spec)
}

/// The parameters a sweep varies, from `[sweep.parameters]`; for a table design, from its file's
/// header, with the file's rows.
fn varied(
    table: &toml::Table,
    design: Design,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
    dir: &Path,
) -> Result<(Vec<Swept>, Vec<Vec<Value>>)> {
    let empty = toml::Table::new();
    let given = table.get("parameters").and_then(|v| v.as_table()).unwrap_or(&empty);
    let parameters = parameters("sweep", given, design, scenario, locate)?;
    if design != Design::Table {
        if parameters.is_empty() {
            return Err(Error::input(
                locate("sweep"),
                Some("sweep.parameters"),
                "the sweep varies nothing; add [sweep.parameters], e.g. \"homophily\" = [0, 1, 2]",
            ));
        }
        return Ok((parameters, Vec::new()));
    }
    if !parameters.is_empty() {
        return Err(Error::input(
            locate("sweep.parameters"),
            Some("sweep.parameters"),
            "a table design takes its parameters from the CSV file's header; remove [sweep.parameters]",
        ));
    }
    let Some(file) = table.get("table").and_then(|v| v.as_str()) else {
        return Err(Error::input(
            locate("sweep"),
            Some("sweep.table"),
            "a table design needs `table = \"points.csv\"`",
        ));
    };
    read_table(&dir.join(file), scenario)
}

/// What a design asks of its parameters: a sobol design at most `MOST_SOBOL_PARAMETERS` of them,
/// a zip design as many values of each.
fn check_design(design: Design, parameters: &[Swept], locate: &dyn Fn(&str) -> Location) -> Result<()> {
    let most = MOST_SOBOL_PARAMETERS;
    if design == Design::Sobol && parameters.len() > most {
        return Err(Error::input(
            locate("sweep.parameters"),
            Some("sweep.parameters"),
            format!("a sobol design takes at most {most} parameters (its Sobol' points have 2 per parameter, and olika has direction numbers for {} dimensions); found {}: use a morris design to screen them first", 2 * most, parameters.len()),
        ));
    }
    if design == Design::Zip {
        let lengths: Vec<usize> = parameters.iter().map(|p| p.values.count()).collect();
        if lengths.iter().any(|&l| l != lengths[0]) {
            return Err(Error::input(locate("sweep.parameters"), Some("sweep.parameters"), format!("a zip design takes the i-th values together, so every parameter needs as many values; found {lengths:?}")));
        }
    }
    Ok(())
}

/// How many points a sweep's design makes (`usize::MAX` past what a `usize` counts).
fn point_count(spec: &SweepSpec) -> usize {
    let (parameters, samples) = (&spec.parameters, spec.samples as usize);
    match spec.design {
        Design::Grid => {
            parameters.iter().try_fold(1usize, |n, p| n.checked_mul(p.values.count())).unwrap_or(usize::MAX)
        }
        Design::Zip => parameters.first().map_or(0, |p| p.values.count()),
        Design::Random | Design::Lhs => samples,
        Design::Table => spec.rows.len(),
        Design::Morris => samples.saturating_mul(parameters.len() + 1),
        Design::Sobol => samples.saturating_mul(parameters.len() + 2),
    }
}

/// Refuses a sweep of more points or runs than olika plans at once.
fn check_size(spec: &SweepSpec, locate: &dyn Fn(&str) -> Location) -> Result<()> {
    let (points, replications) = (point_count(spec), spec.replications);
    let runs = points.saturating_mul(replications as usize);
    if points > MAX_POINTS || runs > MAX_RUNS {
        return Err(Error::input(
            locate("sweep"),
            Some(if points > MAX_POINTS { "sweep.parameters" } else { "sweep.replications" }),
            format!(
                "the sweep makes {} points × {replications} replications; olika plans at most {MAX_POINTS} points and {MAX_RUNS} runs at once: split it into several sweeps (or shards of smaller sweeps)",
                if points == usize::MAX { "too many".to_string() } else { points.to_string() }
            ),
        ));
    }
    Ok(())
}

/// The parameters a `[sweep]` or `[optimize]` section (`section`) varies, each checked against
/// the scenario: every value valid for its key, a range only for numbers and with `steps` where
/// the design lists values.
pub(crate) fn parameters(
    section: &str,
    given: &toml::Table,
    design: Design,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
) -> Result<Vec<Swept>> {
    let mut parameters = Vec::new();
    for (path, spec) in given {
        let key = format!("{section}.parameters.{path}");
        let param = swept_param(section, path, scenario, &locate(&key))?;
        let values = match spec {
            toml::Value::Array(items) => list(param, items),
            toml::Value::Table(table) => range(param, path, table, design),
            _ => unreachable!("validated as a list or a table"),
        };
        parameters.push(Swept {
            path: path.clone(),
            integer: matches!(param.domain, Domain::Int { .. }),
            values: values.map_err(|m| Error::input(locate(&key), Some(&key), m))?,
        });
    }
    Ok(parameters)
}

/// A list of values of a parameter, each checked against it and typed.
fn list(param: &Param, items: &[toml::Value]) -> std::result::Result<Values, String> {
    let values = items.iter().map(|item| typed(param, item).map_err(|m| format!("value {item}: {m}")));
    Ok(Values::List(values.collect::<std::result::Result<_, _>>()?))
}

/// A range `{ min, max, steps }` of a parameter (`path`): only of a number, its ends valid for it,
/// with `steps` where the design lists values and without where it draws them.
fn range(
    param: &Param,
    path: &str,
    range: &toml::Table,
    design: Design,
) -> std::result::Result<Values, String> {
    if !matches!(param.domain, Domain::Float { .. } | Domain::Int { .. }) {
        return Err(format!("`{path}` is not a number; give a list of values"));
    }
    let number =
        |k: &str| range.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    let (min, max) = (number("min").unwrap_or(0.0), number("max").unwrap_or(0.0));
    for end in [min, max] {
        let value = match param.domain {
            Domain::Int { .. } => toml::Value::Integer(end.round() as i64),
            _ => toml::Value::Float(end),
        };
        validate::check_value(param, &value)?;
    }
    let steps = range.get("steps").and_then(|v| v.as_integer()).map(|s| s as u32);
    match (design, steps) {
        (Design::Grid | Design::Zip, None) => {
            Err("a range in a grid or zip design needs `steps`, e.g. { min = 0, max = 1, steps = 5 }".into())
        }
        (Design::Random | Design::Lhs | Design::Morris | Design::Sobol, Some(_)) => Err(format!(
            "`steps` has no meaning in a {} design: values are drawn from the range",
            design.name()
        )),
        _ => Ok(Values::Range { min, max, steps }),
    }
}

/// The most points a sweep may have: its plan is held in memory (about 100 bytes a point).
pub(crate) const MAX_POINTS: usize = 1_000_000;
/// The largest table of points read (`sweep.table`).
const MAX_TABLE_BYTES: u64 = 64 << 20;
/// The most runs a sweep may have (24 bytes of plan each).
pub(crate) const MAX_RUNS: usize = 10_000_000;

/// A value given a varied parameter, checked against the parameter and typed.
fn typed(param: &Param, value: &toml::Value) -> std::result::Result<Value, String> {
    validate::check_value(param, value)?;
    // Every value a parameter that may be varied accepts has a `Value`; this is a guard.
    Value::from_toml(value).ok_or_else(|| format!("`{}` cannot be varied over this value", param.path))
}

/// The registry entry of a swept path, checked against the scenario: populations and venues must
/// exist, venue keys must fit the venue's kind.
fn swept_param(
    section: &str,
    path: &str,
    scenario: &Scenario,
    location: &Location,
) -> Result<&'static Param> {
    let parts: Vec<&str> = path.split('.').collect();
    let key = format!("{section}.parameters.{path}");
    let fail = |m: String| Err(Error::input(location.clone(), Some(&key), m));
    let Some(param) = params::lookup(&parts) else {
        let mut e = validate::unknown_key(&parts, location.clone());
        if let Error::Input { message, .. } = &mut e {
            *message = format!("`{path}` is not a parameter: {message}");
        }
        return Err(e);
    };
    if FIXED.contains(&param.path) || params::in_section(param.path) {
        return fail(format!("`{path}` cannot be varied"));
    }
    match parts[0] {
        "populations" if !scenario.populations.contains_key(parts[1]) => {
            let names: Vec<&String> = scenario.populations.keys().collect();
            fail(format!("the scenario has no population `{}`; it has {names:?}", parts[1]))
        }
        "venues" => match scenario.venues.get(parts[1]) {
            None => {
                let names: Vec<&String> = scenario.venues.keys().collect();
                fail(format!("the scenario has no venue `{}`; it has {names:?}", parts[1]))
            }
            Some(v) if !param.venue_kinds.is_empty() && !param.venue_kinds.contains(&v.kind.name()) => {
                fail(format!(
                    "`{}` applies only to {} venues, and `{}` is a {}",
                    parts[2],
                    param.venue_kinds.join(", "),
                    parts[1],
                    v.kind.name()
                ))
            }
            _ => Ok(param),
        },
        _ => Ok(param),
    }
}

/// Reads a table design: a header of parameter paths and one row per point. Cells are TOML values
/// (numbers, true/false, quoted strings); a bare word is a string.
fn read_table(path: &Path, scenario: &Scenario) -> Result<(Vec<Swept>, Vec<Vec<Value>>)> {
    let shown = path.display().to_string();
    let mut reader = open_table(path, &shown)?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::input(Location::file(&shown), None, format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let (params, parameters) = table_columns(&header, &shown, scenario)?;
    let rows = table_rows(&mut reader, &params, &header, &shown)?;
    if rows.is_empty() {
        return Err(Error::input(
            Location::file(&shown),
            None,
            "the table has no points; add one row per point",
        ));
    }
    Ok((parameters, rows))
}

/// A reader of a table design's file (shown as `shown`), which must be a regular file of a sane
/// size: a FIFO would hang the read, a device would never end.
fn open_table(path: &Path, shown: &str) -> Result<csv::Reader<std::fs::File>> {
    let size = std::fs::metadata(path).ok().filter(|m| m.is_file()).map(|m| m.len());
    match size {
        None if path.exists() => {
            return Err(Error::input(
                Location::file(shown),
                Some("sweep.table"),
                "the table of points is not a regular file; give a CSV file",
            ))
        }
        Some(size) if size > MAX_TABLE_BYTES => {
            return Err(Error::input(
                Location::file(shown),
                Some("sweep.table"),
                format!("the table of points has {size} bytes; olika reads tables of at most {MAX_TABLE_BYTES} bytes: split the sweep"),
            ))
        }
        _ => {}
    }
    csv::ReaderBuilder::new().from_path(path).map_err(|e| {
        Error::input(
            Location::file(shown),
            Some("sweep.table"),
            format!("cannot read the table of points: {e}"),
        )
    })
}

/// The parameters a table design's header names, each once and each one that may be varied: the
/// registry's entry of each, and each as a swept parameter (whose values are the rows).
fn table_columns(
    header: &[String],
    shown: &str,
    scenario: &Scenario,
) -> Result<(Vec<&'static Param>, Vec<Swept>)> {
    let mut params = Vec::new();
    let mut parameters = Vec::new();
    for (k, column) in header.iter().enumerate() {
        let location = Location { file: shown.to_string(), line: Some(1), column: None };
        if header[..k].contains(column) {
            return Err(Error::input(
                location,
                Some(column),
                "the column appears twice in the header; give each parameter one column",
            ));
        }
        let param = swept_param("sweep", column, scenario, &location)?;
        params.push(param);
        parameters.push(Swept {
            path: column.clone(),
            integer: matches!(param.domain, Domain::Int { .. }),
            values: Values::List(Vec::new()),
        });
    }
    Ok((params, parameters))
}

/// The rows of a table design, each cell checked against its column's parameter and typed.
fn table_rows(
    reader: &mut csv::Reader<std::fs::File>,
    params: &[&'static Param],
    header: &[String],
    shown: &str,
) -> Result<Vec<Vec<Value>>> {
    let at = |line: Option<usize>| Location { file: shown.to_string(), line, column: None };
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize);
            Error::input(
                at(line),
                None,
                format!("{e}; every row needs a value for each of the {} columns", header.len()),
            )
        })?;
        let line = record.position().map(|p| p.line() as usize);
        let mut row = Vec::new();
        for ((cell, param), column) in record.iter().zip(params).zip(header) {
            let cell = cell.trim();
            let value = toml::from_str::<toml::Table>(&format!("v = {cell}"))
                .ok()
                .and_then(|mut t| t.remove("v"))
                .unwrap_or_else(|| toml::Value::String(cell.to_string()));
            row.push(typed(param, &value).map_err(|m| Error::input(at(line), Some(column), m))?);
        }
        rows.push(row);
    }
    Ok(rows)
}
