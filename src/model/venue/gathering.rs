//! What a meeting may see and do: the narrow view of the world that a venue kind's `Meeting` gets.
//! A kind draws on its venue's stream, reads the attendees' traits and knowledge, and makes
//! encounters (and, for procurement, contracts and, for a neighbourhood, Axelrod's cultural
//! events) — the world's rules for ties, trust, partnerships and innovation stay in the world,
//! where a kind cannot bend them. Its field is private to this module, so a kind's file sees only
//! these methods.

use super::super::agent::{Agents, Sector};
use super::super::knowledge::{count, nth_differing};
use super::super::streams::StageRng;
use super::super::tie::{Origin, Status, Tie};
use super::super::{threshold, Digits, World, NARROW_EVENT};
use super::MeetingBuffers;
use rand::RngCore;

/// A resident of a lattice as an Axelrod event reads it: who, and its occupied von Neumann
/// neighbours, the first `degree` of `near` — one record, so that an event's resident and
/// neighbour take one bounds check, not four (issue 28, branch axel-lean).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resident {
    /// The organisation.
    pub(crate) who: u32,
    /// How many of `near` are neighbours (at most 4).
    pub(crate) degree: u8,
    /// The occupied neighbours, then unused slots.
    pub(crate) near: [u32; 4],
}

/// One meeting of one venue (or its set-up), as the venue's kind sees the world.
pub struct Gathering<'w> {
    world: &'w mut World,
    venue: usize,
}

