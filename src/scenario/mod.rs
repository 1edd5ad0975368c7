//! Scenario files: TOML with documented defaults, `extends` overlays, `--set` overrides, and
//! validation that names the file, line, column and key of every mistake.
//!
//! Resolution order: registry defaults ← the `extends` chain, base first ← the file ← `--set`, then
//! per-population defaults (which depend on the sector) and per-venue defaults are filled in.

pub mod library;
pub mod optimize;
mod overrides;
pub mod params;
mod scale;
pub mod sweep;
pub mod validate;
mod value;

pub use overrides::Overrides;
pub use scale::scaled;
pub use value::{Assignment, Value};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
pub use crate::model::{
    DiffusionParams, InnovationParams, IntRange, Mix, Mixing, Population, Scenario, Sector, Setting,
    TraitDist, TrustParams, Validated, VenueKind, VenueSpec,
};
use validate::Spans;

/// The embedded baseline scenario, run by `olika run` without a file.
pub const BASELINE: &str = include_str!("../../scenarios/baseline.toml");
/// The name under which the embedded baseline appears in messages.
pub const BASELINE_NAME: &str = "baseline.toml (embedded)";

/// A scenario after `extends`, `--set` and defaults: the typed scenario, its resolved TOML text (what
/// `olika check` prints and the plan hash covers), and where it came from.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The typed, validated scenario.
    pub scenario: Validated,
    /// The resolved scenario as TOML, with its `[sweep]` section if it has one.
    pub toml: String,
    /// The resolved scenario without `[sweep]`: what each point of a sweep starts from.
    pub base: toml::Table,
    /// The checked `[sweep]` section, if it has one.
    pub sweep: Option<sweep::SweepSpec>,
    /// The checked `[optimize]` section, if it has one.
    pub optimize: Option<optimize::OptimizeSpec>,
    /// The files read, the named file first.
    pub sources: Vec<String>,
    /// The `--set` overrides applied, as given (`path=value`).
    pub overrides: Vec<String>,
}

const DIRECTIVES: [&str; 2] = ["extends", "replace"];

/// The most populations, and the most venues, of a scenario.
pub const MAX_MEMBERS: usize = 1000;

/// The largest scenario file read: a scenario is a few kilobytes.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// One file of an `extends` chain.
struct Source {
    table: toml::Table,
    spans: Spans,
}

/// Loads a scenario file with its `extends` chain and applies `--set` overrides.
pub fn load(path: &Path, overrides: &[String]) -> Result<Resolved> {
    let mut chain = Vec::new();
    read_chain(&Disk, path, &mut chain, &mut Vec::new())?;
    resolve(chain, overrides, stem(path), path.parent().unwrap_or(Path::new(".")))
}

/// Loads a scenario by what a user typed: a file when one exists at that path, else a scenario of
/// the library embedded in the binary (`hub`, `strategies/hub.toml`; `olika scenarios` lists them).
pub fn load_named(arg: &Path, overrides: &[String]) -> Result<Resolved> {
    match arg.to_str().filter(|name| library::find(name).is_some() && !arg.exists()) {
        Some(name) => load_shipped(name, overrides),
        None => load(arg, overrides),
    }
}

/// Loads a scenario of the library embedded in the binary, whatever files the working folder holds
/// (validation judges the shipped scenarios, not a user's files of the same name).
pub fn load_shipped(name: &str, overrides: &[String]) -> Result<Resolved> {
    let path = library::find(name).ok_or_else(|| {
        Error::input(
            Location::file(name),
            None,
            "no shipped scenario has this name; `olika scenarios` lists them",
        )
    })?;
    let mut chain = Vec::new();
    read_chain(&library::Library, Path::new(path), &mut chain, &mut Vec::new())?;
    resolve(chain, overrides, stem(Path::new(path)), Path::new("."))
}

/// Where scenario files are read from: the file system, or the library embedded in the binary.
trait Files {
    /// The name to show and the text of a file, or an input error saying why it cannot be read.
    fn read(&self, path: &Path) -> Result<(String, String)>;
    /// Why `path` cannot be extended, if it cannot.
    fn problem(&self, path: &Path) -> Option<&'static str>;
    /// What tells two paths to one file apart from two files (for `extends` cycles).
    fn identity(&self, path: &Path) -> PathBuf;
}

