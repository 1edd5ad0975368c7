//! Defaults: the registry's for every key a scenario does not set, and those that depend on a
//! member — a population's (by its sector) and a venue's (by its kind, whose own keys only it
//! takes).

use super::resolve::{insert_path, Provenance};
use super::{params, Sector};
use crate::error::{Error, Result};

/// Keys that direct the loading (`extends`, `replace`) and are not part of the resolved scenario.
const DIRECTIVES: [&str; 2] = ["extends", "replace"];

/// The registry's default of every key outside the populations and venues (whose defaults depend
/// on each member: `fill`) and outside `[sweep]` and `[optimize]`, which exist only where a file
/// writes them.
pub(super) fn registry() -> toml::Table {
    let mut table = toml::Table::new();
    for param in params::all().iter().filter(|p| {
        !p.path.contains('*')
            && !DIRECTIVES.contains(&p.path)
            && !p.path.starts_with("sweep.")
            && !p.path.starts_with("optimize.")
            && !p.path.starts_with("calibrate.")
    }) {
        if let Some(default) = params::default_for(param, None) {
            insert_path(&mut table, param.path, literal(default));
        }
    }
    table
}

/// Population defaults depend on the sector, venue defaults apply per venue: fill them in, once
/// each population has a sector and each venue a kind that takes all its keys.
pub(super) fn fill(merged: &mut toml::Table, provenance: &Provenance) -> Result<()> {
    for group in ["populations", "venues"] {
        let Some(toml::Value::Table(members)) = merged.get_mut(group) else {
            continue;
        };
        for (name, member) in members.iter_mut() {
            let table = member.as_table_mut().expect("validated as a table");
            let sector = if group == "populations" {
                Some(sector(table, name, provenance)?)
            } else {
                check_kind(table, name, provenance)?;
                None
            };
            fill_member(group, table, sector);
        }
    }
    Ok(())
}

/// A population's sector: the one it names, else its own name when that is a sector, written into
/// its table.
fn sector(table: &mut toml::Table, name: &str, provenance: &Provenance) -> Result<Sector> {
    let sector = match table.get("sector").and_then(|v| v.as_str()) {
        Some(s) => s.to_string(),
        None if params::SECTORS.contains(&name) => name.to_string(),
        None => {
            let base = format!("populations.{name}");
            return Err(Error::input(
                provenance.locate(&base),
                Some(&format!("{base}.sector")),
                format!("population `{name}` needs a sector: public, private or civil"),
            ));
        }
    };
    table.insert("sector".into(), toml::Value::String(sector.clone()));
    Ok(Sector::parse(&sector).expect("validated"))
}

/// Checks that a venue has a kind, and sets no key of another kind.
fn check_kind(table: &toml::Table, name: &str, provenance: &Provenance) -> Result<()> {
    let base = format!("venues.{name}");
    let Some(kind) = table.get("kind").and_then(|v| v.as_str()) else {
        return Err(Error::input(
            provenance.locate(&base),
            Some(&format!("{base}.kind")),
            format!("venue `{name}` needs a kind: {}", params::venue_kinds().join(", ")),
        ));
    };
    for key in table.keys() {
        let param = params::lookup(&["venues", name, key]);
        if let Some(p) = param.filter(|p| !p.venue_kinds.is_empty() && !p.venue_kinds.contains(&kind)) {
            let path = format!("{base}.{key}");
            return Err(Error::input(
                provenance.locate(&path),
                Some(&path),
                format!(
                    "`{key}` applies only to {} venues, and `{name}` is a {kind}",
                    p.venue_kinds.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The registry's defaults of the keys a member of `group` does not set (a population's by its
/// `sector`).
fn fill_member(group: &str, table: &mut toml::Table, sector: Option<Sector>) {
    let kind = table.get("kind").and_then(|v| v.as_str()).unwrap_or("").to_string();
    for param in params::all().iter().filter(|p| p.path.starts_with(&format!("{group}.*."))) {
        // Keys of other venue kinds stay out of the resolved scenario, so that it reads (and
        // loads) as a valid scenario file.
        if !param.venue_kinds.is_empty() && !param.venue_kinds.contains(&kind.as_str()) {
            continue;
        }
        let rest = &param.path[group.len() + 3..];
        let mut cursor: &mut toml::Table = table;
        let parts: Vec<&str> = rest.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            cursor = cursor
                .entry(*part)
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .expect("validated as a table");
        }
        let leaf = parts[parts.len() - 1];
        if !cursor.contains_key(leaf) {
            if let Some(default) = params::default_for(param, sector) {
                cursor.insert(leaf.to_string(), literal(default));
            }
        }
    }
}

/// A registry default, written as TOML in the registry, as a value.
fn literal(text: &str) -> toml::Value {
    let table: toml::Table =
        toml::from_str(&format!("v = {text}")).expect("registry defaults are valid TOML");
    table["v"].clone()
}

#[cfg(test)]
mod tests {
    use crate::scenario::*;

    #[test]
    fn minimal_population_gets_sector_defaults() {
        let r = load_str("t.toml", "[populations.civil]\ncount = 40\n", &[]).unwrap();
        let civil = &r.scenario.populations["civil"];
        assert_eq!(civil.sector, Sector::Civil);
        assert_eq!(civil.count, 40);
        assert!(civil.need.mean > 0.5, "civil need insight defaults high (C3)");
        assert_eq!(r.scenario.steps, 120);
    }

    #[test]
    fn venue_keys_must_fit_the_kind() {
        let src = "[populations.civil]\ncount = 4\n[venues.talk]\nkind = \"seminar\"\ngroup_size = 4\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        assert!(err.starts_with("t.toml:5:1") && err.contains("applies only to workshop"), "{err}");
    }
}
