//! Charts and the report of a results folder, drawn from its CSV files alone, so that
//! `olika plot DIR` redraws exactly what the running command drew.

pub mod animate;
pub mod chart;
pub mod layout;
pub mod network;
pub mod style;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chart::{Bars, Dots, Heatmap, Lines, Panels, Plane, Scatter, Stacked};
pub use chart::{Chart, Estimate, Format, Kind, Line, Panel};

use crate::error::Result;
use crate::experiment::sensitivity::IndexRow;
use crate::experiment::stats::Accumulator;
use crate::model::COMPOSITIONS;
use crate::output::read::{Row, TableReader};
use crate::output::{compare, optimize, sensitivity, summary, venues, Command, Manifest, Table};

/// The charts of a results folder, and notes on charts that were left out on purpose.
pub struct Charts {
    /// The charts, in the order the report shows them.
    pub charts: Vec<Chart>,
    /// Why charts one might expect are missing.
    pub notes: Vec<String>,
}

/// The charts drawn: the files written, and each chart's SVG text, in order, for the report.
pub struct Drawn {
    /// The chart files written.
    pub files: Vec<PathBuf>,
    /// Each chart as SVG text, in the order of `Charts::charts`.
    pub svgs: Vec<String>,
}

impl Charts {
    /// Draws every chart, writing its files into `dir` as `format` asks (none for `None`).
    /// Charts are drawn in parallel (each into files of its own, so the bytes do not depend on
    /// the threads), each once: drawing them is most of what a command does once its runs are
    /// done.
    pub fn save(&self, dir: &Path, format: Option<Format>) -> Result<Drawn> {
        use rayon::prelude::*;
        let drawn: Vec<Result<(Vec<PathBuf>, String)>> =
            self.charts.par_iter().map(|c| c.save(dir, format)).collect();
        let mut out = Drawn { files: Vec::new(), svgs: Vec::new() };
        for chart in drawn {
            let (files, svg) = chart?;
            out.files.extend(files);
            out.svgs.push(svg);
        }
        Ok(out)
    }
}

/// The charts that fit the command that wrote the folder.
pub fn build(dir: &Path) -> Result<Charts> {
    let manifest = Manifest::read(dir)?;
    let first = manifest.first(dir)?;
    let cost_unit = crate::output::format::cost_unit(&first.scenario.currency).to_string();
    let folder = Folder { manifest, first, cost_unit };
    let manifest = &folder.manifest;
    let mut out = Charts { charts: Vec::new(), notes: Vec::new() };
    match manifest.command {
        Command::Run => {
            // A chart of a quantity that stays zero in every run (innovations in Axelrod's
            // classic) says nothing: it is left out, and the report says so.
            let mut charts = time_charts(dir, &folder)?;
            charts.extend(venue_charts(dir, &folder.cost_unit)?);
            let (shown, flat): (Vec<Chart>, Vec<Chart>) = charts.into_iter().partition(|c| !c.is_flat());
            out.charts.extend(shown);
            if !flat.is_empty() {
                let titles: Vec<String> = flat.iter().map(|c| c.title.to_lowercase()).collect();
                out.notes.push(format!(
                    "Left out, because they stay at zero in every run of this scenario: {}.",
                    titles.join("; ")
                ));
            }
            if let Some(chart) = network::picture(dir)? {
                out.charts.push(chart);
            }
        }
        Command::Compare => out.charts.extend(compare_charts(dir, &folder.cost_unit)?),
        Command::Sweep | Command::Merge => {
            sweep_charts(dir, &folder, &mut out)?;
            out.charts.extend(sensitivity_charts(dir, &folder)?);
        }
        Command::Optimize => out.charts.extend(optimize_charts(dir, &folder.cost_unit)?),
    }
    Ok(out)
}

/// A results folder as its charts read it: the manifest, its (first) scenario typed, and the unit
/// of its costs.
struct Folder {
    manifest: Manifest,
    first: crate::scenario::Resolved,
    cost_unit: String,
}

/// The rows of point 0 of a per-run table (what the charts of a run show).
pub(crate) fn point_zero(table: Table, dir: &Path) -> Result<(TableReader, Vec<Row>)> {
    let reader = table.open(dir)?;
    let point = reader.column("point")?;
    reader.rows_where(|t, r| Ok(t.get::<u32>(r, point)? == 0))
}

/// A mean line and its (x, low, high) band.
type Band = (Vec<(f64, f64)>, Vec<(f64, f64, f64)>);

