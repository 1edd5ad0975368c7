//! The tables of an `olika optimize` folder: `portfolios.csv` (every portfolio the search
//! considered, with its cost, its runs and, for the finalists, their rank and how sure the search is
//! of each against the next), `budget_curve.csv` (the best portfolio found at each budget level) and
//! `evaluations.csv` (every run, in the order the search made them).

use std::fs::File;
use std::path::Path;

use super::format::{number, text};
use super::read::Row;
use super::{csv_err, writer, Table};
use crate::error::{Error, Result};

/// A portfolio: one combination of the searched settings.
#[derive(Debug, Clone, PartialEq)]
pub struct PortfolioRow {
    /// Its number, from 0, in the order of the grid (the last setting varying fastest).
    pub portfolio: u32,
    /// The value of each searched setting, in the order of the folder's setting columns.
    pub values: Vec<String>,
    /// Its venue cost over a run.
    pub cost: f64,
    /// Whether the cost is within the budget.
    pub within_budget: bool,
    /// Replications it ran.
    pub replications: u32,
    /// Mean outcome over them, and its 95 % t-interval.
    pub mean: Option<f64>,
    /// Lower end.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
    /// Its rank among the finalists at the full budget (1: the best found); `None` for the rest.
    pub rank: Option<u32>,
    /// The last round of the full-budget race it reached (0: the first); `None` if it did not race.
    pub round: Option<u32>,
    /// For a finalist, the mean paired difference from the next finalist (this minus the next, on
    /// the same replications), with its 95 % interval.
    pub lead: Option<f64>,
    /// Lower end.
    pub lead_low: Option<f64>,
    /// Upper end.
    pub lead_high: Option<f64>,
    /// For a finalist, the share of replications in which it did better than the next one.
    pub wins: Option<f64>,
}

/// The best portfolio found within one budget level.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveRow {
    /// The budget level.
    pub budget: f64,
    /// The portfolio found best within it.
    pub portfolio: u32,
    /// Its settings, as in portfolios.csv.
    pub values: Vec<String>,
    /// Its cost.
    pub cost: f64,
    /// Replications it ran.
    pub replications: u32,
    /// Its mean outcome, and the 95 % t-interval.
    pub mean: Option<f64>,
    /// Lower end.
    pub ci_low: Option<f64>,
    /// Upper end.
    pub ci_high: Option<f64>,
}

const PORTFOLIO_COLUMNS: &[&str] = &[
    "cost",
    "within_budget",
    "replications",
    "mean",
    "ci_low",
    "ci_high",
    "rank",
    "round",
    "lead",
    "lead_low",
    "lead_high",
    "wins",
];

const CURVE_COLUMNS: &[&str] = &["cost", "replications", "mean", "ci_low", "ci_high"];

