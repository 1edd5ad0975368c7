//! `olika params`: every parameter a scenario file may set, with its type, default, range, unit, and
//! the claim of the seed document it models — as text, or as the Markdown table of
//! docs/scenario.md.

use std::fmt::Write as _;

use crate::model::KINDS;
use crate::scenario::params::{self, DefaultValue};

/// `olika params`: the parameter table, then the venue kinds.
pub fn params(markdown: bool) -> String {
    format!("{}\n{}", parameter_table(markdown), venue_kinds(markdown))
}

/// Every parameter with its type, default, range, unit and claim.
pub fn parameter_table(markdown: bool) -> String {
    let mut out = String::new();
    let default_text = |p: &params::Param| match p.default {
        DefaultValue::Value(v) => v.to_string(),
        DefaultValue::PerSector([a, b, c]) => format!("public {a}, private {b}, civil {c}"),
        DefaultValue::Note(note) => format!("({note})"),
    };
    if markdown {
        out.push_str("| path | symbol | type | default | range | unit | claim | meaning |\n");
        out.push_str("|---|---|---|---|---|---|---|---|\n");
        for p in params::all() {
            let mut doc = p.doc.to_string();
            if !p.venue_kinds.is_empty() {
                doc.push_str(&format!(" ({} only)", p.venue_kinds.join(", ")));
            }
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
                p.path,
                p.symbol,
                p.domain.type_name(),
                default_text(p).replace('|', "\\|"),
                p.domain.range().replace('|', "\\|"),
                p.unit,
                p.claim,
                doc
            );
        }
        return out;
    }
    for p in params::all() {
        let _ = writeln!(out, "{}", p.path);
        let symbol = if p.symbol.is_empty() { String::new() } else { format!("  symbol {}", p.symbol) };
        let _ = writeln!(
            out,
            "    {}  default {}  range {}{}",
            p.domain.type_name(),
            default_text(p),
            p.domain.range(),
            symbol
        );
        let unit = if p.unit.is_empty() { String::new() } else { format!(" [{}]", p.unit) };
        let kinds = if p.venue_kinds.is_empty() {
            String::new()
        } else {
            format!(" ({} only)", p.venue_kinds.join(", "))
        };
        let _ = writeln!(out, "    {}{}{}", p.doc, unit, kinds);
        if !p.claim.is_empty() {
            let _ = writeln!(out, "    models {}", params::claims_text(p.claim));
        }
    }
    out
}

/// The venue kinds of `model::venue::KINDS`: what happens at a meeting, and the keys each takes
/// beyond those of every venue.
pub fn venue_kinds(markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        out.push_str("| kind | what happens at a meeting | its own keys |\n|---|---|---|\n");
    } else {
        out.push_str("venue kinds (venues.*.kind)\n");
    }
    for kind in KINDS {
        let keys: Vec<&str> = kind.keys.iter().map(|k| k.path).collect();
        let keys = if keys.is_empty() { "–".to_string() } else { keys.join(", ") };
        if markdown {
            let _ = writeln!(out, "| `{}` | {} | {} |", kind.name, kind.meeting, keys);
        } else {
            let _ = writeln!(out, "  {:<14} {}; keys: {}", kind.name, kind.meeting, keys);
        }
    }
    out
}
