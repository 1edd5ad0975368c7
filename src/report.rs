//! `report.html`: one self-contained page (inline SVG and CSS, nothing fetched) that explains a
//! results folder to someone who will never open the CSV files. Every user string is escaped.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::experiment::compare::{Quadrant, RATIOS};
use crate::observe::{self, words, HEADLINE};
use crate::output::format::{cost_metric_unit, human, interval, metric_unit, p_value};
use crate::output::network::escape;
use crate::output::{compare, optimize, summary, venues, Command, Manifest};
use crate::plot::Charts;

/// The model's ODD description, embedded in every report.
const MODEL: &str = include_str!("../docs/model.md");

/// Points of a sweep listed in the report.
const POINTS_SHOWN: usize = 60;

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#282828;line-height:1.5}\
h1{font-size:1.7em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;padding-bottom:.2em;margin-top:2em}\
table{border-collapse:collapse;margin:1em 0;font-size:.95em}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f2f2f2}figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}\
figcaption{font-size:.95em;color:#555}.note{background:#fff8e1;border-left:4px solid #E69F00;padding:.5em 1em}\
.lead{font-size:1.1em}.sector-public{color:#0072B2}.sector-private{color:#E69F00}.sector-civil{color:#009E73}code{background:#f4f4f4;padding:0 .2em}";

/// Writes `report.html` into a results folder, from its files and its charts (`svgs`: each
/// chart drawn as SVG, in order, as `Charts::save` returns them).
pub fn write(dir: &Path, charts: &Charts, svgs: &[String]) -> Result<PathBuf> {
    let manifest = Manifest::read(dir)?;
    // Each scenario loaded and checked: one that cannot be read is an error, not an empty section.
    let resolved = manifest.resolved(dir)?;
    let cost_unit = crate::output::format::cost_unit(&resolved[0].scenario.currency).to_string();
    let headline = &resolved[0].scenario.headline;
    let scenarios: Vec<toml::Table> = resolved
        .iter()
        .map(|r| {
            toml::from_str(&r.toml).map_err(|e| Error::Run(format!("cannot read a resolved scenario: {e}")))
        })
        .collect::<Result<_>>()?;
    let mut html = String::new();
    let title = match manifest.command {
        Command::Compare => format!("Comparison: {}", manifest.scenario),
        Command::Optimize => format!("Search: {}", manifest.scenario),
        _ => manifest.scenario.clone(),
    };
    let _ = write!(
        html,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{} — olika</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p>olika {} · {} · {}</p>\n",
        escape(&title),
        escape(&title),
        escape(&manifest.version),
        escape(manifest.command.name()),
        escape(&manifest.finished)
    );
    if manifest.command == Command::Run {
        for sentence in story(dir, &manifest, &scenarios, headline, &cost_unit)? {
            let _ = writeln!(html, "<p class=\"lead\">{}</p>", escape(&sentence));
        }
    }
    question(&mut html, &scenarios);
    scenario_section(&mut html, &manifest, &scenarios, &cost_unit);
    results(&mut html, dir, &manifest, headline, &cost_unit)?;
    chart_section(&mut html, charts, svgs)?;
    replay_section(&mut html, dir)?;
    venues(&mut html, dir, &manifest)?;
    method(&mut html, &manifest);
    // The model description travels with the report, so that the page stands alone.
    let _ = writeln!(
        html,
        "<details id=\"odd\"><summary>The model, in ODD order (docs/model.md)</summary><pre style=\"white-space:pre-wrap\">{}</pre></details>",
        escape(MODEL)
    );
    html.push_str("</body>\n</html>\n");
    let path = dir.join("report.html");
    let part = dir.join("report.html.part");
    fs::write(&part, html).map_err(|e| Error::io(&part, e))?;
    fs::rename(&part, &path).map_err(|e| Error::io(&path, e))?;
    Ok(path)
}

fn text<'a>(t: &'a toml::Table, key: &str) -> &'a str {
    t.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

fn value(t: &toml::Table, path: &str) -> String {
    let mut v: Option<&toml::Value> = None;
    let mut table = Some(t);
    for part in path.split('.') {
        v = table.and_then(|t| t.get(part));
        table = v.and_then(|v| v.as_table());
    }
    v.map_or("–".into(), |v| match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The report's opening: two sentences from the numbers of the scenario's first headline metrics,
/// each with its interval, for a reader who reads nothing else.
fn story(
    dir: &Path,
    manifest: &Manifest,
    scenarios: &[toml::Table],
    headline: &[String],
    cost_unit: &str,
) -> Result<Vec<String>> {
    let metrics = observe::headline(headline);
    let rows = summary::read(dir, &manifest.point_columns, |r| r.point == 0)?;
    let said: Vec<String> = metrics
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
    let Some(s) = scenarios.first() else { return Ok(Vec::new()) };
    let name = text(s, "name");
    let when = if s.get("until_stable").and_then(|v| v.as_bool()) == Some(true) {
        "run until nothing could change any more".to_string()
    } else {
        format!("over {} months", value(s, "steps"))
    };
    let list = |items: &[String]| match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let mut out = Vec::new();
    if !said.is_empty() {
        out.push(format!(
            "{name}, {when}, {} replications: {}.",
            manifest.replications,
            list(&said[..said.len().min(3)])
        ));
    }
    if said.len() > 3 {
        out.push(format!("Also {}.", list(&said[3..said.len().min(6)])));
    }
    Ok(out)
}

fn question(html: &mut String, scenarios: &[toml::Table]) {
    html.push_str("<h2 id=\"question\">The question</h2>\n");
    for s in scenarios {
        let description = text(s, "description");
        let _ = writeln!(
            html,
            "<p><strong>{}</strong>: {}</p>",
            escape(text(s, "name")),
            if description.is_empty() {
                "(the scenario has no description)".to_string()
            } else {
                escape(description)
            }
        );
    }
}

fn scenario_section(html: &mut String, manifest: &Manifest, scenarios: &[toml::Table], cost_unit: &str) {
    html.push_str("<h2 id=\"scenario\">The scenario</h2>\n");
    let empty = toml::Table::new();
    // The city (populations, steps) and the key parameters, said once when every strategy of a
    // comparison shares them, and per strategy otherwise.
    let city = |s: &toml::Table| {
        let pops = s.get("populations").and_then(|p| p.as_table()).unwrap_or(&empty);
        let total: i64 = pops.values().filter_map(|p| p.get("count").and_then(|c| c.as_integer())).sum();
        let list: Vec<String> = pops
            .iter()
            .map(|(name, p)| {
                let sector = p.get("sector").and_then(|v| v.as_str()).unwrap_or("");
                let count = p.get("count").and_then(|c| c.as_integer()).unwrap_or(0);
                let sector_span = format!("<span class=\"sector-{0}\">{0}</span>", escape(sector));
                if name == sector {
                    format!("{count} {sector_span} organisations")
                } else {
                    format!("{count} {} ({sector_span} organisations)", escape(name))
                }
            })
            .collect();
        let how_long = if s.get("until_stable").and_then(|v| v.as_bool()) == Some(true) {
            format!("until no neighbours can change any more (at most {} steps)", escape(&value(s, "steps")))
        } else {
            format!("over {} steps (months)", escape(&value(s, "steps")))
        };
        format!(
            "{total} organisations — {} — {how_long}, {} replications",
            list.join(", "),
            manifest.replications
        )
    };
    // A swept parameter has no one value: say so rather than show its base value.
    let value = |s: &toml::Table, path: &str| {
        if manifest.point_columns.iter().any(|c| c == path) {
            "swept (see the points)".to_string()
        } else {
            value(s, path)
        }
    };
    let key_parameters = |s: &toml::Table| {
        format!(
            "Key parameters: homophily h = {}, sector distance δ = {}, learning λ = {}, equity e = {}, innovation rate ρ = {}, trust gain γ = {}, external and imitation diffusion p = {}, q = {}.",
            escape(&value(s, "homophily")),
            escape(&value(s, "sector_distance")),
            escape(&value(s, "learning")),
            escape(&value(s, "equity")),
            escape(&value(s, "innovation.rate")),
            escape(&value(s, "trust.gain")),
            escape(&value(s, "diffusion.external")),
            escape(&value(s, "diffusion.imitation"))
        )
    };
    let shared = |f: &dyn Fn(&toml::Table) -> String| {
        let all: Vec<String> = scenarios.iter().map(f).collect();
        (scenarios.len() > 1 && all.windows(2).all(|w| w[0] == w[1])).then(|| all[0].clone())
    };
    let (shared_city, shared_keys) = (shared(&city), shared(&key_parameters));
    if let Some(c) = &shared_city {
        let _ = writeln!(html, "<p>Every strategy: {c}, the same organisations on the same seeds.</p>");
    }
    if let Some(k) = &shared_keys {
        let _ = writeln!(html, "<p>{k} The strategies differ in their venues:</p>");
    }
    for s in scenarios {
        if scenarios.len() > 1 {
            let _ = writeln!(html, "<h3>{}</h3>", escape(text(s, "name")));
        }
        if shared_city.is_none() {
            let _ = writeln!(html, "<p>{}.</p>", city(s));
        }
        let venues = s.get("venues").and_then(|p| p.as_table()).unwrap_or(&empty);
        if venues.is_empty() {
            html.push_str("<p>No venues: organisations meet only by approaching each other directly.</p>\n");
        } else {
            html.push_str("<ul>\n");
            // A classic run until stable counts bare steps, not months.
            let stable = s.get("until_stable").and_then(|v| v.as_bool()) == Some(true);
            for (name, v) in venues {
                let v = v.as_table().unwrap_or(&empty);
                let mix = match v.get("mix") {
                    Some(toml::Value::Table(t)) => format!("only {}", value(t, "only")),
                    Some(other) => other.as_str().unwrap_or("").to_string(),
                    None => String::new(),
                };
                let off = if v.get("enabled").and_then(|e| e.as_bool()) == Some(false) {
                    " (switched off)"
                } else {
                    ""
                };
                let _ = writeln!(
                    html,
                    "<li><strong>{}</strong>: a {} {}, {} seats, {} mix, facilitation {}, cost {} {} per meeting{}</li>",
                    escape(name),
                    escape(&value(v, "kind")),
                    match (value(v, "every").as_str(), stable) {
                        ("1", false) => "every month".to_string(),
                        ("1", true) => "every step".to_string(),
                        (n, false) => format!("every {} months", escape(n)),
                        (n, true) => format!("every {} steps", escape(n)),
                    },
                    escape(&value(v, "capacity")),
                    escape(&mix),
                    escape(&value(v, "facilitation")),
                    escape(&value(v, "cost")),
                    escape(cost_unit),
                    off
                );
            }
            html.push_str("</ul>\n");
        }
        if shared_keys.is_none() {
            let _ = writeln!(html, "<p>{}</p>", key_parameters(s));
        }
        if let Some(search) = s.get("optimize").and_then(|v| v.as_table()) {
            let over = search.get("parameters").and_then(|v| v.as_table()).map_or(String::new(), |p| {
                p.iter().map(|(k, v)| format!("{k} ∈ {v}")).collect::<Vec<_>>().join("; ")
            });
            let _ = writeln!(
                html,
                "<p>Search: the portfolio with the most {} per run over {} — successive halving on common random numbers, up to {} replications per finalist.</p>",
                escape(&search.get("objective").and_then(|v| v.as_str()).unwrap_or("innovations").replace('_', " ")),
                escape(&over),
                manifest.replications
            );
        }
        if let Some(sweep) = s.get("sweep").and_then(|v| v.as_table()) {
            let _ = writeln!(
                html,
                "<p>Sweep: {} design over {} ({} points × {} replications).</p>",
                escape(&value(sweep, "design")),
                escape(&manifest.point_columns.join(", ")),
                manifest.points,
                manifest.replications
            );
        }
    }
}

fn results(
    html: &mut String,
    dir: &Path,
    manifest: &Manifest,
    headline: &[String],
    cost_unit: &str,
) -> Result<()> {
    html.push_str("<h2 id=\"results\">Results</h2>\n");
    // A metric's name, with its unit when it is a cost.
    let label = |metric: &str| match cost_metric_unit(metric, cost_unit) {
        Some(unit) => format!("{} ({unit})", metric.replace('_', " ")),
        None => metric.replace('_', " "),
    };
    if manifest.command == Command::Optimize {
        return optimize_results(html, dir, cost_unit);
    }
    if manifest.command == Command::Compare {
        let rows = compare::read(dir)?;
        let baseline = rows.first().map_or("", |r| r.baseline.as_str());
        let _ = writeln!(
            html,
            "<p>Each strategy's mean with its 95 % confidence interval, and its paired difference from {} (the same seeds) with its interval and the paired t-test's p-value (none where the difference is the same in every run). Costs per innovation are ratios of means with Fieller's interval; the incremental cost per innovation is the extra cost per extra innovation against {}.</p>",
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
                    .and_then(|x| Quadrant::of(&rows, &r.strategy, x))
                    .map_or("", Quadrant::words);
                let _ = writeln!(
                    html,
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&label(metric)),
                    escape(&r.strategy),
                    human(r.mean),
                    interval(r.ci_low, r.ci_high),
                    if reading.is_empty() { human(r.difference) } else { escape(reading) },
                    interval(r.difference_ci_low, r.difference_ci_high),
                    p_value(r.p_value)
                );
            }
        }
        html.push_str("</table>\n");
        return Ok(());
    }
    // Only what the page shows: the headline metrics of the first points.
    let rows = summary::read(dir, &manifest.point_columns, |r| {
        (r.point as usize) < POINTS_SHOWN
            && (headline.contains(&r.metric) || HEADLINE.contains(&r.metric.as_str()))
    })?;
    let mut points: Vec<u32> = rows.iter().map(|r| r.point).collect();
    points.dedup();
    if manifest.command == Command::Run {
        html.push_str("<p>Mean over replications with its 95 % confidence interval; metrics that do not apply to this scenario are left out.</p>\n<table><tr><th>metric</th><th>mean</th><th>95 % CI</th><th>n</th><th>unit</th><th>column</th></tr>\n");
        for metric in observe::headline(headline) {
            if let Some(r) =
                rows.iter().find(|r| r.point == 0 && r.metric == metric && r.summary.mean.is_some())
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
        return Ok(());
    }
    let shown = points.len().min(60);
    let _ = writeln!(
        html,
        "<p>Mean innovations and social value per run at each point, with 95 % confidence intervals{}.</p>",
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
        let (Some(a), Some(b)) = (find("innovations"), find("social_value")) else { continue };
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
    Ok(())
}

fn chart_section(html: &mut String, charts: &Charts, svgs: &[String]) -> Result<()> {
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
    Ok(())
}

/// What a search found: the findings in words, the finalists, the budget–outcome curve.
fn optimize_results(html: &mut String, dir: &Path, cost_unit: &str) -> Result<()> {
    let (settings, portfolios) = optimize::read_portfolios(dir)?;
    let curve = optimize::read_curve(dir)?;
    let objective = crate::plot::objective(dir)?;
    let runs = optimize::runs(dir)?;
    for sentence in optimize::findings(&objective, cost_unit, &settings, &portfolios, &curve, runs) {
        let _ = writeln!(html, "<p>{}</p>", escape(&sentence));
    }
    let head: String = settings.iter().map(|s| format!("<th>{}</th>", escape(s))).collect();
    let _ = writeln!(
        html,
        "<p>The finalists, each run on the same replications (the same seeds), best first; “lead” is the paired difference from the next one.</p>\n<table><tr><th>rank</th>{head}<th>cost ({})</th><th>{}</th><th>95 % CI</th><th>lead</th><th>95 % CI</th><th>wins</th></tr>",
        escape(cost_unit),
        escape(&objective.replace('_', " "))
    );
    let mut finalists: Vec<&optimize::PortfolioRow> =
        portfolios.iter().filter(|p| p.rank.is_some()).collect();
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
    for c in &curve {
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
    Ok(())
}

/// Steps of a replay the report keeps: enough to watch, small enough to mail.
const REPLAY_FRAMES: usize = 60;

/// The first run, replayed in the page: a compact copy of `replay.json` (partnerships only, at
/// most `REPLAY_FRAMES` steps, cultures renumbered) and a small player in plain JavaScript.
fn replay_section(html: &mut String, dir: &Path) -> Result<()> {
    if !dir.join(crate::output::replay::FILE).exists() {
        return Ok(());
    }
    let (_, replay) = crate::output::replay::read(dir)?;
    let Some(last) = replay.frames.len().checked_sub(1) else { return Ok(()) };
    let keep = crate::plot::animate::frames(replay.frames.len(), last.div_ceil(REPLAY_FRAMES).max(1) as u32);
    let places = match &replay.lattice {
        Some(l) => crate::plot::layout::cells(l.width, l.height, &l.cells, replay.sectors.len()),
        None => crate::plot::layout::discs(&replay.sectors),
    };
    let mut cultures: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let frames: Vec<serde_json::Value> = keep
        .iter()
        .map(|&k| {
            let f = &replay.frames[k];
            let partners: Vec<u32> =
                f.ties.chunks(4).filter(|t| t[2] > 0).flat_map(|t| [t[0], t[1], t[2]]).collect();
            let mut culture = Vec::with_capacity(f.culture.len());
            for c in &f.culture {
                let next = cultures.len() as u32;
                culture.push(*cultures.entry(*c).or_insert(next));
            }
            serde_json::json!({ "t": f.t, "p": partners, "b": f.born, "c": culture, "n": f.innovations, "r": f.regions })
        })
        .collect();
    // Cultures are numbered by first appearance: small numbers, the same culture the same colour.
    let data = serde_json::json!({
        "lattice": replay.lattice.is_some(),
        "sectors": replay.sectors,
        "places": places.iter().flat_map(|p| [(p[0] * 1000.0).round() as i32, (p[1] * 1000.0).round() as i32]).collect::<Vec<_>>(),
        "frames": frames,
    });
    // Inside a script element nothing may close it: every "<" is written as its JSON escape.
    let json = data.to_string().replace('<', "\\u003c");
    html.push_str("<h2 id=\"replay\">The first run, replayed</h2>\n<p>Replication 0 step by step: organisations in their sectors' colours, partnerships as lines (dashed: informal), a vermilion ring where an innovation is born — or, on a lattice, each culture in a colour of its own. <code>olika animate</code> makes a GIF of it for slides.</p>\n");
    let _ = writeln!(html, "<div id=\"player\"><canvas id=\"replay-view\" width=\"480\" height=\"480\" style=\"border:1px solid #ddd\"></canvas><br><button id=\"replay-play\">Play</button> <input id=\"replay-scrub\" type=\"range\" min=\"0\" max=\"{}\" value=\"0\" style=\"width:300px\"> <span id=\"replay-step\"></span></div>", frames_len(&data));
    let _ = writeln!(html, "<script type=\"application/json\" id=\"replay-data\">{json}</script>");
    html.push_str(PLAYER);
    Ok(())
}

fn frames_len(data: &serde_json::Value) -> usize {
    data["frames"].as_array().map_or(0, |f| f.len().saturating_sub(1))
}

/// The replay's player: plain JavaScript, nothing fetched.
const PLAYER: &str = r##"<script>
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("replay-data").textContent);
  const view = document.getElementById("replay-view"), ctx = view.getContext("2d");
  const play = document.getElementById("replay-play"), scrub = document.getElementById("replay-scrub");
  const colours = ["#0072B2", "#E69F00", "#009E73"], W = view.width;
  const at = i => [data.places[2 * i] * W / 1000, data.places[2 * i + 1] * W / 1000];
  const culture = c => `hsl(${(c * 137.5) % 360}, 60%, ${c % 2 ? 40 : 58}%)`;
  let k = 0, timer = null;
  function draw() {
    const f = data.frames[k], n = data.sectors.length;
    ctx.clearRect(0, 0, W, W);
    if (data.lattice) {
      const side = Math.sqrt(n), cell = W / Math.max(side, 1);
      for (let i = 0; i < n; i++) { const [x, y] = at(i); ctx.fillStyle = culture(f.c[i]); ctx.fillRect(x - cell / 2, y - cell / 2, cell - 1, cell - 1); }
    } else {
      for (let j = 0; j < f.p.length; j += 3) {
        const [ax, ay] = at(f.p[j]), [bx, by] = at(f.p[j + 1]);
        ctx.setLineDash(f.p[j + 2] === 1 ? [5, 4] : []); ctx.strokeStyle = "#282828"; ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      }
      ctx.setLineDash([]);
      const r = Math.max(2, Math.min(6, 70 / Math.sqrt(n)));
      for (let i = 0; i < n; i++) { const [x, y] = at(i); ctx.fillStyle = colours[data.sectors[i]] || "#777"; ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill(); }
      ctx.strokeStyle = "#D55E00"; ctx.lineWidth = 3;
      f.b.forEach(i => { const [x, y] = at(i); ctx.beginPath(); ctx.arc(x, y, 3 * r, 0, 2 * Math.PI); ctx.stroke(); });
    }
    scrub.value = k;
    document.getElementById("replay-step").textContent = `step ${f.t}` + (data.lattice ? ` · ${f.r} regions` : ` · ${f.n} innovations`);
  }
  function stop() { clearInterval(timer); timer = null; play.textContent = "Play"; }
  play.onclick = () => {
    if (timer) { stop(); return; }
    if (k >= data.frames.length - 1) k = 0;
    play.textContent = "Pause";
    timer = setInterval(() => { if (k >= data.frames.length - 1) { stop(); return; } k++; draw(); }, 150);
  };
  scrub.oninput = () => { k = Number(scrub.value); draw(); };
  draw();
})();
</script>
"##;

fn venues(html: &mut String, dir: &Path, manifest: &Manifest) -> Result<()> {
    if manifest.command == Command::Optimize {
        // A search records no venues; its portfolios' costs are in its tables.
        return Ok(());
    }
    html.push_str("<h2 id=\"venues\">Venues and costs</h2>\n");
    if manifest.command != Command::Run {
        html.push_str(
            "<p>Per-venue results of every run are in venues.csv (one row per run and venue).</p>\n",
        );
        return Ok(());
    }
    html.push_str("<p>Mean per run. Innovations are those of partnerships whose partners first met at the venue; “(direct)” counts direct approaches.</p>\n");
    html.push_str("<table><tr><th>venue</th><th>kind</th><th>meetings</th><th>attendance</th><th>ties begun</th><th>partnerships begun</th><th>innovations</th><th>cost</th><th>cost per innovation</th></tr>\n");
    for venue in venues::means(dir)? {
        let (name, kind) = (&venue.name, &venue.kind);
        let g = |k: &str| venue.get(k);
        let per = if g("innovations") > 0.0 && g("cost") > 0.0 {
            format!("{:.1}", g("cost") / g("innovations"))
        } else {
            "–".into()
        };
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{:.1}</td><td>{per}</td></tr>",
            escape(name),
            escape(kind),
            g("meetings"),
            g("attendance"),
            g("ties_begun"),
            g("partnerships_begun"),
            g("innovations"),
            g("cost")
        );
    }
    html.push_str("</table>\n");
    Ok(())
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
