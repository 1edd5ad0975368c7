//! `olika check`: a scenario validated and printed fully resolved.

use std::path::Path;

use crate::error::Result;
use crate::scenario;

/// The resolved scenario as TOML, headed by where it came from; without a path, the embedded
/// baseline's.
pub fn check(path: Option<&Path>, overrides: &[String]) -> Result<String> {
    let resolved = match path {
        Some(path) => scenario::load_named(path, overrides)?,
        None => scenario::baseline(overrides)?,
    };
    Ok(format!(
        "# {} resolved from {}\n{}",
        resolved.scenario.name,
        resolved.sources.join(" ← "),
        resolved.toml
    ))
}
