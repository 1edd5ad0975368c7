//! The `[calibrate]` section: which parameters `olika calibrate` calibrates, with their priors in
//! the grammar of `[sweep.parameters]` (a list: each value as likely; a range: uniform, or uniform
//! in the logarithm with `log = true`), the targets — the model's own judgements by name and what
//! a user observed — and how the search (ABC-SMC, `experiment::abc`) runs.

use std::path::Path;

use super::sweep::{self, Design, Values};
use super::{Scenario, Value};
use crate::error::{Error, Location, Result};
use crate::observe::{RunMetrics, StepMetrics};

/// The judgements a calibration may take as targets: the names of `validation::ALL` (the
/// scenario layer lies below validation; a test keeps the two lists alike).
pub(crate) const JUDGEMENTS: &[&str] =
    &["p1", "p2", "p3", "p4", "p5", "p6", "s1", "axelrod", "bass", "nooteboom"];

/// The most steps of an observed series read (`calibrate.targets.*.file`).
const MOST_SERIES_ROWS: usize = 100_000;
/// The largest file of an observed series read.
const MOST_SERIES_BYTES: u64 = 16 << 20;

/// A parsed and checked `[calibrate]` section.
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrateSpec {
    /// Particles per generation.
    pub population: u32,
    /// Particles of the first generation, drawn from the priors: the map of the prior box.
    pub first: u32,
    /// Generations, the first included.
    pub generations: u32,
    /// Each later tolerance is this quantile of the last generation's distances.
    pub quantile: f64,
    /// Runs of the calibrated scenario per parameter set, for the observed targets.
    pub replications: u32,
    /// The share of each judgement's replications run per parameter set.
    pub share: f64,
    /// The root of the search's draws.
    pub seed: u64,
    /// Parameter sets simulated together (the unit of parallel work; results do not depend on the
    /// threads, but do on this).
    pub batch: u32,
    /// The most simulations one generation may take.
    pub most_simulations: u64,
    /// The calibrated parameters, in alphabetical order of their paths.
    pub parameters: Vec<Calibrated>,
    /// The targets: the judgements named, then the observed ones in the order of their names.
    pub targets: Vec<Target>,
}

/// A calibrated parameter and its prior.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibrated {
    /// Its dotted path.
    pub path: String,
    /// Whether it is an integer (its draws are rounded).
    pub integer: bool,
    /// Its prior.
    pub prior: Prior,
}

/// The prior of a calibrated parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// Uniform on [min, max].
    Uniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Uniform in the logarithm on [min, max], 0 < min.
    LogUniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Each of these values as likely.
    Choice(Vec<Value>),
}

/// A target of a calibration.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A judgement of the model (`p1` … `s1`, a classic) by name: met where it holds.
    Judgement(String),
    /// A metric of runs.csv: its mean over replications should lie near `value`.
    Metric {
        /// The metric.
        name: String,
        /// What was observed.
        value: f64,
        /// How far from it a mean may lie and still count as close.
        sd: f64,
    },
    /// A step metric of series.csv over steps: its mean at each step should lie near the
    /// observed value.
    Series {
        /// The metric.
        name: String,
        /// The file it was read from, as given.
        file: String,
        /// (step, observed value, sd) per row.
        rows: Vec<(u32, f64, f64)>,
    },
}

impl Target {
    /// Its name: the judgement's or the metric's.
    pub fn name(&self) -> &str {
        match self {
            Target::Judgement(name) | Target::Metric { name, .. } | Target::Series { name, .. } => name,
        }
    }

    /// How far a parameter set may lie from it and still meet it: a judgement must hold
    /// (distance 0), an observed target lie within one sd (distance 1).
    pub fn allowance(&self) -> f64 {
        match self {
            Target::Judgement(_) => 0.0,
            _ => 1.0,
        }
    }
}

