//! Lesson files: a class's lesson (`olika lab --classroom`, "Download the lesson") as one small
//! file that `olika run --lesson FILE` replays into an ordinary results folder. docs/teaching.md
//! describes it; in short, TOML after two comment lines:
//!
//! ```text
//! # olika lesson 1                      the kind and the format's version
//! # checksum 0123456789abcdef           FNV-1a of every byte after this line
//! olika = "0.1.0"                       the version that wrote it (and alone replays it)
//! seed = 42                             the root seed: the world is replication 0's
//! months = 12                           the months the class played
//! organisations = 600
//! digest = "…"                          FNV-1a of the class's world after its last month
//! scenario = '''…'''                    the world's scenario, resolved, as TOML
//! [[students]]                          organisation, sector, name
//! [[choices]]                           month, organisation, venue ("none"), approach, declined
//! ```
//!
//! The steering log holds, for every month, the choices that were applied to each steered
//! organisation that did not leave everything to the model (`model::steering::Log::keep`).
//! A file is read whole and checked before anything of it is used: kind, format, checksum, the
//! version of olika, then the scenario (loaded as a scenario file is) and every choice against
//! the world (`Lesson::replay`), which is then replayed and must come to the digest. Each refusal
//! says what is wrong and is an input error (exit code 2).

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::file::{Kind, Opening};
use super::students::StudentRow;
use crate::error::{Error, Location, Result};
use crate::model::hash::Fnv;
use crate::model::steering::{Choice, Going, Log};
use crate::model::{Sector, World};
use crate::scenario::Resolved;

/// The first bytes of every lesson file.
const MAGIC: &str = "# olika lesson ";

/// The version of the layout of lesson files this olika writes and reads.
pub const FORMAT: u32 = 1;

/// The most bytes a lesson file may have: 60 students' choices for a thousand months.
pub const MOST_BYTES: u64 = 16 << 20;

/// How a lesson file opens.
const OPENING: Opening = Opening {
    magic: MAGIC,
    what: "lesson file",
    checksum: "# checksum ",
    format: FORMAT,
    again: "download the lesson again",
    other_format: "replay it with the olika that wrote it",
};

/// A lesson file, for `output::file`: recognised by its first line.
pub const KIND: Kind =
    Kind { what: "an olika lesson file", is_own: |head| head.starts_with(MAGIC.as_bytes()) };

/// One organisation's choices for one month, as the file has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceRow {
    /// The month (the step) they were applied in.
    pub month: u32,
    /// The organisation.
    pub organisation: u32,
    /// The venue's name, or "none"; absent: the model chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    /// Whom it approached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approach: Option<u32>,
    /// Whose proposals it declined.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<u32>,
}

/// A student, as the file has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// The organisation they played.
    pub organisation: u32,
    /// Its sector.
    pub sector: String,
    /// Their first name.
    pub name: String,
}

/// A lesson: the world's scenario and seed, how far the class played, the world it came to, its
/// students and the choices applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// The version of olika that wrote it.
    pub olika: String,
    /// The root seed (`experiment::run_seed(seed, 0)` is the world's).
    pub seed: u64,
    /// The months played.
    pub months: u32,
    /// The city's organisations.
    pub organisations: usize,
    /// FNV-1a of the class's world after its last month, as `digest` makes it.
    pub digest: String,
    /// The world's scenario, resolved, as TOML.
    pub scenario: String,
    /// The students.
    #[serde(default)]
    pub students: Vec<Named>,
    /// The choices applied, month by month, organisation by organisation.
    #[serde(default)]
    pub choices: Vec<ChoiceRow>,
}

/// FNV-1a of a world's whole state, as a saved world has it: two worlds with the same digest are
/// the same world.
pub fn digest(world: &World) -> String {
    let bytes = postcard::to_stdvec(&world.state()).unwrap_or_default();
    format!("{:016x}", Fnv::default().bytes(&bytes).value())
}