/// Hands each run's rows of point 0 of series.csv to `f` in turn, as (step, values of `columns`) in
/// order of step. The table holds each run's rows together, runs in increasing order of id (as olika
/// writes and merges it), so one run is in memory at a time, however many runs the folder holds.
fn each_run(dir: &Path, columns: &[&str], mut f: impl FnMut(&[(u64, Vec<Option<f64>>)])) -> Result<()> {
    let mut table = Table::Series.open(dir)?;
    let (point, run, step) = (table.column("point")?, table.column("run_id")?, table.column("step")?);
    let columns: Vec<usize> = columns.iter().map(|c| table.column(c)).collect::<Result<_>>()?;
    let mut rows: Vec<(u64, Vec<Option<f64>>)> = Vec::new();
    let mut current = None;
    let mut row = Row::default();
    while table.read(&mut row)? {
        if table.get::<u32>(&row, point)? != 0 {
            continue;
        }
        let id: u64 = table.get(&row, run)?;
        if current != Some(id) {
            if current.is_some_and(|c| id < c) {
                return Err(table.error_at(
                    &row,
                    run,
                    "series.csv is not in order of run: write it with olika (run, sweep or merge)",
                ));
            }
            rows.sort_by_key(|r| r.0);
            if !rows.is_empty() {
                f(&rows);
            }
            rows.clear();
            current = Some(id);
        }
        let values = columns.iter().map(|&k| table.get(&row, k)).collect::<Result<_>>()?;
        rows.push((table.get(&row, step)?, values));
    }
    rows.sort_by_key(|r| r.0);
    if !rows.is_empty() {
        f(&rows);
    }
    Ok(())
}

/// Mean and 95 % band over runs of each series.csv metric, by step, at the steps the longest run
/// recorded. A run that stopped earlier (one run until stable) stays in its final state, so it counts
/// with its last value after its end: the lines run to the end of the longest run, each step a mean
/// over every run. A run without a value at a step (trust within sectors before two organisations of
/// one sector have met) is left out of that step. A missing column is an error: the charts name the
/// metrics of this version of olika.
///
/// Two passes over the table, one run at a time: the first finds the longest run's steps, the
/// second adds each run's values to one accumulator per metric and step, runs in order of id —
/// memory bounded by the length of a run, not by the number of runs.
fn series_bands(dir: &Path, metrics: &[&str]) -> Result<Vec<Option<Band>>> {
    // The last of the longest runs, as the runs come in order of id.
    let (mut steps, mut last) = (Vec::new(), None);
    each_run(dir, &[], |rows| {
        if rows.last().map(|r| r.0) >= last {
            last = rows.last().map(|r| r.0);
            steps = rows.iter().map(|r| r.0).collect();
        }
    })?;
    let mut sums = vec![vec![Accumulator::default(); steps.len()]; metrics.len()];
    each_run(dir, metrics, |rows| {
        for (p, &t) in steps.iter().enumerate() {
            let at = match rows.binary_search_by_key(&t, |r| r.0) {
                Ok(i) => i,
                Err(i) if i == rows.len() => i - 1,
                Err(_) => continue,
            };
            for (sum, value) in sums.iter_mut().zip(&rows[at].1) {
                if let Some(v) = value {
                    sum[p].add(*v);
                }
            }
        }
    })?;
    Ok(sums
        .iter()
        .map(|sum| {
            (last.is_some()).then(|| {
                let mut points = Vec::new();
                let mut band = Vec::new();
                for (&t, s) in steps.iter().zip(sum) {
                    let s = s.summary();
                    let Some(mean) = s.mean else { continue };
                    points.push((t as f64, mean));
                    // Every quantity these charts show is a count, a mean trust or a distance:
                    // never below zero, so neither is its band.
                    band.push((t as f64, s.ci_low.unwrap_or(mean).max(0.0), s.ci_high.unwrap_or(mean)));
                }
                (points, band)
            })
        })
        .collect())
}

fn lines_chart(file: &str, title: &str, axes: [&str; 2], caption: &str, lines: Vec<Line>) -> Option<Chart> {
    let [x_label, y_label] = axes;
    (!lines.is_empty()).then(|| Chart {
        file: file.into(),
        title: title.into(),
        x_label: x_label.into(),
        y_label: y_label.into(),
        caption: caption.into(),
        kind: Lines { lines }.into(),
    })
}

