//! Scenario files and their `extends` chains, read from disk or from the library embedded in the
//! binary, each file parsed and checked key by key on its own (so that a mistake is reported in
//! the file that makes it) before `resolve` merges the chain.

use std::path::{Path, PathBuf};

use super::resolve::resolve;
use super::validate::{self, Spans};
use super::{library, Resolved, BASELINE, BASELINE_NAME};
use crate::error::{Error, Location, Result};

/// The most populations, and the most venues, of a scenario.
pub(crate) const MAX_MEMBERS: usize = 1000;

/// The largest scenario file read: a scenario is a few kilobytes.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// One file of an `extends` chain.
pub(super) struct Source {
    pub(super) table: toml::Table,
    pub(super) spans: Spans,
}

/// Loads a scenario file with its `extends` chain and applies `--set` overrides.
pub fn load(path: &Path, overrides: &[String]) -> Result<Resolved> {
    let mut chain = Vec::new();
    read_chain(&Disk, path, &mut chain, &mut Vec::new())?;
    resolve(chain, overrides, stem(path), path.parent().unwrap_or(Path::new(".")))
}

/// Loads a scenario by what a user typed: a file when one exists at that path, else a scenario of
/// the library embedded in the binary (`hub`, `strategies/hub.toml`; `olika scenarios` lists them).
pub(crate) fn load_named(arg: &Path, overrides: &[String]) -> Result<Resolved> {
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
pub(super) trait Files {
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
    if let Some((files, parent)) = extends_target(&Disk, &table, name, source, Path::new("."))? {
        read_chain(files, &parent, &mut chain, &mut Vec::new())?;
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
    files: &'static dyn Files,
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
    if let Some((parent_files, parent)) = extends_target(files, &table, &shown, &source, dir)? {
        read_chain(parent_files, &parent, chain, visiting).map_err(|e| extended_by(e, &shown))?;
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
        Error::Inputs(errors) => Error::Inputs(errors.into_iter().map(|e| extended_by(e, file)).collect()),
        other => other,
    }
}

/// Where a file's `extends` leads: a file at that path (relative to the extending file) when there
/// is one, else the scenario built in of that name (`baseline`, `hub`, `strategies/hub.toml`), so
/// that a scenario started from `olika scenarios show` runs wherever it is saved.
fn extends_target(
    files: &'static dyn Files,
    table: &toml::Table,
    file: &str,
    source: &str,
    dir: &Path,
) -> Result<Option<(&'static dyn Files, PathBuf)>> {
    let Some(toml::Value::String(target)) = table.get("extends") else {
        return Ok(None);
    };
    let path = dir.join(target);
    let Some(what) = files.problem(&path) else {
        return Ok(Some((files, path)));
    };
    if let Some(shipped) = library::find(target) {
        return Ok(Some((&library::Library, PathBuf::from(shipped))));
    }
    let mut message =
        format!("the extended scenario {} {what}, and no scenario built in has this name", path.display());
    if let Some(near) = library::nearest(target) {
        message.push_str(&format!("; did you mean \"{near}\"?"));
    }
    message.push_str(" (`olika scenarios` lists the scenarios built in)");
    Err(Error::input(Spans::new(file, source).locate("extends"), Some("extends"), message))
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

#[cfg(test)]
mod tests {
    use crate::scenario::*;

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
    fn mix_takes_words_or_only_table() {
        let src =
            "[populations.civil]\ncount = 4\n[venues.w]\nkind = \"workshop\"\nmix = { only = [\"civil\"] }\n";
        let r = load_str("t.toml", src, &[]).unwrap();
        assert_eq!(r.scenario.venues["w"].mix, Mix::Only(vec![Sector::Civil]));
        let bad = src.replace("civil\"] }", "civic\"] }");
        assert!(load_str("t.toml", &bad, &[]).unwrap_err().to_string().contains("did you mean \"civil\""));
    }

    #[test]
    fn an_unquoted_dotted_parameter_path_is_shown_quoted() {
        for section in ["sweep", "optimize", "calibrate"] {
            let src =
                format!("[populations.civil]\ncount = 4\n[{section}.parameters]\ntrust.gain = [0.1, 0.2]\n");
            let err = load_str("t.toml", &src, &[]).unwrap_err().to_string();
            assert!(err.starts_with("t.toml:4:1"), "{err}");
            assert!(err.contains("quote the dotted path: \"trust.gain\" = [0.1, 0.2]"), "{section}: {err}");
        }
        // A range's own mistakes keep their message.
        let src = "[populations.civil]\ncount = 4\n[sweep.parameters]\nhomophily = { min = 0, mx = 3 }\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        assert!(err.contains("unknown key `mx` in a range"), "{err}");
    }

    #[test]
    fn a_venue_lists_only_its_kinds_keys() {
        let src = "[populations.civil]\ncount = 4\n[venues.w]\nkind = \"workshop\"\nevry = 3\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        let allowed = err.split("allowed here: ").nth(1).and_then(|s| s.split(')').next()).unwrap();
        let allowed: Vec<&str> = allowed.split(", ").collect();
        assert!(err.contains("did you mean `every`"), "{err}");
        assert!(allowed.contains(&"every") && allowed.contains(&"kind"), "{err}");
        for key in &allowed {
            assert!(params::venue_takes("workshop", key), "{key}: {err}");
        }
        // `mingle` is a key of seminars, hubs and open venues, not of workshops.
        assert!(!allowed.contains(&"mingle"), "{err}");
        // Without a kind, every venue key is listed.
        let err = load_str("t.toml", &src.replace("kind = \"workshop\"\n", ""), &[]).unwrap_err().to_string();
        assert!(err.contains("mingle"), "{err}");
    }

    #[test]
    fn baseline_resolves() {
        let r = baseline(&[]).unwrap();
        assert_eq!(r.scenario.name, "baseline");
        assert!(!r.scenario.venues.is_empty());
    }
}
