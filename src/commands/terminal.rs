//! What the commands print: the headline table of a run, the comparison table, and the progress
//! bar. Numbers go through `output::format`, the formatter of the report too.

use std::fmt::Write as _;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Report;
use crate::experiment::compare::{quadrant, CompareRow, RATIOS};
use crate::observe::HEADLINE;
use crate::output::format::{cost_metric_unit, human, interval, p_value};

/// The headline table of point 0: mean and 95 % CI of each headline metric, costs in `cost_unit`.
pub fn headline_table(report: &Report, cost_unit: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<22} {:>10}  {:<24} {:>4}", "metric", "mean", "95% CI", "n");
    for metric in HEADLINE {
        let found = report.summaries.iter().find(|r| r.point == 0 && r.metric == *metric);
        let Some(s) = found.map(|r| &r.summary).filter(|s| s.mean.is_some()) else {
            let _ = writeln!(out, "{metric:<22} {:>10}", "–");
            continue;
        };
        let unit = cost_metric_unit(metric, cost_unit).unwrap_or_default();
        let line = format!(
            "{metric:<22} {:>10}  {:<24} {:>4}  {unit}",
            human(s.mean),
            interval(s.ci_low, s.ci_high),
            s.n
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// The comparison as a readable table: each strategy's mean and CI, and its paired difference from
/// the baseline (the first strategy) with CI and p-value, for the headline metrics; after the cost
/// per innovation, the incremental cost per extra innovation of each strategy against the baseline.
pub fn compare_table(rows: &[CompareRow], cost_unit: &str) -> String {
    let mut out = String::new();
    if let Some(first) = rows.first() {
        let _ = writeln!(out, "differences are from {}, paired on the same seeds\n", first.baseline);
    }
    let incremental = |metric: &str| RATIOS.iter().find(|r| r.0 == metric).map(|r| r.3);
    let metrics = HEADLINE.iter().flat_map(|m| std::iter::once(*m).chain(incremental(m)));
    for metric in metrics {
        let all = rows;
        let rows: Vec<&CompareRow> = rows.iter().filter(|r| r.metric == metric).collect();
        if rows.iter().all(|r| r.mean.is_none()) {
            continue;
        }
        match cost_metric_unit(metric, cost_unit) {
            Some(unit) => writeln!(out, "{metric} ({unit})"),
            None => writeln!(out, "{metric}"),
        }
        .ok();
        for r in rows.iter().filter(|r| r.mean.is_some()) {
            let mut line =
                format!("  {:<26} {:>10} {:<24}", r.strategy, human(r.mean), interval(r.ci_low, r.ci_high));
            if r.difference.is_some() {
                let _ = write!(
                    line,
                    " diff {:>10} {:<24} p {}",
                    signed(r.difference),
                    interval(r.difference_ci_low, r.difference_ci_high),
                    p_value(r.p_value)
                );
            }
            if let Some(ratio) = RATIOS.iter().find(|x| x.3 == metric) {
                let _ = write!(line, " {}", quadrant(all, &r.strategy, ratio));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// A difference with its sign.
fn signed(x: Option<f64>) -> String {
    match x {
        Some(v) if v >= 0.0 => format!("+{}", human(x)),
        _ => human(x),
    }
}

/// A progress bar on stderr with runs done, failures and an ETA; hidden when stderr is not a
/// terminal or progress is off.
pub fn progress_bar(len: u64, show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{bar:40} {pos}/{len} runs {msg} [{elapsed} elapsed, ETA {eta}]")
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