impl Lesson {
    /// The lesson of a class: its world now (played from month 0 under its own scenario), the
    /// steering applied (`log`) and its students as (organisation, name).
    pub fn of(world: &World, log: &Log, students: &[(u32, String)]) -> std::result::Result<Lesson, String> {
        let scenario = toml::to_string(world.scenario())
            .map_err(|e| format!("cannot write the scenario as TOML: {e}"))?;
        let venue = |g: Going| match g {
            Going::To(v) => world.venues()[v].name.clone(),
            Going::Nowhere => "none".into(),
        };
        let choices = log
            .steps()
            .flat_map(|(month, s)| {
                s.choices().map(move |(organisation, c)| ChoiceRow {
                    month,
                    organisation,
                    venue: c.venue.map(venue),
                    approach: c.approach,
                    declined: c.declined.clone(),
                })
            })
            .collect();
        let sector = |a: u32| world.agents().sector[a as usize].name().to_string();
        Ok(Lesson {
            olika: env!("CARGO_PKG_VERSION").into(),
            seed: world.scenario().seed,
            months: world.t(),
            organisations: world.agents().len(),
            digest: digest(world),
            scenario,
            students: students
                .iter()
                .map(|(a, name)| Named { organisation: *a, sector: sector(*a), name: name.clone() })
                .collect(),
            choices,
        })
    }

    /// The file's text.
    pub fn encode(&self) -> Result<String> {
        let rest = toml::to_string(self).map_err(|e| Error::Run(format!("cannot write the lesson: {e}")))?;
        let rest = format!(
            "# A class's lesson: `olika run --lesson THIS_FILE -o DIR` replays it into a results folder.\n# Edit nothing: the checksum covers every byte after its line.\n{rest}"
        );
        let text = format!("{MAGIC}{FORMAT}\n# checksum {:016x}\n{rest}", fnv(rest.as_bytes()));
        // A file written is a file olika can read back.
        if text.len() as u64 > MOST_BYTES {
            return Err(Error::Run(format!(
                "the lesson's choices take {} MiB, more than a lesson file may hold ({} MiB): a class plays a few dozen months",
                text.len() >> 20,
                MOST_BYTES >> 20
            )));
        }
        Ok(text)
    }

