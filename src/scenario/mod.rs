//! Scenario files: TOML with documented defaults, `extends` overlays, `--set` overrides, and
//! validation that names the file, line, column and key of every mistake.
//!
//! Resolution order: registry defaults ← the `extends` chain, base first ← the file ← `--set`, then
//! per-population defaults (which depend on the sector) and per-venue defaults are filled in.
//!
//! A file a step: `load` reads a file and its `extends` chain (from disk, or from the `library`
//! embedded in the binary) and checks each file on its own (`validate`); `resolve` merges the
//! chain over the registry's defaults (`params`), keeping where each key was set, applies `set`
//! (`--set`) and `defaults`, and types the result, whose constraints between values
//! `consistency` checks; `sweep`, `optimize` and `calibrate` read the sections of those names, whose points
//! are `value`s.

pub mod calibrate;
mod consistency;
mod defaults;
pub mod library;
mod load;
pub mod optimize;
mod overrides;
pub mod params;
mod resolve;
mod scale;
mod set;
pub mod sweep;
pub mod validate;
mod value;

pub(crate) use load::load_named;
pub use load::{baseline, load, load_shipped, load_str};
pub use overrides::Overrides;
pub use resolve::apply;
pub use scale::scaled;
pub use value::{Assignment, Value};

pub use crate::model::{
    DiffusionParams, InnovationParams, IntRange, Mix, Mixing, Population, Scenario, Sector, Setting,
    TraitDist, TrustParams, Validated, VenueKind, VenueSpec,
};

/// The embedded baseline scenario, run by `olika run` without a file.
pub(crate) const BASELINE: &str = include_str!("../../scenarios/baseline.toml");
/// The name under which the embedded baseline appears in messages.
pub(crate) const BASELINE_NAME: &str = "baseline.toml (embedded)";

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
    /// The checked `[calibrate]` section, if it has one.
    pub calibrate: Option<calibrate::CalibrateSpec>,
    /// The files read, the named file first.
    pub sources: Vec<String>,
    /// The `--set` overrides applied, as given (`path=value`).
    pub overrides: Vec<String>,
}