/// Scenario files on disk.
struct Disk;

impl Files for Disk {
    fn read(&self, path: &Path) -> Result<(String, String)> {
        let shown = path.display().to_string();
        if let Ok((regular, size)) = std::fs::metadata(path).map(|m| (m.is_file(), m.len())) {
            let problem = if !regular {
                Some("it is not a regular file; give a scenario file".to_string())
            } else if size > MAX_FILE_BYTES {
                Some(format!("it has {size} bytes; a scenario file has at most {MAX_FILE_BYTES}"))
            } else {
                None
            };
            if let Some(problem) = problem {
                return Err(Error::input(
                    Location::file(&shown),
                    None,
                    format!("cannot read the scenario file: {problem}"),
                ));
            }
        }
        let bytes = std::fs::read(path).map_err(|e| {
            Error::input(
                Location::file(&shown),
                None,
                format!(
                    "cannot read the scenario file: {e} (`olika scenarios` lists the scenarios built in)"
                ),
            )
        })?;
        let source = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Error::input(
                Location::at(&shown, &text, offset),
                None,
                "the file is not valid UTF-8 text; save it as UTF-8",
            )
        })?;
        Ok((shown, source))
    }

    fn problem(&self, path: &Path) -> Option<&'static str> {
        if path.is_file() {
            None
        } else if path.is_dir() {
            Some("is a folder, not a scenario file")
        } else if path.exists() {
            Some("is not a regular file")
        } else {
            Some("does not exist (paths are relative to this file)")
        }
    }

    fn identity(&self, path: &Path) -> PathBuf {
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Loads a scenario from text (the embedded baseline, tests); `extends` is resolved relative to the
/// current directory.
pub fn load_str(name: &str, source: &str, overrides: &[String]) -> Result<Resolved> {
    let table = parse(name, source)?;
    let mut chain = Vec::new();
    if let Some(parent) = extends_target(&Disk, &table, name, source, Path::new("."))? {
        read_chain(&Disk, &parent, &mut chain, &mut Vec::new())?;
    }
    chain.push(Source { table, spans: Spans::new(name, source) });
    let default_name = name.split(['.', ' ']).next().unwrap_or(name).to_string();
    resolve(chain, overrides, default_name, Path::new("."))
}

/// The embedded baseline scenario.
pub fn baseline(overrides: &[String]) -> Result<Resolved> {
    load_str(BASELINE_NAME, BASELINE, overrides)
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "scenario".into(), |s| s.to_string_lossy().into_owned())
}

fn read_chain(
    files: &dyn Files,
    path: &Path,
    chain: &mut Vec<Source>,
    visiting: &mut Vec<PathBuf>,
) -> Result<()> {
    let (shown, source) = files.read(path)?;
    let canonical = files.identity(path);
    if let Some(start) = visiting.iter().position(|p| *p == canonical) {
        let cycle: Vec<String> = visiting[start..]
            .iter()
            .chain(std::iter::once(&canonical))
            .map(|p| p.display().to_string())
            .collect();
        return Err(Error::input(
            Location::file(&shown),
            Some("extends"),
            format!("`extends` forms a cycle: {}", cycle.join(" → ")),
        ));
    }
    visiting.push(canonical);
    let table = parse(&shown, &source)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    if let Some(parent) = extends_target(files, &table, &shown, &source, dir)? {
        read_chain(files, &parent, chain, visiting).map_err(|e| extended_by(e, &shown))?;
    }
    visiting.pop();
    chain.push(Source { table, spans: Spans::new(&shown, &source) });
    Ok(())
}

/// An error in an extended file, noting which file extends it.
fn extended_by(error: Error, file: &str) -> Error {
    match error {
        Error::Input { location, key, message } => Error::Input {
            location,
            key,
            message: format!("{message} (in the scenario that {file} extends)"),
        },
        other => other,
    }
}

