//! State files: one run's world saved between two steps (`olika run --save-state`), to go on from
//! (`--from`). docs/state.md describes the format; in short:
//!
//! ```text
//! olika state 3                        the kind and the format's version
//! checksum 0123456789abcdef            FNV-1a of every byte after this line
//! {"olika":"0.1.0", …}                 the header, one line of JSON (`Header`)
//! <payload>                            the model's `WorldState` in postcard
//! ```
//!
//! A file is read whole and checked before anything of it is used: its kind and format, the
//! version of olika that wrote it (a state is read only by the version that saved it: the model,
//! and so what a state holds, may change between versions), its length, its checksum, then the
//! payload against the header, and the world against the scenario it is to go on under (the
//! parameters fixed at set-up, the organisations, the venues' kinds). Each refusal says what
//! differs and is an input error (exit code 2); nothing of a refused file is used.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::file::{self, Kind};
use crate::error::{Error, Location, Result};
use crate::experiment::{Plan, States};
use crate::model::hash::Fnv;
use crate::model::{Validated, WorldState, SET_UP};

/// The first bytes of every state file.
const MAGIC: &str = "olika state ";

/// The version of the layout of state files this olika writes and reads.
/// 2: a venue may hold the members a present gave it.
pub const FORMAT: u32 = 3;

/// The folder of a results folder that holds its runs' saved worlds.
pub const FOLDER: &str = "states";

/// The most bytes a state file may have (a world of 10⁶ organisations is some 500 MB).
const MOST_BYTES: u64 = 16 << 30;

/// A state file, for `output::file`: recognised by its first line.
pub const KIND: Kind =
    Kind { what: "an olika state file", is_own: |head| head.starts_with(MAGIC.as_bytes()) };

/// What a state file says of itself, before its payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// The version of olika that saved it.
    pub olika: String,
    /// The name of the scenario it was saved under.
    pub scenario_name: String,
    /// The replication whose world it is.
    pub replication: u32,
    /// That run's seed.
    pub seed: u64,
    /// The steps the world had taken.
    pub step: u32,
    /// Its organisations.
    pub organisations: usize,
    /// Bytes of the payload.
    pub payload_bytes: u64,
    /// The scenario it was saved under, resolved, as TOML.
    pub scenario: String,
}

/// The name of replication r's state file.
pub fn file_name(replication: u32) -> String {
    format!("replication-{replication:05}.state")
}

/// The bytes of a state file of `state`, saved from replication `replication` of `scenario`.
pub fn encode(state: &WorldState, scenario: &Validated, replication: u32) -> Result<Vec<u8>> {
    let payload =
        postcard::to_stdvec(state).map_err(|e| Error::Run(format!("cannot write the world's state: {e}")))?;
    let header = Header {
        olika: env!("CARGO_PKG_VERSION").into(),
        scenario_name: scenario.name.clone(),
        replication,
        seed: state.seed(),
        step: state.t(),
        organisations: state.organisations(),
        payload_bytes: payload.len() as u64,
        scenario: scenario_toml(scenario)?,
    };
    let mut rest =
        serde_json::to_vec(&header).map_err(|e| Error::Run(format!("cannot write a header: {e}")))?;
    rest.push(b'\n');
    rest.extend_from_slice(&payload);
    let mut bytes = format!("{MAGIC}{FORMAT}\nchecksum {:016x}\n", fnv(&rest)).into_bytes();
    bytes.extend_from_slice(&rest);
    Ok(bytes)
}

/// FNV-1a of bytes, eight at a time (the same hash as byte by byte is not needed here: it is only
/// compared with itself), so that checking a file of hundreds of MB takes a fraction of a second.
fn fnv(bytes: &[u8]) -> u64 {
    let mut hash = Fnv::default();
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        hash.word(u64::from_le_bytes(w.try_into().expect("eight bytes")));
    }
    hash.bytes(words.remainder());
    hash.word(bytes.len() as u64);
    hash.value()
}

/// The scenario as the header keeps it.
fn scenario_toml(scenario: &Validated) -> Result<String> {
    toml::to_string(&**scenario).map_err(|e| Error::Run(format!("cannot write the scenario as TOML: {e}")))
}

/// Writes replication r's state file into `dir` (a results folder being written), in its
/// `states/` folder.
pub fn save(dir: &Path, state: &WorldState, scenario: &Validated, replication: u32) -> Result<PathBuf> {
    let folder = dir.join(FOLDER);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    let bytes = encode(state, scenario, replication)?;
    file::write(&folder.join(file_name(replication)), &bytes, KIND, false)
}

