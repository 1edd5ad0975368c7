//! Checks a parsed scenario file against the parameter registry: unknown keys (with the nearest valid
//! key), wrong types and values out of range, each reported at its file, line and column.

use std::collections::HashMap;

use super::params::{self, Domain, Param};
use crate::error::{Error, Location, Result, MAX_INPUTS};

/// Byte offsets of every key in a TOML source, by dotted path, so that errors found after parsing
/// (and after merging `extends` chains) can still point at a line and column.
pub struct Spans {
    /// The file's name, as shown in messages.
    pub file: String,
    /// The file's text.
    pub source: String,
    offsets: HashMap<String, usize>,
}

impl Spans {
    /// The offsets of every key of `source`; none if it does not parse.
    pub fn new(file: &str, source: &str) -> Self {
        let mut offsets = HashMap::new();
        if let Ok(root) = toml::de::DeTable::parse(source) {
            collect(root.get_ref(), "", &mut offsets);
        }
        Spans { file: file.to_string(), source: source.to_string(), offsets }
    }

    /// Where a dotted path is set in this file; the file alone if the path is not found.
    pub(crate) fn locate(&self, path: &str) -> Location {
        match self.offsets.get(path) {
            Some(&offset) => Location::at(&self.file, &self.source, offset),
            None => Location::file(&self.file),
        }
    }
}

fn collect(table: &toml::de::DeTable<'_>, prefix: &str, out: &mut HashMap<String, usize>) {
    for (key, value) in table.iter() {
        let path =
            if prefix.is_empty() { key.get_ref().to_string() } else { format!("{prefix}.{}", key.get_ref()) };
        out.insert(path.clone(), key.span().start);
        if let toml::de::DeValue::Table(inner) = value.get_ref() {
            collect(inner, &path, out);
        }
    }
}

/// Validates every key of `table` (a whole file) against the registry, reporting every
/// independent mistake (up to [`MAX_INPUTS`]) in the order of the file.
pub(crate) fn check_file(table: &toml::Table, spans: &Spans) -> Result<()> {
    let mut errors = Vec::new();
    walk(table, &mut Vec::new(), spans, &mut errors);
    let more = errors.len() > MAX_INPUTS;
    errors.truncate(MAX_INPUTS);
    errors.sort_by_key(|e| match e {
        Error::Input { location, .. } => (location.line, location.column),
        _ => (None, None),
    });
    if more {
        errors.push(Error::input(
            Location::file(&spans.file),
            None,
            format!("more mistakes may follow these {MAX_INPUTS}; fix them and check again"),
        ));
    }
    Error::inputs(errors).map_or(Ok(()), Err)
}

/// Checks the keys of a table, adding each mistake to `errors`: a key at fault is not looked into,
/// and the walk stops once more than [`MAX_INPUTS`] are found.
fn walk(table: &toml::Table, path: &mut Vec<String>, spans: &Spans, errors: &mut Vec<Error>) {
    for (key, value) in table {
        if errors.len() > MAX_INPUTS {
            return;
        }
        path.push(key.clone());
        let parts: Vec<&str> = path.iter().map(String::as_str).collect();
        let dotted = parts.join(".");
        let error = |message: String| Error::input(spans.locate(&dotted), Some(&dotted), message);
        let member = parts.len() == 2 && ["populations", "venues"].contains(&parts[0]);
        let named = if member { check_name(key) } else { Ok(()) };
        if let Err(m) = named {
            errors.push(error(m));
        } else if let Some(param) = params::lookup(&parts) {
            if let Err(m) = check_dotted_key(param, key, value).and_then(|()| check_value(param, value)) {
                errors.push(error(m));
            }
        } else if params::is_table(&parts) {
            match value {
                toml::Value::Table(inner) => walk(inner, path, spans, errors),
                other => errors.push(error(format!("expected a table, found {}", type_of(other)))),
            }
        } else {
            // A venue's kind, when it is one, narrows the keys that are allowed.
            let kind = if parts.len() == 3 && parts[0] == "venues" {
                table.get("kind").and_then(toml::Value::as_str)
            } else {
                None
            };
            errors.push(unknown_key_of(&parts, spans.locate(&dotted), kind));
        }
        path.pop();
    }
}