/// File, title, y label, caption, and the (metric, line name) pairs of a chart over time.
type TimeChart =
    (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

fn time_charts(dir: &Path, folder: &Folder) -> Result<Vec<Chart>> {
    // A step of the model is a month; a classic run until stable counts bare steps (Axelrod's
    // events per resident), and its lines carry each stopped run at its final state.
    let until_stable = folder.first.scenario.until_stable;
    let step = if until_stable { "step" } else { "step (month)" };
    let stopped =
        if until_stable { " Runs that stopped when stable count with their final state." } else { "" };
    let mut charts = Vec::new();
    let specs: [TimeChart; 6] = [
        ("time_innovations", "Innovations so far", "innovations", "Cumulative innovations over the run: mean over replications with its 95 % confidence band.", &[("innovations", "innovations")]),
        ("time_partnerships", "Partnerships: informal and formal", "partnerships", "Current informal and formal partnerships: informal ones start on trust (\"just ask\"), formal ones on a contract.", &[("informal_partnerships", "informal"), ("formal_partnerships", "formal")]),
        ("time_trust", "Mean trust within and across sectors", "trust (0–1)", "Mean trust of ties within a sector and across sectors, with 95 % bands.", &[("trust_within", "within sectors"), ("trust_across", "across sectors")]),
        ("time_diversity", "Knowledge diversity", "mean distance (fraction of features)", "How different organisations' knowledge is: mean cognitive distance over a fixed sample of pairs.", &[("knowledge_diversity", "diversity")]),
        ("time_adoptions", "Adoptions of innovations", "adoptions", "Cumulative adoptions of innovations by organisations other than their creators.", &[("adoptions", "adoptions")]),
        ("time_scaled_up", "Innovations scaled up by the public sector", "innovations", "Cumulative innovations scaled up: mandated to public organisations (diffusion.scale_up_reach) after a public organisation adopted them.", &[("scaled_up", "scaled up")]),
    ];
    // Every band of every chart, in two passes over the table.
    let teams: Vec<String> = COMPOSITIONS.iter().map(|c| format!("innovations_{c}")).collect();
    let metrics: Vec<&str> =
        specs.iter().flat_map(|s| s.4.iter().map(|m| m.0)).chain(teams.iter().map(String::as_str)).collect();
    let mut bands: BTreeMap<&str, Option<Band>> =
        metrics.iter().copied().zip(series_bands(dir, &metrics)?).collect();
    let mut band = |metric: &str| bands.get_mut(metric).and_then(Option::take);
    for (file, title, y, caption, metrics) in specs {
        // A quantity with no value at any step (trust within sectors where no two organisations
        // of one sector ever met) draws no line and names none in the legend.
        let lines: Vec<Line> = metrics
            .iter()
            .enumerate()
            .filter_map(|(k, &(m, name))| {
                band(m).filter(|(points, _)| !points.is_empty()).map(|(points, band)| Line {
                    name: name.into(),
                    color: style::series(k),
                    points,
                    band: Some(band),
                })
            })
            .collect();
        charts.extend(lines_chart(file, title, [step, y], &format!("{caption}{stopped}"), lines));
    }
    let mut layers: Vec<Line> = Vec::new();
    for (c, metric) in COMPOSITIONS.iter().zip(&teams) {
        // A team that never innovated in any run would only crowd the legend.
        if let Some((points, _)) = band(metric).filter(|(points, _)| points.iter().any(|&(_, y)| y > 0.0)) {
            layers
                .push(Line { name: c.replace('_', "–"), color: style::composition(c), points, band: None });
        }
    }
    // One layer would repeat the chart of innovations.
    if layers.len() > 1 {
        charts.push(Chart {
            file: "innovations_by_team".into(),
            title: "Innovations by team composition".into(),
            x_label: step.into(),
            y_label: "innovations (mean over replications)".into(),
            caption: "Cumulative innovations stacked by the sectors of the two creators: a team of one sector in its colour, each mixed team in a colour of its own.".into(),
            kind: Stacked { layers }.into(),
        });
    }
    Ok(charts)
}

fn venue_charts(dir: &Path, cost_unit: &str) -> Result<Vec<Chart>> {
    let venues = venues::means(dir)?;
    let mut charts = Vec::new();
    // The venue is named on the axis, so colour only sets direct approaches apart.
    let color = |v: &venues::VenueMean| if v.kind == "direct" { style::SERIES[3] } else { style::VENUE };
    let mut bars: Vec<(String, f64, plotters::style::RGBColor)> =
        venues.iter().map(|v| (said(&v.name), v.get("partnerships_begun"), color(v))).collect();
    // The largest on top (rows count from the bottom).
    bars.sort_by(|a, b| a.1.total_cmp(&b.1));
    // One bar compares nothing: such a chart is left out.
    if bars.len() > 1 {
        charts.push(Chart {
            file: "venue_partnerships".into(),
            title: "Partnerships begun, by where the partners met".into(),
            x_label: "partnerships per run (mean)".into(),
            y_label: "venue".into(),
            caption: "Partnerships begun on ties that started at each venue (or by a direct approach), mean per run.".into(),
            kind: Bars { bars }.into(),
        });
    }
    let mut per_cost: Vec<(String, f64, plotters::style::RGBColor)> = venues
        .iter()
        .filter(|v| v.get("cost") > 0.0)
        .map(|v| {
            let per = 1000.0 * v.get("innovations") / v.get("cost");
            (said(&v.name), per, color(v))
        })
        .collect();
    per_cost.sort_by(|a, b| a.1.total_cmp(&b.1));
    if per_cost.len() > 1 {
        charts.push(Chart {
            file: "venue_innovations_per_cost".into(),
            title: format!("Innovations per {}, by venue", thousand(cost_unit)),
            x_label: format!("innovations per {}", thousand(cost_unit)),
            y_label: "venue".into(),
            caption: format!("What each venue returns for its cost: innovations of the partnerships that began there per {}.", thousand(cost_unit)),
            kind: Bars { bars: per_cost }.into(),
        });
    }
    Ok(charts)
}

fn compare_charts(dir: &Path, cost_unit: &str) -> Result<Vec<Chart>> {
    let rows = compare::read(dir)?;
    let mut charts = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for r in &rows {
        if !names.contains(&r.strategy.as_str()) {
            names.push(&r.strategy);
        }
    }
    let per_innovation = format!("{cost_unit} per innovation");
    for (metric, title, unit) in [
        ("innovations", "Innovations per run, by strategy", "innovations per run"),
        ("social_value", "Social value per run, by strategy", "value units"),
        ("cost_per_innovation", "Cost per innovation, by strategy", per_innovation.as_str()),
    ] {
        let own: Vec<&compare::CompareRow> = rows.iter().filter(|r| r.metric == metric).collect();
        let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
        // A strategy's estimate: its value and interval.
        let estimates = |pick: fn(&compare::CompareRow) -> [Option<f64>; 3], skip: usize| -> Vec<Estimate> {
            own.iter()
                .enumerate()
                .skip(skip)
                .map(|(k, r)| {
                    let [value, low, high] = pick(r);
                    Estimate {
                        label: said(&r.strategy),
                        value: nan(value),
                        low: nan(low),
                        high: nan(high),
                        color: style::series(k),
                    }
                })
                .collect()
        };
        let mut means = estimates(|r| [r.mean, r.ci_low, r.ci_high], 0);
        // A strategy with no venue cost has a cost per innovation of zero: nothing to weigh, and
        // no place on the log axis a wide spread of costs calls for. It is named, not drawn.
        let free: Vec<String> = if metric == "cost_per_innovation" {
            means.iter().filter(|e| e.value == 0.0).map(|e| e.label.clone()).collect()
        } else {
            Vec::new()
        };
        means.retain(|e| !free.contains(&e.label));
        if means.iter().any(|e| e.value.is_finite()) {
            charts.push(Chart {
                file: format!("compare_{metric}"),
                title: title.into(),
                x_label: unit.into(),
                y_label: "strategy".into(),
                caption: if metric == "cost_per_innovation" {
                    let free = match free.len() {
                        0 => String::new(),
                        1 => format!(" Left out: {}, which costs nothing.", free[0]),
                        _ => format!(" Left out: {}, which cost nothing.", free.join(", ")),
                    };
                    format!("Each strategy's cost per innovation — its mean venue cost ÷ its mean innovations, in {cost_unit} — with Fieller's 95 % confidence interval, all strategies on the same seeds.{free}")
                } else {
                    format!(
                        "Each strategy's mean {} with its 95 % confidence interval, all strategies on the same seeds.",
                        metric.replace('_', " ")
                    )
                },
                kind: Dots { rows: means, zero: false }.into(),
            });
        }
        if metric == "cost_per_innovation" {
            continue;
        }
        let diffs = estimates(|r| [r.difference, r.difference_ci_low, r.difference_ci_high], 1);
        if diffs.iter().any(|e| e.value.is_finite()) {
            charts.push(Chart {
                file: format!("compare_difference_{metric}"),
                title: format!("Difference from {} in {}", said(names[0]), metric.replace('_', " ")),
                x_label: format!("paired difference ({unit})"),
                y_label: "strategy".into(),
                caption: format!("Paired difference from the first strategy, {}, with its 95 % confidence interval; intervals that cross zero are not significant.", said(names[0])),
                kind: Dots { rows: diffs, zero: true }.into(),
            });
        }
    }
    // The cost-effectiveness planes: innovations, and social value, against venue cost.
    let estimate = |r: &compare::CompareRow, k: usize| Estimate {
        label: said(&r.strategy),
        value: r.mean.unwrap_or(f64::NAN),
        low: r.ci_low.unwrap_or(f64::NAN),
        high: r.ci_high.unwrap_or(f64::NAN),
        color: style::series(k),
    };
    let of = |metric: &'static str| rows.iter().filter(move |r| r.metric == metric);
    for (file, outcome, words) in [
        ("compare_plane", "innovations", "innovations"),
        ("compare_plane_social_value", "social_value", "social value"),
    ] {
        let points: Vec<(Estimate, Estimate)> = of("venue_cost")
            .zip(of(outcome))
            .enumerate()
            .map(|(k, (cost, y))| (estimate(cost, k), estimate(y, k)))
            .collect();
        if points.iter().any(|(x, y)| x.value.is_finite() && y.value.is_finite()) {
            let title = format!("{}{} against cost, by strategy", words[..1].to_uppercase(), &words[1..]);
            charts.push(Chart {
                file: file.into(),
                title,
                x_label: format!("venue cost per run ({cost_unit})"),
                y_label: format!("{words} per run"),
                caption: format!("The cost-effectiveness plane: each strategy's mean venue cost and {words} with their 95 % confidence intervals. A strategy that another beats on both (costs no more, gives no less) is dominated; one that a mix of two others beats (each extra unit of cost buys less through it than through the next dearer strategy) is under extended dominance; both are drawn hollow. The dashed line is the efficient frontier through the rest, in order of cost."),
                kind: Plane { points }.into(),
            });
        }
    }
    Ok(charts)
}

/// The headline metrics a sweep chart shows.
const SWEEP_METRICS: [(&str, &str); 4] = [
    ("innovations", "innovations per run"),
    ("social_value", "social value per run"),
    ("scaled_up", "scaled-up innovations per run"),
    ("cost_per_innovation", "cost per innovation"),
];

/// The sweep metrics with their labels, the cost in the scenario's currency.
fn sweep_metrics(cost_unit: &str) -> Vec<(&'static str, String)> {
    SWEEP_METRICS
        .iter()
        .map(|&(m, label)| {
            (m, if m == "cost_per_innovation" { format!("{label} ({cost_unit})") } else { label.into() })
        })
        .collect()
}

fn sweep_charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    let cost_unit = folder.cost_unit.clone();
    let columns = &folder.manifest.point_columns;
    let rows = summary::read(dir, columns, |r| SWEEP_METRICS.iter().any(|(m, _)| *m == r.metric))?;
    let numeric = |s: &str| s.parse::<f64>().ok();
    let grid = folder.first.sweep.as_ref().is_some_and(|s| s.design == crate::scenario::sweep::Design::Grid);
    match columns.len() {
        1 => {
            for (metric, label) in sweep_metrics(&cost_unit) {
                let mut points: Vec<(f64, f64, f64, f64)> = rows
                    .iter()
                    .filter(|r| r.metric == metric)
                    .filter_map(|r| {
                        let s = &r.summary;
                        Some((numeric(&r.values[0])?, s.mean?, s.ci_low?, s.ci_high?))
                    })
                    .collect();
                if points.len() < 2 {
                    continue;
                }
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                out.charts.push(Chart {
                    file: format!("response_{metric}"),
                    title: format!("{} against {}", capital(&label), short_path(&columns[0])),
                    x_label: axis(&folder.manifest, 0),
                    y_label: label,
                    caption: format!("Mean {} at each value of {}, with its 95 % confidence band over replications.", metric.replace('_', " "), columns[0]),
                    kind: Lines {
                        lines: vec![Line {
                            name: metric.replace('_', " "),
                            color: style::series(0),
                            points: points.iter().map(|p| (p.0, p.1)).collect(),
                            band: Some(points.iter().map(|p| (p.0, p.2, p.3)).collect()),
                        }],
                    }
                    .into(),
                });
            }
        }
        2 if grid => {
            for (metric, label) in sweep_metrics(&cost_unit) {
                let own: Vec<&summary::SummaryRow> = rows.iter().filter(|r| r.metric == metric).collect();
                // Rows are the first parameter's values, columns the second's, in the order met.
                let mut xs: Vec<&str> = Vec::new();
                let mut ys: Vec<&str> = Vec::new();
                for r in &own {
                    if !xs.contains(&r.values[1].as_str()) {
                        xs.push(&r.values[1]);
                    }
                    if !ys.contains(&r.values[0].as_str()) {
                        ys.push(&r.values[0]);
                    }
                }
                let mut values = vec![vec![None; xs.len()]; ys.len()];
                for r in &own {
                    let (i, j) = (xs.iter().position(|x| *x == r.values[1]), ys.iter().position(|y| *y == r.values[0]));
                    if let (Some(i), Some(j)) = (i, j) {
                        values[j][i] = r.summary.mean;
                    }
                }
                out.charts.push(Chart {
                    file: format!("heatmap_{metric}"),
                    title: format!("{} by {} and {}", capital(&label), short_path(&columns[0]), short_path(&columns[1])),
                    x_label: axis(&folder.manifest, 1),
                    y_label: axis(&folder.manifest, 0),
                    caption: format!(
                        "Mean {} at each combination of {} and {}; darker is more{}.",
                        metric.replace('_', " "),
                        columns[0],
                        columns[1],
                        if metric.starts_with("cost") { " (here: dearer, so lighter is better)" } else { "" }
                    ),
                    kind: Heatmap { xs: xs.iter().map(|x| short(x)).collect(), ys: ys.iter().map(|y| short(y)).collect(), values, scale: if metric == "cost_per_innovation" { format!("{cost_unit} per innovation") } else { label.replace(" per run", "") } }.into(),
                });
            }
        }
        n => out.notes.push(format!(
            "No response curves or heatmaps: {} parameters{} cannot be drawn so without hiding how the others vary. The sensitivity charts (random, lhs, morris and sobol designs) rank them; runs.csv and summary.csv hold every point.",
            n,
            if n == 2 { " not on a full grid" } else { "" }
        )),
    }
    Ok(())
}

