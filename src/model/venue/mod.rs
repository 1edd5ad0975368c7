//! Venues (C2): the places where organisations meet. Each kind of venue — workshops with round
//! tables, seminars, matchmaking days, hubs, neighbourhood lattices, procurement, open meetings —
//! lives in its own file here: what it is, the keys it takes, and how one of its meetings runs.
//! [`KINDS`] registers them; the scenario registry, validation, `olika params`, the docs and the
//! tests all read that list.
//!
//! A meeting draws its attendance (or takes its fixed members), then the kind's `meet` makes the
//! encounters.

use std::fmt;

use rand::Rng;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use gathering::Gathering;
pub use neighbourhood::Lattice;

/// Buffers a meeting may use as its own (`Gathering::buffers`), kept from meeting to meeting so
/// that a meeting does not allocate.
#[derive(Debug, Clone, Default)]
pub(crate) struct MeetingBuffers {
    /// Attendees in an order of the meeting's own, or some of them.
    pub(crate) shuffled: Vec<u32>,
    /// Ranked pairs of attendees (matchmaking's candidates: rank, and the places of the two in
    /// the meeting's attendees).
    pub(crate) scored: Vec<(u64, u32, u32)>,
    /// Pairs of attendees.
    pub(crate) pairs: Vec<(u32, u32)>,
    /// Whole-number thresholds of a decision by the number of differing features
    /// (`streams::threshold`: Axelrod's events).
    pub(crate) thresholds: Vec<u64>,
    /// Sort keys (matchmaking's: rank, then shuffled place, of the candidates in play).
    pub(crate) keys: Vec<u128>,
    /// Per attendee, its sector and capabilities (matchmaking's).
    pub(crate) attendees: Vec<(Sector, [f64; 3])>,
    /// Per attendee, whether it is paired yet (matchmaking's).
    pub(crate) paired: Vec<bool>,
}

use super::agent::Sector;
use super::parameters::{Domain, Mix, Param, VenueSpec};
use super::tie::Origin;
use super::{below, chance, pick_in, shuffle, shuffle_first, Indices, World};

/// Declares each kind's module (its file in this folder) and registers its `KIND` in [`KINDS`].
macro_rules! kinds {
    ($($kind:ident),* $(,)?) => {
        $(mod $kind;)*
        /// Every venue kind, in the order `olika params` and the docs list them. Adding a kind is
        /// one new file in this folder and its name in the `kinds!` line below (ARCHITECTURE.md,
        /// "Adding a venue kind").
        pub static KINDS: &[&VenueKind] = &[$(&$kind::KIND),*];
    };
}

mod gathering;

kinds![workshop, seminar, matchmaking, hub, neighbourhood, procurement, open];

/// The result of a kind's check: on failure, the key to blame and what to do.
pub type Checked = Result<(), (&'static str, String)>;

/// A kind of venue: its name in scenario files, what happens at a meeting, its own keys, and how
/// to build the meeting rule of a venue of this kind.
pub struct VenueKind {
    /// The name a scenario file uses (`kind = "workshop"`).
    pub name: &'static str,
    /// A venue of this kind in words, as a noun a reader knows ("matchmaking day").
    pub noun: &'static str,
    /// What its `capacity` counts, in words ("seats", "members", "public buyers").
    pub seats: &'static str,
    /// What happens at a meeting, in one sentence (docs and `olika params`).
    pub meeting: &'static str,
    /// The keys of this kind beyond those every venue has, declared by their bare names.
    pub keys: &'static [Param],
    /// Attendees are fixed members drawn once at set-up (by openness, like attendance), rather than
    /// drawn anew for every meeting.
    pub members: bool,
    /// The sectors that attend whatever the venue's mix (procurement's buyers are public).
    pub sectors: Option<&'static [Sector]>,
    /// The meeting rule of a venue with these settings.
    pub build: fn(&VenueSpec) -> Box<dyn Meeting>,
    /// Constraints between this kind's keys and the city (e.g. a lattice large enough for its
    /// residents): the offending key and what to do.
    pub check: fn(&VenueSpec, organisations: usize) -> Checked,
}

impl VenueKind {
    /// The registered kind of this name.
    pub fn named(name: &str) -> Option<&'static VenueKind> {
        KINDS.iter().copied().find(|k| k.name == name)
    }

    /// The kind's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// No constraint beyond the keys' own ranges.
    pub(crate) fn no_check(_: &VenueSpec, _: usize) -> Checked {
        Ok(())
    }
}

impl PartialEq for VenueKind {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl fmt::Debug for VenueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Serialize for &'static VenueKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name)
    }
}

impl<'de> Deserialize<'de> for &'static VenueKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        VenueKind::named(&name).ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
            serde::de::Error::custom(format!("unknown venue kind \"{name}\"; allowed: {}", names.join(", ")))
        })
    }
}

