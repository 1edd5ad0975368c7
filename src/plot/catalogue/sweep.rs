//! The charts of `olika sweep` (and of `olika merge`, which writes a sweep's folder) over its
//! headline metrics: a response curve against a single parameter, a heatmap over two on a full
//! grid, and for more, or two not on a grid, a note on why there are none (the sensitivity
//! charts rank those parameters).

use std::path::Path;

use super::{Charts, Folder};
use crate::error::Result;
use crate::output::summary::{self, SummaryRow};
use crate::plot::chart::{Chart, Heatmap, Line, Lines};
use crate::plot::style;
use crate::plot::words::{axis, capital, short, short_path};
use crate::scenario::sweep::Design;

/// The headline metrics a sweep chart shows.
const SWEEP_METRICS: [(&str, &str); 4] = [
    ("innovations", "innovations"),
    ("social_value", "social value"),
    ("scaled_up", "scaled-up innovations"),
    ("cost_per_innovation", "cost per innovation"),
];

/// The sweep metrics with their labels: a total over the runs' span ("innovations over the 120
/// months (10 years)"), the cost in the scenario's currency.
fn sweep_metrics(folder: &Folder) -> Vec<(&'static str, String)> {
    SWEEP_METRICS
        .iter()
        .map(|&(m, label)| {
            (
                m,
                if m == "cost_per_innovation" {
                    format!("{label} ({})", folder.cost_unit)
                } else {
                    format!("{label} {}", folder.span)
                },
            )
        })
        .collect()
}

/// A sweep's response curves or heatmaps, one per headline metric, from summary.csv.
pub(super) fn charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    let columns = &folder.manifest.point_columns;
    let rows = summary::read(dir, columns, |r| SWEEP_METRICS.iter().any(|(m, _)| *m == r.metric))?;
    let grid = folder.first.sweep.as_ref().is_some_and(|s| s.design == Design::Grid);
    match columns.len() {
        1 => out.charts.extend(response_curves(&rows, folder)),
        2 if grid => out.charts.extend(heatmaps(&rows, folder)),
        n => out.notes.push(format!(
            "No response curves or heatmaps: {} parameters{} cannot be drawn so without hiding how the others vary. The sensitivity charts (random, lhs, morris and sobol designs) rank them; runs.csv and summary.csv hold every point.",
            n,
            if n == 2 { " not on a full grid" } else { "" }
        )),
    }
    Ok(())
}

/// Each metric's mean against the one parameter, with its 95 % band, where two or more points
/// have a numeric value and a mean with its interval.
fn response_curves(rows: &[SummaryRow], folder: &Folder) -> Vec<Chart> {
    let columns = &folder.manifest.point_columns;
    let numeric = |s: &str| s.parse::<f64>().ok();
    let mut charts = Vec::new();
    for (metric, label) in sweep_metrics(folder) {
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
        charts.push(Chart {
            file: format!("response_{metric}"),
            title: format!("{} against {}", capital(&label), short_path(&columns[0])),
            x_label: axis(&folder.manifest, 0),
            y_label: label,
            caption: format!(
                "Mean {} at each value of {}, with its 95 % confidence band over replications.",
                metric.replace('_', " "),
                columns[0]
            ),
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
    charts
}

/// Each metric's mean at every combination of the two parameters of a full grid.
fn heatmaps(rows: &[SummaryRow], folder: &Folder) -> Vec<Chart> {
    let (columns, cost_unit) = (&folder.manifest.point_columns, &folder.cost_unit);
    let mut charts = Vec::new();
    for (metric, label) in sweep_metrics(folder) {
        let own: Vec<&SummaryRow> = rows.iter().filter(|r| r.metric == metric).collect();
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
            let (i, j) =
                (xs.iter().position(|x| *x == r.values[1]), ys.iter().position(|y| *y == r.values[0]));
            if let (Some(i), Some(j)) = (i, j) {
                values[j][i] = r.summary.mean;
            }
        }
        charts.push(Chart {
            file: format!("heatmap_{metric}"),
            title: format!(
                "{} by {} and {}",
                capital(&label),
                short_path(&columns[0]),
                short_path(&columns[1])
            ),
            x_label: axis(&folder.manifest, 1),
            y_label: axis(&folder.manifest, 0),
            caption: format!(
                "Mean {} at each combination of {} and {}; darker is more{}.",
                metric.replace('_', " "),
                columns[0],
                columns[1],
                if metric.starts_with("cost") { " (here: dearer, so lighter is better)" } else { "" }
            ),
            kind: Heatmap {
                xs: xs.iter().map(|x| short(x)).collect(),
                ys: ys.iter().map(|y| short(y)).collect(),
                values,
                scale: if metric == "cost_per_innovation" {
                    format!("{cost_unit} per innovation")
                } else {
                    label.replace(&format!(" {}", folder.span), "")
                },
            }
            .into(),
        });
    }
    charts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observe::RunMetrics;

    #[test]
    fn sweep_charts_name_metrics_of_runs_csv() {
        for (metric, _) in SWEEP_METRICS {
            assert!(RunMetrics::NAMES.contains(&metric), "{metric}");
        }
    }
}