/// An index of `sensitivity.csv` as a dot with its interval.
fn dot(r: &IndexRow, label: String, color: plotters::style::RGBColor) -> Estimate {
    let (low, high) = r.bounds();
    Estimate { label, value: r.estimate, low, high, color }
}

/// The charts of `sensitivity.csv`, one per metric: Sobol' first-order and total indices with their
/// intervals, Morris's μ* against σ, or partial rank correlations followed by the metric against
/// each parameter (random and lhs designs); each caption names the parameters that matter.
fn sensitivity_charts(dir: &Path, folder: &Folder) -> Result<Vec<Chart>> {
    let Some(rows) = sensitivity::read(dir)? else { return Ok(Vec::new()) };
    let mut metrics: Vec<&str> = Vec::new();
    for r in &rows {
        if !metrics.contains(&r.metric.as_str()) {
            metrics.push(&r.metric);
        }
    }
    let mut charts = Vec::new();
    for metric in metrics {
        let own: Vec<&IndexRow> = rows.iter().filter(|r| r.metric == metric).collect();
        let of =
            |index: &str| -> Vec<&IndexRow> { own.iter().copied().filter(|r| r.index == index).collect() };
        let noise = of("noise_share").first().map_or(f64::NAN, |r| r.estimate);
        let noise_words = if noise > 0.5 {
            format!(" Replication noise is {:.0} % of the variance between points: add replications before reading much into these.", 100.0 * noise)
        } else {
            format!(" Replication noise: {:.0} % of the variance between points.", 100.0 * noise)
        };
        let label = crate::observe::words::label(metric);
        let (totals, mu_star, prcc) = (of("ST"), of("mu_star"), of("PRCC"));
        if !prcc.is_empty() {
            let mut ranked = prcc.clone();
            ranked.sort_by(|a, b| b.estimate.abs().total_cmp(&a.estimate.abs()));
            let dots: Vec<Estimate> = ranked
                .iter()
                .rev()
                .map(|r| {
                    dot(r, short_path(&r.parameter), style::series(if r.estimate < 0.0 { 1 } else { 0 }))
                })
                .collect();
            let r2 = of("R2").first().map_or(f64::NAN, |r| r.estimate);
            let direction = |r: &IndexRow| if r.estimate < 0.0 { "lowers" } else { "raises" };
            charts.push(Chart {
                file: format!("sensitivity_{metric}"),
                title: format!("What drives {label}: partial rank correlations"),
                x_label: "partial rank correlation coefficient".into(),
                y_label: "parameter".into(),
                caption: format!(
                    "{} {} {label} most (PRCC {:.2}){}. Partial rank correlation of each parameter with the metric, controlling for the others, with Fisher's 95 % interval; a linear regression on the parameters explains {:.0} % of the variance (R²), so {}.{noise_words}",
                    capital(&short_path(&ranked[0].parameter)),
                    direction(ranked[0]),
                    ranked[0].estimate,
                    ranked.get(1).map_or(String::new(), |r| format!(", then {} {} it ({:.2})", short_path(&r.parameter), direction(r), r.estimate)),
                    100.0 * r2,
                    if r2 > 0.7 { "the standardised regression coefficients in sensitivity.csv share it out fairly" } else { "much of the effect is non-linear or interaction: a morris or sobol sweep says more" },
                ),
                kind: Dots { rows: dots, zero: true }.into(),
            });
            charts.push(scatter_panels(dir, folder, metric, &label, &prcc)?);
        } else if !totals.is_empty() {
            let mut ranked = totals.clone();
            ranked.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
            let mut dots = Vec::new();
            // The least important at the bottom; each parameter's total above its first order.
            for t in ranked.iter().rev() {
                for (index, color, words) in
                    [("S1", style::series(1), "first order"), ("ST", style::series(0), "total")]
                {
                    if let Some(r) = own.iter().find(|r| r.parameter == t.parameter && r.index == index) {
                        dots.push(dot(r, format!("{}, {words}", short_path(&r.parameter)), color));
                    }
                }
            }
            // What the parameters explain alone, together: Σ S1; the rest of the variance is
            // interaction (Saltelli et al. 2008, §4.1), and here also the noise the replications
            // leave in the point means and the estimators' own error.
            let alone: f64 = of("S1").iter().map(|r| r.estimate).sum::<f64>().clamp(0.0, 1.0);
            charts.push(Chart {
                file: format!("sensitivity_{metric}"),
                title: format!("What drives {label}: Sobol' indices"),
                x_label: "share of the variance".into(),
                y_label: "parameter".into(),
                caption: format!(
                    "{} ranks first for {label} (total index {:.2}){}; where two intervals overlap, so may the ranks. The parameters alone (first-order indices, summed) explain {:.0} % of its variance; the other {:.0} % is interaction, replication noise and estimation error. First-order (alone) and total (with every interaction) indices, with 95 % bootstrap intervals.{noise_words}",
                    capital(&short_path(&ranked[0].parameter)),
                    ranked[0].estimate,
                    ranked.get(1).map_or(String::new(), |r| format!(", then {} ({:.2})", short_path(&r.parameter), r.estimate)),
                    100.0 * alone,
                    100.0 * (1.0 - alone),
                ),
                kind: Dots { rows: dots, zero: true }.into(),
            });
        } else if !mu_star.is_empty() {
            let sigma = of("sigma");
            let points: Vec<(String, f64, f64, plotters::style::RGBColor)> = mu_star
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    let s =
                        sigma.iter().find(|s| s.parameter == m.parameter).map_or(f64::NAN, |s| s.estimate);
                    (short_path(&m.parameter), m.estimate, s, style::series(k))
                })
                .collect();
            let mut ranked = mu_star.clone();
            ranked.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
            charts.push(Chart {
                file: format!("sensitivity_{metric}"),
                title: format!("What drives {label}: Morris's elementary effects"),
                x_label: format!("μ*: mean absolute effect ({} per whole range)", crate::observe::words::label_in(metric, &folder.cost_unit)),
                y_label: "σ: spread of the effects".into(),
                caption: format!(
                    "{} moves {label} most (μ* {}){}. Right: important; up: non-linear or interacting (σ near μ* or above).{noise_words}",
                    capital(&short_path(&ranked[0].parameter)),
                    chart::figure(ranked[0].estimate),
                    ranked.get(1).map_or(String::new(), |r| format!(", then {} ({})", short_path(&r.parameter), chart::figure(r.estimate))),
                ),
                kind: Scatter { points }.into(),
            });
        }
    }
    Ok(charts)
}