/// How the meetings of one venue run. A kind's `build` makes one from the venue's settings.
pub trait Meeting: fmt::Debug + Send + Sync {
    /// Once, after the fixed members of a `members` kind are drawn (a neighbourhood places them on
    /// its lattice and may turn some away).
    fn set_up(&mut self, _gathering: &mut Gathering, _members: &mut Vec<u32>) {}
    /// One meeting with these attendees: its encounters. Returns how many.
    fn meet(&mut self, gathering: &mut Gathering, people: &mut Vec<u32>) -> u64;
    /// The diffusion boost b - 1 its attendees get in the step of a meeting (seminars).
    fn boost(&self) -> f64 {
        0.0
    }
    /// The lattice of a neighbourhood.
    fn lattice(&self) -> Option<&Lattice> {
        None
    }
    /// What the venue holds beyond its members, if that can be large: the key that sets it, what it
    /// is, and its bytes (for the memory estimate made before a command runs).
    fn memory(&self) -> Option<(&'static str, String, u64)> {
        None
    }
    /// A copy, for cloning a world.
    fn clone_box(&self) -> Box<dyn Meeting>;
}

impl Clone for Box<dyn Meeting> {
    fn clone(&self) -> Self {
        self.clone_box()
    }
}

/// `mingle`, shared by the kinds whose attendees meet at random.
const MINGLE: Param = Param::venue_key(
    "mingle",
    Domain::Int { min: 0, max: 1000 },
    "3",
    "encounters",
    "",
    "encounters per attendee (open: rounds of random pairing)",
);

/// What a venue (or the direct approaches) produced over a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VenueStats {
    /// Meetings held.
    pub meetings: u64,
    /// Attendees summed over meetings.
    pub attendance: u64,
    /// Encounters at its meetings.
    pub encounters: u64,
    /// Ties that began here.
    pub ties_begun: u64,
    /// Partnerships on ties that began here.
    pub partnerships_begun: u64,
    /// Innovations of those partnerships.
    pub innovations: u64,
    /// Cost of its meetings.
    pub cost: f64,
}

/// A venue of a world: its settings, its meeting rule, what it produced, and who may attend.
#[derive(Debug, Clone)]
pub struct Venue {
    /// Its name in the scenario.
    pub name: String,
    /// The keys every kind has (`VenueSpec::common`): its kind's own keys went into its meeting
    /// rule when it was built, and are read from the scenario, not here (`settings` is empty).
    pub spec: VenueSpec,
    /// What it produced so far.
    pub stats: VenueStats,
    /// The fixed members of a `members` kind (a hub's members, a neighbourhood's residents).
    pub members: Vec<u32>,
    /// How its meetings run; taken out while a meeting runs.
    meeting: Option<Box<dyn Meeting>>,
    /// Whether its `members` were given (a real present, `World::present`) rather than drawn:
    /// a saved world keeps given members, and drawn ones are drawn again.
    pub(crate) given: bool,
    /// The random stream of its set-up and meetings, named after it.
    pub(crate) stream: super::Stream,
    /// The pools attendance is drawn from, as sector masks (see `pool_mask`): one per sector for a
    /// balanced mix, else one. The pools themselves are shared by all venues (`World::pools`).
    pools: Vec<usize>,
    /// Who came to its last meeting, and that meeting's step (0: none yet). Empty for a `members`
    /// kind, whose meeting is its members (`present` reads them).
    present: Vec<u32>,
    met: u32,
}

/// A set of sectors as a bit mask: bit i for `Sector::ALL[i]`.
pub(crate) fn pool_mask(sectors: &[Sector]) -> usize {
    sectors.iter().fold(0, |mask, s| mask | 1 << s.index())
}

impl Venue {
    /// A venue of the scenario, in a city with these organisations by sector.
    pub fn new(name: &str, spec: &VenueSpec, by_sector: &[Vec<u32>; 3]) -> Self {
        let present = |s: &Sector| !by_sector[s.index()].is_empty();
        // Some kinds fix who attends whatever the mix; others draw from the sectors the mix admits.
        let (sectors, fixed): (Vec<Sector>, bool) = match (spec.kind.sectors, &spec.mix) {
            (Some(fixed), _) => (fixed.to_vec(), true),
            (None, Mix::Only(list)) => (list.clone(), false),
            (None, _) => (Sector::ALL.to_vec(), false),
        };
        let pools = if spec.mix == Mix::Balanced && !fixed {
            sectors.iter().filter(|s| present(s)).map(|s| pool_mask(&[*s])).collect()
        } else {
            vec![pool_mask(&sectors)]
        };
        Venue {
            name: name.to_string(),
            spec: spec.common(),
            stats: VenueStats::default(),
            members: Vec::new(),
            given: false,
            meeting: Some((spec.kind.build)(spec)),
            stream: super::Stream::venue(name),
            pools,
            present: Vec::new(),
            met: 0,
        }
    }