/// Parses and checks a `[calibrate]` table (its keys' types and ranges were checked with the file)
/// against the resolved scenario; `locate` finds where a key was set, `dir` is where an observed
/// series' file is looked for.
pub fn parse(
    table: &toml::Table,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
    dir: &Path,
) -> Result<CalibrateSpec> {
    let int = |key: &str, default: i64| table.get(key).and_then(|v| v.as_integer()).unwrap_or(default);
    let number = |key: &str, default: f64| {
        table
            .get(key)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
            .unwrap_or(default)
    };
    let empty = toml::Table::new();
    let given = table.get("parameters").and_then(|v| v.as_table()).unwrap_or(&empty);
    let parameters = priors(given, scenario, locate)?;
    let targets = targets(table, locate, dir)?;
    let population = int("population", 100) as u32;
    let quantile = number("quantile", 0.5);
    if !(quantile > 0.0 && quantile < 1.0) {
        return Err(Error::input(
            locate("calibrate.quantile"),
            Some("calibrate.quantile"),
            format!("a quantile of {quantile} never shrinks the tolerance; give a number strictly between 0 and 1, e.g. 0.5"),
        ));
    }
    Ok(CalibrateSpec {
        population,
        first: (int("first", i64::from(population)) as u32).max(population),
        generations: int("generations", 4) as u32,
        quantile,
        replications: int("replications", 20) as u32,
        share: number("share", 0.2),
        seed: int("seed", 1) as u64,
        batch: int("batch", 32) as u32,
        most_simulations: int("most_simulations", 20_000) as u64,
        parameters,
        targets,
    })
}

/// The calibrated parameters of `[calibrate.parameters]`, each checked against the scenario and
/// given its prior.
fn priors(
    given: &toml::Table,
    scenario: &Scenario,
    locate: &dyn Fn(&str) -> Location,
) -> Result<Vec<Calibrated>> {
    if given.is_empty() {
        return Err(Error::input(
            locate("calibrate"),
            Some("calibrate.parameters"),
            "the calibration varies nothing; add [calibrate.parameters], e.g. follow_up = { min = 0.02, max = 0.4 }",
        ));
    }
    let swept = sweep::parameters("calibrate", given, Design::Random, scenario, locate)?;
    Ok(swept
        .into_iter()
        .map(|p| {
            let log =
                given.get(&p.path).and_then(|v| v.get("log")).and_then(|v| v.as_bool()).unwrap_or(false);
            let prior = match p.values {
                Values::List(values) => Prior::Choice(values),
                Values::Range { min, max, .. } if log => Prior::LogUniform { min, max },
                Values::Range { min, max, .. } => Prior::Uniform { min, max },
            };
            Calibrated { path: p.path, integer: p.integer, prior }
        })
        .collect())
}

/// The targets: `calibrate.judgements`, then `[calibrate.targets]`, at least one.
fn targets(table: &toml::Table, locate: &dyn Fn(&str) -> Location, dir: &Path) -> Result<Vec<Target>> {
    let mut targets: Vec<Target> = Vec::new();
    for name in table.get("judgements").and_then(|v| v.as_array()).into_iter().flatten() {
        let name = name.as_str().unwrap_or_default().to_string();
        if targets.iter().any(|t| t.name() == name) {
            return Err(Error::input(
                locate("calibrate.judgements"),
                Some("calibrate.judgements"),
                format!("`{name}` is named twice; name each judgement once"),
            ));
        }
        targets.push(Target::Judgement(name));
    }
    let empty = toml::Table::new();
    for (name, target) in table.get("targets").and_then(|v| v.as_table()).unwrap_or(&empty) {
        let key = format!("calibrate.targets.{name}");
        let fail = |m: String| Error::input(locate(&key), Some(&key), m);
        let number =
            |k: &str| target.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
        match target.get("file").and_then(|v| v.as_str()) {
            None => {
                if !RunMetrics::NAMES.contains(&name.as_str()) {
                    return Err(fail(format!(
                        "`{name}` is not a metric of runs.csv; a target's value is one of: {}",
                        RunMetrics::NAMES.join(", ")
                    )));
                }
                let (value, sd) = (number("value").unwrap_or(0.0), number("sd").unwrap_or(1.0));
                targets.push(Target::Metric { name: name.clone(), value, sd });
            }
            Some(file) => {
                let columns: Vec<&str> = StepMetrics::COLUMNS.iter().map(|m| m.name).collect();
                if !columns.contains(&name.as_str()) {
                    return Err(fail(format!(
                        "`{name}` is not a metric of series.csv; a target's series is one of: {}",
                        columns.join(", ")
                    )));
                }
                let rows = read_series(&dir.join(file), name, number("sd"))
                    .map_err(|m| fail(format!("{file}: {m}")))?;
                targets.push(Target::Series { name: name.clone(), file: file.to_string(), rows });
            }
        }
    }
    if targets.is_empty() {
        return Err(Error::input(
            locate("calibrate"),
            Some("calibrate.judgements"),
            "the calibration has no target; add judgements = [\"p1\", \"p6\"] or [calibrate.targets], e.g. partnerships_begun = { value = 12, sd = 3 }",
        ));
    }
    Ok(targets)
}

