//! `olika scenarios`: the scenarios built into olika — the baseline city, the venue strategies, the
//! classics and the sweeps — each with the question it answers; `show NAME` prints one to start
//! your own from.

use std::fmt::Write as _;

use crate::error::{Error, Location, Result};
use crate::scenario::library::{self, SCENARIOS};

/// Every built-in scenario: its name, its path under `scenarios/`, and its question.
pub fn list() -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<24} {:<40} question", "name", "file");
    for (path, text) in SCENARIOS {
        let name = path.rsplit('/').next().unwrap_or(path).trim_end_matches(".toml");
        let description = toml::from_str::<toml::Table>(text)
            .ok()
            .and_then(|t| t.get("description").and_then(|d| d.as_str()).map(String::from))
            .unwrap_or_default();
        let _ = writeln!(out, "{name:<24} {path:<40} {description}");
    }
    out.push_str(
        "\nRun one by name (`olika run hub`); `olika scenarios show hub` prints it to start your own from.\n",
    );
    out
}

/// The file of a built-in scenario, ready to save anywhere: an `extends` of another built-in
/// scenario names it (`extends = "baseline"`) instead of its path in olika's repository.
pub fn show(name: &str) -> Result<String> {
    let path = library::find(name);
    path.and_then(|path| Some(library::standalone(path, library::text(path)?))).ok_or_else(|| {
        Error::input(
            Location::file(name),
            None,
            "no scenario of that name is built in; `olika scenarios` lists them",
        )
    })
}
