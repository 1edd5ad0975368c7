//! The question and the scenario: what each scenario asks, its city, venues and key parameters,
//! and what a sweep or a search varies, read from the resolved scenarios' TOML.

use std::fmt::Write as _;

use crate::output::network::escape;
use crate::output::Manifest;

pub(super) fn text<'a>(t: &'a toml::Table, key: &str) -> &'a str {
    t.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

pub(super) fn value(t: &toml::Table, path: &str) -> String {
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

/// Each scenario's name and question.
pub(super) fn question(html: &mut String, scenarios: &[toml::Table]) {
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

/// The scenario section.
pub(super) fn section(html: &mut String, manifest: &Manifest, scenarios: &[toml::Table], cost_unit: &str) {
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
