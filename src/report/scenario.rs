//! The question and the scenario: what each scenario asks, its city, venues and key parameters,
//! and what a sweep or a search varies. Read from the typed scenarios, field by field, so that a
//! renamed parameter fails to compile here instead of leaving an empty cell.

use std::fmt::Write as _;

use crate::model::Setting;
use crate::observe::words::figure;
use crate::output::network::escape;
use crate::output::Manifest;
use crate::scenario::optimize::OptimizeSpec;
use crate::scenario::sweep::{Swept, Values};
use crate::scenario::{Mix, Resolved, Scenario, Value, VenueSpec};

/// The key parameters the section names: the words before each value, the parameter's path in
/// scenario files (to tell a swept one; a test checks that each path names the field read beside
/// it), and its field.
type KeyParameter = (&'static str, &'static str, fn(&Scenario) -> f64);
const KEY_PARAMETERS: [KeyParameter; 8] = [
    ("homophily h", "homophily", |s| s.homophily),
    ("sector distance δ", "sector_distance", |s| s.sector_distance),
    ("learning λ", "learning", |s| s.learning),
    ("equity e", "equity", |s| s.equity),
    ("innovation rate ρ", "innovation.rate", |s| s.innovation.rate),
    ("trust gain γ", "trust.gain", |s| s.trust.gain),
    ("external and imitation diffusion p", "diffusion.external", |s| s.diffusion.external),
    ("q", "diffusion.imitation", |s| s.diffusion.imitation),
];

