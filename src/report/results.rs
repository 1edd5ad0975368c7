//! The results: the opening sentences of a run, the table of each command's results, and the
//! venues' means.

use std::fmt::Write as _;

use super::read::{Folder, Results, POINTS_SHOWN};
use crate::experiment::compare::{Quadrant, RATIOS};
use crate::observe::{self, words, HEADLINE};
use crate::output::compare::CompareRow;
use crate::output::format::{cost_metric_unit, human, interval, metric_unit, p_value};
use crate::output::network::escape;
use crate::output::summary::SummaryRow;
use crate::output::Manifest;

/// The columns of venues.csv the venues table shows, after each venue's name and kind; a test
/// keeps them columns of the file (a misspelt one would read as 0).
const VENUE_SHOWN: [&str; 6] =
    ["meetings", "attendance", "ties_begun", "partnerships_begun", "innovations", "cost"];

/// The metrics a sweep's table shows at each point; a test keeps them among those `read` keeps.
const POINT_METRICS: [&str; 2] = ["innovations", "social_value"];

/// The report's opening (`olika run` only): two sentences from the numbers of the scenario's
/// first headline metrics, each with its interval, for a reader who reads nothing else.
pub(super) fn opening(html: &mut String, folder: &Folder) {
    let Results::Run(rows) = &folder.results else { return };
    for sentence in story(folder, rows) {
        let _ = writeln!(html, "<p class=\"lead\">{}</p>", escape(&sentence));
    }
}

fn story(folder: &Folder, rows: &[SummaryRow]) -> Vec<String> {
    let cost_unit = &folder.cost_unit;
    let said: Vec<String> = observe::headline(folder.headline())
        .iter()
        .filter_map(|m| rows.iter().find(|r| r.metric == *m).map(|r| (m, &r.summary)))
        .filter(|(_, s)| s.mean.is_some())
        .map(|(m, s)| {
            let share = metric_unit(m, cost_unit) == "fraction";
            let f = |v: Option<f64>| {
                if share {
                    v.map_or("–".into(), |x| format!("{:.0}", 100.0 * x))
                } else {
                    // Prose carries about three significant figures ("73.8", "8"), as a reader
                    // says them; the tables keep the rest.
                    v.map_or("–".into(), crate::plot::chart::figure)
                }
            };
            words::fragment(m, &f(s.mean), &f(s.ci_low), &f(s.ci_high), cost_unit)
        })
        .collect();
    let Some(s) = folder.scenarios.first().map(|r| &r.scenario) else { return Vec::new() };
    let when = if s.until_stable {
        "run until nothing could change any more".to_string()
    } else {
        crate::output::format::span([&**s])
    };
    let list = |items: &[String]| match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let mut out = Vec::new();
    if !said.is_empty() {
        out.push(format!(
            "{}, {when}, the mean of {} replications: {}.",
            s.name,
            folder.manifest.replications,
            list(&said[..said.len().min(3)])
        ));
    }
    if said.len() > 3 {
        out.push(format!("Also {}.", list(&said[3..said.len().min(6)])));
    }
    out
}

/// The results section, by command.
pub(super) fn section(html: &mut String, folder: &Folder) {
    html.push_str("<h2 id=\"results\">Results</h2>\n");
    let cost_unit = &folder.cost_unit;
    match &folder.results {
        Results::Search(search) => super::search::section(html, search, (cost_unit, &folder.span())),
        Results::Compare { rows, findings } => {
            if let Some(findings) = findings {
                super::findings::markdown(html, findings);
            }
            compare(html, rows, cost_unit)
        }
        Results::Run(rows) => run(html, rows, folder.headline(), cost_unit),
        Results::Points(rows) => points(html, rows, &folder.manifest),
        Results::Calibration { findings, tables } => super::calibration::section(html, findings, tables),
    }
}

/// A comparison: each strategy's mean and its paired difference from the baseline.
fn compare(html: &mut String, rows: &[CompareRow], cost_unit: &str) {
    // A metric's name, with its unit when it is a cost.
    let label = |metric: &str| match cost_metric_unit(metric, cost_unit) {
        Some(unit) => format!("{} ({unit})", metric.replace('_', " ")),
        None => metric.replace('_', " "),
    };
    let baseline = rows.first().map_or("", |r| r.baseline.as_str());
    let _ = writeln!(
        html,
        "<p>Each strategy's mean with its 95 % confidence interval, and its paired difference from {} (the same seeds) with its interval and the paired t-test's p-value (none where the difference is the same in every run). Costs per innovation are ratios of means with Fieller's interval; the incremental cost per innovation is the extra cost per extra innovation against {}, and none for a strategy that is dominated (costs no less, gives less) or dominant (costs no more, gives more): the word stands in its place, as health economists report it.</p>",
        escape(baseline),
        escape(baseline)
    );
    html.push_str("<table><tr><th>metric</th><th>strategy</th><th>mean</th><th>95 % CI</th><th>difference</th><th>95 % CI</th><th>p</th></tr>\n");
    let incremental = |metric: &str| RATIOS.iter().find(|r| r.0 == metric);
    for metric in HEADLINE.iter().flat_map(|m| std::iter::once(*m).chain(incremental(m).map(|r| r.3))) {
        for r in rows.iter().filter(|r| r.metric == metric) {
            let reading = RATIOS
                .iter()
                .find(|x| x.3 == metric)
                .and_then(|x| Quadrant::of(rows, &r.strategy, x))
                .map_or("", Quadrant::words);
            // No incremental cost for a dominated or dominant strategy: the word instead.
            let instead = RATIOS
                .iter()
                .find(|x| x.3 == metric)
                .and_then(|x| Quadrant::of(rows, &r.strategy, x))
                .and_then(Quadrant::instead_of_ratio);
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&label(metric)),
                escape(&r.strategy),
                instead.map_or_else(|| human(r.mean), str::to_string),
                if instead.is_some() { String::new() } else { interval(r.ci_low, r.ci_high) },
                if reading.is_empty() { human(r.difference) } else { escape(reading) },
                interval(r.difference_ci_low, r.difference_ci_high),
                p_value(r.p_value)
            );
        }
    }
    html.push_str("</table>\n");
}

