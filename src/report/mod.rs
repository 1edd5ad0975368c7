//! `report.html`: one self-contained page (inline SVG and CSS, nothing fetched) that explains a
//! results folder to someone who will never open the CSV files. Every user string is escaped.
//!
//! The folder is read whole first (`read`); each section is then made from what was read: the
//! question and the scenario (`scenario`, from the typed scenarios), the results (`results`, and
//! `search` for `olika optimize`), the charts, the first run replayed (`replay`) and the method.
//! The page around them (`page.html`), its style (`style.css`) and the replay's player
//! (`player.js`) are files of their own, embedded when olika is built.

mod calibration;
mod class;
mod findings;
mod read;
mod replay;
mod results;
mod scenario;
mod search;

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::observe::replay::Replay;
use crate::output::network::escape;
use crate::output::{Command, Manifest};
use crate::plot::Charts;

/// The page around the sections: each `{name}` is where `fill` puts a text.
const PAGE: &str = include_str!("page.html");

/// The page's style, a group of rules a line for the reader of this file; the page carries it on
/// one line, as it always has.
const STYLE: &str = include_str!("style.css");

/// The model's ODD description, embedded in every report.
const MODEL: &str = include_str!("../../docs/model.md");

/// Writes `report.html` into a results folder, from its files and its charts (`svgs`: each
/// chart drawn as SVG, in order, as `Charts::save` returns them).
pub fn write(dir: &Path, charts: &Charts, svgs: &[String]) -> Result<PathBuf> {
    write_read(dir, read(dir, None)?, charts, svgs)
}

/// A results folder read for its report ([`read`]), and every section of the page but the
/// charts, which are yet to come.
pub(crate) struct Read {
    folder: read::Folder,
    /// The sections before the charts.
    before: String,
    /// The sections after them.
    after: String,
    /// The model's description, escaped.
    model: String,
}

/// Reads what the report of the folder `dir` shows, and makes every section but the charts; the
/// first run's `replay`, where the command that wrote the folder still holds it, instead of
/// reading `replay.json` back (the same replay: the file is written from it).
pub(crate) fn read(dir: &Path, replay: Option<Replay>) -> Result<Read> {
    let folder = read::Folder::read(dir, replay)?;
    let manifest = &folder.manifest;
    let mut before = String::new();
    results::opening(&mut before, &folder);
    branch(&mut before, manifest);
    if manifest.lesson.is_some() {
        let months = folder.scenarios.first().map_or(0, |s| s.scenario.steps);
        class::section(&mut before, dir, months)?;
    }
    scenario::question(&mut before, &folder.scenarios);
    scenario::section(&mut before, manifest, &folder.scenarios, &folder.cost_unit);
    results::section(&mut before, &folder);
    let mut after = String::new();
    replay::section(&mut after, folder.replay.as_ref());
    results::venues(&mut after, &folder);
    method(&mut after, manifest);
    Ok(Read { folder, before, after, model: escape(MODEL) })
}

