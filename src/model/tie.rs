//! Ties: relationships between two organisations, with trust, a status, the venue where they began
//! and the step of their last interaction. A tie that is a partnership has its partnership's state
//! ([`Work`]) in a slab of its own: few ties are partnerships at a time (27 of some 1 150 in the
//! baseline), and a tie without it is 32 bytes instead of 64, which is what a city of 10⁵
//! organisations holds most of.

use serde::{Deserialize, Serialize};

use super::calendar::{later_turn, word, Calendar, Gaps, NEVER, WAKE};
use super::ids::{IdSet, Ids};
use super::lists::TieLists;
use super::{below, Keyed};

/// Trust under which a tie that is no partnership is removed (MODEL.md §4, decay).
pub(crate) const FORGOTTEN: f64 = 0.01;

/// Where a tie began: a venue (by index) or a direct approach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// A venue, by its index among the world's venues.
    Venue(u16),
    /// A direct approach ("just ask", C8).
    Direct,
}

/// What a tie is: an acquaintance, or a partnership, informal or formal (MODEL.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// They know each other, but do not work together.
    Acquaintance,
    /// An informal partnership: both passed their permission check ("just ask", C8).
    Informal,
    /// A formal partnership: begun or made formal once trust reached `trust.formal` ("may we?").
    Formal,
}

impl Status {
    /// The status's name in output tables.
    pub fn name(self) -> &'static str {
        match self {
            Status::Acquaintance => "acquaintance",
            Status::Informal => "informal",
            Status::Formal => "formal",
        }
    }

    /// Whether the tie is a partnership, informal or formal.
    pub fn is_partnership(self) -> bool {
        self != Status::Acquaintance
    }
}

/// How a partnership ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ending {
    /// Trust fell below `trust.dissolve`.
    Dissolved,
    /// `stale_after` steps passed without an innovation.
    Exhausted,
    /// Still running when the run ended.
    Running,
}

impl Ending {
    /// The ending's name in output tables.
    pub fn name(self) -> &'static str {
        match self {
            Ending::Dissolved => "dissolved",
            Ending::Exhausted => "exhausted",
            Ending::Running => "running",
        }
    }
}

/// One partnership from its start to its end (or the end of the run).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnershipRecord {
    /// One partner (an agent's index).
    pub a: u32,
    /// The other partner.
    pub b: u32,
    /// Where the partners' tie began.
    pub origin: Origin,
    /// Whether it was born from procurement (C5).
    pub procurement: bool,
    /// First step of work.
    pub start: u32,
    /// Last step of work.
    pub end: u32,
    /// Partners' cognitive distance when it began, and at its end.
    pub start_distance: f64,
    /// Partners' cognitive distance at its end (or now, if it is still running).
    pub end_distance: f64,
    /// Innovations it produced.
    pub innovations: u32,
    /// How it ended.
    pub ending: Ending,
    /// Whether it was formal when it ended.
    pub formal: bool,
}

impl PartnershipRecord {
    /// Steps of work: from the step after it began to its last.
    pub(crate) fn duration(&self) -> u32 {
        self.end - self.start + 1
    }
}

/// A relationship between two organisations (MODEL.md §2). 32 bytes: a city of 10⁶ organisations
/// holds 11 slots of them an organisation at the end of its run (440 bytes of a tie's 40 before:
/// benches/README.md, "branch mem-kilo"), so what a tie is besides its ends, trust and steps —
/// its status, whether both ends are of one sector, where it began — lives in spare bits of
/// `state`, and the step the calendar holds it at in 16 bits. Saved worlds write and read it as
/// they always did (`TieRecord`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "TieRecord", into = "TieRecord")]
pub struct Tie {
    /// One end (an agent's index).
    pub a: u32,
    /// The other end.
    pub b: u32,
    /// Trust τ at the end of step `last`, from which it decays: what it is now is
    /// [`Ties::trust`]. (After a change of `trust.decay` it is the base that gives the trust
    /// of that moment under the new decay, and may exceed 1.)
    trust: f64,
    /// Step of the last interaction.
    pub last: u32,
    /// Below `FLAGS`: while a partnership, the slot of its state in `Ties::works`; while an
    /// acquaintance, the step before which it may not become a partnership again (a pair whose
    /// partnership ended rests for `stale_after` steps; 0 for one that never was a partnership).
    /// Above: the status (`STATUS`), `SAME_SECTOR` and `DIRECT`.
    state: u32,
    /// While an acquaintance, the next step at which it may be followed up (a candidate; see
    /// `calendar`), or, marked `WAKE`, at which it draws that step again; `NEVER` while a
    /// partnership or before it is drawn.
    next: u32,
    /// The venue where the tie began (`Origin::Venue`; 0 for a direct approach, `DIRECT`).
    venue: u16,
    /// The step the calendar holds the tie at, modulo 2¹⁵ (`Tie::due`), or `OFF_CALENDAR`: no
    /// later than the step it is due in, and never more than `HORIZON` steps ahead. The
    /// calendar's, not the tie's: not saved, and not compared.
    due: u16,
}

/// The bits of `Tie::state` that hold its value: a step (steps are at most 10⁶, 2²⁰, and a rest
/// adds at most 10⁶) or a partnership's slot (fewer than the ties, and far fewer than 2²⁸ in any
/// city a machine holds: 10⁸ organisations, `MOST_ORGANISATIONS`, have some 10⁷ partnerships).
const VALUE: u32 = (1 << 28) - 1;
/// `Tie::due` of a tie in no bucket of the calendar (`NEVER`: a partnership, a free slot, or
/// before the calendar is made); below it, the step it is held at modulo 2¹⁵ (`HELD`).
const OFF_CALENDAR: u16 = 1 << 15;
const HELD: u16 = OFF_CALENDAR - 1;
/// The tie began by a direct approach (`Origin::Direct`).
const DIRECT: u32 = 1 << 28;
/// Both ends are of one sector (kept: the trust sums are kept by it at every interaction).
const SAME_SECTOR: u32 = 1 << 29;
/// The status, in the top two bits: 0 an acquaintance, 1 informal, 2 formal.
const STATUS: u32 = 30;

