//! The chart of `olika optimize`: the budget–outcome curve of its search.

use std::path::Path;

use super::{Charts, Folder};
use crate::error::Result;
use crate::output::{optimize, Table};
use crate::plot::chart::{tick, Chart, Estimate, Plane};
use crate::plot::style;
use crate::plot::words::said;

/// A search's chart: its budget–outcome curve.
pub(super) fn charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    out.charts.extend(curve(dir, (&folder.cost_unit, &folder.span))?);
    Ok(())
}

/// The outcome an `olika optimize` folder maximised: the last column of its evaluations.csv.
pub(crate) fn objective(dir: &Path) -> Result<String> {
    Ok(Table::Evaluations.open(dir)?.head().last().cloned().unwrap_or_default())
}

/// The budget–outcome curve of a search: the best portfolio found within each budget level, on the
/// cost-effectiveness plane.
fn curve(dir: &Path, (cost_unit, span): (&str, &str)) -> Result<Option<Chart>> {
    let rows = optimize::read_curve(dir)?;
    let (settings, _) = optimize::read_portfolios(dir)?;
    let objective = said(&objective(dir)?);
    // Each point says what sets it apart: the settings whose values differ along the curve.
    let varies: Vec<usize> =
        (0..settings.len()).filter(|&i| rows.iter().any(|r| r.values[i] != rows[0].values[i])).collect();
    let said = |k: usize, which: &dyn Fn(usize) -> bool| {
        let pairs: Vec<(&str, &str)> = (0..settings.len())
            .filter(|&i| which(i))
            .map(|i| (settings[i].as_str(), rows[k].values[i].as_str()))
            .collect();
        (!pairs.is_empty()).then(|| optimize::in_words(&pairs))
    };
    let differing = |k: usize| {
        said(k, &|i| varies.contains(&i)).unwrap_or_else(|| format!("portfolio {}", rows[k].portfolio))
    };
    // What every point shares is said once, in the caption.
    let shared = match rows.first().and_then(|_| said(0, &|i| !varies.contains(&i))) {
        Some(shared) => format!(" Every point has {shared}."),
        None => String::new(),
    };
    let points: Vec<(Estimate, Estimate)> = rows
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let label = format!("≤ {} {cost_unit}: {}", tick(r.budget), differing(k));
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
    Ok((!points.is_empty()).then(|| Chart {
            file: "optimize_curve".into(),
            title: format!("Best {objective} found at each budget"),
            x_label: format!("venue cost {span}, {cost_unit}"),
            y_label: format!("{objective} {span}"),
            caption: format!("The budget–outcome curve: at each budget level, the portfolio the search found best within it, at its cost, with the 95 % confidence interval of its mean {objective}. A point another beats on both (costs no more, gives no less) is hollow; the dashed line joins the rest.{shared}"),
            kind: Plane { points }.into(),
        }))
}