/// An observed series: a CSV file with the columns `step` and `name` (and `sd`, unless the target
/// gives one `sd` for every step), one row per observed step.
fn read_series(
    path: &Path,
    name: &str,
    sd: Option<f64>,
) -> std::result::Result<Vec<(u32, f64, f64)>, String> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err("not a regular file; give a CSV file".into()),
        Ok(m) if m.len() > MOST_SERIES_BYTES => {
            return Err(format!(
                "{} bytes; olika reads a series of at most {MOST_SERIES_BYTES} bytes",
                m.len()
            ))
        }
        Ok(_) => {}
        Err(e) => return Err(format!("cannot read it: {e}")),
    }
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("cannot read it: {e}"))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("cannot read its header: {e}"))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let column = |c: &str| header.iter().position(|h| h == c);
    let (Some(step), Some(value)) = (column("step"), column(name)) else {
        return Err(format!(
            "the header must name the columns `step` and `{name}` (and `sd` unless the target gives one); found {}",
            header.join(",")
        ));
    };
    let sd_column = column("sd");
    if sd_column.is_none() && sd.is_none() {
        return Err(
            "no `sd` column, and the target gives no `sd`: say how far from each value a mean may lie".into(),
        );
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| record.get(i).map(str::trim).unwrap_or_default();
        let number = |i: usize| cell(i).parse::<f64>().ok().filter(|x| x.is_finite());
        let bad = |what: &str| format!("line {line}: {what}");
        let step = cell(step).parse::<u32>().map_err(|_| bad("`step` must be a whole number of months"))?;
        let value = number(value).ok_or_else(|| bad(&format!("`{name}` must be a finite number")))?;
        let sd = match sd_column {
            Some(i) => number(i).filter(|s| *s > 0.0).ok_or_else(|| bad("`sd` must be a number above 0"))?,
            None => sd.unwrap_or(1.0),
        };
        if rows.last().is_some_and(|&(last, _, _)| last >= step) {
            return Err(bad("steps must increase from row to row"));
        }
        rows.push((step, value, sd));
        if rows.len() > MOST_SERIES_ROWS {
            return Err(format!("more than {MOST_SERIES_ROWS} rows; thin the series"));
        }
    }
    if rows.is_empty() {
        return Err("no rows; give one row per observed step".into());
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(text: &str) -> Result<CalibrateSpec> {
        let resolved = super::super::load_str("t.toml", &format!("{}\n{text}", super::super::BASELINE), &[])?;
        resolved.calibrate.ok_or_else(|| Error::Run("no [calibrate]".into()))
    }

    fn message(text: &str) -> String {
        spec(text).unwrap_err().to_string()
    }

    #[test]
    fn priors_and_targets_are_read_in_the_grammar_of_a_sweep() {
        let s = spec(
            "[calibrate]\njudgements = [\"p6\", \"s1\"]\n[calibrate.parameters]\nfollow_up = { min = 0.02, max = 0.4, log = true }\nhomophily = { min = 0, max = 4 }\nsector_distance = [0.25, 0.5]\n[calibrate.targets]\npartnerships_begun = { value = 12, sd = 3 }\n",
        )
        .unwrap();
        assert_eq!(s.parameters[0].prior, Prior::LogUniform { min: 0.02, max: 0.4 });
        assert_eq!(s.parameters[1].prior, Prior::Uniform { min: 0.0, max: 4.0 });
        assert_eq!(s.parameters[2].prior, Prior::Choice(vec![Value::Float(0.25), Value::Float(0.5)]));
        let names: Vec<&str> = s.targets.iter().map(Target::name).collect();
        assert_eq!(names, ["p6", "s1", "partnerships_begun"]);
        assert_eq!((s.population, s.first, s.generations, s.quantile), (100, 100, 4, 0.5));
    }

    #[test]
    fn bad_calibrations_are_refused_with_the_key() {
        let p = "[calibrate.parameters]\nfollow_up = { min = 0.02, max = 0.4 }\n";
        for (text, key, says) in [
            (format!("[calibrate]\njudgements = [\"p7\"]\n{p}"), "calibrate.judgements", "not allowed"),
            (format!("[calibrate]\n{p}"), "calibrate.judgements", "no target"),
            ("[calibrate]\njudgements = [\"p1\"]\n".to_string(), "calibrate.parameters", "varies nothing"),
            ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nfollow_up = { min = 0.2, max = 0.2 }\n".into(), "calibrate.parameters.follow_up", "empty"),
            ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nfollow_up = { min = 0, max = 0.2, log = true }\n".into(), "calibrate.parameters.follow_up", "min > 0"),
            ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nfollow_up = [0.1]\n".into(), "calibrate.parameters.follow_up", "at least two"),
            ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nfollow_up = { min = 0, max = 7 }\n".into(), "calibrate.parameters.follow_up", "out of range"),
            (format!("[calibrate]\nquantile = 1.0\njudgements = [\"p1\"]\n{p}"), "calibrate.quantile", "never shrinks"),
            (format!("[calibrate.targets]\ninnovation = {{ value = 3, sd = 1 }}\n{p}"), "calibrate.targets.innovation", "not a metric"),
            (format!("[calibrate.targets]\ninnovations = {{ value = 3 }}\n{p}"), "calibrate.targets.innovations", "needs `sd`"),
            (format!("[calibrate.targets]\nadoptions = {{ file = \"missing.csv\", sd = 1 }}\n{p}"), "calibrate.targets.adoptions", "missing.csv"),
        ] {
            let m = message(&text);
            assert!(m.contains(key) && m.contains(says), "{text}\n→ {m}");
        }
    }

    #[test]
    fn an_observed_series_needs_its_columns() {
        let dir = std::env::temp_dir().join(format!("olika-series-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |text: &str| {
            let path = dir.join("observed.csv");
            std::fs::write(&path, text).unwrap();
            path
        };
        let path = write("step,adoptions\n1,2\n2,4.5\n");
        assert_eq!(read_series(&path, "adoptions", Some(1.0)).unwrap(), vec![(1, 2.0, 1.0), (2, 4.5, 1.0)]);
        assert!(read_series(&path, "adoptions", None).unwrap_err().contains("sd"));
        let path = write("month,adopters\n1,2\n");
        assert!(read_series(&path, "adoptions", Some(1.0)).unwrap_err().contains("`step` and `adoptions`"));
        let path = write("step,adoptions,sd\n1,2,0.5\n1,3,0.5\n");
        assert!(read_series(&path, "adoptions", None).unwrap_err().contains("line 3"));
        let path = write("step,adoptions,sd\n1,x,0.5\n");
        assert!(read_series(&path, "adoptions", None).unwrap_err().contains("finite number"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
