//! Charts and the report of a results folder, drawn from its CSV files alone, so that
//! `olika plot DIR` redraws exactly what the running command drew.

pub mod charts;
pub mod network;
pub mod style;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use charts::{Chart, Estimate, Format, Kind, Line};

use crate::error::{Error, Result};
use crate::experiment::stats::summarize;
use crate::model::COMPOSITIONS;
use crate::output::Manifest;

/// The charts of a results folder, and notes on charts that were left out on purpose.
pub struct Charts {
    pub charts: Vec<Chart>,
    pub notes: Vec<String>,
}

/// Draws every chart of a results folder into it; returns the files written.
pub fn draw(dir: &Path, format: Format) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for chart in build(dir)?.charts {
        written.extend(chart.save(dir, format)?);
    }
    Ok(written)
}

/// The charts that fit the command that wrote the folder.
pub fn build(dir: &Path) -> Result<Charts> {
    let manifest = Manifest::read(dir)?;
    let mut out = Charts { charts: Vec::new(), notes: Vec::new() };
    match manifest.command.as_str() {
        "run" => {
            out.charts.extend(time_charts(dir)?);
            out.charts.extend(venue_charts(dir)?);
            if let Some(chart) = network::picture(dir)? {
                out.charts.push(chart);
            }
        }
        "compare" => out.charts.extend(compare_charts(dir)?),
        _ => sweep_charts(dir, &manifest, &mut out)?,
    }
    Ok(out)
}

fn read(path: &Path) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    read_where(path, |_| true)
}

/// The header and the rows a filter keeps, streamed: a sweep's tables can be far larger than what
/// a chart or the report needs.
pub fn read_where(
    path: &Path,
    keep: impl Fn(&csv::StringRecord) -> bool,
) -> Result<(Vec<String>, Vec<csv::StringRecord>)> {
    let err = |e: csv::Error| Error::Run(format!("{}: {e}", path.display()));
    let mut reader = csv::Reader::from_path(path).map_err(err)?;
    let head = reader.headers().map_err(err)?.iter().map(String::from).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(err)?;
        if keep(&record) {
            rows.push(record);
        }
    }
    Ok((head, rows))
}

fn column(head: &[String], name: &str) -> Option<usize> {
    head.iter().position(|h| h == name)
}

/// A mean line and its (x, low, high) band.
type Band = (Vec<(f64, f64)>, Vec<(f64, f64, f64)>);

/// Mean and 95 % band over runs of a series.csv metric, by step (point 0).
fn series_band(head: &[String], rows: &[csv::StringRecord], metric: &str) -> Option<Band> {
    let k = column(head, metric)?;
    let mut by_step: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| &r[1] == "0") {
        if let (Ok(step), Ok(v)) = (r[3].parse::<u64>(), r[k].parse::<f64>()) {
            by_step.entry(step).or_default().push(v);
        }
    }
    let mut points = Vec::new();
    let mut band = Vec::new();
    for (step, values) in by_step {
        let s = summarize(&values);
        let mean = s.mean?;
        points.push((step as f64, mean));
        band.push((step as f64, s.ci_low.unwrap_or(mean), s.ci_high.unwrap_or(mean)));
    }
    Some((points, band))
}

fn lines_chart(file: &str, title: &str, y_label: &str, caption: &str, lines: Vec<Line>) -> Option<Chart> {
    (!lines.is_empty()).then(|| Chart {
        file: file.into(),
        title: title.into(),
        x_label: "step (month)".into(),
        y_label: y_label.into(),
        caption: caption.into(),
        kind: Kind::Lines { lines },
    })
}