    /// Meetings happen in step t (1-based) when t - 1 ≥ offset and (t - 1 - offset) % every == 0.
    pub fn meets(&self, t: u32) -> bool {
        self.spec.meets(t)
    }

    /// Who came to its meeting in step t (none if it did not meet).
    pub(crate) fn present(&self, t: u32) -> &[u32] {
        if self.met == t && t > 0 {
            if self.spec.kind.members {
                &self.members
            } else {
                &self.present
            }
        } else {
            &[]
        }
    }

    /// The lattice of a neighbourhood.
    pub fn lattice(&self) -> Option<&Lattice> {
        self.meeting.as_ref().and_then(|m| m.lattice())
    }

    /// The sets of sectors its attendance is drawn from, as masks (`pool_mask`).
    pub(crate) fn pool_masks(&self) -> &[usize] {
        &self.pools
    }

    /// Whether its attendance may be drawn from this sector.
    pub(crate) fn admits(&self, sector: Sector) -> bool {
        self.pools.iter().any(|&mask| mask & pool_mask(&[sector]) != 0)
    }
}

/// Self-selection: each member of the pool volunteers with probability equal to its openness, and
/// when more volunteer than there are seats a random subset takes them. For a pool much larger than
/// the seats the same is done without scanning the pool: organisations are drawn at random and each
/// accepted with probability equal to its openness (cost O(seats), not O(population)).
fn draw_attendance(
    pool: &[u32],
    seats: usize,
    openness: &[f64],
    rng: &mut impl Rng,
    seen: &mut [u32],
    stamp: u32,
    out: &mut Vec<u32>,
) {
    /// Draws per seat before a sparse pool is given up on: enough that a seat stays empty only
    /// when volunteers are rare (openness near 0).
    const TRIES_PER_SEAT: usize = 50;
    if seats == 0 || pool.is_empty() {
        return;
    }
    if seats * 4 >= pool.len() {
        let start = out.len();
        out.extend(pool.iter().copied().filter(|&a| chance(rng, openness[a as usize])));
        if out.len() - start > seats {
            shuffle_first(&mut out[start..], seats, rng);
            out.truncate(start + seats);
        }
        return;
    }
    let mut taken = 0;
    let mut tries = 0;
    while taken < seats && tries < TRIES_PER_SEAT * seats {
        tries += 1;
        // One 64-bit draw a try: the organisation by multiply-and-shift (`pick_in`), then the
        // top 32 bits of what is left of the word for its acceptance (`below`).
        let mut word = rng.next_u64();
        let a = pool[pick_in(&mut word, pool.len())];
        if seen[a as usize] != stamp && below((word >> 32) as u32, openness[a as usize]) {
            seen[a as usize] = stamp;
            out.push(a);
            taken += 1;
        }
    }
}

/// `mingle` encounters per attendee, each with another attendee drawn at random (seminars, hubs).
fn mingle(gathering: &mut Gathering, people: &[u32], rounds: u32) -> u64 {
    let mut encounters = 0;
    if people.len() < 2 {
        return 0;
    }
    // The others are drawn several from a word of the venue's stream (`Indices`).
    let mut indices = Indices::default();
    for idx in 0..people.len() {
        for _ in 0..rounds {
            let mut other = indices.below(gathering.rng(), people.len() - 1);
            if other >= idx {
                other += 1;
            }
            gathering.encounter(people[idx], people[other]);
            encounters += 1;
        }
    }
    encounters
}

impl World {
    /// The stats a tie's origin counts toward.
    pub(crate) fn origin_stats(&mut self, origin: Origin) -> &mut VenueStats {
        match origin {
            Origin::Venue(v) if (v as usize) < self.venues.len() => &mut self.venues[v as usize].stats,
            Origin::Venue(v) => &mut self.closed[v as usize - self.venues.len()].stats,
            Origin::Direct => &mut self.direct,
        }
    }

    /// Attendance of a meeting (or the members of a `members` kind), into `out`.
    fn attendance(&mut self, v: usize, out: &mut Vec<u32>) {
        out.clear();
        self.stamp += 1;
        let venue = &self.venues[v];
        let seats = venue.spec.capacity;
        let pools = &venue.pools;
        let all = &self.pools;
        // Balanced: equal quotas per sector present; the remainder goes to randomly chosen sectors.
        // (At most one pool per sector: arrays, so that a meeting does not allocate.)
        let n = pools.len();
        let mut quotas = [seats / n.max(1); Sector::ALL.len()];
        let mut order: [usize; Sector::ALL.len()] = std::array::from_fn(|k| k);
        shuffle(&mut order[..n], &mut self.rng);
        for &k in order[..n].iter().take(seats % n.max(1)) {
            quotas[k] += 1;
        }
        for (&mask, &quota) in pools.iter().zip(&quotas) {
            draw_attendance(
                &all[mask],
                quota,
                &self.agents.openness,
                &mut self.rng,
                &mut self.seen,
                self.stamp,
                out,
            );
        }
    }