/// A real number as the scenario's TOML writes it ("0.3", "40.0"): the page shows values as the
/// resolved scenario in manifest.json has them.
fn number(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

/// Each scenario's name and question.
pub(super) fn question(html: &mut String, scenarios: &[Resolved]) {
    html.push_str("<h2 id=\"question\">The question</h2>\n");
    for s in scenarios.iter().map(|r| &r.scenario) {
        let _ = writeln!(
            html,
            "<p><strong>{}</strong>: {}</p>",
            escape(&s.name),
            if s.description.is_empty() {
                "(the scenario has no description)".to_string()
            } else {
                escape(&s.description)
            }
        );
    }
}

/// The scenario section: the city (populations, steps) and the key parameters, said once when
/// every strategy of a comparison shares them and per strategy otherwise; each scenario's venues,
/// and what its search or sweep varies.
pub(super) fn section(html: &mut String, manifest: &Manifest, scenarios: &[Resolved], cost_unit: &str) {
    html.push_str("<h2 id=\"scenario\">The scenario</h2>\n");
    let city = |s: &Scenario| city(s, manifest.replications);
    let keys = |s: &Scenario| key_parameters(s, &manifest.point_columns);
    let shared = |f: &dyn Fn(&Scenario) -> String| {
        let all: Vec<String> = scenarios.iter().map(|r| f(&r.scenario)).collect();
        (scenarios.len() > 1 && all.windows(2).all(|w| w[0] == w[1])).then(|| all[0].clone())
    };
    let (shared_city, shared_keys) = (shared(&city), shared(&keys));
    if let Some(c) = &shared_city {
        let _ = writeln!(html, "<p>Every strategy: {c}, the same organisations on the same seeds.</p>");
    }
    if let Some(k) = &shared_keys {
        let _ = writeln!(html, "<p>{k} The strategies differ in their venues:</p>");
    }
    for r in scenarios {
        let s = &r.scenario;
        if scenarios.len() > 1 {
            let _ = writeln!(html, "<h3>{}</h3>", escape(&s.name));
        }
        if shared_city.is_none() {
            let _ = writeln!(html, "<p>{}.</p>", city(s));
        }
        venues(html, s, cost_unit);
        if shared_keys.is_none() {
            let _ = writeln!(html, "<p>{}</p>", keys(s));
        }
        if let Some(search) = &r.optimize {
            let _ = writeln!(
                html,
                "<p>Search: the portfolio with the most {} {} over {} — successive halving on common random numbers, up to {} replications per finalist.</p>",
                escape(&search.objective.replace('_', " ")),
                escape(&crate::output::format::span([&*r.scenario])),
                escape(&searched(search)),
                manifest.replications
            );
        }
        if let Some(sweep) = &r.sweep {
            let _ = writeln!(
                html,
                "<p>Sweep: {} design over {} ({} points × {} replications).</p>",
                escape(sweep.design.name()),
                escape(&manifest.point_columns.join(", ")),
                manifest.points,
                manifest.replications
            );
        }
    }
}

/// The city: its organisations by population, and how long it runs.
fn city(s: &Scenario, replications: u32) -> String {
    let total: usize = s.populations.values().map(|p| p.count).sum();
    let list: Vec<String> = s
        .populations
        .iter()
        .map(|(name, p)| {
            let sector = p.sector.name();
            let sector_span = format!("<span class=\"sector-{0}\">{0}</span>", escape(sector));
            if name == sector {
                format!("{} {sector_span} organisations", p.count)
            } else {
                format!("{} {} ({sector_span} organisations)", p.count, escape(name))
            }
        })
        .collect();
    let how_long = if s.until_stable {
        format!("until no neighbours can change any more (at most {} steps)", s.steps)
    } else {
        format!("over {} steps (months)", s.steps)
    };
    format!("{total} organisations — {} — {how_long}, {replications} replications", list.join(", "))
}

/// The key parameters in a sentence; a swept one has no one value, and says so rather than show
/// its base value.
fn key_parameters(s: &Scenario, point_columns: &[String]) -> String {
    let said: Vec<String> = KEY_PARAMETERS
        .iter()
        .map(|(words, path, field)| match point_columns.iter().any(|c| c == path) {
            true => format!("{words} = swept (see the points)"),
            false => format!("{words} = {}", number(field(s))),
        })
        .collect();
    format!("Key parameters: {}.", said.join(", "))
}

/// The scenario's venues, one item each, or a sentence where it has none.
fn venues(html: &mut String, s: &Scenario, cost_unit: &str) {
    if s.venues.is_empty() {
        html.push_str("<p>No venues: organisations meet only by approaching each other directly.</p>\n");
        return;
    }
    html.push_str("<ul>\n");
    for (name, v) in &s.venues {
        let _ = writeln!(
            html,
            "<li><strong>{}</strong>: {}{}</li>",
            escape(name),
            escape(&venue(v, s.until_stable, cost_unit)),
            if v.enabled { "" } else { " (switched off)" }
        );
    }
    html.push_str("</ul>\n");
}

/// A venue in words, from its kind's own words: "a hub every month, 30 members, balanced across
/// the sectors, mingle 4 encounters, facilitation 0.1, 30 kSEK a meeting".
fn venue(v: &VenueSpec, until_stable: bool, cost_unit: &str) -> String {
    let kind = v.kind;
    let article = if kind.noun.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    let mut parts = vec![format!("{article} {} {}", kind.noun, how_often(v.every, until_stable))];
    parts.push(format!("{} {}", v.capacity, kind.seats));
    // A kind whose sectors are fixed (procurement's public buyers) has no mix to speak of.
    if kind.sectors.is_none() {
        parts.push(mix(&v.mix));
    }
    for key in kind.keys {
        if let Some(value) = v.settings.get(key.path) {
            let value = match value {
                Setting::Bool(b) => b.to_string(),
                Setting::Int(i) => i.to_string(),
                Setting::Float(x) => figure(*x),
                Setting::Text(t) => t.clone(),
            };
            let unit = if key.unit.is_empty() { String::new() } else { format!(" {}", key.unit) };
            parts.push(format!("{} {value}{unit}", key.path.replace('_', " ")));
        }
    }
    parts.push(format!("facilitation {}", figure(v.facilitation)));
    parts.push(format!("{} {cost_unit} a meeting", figure(v.cost)));
    parts.join(", ")
}

/// How often a venue meets, as a person says it ("once a year", "every 3 months"); a classic run
/// until stable counts bare steps, not months.
fn how_often(every: u32, until_stable: bool) -> String {
    match (every, until_stable) {
        (1, true) => "every step".into(),
        (n, true) => format!("every {n} steps"),
        (1, false) => "every month".into(),
        (12, false) => "once a year".into(),
        (6, false) => "twice a year".into(),
        (4, false) => "three times a year".into(),
        (n, false) if n % 12 == 0 => format!("every {} years", n / 12),
        (n, false) => format!("every {n} months"),
    }
}

/// Who attends, in words ("balanced across the sectors", "only public and civil organisations").
fn mix(mix: &Mix) -> String {
    match mix {
        Mix::Open => "open to every sector".to_string(),
        Mix::Balanced => "balanced across the sectors".to_string(),
        Mix::Only(sectors) => {
            let names: Vec<&str> = sectors.iter().map(|s| s.name()).collect();
            match names.as_slice() {
                [one] => format!("only {one} organisations"),
                [init @ .., last] => format!("only {} and {last} organisations", init.join(", ")),
                [] => "no sector".to_string(),
            }
        }
    }
}

/// What a search varies: each setting with its values as the scenario file gives them.
fn searched(search: &OptimizeSpec) -> String {
    search.parameters.iter().map(|p| format!("{} ∈ {}", p.path, values(p))).collect::<Vec<_>>().join("; ")
}

/// A varied parameter's values in TOML, as written: a list, or a range `{ max, min, steps }`
/// (whole numbers for a whole-number parameter).
fn values(p: &Swept) -> toml::Value {
    match &p.values {
        Values::List(items) => toml::Value::Array(items.iter().map(Value::to_toml).collect()),
        Values::Range { min, max, steps } => {
            let end = |x: f64| match p.integer && x.fract() == 0.0 {
                true => toml::Value::Integer(x as i64),
                false => toml::Value::Float(x),
            };
            let mut range = toml::Table::new();
            range.insert("min".into(), end(*min));
            range.insert("max".into(), end(*max));
            if let Some(steps) = steps {
                range.insert("steps".into(), toml::Value::Integer(i64::from(*steps)));
            }
            toml::Value::Table(range)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 25: "a hub every month" beside a file that said "weekly", "a matchmaking every 12
    /// months", "a procurement every 12 months, 4 seats, open mix".
    #[test]
    fn venues_are_said_as_a_reader_says_them() {
        let said = |name: &str| {
            let r = crate::scenario::load_shipped(name, &[]).unwrap();
            let mut html = String::new();
            venues(&mut html, &r.scenario, "kSEK");
            html
        };
        let hub = said("hub");
        assert!(hub.contains("a hub every month, 30 members, balanced across the sectors, mingle 4 encounters, facilitation 0.1, 30 kSEK a meeting"), "{hub}");
        let r = crate::scenario::load_shipped("hub", &[]).unwrap();
        assert!(
            r.scenario.description.contains("four encounters with other members a month"),
            "the file says what the model does"
        );
        let baseline = said("baseline");
        assert!(baseline.contains("a matchmaking day once a year, 40 places"), "{baseline}");
        assert!(baseline.contains("a procurement round once a year, 4 public buyers"), "{baseline}");
        assert!(said("matchmaking_day").contains("a matchmaking day every 3 months"));
        let line = baseline.lines().find(|l| l.contains("procurement round")).unwrap();
        assert!(
            !line.contains("mix") && !line.contains("seats"),
            "buyers are public whatever the mix: {line}"
        );
        assert_eq!(
            (how_often(3, false), how_often(24, false), how_often(5, true)),
            ("every 3 months".into(), "every 2 years".into(), "every 5 steps".into())
        );
    }

    fn baseline() -> Resolved {
        crate::scenario::load_str("baseline", crate::scenario::BASELINE, &[]).unwrap()
    }

    /// Each key parameter's path names the field read beside it: a distinct value set at each path
    /// in the scenario's TOML comes back through that field and no other (a path that is no
    /// parameter fails to load).
    #[test]
    fn each_key_parameter_reads_the_field_its_path_names() {
        let mut table = toml::Table::try_from(&*baseline().scenario).unwrap();
        for (k, (_, path, _)) in KEY_PARAMETERS.iter().enumerate() {
            let (parents, last) = path.rsplit_once('.').map_or((None, *path), |(p, l)| (Some(p), l));
            let mut t = &mut table;
            for part in parents.into_iter().flat_map(|p| p.split('.')) {
                t = t.get_mut(part).and_then(toml::Value::as_table_mut).unwrap_or_else(|| panic!("{path}"));
            }
            assert!(t.contains_key(last), "{path} is no parameter");
            t.insert(last.into(), toml::Value::Float(0.01 * (k + 1) as f64));
        }
        let scenario: Scenario = table.try_into().unwrap();
        for (k, (words, _, field)) in KEY_PARAMETERS.iter().enumerate() {
            assert_eq!(field(&scenario), 0.01 * (k + 1) as f64, "{words}");
        }
    }

    /// Values are shown as the resolved scenario writes them: its TOML printed, then read back.
    #[test]
    fn numbers_and_values_read_as_the_scenario_file_writes_them() {
        for x in [0.0, 0.3, 1.0, 40.0, 0.03, 1e-7, 2.5e12] {
            let text = toml::to_string(&toml::toml! { v = x }).unwrap();
            let back: toml::Table = text.parse().unwrap();
            assert_eq!(number(x), back["v"].to_string(), "{text}");
        }
        let scenario = r#"
            [optimize]
            objective = "innovations"
            budget = 4800.0
            [optimize.parameters]
            "venues.round_tables.every" = { min = 1, max = 4, steps = 4 }
            "venues.round_tables.facilitation" = { min = 0.0, max = 0.6, steps = 3 }
            "venues.seminars.every" = [3, 6, 12]
        "#;
        let source = format!("{}\n{scenario}", crate::scenario::BASELINE);
        let resolved = crate::scenario::load_str("search", &source, &[]).unwrap();
        let written: toml::Table = resolved.toml.parse().unwrap();
        let given = written["optimize"]["parameters"].as_table().unwrap();
        let search = resolved.optimize.unwrap();
        for p in &search.parameters {
            assert_eq!(values(p).to_string(), given[&p.path].to_string(), "{}", p.path);
        }
        let sectors = vec![crate::scenario::Sector::Public, crate::scenario::Sector::Civil];
        assert_eq!(mix(&Mix::Only(sectors)), "only public and civil organisations");
    }
}