/// The most steps ahead a tie is held in the calendar: one whose next candidate and forgetting
/// are further off (a small decay, a follow_up of 0) wakes at it and is held again, without a
/// draw. Less than 2¹⁵ − 1, so that the step it is held at is known from its 15 bits and the
/// step it is read in (`Tie::due`).
const HORIZON: u32 = 1 << 14;

/// A tie as saved worlds hold it (the fields and order `Tie` had when it was 40 bytes).
#[derive(Serialize, Deserialize)]
struct TieRecord {
    a: u32,
    b: u32,
    trust: f64,
    same_sector: bool,
    status: Status,
    origin: Origin,
    last: u32,
    state: u32,
    next: u32,
}

impl From<Tie> for TieRecord {
    fn from(tie: Tie) -> TieRecord {
        TieRecord {
            a: tie.a,
            b: tie.b,
            trust: tie.trust,
            same_sector: tie.same_sector(),
            status: tie.status(),
            origin: tie.origin(),
            last: tie.last,
            state: tie.state & VALUE,
            next: tie.next,
        }
    }
}

impl TryFrom<TieRecord> for Tie {
    type Error = &'static str;

    fn try_from(r: TieRecord) -> Result<Tie, &'static str> {
        if r.state > VALUE {
            return Err("a tie's rest or partnership slot is past 2^28");
        }
        let mut tie = Tie::new(r.a, r.b, r.same_sector, r.trust, r.origin, r.last);
        tie.set_status(r.status);
        tie.set_value(r.state);
        tie.next = r.next;
        Ok(tie)
    }
}

/// Two ties are equal in what they are, whatever step the calendar holds them at.
impl PartialEq for Tie {
    fn eq(&self, other: &Tie) -> bool {
        let key = |t: &Tie| (t.a, t.b, t.trust.to_bits(), t.state, t.venue, t.last, t.next);
        key(self) == key(other)
    }
}

/// The state of a running partnership.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Work {
    /// Step it began.
    pub since: u32,
    /// Step of its last innovation (or its start).
    pub last_innovation: u32,
    /// Born from procurement (C5).
    pub procurement: bool,
    /// Innovations so far.
    pub innovations: u32,
    /// Features on which the partners differed when it began.
    pub start_differing: u32,
    /// The partners' complementarity C (their capabilities do not change).
    pub complementarity: f64,
}

impl Tie {
    /// A new acquaintance that began at `origin` in step `t`, between organisations of one sector
    /// or not (`same_sector`).
    pub fn new(a: u32, b: u32, same_sector: bool, trust: f64, origin: Origin, t: u32) -> Self {
        let mut tie = Tie {
            a,
            b,
            trust,
            last: t,
            state: u32::from(same_sector) * SAME_SECTOR,
            next: NEVER,
            venue: 0,
            due: OFF_CALENDAR,
        };
        tie.set_origin(origin);
        tie
    }

    /// Whether the tie is a partnership, informal or formal (`Status::is_partnership`).
    #[inline]
    pub fn is_partnership(&self) -> bool {
        self.state >= 1 << STATUS
    }

    /// Acquaintance or partnership: a tie becomes a partnership and ceases to be one through
    /// [`Ties::begin_partnership`] and [`Ties::end_partnership`], which keep its state.
    #[inline]
    pub fn status(&self) -> Status {
        const BY_BITS: [Status; 4] = [Status::Acquaintance, Status::Informal, Status::Formal, Status::Formal];
        BY_BITS[(self.state >> STATUS) as usize]
    }

    /// Sets the status (from informal to formal; `Ties` makes and ends partnerships).
    pub(crate) fn set_status(&mut self, status: Status) {
        let bits = match status {
            Status::Acquaintance => 0,
            Status::Informal => 1,
            Status::Formal => 2,
        };
        self.state = (self.state & !(3 << STATUS)) | (bits << STATUS);
    }

    /// Whether both ends are of one sector.
    #[inline]
    pub fn same_sector(&self) -> bool {
        self.state & SAME_SECTOR != 0
    }

    /// Where the tie began.
    pub fn origin(&self) -> Origin {
        if self.state & DIRECT != 0 {
            Origin::Direct
        } else {
            Origin::Venue(self.venue)
        }
    }

    /// Sets where the tie began.
    pub(crate) fn set_origin(&mut self, origin: Origin) {
        match origin {
            Origin::Direct => {
                self.state |= DIRECT;
                self.venue = 0;
            }
            Origin::Venue(v) => {
                self.state &= !DIRECT;
                self.venue = v;
            }
        }
    }

    /// The rest's last step or the partnership's slot (`state` below its flags).
    #[inline]
    fn value(&self) -> u32 {
        self.state & VALUE
    }

    fn set_value(&mut self, value: u32) {
        debug_assert!(value <= VALUE, "{value}");
        self.state = (self.state & !VALUE) | (value & VALUE);
    }

    /// The step the calendar holds the tie at, read in step `t` (or at its end), or `NEVER`: it
    /// is never before t (a tie is taken from the calendar in the step it is held at, and held
    /// again later or forgotten) nor more than `HORIZON` after it, so its 15 bits say which.
    #[inline]
    fn due(&self, t: u32) -> u32 {
        if self.due & OFF_CALENDAR != 0 {
            NEVER
        } else {
            t.wrapping_add(u32::from(self.due.wrapping_sub(t as u16) & HELD))
        }
    }

    /// Whether the calendar holds the tie at step `due` (read at most `HORIZON` steps before it,
    /// and not after it: `due`): one comparison of 16 bits, which a tie off the calendar fails.
    #[inline]
    fn held_at(&self, due: u32) -> bool {
        self.due == due as u16 & HELD
    }

    /// Holds the tie at step `due`, which is not `NEVER` (`Ties::due` never is).
    #[inline]
    fn hold(&mut self, due: u32) {
        debug_assert!(due != NEVER);
        self.due = due as u16 & HELD;
    }