    /// Draws the fixed members of the kinds that have them, and lets each set itself up.
    pub(crate) fn set_up_venues(&mut self) {
        for v in 0..self.venues.len() {
            if !self.venues[v].spec.kind.members {
                continue;
            }
            self.draw_from(self.venues[v].stream);
            let mut members = Vec::new();
            // Membership is a standing choice, not a meeting: everyone in the pool is a candidate,
            // drawn by openness like attendance.
            self.attendance(v, &mut members);
            let mut meeting = self.venues[v].meeting.take().expect("a venue has its meeting rule");
            meeting.set_up(&mut Gathering::new(self, v), &mut members);
            self.venues[v].meeting = Some(meeting);
            self.venues[v].members = members;
        }
    }

    /// Sets venue v (of a kind with fixed members) up again with `members` given instead of
    /// drawn (a real present, or a saved world's given members): the kind's own set-up (a
    /// neighbourhood's lattice) from the venue's stream at step 0, as for drawn members.
    pub(crate) fn set_up_given(&mut self, v: usize, mut members: Vec<u32>) {
        self.draw_from(self.venues[v].stream);
        let mut meeting = self.venues[v].meeting.take().expect("a venue has its meeting rule");
        meeting.set_up(&mut Gathering::new(self, v), &mut members);
        self.venues[v].meeting = Some(meeting);
        self.venues[v].members = members;
        self.venues[v].given = true;
    }

    /// One meeting of venue v.
    pub(crate) fn meet(&mut self, v: usize) {
        let mut people = std::mem::take(&mut self.scratch.attendees);
        if self.venues[v].spec.kind.members {
            people.clear();
            people.extend_from_slice(&self.venues[v].members);
        } else {
            self.attendance(v, &mut people);
            self.steer_attendance(v, &mut people);
        }
        if self.ties.far() {
            // In a big city those present lie anywhere in memory. Their knowledge, lists of ties
            // and encounter counters (what an encounter reads first) are read all at once here,
            // the reads overlapping, before the meeting reads them pair by pair, each then
            // waiting on memory alone.
            let mut sum = 0u32;
            for &a in &people {
                sum ^= self.knowledge.touch(a) ^ self.ties.touch_list(a) ^ self.began[a as usize].0;
            }
            std::hint::black_box(sum);
        }
        let mut meeting = self.venues[v].meeting.take().expect("a venue has its meeting rule");
        let encounters = meeting.meet(&mut Gathering::new(self, v), &mut people);
        self.venues[v].meeting = Some(meeting);
        let encounters = encounters + self.steered_approaches(v, &people);
        let venue = &mut self.venues[v];
        if venue.spec.kind.members {
            // Its members met, as they are (a meeting rule reads its people, never reorders them):
            // not copied, which in a big city was a second list of every resident, 4 bytes an
            // organisation at 10⁶ (issue 28, item 2), and in Axelrod's classic a copy a step.
            debug_assert!(people == venue.members, "{}'s meeting changed its members", venue.name);
        } else {
            venue.present.clear();
            venue.present.extend_from_slice(&people);
        }
        venue.met = self.t;
        let cost = venue.spec.cost;
        let stats = &mut self.venues[v].stats;
        stats.meetings += 1;
        stats.attendance += people.len() as u64;
        stats.encounters += encounters;
        stats.cost += cost;
        self.counters.venue_cost += cost;
        self.scratch.attendees = people;
    }
}

#[cfg(test)]
mod tests {
    use super::World;

    #[test]
    fn a_members_venue_is_present_as_its_members_without_a_copy() {
        // The baseline's hub and neighbourhood meet as their members; the other venues as drawn.
        let s = crate::scenario::baseline(&[]).unwrap().scenario;
        let mut w = World::new(&s, 3);
        let mut seen = [false; 2];
        for _ in 0..12 {
            w.step();
            for venue in w.venues.iter().filter(|v| v.meets(w.t)) {
                let members = venue.spec.kind.members;
                seen[usize::from(members)] = true;
                assert!(!venue.present(w.t).is_empty(), "{}", venue.name);
                assert_eq!(venue.present(w.t) == venue.members.as_slice(), members, "{}", venue.name);
                assert_eq!(venue.present.capacity() == 0, members, "{}", venue.name);
                assert!(venue.present(w.t + 1).is_empty());
            }
        }
        assert_eq!(seen, [true, true]);
    }
}