/// Keys as other tools name them (SALib, the sensitivity literature), with olika's key for each.
const OTHER_NAMES: [(&str, &str); 3] =
    [("trajectories", "samples"), ("base_samples", "samples"), ("num_levels", "levels")];

/// The error for a key the registry does not know, with the valid key it most likely means: the
/// one another tool's name stands for, else the nearest in spelling when one is close.
pub(crate) fn unknown_key(parts: &[&str], location: Location) -> Error {
    unknown_key_of(parts, location, None)
}

/// [`unknown_key`] in a venue of a known `kind`: only the keys of that kind (and those every venue
/// takes) are suggested and listed.
fn unknown_key_of(parts: &[&str], location: Location, kind: Option<&str>) -> Error {
    if params::is_table(parts) {
        let dotted = parts.join(".");
        return Error::input(
            location,
            Some(&dotted),
            format!(
                "`{dotted}` is a table, not a value; set one of its keys: {}",
                params::children(parts).join(", ")
            ),
        );
    }
    // Blame the first component that leads nowhere (`needs` in `populations.civil.needs.mean`).
    let known = (1..parts.len()).take_while(|&i| params::is_table(&parts[..i])).count();
    let (parent, key) = parts[..=known].split_at(known);
    let mut siblings = params::children(parent);
    if let Some(kind) = kind.filter(|k| parent.len() == 2 && params::venue_kinds().contains(k)) {
        siblings.retain(|key| params::venue_takes(kind, key));
    }
    let dotted = parts.join(".");
    let mut message = format!("unknown key `{}`", key[0]);
    let other = OTHER_NAMES.iter().find(|(name, own)| *name == key[0] && siblings.contains(own));
    if let Some(near) = other.map(|&(_, own)| own).or_else(|| params::nearest(key[0], &siblings)) {
        message.push_str(&format!("; did you mean `{near}`?"));
    }
    if siblings.is_empty() {
        message.push_str(" (this table takes no keys)");
    } else {
        message.push_str(&format!(" (allowed here: {})", siblings.join(", ")));
    }
    message.push_str("; `olika params` lists every parameter");
    Error::input(location, Some(&dotted), message)
}

fn type_of(value: &toml::Value) -> &'static str {
    match value {
        toml::Value::String(_) => "a string",
        toml::Value::Integer(_) => "an integer",
        toml::Value::Float(_) => "a float",
        toml::Value::Boolean(_) => "a boolean",
        toml::Value::Datetime(_) => "a date",
        toml::Value::Array(_) => "an array",
        toml::Value::Table(_) => "a table",
    }
}

/// Checks one value against its parameter's kind and range; the message says what is allowed.
pub(crate) fn check_value(param: &Param, value: &toml::Value) -> std::result::Result<(), String> {
    match (param.domain, value) {
        (Domain::Float { min, max }, toml::Value::Float(_) | toml::Value::Integer(_)) => {
            let x = value.as_float().unwrap_or_else(|| value.as_integer().unwrap_or(0) as f64);
            if !x.is_finite() {
                return Err(format!("{x} is not a finite number; allowed: {}", param.domain.range()));
            }
            if x < min || x > max {
                return Err(format!("{x} is out of range; allowed: {}", param.domain.range()));
            }
            Ok(())
        }
        (Domain::Int { min, max }, toml::Value::Integer(x)) => {
            if *x < min || *x > max {
                return Err(format!("{x} is out of range; allowed: {}", param.domain.range()));
            }
            Ok(())
        }
        (Domain::Bool, toml::Value::Boolean(_)) => Ok(()),
        (Domain::Text, toml::Value::String(text)) => check_text(param, text),
        (Domain::Choice(words), toml::Value::String(s)) => check_word(s, words),
        (Domain::List(words), toml::Value::Array(items)) => check_words(items, words),
        (Domain::Mix, toml::Value::String(s)) => check_word(s, &["open", "balanced"])
            .map_err(|m| format!("{m}, or a table {{ only = [sectors] }}")),
        (Domain::Mix, toml::Value::Table(t)) => check_only(t),
        (Domain::Sweep, toml::Value::Array(items)) if items.is_empty() => {
            Err("the list of values is empty; give at least one value".into())
        }
        (Domain::Sweep, toml::Value::Array(_)) => Ok(()),
        (Domain::Sweep, toml::Value::Table(t)) => check_range(t, &["min", "max", "steps"]),
        (Domain::Prior, toml::Value::Array(items)) if items.len() < 2 => {
            Err("a prior over a list needs at least two values to choose between".into())
        }
        (Domain::Prior, toml::Value::Array(_)) => Ok(()),
        (Domain::Prior, toml::Value::Table(t)) => check_prior(t),
        (Domain::Target, toml::Value::Table(t)) => check_target(t),
        _ => Err(format!("expected {}, found {}", param.domain.type_name(), type_of(value))),
    }
}