/// A metric against each numeric parameter of a random or lhs sweep, a panel each, from summary.csv:
/// every point its mean over its replications. The parameters vary together, so a cloud's slope is
/// its parameter's effect and its spread around that slope the others' (Saltelli et al. 2008,
/// *Global Sensitivity Analysis: The Primer*, §1.2.3).
fn scatter_panels(
    dir: &Path,
    folder: &Folder,
    metric: &str,
    label: &str,
    prcc: &[&IndexRow],
) -> Result<Chart> {
    let columns = &folder.manifest.point_columns;
    let rows = summary::read(dir, columns, |r| r.metric == metric)?;
    let mut panels = Vec::new();
    let mut named = Vec::new();
    for (j, column) in columns.iter().enumerate() {
        let points: Option<Vec<(f64, f64)>> = rows
            .iter()
            .filter_map(|r| Some((r.values[j].parse::<f64>().ok(), r.summary.mean?)))
            .map(|(x, y)| Some((x?, y)))
            .collect();
        let Some(points) = points else {
            named.push(short_path(column));
            continue;
        };
        let note = prcc
            .iter()
            .find(|r| r.parameter == *column)
            .map_or(String::new(), |r| format!("PRCC {}", chart::figure(r.estimate)));
        panels.push(Panel { name: axis(&folder.manifest, j), note, points });
    }
    let points = rows.iter().filter(|r| r.summary.mean.is_some()).count();
    Ok(Chart {
        file: format!("scatter_{metric}"),
        title: format!("{} against each parameter", capital(label)),
        x_label: String::new(),
        y_label: crate::observe::words::label_in(metric, &folder.cost_unit),
        caption: format!(
            "Each dot is one of the {points} points: its mean {label} over its replications, against each parameter's value. Every parameter varies at each point, independently of the others, so a cloud's trend shows that parameter's effect averaged over the rest and its spread mostly the others' effects; above each panel the partial rank correlation (PRCC).{}",
            if named.is_empty() { String::new() } else { format!(" Left out, its values being names rather than numbers: {}.", named.join(", ")) }
        ),
        kind: Panels { panels }.into(),
    })
}

