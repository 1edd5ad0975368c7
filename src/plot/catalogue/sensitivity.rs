//! The sensitivity charts of a sweep (and of `olika analyze`), from `sensitivity.csv`, one per
//! metric by the design's estimator: partial rank correlations followed by the metric against each
//! parameter (random and lhs designs), Sobol' first-order and total indices, or Morris's μ* against
//! σ; each caption names the parameters that matter.

use std::path::Path;

use super::{Charts, Folder};
use crate::error::Result;
use crate::experiment::sensitivity::IndexRow;
use crate::output::{sensitivity, summary};
use crate::plot::chart::{figure, Chart, Dots, Estimate, Panel, Panels, Scatter};
use crate::plot::style;
use crate::plot::words::{axis, capital, short_path};

/// The charts of `sensitivity.csv`, one per metric (two for partial rank correlations), if the
/// folder has one.
pub(super) fn charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    let Some(rows) = sensitivity::read(dir)? else { return Ok(()) };
    let mut metrics: Vec<&str> = Vec::new();
    for r in &rows {
        if !metrics.contains(&r.metric.as_str()) {
            metrics.push(&r.metric);
        }
    }
    for metric in metrics {
        let indices = Indices::new(&rows, metric);
        let (totals, mu_star, prcc) = (indices.of("ST"), indices.of("mu_star"), indices.of("PRCC"));
        if !prcc.is_empty() {
            out.charts.push(correlations(&indices, &prcc));
            out.charts.push(scatter_panels(dir, folder, metric, &indices.label, &prcc)?);
        } else if !totals.is_empty() {
            out.charts.push(sobol(&indices, &totals));
        } else if !mu_star.is_empty() {
            out.charts.push(morris(&indices, &mu_star, &folder.cost_unit));
        }
    }
    Ok(())
}

/// The indices of one metric, with what every chart of them says: the metric's label and how much
/// of the variance between points is replication noise.
struct Indices<'a> {
    metric: &'a str,
    label: String,
    rows: Vec<&'a IndexRow>,
    noise: String,
}

impl<'a> Indices<'a> {
    /// The indices of `metric` among `rows`.
    fn new(rows: &'a [IndexRow], metric: &'a str) -> Indices<'a> {
        let rows: Vec<&IndexRow> = rows.iter().filter(|r| r.metric == metric).collect();
        let noise = rows.iter().find(|r| r.index == "noise_share").map_or(f64::NAN, |r| r.estimate);
        let noise = if noise > 0.5 {
            format!(" Replication noise is {:.0} % of the variance between points: add replications before reading much into these.", 100.0 * noise)
        } else {
            format!(" Replication noise: {:.0} % of the variance between points.", 100.0 * noise)
        };
        Indices { metric, label: crate::observe::words::label(metric), rows, noise }
    }

    /// The rows of one index (`ST`, `PRCC`, …), in the order of the file.
    fn of(&self, index: &str) -> Vec<&'a IndexRow> {
        self.rows.iter().copied().filter(|r| r.index == index).collect()
    }
}

/// An index of `sensitivity.csv` as a dot with its interval.
fn dot(r: &IndexRow, label: String, color: plotters::style::RGBColor) -> Estimate {
    let (low, high) = r.bounds();
    Estimate { label, value: r.estimate, low, high, color }
}

/// Partial rank correlations, ranked by size, with what the regression's R² says of them.
fn correlations(indices: &Indices, prcc: &[&IndexRow]) -> Chart {
    let Indices { metric, label, noise, .. } = indices;
    let mut ranked = prcc.to_vec();
    ranked.sort_by(|a, b| b.estimate.abs().total_cmp(&a.estimate.abs()));
    let dots: Vec<Estimate> = ranked
        .iter()
        .rev()
        .map(|r| dot(r, short_path(&r.parameter), style::series(if r.estimate < 0.0 { 1 } else { 0 })))
        .collect();
    let r2 = indices.of("R2").first().map_or(f64::NAN, |r| r.estimate);
    let direction = |r: &IndexRow| if r.estimate < 0.0 { "lowers" } else { "raises" };
    Chart {
        file: format!("sensitivity_{metric}"),
        title: format!("What drives {label}: partial rank correlations"),
        x_label: "partial rank correlation coefficient".into(),
        y_label: "parameter".into(),
        caption: format!(
            "{} {} {label} most (PRCC {:.2}){}. Partial rank correlation of each parameter with the metric, controlling for the others, with Fisher's 95 % interval; a linear regression on the parameters explains {:.0} % of the variance (R²), so {}.{noise}",
            capital(&short_path(&ranked[0].parameter)),
            direction(ranked[0]),
            ranked[0].estimate,
            ranked.get(1).map_or(String::new(), |r| format!(", then {} {} it ({:.2})", short_path(&r.parameter), direction(r), r.estimate)),
            100.0 * r2,
            if r2 > 0.7 { "the standardised regression coefficients in sensitivity.csv share it out fairly" } else { "much of the effect is non-linear or interaction: a morris or sobol sweep says more" },
        ),
        kind: Dots { rows: dots, zero: true, span: None }.into(),
    }
}