/// File, title, y label, caption, and the (metric, line name) pairs of a chart over time.
type TimeChart =
    (&'static str, &'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

fn time_charts(dir: &Path) -> Result<Vec<Chart>> {
    let (head, rows) = read(&dir.join("series.csv"))?;
    let line = |metric: &str, name: &str, color| {
        series_band(&head, &rows, metric).map(|(points, band)| Line {
            name: name.into(),
            color,
            points,
            band: Some(band),
        })
    };
    let mut charts = Vec::new();
    let specs: [TimeChart; 6] = [
        ("time_innovations", "Innovations so far", "innovations", "Cumulative innovations over the run: mean over replications with its 95 % confidence band.", &[("innovations", "innovations")]),
        ("time_partnerships", "Partnerships: informal and formal", "partnerships", "Current informal and formal partnerships: informal ones start on trust (\"just ask\"), formal ones on a contract.", &[("informal_partnerships", "informal"), ("formal_partnerships", "formal")]),
        ("time_trust", "Mean trust within and across sectors", "trust (0–1)", "Mean trust of ties within a sector and across sectors, with 95 % bands.", &[("trust_within", "within sectors"), ("trust_across", "across sectors")]),
        ("time_diversity", "Knowledge diversity", "mean distance (fraction of features)", "How different organisations' knowledge is: mean cognitive distance over a fixed sample of pairs.", &[("knowledge_diversity", "diversity")]),
        ("time_adoptions", "Adoptions of innovations", "adoptions", "Cumulative adoptions of innovations by organisations other than their creators.", &[("adoptions", "adoptions")]),
        ("time_scaled_up", "Innovations scaled up by the public sector", "innovations", "Cumulative innovations scaled up: adopted by every public organisation after a public adopter took them up.", &[("scaled_up", "scaled up")]),
    ];
    for (file, title, y, caption, metrics) in specs {
        let metrics: Vec<(&str, &str)> = metrics.to_vec();
        let lines: Vec<Line> =
            metrics.iter().enumerate().filter_map(|(k, (m, name))| line(m, name, style::series(k))).collect();
        charts.extend(lines_chart(file, title, y, caption, lines));
    }
    let layers: Vec<Line> = COMPOSITIONS
        .iter()
        .filter_map(|c| {
            series_band(&head, &rows, &format!("innovations_{c}")).map(|(points, _)| Line {
                name: c.replace('_', "–"),
                color: style::composition(c),
                points,
                band: None,
            })
        })
        .collect();
    if !layers.is_empty() {
        charts.push(Chart {
            file: "innovations_by_team".into(),
            title: "Innovations by team composition".into(),
            x_label: "step (month)".into(),
            y_label: "innovations (mean over replications)".into(),
            caption: "Cumulative innovations stacked by the sectors of the two creators; mixed teams take the mix of their sectors' colours.".into(),
            kind: Kind::Stacked { layers },
        });
    }
    Ok(charts)
}

/// A venue's columns of venues.csv, averaged over the runs of point 0.
pub struct VenueMean {
    pub name: String,
    pub kind: String,
    pub means: BTreeMap<String, f64>,
}

/// Mean over runs of each venue's columns, venues in the order of venues.csv.
pub fn venue_means(dir: &Path) -> Result<Vec<VenueMean>> {
    let (head, rows) = read(&dir.join("venues.csv"))?;
    let mut order: Vec<(String, String)> = Vec::new();
    let mut sums: BTreeMap<(String, String), (BTreeMap<String, f64>, f64)> = BTreeMap::new();
    for r in rows.iter().filter(|r| &r[1] == "0") {
        let key = (r[3].to_string(), r[4].to_string());
        if !sums.contains_key(&key) {
            order.push(key.clone());
        }
        let entry = sums.entry(key).or_default();
        entry.1 += 1.0;
        for (k, name) in head.iter().enumerate().skip(5) {
            if let Ok(v) = r[k].parse::<f64>() {
                *entry.0.entry(name.clone()).or_default() += v;
            }
        }
    }
    Ok(order
        .into_iter()
        .map(|key| {
            let (totals, n) = &sums[&key];
            let means = totals.iter().map(|(k, v)| (k.clone(), v / n)).collect();
            VenueMean { name: key.0, kind: key.1, means }
        })
        .collect())
}

fn venue_charts(dir: &Path) -> Result<Vec<Chart>> {
    let venues = venue_means(dir)?;
    let mut charts = Vec::new();
    let bars: Vec<(String, f64, plotters::style::RGBColor)> = venues
        .iter()
        .enumerate()
        .map(|(k, v)| {
            (v.name.clone(), v.means.get("partnerships_begun").copied().unwrap_or(0.0), style::series(k))
        })
        .collect();
    if !bars.is_empty() {
        charts.push(Chart {
            file: "venue_partnerships".into(),
            title: "Partnerships begun, by where the partners met".into(),
            x_label: "partnerships per run (mean)".into(),
            y_label: "venue".into(),
            caption: "Partnerships begun on ties that started at each venue (or by a direct approach), mean per run.".into(),
            kind: Kind::Bars { bars },
        });
    }
    let per_cost: Vec<(String, f64, plotters::style::RGBColor)> = venues
        .iter()
        .enumerate()
        .filter(|(_, v)| v.means.get("cost").copied().unwrap_or(0.0) > 0.0)
        .map(|(k, v)| {
            let per = 1000.0 * v.means.get("innovations").copied().unwrap_or(0.0) / v.means["cost"];
            (v.name.clone(), per, style::series(k))
        })
        .collect();
    if !per_cost.is_empty() {
        charts.push(Chart {
            file: "venue_innovations_per_cost".into(),
            title: "Innovations per 1000 cost units, by venue".into(),
            x_label: "innovations per 1000 cost units".into(),
            y_label: "venue".into(),
            caption: "What each venue returns for its cost: innovations of the partnerships that began there per 1000 cost units.".into(),
            kind: Kind::Bars { bars: per_cost },
        });
    }
    Ok(charts)
}

fn compare_charts(dir: &Path) -> Result<Vec<Chart>> {
    let (head, rows) = read(&dir.join("compare.csv"))?;
    let get = |r: &csv::StringRecord, name: &str| {
        column(&head, name).and_then(|k| r[k].parse::<f64>().ok()).unwrap_or(f64::NAN)
    };
    let mut charts = Vec::new();
    let names: Vec<String> = {
        let mut seen: Vec<String> = Vec::new();
        for r in &rows {
            if !seen.contains(&r[0].to_string()) {
                seen.push(r[0].to_string());
            }
        }
        seen
    };
    for (metric, title, unit) in [
        ("innovations", "Innovations per run, by strategy", "innovations per run"),
        ("social_value", "Social value per run, by strategy", "value units"),
        ("cost_per_innovation", "Cost per innovation, by strategy", "cost units per innovation"),
    ] {
        let own: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[1] == metric).collect();
        // Row k of a strategy's estimate: its value and interval from three columns.
        let estimates = |value: &str, low: &str, high: &str, skip: usize| -> Vec<Estimate> {
            own.iter()
                .enumerate()
                .skip(skip)
                .map(|(k, r)| Estimate {
                    label: r[0].to_string(),
                    value: get(r, value),
                    low: get(r, low),
                    high: get(r, high),
                    color: style::series(k),
                })
                .collect()
        };
        let means = estimates("mean", "ci_low", "ci_high", 0);
        if means.iter().any(|e| e.value.is_finite()) {
            charts.push(Chart {
                file: format!("compare_{metric}"),
                title: title.into(),
                x_label: unit.into(),
                y_label: "strategy".into(),
                caption: format!(
                    "Each strategy's mean {} with its 95 % confidence interval, all strategies on the same seeds.",
                    metric.replace('_', " ")
                ),
                kind: Kind::Dots { rows: means, zero: false },
            });
        }
        if metric == "cost_per_innovation" {
            continue;
        }
        let diffs = estimates("difference", "difference_ci_low", "difference_ci_high", 1);
        if diffs.iter().any(|e| e.value.is_finite()) {
            charts.push(Chart {
                file: format!("compare_difference_{metric}"),
                title: format!("Difference from {} in {}", names[0], metric.replace('_', " ")),
                x_label: format!("paired difference ({unit})"),
                y_label: "strategy".into(),
                caption: format!("Paired difference from the first strategy, {}, with its 95 % confidence interval; intervals that cross zero are not significant.", names[0]),
                kind: Kind::Dots { rows: diffs, zero: true },
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

fn sweep_charts(dir: &Path, manifest: &Manifest, out: &mut Charts) -> Result<()> {
    let columns = &manifest.point_columns;
    let k_metric = columns.len() + 1;
    let (head, rows) =
        read_where(&dir.join("summary.csv"), |r| SWEEP_METRICS.iter().any(|(m, _)| *m == &r[k_metric]))?;
    let value =
        |r: &csv::StringRecord, name: &str| column(&head, name).and_then(|k| r[k].parse::<f64>().ok());
    let numeric = |s: &str| s.parse::<f64>().ok();
    let grid = resolved_design(manifest).as_deref() == Some("grid");
    match columns.len() {
        1 => {
            for (metric, label) in SWEEP_METRICS {
                let mut points: Vec<(f64, f64, f64, f64)> = rows
                    .iter()
                    .filter(|r| &r[k_metric] == metric)
                    .filter_map(|r| Some((numeric(&r[1])?, value(r, "mean")?, value(r, "ci_low")?, value(r, "ci_high")?)))
                    .collect();
                if points.len() < 2 {
                    continue;
                }
                points.sort_by(|a, b| a.0.total_cmp(&b.0));
                out.charts.push(Chart {
                    file: format!("response_{metric}"),
                    title: format!("{} against {}", label, columns[0]),
                    x_label: columns[0].clone(),
                    y_label: label.into(),
                    caption: format!("Mean {} at each value of {}, with its 95 % confidence band over replications.", metric.replace('_', " "), columns[0]),
                    kind: Kind::Lines {
                        lines: vec![Line {
                            name: metric.replace('_', " "),
                            color: style::series(0),
                            points: points.iter().map(|p| (p.0, p.1)).collect(),
                            band: Some(points.iter().map(|p| (p.0, p.2, p.3)).collect()),
                        }],
                    },
                });
            }
        }
        2 if grid => {
            for (metric, label) in SWEEP_METRICS {
                let own: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[k_metric] == metric).collect();
                let mut xs: Vec<String> = Vec::new();
                let mut ys: Vec<String> = Vec::new();
                for r in &own {
                    if !xs.contains(&r[2].to_string()) {
                        xs.push(r[2].to_string());
                    }
                    if !ys.contains(&r[1].to_string()) {
                        ys.push(r[1].to_string());
                    }
                }
                let mut values = vec![vec![None; xs.len()]; ys.len()];
                for r in &own {
                    let (i, j) = (xs.iter().position(|x| x == &r[2]), ys.iter().position(|y| y == &r[1]));
                    if let (Some(i), Some(j)) = (i, j) {
                        values[j][i] = value(r, "mean");
                    }
                }
                out.charts.push(Chart {
                    file: format!("heatmap_{metric}"),
                    title: format!("{label}: {} × {}", columns[0], columns[1]),
                    x_label: columns[1].clone(),
                    y_label: columns[0].clone(),
                    caption: format!("Mean {} at each combination of {} and {}; darker is more.", metric.replace('_', " "), columns[0], columns[1]),
                    kind: Kind::Heatmap { xs: xs.iter().map(|x| short(x)).collect(), ys: ys.iter().map(|y| short(y)).collect(), values, scale: metric.replace('_', " ") },
                });
            }
        }
        n => out.notes.push(format!(
            "No sweep charts: {} parameters{} cannot be drawn as response curves or a heatmap without hiding how the others vary. Load runs.csv or summary.csv for your own analysis.",
            n,
            if n == 2 { " not on a full grid" } else { "" }
        )),
    }
    Ok(())
}

/// A sweep's design, from the resolved scenario in the manifest.
fn resolved_design(manifest: &Manifest) -> Option<String> {
    let table: toml::Table = toml::from_str(manifest.resolved_scenario.split("\n---\n").next()?).ok()?;
    Some(table.get("sweep")?.get("design").and_then(|d| d.as_str()).unwrap_or("grid").to_string())
}

/// A number label, at most four significant digits.
fn short(text: &str) -> String {
    match text.parse::<f64>() {
        Ok(v) if v.fract() != 0.0 => format!("{}", (v * 1e4).round() / 1e4),
        _ => text.to_string(),
    }
}
