//! The shipped scenarios, embedded in the binary: `olika run hub` runs one by name wherever olika
//! is installed, `olika scenarios` lists them, `olika scenarios show hub` prints one to start from.
//! A file at the path a user gives always wins over a name. A test keeps this list equal to the
//! files under `scenarios/`.

use std::path::{Component, Path, PathBuf};

use super::load::Files;
use crate::error::{Error, Location, Result};

/// Every shipped scenario: its path under `scenarios/`, and its text.
pub static SCENARIOS: &[(&str, &str)] = &[
    ("baseline.toml", include_str!("../../scenarios/baseline.toml")),
    ("strategies/hub.toml", include_str!("../../scenarios/strategies/hub.toml")),
    ("strategies/matchmaking_day.toml", include_str!("../../scenarios/strategies/matchmaking_day.toml")),
    ("strategies/no_venues.toml", include_str!("../../scenarios/strategies/no_venues.toml")),
    ("strategies/procurement_led.toml", include_str!("../../scenarios/strategies/procurement_led.toml")),
    ("strategies/round_tables.toml", include_str!("../../scenarios/strategies/round_tables.toml")),
    (
        "strategies/round_tables_one_sector.toml",
        include_str!("../../scenarios/strategies/round_tables_one_sector.toml"),
    ),
    ("strategies/seminar_series.toml", include_str!("../../scenarios/strategies/seminar_series.toml")),
    ("classics/axelrod.toml", include_str!("../../scenarios/classics/axelrod.toml")),
    ("classics/bass.toml", include_str!("../../scenarios/classics/bass.toml")),
    ("classics/nooteboom.toml", include_str!("../../scenarios/classics/nooteboom.toml")),
    (
        "sweeps/frequency_facilitation.toml",
        include_str!("../../scenarios/sweeps/frequency_facilitation.toml"),
    ),
    ("sweeps/homophily_distance.toml", include_str!("../../scenarios/sweeps/homophily_distance.toml")),
    ("sweeps/sensitivity_sobol.toml", include_str!("../../scenarios/sweeps/sensitivity_sobol.toml")),
    ("sweeps/trust_innovation_lhs.toml", include_str!("../../scenarios/sweeps/trust_innovation_lhs.toml")),
    ("optimize/venue_portfolio.toml", include_str!("../../scenarios/optimize/venue_portfolio.toml")),
    ("calibrations/patterns.toml", include_str!("../../scenarios/calibrations/patterns.toml")),
];

/// Every shipped present (`olika present town`): its name, and the texts of its
/// `organisations.csv` and `ties.csv` (under `scenarios/presents/NAME/`).
pub static PRESENTS: &[(&str, &str, &str)] = &[(
    "town",
    include_str!("../../scenarios/presents/town/organisations.csv"),
    include_str!("../../scenarios/presents/town/ties.csv"),
)];

/// The library's path of a scenario a user named: its path under `scenarios/` (`strategies/hub.toml`)
/// or its name (`hub`).
pub fn find(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    SCENARIOS.iter().map(|(path, _)| *path).find(|path| {
        let path = path.strip_suffix(".toml").unwrap_or(path);
        path == name || path.rsplit('/').next() == Some(name)
    })
}

/// The name `olika scenarios` lists for a library path: its file name without `.toml`, or the
/// path where another scenario has the same file name.
pub fn name(path: &'static str) -> &'static str {
    let short = path.rsplit('/').next().unwrap_or(path);
    let short = short.strip_suffix(".toml").unwrap_or(short);
    if find(short) == Some(path) {
        short
    } else {
        path
    }
}

/// The name of the built-in scenario nearest in spelling to `word`, if one is near enough to be a
/// likely typo.
pub fn nearest(word: &str) -> Option<&'static str> {
    let word = word.strip_suffix(".toml").unwrap_or(word);
    let names: Vec<&'static str> = SCENARIOS.iter().map(|(path, _)| name(path)).collect();
    super::params::nearest(word, &names)
}

/// A shipped scenario's text made to run wherever it is saved: its `extends`, a path inside the
/// library (`../baseline.toml`), becomes the name of the scenario built in (`baseline`).
pub fn standalone(path: &str, text: &str) -> String {
    let dir = Path::new(path).parent().unwrap_or(Path::new(""));
    let mut out = String::with_capacity(text.len() + 100);
    for line in text.split_inclusive('\n') {
        let target = line.trim_end().strip_prefix("extends = \"").and_then(|rest| rest.strip_suffix('"'));
        match target.and_then(|target| find(&normal(&dir.join(target)))) {
            Some(shipped) => {
                let name = name(shipped);
                out.push_str(&format!(
                    "extends = \"{name}\"  # built into olika (`olika scenarios show {name}`); a file of this name beside this one wins\n"
                ));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// The text of a library path.
pub fn text(path: &str) -> Option<&'static str> {
    SCENARIOS.iter().find(|(p, _)| *p == path).map(|(_, text)| *text)
}

/// A path inside the library with `.` and `..` resolved (`strategies/../baseline.toml` is
/// `baseline.toml`).
fn normal(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                parts.pop();
            }
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// The embedded scenarios as files: `extends` between them works as on disk.
pub(super) struct Library;

impl Files for Library {
    fn read(&self, path: &Path) -> Result<(String, String)> {
        let path = normal(path);
        match text(&path) {
            Some(text) => Ok((format!("{path} (embedded)"), text.to_string())),
            None => {
                Err(Error::input(Location::file(&path), None, "no such scenario in the library built in"))
            }
        }
    }

    fn problem(&self, path: &Path) -> Option<&'static str> {
        text(&normal(path)).is_none().then_some("is not in the library built in")
    }

    fn identity(&self, path: &Path) -> PathBuf {
        PathBuf::from(normal(path))
    }
}
