//! The class's report: the world the class played as one self-contained page (no script, nothing
//! fetched), with the students' organisations named — every name escaped. It is the lab's world,
//! one run steered by a class, so it is not `olika run`'s report.html of a results folder: what a
//! class can take home is what happened in its city, and its scenario file (`/scenario.toml`)
//! for `olika run` or `olika compare` to show what the model does over many runs.

use std::fmt::Write as _;

use serde_json::Value;

use crate::model::World;
use crate::output::network::escape;

/// The page.
pub(super) fn page(world: &World, names: &[(u32, &str)], reveal: &Value) -> String {
    let s = world.scenario();
    let t = world.tallies();
    let named = |a: u32| -> String {
        let sector = world.agents().sector[a as usize].name();
        match names.iter().find(|(o, _)| *o == a) {
            Some((_, name)) => format!("<b>{}</b> ({sector} {a})", escape(name)),
            None => format!("{sector} {a}"),
        }
    };
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>The class's city: {}</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}td,th{{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left}}.public{{color:#0072b2}}.private{{color:#b07800}}.civil{{color:#009e73}}</style></head><body>",
        escape(&s.name)
    );
    let _ = write!(
        html,
        "<h1>The class's city</h1><p>Scenario <code>{}</code>, seed {}, after {} of {} months. A class played some of its organisations; the model played the rest. One run: a story to discuss, not a finding — <code>olika compare</code> runs many.</p>",
        escape(&s.name),
        world.seed(),
        world.t(),
        s.steps
    );
    let _ = write!(
        html,
        "<h2>What the city did</h2><p>{} innovations, {} partnerships begun, {} adoptions.</p>",
        t.innovations, t.partnerships_begun, t.adoptions
    );
    let said = reveal["said"].as_str().unwrap_or_default();
    let _ = write!(html, "<h2>Across sectors or within?</h2><p>{}</p>", escape(said));
    let row = |k: &str, label: &str| -> String {
        let v = &reveal[k];
        format!("<tr><td>{label}</td><td>{}</td><td>{}</td><td>{}</td></tr>", v[0], v[1], v[2])
    };
    let _ = write!(
        html,
        "<table><tr><th>partnerships</th><th>begun</th><th>partnership-months</th><th>innovations</th></tr>{}{}</table>",
        row("across", "across sectors"),
        row("within", "within a sector")
    );
    html.push_str("<h2>The class</h2><table><tr><th>student</th><th>sector</th><th>partnerships</th><th>innovations</th></tr>");
    for &(a, name) in names {
        let made =
            world.innovations().iter().filter(|i| i.composition.is_some() && i.creators.contains(&a)).count();
        let partnerships = world.partnerships().iter().filter(|p| p.a == a || p.b == a).count();
        let sector = world.agents().sector[a as usize].name();
        let _ = write!(
            html,
            "<tr><td>{}</td><td class=\"{sector}\">{sector} (organisation {a})</td><td>{partnerships}</td><td>{made}</td></tr>",
            escape(name)
        );
    }
    html.push_str("</table><h2>Innovations of the class's organisations</h2><ul>");
    for i in world.innovations().iter().filter(|i| i.composition.is_some()) {
        let [a, b] = i.creators;
        if !names.iter().any(|(o, _)| *o == a || *o == b) {
            continue;
        }
        let differed = (i.novelty * world.knowledge().features as f64).round();
        let _ = write!(
            html,
            "<li>Month {}: {} and {}, who differed on {differed} of {} features, made something new of feature {}.</li>",
            i.step,
            named(a),
            named(b),
            world.knowledge().features,
            i.feature + 1
        );
    }
    html.push_str("</ul></body></html>\n");
    html
}