    /// Takes the tie out of the calendar (`NEVER`): its entries, if any, are stale.
    #[inline]
    fn release(&mut self) {
        self.due = OFF_CALENDAR;
    }

    /// No new partnership before this step (`u32::MAX` while it is one).
    pub(crate) fn rest_until(&self) -> u32 {
        if self.is_partnership() {
            u32::MAX
        } else {
            self.value()
        }
    }

    /// The end of the tie that is not `a`.
    pub fn other(&self, a: u32) -> u32 {
        if self.a == a {
            self.b
        } else {
            self.a
        }
    }
}

/// What observation reports of the live ties (docs/model.md §7): trust summed within and across
/// sectors, the partnerships by status, and the partners' distances summed. The trust sums are
/// kept as trust changes (`Sum`), the rest is taken from the few partnerships: no pass over
/// the slab.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct TieTotals {
    /// Trust summed over the ties within one sector, and their number.
    pub trust_within: (f64, u64),
    /// Trust summed over the ties across sectors, and their number.
    pub trust_across: (f64, u64),
    /// Informal partnerships.
    pub informal: u64,
    /// Formal partnerships.
    pub formal: u64,
    /// Partnerships across sectors.
    pub cross: u64,
    /// The partners' distance d summed over the partnerships (as floats, in slab order: a sum of
    /// whole numbers of features divided afterwards would differ from it in the last bits).
    pub distance: f64,
}

/// Trust summed over the live ties of one kind (within one sector, or across), kept as ties
/// begin, interact and end so that observation need not pass over them. At the end of step t a
/// tie's trust is τ_L − decay · (t − L) (no live tie has decayed to the floor of 0: an
/// acquaintance is forgotten below `FORGOTTEN`, a partnership works every step), so the sum is
/// Σ τ_L − decay · (t · n − Σ L). The bases are summed as whole numbers of 2⁻⁵² so that the sum
/// does not depend on the order ties came and went in: a resumed world sums them afresh to the
/// same bits.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    bases: i128,
    lasts: i128,
    count: u64,
}

/// 2⁵², the scale of `Sum::bases`.
const SCALE: f64 = 4_503_599_627_370_496.0;

impl Sum {
    fn add(&mut self, tie: &Tie, sign: i128) {
        // Truncated to a whole number in 64 bits (τ_L < 2, so it fits), then summed in 128.
        self.bases += sign * i128::from((tie.trust * SCALE) as i64);
        self.lasts += sign * i128::from(tie.last);
        self.count = (self.count as i128 + sign) as u64;
    }

    /// Changes a tie counted in the sum to base `trust` at step `last` (`add` of it with sign −1,
    /// then of the changed tie with sign 1, in fewer instructions).
    #[inline]
    fn replace(&mut self, tie: &Tie, trust: f64, last: u32) {
        self.bases += i128::from((trust * SCALE) as i64) - i128::from((tie.trust * SCALE) as i64);
        self.lasts += i128::from(last) - i128::from(tie.last);
    }

    /// (Σ τ, n) at the end of step `now`.
    fn at(&self, now: u32, decay: f64) -> (f64, u64) {
        let ages = i128::from(now) * self.count as i128 - self.lasts;
        (self.bases as f64 / SCALE - decay * ages as f64, self.count)
    }
}

/// How many ties ahead the pass over a step's due ties reads their slots (`Ties::read_ahead`):
/// enough reads in flight to hide memory's latency, few enough that what they bring stays in the
/// caches until it is used.
const AHEAD: usize = 16;

/// Ties per organisation the slab has room for from set-up: the baseline's cities end their runs
/// with 7–9 (`cargo bench -p olika-bench --bench scale`). Room untouched costs address space, not memory.
const TIES_PER_AGENT: usize = 8;

/// Bytes the ties of one organisation may hold at their peak: its share of the slab (a tie and
/// whether it is alive) with room for `TIES_PER_AGENT` — counted twice, since a slab that
/// outgrows its room is copied into one twice as large, and both are held while it is copied —
/// of the calendar (an id a tie, twice for the stale entries it holds), and of the lists (each
/// tie in two, a list's room at most twice its longest: `TieLists`).
pub(crate) const PEAK_BYTES_PER_AGENT: u64 =
    (2 * TIES_PER_AGENT * (std::mem::size_of::<Tie>() + std::mem::size_of::<bool>())
        + 2 * TIES_PER_AGENT * 4
        + TieLists::PEAK_BYTES_PER_AGENT
        + 2 * 2 * TIES_PER_AGENT * std::mem::size_of::<(u32, u32)>()) as u64;

/// All ties: a slab of slots (ids are reused), and each agent's list of its ties. The running
/// partnerships' states are a second slab, its slots reused too. Trust decays lazily (see
/// [`Ties::trust`]), and a step visits only the ties that the calendar has due in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Ties {
    slots: Vec<Tie>,
    works: Vec<Work>,
    free_works: Vec<u32>,
    alive: Vec<bool>,
    free: Vec<u32>,
    count: usize,
    /// Each agent's (other end, tie id) pairs.
    by_agent: TieLists,
    /// The decays applied: t − 1 during step t, t once it has ended.
    now: u32,
    /// The `trust.decay` the ties' trust decays by, and the `follow_up` their next candidates
    /// were drawn with: a world resumed or retuned with others goes on from the trust of the
    /// moment (`Ties::prepare`).
    decay: f64,
    follow_up: f64,
    /// What is kept from the ties so that a step need not pass over them: made again from them
    /// when a saved world is read.
    #[serde(skip)]
    kept: Kept,
}

