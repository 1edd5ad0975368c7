//! What a calibration found (`olika calibrate`): its findings in words, as `findings.md` says
//! them, and its generations.

use std::fmt::Write as _;

use crate::output::calibration::Calibrated;
use crate::output::format::human;
use crate::output::network::escape;

/// The findings (their title left to the page's) and the table of generations.
pub(super) fn section(html: &mut String, findings: &str, tables: &Calibrated) {
    super::findings::markdown(html, findings);
    let head: String = tables.targets.iter().map(|t| format!("<th>met: {}</th>", escape(t))).collect();
    let _ = writeln!(
        html,
        "<p>Each generation: its tolerance, the parameter sets it simulated and kept, and the share of its simulations that met each target.</p>\n<table><tr><th>generation</th><th>tolerance</th><th>simulated</th><th>kept</th><th>effective size</th>{head}</tr>"
    );
    for g in &tables.generations {
        let met: String = g.met.iter().map(|m| format!("<td>{:.0} %</td>", 100.0 * m)).collect();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}</td>{met}</tr>",
            g.generation,
            g.tolerance.map_or("∞ (the priors)".into(), |t| human(Some(t))),
            g.simulations,
            g.particles,
            g.effective_size
        );
    }
    html.push_str("</table>\n");
}
