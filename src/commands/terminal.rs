//! What the commands print: the headline table of a run, the comparison table, and the progress
//! bar. Numbers go through `output::format`, the formatter of the report too.

use std::fmt::Write as _;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Report;
use crate::experiment::compare::{left_out, CompareRow, Quadrant, RATIOS};
use crate::observe::words;
use crate::observe::HEADLINE;
use crate::output::compare::left_out_words;
use crate::output::format::{cost_metric_unit, human, interval, metric_unit, p_value};

/// Where a command speaks as it works. The binary prints `out` on stdout and `note` on stderr; a
/// caller of the library may keep, show or drop either. Said as it comes (not returned at the end),
/// so that a long run's notes come before it and the lab's address while it serves.
pub trait Say {
    /// Part of what the command produced: tables, findings, its results folder (stdout).
    fn out(&mut self, text: &str);
    /// A line for the person running it: a note, a warning, what starts now (stderr).
    fn note(&mut self, line: &str);
}

/// The headline table of point 0: mean and 95 % CI of each of the scenario's headline metrics
/// (`headline`; empty: the usual set), by label and with its unit, costs in `cost_unit`. A metric
/// that has no value in any run (regions without a lattice) is left out, not shown as zero.
pub(crate) fn headline_table(report: &Report, cost_unit: &str, headline: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<36} {:>10}  {:<24} {:>4}  unit", "metric", "mean", "95% CI", "n");
    for metric in crate::observe::headline(headline) {
        let found = report.summaries.iter().find(|r| r.point == 0 && r.metric == metric);
        let Some(s) = found.map(|r| &r.summary).filter(|s| s.mean.is_some()) else {
            continue;
        };
        let line = format!(
            "{:<36} {:>10}  {:<24} {:>4}  {}",
            words::label(metric),
            human(s.mean),
            interval(s.ci_low, s.ci_high),
            s.n,
            metric_unit(metric, cost_unit)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// The comparison as a readable table: each strategy's mean and CI, and its paired difference from
/// the baseline (the first strategy) with CI and p-value, for the headline metrics; after the cost
/// per innovation, the incremental cost per extra innovation of each strategy against the baseline.
pub(crate) fn compare_table(rows: &[CompareRow], cost_unit: &str) -> String {
    let mut out = String::new();
    if let Some(first) = rows.first() {
        let _ = writeln!(out, "differences are from {}, paired on the same seeds\n", first.baseline);
    }
    let incremental = |metric: &str| RATIOS.iter().find(|r| r.0 == metric).map(|r| r.3);
    let metrics = HEADLINE.iter().flat_map(|m| std::iter::once(*m).chain(incremental(m)));
    for metric in metrics {
        let own: Vec<&CompareRow> = rows.iter().filter(|r| r.metric == metric).collect();
        if own.iter().all(|r| r.mean.is_none()) {
            continue;
        }
        match cost_metric_unit(metric, cost_unit) {
            Some(unit) => writeln!(out, "{metric} ({unit})"),
            None => writeln!(out, "{metric}"),
        }
        .ok();
        let ratio = RATIOS.iter().find(|x| x.3 == metric);
        for r in own.iter().filter(|r| r.mean.is_some()) {
            // No incremental cost for a dominated or dominant strategy: the word instead.
            let quadrant = ratio.and_then(|ratio| Quadrant::of(rows, &r.strategy, ratio));
            let (mean, ci) = match quadrant.and_then(Quadrant::instead_of_ratio) {
                Some(word) => (word.to_string(), String::new()),
                None => (human(r.mean), interval(r.ci_low, r.ci_high)),
            };
            let mut line = format!("  {:<26} {:>10} {:<24}", r.strategy, mean, ci);
            if r.difference.is_some() {
                let _ = write!(
                    line,
                    " diff {:>10} {:<24} p {}",
                    signed(r.difference),
                    interval(r.difference_ci_low, r.difference_ci_high),
                    p_value(r.p_value)
                );
            }
            if ratio.is_some() {
                let _ = write!(line, " {}", quadrant.map_or("", Quadrant::words));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// The strategies ranked by `metric` (most first when `more_is_better`, else least first), then a
/// sentence per strategy against the baseline that a policy officer can paste into a memo:
/// innovations, social value and cost, with intervals and the reading of the cost-effectiveness
/// plane. The same words as `findings.md` of the comparison (`compare_findings`).
pub fn ranking(
    rows: &[CompareRow],
    metric: &str,
    more_is_better: bool,
    (cost_unit, span): (&str, &str),
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{}", ranking_title(metric, more_is_better, cost_unit));
    for (k, r) in ranked(rows, metric, more_is_better).iter().enumerate() {
        let line = format!(
            "  {}. {:<26} {:>10} {}",
            k + 1,
            r.strategy,
            human(r.mean),
            interval(r.ci_low, r.ci_high)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    if let Some(words) = left_out_words(rows, metric) {
        let _ = writeln!(out, "  {words}");
    }
    if let Some((intro, sentences)) = memo(rows, cost_unit, span) {
        let _ = writeln!(out, "\n{intro}:");
        for sentence in sentences {
            let _ = writeln!(out, "- {sentence}");
        }
    }
    out
}

/// The comparison in words as `findings.md` holds it: the ranking by `metric` and the sentences
/// against the baseline (the terminal's words, from the same functions), then, under a
/// calibration's posterior, the `decision`'s sentences.
pub(crate) fn compare_findings(
    rows: &[CompareRow],
    (metric, more_is_better): (&str, bool),
    (cost_unit, span): (&str, &str),
    decision: Option<&[String]>,
) -> String {
    let mut out = String::from("# Comparison\n\n");
    let _ = writeln!(out, "## {}\n", capitalised(&ranking_title(metric, more_is_better, cost_unit)));
    for (k, r) in ranked(rows, metric, more_is_better).iter().enumerate() {
        let _ = writeln!(
            out,
            "- {}. **{}**: {} {}",
            k + 1,
            r.strategy,
            human(r.mean),
            interval(r.ci_low, r.ci_high)
        );
    }
    if let Some(words) = left_out_words(rows, metric) {
        let _ = writeln!(out, "\n{words}");
    }
    if let Some((intro, sentences)) = memo(rows, cost_unit, span) {
        let _ = writeln!(out, "\n## {}\n", capitalised(&intro));
        for sentence in sentences {
            let _ = writeln!(out, "- {sentence}");
        }
    }
    if let Some(decision) = decision {
        let _ = writeln!(out, "\n## {}\n", capitalised(UNDER_POSTERIOR));
        for sentence in decision {
            let _ = writeln!(out, "- {sentence}");
        }
    }
    out
}

/// The heading of a decision under a calibration's posterior.
pub(crate) const UNDER_POSTERIOR: &str = "under the calibration's posterior";

/// A phrase with its first letter in capitals, as a heading.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

/// "ranked by innovations, most first", with the metric's unit where it is a cost.
fn ranking_title(metric: &str, more_is_better: bool, cost_unit: &str) -> String {
    let unit = cost_metric_unit(metric, cost_unit).map_or(String::new(), |u| format!(" ({u})"));
    let order = if more_is_better { "most first" } else { "least first" };
    format!("ranked by {}{unit}, {order}", metric.replace('_', " "))
}

/// The rows of `metric` with a mean, best first; for a cost per outcome, only of the strategies that
/// cost something and give a material share of the outcome (`compare::left_out`).
fn ranked<'a>(rows: &'a [CompareRow], metric: &str, more_is_better: bool) -> Vec<&'a CompareRow> {
    let out = left_out(rows, metric);
    let mut ranked: Vec<&CompareRow> = rows
        .iter()
        .filter(|r| r.metric == metric && r.mean.is_some() && !out.iter().any(|(s, _)| *s == r.strategy))
        .collect();
    ranked.sort_by(|a, b| {
        let (x, y) = (a.mean.unwrap_or(f64::NAN), b.mean.unwrap_or(f64::NAN));
        if more_is_better {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        }
    });
    ranked
}

/// What each strategy gave against the baseline, a sentence each, after their introduction
/// ("in words, against baseline (…)"); none without rows.
fn memo(rows: &[CompareRow], cost_unit: &str, span: &str) -> Option<(String, Vec<String>)> {
    let baseline = rows.first().map(|r| r.baseline.as_str())?;
    let find =
        |strategy: &str, metric: &str| rows.iter().find(|r| r.strategy == strategy && r.metric == metric);
    let intro = format!("in words, against {baseline} (the same seeds; 95 % intervals)");
    let mut sentences = Vec::new();
    for r in rows.iter().filter(|r| r.metric == "innovations" && r.strategy != baseline) {
        let difference = |metric: &str| find(&r.strategy, metric).and_then(|d| d.difference.map(|v| (v, d)));
        // "57.2 more innovations (42.9 to 71.4)"; no interval for a difference that never varies.
        let change = |metric: &str, more: &str, less: &str, what: &str| -> Option<String> {
            let (v, d) = difference(metric)?;
            let word = if v > 0.0 { more } else { less };
            // The interval of the size of the change: for a fall, of its absolute value.
            let ci = match (d.difference_ci_low, d.difference_ci_high) {
                (Some(l), Some(h)) if l != h && v >= 0.0 => {
                    format!(" ({} to {})", human(Some(l)), human(Some(h)))
                }
                (Some(l), Some(h)) if l != h => format!(" ({} to {})", human(Some(-h)), human(Some(-l))),
                _ => String::new(),
            };
            Some(if v == 0.0 {
                format!("the same {what}")
            } else {
                format!("{} {word} {what}{ci}", human(Some(v.abs())))
            })
        };
        let innovations = change("innovations", "more", "fewer", "innovations").unwrap_or_default();
        let value = change("social_value", "more", "less", "social value").unwrap_or_default();
        let cost = match difference("venue_cost") {
            Some((c, _)) if c > 0.0 => format!("for {} {cost_unit} more", human(Some(c))),
            Some((c, _)) if c < 0.0 => format!("for {} {cost_unit} less", human(Some(-c))),
            _ => "at the same cost".to_string(),
        };
        let icer = || human(find(&r.strategy, "incremental_cost_per_innovation").and_then(|i| i.mean));
        let reading = match RATIOS.first().and_then(|ratio| Quadrant::of(rows, &r.strategy, ratio)) {
            Some(Quadrant::Dominant) => format!("it dominates {baseline} (costs no more, gives more)"),
            Some(Quadrant::Dominated) => format!("{baseline} dominates it (it costs no less and gives less)"),
            Some(Quadrant::ExtraCost) => format!("each extra innovation costs {} {cost_unit}", icer()),
            Some(Quadrant::Saving) => format!("it saves {} {cost_unit} per innovation given up", icer()),
            None => String::new(),
        };
        sentences.push(format!("{} gave {innovations} and {value} {span} {cost}: {reading}.", r.strategy));
    }
    Some((intro, sentences))
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
pub(crate) fn progress_bar(len: u64, show: bool) -> ProgressBar {
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

/// A counter without an end, for work whose size is not known until it is done (a calibration's
/// generation); hidden where stderr is no terminal.
pub(crate) fn spinner(show: bool) -> ProgressBar {
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} {pos} {msg} [{elapsed}]")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar
}

/// What `olika optimize` found: the findings in words, the finalists and the budget–outcome curve.
pub(crate) fn optimized(found: &super::optimize::Optimized, (cost_unit, span): (&str, &str)) -> String {
    use crate::output::optimize::{described, findings, levels};
    let mut out = String::new();
    for sentence in findings(
        &found.objective,
        (cost_unit, span),
        &found.settings,
        &found.portfolios,
        &found.curve,
        found.runs,
    ) {
        let _ = writeln!(out, "{sentence}");
    }
    let _ = writeln!(
        out,
        "\nfinalists: {} {span}, {} replications each",
        found.objective.replace('_', " "),
        found.finalists().first().map_or(0, |p| p.replications)
    );
    for p in found.finalists() {
        let _ = writeln!(
            out,
            "  {}. {:>10} {:<24} cost {} {cost_unit}: {}",
            p.rank.unwrap_or(0),
            human(p.mean),
            interval(p.ci_low, p.ci_high),
            human(Some(p.cost)),
            described(&found.settings, &p.values)
        );
    }
    let _ = writeln!(out, "\nbest found at each budget ({cost_unit})");
    for (level, best) in levels(&found.curve) {
        let Some(c) = best else {
            let _ = writeln!(out, "  ≤ {:>10} no portfolio fits", human(Some(level)));
            continue;
        };
        let _ = writeln!(
            out,
            "  ≤ {:>10} {:>10} {:<24} cost {}: {}",
            human(Some(c.budget)),
            human(c.mean),
            interval(c.ci_low, c.ci_high),
            human(Some(c.cost)),
            described(&found.settings, &c.values)
        );
    }
    out
}

/// The records of a CSV table in `dir` by column name; none when it is absent or unreadable (what
/// a command prints after writing it is a convenience: the file itself is the result).
fn records(path: &std::path::Path) -> Option<Vec<std::collections::HashMap<String, String>>> {
    let mut reader = csv::Reader::from_path(path).ok()?;
    let head: Vec<String> = reader.headers().ok()?.iter().map(str::to_string).collect();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.ok()?;
        out.push(head.iter().cloned().zip(record.iter().map(str::to_string)).collect());
    }
    Some(out)
}

/// What a finished sweep's folder says in a few lines: for a design with indices
/// (`sensitivity.csv`), each metric's parameters ranked by the index that ranks them (Sobol's total
/// ST, Morris's mu_star, or the size of the partial rank correlation PRCC), with their values; for
/// a grid or a list, the points where the headline metric (the first of `summary.csv`) is highest
/// and lowest. Empty when the folder has neither table.
pub fn sweep_table(dir: &std::path::Path) -> String {
    let mut out = String::new();
    if let Some(rows) = records(&crate::output::Table::Sensitivity.path(dir)) {
        let mut metrics: Vec<&str> = Vec::new();
        for r in &rows {
            if !metrics.contains(&r["metric"].as_str()) {
                metrics.push(&r["metric"]);
            }
        }
        for metric in metrics {
            let of = |index: &str| -> Vec<&std::collections::HashMap<String, String>> {
                rows.iter().filter(|r| r["metric"] == metric && r["index"] == index).collect()
            };
            let Some((index, mut ranked)) =
                ["ST", "mu_star", "PRCC"].into_iter().map(|i| (i, of(i))).find(|(_, r)| !r.is_empty())
            else {
                continue;
            };
            let size = |r: &std::collections::HashMap<String, String>| {
                r["estimate"].parse::<f64>().map_or(f64::NEG_INFINITY, f64::abs)
            };
            ranked.sort_by(|a, b| size(b).total_cmp(&size(a)));
            let _ = writeln!(out, "{}: parameters by {index}, largest first", words::label(metric));
            for r in ranked {
                let value = |c: &str| r[c].parse::<f64>().ok();
                let within = match (value("low"), value("high")) {
                    (Some(low), Some(high)) => format!("  {}", interval(Some(low), Some(high))),
                    _ => String::new(),
                };
                let _ = writeln!(out, "  {:<40} {:>8}{within}", r["parameter"], human(value("estimate")));
            }
        }
        return out;
    }
    let Some(rows) = records(&crate::output::Table::Summary.path(dir)) else {
        return out;
    };
    let Some(metric) = rows.first().map(|r| r["metric"].clone()) else {
        return out;
    };
    let mut points: Vec<(&std::collections::HashMap<String, String>, f64)> = rows
        .iter()
        .filter(|r| r["metric"] == metric)
        .filter_map(|r| r["mean"].parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| (r, v)))
        .collect();
    if points.len() < 2 {
        return out;
    }
    points.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut reader = csv::Reader::from_path(crate::output::Table::Summary.path(dir)).ok();
    let columns: Vec<String> = reader
        .as_mut()
        .and_then(|r| r.headers().ok().map(|h| h.iter().map(str::to_string).collect()))
        .unwrap_or_default();
    let parameters: Vec<&String> = columns.iter().skip(1).take_while(|c| c.as_str() != "metric").collect();
    let _ = writeln!(out, "{}, mean by point:", words::label(&metric));
    // A parameter's value as a person writes it (0.6, not summary.csv's 0.6000000000000001).
    let short = |v: &str| match v.parse::<f64>() {
        Ok(x) => {
            let s = format!("{x:.6}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Err(_) => v.to_string(),
    };
    for (what, (r, v)) in [("highest", points[0]), ("lowest", points[points.len() - 1])] {
        let at: Vec<String> = parameters.iter().map(|p| format!("{p} = {}", short(&r[p.as_str()]))).collect();
        let _ = writeln!(out, "  {what:<8} {:>8}  point {}: {}", human(Some(v)), r["point"], at.join(", "));
    }
    out
}