/// The keys of a swept range or a prior.
const RANGE_KEYS: [&str; 4] = ["min", "max", "steps", "log"];

/// An unquoted dotted path among swept, searched or calibrated parameters
/// (`venues.village_hub.every = [1, 3]`), which TOML reads as tables nested in one another: the
/// message shows the quoted path the user meant.
fn check_dotted_key(param: &Param, key: &str, value: &toml::Value) -> std::result::Result<(), String> {
    let (Domain::Sweep | Domain::Prior, toml::Value::Table(table)) = (param.domain, value) else {
        return Ok(());
    };
    // A range's keys hold numbers; a list or a table under another key is a parameter's.
    let nested =
        |(k, v): (&String, &toml::Value)| !RANGE_KEYS.contains(&k.as_str()) && (v.is_table() || v.is_array());
    if !table.iter().any(nested) {
        return Ok(());
    }
    let mut leaves = Vec::new();
    dotted_leaves(key, table, &mut leaves);
    let quoted: Vec<String> = leaves.iter().map(|(path, value)| format!("\"{path}\" = {value}")).collect();
    Err(format!(
        "`{key}` is not a parameter: TOML reads an unquoted dotted path as nested tables; quote the dotted path: {}",
        quoted.join(", ")
    ))
}

/// The dotted paths and values of a table's leaves, a range or a prior counting as one.
fn dotted_leaves(prefix: &str, table: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (key, value) in table {
        let path = format!("{prefix}.{key}");
        match value {
            toml::Value::Table(inner) if inner.keys().any(|k| !RANGE_KEYS.contains(&k.as_str())) => {
                dotted_leaves(&path, inner, out)
            }
            _ => out.push((path, value.clone())),
        }
    }
}

/// Free text. Names reach SVG and GraphML, which cannot hold control characters; a description
/// may keep its line breaks and tabs.
fn check_text(param: &Param, text: &str) -> std::result::Result<(), String> {
    let allowed = |c: char| param.path != "name" && (c == '\n' || c == '\t');
    match text.chars().find(|&c| is_hidden(c) && !allowed(c)) {
        Some(c) => Err(format!("contains the control character {c:?}; remove it")),
        None => Ok(()),
    }
}

/// A list of words, each one of `allowed`.
fn check_words(items: &[toml::Value], allowed: &[&str]) -> std::result::Result<(), String> {
    for item in items {
        match item {
            toml::Value::String(s) => check_word(s, allowed)?,
            other => return Err(format!("expected a list of strings, found {} in it", type_of(other))),
        }
    }
    Ok(())
}

/// A venue's `mix = { only = [sectors] }`.
fn check_only(t: &toml::Table) -> std::result::Result<(), String> {
    if let Some(key) = t.keys().find(|k| *k != "only") {
        return Err(format!("unknown key `{key}` in mix; allowed: only"));
    }
    match t.get("only") {
        Some(toml::Value::Array(items)) if !items.is_empty() => {
            for item in items {
                match item {
                    toml::Value::String(s) => check_word(s, params::SECTORS)?,
                    other => return Err(format!("`only` takes sector names, found {}", type_of(other))),
                }
            }
            Ok(())
        }
        _ => Err("mix = { only = [...] } needs a non-empty list of sectors".into()),
    }
}

