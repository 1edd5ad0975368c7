//! An `extends` chain merged into one scenario: the registry's defaults, the files laid over them
//! base first, the `--set` overrides, then the defaults that depend on a population's sector or a
//! venue's kind; where each key was last set is kept, so that a mistake found only after merging
//! (a wrong type, an inconsistency) still names its file, line and column. The typed scenario is
//! made from the merged table here, and so is a sweep's point (`apply`).

use std::collections::HashMap;
use std::path::Path;

use super::load::Source;
use super::validate::Spans;
use super::{
    calibrate, consistency, defaults, optimize, set, sweep, Assignment, Resolved, Scenario, Validated,
};
use crate::error::{Error, Location, Result};

/// Who set a key: a file (its line and column are found only when an error needs them, since
/// finding them costs a scan of the file), or a `--set` override.
enum Setter<'a> {
    File(&'a Spans),
    Override(Location),
}

/// Where each resolved key was last set: for errors found after merging.
pub(super) struct Provenance<'a> {
    set_by: HashMap<String, Setter<'a>>,
    top: &'a str,
}

impl<'a> Provenance<'a> {
    /// Nothing set yet; a key set nowhere is blamed on `top`, the named file.
    fn new(top: &'a str) -> Self {
        Provenance { set_by: HashMap::new(), top }
    }

    /// `path` was last set by an override (`--set`, a sweep's point) shown as `location`.
    pub(super) fn overridden(&mut self, path: &str, location: Location) {
        self.set_by.insert(path.to_string(), Setter::Override(location));
    }

    /// Where `path` was last set.
    pub(super) fn locate(&self, path: &str) -> Location {
        // A key set nowhere came from a default; blame its nearest set ancestor, else the named file.
        let mut probe = path;
        loop {
            match self.set_by.get(probe) {
                Some(Setter::File(spans)) => return spans.locate(probe),
                Some(Setter::Override(location)) => return location.clone(),
                None => {}
            }
            match probe.rfind('.') {
                Some(i) => probe = &probe[..i],
                None => return Location::file(self.top),
            }
        }
    }
}

/// The resolved scenario of a chain of files, base first, with `overrides` (`path=value`) applied;
/// `default_name` names it when the last file does not, and a table design's file is looked for
/// in `dir`.
pub(super) fn resolve(
    chain: Vec<Source>,
    overrides: &[String],
    default_name: String,
    dir: &Path,
) -> Result<Resolved> {
    let top = chain.last().map(|s| s.spans.file.clone()).unwrap_or_default();
    let mut provenance = Provenance::new(&top);
    let mut merged = merge(&chain, default_name, &mut provenance);
    for assignment in overrides {
        set::apply(&mut merged, assignment, &mut provenance)?;
    }
    // `[sweep]`, `[optimize]` and `[calibrate]` are checked against the scenario without them, and
    // each sweep point starts from it (`base`); the printed scenario has them back.
    let sweep_table = merged.remove("sweep");
    let optimize_table = merged.remove("optimize");
    let calibrate_table = merged.remove("calibrate");
    defaults::fill(&mut merged, &provenance)?;
    let scenario = typed(&merged, &provenance)?;
    let base = merged.clone();
    let locate = |path: &str| provenance.locate(path);
    let sweep = match &sweep_table {
        Some(toml::Value::Table(t)) => Some(sweep::parse(t, &scenario, &locate, dir)?),
        _ => None,
    };
    let optimize = match &optimize_table {
        Some(toml::Value::Table(t)) => Some(optimize::parse(t, &scenario, &locate)?),
        _ => None,
    };
    let calibrate = match &calibrate_table {
        Some(toml::Value::Table(t)) => Some(calibrate::parse(t, &scenario, &locate, dir)?),
        _ => None,
    };
    merged.extend(sweep_table.map(|t| ("sweep".to_string(), t)));
    merged.extend(optimize_table.map(|t| ("optimize".to_string(), t)));
    merged.extend(calibrate_table.map(|t| ("calibrate".to_string(), t)));
    let toml = toml::to_string(&merged).map_err(|e| Error::Run(format!("cannot print the scenario: {e}")))?;
    Ok(Resolved {
        scenario,
        toml,
        base,
        sweep,
        optimize,
        calibrate,
        sources: chain.iter().rev().map(|s| s.spans.file.clone()).collect(),
        overrides: overrides.to_vec(),
    })
}