impl<'w> Gathering<'w> {
    pub(crate) fn new(world: &'w mut World, venue: usize) -> Gathering<'w> {
        Gathering { world, venue }
    }

    /// The draws of the stage being run: the venue's own stream in this step.
    pub(crate) fn rng(&mut self) -> &mut StageRng {
        &mut self.world.rng
    }

    /// Every organisation's traits.
    pub(crate) fn agents(&self) -> &Agents {
        &self.world.agents
    }

    /// The organisations of a sector, in order.
    pub(crate) fn of_sector(&self, sector: Sector) -> &[u32] {
        &self.world.by_sector[sector.index()]
    }

    /// Buffers a meeting may use as its own, so that it does not allocate.
    pub(crate) fn buffers(&mut self) -> &mut MeetingBuffers {
        &mut self.world.scratch.meeting
    }

    /// An encounter of a and b at this venue, with its facilitation f: they interact with
    /// probability f + (1 - f)(1 - d)^h, and a tie begins or grows (`World::encounter`).
    pub(crate) fn encounter(&mut self, a: u32, b: u32) {
        let f = self.world.venues[self.venue].spec.facilitation;
        self.world.encounter(a, b, f, Origin::Venue(self.venue as u16));
    }

    /// A seminar's diffusion boost b - 1 for attendee a in this step: the largest of the step's
    /// seminars counts.
    pub(crate) fn boost(&mut self, a: u32, boost: f64) {
        let t = self.world.t;
        let slot = &mut self.world.boosted[a as usize];
        let boost = if slot.0 == t { slot.1.max(boost) } else { boost };
        *slot = (t, boost);
    }

    /// One step of Axelrod's (1997) culture model on a lattice: as many events as `residents`;
    /// each picks a random resident and a random neighbour of it, who interact with the
    /// encounter's probability f + (1 - f)(1 - d)^h (as `World::interacts`, the differing
    /// features counted once for both the probability and the copy), and then the resident
    /// copies one trait of the neighbour on which they differ. An event is one draw of the
    /// venue's stream read as its digits (`Digits`): the resident, the neighbour, the feature it
    /// would copy, and what is left decides the interaction — 32 bits while the indices' ranges
    /// multiply to at most `NARROW_EVENT` (n · 4 · F), 64 otherwise. No tie is kept: this is the
    /// culture model. Returns the number of events with a neighbour.
    ///
    /// The loop is here, not in the kind, so that the world's parts it touches every event — the
    /// venue's stream and knowledge — are reached once a step rather than once an event (issue
    /// 28: an event is a few dozen instructions, and each such look-up counted).
    pub(crate) fn cultures(&mut self, residents: &[Resident]) -> u64 {
        let f = self.world.venues[self.venue].spec.facilitation;
        let world = &mut *self.world;
        let (rng, knowledge) = (world.rng.stream(), &mut world.knowledge);
        // p = f + (1 - f)(1 - d)^h for each number k of differing features, as the whole number a
        // 32-bit draw must be below (`threshold`): the same decisions as `chance`, with no float
        // arithmetic an event. In a table of 16 while vectors are packed (k ≤ F ≤ 8), so that
        // `k & 15` reads it without a bounds check.
        let thresholds = &mut world.scratch.meeting.thresholds;
        thresholds.clear();
        thresholds.extend(world.sameness.iter().map(|&same| threshold(f + (1.0 - f) * same)));
        // The event's indices multiply to at most n · 4 · F (k ≤ F features to copy from): while
        // that is at most 2¹², 32 bits give each index to a relative bias below 2⁻²⁰, and half
        // the ChaCha8 refills of a 64-bit draw (issue 28, branch axel-draw). The test is the same
        // every event, so the processor foresees it.
        let features = thresholds.len().saturating_sub(1) as u64;
        let narrow = residents.len() as u64 * 4 * features <= NARROW_EVENT;
        let mut draw =
            || if narrow { Digits::of_u32(rng.next_u32()) } else { Digits::of_u64(rng.next_u64()) };
        let mut events = 0;
        if knowledge.is_packed() && thresholds.len() <= 16 {
            // Packed vectors (issue 28, branch axel-lean): the same events and draws as the loop
            // below, with the differing features a mask (`differences`), the copy
            // `copy_packed`, and the neighbour read as `near[j & 3]`, j < degree ≤ 4 — the same
            // slot, no bounds check: the lattice's meetings 117 → 98 instructions an event
            // (callgrind, before the one question below).
            let mut table = [0u64; 16];
            table[..thresholds.len()].copy_from_slice(thresholds);
            // With no differing feature there is nothing to copy, whatever the draw: a threshold
            // of 0 says so, and an event asks one question (copy or not) where it asked two (any
            // difference? then, interacting?). Half of an Axelrod run's events find no difference
            // and half of the others interact, so both questions were coin flips the processor
            // could not foresee; copying, one event in five, it foresees better. 22 % less CPU
            // time for the classic's runs (perf stat, 200 runs thinned: 292 → 228 ms, branch
            // axel-lean).
            table[0] = 0;
            for _ in 0..residents.len() {
                let mut digits = draw();
                let here = &residents[digits.index(residents.len())];
                if here.degree == 0 {
                    continue;
                }
                let (a, b) = (here.who, here.near[digits.index(usize::from(here.degree)) & 3]);
                events += 1;
                // Some: every vector is packed.
                let differences = knowledge.differences(a, b).unwrap_or(0);
                let k = count(differences);
                // The feature is a digit of the draw whether or not the event copies, so that
                // what is left decides the interaction independently of it.
                let n = digits.index(k);
                if digits.below(table[k & 15]) {
                    knowledge.copy_packed(a, b, nth_differing(differences, n));
                }
            }
            return events;
        }
        for _ in 0..residents.len() {
            let mut digits = draw();
            let here = &residents[digits.index(residents.len())];
            let near = &here.near[..usize::from(here.degree)];
            if near.is_empty() {
                continue;
            }
            let (a, b) = (here.who, near[digits.index(near.len())]);
            events += 1;
            let k = knowledge.differing(a, b);
            let n = digits.index(k);
            if k > 0 && digits.below(thresholds[k]) {
                knowledge.copy(a, b, knowledge.nth_difference(a, b, n));
            }
        }
        events
    }

    /// A procurement contract (C5): buyer and supplier become a formal partnership at once,
    /// procurement-born, their tie begun here if they had none, its trust raised to at least
    /// `trust.partner`. Returns false (and does nothing) if they are partners already.
    pub(crate) fn contract(&mut self, buyer: u32, supplier: u32) -> bool {
        let world = &mut *self.world;
        let v = self.venue;
        let id = match world.ties.find(buyer, supplier) {
            Some(id) if world.ties.get(id).is_partnership() => return false,
            Some(id) => id,
            None => {
                world.venues[v].stats.ties_begun += 1;
                let trust = world.scenario.trust.prior_across;
                let same = world.agents.sector[buyer as usize] == world.agents.sector[supplier as usize];
                world.ties.insert(Tie::new(buyer, supplier, same, trust, Origin::Venue(v as u16), world.t))
            }
        };
        let floor = world.scenario.trust.partner;
        let trust = world.ties.trust_of(id).max(floor);
        world.ties.interact(id, world.t, trust);
        world.ties.get_mut(id).set_origin(Origin::Venue(v as u16));
        world.begin_partnership(id, Status::Formal, true);
        true
    }
}
