//! `olika present`: the worlds of a real present, made from a CSV file of organisations and one
//! of ties, saved as a folder that `olika run --from` and `olika compare --from` go on from
//! (docs/present.md).

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::experiment::run_seed;
use crate::model::{Sector, World};
use crate::output::present::{self, Present};
use crate::output::{state, ResultsFolder};
use crate::scenario::{self, Overrides};

/// The file of a present's folder that holds the scenario its worlds were made under.
pub const SCENARIO: &str = "scenario.toml";

/// What `olika present` made.
#[derive(Debug)]
pub struct Made {
    /// The folder of the saved worlds.
    pub folder: PathBuf,
    /// The present read.
    pub present: Present,
    /// The replications saved.
    pub replications: u32,
    /// The `--set`s a scenario needs to go on from these worlds: the populations' counts.
    pub sets: Vec<String>,
}

/// The files of the present a user named: the folder `present` (with `organisations.csv` and
/// `ties.csv`), or where there is none, a shipped present of that name (`town`).
pub fn files(present: &Path) -> Result<(present::File, present::File)> {
    if present.exists() {
        return present::files(present);
    }
    let name = present.to_string_lossy();
    let shipped = scenario::library::PRESENTS.iter().find(|(n, ..)| *n == name);
    let Some((name, organisations, ties)) = shipped else {
        let names: Vec<&str> = scenario::library::PRESENTS.iter().map(|(n, ..)| *n).collect();
        return Err(Error::input(
            Location::file(name.to_string()),
            None,
            format!("no such folder, and no shipped present of this name (they are: {})", names.join(", ")),
        ));
    };
    let file = |file: &str, text: &str| present::File {
        name: format!("{name}/{file} (shipped)"),
        bytes: text.as_bytes().to_vec(),
    };
    Ok((file(present::ORGANISATIONS, organisations), file(present::TIES, ties)))
}

/// Reads the present `present` (see [`files`]) for `scenario` (the embedded baseline without
/// one) with `overrides`, and saves one world per replication at step 0 in `output` (a new or
/// empty folder: it is not a results folder, so nothing replaces it), with the scenario they were
/// made under (`scenario.toml`) and the organisations' names (`organisations.csv`): each organisation joins the scenario's
/// first population of its sector, whose count becomes the number of such organisations; what
/// the files leave out is drawn from the replication's seed.
pub fn present(
    scenario: Option<&Path>,
    overrides: &Overrides,
    present: &Path,
    output: &Path,
) -> Result<Made> {
    let load = |assignments: &[String]| match scenario {
        Some(path) => scenario::load_named(path, assignments),
        None => scenario::baseline(assignments),
    };
    let mut assignments = overrides.assignments(None);
    let first = load(&assignments)?;
    let populations: Vec<(String, Sector)> =
        first.scenario.populations.iter().map(|(name, p)| (name.clone(), p.sector)).collect();
    let (organisations, ties) = files(present)?;
    let venues: Vec<(String, bool)> =
        first.scenario.venues.iter().map(|(name, v)| (name.clone(), v.kind.members)).collect();
    let present = present::read(&organisations, &ties, &populations, &venues)?;
    let sets = present.assignments();
    assignments.extend(sets.iter().cloned());
    let resolved = load(&assignments)?;
    let s = &resolved.scenario;
    let folder = ResultsFolder::create(Some(output), &s.name, false)?;
    for r in 0..s.replications {
        let world = World::present(
            s,
            run_seed(s.seed, r),
            &present.organisations,
            &present.relations,
            &present.members,
        )
        .map_err(|e| Error::input(Location::file(organisations.name.clone()), None, e))?;
        state::save(folder.work(), &world.into_state(), s, r)?;
    }
    present::write_names(folder.work(), &present, &populations)?;
    let path = folder.work().join(SCENARIO);
    let text = format!(
        "# The scenario the worlds of this present were made under, resolved: `olika run {SCENARIO} --from .`\n{}",
        resolved.toml
    );
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
    let folder = folder.commit()?;
    Ok(Made { folder, present, replications: s.replications, sets })
}