/// What `Ties` keeps from its ties (`Ties::restore` makes it again from them): nothing in it is
/// state of the world, so two `Ties` with the same ties are equal whatever it holds.
#[derive(Debug, Clone, Default)]
struct Kept {
    /// The trust sums across sectors [0] and within one [1].
    sums: [Sum; 2],
    /// The ties that are partnerships, read in slab order.
    partnerships: IdSet,
    /// Whether the calendar holds every acquaintance (not in a world just read, nor after a
    /// change of `decay` or `follow_up`: `Ties::prepare` makes it).
    scheduled: bool,
    /// The ties by the step they are held at (`Tie::due`): an entry counts only while it agrees
    /// with its tie's.
    calendar: Calendar,
    gaps: Gaps,
    /// Ties due at the end of this step: their trust may fall below `FORGOTTEN` then.
    ending: Vec<u32>,
    /// Ties that began in this step, or became acquaintances again: they enter the calendar at
    /// its end.
    touched: Vec<u32>,
    /// Whether to read ahead whatever the slab's size (a test sets it; `Ties::far`).
    far: Option<bool>,
}

impl PartialEq for Kept {
    fn eq(&self, _: &Kept) -> bool {
        true
    }
}

impl Ties {
    /// No ties among `agents` organisations, the slab made at set-up with room for
    /// `TIES_PER_AGENT` ties an organisation, so that the steps seldom grow it; trust
    /// decays by `decay` a step, and ties are followed up at `follow_up`.
    pub fn new(agents: usize, decay: f64, follow_up: f64) -> Self {
        Ties {
            slots: Vec::with_capacity(agents * TIES_PER_AGENT),
            alive: Vec::with_capacity(agents * TIES_PER_AGENT),
            by_agent: TieLists::new(agents),
            decay,
            follow_up,
            ..Default::default()
        }
    }

    /// The number of live ties.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no live tie.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The tie with this id.
    pub fn get(&self, id: u32) -> &Tie {
        &self.slots[id as usize]
    }

    /// The tie with this id, to change its status or origin (trust changes by `interact`).
    pub(crate) fn get_mut(&mut self, id: u32) -> &mut Tie {
        &mut self.slots[id as usize]
    }

    /// A tie's trust now: τ = max(0, τ_L − decay · (now − L)) after its last interaction in step
    /// L (MODEL.md §6: trust decays by `decay` at the end of every step without an interaction),
    /// worked out when it is read instead of by a pass over every tie every step.
    #[inline]
    pub fn trust(&self, tie: &Tie) -> f64 {
        if self.now > tie.last {
            (tie.trust - self.decay * f64::from(self.now - tie.last)).max(0.0)
        } else {
            tie.trust
        }
    }

    /// The trust of tie `id` now.
    pub(crate) fn trust_of(&self, id: u32) -> f64 {
        self.trust(&self.slots[id as usize])
    }

    /// An interaction on tie `id` in step t that leaves its trust at `trust`. An acquaintance's
    /// interaction never lowers its trust, so its forgetting moves later, never earlier: it stays
    /// where it is in the calendar, and is put where it belongs when that step comes.
    pub(crate) fn interact(&mut self, id: u32, t: u32, trust: f64) {
        debug_assert!(self.slots[id as usize].is_partnership() || trust >= self.trust_of(id));
        let tie = &mut self.slots[id as usize];
        // The tie's old base and step out of its sum and the new ones in, at once: whole numbers,
        // so the same sum as taking it out and putting it back.
        self.kept.sums[usize::from(tie.same_sector())].replace(tie, trust, t);
        tie.trust = trust;
        tie.last = t;
    }

    /// The live ties, in slab order.
    pub fn iter(&self) -> impl Iterator<Item = &Tie> {
        self.slots.iter().zip(&self.alive).filter(|(_, &alive)| alive).map(|(tie, _)| tie)
    }

    /// (other end, tie id) of each tie of one agent.
    pub fn of(&self, a: u32) -> &[(u32, u32)] {
        self.by_agent.of(a)
    }

    /// Whether reading ahead pays (`Ties::read_ahead`, and a meeting's attendees in
    /// `World::meet`): when the slab of ties is larger than a core's own cache (2 MB on the
    /// development machine), so that scattered reads of ties and organisations wait on memory.
    /// In a smaller city they are in the caches and a read ahead is only more work.
    pub(crate) fn far(&self) -> bool {
        self.kept.far.unwrap_or(self.slots.len() >= 1 << 15)
    }

    /// Reads ahead (`far`) always, or never, whatever the slab's size.
    #[cfg(test)]
    pub(crate) fn read_ahead_always(&mut self, far: bool) {
        self.kept.far = Some(far);
    }

    /// Something of agent a's list of ties, read ahead of its turn.
    pub(crate) fn touch_list(&self, a: u32) -> u32 {
        self.of(a).first().map_or(0, |&(other, _)| other)
    }

    /// The number of ties of one agent.
    pub(crate) fn degree(&self, a: u32) -> usize {
        self.by_agent.degree(a)
    }

    /// The id of the tie between `a` and `b`, if they have one.
    #[inline]
    pub fn find(&self, a: u32, b: u32) -> Option<u32> {
        let (x, y) = if self.degree(a) <= self.degree(b) { (a, b) } else { (b, a) };
        self.by_agent.of(x).iter().find(|&&(other, _)| other == y).map(|&(_, id)| id)
    }

    /// The state of the partnership on tie `id` (which must be a partnership).
    pub fn work(&self, id: u32) -> &Work {
        debug_assert!(self.slots[id as usize].is_partnership());
        &self.works[self.slots[id as usize].value() as usize]
    }

    /// The state of the partnership on tie `id`, to change it.
    pub(crate) fn work_mut(&mut self, id: u32) -> &mut Work {
        debug_assert!(self.slots[id as usize].is_partnership());
        &mut self.works[self.slots[id as usize].value() as usize]
    }