fn extends_target(
    files: &dyn Files,
    table: &toml::Table,
    file: &str,
    source: &str,
    dir: &Path,
) -> Result<Option<PathBuf>> {
    let Some(toml::Value::String(target)) = table.get("extends") else {
        return Ok(None);
    };
    let path = dir.join(target);
    if let Some(what) = files.problem(&path) {
        return Err(Error::input(
            Spans::new(file, source).locate("extends"),
            Some("extends"),
            format!("the extended scenario {} {what}", path.display()),
        ));
    }
    Ok(Some(path))
}

/// Parses one file and checks its keys, types and ranges.
fn parse(file: &str, source: &str) -> Result<toml::Table> {
    let table: toml::Table = toml::from_str(source).map_err(|e| {
        let location = match e.span() {
            Some(span) => Location::at(file, source, span.start),
            None => Location::file(file),
        };
        Error::input(location, None, format!("invalid TOML: {}", e.message().trim()))
    })?;
    if table.is_empty() {
        return Err(Error::input(
            Location::file(file),
            None,
            "the scenario file is empty; a scenario needs at least one population, e.g. `[populations.civil] count = 40`, or `extends = \"baseline.toml\"`",
        ));
    }
    for group in ["populations", "venues"] {
        let members = table.get(group).and_then(|t| t.as_table()).map_or(0, |t| t.len());
        if members > MAX_MEMBERS {
            return Err(Error::input(
                Spans::new(file, source).locate(group),
                Some(group),
                format!("{members} {group}; a scenario has at most {MAX_MEMBERS}"),
            ));
        }
    }
    validate::check_file(&table, &Spans::new(file, source))?;
    Ok(table)
}

/// Who set a key: a file (its line and column are found only when an error needs them, since
/// finding them costs a scan of the file), or a `--set` override.
enum Setter<'a> {
    File(&'a Spans),
    Override(Location),
}

/// Where each resolved key was last set: for errors found after merging.
struct Provenance<'a> {
    set_by: HashMap<String, Setter<'a>>,
    top: &'a str,
}

