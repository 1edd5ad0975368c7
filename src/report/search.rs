//! What a search found (`olika optimize`): the findings in words, the finalists, the
//! budget–outcome curve.

use std::fmt::Write as _;

use super::read::Search;
use crate::output::format::{human, interval};
use crate::output::network::escape;
use crate::output::optimize::{self, PortfolioRow};

pub(super) fn section(html: &mut String, search: &Search, (cost_unit, span): (&str, &str)) {
    let Search { settings, portfolios, curve, objective, runs } = search;
    for sentence in optimize::findings(objective, (cost_unit, span), settings, portfolios, curve, *runs) {
        let _ = writeln!(html, "<p>{}</p>", escape(&sentence));
    }
    let head: String = settings.iter().map(|s| format!("<th>{}</th>", escape(s))).collect();
    let _ = writeln!(
        html,
        "<p>The finalists, each run on the same replications (the same seeds), best first; “lead” is the paired difference from the next one.</p>\n<table><tr><th>rank</th>{head}<th>cost ({})</th><th>{}</th><th>95 % CI</th><th>lead</th><th>95 % CI</th><th>wins</th></tr>",
        escape(cost_unit),
        escape(&objective.replace('_', " "))
    );
    let mut finalists: Vec<&PortfolioRow> = portfolios.iter().filter(|p| p.rank.is_some()).collect();
    finalists.sort_by_key(|p| p.rank);
    let cells =
        |values: &[String]| values.iter().map(|v| format!("<td>{}</td>", escape(v))).collect::<String>();
    for p in finalists {
        let _ = writeln!(
            html,
            "<tr><td>{}</td>{}<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            p.rank.unwrap_or(0),
            cells(&p.values),
            human(Some(p.cost)),
            human(p.mean),
            interval(p.ci_low, p.ci_high),
            human(p.lead),
            interval(p.lead_low, p.lead_high),
            p.wins.map_or("–".into(), |w| format!("{:.0} %", w * 100.0))
        );
    }
    html.push_str("</table>\n");
    let _ = writeln!(
        html,
        "<p>The best portfolio found within each budget level (portfolios.csv lists every portfolio with its cost and the runs it got).</p>\n<table><tr><th>budget ({})</th>{head}<th>cost</th><th>{}</th><th>95 % CI</th></tr>",
        escape(cost_unit),
        escape(&objective.replace('_', " "))
    );
    for (level, best) in optimize::levels(curve) {
        let Some(c) = best else {
            let _ = writeln!(
                html,
                "<tr><td>≤ {}</td><td colspan=\"{}\">no portfolio fits</td></tr>",
                human(Some(level)),
                settings.len() + 3
            );
            continue;
        };
        let _ = writeln!(
            html,
            "<tr><td>≤ {}</td>{}<td>{}</td><td>{}</td><td>{}</td></tr>",
            human(Some(c.budget)),
            cells(&c.values),
            human(Some(c.cost)),
            human(c.mean),
            interval(c.ci_low, c.ci_high)
        );
    }
    html.push_str("</table>\n");
}