    /// The ties that are partnerships, in slab order.
    pub(crate) fn partnerships(&self) -> Ids<'_> {
        self.kept.partnerships.iter()
    }

    /// Makes tie `id` a partnership of `status` with state `work`; it leaves the calendar.
    pub(crate) fn begin_partnership(&mut self, id: u32, status: Status, work: Work) {
        debug_assert!(status.is_partnership() && !self.slots[id as usize].is_partnership());
        let slot = match self.free_works.pop() {
            Some(slot) => {
                self.works[slot as usize] = work;
                slot
            }
            None => {
                self.works.push(work);
                (self.works.len() - 1) as u32
            }
        };
        let tie = &mut self.slots[id as usize];
        tie.set_status(status);
        tie.set_value(slot);
        tie.next = NEVER;
        tie.release();
        self.kept.partnerships.insert(id);
    }

    /// Makes the partnership on tie `id` an acquaintance again, freeing its state's slot; the pair
    /// may not begin another before step `rest_until`. It enters the calendar at the step's end.
    pub(crate) fn end_partnership(&mut self, id: u32, rest_until: u32) {
        let tie = &mut self.slots[id as usize];
        debug_assert!(tie.is_partnership());
        tie.set_status(Status::Acquaintance);
        self.free_works.push(tie.value());
        tie.set_value(rest_until);
        self.kept.partnerships.remove(id);
        self.kept.touched.push(id);
    }

    /// Adds a tie, reusing a free slot if there is one; returns its id.
    pub fn insert(&mut self, tie: Tie) -> u32 {
        let (a, b) = (tie.a, tie.b);
        self.kept.sums[usize::from(tie.same_sector())].add(&tie, 1);
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id as usize] = tie;
                self.alive[id as usize] = true;
                id
            }
            None => {
                self.slots.push(tie);
                self.alive.push(true);
                (self.slots.len() - 1) as u32
            }
        };
        self.count += 1;
        self.by_agent.push(a, (b, id));
        self.by_agent.push(b, (a, id));
        self.kept.touched.push(id);
        id
    }

    /// Before a step: a `trust.decay` or `follow_up` other than the ties were made with (a
    /// retuned or resumed world) takes effect from now — each tie's trust of the moment decays
    /// by the new decay, each acquaintance's next candidate is drawn anew with the new
    /// follow_up — and the calendar is made if it is not (`key` is the follow-ups' stage key of
    /// step `now`, which such draws are keyed by).
    pub(crate) fn prepare(&mut self, decay: f64, follow_up: f64, key: u64) {
        let refold = decay.to_bits() != self.decay.to_bits();
        if refold {
            // τ_now = τ_L − decay_old · (now − L) = τ'_L − decay_new · (now − L).
            for id in 0..self.slots.len() {
                if self.alive[id] {
                    let now = self.trust(&self.slots[id]);
                    let tie = &mut self.slots[id];
                    tie.trust = now + decay * f64::from(self.now.saturating_sub(tie.last));
                }
            }
            self.decay = decay;
            self.restore();
        }
        let redraw = follow_up.to_bits() != self.follow_up.to_bits();
        if redraw {
            self.follow_up = follow_up;
            self.slots.iter_mut().for_each(|tie| tie.next = NEVER);
            self.kept.scheduled = false;
        }
        if !self.kept.scheduled {
            self.schedule(key);
        }
    }

    /// Makes the calendar from the ties: each acquaintance due at its next candidate (drawn from
    /// step `now` with `key` where it has none) or at its forgetting, if earlier.
    fn schedule(&mut self, key: u64) {
        let kept = &mut self.kept;
        kept.gaps = Gaps::new(self.follow_up);
        kept.calendar.clear();
        kept.ending.clear();
        kept.touched.clear();
        self.slots.iter_mut().for_each(|tie| tie.release());
        for id in 0..self.slots.len() as u32 {
            let tie = &self.slots[id as usize];
            if self.alive[id as usize] && !tie.is_partnership() {
                if tie.next == NEVER {
                    let w = word(key, Keyed::pair(tie.a, tie.b)) as u32;
                    self.slots[id as usize].next = self.kept.gaps.next(self.now, w);
                }
                self.reschedule(id);
            }
        }
        self.kept.scheduled = true;
    }

    /// Stage 3 of step t (`key`: its stage key): the ties due at a candidate step are drawn for,
    /// and those followed up (trust τ now, no interaction yet in this step: probability τ at a
    /// candidate, follow_up · τ in all) put in `out`, in slab order; each draws its next
    /// candidate from the same word.
    pub(crate) fn follow_ups(&mut self, t: u32, key: u64, out: &mut Vec<u32>) {
        let mut ids = self.kept.calendar.take(t);
        let mut later = 0;
        for i in 0..ids.len() {
            self.read_ahead(&ids, i, |ties, id| u32::from(ties.slots[id as usize].due));
            let id = ids[i];
            if !self.slots[id as usize].held_at(t) {
                if later_turn(self.slots[id as usize].due(t), t) {
                    ids[later] = id;
                    later += 1;
                }
                continue;
            }
            let tie = &self.slots[id as usize];
            if tie.next & !WAKE == t {
                let w = word(key, Keyed::pair(tie.a, tie.b));
                if tie.next == t && tie.last != t && below((w >> 32) as u32, self.trust(tie)) {
                    out.push(id);
                }
                self.slots[id as usize].next = self.kept.gaps.next(t, w as u32);
            }
            let due = self.due(id);
            if due == t {
                self.kept.ending.push(id);
            } else if later_turn(due, t) {
                self.slots[id as usize].hold(due);
                ids[later] = id;
                later += 1;
            } else {
                self.slots[id as usize].hold(due);
                self.kept.calendar.add(due, id);
            }
        }
        ids.truncate(later);
        self.kept.calendar.put_back(t, ids);
        // The calendar's order is its history's: a resumed world's differs. Slab order is not.
        out.sort_unstable();
    }

    /// Reads the slots of `ids` ahead of their turn. In a big city the ties a step visits lie at
    /// random places in a slab far larger than the caches, so each read is a wait on memory;
    /// reads that do not depend on one another overlap, where the loop's own reads, each
    /// behind the previous tie's work, came one after another. Called with each i of a pass
    /// over `ids` in order: at i = 0 it reads the first 2 · `AHEAD` ties' slots, and at every
    /// other multiple of `AHEAD` the `AHEAD` after those already read; `read` is what of a tie
    /// the pass will want.
    fn read_ahead(&self, ids: &[u32], i: usize, read: impl Fn(&Ties, u32) -> u32) {
        if i.is_multiple_of(AHEAD) && self.far() {
            let from = if i == 0 { 0 } else { i + AHEAD };
            let mut sum = 0u32;
            for &id in ids.iter().skip(from).take(if i == 0 { 2 * AHEAD } else { AHEAD }) {
                sum = sum.wrapping_add(read(self, id));
            }
            std::hint::black_box(sum);
        }
    }

    /// The end of step t (`key`: the follow-ups' stage key of step t): trust has decayed once
    /// more on every tie that did not interact in it, and the acquaintances whose trust fell below
    /// `FORGOTTEN` are removed, in slab order (MODEL.md §6, Ending); the ties that began in it, or
    /// became acquaintances again, enter the calendar. `forgotten` is scratch.
    pub(crate) fn settle(&mut self, t: u32, key: u64, forgotten: &mut Vec<u32>) {
        self.now = t;
        forgotten.clear();
        let mut ending = std::mem::take(&mut self.kept.ending);
        ending.sort_unstable();
        ending.dedup();
        for &id in &ending {
            if !self.slots[id as usize].held_at(t) {
                continue;
            }
            let tie = &self.slots[id as usize];
            if !tie.is_partnership() && tie.last != t && self.trust(tie) < FORGOTTEN {
                forgotten.push(id);
            } else {
                self.reschedule(id);
            }
        }
        self.kept.ending = ending;
        self.kept.ending.clear();
        let mut touched = std::mem::take(&mut self.kept.touched);
        touched.sort_unstable();
        touched.dedup();
        for &id in &touched {
            let tie = &self.slots[id as usize];
            if self.alive[id as usize] && !tie.is_partnership() {
                if tie.next == NEVER {
                    let w = word(key, Keyed::pair(tie.a, tie.b)) as u32;
                    self.slots[id as usize].next = self.kept.gaps.next(t, w);
                }
                self.reschedule(id);
            }
        }
        touched.clear();
        self.kept.touched = touched;
        // Removing a tie finds it in both ends' lists, which in a big city lie anywhere: they are
        // read ahead, as the calendar's pass reads its ties.
        for (i, &id) in forgotten.iter().enumerate() {
            self.read_ahead(forgotten, i, |ties, id| {
                let tie = &ties.slots[id as usize];
                ties.touch_list(tie.a) ^ ties.touch_list(tie.b)
            });
            self.remove(id);
        }
    }

    /// The step tie `id` (an acquaintance) is next due in: its next candidate or wake-up, or the
    /// step at whose end its trust falls below `FORGOTTEN`, whichever comes first — or, when both
    /// are further off than `HORIZON` steps, a wake-up at which nothing happens but its being
    /// held again (the calendar's 16 bits a tie reach no further).
    #[inline]
    fn due(&self, id: u32) -> u32 {
        let tie = &self.slots[id as usize];
        let next = if tie.next == NEVER { NEVER } else { tie.next & !WAKE };
        next.min(self.forgotten_at(tie)).min(self.now.saturating_add(1 + HORIZON))
    }

    /// Puts tie `id` in the calendar at its due step, unless it is there already.
    fn reschedule(&mut self, id: u32) {
        if self.slots[id as usize].is_partnership() {
            self.slots[id as usize].release();
            return;
        }
        let due = self.due(id);
        let tie = &mut self.slots[id as usize];
        if !tie.held_at(due) {
            tie.hold(due);
            self.kept.calendar.add(due, id);
        }
    }

    /// The first step after the tie's last interaction L (and after now) at whose end its
    /// trust, τ_L − decay · n after n steps, is below `FORGOTTEN`: L + the least such n, found
    /// from (τ_L − FORGOTTEN) / decay and made exact against the very expression `trust` reads.
    fn forgotten_at(&self, tie: &Tie) -> u32 {
        let (base, decay) = (tie.trust, self.decay);
        let fallen = |n: u32| (base - decay * f64::from(n)).max(0.0) < FORGOTTEN;
        let n = if decay > 0.0 {
            // A first guess (the cast truncates, and takes a negative to 0), made exact below; past
            // 2·10⁹ steps (a run has at most 10⁶), never.
            let guess = (base - FORGOTTEN) / decay;
            if guess >= 2e9 {
                return NEVER;
            }
            let mut n = guess as u32 + 1;
            while n > 1 && fallen(n - 1) {
                n -= 1;
            }
            while !fallen(n) {
                n += 1;
            }
            n
        } else if fallen(1) {
            1
        } else {
            return NEVER;
        };
        tie.last.saturating_add(n).max(self.now + 1)
    }

    /// The totals of the live ties at the end of step `now` (observation's; see [`Sum`] for the
    /// trust, and the partnerships in slab order for the rest).
    pub(crate) fn totals(&self, distance: impl Fn(u32, u32) -> f64) -> TieTotals {
        let [across, within] = self.kept.sums;
        let mut totals = TieTotals {
            trust_within: within.at(self.now, self.decay),
            trust_across: across.at(self.now, self.decay),
            ..TieTotals::default()
        };
        for id in self.kept.partnerships.iter() {
            let tie = &self.slots[id as usize];
            totals.informal += u64::from(tie.status() == Status::Informal);
            totals.formal += u64::from(tie.status() == Status::Formal);
            totals.cross += u64::from(!tie.same_sector());
            totals.distance += distance(tie.a, tie.b);
        }
        totals
    }

    /// Makes again what `Ties` keeps from its ties (after a saved world is read, or a change of
    /// decay): the trust sums and the partnerships; the calendar at the next `prepare`.
    pub(crate) fn restore(&mut self) {
        let mut sums = [Sum::default(); 2];
        let mut partnerships = IdSet::default();
        for (id, tie) in self.slots.iter().enumerate().filter(|&(id, _)| self.alive[id]) {
            sums[usize::from(tie.same_sector())].add(tie, 1);
            if tie.is_partnership() {
                partnerships.insert(id as u32);
            }
        }
        self.kept.sums = sums;
        self.kept.partnerships = partnerships;
        self.kept.scheduled = false;
    }

    /// Whether ties read from a saved world are whole for `n` organisations at step `t`: every
    /// slot's ends and partnership state within bounds, each live tie in both ends' lists, the
    /// counts right, every origin one that `origin` takes, trust and the decay's parameters
    /// within their bounds.
    pub(crate) fn fits(&self, n: usize, t: u32, origin: impl Fn(Origin) -> bool) -> bool {
        let slots = self.slots.len();
        let live = self.alive.iter().filter(|&&a| a).count();
        let partnerships = self.iter().filter(|t| t.is_partnership()).count();
        let unit = |x: f64| (0.0..=1.0).contains(&x);
        self.alive.len() == slots
            && self.now == t
            // A run has at most 10⁶ steps (`steps`), and a rest adds at most 10⁶: far within the
            // bits of a tie's `state` (`VALUE`) and the calendar's reach.
            && self.now < 1 << 24
            && unit(self.decay)
            && unit(self.follow_up)
            && self.by_agent.len() == n
            && self.count == live
            && self.free.len() == slots - live
            && self.free.iter().all(|&id| (id as usize) < slots && !self.alive[id as usize])
            && self.free_works.iter().all(|&w| (w as usize) < self.works.len())
            && self.works.len() == partnerships + self.free_works.len()
            && self.iter().all(|t| {
                (t.a as usize) < n
                    && (t.b as usize) < n
                    && t.a != t.b
                    && origin(t.origin())
                    && (!t.is_partnership() || (t.value() as usize) < self.works.len())
                    && t.trust.is_finite()
                    && (0.0..=2.0).contains(&t.trust)
                    && t.last <= self.now
            })
            && self.by_agent.iter().map(<[_]>::len).sum::<usize>() == 2 * live
            && self.by_agent.iter().enumerate().all(|(a, list)| {
                list.iter().all(|&(b, id)| {
                    (id as usize) < slots && self.alive[id as usize] && {
                        let t = &self.slots[id as usize];
                        (t.a as usize, t.b) == (a, b) || (t.b as usize, t.a) == (a, b)
                    }
                })
            })
    }

    /// Numbers every tie's venue of origin anew (a resumed world's venues are in its scenario's
    /// order).
    pub(crate) fn renumber_origins(&mut self, mut renumber: impl FnMut(&mut Origin)) {
        self.slots.iter_mut().for_each(|t| {
            let mut origin = t.origin();
            renumber(&mut origin);
            t.set_origin(origin);
        });
    }

    /// Room for as many ties as `Ties::new` makes for `agents` organisations, so that a resumed
    /// world's steps grow the slab no more often than a new world's.
    pub(crate) fn reserve_for(&mut self, agents: usize) {
        let room = (agents * TIES_PER_AGENT).saturating_sub(self.slots.len());
        self.slots.reserve(room);
        self.alive.reserve(room);
    }

    /// Removes tie `id` (an acquaintance: partnerships end first) and frees its slot for reuse.
    pub fn remove(&mut self, id: u32) {
        debug_assert!(!self.slots[id as usize].is_partnership());
        let tie = &self.slots[id as usize];
        let (a, b) = (tie.a, tie.b);
        self.kept.sums[usize::from(tie.same_sector())].add(tie, -1);
        for agent in [a, b] {
            self.by_agent.remove(agent, id);
        }
        self.slots[id as usize].release();
        self.alive[id as usize] = false;
        self.count -= 1;
        self.free.push(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tie(a: u32, b: u32) -> Tie {
        Tie::new(a, b, false, 0.1, Origin::Direct, 0)
    }

    #[test]
    fn insert_find_remove_keep_lists_consistent() {
        let mut ties = Ties::new(4, 0.01, 0.05);
        let t01 = ties.insert(tie(0, 1));
        let t12 = ties.insert(tie(1, 2));
        let t23 = ties.insert(tie(2, 3));
        assert_eq!(ties.find(1, 0), Some(t01));
        assert_eq!(ties.find(0, 2), None);
        ties.remove(t12);
        assert_eq!(ties.len(), 2);
        assert_eq!(ties.find(1, 2), None);
        assert_eq!(ties.degree(1), 1);
        assert_eq!(ties.find(3, 2), Some(t23));
        let again = ties.insert(tie(0, 3));
        assert_eq!(again, t12, "slots are reused");
        assert_eq!(ties.find(3, 0), Some(again));
        assert_eq!(ties.iter().count(), 3);
    }

    #[test]
    fn each_tie_is_followed_up_with_probability_follow_up_times_trust_each_step() {
        // 400 acquaintances at trust 0.6 that never decay or interact, 500 steps: the share of
        // tie-steps followed up is follow_up · τ, and a tie followed up in one step is followed up
        // in the next at the same rate (the steps are independent).
        let (p, trust, n, steps) = (0.2, 0.6, 400u32, 500u32);
        let streams = crate::model::Streams::new(9);
        let key = |t| streams.stage_key(crate::model::Stream::FollowUps, t);
        let mut ties = Ties::new(2 * n as usize, 0.0, p);
        for k in 0..n {
            ties.insert(Tie::new(2 * k, 2 * k + 1, false, trust, Origin::Direct, 0));
        }
        ties.prepare(0.0, p, key(0));
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        let (mut hits, mut again, mut before) = (0u32, 0u32, vec![false; n as usize]);
        for t in 1..=steps {
            out.clear();
            ties.follow_ups(t, key(t), &mut out);
            ties.settle(t, key(t), &mut scratch);
            assert!(out.windows(2).all(|w| w[0] < w[1]), "in slab order, each once");
            let mut now = vec![false; n as usize];
            out.iter().for_each(|&id| now[id as usize] = true);
            hits += out.len() as u32;
            again += now.iter().zip(&before).filter(|(a, b)| **a && **b).count() as u32;
            before = now;
        }
        let q = p * trust;
        let tie_steps = f64::from(n * steps);
        let share = f64::from(hits) / tie_steps;
        assert!((share - q).abs() < 4.0 * (q * (1.0 - q) / tie_steps).sqrt(), "share {share}, want {q}");
        let pairs = f64::from(n * (steps - 1));
        let both = f64::from(again) / pairs;
        assert!(
            (both - q * q).abs() < 4.0 * (q * q / pairs).sqrt(),
            "two steps running {both}, want {}",
            q * q
        );
        assert_eq!(ties.len(), n as usize, "no decay, nothing forgotten");
    }

    #[test]
    fn partnership_states_live_in_their_own_reused_slots() {
        let mut ties = Ties::new(4, 0.01, 0.05);
        let (t01, t23) = (ties.insert(tie(0, 1)), ties.insert(tie(2, 3)));
        let work = |since| Work { since, ..Work::default() };
        ties.begin_partnership(t01, Status::Informal, work(3));
        ties.begin_partnership(t23, Status::Formal, work(5));
        assert_eq!((ties.work(t01).since, ties.work(t23).since), (3, 5));
        ties.work_mut(t01).innovations += 1;
        ties.end_partnership(t01, 12);
        assert_eq!((ties.get(t01).status(), ties.get(t01).rest_until()), (Status::Acquaintance, 12));
        ties.begin_partnership(t01, Status::Informal, work(9));
        assert_eq!((ties.work(t01).since, ties.work(t01).innovations, ties.work(t23).since), (9, 0, 5));
        assert_eq!(ties.works.len(), 2, "the freed state's slot is reused");
        // The memory a city of 10⁵ organisations holds most of (docs/model.md, Performance).
        assert_eq!(std::mem::size_of::<Tie>(), 32);
    }

    /// A tie as saved worlds held it when it was 40 bytes (`TieRecord`'s fields and order).
    #[derive(Serialize, Deserialize)]
    struct Saved {
        a: u32,
        b: u32,
        trust: f64,
        same_sector: bool,
        status: Status,
        origin: Origin,
        last: u32,
        state: u32,
        next: u32,
    }

    #[test]
    fn a_tie_reads_back_what_it_was_given_and_is_saved_as_before() {
        let statuses = [Status::Acquaintance, Status::Informal, Status::Formal];
        let origins = [Origin::Direct, Origin::Venue(0), Origin::Venue(7), Origin::Venue(u16::MAX)];
        for (&status, &origin, same, value) in statuses
            .iter()
            .flat_map(|s| origins.iter().map(move |o| (s, o)))
            .flat_map(|(s, o)| [false, true].map(|same| (s, o, same)))
            .flat_map(|(s, o, same)| [0, 5, VALUE].map(|v| (s, o, same, v)))
        {
            let mut tie = Tie::new(3, 9, same, 0.37, origin, 11);
            tie.set_status(status);
            tie.set_value(value);
            tie.next = 40 | WAKE;
            // The calendar's bits are not the tie's.
            tie.hold(123_456);
            let what = |t: &Tie| {
                (t.a, t.b, t.trust, t.same_sector(), t.status(), t.origin(), t.last, t.value(), t.next)
            };
            assert_eq!(what(&tie), (3, 9, 0.37, same, status, origin, 11, value, 40 | WAKE));
            assert_eq!(tie.is_partnership(), status.is_partnership());
            assert_eq!(tie.rest_until(), if status.is_partnership() { u32::MAX } else { value });
            let saved = Saved {
                a: 3,
                b: 9,
                trust: 0.37,
                same_sector: same,
                status,
                origin,
                last: 11,
                state: value,
                next: 40 | WAKE,
            };
            let bytes = postcard::to_stdvec(&tie).unwrap();
            assert_eq!(bytes, postcard::to_stdvec(&saved).unwrap(), "{status:?} {origin:?} {same}");
            assert_eq!(serde_json::to_string(&tie).unwrap(), serde_json::to_string(&saved).unwrap());
            let back: Tie = postcard::from_bytes(&bytes).unwrap();
            assert_eq!((what(&back), back.due(0)), (what(&tie), NEVER));
            assert_eq!(back, tie, "equal whatever step the calendar holds them at");
            tie.set_origin(Origin::Venue(2));
            tie.set_status(Status::Acquaintance);
            assert_eq!(
                what(&tie),
                (3, 9, 0.37, same, Status::Acquaintance, Origin::Venue(2), 11, value, 40 | WAKE)
            );
        }
        // A rest or partnership slot past the bits it has is refused, not cut.
        let past = Saved {
            a: 0,
            b: 1,
            trust: 0.5,
            same_sector: false,
            status: Status::Acquaintance,
            origin: Origin::Direct,
            last: 0,
            state: VALUE + 1,
            next: NEVER,
        };
        assert!(postcard::from_bytes::<Tie>(&postcard::to_stdvec(&past).unwrap()).is_err());
    }

    #[test]
    fn a_tie_due_further_off_than_the_calendar_reaches_is_forgotten_on_time() {
        // Forgotten 3 steps after it began; but it interacts in step 3 at a trust that keeps it
        // exactly 2¹⁵ steps more: 2¹⁵ is where the calendar's 15 bits of the step come round, so
        // held there it would look held already, and never be taken out (`HORIZON`).
        let decay = 1.0 / 1024.0;
        let fallen = |trust: f64, n: u32| (trust - decay * f64::from(n)).max(0.0) < FORGOTTEN;
        let lasts = |trust: f64| (1..).find(|&n| fallen(trust, n)).unwrap();
        let (first, then) = (FORGOTTEN + 2.5 * decay, FORGOTTEN + 32_767.5 * decay);
        assert_eq!((lasts(first), lasts(then)), (3, 1 << 15));
        let mut ties = Ties::new(2, decay, 0.0);
        let id = ties.insert(Tie::new(0, 1, true, first, Origin::Direct, 0));
        ties.prepare(decay, 0.0, 0);
        let (mut out, mut scratch) = (Vec::new(), Vec::new());
        let end = 3 + (1 << 15);
        for t in 1..=end {
            ties.follow_ups(t, 0, &mut out);
            if t == 3 {
                ties.interact(id, 3, then);
            }
            ties.settle(t, 0, &mut scratch);
            assert_eq!(ties.len(), usize::from(t < end), "step {t}");
        }
        assert!(out.is_empty(), "follow_up 0: never followed up");
    }
}