impl Provenance<'_> {
    fn locate(&self, path: &str) -> Location {
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

fn resolve(chain: Vec<Source>, overrides: &[String], default_name: String, dir: &Path) -> Result<Resolved> {
    let top = chain.last().map(|s| s.spans.file.clone()).unwrap_or_default();
    let mut provenance = Provenance { set_by: HashMap::new(), top: &top };
    let mut merged = toml::Table::new();
    // `extends` and `replace` direct the loading and are not part of the resolved scenario.
    // `[sweep]` and `[optimize]` exist only where a file writes them.
    for param in params::all().iter().filter(|p| {
        !p.path.contains('*')
            && !DIRECTIVES.contains(&p.path)
            && !p.path.starts_with("sweep.")
            && !p.path.starts_with("optimize.")
    }) {
        if let Some(default) = params::default_for(param, None) {
            insert_path(&mut merged, param.path, literal(default));
        }
    }
    for source in &chain {
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
    for assignment in overrides {
        apply_set(&mut merged, assignment, &mut provenance.set_by)?;
    }
    let sweep_table = merged.remove("sweep");
    let optimize_table = merged.remove("optimize");
    fill_defaults(&mut merged, &provenance)?;
    let scenario = typed(&merged, &provenance)?;
    let print = |t: &toml::Table| {
        toml::to_string(t).map_err(|e| Error::Run(format!("cannot print the scenario: {e}")))
    };
    let base = merged.clone();
    let sweep = match &sweep_table {
        Some(toml::Value::Table(t)) => {
            Some(sweep::parse(t, &scenario, &|path| provenance.locate(path), dir)?)
        }
        _ => None,
    };
    let optimize = match &optimize_table {
        Some(toml::Value::Table(t)) => Some(optimize::parse(t, &scenario, &|path| provenance.locate(path))?),
        _ => None,
    };
    if let Some(t) = sweep_table {
        merged.insert("sweep".into(), t);
    }
    if let Some(t) = optimize_table {
        merged.insert("optimize".into(), t);
    }
    Ok(Resolved {
        scenario,
        toml: print(&merged)?,
        base,
        sweep,
        optimize,
        sources: chain.iter().rev().map(|s| s.spans.file.clone()).collect(),
        overrides: overrides.to_vec(),
    })
}

/// A resolved scenario table with some parameters set to other values: a sweep's point. The values
/// are checked one by one where the sweep is read; here the consistency of the whole is checked.
pub fn apply(base: &toml::Table, assignments: &[Assignment], name: &str) -> Result<Validated> {
    let mut table = base.clone();
    let mut provenance = Provenance { set_by: HashMap::new(), top: name };
    for Assignment { path, value } in assignments {
        insert_path(&mut table, path, value.to_toml());
        provenance.set_by.insert(path.clone(), Setter::Override(Location::file(name)));
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
    check_consistency(&scenario, &|path| provenance.locate(path))?;
    Ok(Validated::checked(scenario))
}

impl Scenario {
    /// Checks a scenario built or changed in code (by the lab's sliders, a test, a program) with
    /// the rules and messages of the file loader: every key known, every value of its type and in
    /// its range, every venue with its kind's keys, and the constraints between values. Errors name
    /// the scenario and the dotted path of the key.
    pub fn validate(self) -> Result<Validated> {
        let origin = format!("scenario {}", self.name);
        validate_scenario(&self, &origin)?;
        Ok(Validated::checked(self))
    }
}

fn validate_scenario(scenario: &Scenario, origin: &str) -> Result<()> {
    let location = |_: &str| Location::file(origin);
    let table = toml::Table::try_from(scenario)
        .map_err(|e| Error::input(Location::file(origin), None, format!("cannot be written as TOML: {e}")))?;
    validate::check_file(&table, &Spans::new(origin, ""))?;
    for (name, venue) in &scenario.venues {
        if let Some(key) = venue.kind.keys.iter().find(|k| !venue.settings.contains_key(k.path)) {
            let path = format!("venues.{name}.{}", key.path);
            return Err(Error::input(
                location(&path),
                Some(&path),
                format!("a {} venue needs `{}`", venue.kind.name, key.path),
            ));
        }
    }
    check_consistency(scenario, &location)
}

fn literal(text: &str) -> toml::Value {
    let table: toml::Table =
        toml::from_str(&format!("v = {text}")).expect("registry defaults are valid TOML");
    table["v"].clone()
}

fn insert_path(table: &mut toml::Table, path: &str, value: toml::Value) {
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

/// Deep merge: tables merge key by key, everything else replaces. Records where each key was set.
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
        let is_param = params::lookup(&path.split('.').collect::<Vec<_>>()).is_some();
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

fn apply_set(merged: &mut toml::Table, assignment: &str, set_by: &mut HashMap<String, Setter>) -> Result<()> {
    let location = Location::file(format!("--set {assignment}"));
    let Some((path, text)) = assignment.split_once('=') else {
        return Err(Error::input(location, None, "expected --set path=value, e.g. --set trust.gain=0.3"));
    };
    let path = path.trim();
    let parts: Vec<&str> = path.split('.').collect();
    let Some(param) = params::lookup(&parts) else {
        return Err(validate::unknown_key(&parts, location));
    };
    // A value is TOML (numbers, booleans, quoted strings, tables); a bare word is taken as a string.
    let text = text.trim();
    let value = toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_string()));
    validate::check_value(param, &value).map_err(|m| Error::input(location.clone(), Some(path), m))?;
    insert_path(merged, path, value);
    set_by.insert(path.to_string(), Setter::Override(location));
    Ok(())
}

/// Population defaults depend on the sector, venue defaults apply per venue: fill them in.
fn fill_defaults(merged: &mut toml::Table, provenance: &Provenance) -> Result<()> {
    for group in ["populations", "venues"] {
        let Some(toml::Value::Table(members)) = merged.get_mut(group) else {
            continue;
        };
        for (name, member) in members.iter_mut() {
            let base = format!("{group}.{name}");
            let table = member.as_table_mut().expect("validated as a table");
            let sector = if group == "populations" {
                let sector = match table.get("sector").and_then(|v| v.as_str()) {
                    Some(s) => s.to_string(),
                    None if params::SECTORS.contains(&name.as_str()) => name.clone(),
                    None => {
                        return Err(Error::input(
                            provenance.locate(&base),
                            Some(&format!("{base}.sector")),
                            format!("population `{name}` needs a sector: public, private or civil"),
                        ))
                    }
                };
                table.insert("sector".into(), toml::Value::String(sector.clone()));
                Some(Sector::parse(&sector).expect("validated"))
            } else {
                let Some(kind) = table.get("kind").and_then(|v| v.as_str()).map(str::to_string) else {
                    return Err(Error::input(
                        provenance.locate(&base),
                        Some(&format!("{base}.kind")),
                        format!("venue `{name}` needs a kind: {}", params::venue_kinds().join(", ")),
                    ));
                };
                for key in table.keys() {
                    let param = params::lookup(&[group, name, key]);
                    if let Some(p) =
                        param.filter(|p| !p.venue_kinds.is_empty() && !p.venue_kinds.contains(&kind.as_str()))
                    {
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
                None
            };
            let kind = table.get("kind").and_then(|v| v.as_str()).unwrap_or("").to_string();
            for param in params::all().iter().filter(|p| p.path.starts_with(&format!("{group}.*."))) {
                // Keys of other venue kinds stay out of the resolved scenario, so that it reads
                // (and loads) as a valid scenario file.
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
    }
    Ok(())
}

/// Constraints between parameters, checked on the typed scenario; `locate` says where a dotted
/// path was set.
fn check_consistency(s: &Scenario, locate: &dyn Fn(&str) -> Location) -> Result<()> {
    let fail = |path: &str, message: String| Err(Error::input(locate(path), Some(path), message));
    if s.trust.formal < s.trust.partner {
        return fail("trust.formal", "trust.formal must be at least trust.partner (a formal partnership needs more trust than an informal one)".into());
    }
    for (name, pop) in &s.populations {
        // In the order of the keys of a population table.
        let traits = [
            ("capital", pop.capital),
            ("initiative", pop.initiative),
            ("need", pop.need),
            ("openness", pop.openness),
            ("reach", pop.reach),
            ("rule_orientation", pop.rule_orientation),
            ("social_weight", pop.social_weight),
            ("visibility", pop.visibility),
        ];
        for (key, TraitDist { mean, sd }) in traits {
            if sd > 0.0 && sd * sd >= mean * (1.0 - mean) {
                return fail(
                    &format!("populations.{name}.{key}.sd"),
                    format!("sd {sd} is too large for mean {mean}: a Beta distribution needs sd² < mean (1 - mean); use sd < {:.3}, or sd = 0 for a constant", (mean * (1.0 - mean)).sqrt()),
                );
            }
        }
        if pop.max_partners.min > pop.max_partners.max {
            return fail(
                &format!("populations.{name}.max_partners.min"),
                "max_partners.min must not exceed max_partners.max".into(),
            );
        }
    }
    let organisations: usize = s.populations.values().map(|p| p.count).sum();
    if organisations == 0 {
        return fail(
            "populations",
            "the scenario has no organisations; add a population, e.g. `[populations.civil] count = 40`"
                .into(),
        );
    }
    let mut boost: f64 = 0.0;
    for (name, venue) in &s.venues {
        if let Err((key, message)) = (venue.kind.check)(venue, organisations) {
            return fail(&format!("venues.{name}.{key}"), message);
        }
        boost = boost.max((venue.kind.build)(venue).boost());
    }
    // The adoption probability (p b + q share) must stay a probability for every agent.
    let most = s.diffusion.external * (1.0 + boost) + s.diffusion.imitation;
    if most > 1.0 {
        return fail("diffusion.imitation", format!("diffusion.external · (1 + largest seminar boost) + diffusion.imitation = {most}, which exceeds 1; lower them"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unknown_key_names_line_and_suggestion() {
        let err =
            load_str("t.toml", "[populations.civil]\ncount = 40\n[trust]\ngian = 0.3\n", &[]).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("t.toml:4:1"), "{text}");
        assert!(text.contains("did you mean `gain`"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn out_of_range_and_wrong_type_are_located() {
        let err = load_str("t.toml", "steps = 10\nsector_distance = 1.5\n", &[]).unwrap_err().to_string();
        assert!(err.starts_with("t.toml:2:1") && err.contains("out of range"), "{err}");
        let err = load_str("t.toml", "steps = \"ten\"\n", &[]).unwrap_err().to_string();
        assert!(err.contains("expected integer, found a string"), "{err}");
    }

    #[test]
    fn set_overrides_and_is_validated() {
        let r = load_str(
            "t.toml",
            "[populations.civil]\ncount = 4\n",
            &["trust.gain=0.4".into(), "diffusion.mixing=full".into()],
        )
        .unwrap();
        assert_eq!(r.scenario.trust.gain, 0.4);
        assert_eq!(r.scenario.diffusion.mixing, Mixing::Full);
        let err = load_str("t.toml", "[populations.civil]\ncount = 4\n", &["trust.gain=2".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("--set trust.gain=2") && err.contains("out of range"), "{err}");
    }

    #[test]
    fn set_on_a_table_names_its_keys() {
        let err =
            load_str("t.toml", "[populations.civil]\ncount = 4\n", &["populations.civil.need=0.5".into()])
                .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("is a table") && text.contains("mean, sd"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn venue_keys_must_fit_the_kind() {
        let src = "[populations.civil]\ncount = 4\n[venues.talk]\nkind = \"seminar\"\ngroup_size = 4\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        assert!(err.starts_with("t.toml:5:1") && err.contains("applies only to workshop"), "{err}");
    }

    #[test]
    fn mix_takes_words_or_only_table() {
        let src =
            "[populations.civil]\ncount = 4\n[venues.w]\nkind = \"workshop\"\nmix = { only = [\"civil\"] }\n";
        let r = load_str("t.toml", src, &[]).unwrap();
        assert_eq!(r.scenario.venues["w"].mix, Mix::Only(vec![Sector::Civil]));
        let bad = src.replace("civil\"] }", "civic\"] }");
        assert!(load_str("t.toml", &bad, &[]).unwrap_err().to_string().contains("did you mean \"civil\""));
    }

    #[test]
    fn beta_sd_must_fit_the_mean() {
        let src = "[populations.civil]\ncount = 4\nneed = { mean = 0.9, sd = 0.4 }\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        assert!(err.starts_with("t.toml:3") && err.contains("too large"), "{err}");
    }

    #[test]
    fn resolved_scenario_loads_back_to_itself() {
        let strategy = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/strategies/seminar_series.toml");
        let first = load(&strategy, &["trust.gain=0.3".into()]).unwrap();
        assert!(!first.toml.contains("group_size"), "keys of other venue kinds are left out");
        let again = load_str("resolved.toml", &first.toml, &[]).unwrap();
        assert_eq!(again.toml, first.toml);
    }

    #[test]
    fn scenarios_changed_in_code_are_validated_like_files() {
        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        assert!(s.clone().validate().is_ok());
        s.homophily = -1.0;
        let err = s.clone().validate().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("homophily") && text.contains("out of range"), "{text}");
        assert_eq!(err.exit_code(), 2);

        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        let (name, workshop) =
            s.venues.iter_mut().find(|(_, v)| v.kind.name == "workshop").expect("the baseline has workshops");
        let name = name.clone();
        workshop.settings.insert("group_size".into(), Setting::Int(1));
        let text = s.clone().validate().unwrap_err().to_string();
        assert!(text.contains(&format!("venues.{name}.group_size")) && text.contains("2..1000"), "{text}");
        s.venues.get_mut(&name).unwrap().settings.remove("group_size");
        let text = s.clone().validate().unwrap_err().to_string();
        assert!(text.contains("needs `group_size`"), "{text}");

        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        s.trust.formal = 0.1;
        assert!(s.clone().validate().unwrap_err().to_string().contains("trust.formal must be at least"));
    }

    #[test]
    fn baseline_resolves() {
        let r = baseline(&[]).unwrap();
        assert_eq!(r.scenario.name, "baseline");
        assert!(!r.scenario.venues.is_empty());
    }
}