/// How a state file opens.
const OPENING: file::Opening = file::Opening {
    magic: MAGIC,
    what: "state file",
    checksum: "checksum ",
    format: FORMAT,
    again: "save the world again",
    other_format: "save the world again with this olika",
};

/// A state file's header and world, checked as the module says (but not yet against a scenario).
pub fn decode(path: &Path, bytes: &[u8]) -> Result<(Header, WorldState)> {
    let refuse = |message: String| OPENING.refuse(path, message);
    let damaged = |what: &str| OPENING.damaged(path, what);
    let (checksum, rest) = OPENING.read(path, bytes)?;
    let (header, payload) = file::line(rest).ok_or_else(|| damaged("no header"))?;
    let header: Header =
        serde_json::from_str(header).map_err(|e| damaged(&format!("the header is unreadable ({e})")))?;
    let version = env!("CARGO_PKG_VERSION");
    if header.olika != version {
        return Err(refuse(format!(
            "saved by olika {}, and this is olika {version}: a state is read only by the version that saved it (what a world holds may change between versions); run the warm-up again with this olika",
            header.olika
        )));
    }
    if payload.len() as u64 != header.payload_bytes {
        return Err(damaged(&format!(
            "its world has {} bytes where its header says {}",
            payload.len(),
            header.payload_bytes
        )));
    }
    let found = fnv(rest);
    if found != checksum {
        return Err(refuse(format!(
            "its checksum is {found:016x} where the file says {checksum:016x}: it was edited or damaged after olika saved it; save the world again"
        )));
    }
    let state: WorldState =
        postcard::from_bytes(payload).map_err(|e| damaged(&format!("its world is unreadable ({e})")))?;
    let said = (header.seed, header.step, header.organisations);
    let found = (state.seed(), state.t(), state.organisations());
    if said != found {
        return Err(damaged(&format!(
            "its header says seed {}, step {}, {} organisations, its world {}, {}, {}",
            said.0, said.1, said.2, found.0, found.1, found.2
        )));
    }
    Ok((header, state))
}

/// Reads and decodes the state file at `path`.
pub fn read(path: &Path) -> Result<(Header, WorldState)> {
    let bytes = read_bytes(path)?;
    decode(path, &bytes)
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut file = super::read::open_regular(path, MOST_BYTES)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).map_err(|e| Error::io(path, e))?;
    Ok(bytes)
}

/// The parameters fixed at set-up ([`SET_UP`], but the seed, which each run's seed checks) that
/// `now` sets otherwise than the scenario a state was saved under (`saved`, as TOML).
pub fn set_up_changes(saved: &str, now: &Validated) -> Result<Vec<String>> {
    let now = toml::Table::try_from(&**now)
        .map_err(|e| Error::Run(format!("cannot write the scenario as TOML: {e}")))?;
    changes(&parse(saved)?, &now)
}

fn parse(saved: &str) -> Result<toml::Table> {
    saved.parse().map_err(|e| Error::Run(format!("a saved scenario is unreadable: {e}")))
}

/// The paths of [`SET_UP`] but the seed at which two scenarios, as TOML tables, differ.
fn changes(saved: &toml::Table, now: &toml::Table) -> Result<Vec<String>> {
    let at = |table: &toml::Table, path: &str| {
        let mut parts = path.split('.');
        let mut value = table.get(parts.next()?)?;
        for part in parts {
            value = value.as_table()?.get(part)?;
        }
        Some(value.clone())
    };
    Ok(SET_UP.iter().filter(|p| **p != "seed" && at(saved, p) != at(now, p)).map(|p| p.to_string()).collect())
}

/// Whether a world of `scenario` can go on from the saved world `state` of the file at `path`
/// (`WorldState::fits`); else the refusal that names the file and what differs — the same words
/// for `olika run --from` and the lab's Load world.
pub fn fits(path: &Path, state: &WorldState, scenario: &Validated) -> Result<()> {
    state.fits(scenario).map_err(|e| {
        Error::input(
            Location::file(path.display().to_string()),
            None,
            format!("{} cannot go on from this world: {e}", scenario.name),
        )
    })
}

/// The saved worlds of a results folder that the runs of a plan go on from, each replication its
/// own; checked whole when opened.
#[derive(Debug)]
pub struct Saved {
    /// The folder of the state files.
    dir: PathBuf,
    /// The step they were saved at.
    pub step: u32,
    /// What names them: FNV-1a over their checksums, for the plan's hash.
    pub identity: String,
}