/// [`write`], from the folder as [`read`] read it.
pub(crate) fn write_read(dir: &Path, read: Read, charts: &Charts, svgs: &[String]) -> Result<PathBuf> {
    let Read { folder, before: mut sections, after, model } = read;
    let manifest = &folder.manifest;
    chart_section(&mut sections, charts, svgs);
    sections.push_str(&after);
    let title = escape(&match manifest.command {
        Command::Compare => format!("Comparison: {}", manifest.scenario),
        Command::Optimize => format!("Search: {}", manifest.scenario),
        Command::Calibrate => format!("Calibration: {}", manifest.scenario),
        _ => manifest.scenario.clone(),
    });
    let style: String = STYLE.lines().collect();
    let html = fill(
        PAGE,
        &[
            ("title", &title),
            ("style", &style),
            ("version", &escape(&manifest.version)),
            ("command", &escape(manifest.command.name())),
            ("finished", &escape(&manifest.finished)),
            ("sections", &sections),
            // The model description travels with the report, so that the page stands alone.
            ("model", &model),
        ],
    );
    let path = dir.join("report.html");
    let part = dir.join("report.html.part");
    fs::write(&part, html).map_err(|e| Error::io(&part, e))?;
    fs::rename(&part, &path).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

/// `template` with each `{name}` replaced by the text given for it. What is put in is not
/// searched again, so a title that reads "{model}" stays as written.
fn fill(template: &str, texts: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + texts.iter().map(|(_, t)| t.len()).sum::<usize>());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("a placeholder of the page is closed");
        let name = &rest[open + 1..close];
        let text = texts.iter().find(|(n, _)| *n == name).map(|(_, t)| *t);
        out.push_str(&rest[..open]);
        out.push_str(text.unwrap_or_else(|| panic!("the page's {{{name}}} has no text")));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn chart_section(html: &mut String, charts: &Charts, svgs: &[String]) {
    html.push_str("<h2 id=\"charts\">Charts</h2>\n");
    for note in &charts.notes {
        let _ = writeln!(html, "<p class=\"note\">{}</p>", escape(note));
    }
    if charts.charts.is_empty() && charts.notes.is_empty() {
        html.push_str("<p class=\"note\">No charts for this folder.</p>\n");
    }
    for (chart, svg) in charts.charts.iter().zip(svgs) {
        // Inline SVG needs no namespace declaration in HTML; dropping it keeps the page free of URLs.
        let svg = svg
            .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
            .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
        let svg = svg.trim_start_matches(|c| c != '<');
        let svg = match svg.find("<svg") {
            Some(i) => &svg[i..],
            None => svg,
        };
        let _ = writeln!(
            html,
            "<figure id=\"{}\">{svg}<figcaption>{}</figcaption></figure>",
            escape(&chart.file),
            escape(&chart.caption)
        );
    }
}

/// Where the runs of a branched folder (`--from`) went on from: the folder of saved worlds and
/// the step.
fn branch(html: &mut String, manifest: &Manifest) {
    let Some(from) = &manifest.from else { return };
    let start = if from.step == 0 {
        "at step 0 (worlds made by <code>olika present</code> or saved before any step)".to_string()
    } else {
        format!(
            "at month {}: months 1–{} are the warm-up's, drawn in grey on the charts over time, and what is run here begins at month {}",
            from.step,
            from.step,
            from.step + 1
        )
    };
    let _ = writeln!(
        html,
        "<p class=\"lead\">These runs went on from the worlds saved in <code>{}</code> {start}; replication r of every run went on from the world of its replication r (saved worlds <code>{}</code>).</p>",
        escape(&from.folder),
        escape(&from.states)
    );
}

fn method(html: &mut String, manifest: &Manifest) {
    html.push_str("<h2 id=\"method\">Method</h2>\n");
    html.push_str("<p>olika is an agent-based model of organisations of the public, private and civil sectors. Each has knowledge (a vector of traits), capabilities (need insight, capital, reach) and habits (openness, visibility, permission culture, initiative). They meet at venues, by direct approaches and by following up earlier meetings; a meeting becomes an interaction with probability f + (1 − f)(1 − d)<sup>h</sup>, so that difference d is a barrier (homophily h) that facilitation f lowers. Interactions build trust and make organisations alike; with enough trust they form partnerships, informal or — for the rule-bound — only on a contract. Partnerships innovate with probability ρ · φ(d) · τ · C, highest at an intermediate distance d, and converge as they work. Innovations spread by external influence and imitation through ties, and a public adopter may scale them up. The full description, in the order of the ODD protocol, is <a href=\"#odd\">at the end of this page</a> (docs/model.md in the olika source); the validation against Axelrod, Bass and Nooteboom is docs/validation.md.</p>\n");
    let _ = writeln!(
        html,
        "<table><tr><th>item</th><th>value</th></tr><tr><td>tool version</td><td>olika {}</td></tr><tr><td>plan hash</td><td><code>{}</code></td></tr><tr><td>root seed</td><td>{}</td></tr><tr><td>replications</td><td>{} per point; replication r has seed run_seed(root seed, r), the same at every point and strategy (common random numbers)</td></tr><tr><td>runs</td><td>{} ({} failed)</td></tr><tr><td>command line</td><td><code>{}</code></td></tr><tr><td>overrides</td><td>{}</td></tr><tr><td>sources</td><td>{}</td></tr><tr><td>host</td><td>{}</td></tr><tr><td>started, finished</td><td>{}, {}</td></tr></table>",
        escape(&manifest.version),
        escape(&manifest.plan_hash),
        manifest.seed,
        manifest.replications,
        manifest.folder_runs,
        manifest.failed_runs,
        escape(&manifest.command_line.join(" ")),
        escape(&manifest.overrides.join(", ")),
        escape(&manifest.sources.join(", ")),
        escape(&manifest.host),
        escape(&manifest.started),
        escape(&manifest.finished)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The page's frame has a text for every place in it, and what is put in stays as written.
    #[test]
    fn the_page_fills_every_place_once_and_searches_no_text_it_put_in() {
        let names = ["title", "style", "version", "command", "finished", "sections", "model"];
        let texts: Vec<(&str, &str)> = names.iter().map(|n| (*n, "{model}")).collect();
        let page = fill(PAGE, &texts);
        assert!(!page.contains("{title}") && page.contains("<title>{model} — olika</title>"));
        assert_eq!(page.matches("{model}").count(), PAGE.matches('{').count());
        assert!(page.starts_with("<!DOCTYPE html>\n") && page.ends_with("</body>\n</html>\n"));
        assert!(!STYLE.lines().collect::<String>().contains('\n'));
    }
}
