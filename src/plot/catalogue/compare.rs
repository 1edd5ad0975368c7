//! The charts of `olika compare`: each strategy's mean with its interval, its paired difference
//! from the first strategy (the baseline), and the cost-effectiveness planes.

use std::path::Path;

use super::{warm_up, warm_up_line, Charts, Folder};
use crate::error::Result;
use crate::output::compare::{self, CompareRow};
use crate::plot::aggregate::point_bands;
use crate::plot::chart::{Chart, Dots, Estimate, Line, Lines, Plane};
use crate::plot::style;
use crate::plot::words::said;

/// A comparison's charts: for each outcome its means and its differences from the baseline, then
/// the planes.
pub(super) fn charts(dir: &Path, folder: &Folder, out: &mut Charts) -> Result<()> {
    let rows = compare::read(dir)?;
    let cost_unit = folder.cost_unit.as_str();
    let mut names: Vec<&str> = Vec::new();
    for r in &rows {
        if !names.contains(&r.strategy.as_str()) {
            names.push(&r.strategy);
        }
    }
    let per_innovation = format!("{cost_unit} per innovation");
    for (metric, title, unit) in [
        ("innovations", &*format!("Innovations {}, by strategy", folder.span), "innovations"),
        ("social_value", &*format!("Social value {}, by strategy", folder.span), "value units"),
        ("cost_per_innovation", "Cost per innovation, by strategy", per_innovation.as_str()),
    ] {
        let own: Vec<&CompareRow> = rows.iter().filter(|r| r.metric == metric).collect();
        out.charts.extend(means(&rows, &own, metric, [title, unit], cost_unit));
        // compare.csv has no paired difference for a cost per outcome (a ratio of means).
        if metric == "cost_per_innovation" {
            continue;
        }
        let diffs = estimates(&own, |r| [r.difference, r.difference_ci_low, r.difference_ci_high], 1);
        if diffs.iter().any(|e| e.value.is_finite()) {
            out.charts.push(Chart {
                file: format!("compare_difference_{metric}"),
                title: format!("Difference from {} in {}", said(names[0]), metric.replace('_', " ")),
                x_label: format!("paired difference ({unit})"),
                y_label: "strategy".into(),
                caption: format!("Paired difference from the first strategy, {}, with its 95 % confidence interval; intervals that cross zero are not significant.", said(names[0])),
                kind: Dots { rows: diffs, zero: true, span: None }.into(),
            });
        }
    }
    out.charts.extend(planes(&rows, cost_unit, &folder.span));
    if folder.manifest.from.is_some() {
        out.charts.extend(branched(dir, folder, &names, &mut out.notes)?);
    }
    Ok(())
}

/// Of a comparison that went on from saved worlds (`--from`): innovations so far over time, the
/// warm-up in grey up to the step the strategies went on from, then each strategy's mean.
fn branched(dir: &Path, folder: &Folder, names: &[&str], notes: &mut Vec<String>) -> Result<Option<Chart>> {
    let mut lines: Vec<Line> = Vec::new();
    if let Some(Some((points, _))) =
        warm_up(dir, folder, &["innovations"], notes).and_then(|b| b.into_iter().next())
    {
        lines.push(warm_up_line("innovations", true, points));
    }
    for (k, name) in names.iter().enumerate() {
        if let Some(Some((points, _))) = point_bands(dir, k as u32, &["innovations"])?.into_iter().next() {
            lines.push(Line { name: said(name), color: style::series(k), points, band: None });
        }
    }
    let step = folder.manifest.from.as_ref().map_or(0, |f| f.step);
    Ok(Some(Chart {
        file: "compare_time_innovations".into(),
        title: "Innovations so far, by strategy".into(),
        x_label: "step (month)".into(),
        y_label: "innovations (mean over replications)".into(),
        caption: format!("Cumulative innovations, mean over replications: in grey the warm-up every strategy went on from (its worlds saved at month {step}), then each strategy from that month on."),
        kind: Lines { lines }.into(),
    }))
}

/// Each strategy's estimate of one metric, as `pick` reads its value and interval from its row,
/// from the `skip`-th strategy on; each strategy in its colour.
fn estimates(own: &[&CompareRow], pick: fn(&CompareRow) -> [Option<f64>; 3], skip: usize) -> Vec<Estimate> {
    let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
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
}

/// The chart of each strategy's mean of `metric` with its interval, titled and its axis labelled
/// as `[title, unit]` say, if any mean is finite.
fn means(
    rows: &[CompareRow],
    own: &[&CompareRow],
    metric: &str,
    [title, unit]: [&str; 2],
    cost_unit: &str,
) -> Option<Chart> {
    let mut means = estimates(own, |r| [r.mean, r.ci_low, r.ci_high], 0);
    // A strategy that costs nothing or buys almost nothing is left out of a cost per innovation, as
    // out of its ranking, and named with the reason (a cost of zero has no place on a log axis).
    let out: Vec<String> =
        crate::experiment::compare::left_out(rows, metric).into_iter().map(|(s, _)| said(&s)).collect();
    means.retain(|e| !out.contains(&e.label));
    means.iter().any(|e| e.value.is_finite()).then(|| Chart {
        file: format!("compare_{metric}"),
        title: title.into(),
        x_label: unit.into(),
        y_label: "strategy".into(),
        caption: if metric == "cost_per_innovation" {
            let out = compare::left_out_words(rows, metric).map_or(String::new(), |w| format!(" {w}"));
            format!("Each strategy's cost per innovation — its mean venue cost ÷ its mean innovations, in {cost_unit} — with Fieller's 95 % confidence interval, all strategies on the same seeds.{out}")
        } else {
            format!(
                "Each strategy's mean {} with its 95 % confidence interval, all strategies on the same seeds.",
                metric.replace('_', " ")
            )
        },
        kind: Dots { rows: means, zero: false, span: None }.into(),
    })
}

/// The cost-effectiveness planes: innovations, and social value, against venue cost.
fn planes(rows: &[CompareRow], cost_unit: &str, span: &str) -> Vec<Chart> {
    let estimate = |r: &CompareRow, k: usize| Estimate {
        label: said(&r.strategy),
        value: r.mean.unwrap_or(f64::NAN),
        low: r.ci_low.unwrap_or(f64::NAN),
        high: r.ci_high.unwrap_or(f64::NAN),
        color: style::series(k),
    };
    let of = |metric: &'static str| rows.iter().filter(move |r| r.metric == metric);
    let mut charts = Vec::new();
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
                x_label: format!("venue cost {span}, {cost_unit}"),
                y_label: format!("{words} {span}"),
                caption: format!("The cost-effectiveness plane: each strategy's mean venue cost and {words} with their 95 % confidence intervals. A strategy that another beats on both (costs no more, gives no less) is dominated. One under extended dominance is beaten by no single strategy, but it buys its extra {words} at a higher price per unit than the next dearer strategy does: splitting the money between the cheaper and the dearer neighbour would give more for the same cost. Both are drawn hollow: neither is the best buy at any price per unit. The dashed line joins the rest in order of cost (the efficient frontier)."),
                kind: Plane { points }.into(),
            });
        }
    }
    charts
}