/// A swept range `{ min, max, steps }` (or a prior's, with the keys `allowed`).
fn check_range(t: &toml::Table, allowed: &[&str]) -> std::result::Result<(), String> {
    if let Some(key) = t.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(format!("unknown key `{key}` in a range; allowed: {}", allowed.join(", ")));
    }
    let number = |k: &str| t.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    match (number("min"), number("max")) {
        (Some(min), Some(max)) if min > max => return Err(format!("min {min} is greater than max {max}")),
        (Some(_), Some(_)) => {}
        _ => return Err("a range needs numbers `min` and `max`".into()),
    }
    if let Some(steps) = t.get("steps") {
        let most = super::sweep::MAX_POINTS as i64;
        if steps.as_integer().is_none_or(|s| !(1..=most).contains(&s)) {
            return Err(format!("`steps` must be an integer from 1 to {most}"));
        }
    }
    Ok(())
}

/// A prior's range `{ min, max, log }`: of positive width, and above zero in the logarithm.
fn check_prior(t: &toml::Table) -> std::result::Result<(), String> {
    check_range(t, &["min", "max", "log"])?;
    let number = |k: &str| t.get(k).and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    let (min, max) = (number("min").unwrap_or(0.0), number("max").unwrap_or(0.0));
    if min >= max {
        return Err(format!("the prior's range [{min}, {max}] is empty; give min < max (fix a parameter in the scenario instead of calibrating it)"));
    }
    match t.get("log") {
        None => Ok(()),
        Some(toml::Value::Boolean(log)) if *log && min <= 0.0 => {
            Err(format!("a log-uniform prior needs min > 0; found {min}"))
        }
        Some(toml::Value::Boolean(_)) => Ok(()),
        Some(other) => Err(format!("`log` is true or false, found {}", type_of(other))),
    }
}

/// An observed target: `{ value, sd }` or `{ file, sd }`, sd above zero.
fn check_target(t: &toml::Table) -> std::result::Result<(), String> {
    if let Some(key) = t.keys().find(|k| !["value", "file", "sd"].contains(&k.as_str())) {
        return Err(format!("unknown key `{key}` in a target; allowed: value, file, sd"));
    }
    let number = |k: &str| t.get(k).map(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)));
    match (number("value"), t.get("file")) {
        (Some(Some(value)), None) if value.is_finite() => {}
        (Some(_), None) => return Err("`value` must be a finite number".into()),
        (None, Some(toml::Value::String(_))) => {}
        (None, Some(other)) => return Err(format!("`file` is the name of a CSV file, found {}", type_of(other))),
        (Some(_), Some(_)) => return Err("give `value` (a run's metric) or `file` (a series), not both".into()),
        (None, None) => {
            return Err("a target needs `value` and `sd` (a metric per run, e.g. { value = 12, sd = 3 }) or `file` (a series over steps, e.g. { file = \"adopters.csv\" })".into())
        }
    }
    match number("sd") {
        Some(Some(sd)) if sd > 0.0 && sd.is_finite() => Ok(()),
        Some(_) => Err("`sd` must be a number above 0".into()),
        None if t.contains_key("file") => Ok(()),
        None => Err(
            "a target's value needs `sd`: how far from it a simulated mean may lie and still count as close"
                .into(),
        ),
    }
}

/// A population or venue name: it names files' rows, chart labels and GraphML nodes, so it may not
/// hold control characters.
pub(crate) fn check_name(name: &str) -> std::result::Result<(), String> {
    match name.chars().find(|&c| is_hidden(c)) {
        Some(c) => Err(format!("the name contains the control character {c:?}; remove it")),
        None => Ok(()),
    }
}

/// A character that text may not hold: a control character (SVG and GraphML cannot hold them) or
/// a Unicode bidirectional control (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069), which
/// reorders how the text around it reads in a report or a terminal without being seen itself.
fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn check_word(word: &str, allowed: &[&str]) -> std::result::Result<(), String> {
    if allowed.contains(&word) {
        return Ok(());
    }
    let mut message = format!("\"{word}\" is not allowed; allowed: {}", allowed.join(", "));
    if let Some(near) = params::nearest(word, allowed) {
        message.push_str(&format!(" (did you mean \"{near}\"?)"));
    }
    Err(message)
}