/// Sobol' first-order and total indices, each parameter's total above its first order, ranked by
/// total.
fn sobol(indices: &Indices, totals: &[&IndexRow]) -> Chart {
    let Indices { metric, label, noise, .. } = indices;
    let mut ranked = totals.to_vec();
    ranked.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
    let mut dots = Vec::new();
    // The least important at the bottom; each parameter's total above its first order.
    for t in ranked.iter().rev() {
        for (index, color, words) in
            [("S1", style::series(1), "first order"), ("ST", style::series(0), "total")]
        {
            if let Some(r) = indices.rows.iter().find(|r| r.parameter == t.parameter && r.index == index) {
                dots.push(dot(r, format!("{}, {words}", short_path(&r.parameter)), color));
            }
        }
    }
    // What the parameters explain alone, together: Σ S1; the rest of the variance is
    // interaction (Saltelli et al. 2008, §4.1), and here also the noise the replications
    // leave in the point means and the estimators' own error.
    let alone: f64 = indices.of("S1").iter().map(|r| r.estimate).sum::<f64>().clamp(0.0, 1.0);
    Chart {
        file: format!("sensitivity_{metric}"),
        title: format!("What drives {label}: Sobol' indices"),
        x_label: "share of the variance".into(),
        y_label: "parameter".into(),
        caption: format!(
            "{} ranks first for {label} (total index {:.2}){}; where two intervals overlap, so may the ranks. The parameters alone (first-order indices, summed) explain {:.0} % of its variance; the other {:.0} % is interaction, replication noise and estimation error. First-order (alone) and total (with every interaction) indices, with 95 % bootstrap intervals.{noise}",
            capital(&short_path(&ranked[0].parameter)),
            ranked[0].estimate,
            ranked.get(1).map_or(String::new(), |r| format!(", then {} ({:.2})", short_path(&r.parameter), r.estimate)),
            100.0 * alone,
            100.0 * (1.0 - alone),
        ),
        kind: Dots { rows: dots, zero: true, span: None }.into(),
    }
}

/// Morris's μ* against σ, a labelled point per parameter.
fn morris(indices: &Indices, mu_star: &[&IndexRow], cost_unit: &str) -> Chart {
    let Indices { metric, label, noise, .. } = indices;
    let sigma = indices.of("sigma");
    let points: Vec<(String, f64, f64, plotters::style::RGBColor)> = mu_star
        .iter()
        .enumerate()
        .map(|(k, m)| {
            let s = sigma.iter().find(|s| s.parameter == m.parameter).map_or(f64::NAN, |s| s.estimate);
            (short_path(&m.parameter), m.estimate, s, style::series(k))
        })
        .collect();
    let mut ranked = mu_star.to_vec();
    ranked.sort_by(|a, b| b.estimate.total_cmp(&a.estimate));
    Chart {
        file: format!("sensitivity_{metric}"),
        title: format!("What drives {label}: Morris's elementary effects"),
        x_label: format!("μ*: mean absolute effect ({} per whole range)", crate::observe::words::label_in(metric, cost_unit)),
        y_label: "σ: spread of the effects".into(),
        caption: format!(
            "{} moves {label} most (μ* {}){}. Right: important; up: non-linear or interacting (σ near μ* or above).{noise}",
            capital(&short_path(&ranked[0].parameter)),
            figure(ranked[0].estimate),
            ranked.get(1).map_or(String::new(), |r| format!(", then {} ({})", short_path(&r.parameter), figure(r.estimate))),
        ),
        kind: Scatter { points }.into(),
    }
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
            .map_or(String::new(), |r| format!("PRCC {}", figure(r.estimate)));
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