/// A run: each headline metric's mean over replications.
fn run(html: &mut String, rows: &[SummaryRow], headline: &[String], cost_unit: &str) {
    html.push_str("<p>Mean over replications with its 95 % confidence interval; metrics that do not apply to this scenario are left out.</p>\n<table><tr><th>metric</th><th>mean</th><th>95 % CI</th><th>n</th><th>unit</th><th>column</th></tr>\n");
    for metric in observe::headline(headline) {
        if let Some(r) = rows.iter().find(|r| r.point == 0 && r.metric == metric && r.summary.mean.is_some())
        {
            let s = &r.summary;
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                escape(&words::label(metric)),
                human(s.mean),
                interval(s.ci_low, s.ci_high),
                s.n,
                escape(&metric_unit(metric, cost_unit)),
                escape(metric)
            );
        }
    }
    html.push_str("</table>\n");
}

/// A sweep: innovations and social value at each of the first points.
fn points(html: &mut String, rows: &[SummaryRow], manifest: &Manifest) {
    let mut points: Vec<u32> = rows.iter().map(|r| r.point).collect();
    points.dedup();
    let shown = points.len().min(POINTS_SHOWN);
    let _ = writeln!(
        html,
        "<p>Innovations and social value at each point, each the mean over its runs of a run's total, with 95 % confidence intervals{}.</p>",
        if shown < points.len() {
            format!(" (the first {shown} of {} points; all are in summary.csv)", points.len())
        } else {
            String::new()
        }
    );
    html.push_str("<table><tr><th>point</th>");
    for c in &manifest.point_columns {
        let _ = write!(html, "<th>{}</th>", escape(c));
    }
    html.push_str("<th>innovations</th><th>95 % CI</th><th>social value</th><th>95 % CI</th></tr>\n");
    for &p in points.iter().take(shown) {
        let find = |m: &str| rows.iter().find(|r| r.point == p && r.metric == m);
        let [Some(a), Some(b)] = POINT_METRICS.map(find) else { continue };
        let _ = write!(html, "<tr><td>{p}</td>");
        for cell in &a.values {
            let _ = write!(html, "<td>{}</td>", escape(cell));
        }
        let (a, b) = (&a.summary, &b.summary);
        let _ = writeln!(
            html,
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            human(a.mean),
            interval(a.ci_low, a.ci_high),
            human(b.mean),
            interval(b.ci_low, b.ci_high)
        );
    }
    html.push_str("</table>\n");
}

/// Venues and costs: each venue's means per run (`olika run`); other commands point to
/// venues.csv, and a search, which records no venues, has no such section.
pub(super) fn venues(html: &mut String, folder: &Folder) {
    let command = folder.manifest.command;
    if command == crate::output::Command::Optimize {
        // A search records no venues; its portfolios' costs are in its tables.
        return;
    }
    html.push_str("<h2 id=\"venues\">Venues and costs</h2>\n");
    if command != crate::output::Command::Run {
        html.push_str(
            "<p>Per-venue results of every run are in venues.csv (one row per run and venue).</p>\n",
        );
        return;
    }
    html.push_str("<p>Each the mean over the runs of a run's total. Innovations are those of partnerships whose partners first met at the venue; “(direct)” counts direct approaches.</p>\n");
    let _ = writeln!(html, "<table><tr><th>venue</th><th>kind</th><th>meetings</th><th>attendance</th><th>ties begun</th><th>partnerships begun</th><th>innovations</th><th>cost ({unit})</th><th>cost per innovation ({unit})</th></tr>", unit = escape(&folder.cost_unit));
    for venue in &folder.venues {
        let g = |k: &str| venue.get(k);
        let per = if g("innovations") > 0.0 && g("cost") > 0.0 {
            words::figure(g("cost") / g("innovations"))
        } else {
            "–".into()
        };
        let cells: String = VENUE_SHOWN.iter().map(|c| format!("<td>{}</td>", words::figure(g(c)))).collect();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td>{cells}<td>{per}</td></tr>",
            escape(&venue.name),
            escape(&venue.kind)
        );
    }
    html.push_str("</table>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_and_metrics_the_tables_show_exist() {
        for column in VENUE_SHOWN {
            assert!(
                <crate::observe::VenueRow as crate::output::rows::TableRow>::COLUMNS.contains(&column),
                "venues.csv has no {column}"
            );
        }
        // `read` keeps a sweep's rows of the usual headline metrics (and the scenario's own).
        for metric in POINT_METRICS {
            assert!(HEADLINE.contains(&metric), "{metric} is not read for a sweep's table");
        }
    }
}