    /// A lesson file's lesson, checked as the module says (but not yet replayed).
    pub fn decode(path: &Path, bytes: &[u8]) -> Result<Lesson> {
        let refuse = |message: String| OPENING.refuse(path, message);
        let damaged = |what: &str| OPENING.damaged(path, what);
        let (checksum, rest) = OPENING.read(path, bytes)?;
        let found = fnv(rest);
        if found != checksum {
            return Err(refuse(format!(
                "its checksum is {found:016x} where the file says {checksum:016x}: it was edited or damaged after olika wrote it; download the lesson again"
            )));
        }
        let text = std::str::from_utf8(rest).map_err(|_| damaged("it is not text"))?;
        let lesson: Lesson = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count() + 2);
            Error::input(
                Location { file: path.display().to_string(), line, column: None },
                None,
                format!("not a lesson olika can read: {}", e.message()),
            )
        })?;
        let version = env!("CARGO_PKG_VERSION");
        if lesson.olika != version {
            return Err(refuse(format!(
                "written by olika {}, and this is olika {version}: a lesson is replayed by the version that played it (the model may change between versions)",
                lesson.olika
            )));
        }
        Ok(lesson)
    }

    /// Reads and decodes the lesson file at `path`.
    pub fn read(path: &Path) -> Result<Lesson> {
        use std::io::Read;
        let mut bytes = Vec::new();
        super::read::open_regular(path, MOST_BYTES)?
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        Lesson::decode(path, &bytes)
    }

    /// The lesson made ready to replay: its scenario as one replication of the months played,
    /// its steering log, and its students. The world is replayed here once and must come to the
    /// class's world (its digest); a choice the world cannot take, or another world, is refused.
    pub fn replay(&self, path: &Path) -> Result<(Resolved, Log, Vec<StudentRow>)> {
        let at = |key: &str, message: String| {
            Error::input(Location::file(path.display().to_string()), Some(key), message)
        };
        if self.months == 0 {
            return Err(at("months", "the class played no month: there is nothing to replay".into()));
        }
        let name = format!("the scenario of {}", path.display());
        let overrides = ["replications=1".to_string(), format!("steps={}", self.months)];
        let resolved = crate::scenario::load_str(&name, &self.scenario, &overrides)?;
        if resolved.scenario.seed != self.seed {
            return Err(at("seed", format!("says {}, its scenario {}", self.seed, resolved.scenario.seed)));
        }
        // The class's world ran under the scenario as written, to its own end; the replay's
        // scenario stops at the months played, which changes nothing before (`steps` is no
        // set-up parameter, `model::SET_UP`).
        let played = crate::scenario::load_str(&name, &self.scenario, &[])?;
        let mut world = World::new(&played.scenario, crate::experiment::run_seed(self.seed, 0));
        if world.agents().len() != self.organisations {
            return Err(at(
                "organisations",
                format!("says {}, its scenario makes {}", self.organisations, world.agents().len()),
            ));
        }
        let log = self.log(&world).map_err(|e| at("choices", e))?;
        let students = self.students(&world).map_err(|e| at("students", e))?;
        while world.t() < self.months && !world.finished() {
            world.steer_by(&log).map_err(|e| at("choices", e))?;
            world.step();
        }
        let found = digest(&world);
        if world.t() != self.months || found != self.digest {
            return Err(at(
                "digest",
                format!(
                    "the replay came to another world (month {}, digest {found}) than the class's (month {}, digest {}): the lesson cannot be replayed",
                    world.t(),
                    self.months,
                    self.digest
                ),
            ));
        }
        Ok((resolved, log, students))
    }

    /// The steering log of the file's choices, venues found by name in `world`.
    fn log(&self, world: &World) -> std::result::Result<Log, String> {
        let n = world.agents().len() as u32;
        let mut months: std::collections::BTreeMap<u32, crate::model::steering::Steering> =
            Default::default();
        for row in &self.choices {
            let (m, a) = (row.month, row.organisation);
            if m == 0 || m > self.months || a >= n {
                return Err(format!(
                    "month {m}, organisation {a}: months run from 1 to {}, organisations from 0 to {}",
                    self.months,
                    n - 1
                ));
            }
            let venue = match row.venue.as_deref() {
                None => None,
                Some("none") => Some(Going::Nowhere),
                Some(name) => {
                    Some(Going::To(world.venues().iter().position(|v| v.name == name).ok_or_else(|| {
                        format!("month {m}, organisation {a}: the scenario has no venue \"{name}\"")
                    })?))
                }
            };
            let mut choice = Choice { venue, approach: row.approach, declined: Vec::new() };
            choice.decline(row.declined.iter().copied());
            let steering = months.entry(m).or_default();
            if steering.of(a).is_some() {
                return Err(format!("month {m}, organisation {a}: chosen twice"));
            }
            steering.choose(a, choice);
        }
        let mut log = Log::default();
        for (m, s) in &months {
            log.keep(*m, s);
        }
        Ok(log)
    }

    /// The students, checked against `world`.
    fn students(&self, world: &World) -> std::result::Result<Vec<StudentRow>, String> {
        self.students
            .iter()
            .map(|s| {
                let a = s.organisation;
                let sector = world.agents().sector.get(a as usize).copied().ok_or_else(|| {
                    format!("organisation {a}: the city has organisations 0 to {}", world.agents().len() - 1)
                })?;
                if Sector::parse(&s.sector) != Some(sector) {
                    return Err(format!("organisation {a} is {}, not {}", sector.name(), s.sector));
                }
                Ok(StudentRow { organisation: a, sector, name: s.name.clone() })
            })
            .collect()
    }

    /// What names the lesson in a plan's hash: its digest and its choices' checksum.
    pub fn identity(&self) -> String {
        let choices = toml::to_string(&ChoiceRows { choices: &self.choices }).unwrap_or_default();
        format!("lesson {} {:016x}", self.digest, fnv(choices.as_bytes()))
    }
}

/// The choices alone, for `Lesson::identity`.
#[derive(Serialize)]
struct ChoiceRows<'a> {
    choices: &'a [ChoiceRow],
}

/// FNV-1a of bytes.
fn fnv(bytes: &[u8]) -> u64 {
    Fnv::default().bytes(bytes).value()
}