impl Saved {
    /// The saved worlds in the results folder `folder` (its `states/`) for every replication of
    /// `plan`, each read and checked whole: its file, its seed against the plan's run of that
    /// replication, one step for all, and against every point's scenario — the parameters fixed at
    /// set-up unchanged, the organisations and venues fitting, steps left to run. Any refusal names
    /// the file or the parameter and what differs.
    pub fn open(folder: &Path, plan: &Plan) -> Result<Saved> {
        let dir = folder.join(FOLDER);
        let at = |path: &Path, message: String| {
            Error::input(Location::file(path.display().to_string()), None, message)
        };
        if !dir.is_dir() {
            return Err(at(
                folder,
                format!(
                    "no saved worlds here (no {FOLDER}/ folder): save them with `olika run … --save-state`"
                ),
            ));
        }
        let scenarios: Vec<Arc<Validated>> =
            (0..plan.points.len() as u32).map(|p| plan.scenario(p)).collect::<Result<_>>()?;
        let tables: Vec<toml::Table> = scenarios
            .iter()
            .map(|s| toml::Table::try_from(&***s))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::Run(format!("cannot write a scenario as TOML: {e}")))?;
        // The scenario the worlds were saved under, compared once: every file of a warm-up has it.
        let mut compared: Option<String> = None;
        let mut identity = Fnv::default();
        let mut step = None;
        for r in 0..plan.replications {
            let path = dir.join(file_name(r));
            if !path.exists() {
                let saved = std::fs::read_dir(&dir).map_or(0, |d| d.count());
                return Err(at(
                    &path,
                    format!(
                        "no saved world of replication {r}: {} holds {saved} and this plan runs {} replications; save as many (--replications) or run fewer",
                        dir.display(),
                        plan.replications
                    ),
                ));
            }
            let bytes = read_bytes(&path)?;
            let (header, state) = decode(&path, &bytes)?;
            identity.bytes(&bytes[..bytes.len().min(64)]);
            let run = plan.run(u64::from(r));
            if header.replication != r {
                return Err(at(
                    &path,
                    format!(
                        "holds the world of replication {}, not {r}: the file was renamed",
                        header.replication
                    ),
                ));
            }
            if header.seed != run.seed {
                return Err(at(
                    &path,
                    format!(
                        "the world of replication {r} was made with seed {}, and this plan's replication {r} has seed {}: the plan's root seed is not the warm-up's (the warm-up's scenario sets `seed` in the file's header; run with that --seed)",
                        header.seed, run.seed
                    ),
                ));
            }
            if *step.get_or_insert(header.step) != header.step {
                return Err(at(
                    &path,
                    format!(
                        "saved at step {}, the other worlds at step {}: they come from different runs",
                        header.step,
                        step.unwrap_or(0)
                    ),
                ));
            }
            let saved = match &compared {
                Some(text) if *text == header.scenario => None,
                _ => Some(parse(&header.scenario)?),
            };
            compared = Some(header.scenario.clone());
            for (scenario, now) in scenarios.iter().zip(&tables) {
                let changed = match &saved {
                    Some(saved) => changes(saved, now)?,
                    None => Vec::new(),
                };
                if !changed.is_empty() {
                    // A present's populations are its files' counts, which `olika present` printed.
                    let present = folder.join(super::present::NAMES).is_file()
                        && changed.iter().any(|p| p == "populations");
                    let hint = if present {
                        format!(
                            "; these worlds are a real present (olika present): go on with its {}, or set each population's count to its organisations' (--set populations.NAME.count=N, as `olika present` printed; {} lists them)",
                            folder.join("scenario.toml").display(),
                            folder.join(super::present::NAMES).display()
                        )
                    } else {
                        String::new()
                    };
                    return Err(at(
                        &path,
                        format!(
                            "{} sets {} otherwise than the scenario the world was saved under ({}); what is fixed at set-up cannot change in a saved world (docs/state.md){hint}",
                            scenario.name,
                            changed.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", "),
                            header.scenario_name
                        ),
                    ));
                }
                fits(&path, &state, scenario)?;
                if scenario.steps <= header.step {
                    return Err(at(
                        &path,
                        format!(
                            "the world was saved at step {}, and {} runs {} steps: set more steps to go on (e.g. --set steps={})",
                            header.step,
                            scenario.name,
                            scenario.steps,
                            header.step * 2
                        ),
                    ));
                }
            }
        }
        Ok(Saved { dir, step: step.unwrap_or(0), identity: format!("{:016x}", identity.value()) })
    }
}

impl States for Saved {
    fn state(&self, replication: u32) -> std::result::Result<WorldState, String> {
        read(&self.dir.join(file_name(replication))).map(|(_, state)| state).map_err(|e| e.to_string())
    }
}
