//! `olika check`: a scenario validated and printed fully resolved.

use std::path::Path;

use crate::error::Result;
use crate::scenario;

/// The resolved scenario as TOML, headed by where it came from.
pub fn check(path: &Path, overrides: &[String]) -> Result<String> {
    let resolved = scenario::load(path, overrides)?;
    Ok(format!(
        "# {} resolved from {}\n{}",
        resolved.scenario.name,
        resolved.sources.join(" ← "),
        resolved.toml
    ))
}
