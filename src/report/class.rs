//! "The class": the students of a class's lesson replayed by `olika run --lesson`, each with the
//! organisation they played (`students.csv`), every name escaped. Absent from other folders.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::Result;
use crate::output::network::escape;
use crate::output::students;

/// The section, if the folder is a lesson's.
pub(super) fn section(html: &mut String, dir: &Path, months: u32) -> Result<()> {
    let rows = students::read(dir)?;
    if rows.is_empty() {
        return Ok(());
    }
    let _ = writeln!(
        html,
        "<h2 id=\"class\">The class</h2>\n<p>This run is a class's lesson of {months} months (<code>olika lab --classroom</code>), replayed: the students chose for the organisations below — where to go, whom to approach, which partnerships to decline — and the model played the others. One run: a story to discuss, not a finding; <code>olika compare</code> runs many.</p>\n<table><tr><th>student</th><th>sector</th><th>organisation</th></tr>"
    );
    for s in &rows {
        let sector = s.sector.name();
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td class=\"{sector}\">{sector}</td><td>{}</td></tr>",
            escape(&s.name),
            s.organisation
        );
    }
    html.push_str("</table>\n");
    Ok(())
}