/// A number label, at most four significant digits.
fn short(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.fract() != 0.0 => format!("{}", (v * 1e4).round() / 1e4),
        _ => text.to_string(),
    }
}

/// A thousand of a cost unit in words: "MSEK" for "kSEK", else "1000 <unit>".
fn thousand(cost_unit: &str) -> String {
    match cost_unit.strip_prefix('k') {
        Some(rest) if rest.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => format!("M{rest}"),
        _ => format!("1000 {cost_unit}"),
    }
}

/// A parameter's path as a chart says it: a venue's or population's key after its name
/// (`venues.round_tables.every` → "round tables every"), other paths with spaces
/// (`trust.gain` → "trust gain").
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts[..] {
        ["venues" | "populations", ref rest @ ..] if rest.len() > 1 => said(&rest.join(" ")),
        _ => said(&path.replace('.', " ")),
    }
}

/// The i-th point column of a sweep as an axis says it: `short_path` with its unit from the
/// manifest, if it has one ("round tables every (steps)").
fn axis(manifest: &Manifest, i: usize) -> String {
    let path = &manifest.point_columns[i];
    match manifest.point_units.get(i) {
        Some(unit) if !unit.is_empty() => format!("{} ({unit})", short_path(path)),
        _ => short_path(path),
    }
}