fn count(value: Option<u32>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// Writes `portfolios.csv`: `portfolio`, one column per searched setting, then the rest.
pub(crate) fn write_portfolios(dir: &Path, settings: &[String], rows: &[PortfolioRow]) -> Result<()> {
    let path = Table::Portfolios.path(dir);
    let mut w = writer(&path)?;
    let head = std::iter::once("portfolio")
        .chain(settings.iter().map(String::as_str))
        .chain(PORTFOLIO_COLUMNS.iter().copied());
    w.write_record(head).map_err(csv_err(&path))?;
    for r in rows {
        let mut record = vec![r.portfolio.to_string()];
        record.extend(r.values.iter().map(|v| text(v)));
        record.extend([
            number(Some(r.cost)),
            r.within_budget.to_string(),
            r.replications.to_string(),
            number(r.mean),
            number(r.ci_low),
            number(r.ci_high),
            count(r.rank),
            count(r.round),
            number(r.lead),
            number(r.lead_low),
            number(r.lead_high),
            number(r.wins),
        ]);
        w.write_record(&record).map_err(csv_err(&path))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}

/// Writes `budget_curve.csv`: `budget`, `portfolio`, the settings, then the estimate.
pub(crate) fn write_curve(dir: &Path, settings: &[String], rows: &[CurveRow]) -> Result<()> {
    let path = Table::BudgetCurve.path(dir);
    let mut w = writer(&path)?;
    let head = ["budget", "portfolio"]
        .into_iter()
        .chain(settings.iter().map(String::as_str))
        .chain(CURVE_COLUMNS.iter().copied());
    w.write_record(head).map_err(csv_err(&path))?;
    for r in rows {
        let mut record = vec![number(Some(r.budget)), r.portfolio.to_string()];
        record.extend(r.values.iter().map(|v| text(v)));
        record.extend([
            number(Some(r.cost)),
            r.replications.to_string(),
            number(r.mean),
            number(r.ci_low),
            number(r.ci_high),
        ]);
        w.write_record(&record).map_err(csv_err(&path))?;
    }
    w.flush().map_err(|e| Error::io(&path, e))
}

/// The setting columns of a table: all but its `leading` first and `trailing` last columns.
fn settings(head: &[String], leading: usize, trailing: usize) -> Vec<String> {
    head[leading..head.len().saturating_sub(trailing)].to_vec()
}

/// Reads `portfolios.csv` back: the setting columns and the rows.
pub(crate) fn read_portfolios(dir: &Path) -> Result<(Vec<String>, Vec<PortfolioRow>)> {
    let mut table = Table::Portfolios.open(dir)?;
    let names = settings(table.head(), 1, PORTFOLIO_COLUMNS.len());
    let first = table.column("portfolio")?;
    let k = table.columns(PORTFOLIO_COLUMNS)?;
    let mut rows = Vec::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        let t = &table;
        rows.push(PortfolioRow {
            portfolio: t.get(&row, first)?,
            values: (0..names.len()).map(|i| row.text(first + 1 + i).to_string()).collect(),
            cost: t.get(&row, k[0])?,
            within_budget: row.text(k[1]) == "true",
            replications: t.get(&row, k[2])?,
            mean: t.get(&row, k[3])?,
            ci_low: t.get(&row, k[4])?,
            ci_high: t.get(&row, k[5])?,
            rank: t.get(&row, k[6])?,
            round: t.get(&row, k[7])?,
            lead: t.get(&row, k[8])?,
            lead_low: t.get(&row, k[9])?,
            lead_high: t.get(&row, k[10])?,
            wins: t.get(&row, k[11])?,
        });
    }
    Ok((names, rows))
}

/// Reads `budget_curve.csv` back.
pub(crate) fn read_curve(dir: &Path) -> Result<Vec<CurveRow>> {
    let mut table = Table::BudgetCurve.open(dir)?;
    let names = settings(table.head(), 2, CURVE_COLUMNS.len());
    let (budget, portfolio) = (table.column("budget")?, table.column("portfolio")?);
    let k = table.columns(CURVE_COLUMNS)?;
    let mut rows = Vec::new();
    let mut row = Row::default();
    while table.read(&mut row)? {
        let t = &table;
        rows.push(CurveRow {
            budget: t.get(&row, budget)?,
            portfolio: t.get(&row, portfolio)?,
            values: (0..names.len()).map(|i| row.text(portfolio + 1 + i).to_string()).collect(),
            cost: t.get(&row, k[0])?,
            replications: t.get(&row, k[1])?,
            mean: t.get(&row, k[2])?,
            ci_low: t.get(&row, k[3])?,
            ci_high: t.get(&row, k[4])?,
        });
    }
    Ok(rows)
}

/// `evaluations.csv`, written run by run as the search makes them.
pub struct Evaluations {
    writer: csv::Writer<File>,
    path: std::path::PathBuf,
}

impl Evaluations {
    /// Creates the file with its header; `objective` names the outcome column.
    pub fn create(dir: &Path, objective: &str) -> Result<Evaluations> {
        let path = Table::Evaluations.path(dir);
        let mut writer = writer(&path)?;
        writer.write_record(["portfolio", "replication", "seed", objective]).map_err(csv_err(&path))?;
        Ok(Evaluations { writer, path })
    }

    /// One run.
    pub fn write(&mut self, portfolio: usize, replication: u32, seed: u64, value: f64) -> Result<()> {
        let record = [portfolio.to_string(), replication.to_string(), seed.to_string(), number(Some(value))];
        self.writer.write_record(&record).map_err(csv_err(&self.path))
    }

    /// Flushes it to disk.
    pub fn finish(mut self) -> Result<()> {
        self.writer.flush().map_err(|e| Error::io(&self.path, e))
    }
}

/// A portfolio's settings in words, venue by venue, as a programme officer would say them: "round
/// tables every 2 months at facilitation 0.6, seminars every 3 months, no hub" (`settings` are the
/// folder's setting paths, `values` a portfolio's values in their order).
pub(crate) fn described(settings: &[String], values: &[String]) -> String {
    let pairs: Vec<(&str, &str)> =
        settings.iter().map(String::as_str).zip(values.iter().map(String::as_str)).collect();
    in_words(&pairs)
}

/// Settings as [`described`] says them, from pairs of a path and its value: the venues that run
/// first, each once with its settings (`every` in months, `facilitation` after "at", any other key
/// by its name), then those switched off ("no hub"), then settings outside the venues by their
/// path ("trust gain 0.2").
pub(crate) fn in_words(settings: &[(&str, &str)]) -> String {
    let mut venues: Vec<(String, bool, Vec<String>)> = Vec::new();
    let mut others = Vec::new();
    for &(path, value) in settings {
        let value = value.trim_matches('"');
        let Some((venue, key)) = path.strip_prefix("venues.").and_then(|p| p.split_once('.')) else {
            others.push(format!("{} {value}", path.replace(['.', '_'], " ")));
            continue;
        };
        let name = venue.replace('_', " ");
        let k = match venues.iter().position(|v| v.0 == name) {
            Some(k) => k,
            None => {
                venues.push((name, true, Vec::new()));
                venues.len() - 1
            }
        };
        match (key, value) {
            ("enabled", on) => venues[k].1 = on != "false",
            ("every", "1") => venues[k].2.push("every month".into()),
            ("every", n) => venues[k].2.push(format!("every {n} months")),
            ("facilitation", f) => venues[k].2.push(format!("at facilitation {f}")),
            (key, v) => venues[k].2.push(format!("{} {v}", key.replace('_', " "))),
        }
    }
    let on = venues.iter().filter(|v| v.1).map(|(name, _, said)| {
        if said.is_empty() {
            name.clone()
        } else {
            format!("{name} {}", said.join(" "))
        }
    });
    let off = venues.iter().filter(|v| !v.1).map(|(name, _, _)| format!("no {name}"));
    let all: Vec<String> = on.chain(off).chain(others).collect();
    if all.is_empty() {
        "the scenario as it is".into()
    } else {
        all.join(", ")
    }
}

/// Every budget level of a search (`experiment::optimize::LEVELS` of the full budget, which is the
/// last level of `curve`), each with the best portfolio found within it, or none where no portfolio
/// fits: a reader is told of a level left empty, not left to wonder.
pub(crate) fn levels(curve: &[CurveRow]) -> Vec<(f64, Option<&CurveRow>)> {
    let Some(full) = curve.last().map(|c| c.budget) else { return Vec::new() };
    crate::experiment::optimize::LEVELS
        .iter()
        .map(|share| {
            let level = full * share;
            (level, curve.iter().find(|c| (c.budget - level).abs() <= 1e-9 * full.abs().max(1.0)))
        })
        .collect()
}

/// What a search found, in sentences for a memo: the best portfolio within the budget, how sure
/// the search is that it beats the runner-up, and what the search cost against trying everything.
/// Read from the folder's tables, so the terminal and the report say the same.
pub(crate) fn findings(
    objective: &str,
    (cost_unit, span): (&str, &str),
    settings: &[String],
    portfolios: &[PortfolioRow],
    curve: &[CurveRow],
    runs: u64,
) -> Vec<String> {
    let objective = objective.replace('_', " ");
    let mut finalists: Vec<&PortfolioRow> = portfolios.iter().filter(|p| p.rank.is_some()).collect();
    finalists.sort_by_key(|p| p.rank);
    let (Some(best), Some(budget)) = (finalists.first(), curve.last().map(|c| c.budget)) else {
        return vec!["No portfolio was within the budget.".into()];
    };
    let h = |v: Option<f64>| super::format::human(v);
    let mut out = vec![format!(
        "Within a budget of {} {cost_unit} {span}, the best portfolio found is {}: {} {objective} (95 % CI {} to {}) for {} {cost_unit}.",
        h(Some(budget)),
        described(settings, &best.values),
        h(best.mean),
        h(best.ci_low),
        h(best.ci_high),
        h(Some(best.cost))
    )];
    if let Some(second) = finalists.get(1) {
        let sure = if best.lead_low.is_some_and(|l| l > 0.0) {
            "the search is sure of the order at the 95 % level".to_string()
        } else {
            format!("the two cannot be told apart with {} replications: either will do, or raise optimize.replications", best.replications)
        };
        out.push(format!(
            "It beats the runner-up ({}: {}) by {} {objective} (95 % CI {} to {}), on the same seeds, in {:.0} % of the replications; {sure}.",
            described(settings, &second.values),
            h(second.mean),
            h(best.lead),
            h(best.lead_low),
            h(best.lead_high),
            best.wins.unwrap_or(0.0) * 100.0
        ));
    }
    let cheapest = portfolios.iter().map(|p| p.cost).fold(f64::INFINITY, f64::min);
    let empty: Vec<String> =
        levels(curve).iter().filter(|(_, best)| best.is_none()).map(|(level, _)| h(Some(*level))).collect();
    if !empty.is_empty() {
        out.push(format!(
            "No portfolio fits within {} {cost_unit}: the cheapest costs {} {cost_unit}, so the budget–outcome curve starts above {}.",
            empty.join(" or "),
            h(Some(cheapest)),
            empty.last().expect("not empty")
        ));
    }
    let within = portfolios.iter().filter(|p| p.within_budget).count() as u64;
    out.push(format!(
        "The search made {runs} runs; running each of the {within} portfolios within the budget {} times, as the finalists were, would have taken {}.",
        best.replications,
        within * u64::from(best.replications)
    ));
    out
}

/// The runs a search made: the rows of its evaluations.csv.
pub fn runs(dir: &Path) -> Result<u64> {
    let mut table = Table::Evaluations.open(dir)?;
    let mut row = Row::default();
    let mut n = 0;
    while table.read(&mut row)? {
        n += 1;
    }
    Ok(n)
}