/// The registry's defaults with the chain's files laid over them, base first, and the scenario's
/// name.
fn merge<'a>(chain: &'a [Source], default_name: String, provenance: &mut Provenance<'a>) -> toml::Table {
    let mut merged = defaults::registry();
    for source in chain {
        let mut table = source.table.clone();
        table.remove("extends");
        if let Some(toml::Value::Array(keys)) = table.remove("replace") {
            for key in keys.iter().filter_map(|k| k.as_str()) {
                merged.remove(key);
            }
        }
        overlay(&mut merged, table, "", &source.spans, &mut provenance.set_by);
    }
    // The name defaults to the named file's own name, not to the name of the scenario it extends.
    if !chain.last().is_some_and(|s| s.table.contains_key("name")) {
        merged.insert("name".into(), toml::Value::String(default_name));
    }
    merged
}

/// A resolved scenario table with some parameters set to other values: a sweep's point. The values
/// are checked one by one where the sweep is read; here the consistency of the whole is checked.
pub fn apply(base: &toml::Table, assignments: &[Assignment], name: &str) -> Result<Validated> {
    let mut table = base.clone();
    let mut provenance = Provenance::new(name);
    for Assignment { path, value } in assignments {
        insert_path(&mut table, path, value.to_toml());
        provenance.overridden(path, Location::file(name));
    }
    typed(&table, &provenance)
}

/// The typed scenario of a resolved table, with the constraints between its values checked.
fn typed(table: &toml::Table, provenance: &Provenance) -> Result<Validated> {
    let scenario: Scenario =
        serde_path_to_error::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
            let path = e.path().to_string();
            Error::input(provenance.locate(&path), Some(&path), e.inner().to_string())
        })?;
    consistency::check(&scenario, &|path| provenance.locate(path))?;
    Ok(Validated::checked(scenario))
}

/// Sets the value at a dotted path, making the tables on the way.
pub(super) fn insert_path(table: &mut toml::Table, path: &str, value: toml::Value) {
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().expect("non-empty path");
    let mut current = table;
    for part in parts {
        current = current
            .entry(part)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()))
            .as_table_mut()
            .expect("registry tables are tables");
    }
    current.insert(last.to_string(), value);
}

/// Deep merge: tables merge key by key, everything else replaces (a parameter whose value is a
/// table, a venue's `mix = { only = [...] }`, is replaced whole). Records where each key was set.
fn overlay<'a>(
    into: &mut toml::Table,
    from: toml::Table,
    prefix: &str,
    spans: &'a Spans,
    set_by: &mut HashMap<String, Setter<'a>>,
) {
    for (key, value) in from {
        let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        set_by.insert(path.clone(), Setter::File(spans));
        let is_param = super::params::lookup(&path.split('.').collect::<Vec<_>>()).is_some();
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(existing)), toml::Value::Table(inner)) if !is_param => {
                overlay(existing, inner, &path, spans, set_by)
            }
            (_, toml::Value::Table(inner)) if !is_param => {
                let mut fresh = toml::Table::new();
                overlay(&mut fresh, inner, &path, spans, set_by);
                into.insert(key, toml::Value::Table(fresh));
            }
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::*;
    use std::path::Path;

    #[test]
    fn resolved_scenario_loads_back_to_itself() {
        let strategy = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/strategies/seminar_series.toml");
        let first = load(&strategy, &["trust.gain=0.3".into()]).unwrap();
        assert!(!first.toml.contains("group_size"), "keys of other venue kinds are left out");
        let again = load_str("resolved.toml", &first.toml, &[]).unwrap();
        assert_eq!(again.toml, first.toml);
    }
}