/// A setting of a portfolio in words: a venue switched on or off ("hub off"), else the
/// parameter and its value ("round tables every 2").
fn setting(path: &str, value: &str) -> String {
    let venue = path.strip_prefix("venues.").and_then(|p| p.strip_suffix(".enabled"));
    match (venue, value) {
        (Some(venue), "true") => format!("{} on", said(venue)),
        (Some(venue), "false") => format!("{} off", said(venue)),
        _ => format!("{} {value}", short_path(path)),
    }
}

/// A name from a scenario (a strategy, a venue) as a chart says it: underscores as spaces.
fn said(name: &str) -> String {
    name.replace('_', " ")
}

/// Text with its first letter in capitals, for a title.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// The outcome an `olika optimize` folder maximised: the last column of its evaluations.csv.
pub(crate) fn objective(dir: &Path) -> Result<String> {
    Ok(Table::Evaluations.open(dir)?.head().last().cloned().unwrap_or_default())
}

/// The budget–outcome curve of a search: the best portfolio found within each budget level, on the
/// cost-effectiveness plane.
fn optimize_charts(dir: &Path, cost_unit: &str) -> Result<Vec<Chart>> {
    let rows = optimize::read_curve(dir)?;
    let (settings, _) = optimize::read_portfolios(dir)?;
    let objective = said(&objective(dir)?);
    // Each point says what sets it apart: the settings whose values differ along the curve.
    let varies: Vec<usize> =
        (0..settings.len()).filter(|&i| rows.iter().any(|r| r.values[i] != rows[0].values[i])).collect();
    let differing = |k: usize| {
        let said: Vec<String> = varies.iter().map(|&i| setting(&settings[i], &rows[k].values[i])).collect();
        if said.is_empty() {
            format!("portfolio {}", rows[k].portfolio)
        } else {
            said.join(", ")
        }
    };
    // What every point shares is said once, in the caption.
    let shared: Vec<String> = (0..settings.len())
        .filter(|i| !varies.contains(i))
        .filter_map(|i| rows.first().map(|r| setting(&settings[i], &r.values[i])))
        .collect();
    let shared =
        if shared.is_empty() { String::new() } else { format!(" Every point has {}.", shared.join(", ")) };
    let points: Vec<(Estimate, Estimate)> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let label = format!("≤ {} {cost_unit}: {}", chart::tick(r.budget), differing(k));
            let color = style::series(k);
            let cost = Estimate { label: label.clone(), value: r.cost, low: r.cost, high: r.cost, color };
            let outcome = Estimate {
                label,
                value: r.mean.unwrap_or(f64::NAN),
                low: r.ci_low.unwrap_or(f64::NAN),
                high: r.ci_high.unwrap_or(f64::NAN),
                color,
            };
            (cost, outcome)
        })
        .collect();
    Ok((!points.is_empty())
        .then(|| Chart {
            file: "optimize_curve".into(),
            title: format!("Best {objective} found at each budget"),
            x_label: format!("venue cost per run ({cost_unit})"),
            y_label: format!("{objective} per run"),
            caption: format!("The budget–outcome curve: at each budget level, the portfolio the search found best within it, at its cost, with the 95 % confidence interval of its mean {objective}. A point another beats on both (costs no more, gives no less) is hollow; the dashed line joins the rest.{shared}"),
            kind: Plane { points }.into(),
        })
        .into_iter()
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::RunMetrics;

    #[test]
    fn sweep_charts_name_metrics_of_runs_csv() {
        for (metric, _) in SWEEP_METRICS {
            assert!(RunMetrics::columns().contains(&metric), "{metric}");
        }
    }
}
