//! The replay of one run: what an animation of it needs, step by step, and nothing more — each
//! organisation's sector once, then at each kept step the ties (with status and trust), the creators
//! of the innovations born in it, each lattice resident's culture, and the headline count. Written
//! as `replay.json` by `olika run` for its first replication, so `olika animate` draws the run
//! again without running it.
//!
//! A run of many steps keeps at most `MOST_FRAMES` of them: when the replay is full, every other
//! kept step is dropped and from then on only every second step is kept (and so on), so that the
//! kept steps stay evenly spread, whatever the run's length.

use serde::{Deserialize, Serialize};

use crate::model::World;

/// The most steps a replay keeps.
pub const MOST_FRAMES: usize = 600;

/// The most organisations a replay is made for: beyond it an animation shows a blur, and the file
/// would be large.
pub(crate) const MOST_ORGANISATIONS: usize = 5_000;

/// The most numbers a replay holds (32 MB): a run with many ties keeps fewer steps.
pub(crate) const MOST_WORDS: usize = 8 << 20;

/// A world that is one lattice holding every organisation (the Axelrod classic): its size and the
/// organisation in each cell (`u32::MAX` for none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatticeShape {
    /// Cells per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// The organisation in each cell.
    pub cells: Vec<u32>,
}

/// The world at one kept step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// The step.
    pub t: u32,
    /// Each tie as a, b, status (0 acquaintance, 1 informal, 2 formal) and trust in tenths, flat.
    pub ties: Vec<u32>,
    /// The creators of the innovations born in this step, flat pairs.
    pub born: Vec<u32>,
    /// For a lattice world, each organisation's culture: a hash of its traits.
    pub culture: Vec<u32>,
    /// Innovations so far.
    pub innovations: f64,
    /// Stable regions on the lattices, if any.
    pub regions: Option<u32>,
}

/// A run, step by step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    /// The scenario's name.
    pub scenario: String,
    /// The run's seed.
    pub seed: u64,
    /// Each organisation's sector (`Sector::index`).
    pub sectors: Vec<u8>,
    /// The lattice, when the world is one.
    pub lattice: Option<LatticeShape>,
    /// Keep every `stride`-th step (it doubles as the replay fills).
    pub stride: u32,
    /// The kept steps.
    pub frames: Vec<Frame>,
}

impl Replay {
    /// A replay of `world` from now, if it is small enough to make one.
    pub fn start(world: &World, seed: u64) -> Option<Replay> {
        let n = world.agents().len();
        if n > MOST_ORGANISATIONS {
            return None;
        }
        let lattice = world.venues().iter().filter_map(|v| v.lattice()).collect::<Vec<_>>();
        let lattice = match lattice[..] {
            [one] if one.home.len() == n => {
                Some(LatticeShape { width: one.width, height: one.height, cells: one.cells.clone() })
            }
            _ => None,
        };
        let mut replay = Replay {
            scenario: world.scenario().name.clone(),
            seed,
            sectors: world.agents().sector.iter().map(|s| s.index() as u8).collect(),
            lattice,
            stride: 1,
            frames: Vec::new(),
        };
        replay.keep(world);
        Some(replay)
    }

    /// Keeps the world's state now, if this step is one the replay keeps (the last step of a run
    /// is kept with `finish`).
    pub fn step(&mut self, world: &World) {
        if world.t().is_multiple_of(self.stride) {
            self.keep(world);
        }
    }

    /// Keeps the last step, if it was not kept already.
    pub fn finish(&mut self, world: &World) {
        if self.frames.last().is_some_and(|f| f.t != world.t()) {
            self.frames.push(frame(world, self.lattice.is_some()));
        }
    }

    fn keep(&mut self, world: &World) {
        self.frames.push(frame(world, self.lattice.is_some()));
        let words: usize = self.frames.iter().map(|f| f.ties.len() + f.culture.len() + f.born.len()).sum();
        if self.frames.len() >= MOST_FRAMES || words >= MOST_WORDS {
            // Full: keep every other step from the start, and from now on every 2·stride-th.
            self.stride *= 2;
            let stride = self.stride;
            self.frames.retain(|f| f.t.is_multiple_of(stride));
        }
    }
}

impl Frame {
    /// The world now; with `lattice`, each organisation's culture too (and no ties: a lattice
    /// world has none worth drawing).
    pub fn of(world: &World, lattice: bool) -> Frame {
        frame(world, lattice)
    }
}

fn frame(world: &World, lattice: bool) -> Frame {
    let t = world.t();
    // A lattice world's ties are not drawn: they are not collected.
    let mut ties = Vec::with_capacity(if lattice { 0 } else { world.ties().len() * 4 });
    for tie in world.ties().iter().filter(|_| !lattice) {
        let status = match tie.status() {
            crate::model::Status::Acquaintance => 0,
            crate::model::Status::Informal => 1,
            crate::model::Status::Formal => 2,
        };
        ties.extend([tie.a, tie.b, status, (world.ties().trust(tie) * 10.0).round() as u32]);
    }
    let born = world
        .innovations()
        .iter()
        .rev()
        .take_while(|i| i.step == t && t > 0)
        .filter(|i| i.composition.is_some())
        .flat_map(|i| i.creators)
        .collect();
    let culture = if lattice {
        (0..world.agents().len() as u32).map(|a| culture(world.knowledge().of(a))).collect()
    } else {
        Vec::new()
    };
    Frame {
        t,
        ties,
        born,
        culture,
        innovations: world.tallies().innovations as f64,
        regions: world.regions().map(|r| r as u32),
    }
}

/// A culture's number: FNV-1a of its traits, the same for the same traits in every run.
pub fn culture(traits: &[u32]) -> u32 {
    let mut hash = crate::model::hash::Fnv::default();
    traits.iter().for_each(|&v| _ = hash.word(u64::from(v)));
    let h = hash.value();
    (h ^ (h >> 32)) as u32
}
