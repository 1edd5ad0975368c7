//! Steering: choices made from outside the model for some organisations, for one step — what a
//! class does when each student plays an organisation (`olika lab --classroom`). A participatory
//! variant of the model, not a claim about organisations: docs/model.md, "Steering".
//!
//! For a steered organisation the caller may fix, for the next step only, (1) which venue it goes
//! to — one whose meeting is that step and whose mix admits its sector — or that it goes to none,
//! (2) whom it approaches at that venue's meeting, and (3) whose proposals of a partnership it
//! declines this step (a proposal: an interaction on an acquaintance tie with trust ≥ τ_partner,
//! both sides rested and with capacity — `try_partnership`; mostly an acquaintance's from before
//! the step, but a tie made in the step may propose in it too). Whatever is not
//! given is the model's default: attendance drawn by openness, encounters as the venue's kind
//! makes them, a partnership begun when trust and capacity allow. A world with no steering takes
//! exactly the draws it always took, and so does a steered organisation that chose nothing.
//!
//! After the step, [`World::steered`] says what became of the choices: the approaches that took
//! place, and every proposal a steered organisation had, declined or not.
//!
//! Same seed and same choices give the same world: the choices are kept in the order of the
//! organisations, and an approach is an encounter keyed like any other (`World::play_out`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tie::Origin;
use super::World;

/// Where a steered organisation goes this step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Going {
    /// To the venue of this index (`World::venues`).
    To(usize),
    /// To no venue.
    Nowhere,
}

/// One organisation's choices for one step; `None` (or no one declined) leaves that choice to
/// the model.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Choice {
    /// Which venue it goes to, or none.
    pub venue: Option<Going>,
    /// Whom it approaches at its venue's meeting (an extra encounter there, if they both came).
    pub approach: Option<u32>,
    /// The organisations whose proposal of a partnership it declines this step, in increasing
    /// order (`Choice::decline` keeps it so); any other proposal goes as the model has it.
    pub declined: Vec<u32>,
}

impl Choice {
    /// Declines the proposals of these organisations (kept sorted, once each).
    pub fn decline(&mut self, partners: impl IntoIterator<Item = u32>) {
        self.declined.extend(partners);
        self.declined.sort_unstable();
        self.declined.dedup();
    }

    /// Whether it declines b's proposal.
    pub fn declines(&self, b: u32) -> bool {
        self.declined.binary_search(&b).is_ok()
    }

    /// Whether it leaves everything to the model.
    pub fn is_default(&self) -> bool {
        *self == Choice::default()
    }
}

/// A proposal of a partnership that a steered organisation had in a step, and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Proposal {
    /// The two organisations, as the tie has them.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// Whether either declined it (then it did not begin; else the model's rules decided).
    pub declined: bool,
}

/// The choices for one step, by organisation; after the step, what became of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Steering {
    choices: BTreeMap<u32, Choice>,
    /// Approaches that took place: who approached whom, at which venue.
    met: Vec<(u32, u32, usize)>,
    /// Proposals steered organisations had.
    proposals: Vec<Proposal>,
}

impl Steering {
    /// Sets organisation a's choices, replacing any earlier ones.
    pub fn choose(&mut self, a: u32, choice: Choice) {
        self.choices.insert(a, choice);
    }

    /// Whether no organisation is steered.
    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }

    /// Organisation a's choices, if it is steered.
    pub fn of(&self, a: u32) -> Option<&Choice> {
        self.choices.get(&a)
    }

    /// Every steered organisation's choices, in the order of the organisations.
    pub fn choices(&self) -> impl Iterator<Item = (u32, &Choice)> {
        self.choices.iter().map(|(&a, c)| (a, c))
    }

    /// After the step: the approaches that took place, as (who, whom, venue).
    pub fn met(&self) -> &[(u32, u32, usize)] {
        &self.met
    }

    /// After the step: the proposals of a partnership steered organisations had.
    pub fn proposals(&self) -> &[Proposal] {
        &self.proposals
    }

    /// The attendance of venue v's meeting as the steered organisations chose it: those who chose
    /// another venue or none leave, those who chose v come, taking the seats of the last drawn
    /// who did not choose when the venue is full.
    fn seat(&self, v: usize, seats: usize, people: &mut Vec<u32>) {
        let chose = |a: u32| self.of(a).and_then(|c| c.venue);
        people.retain(|&a| chose(a).is_none_or(|g| g == Going::To(v)));
        for (&a, _) in self.choices.iter().filter(|(_, c)| c.venue == Some(Going::To(v))) {
            if people.contains(&a) {
                continue;
            }
            if people.len() >= seats {
                match people.iter().rposition(|&p| chose(p).is_none()) {
                    Some(k) => {
                        people.remove(k);
                    }
                    None => continue,
                }
            }
            people.push(a);
        }
    }
}

/// The steering of every step of a run, by step: what a class applied, which `olika run
/// --lesson` applies again to the same world (`World::steer_by`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Log {
    steps: BTreeMap<u32, Steering>,
}

impl Log {
    /// Keeps the choices step t took (without what became of them), leaving out organisations
    /// that left every choice to the model, whose steering changes nothing.
    pub fn keep(&mut self, t: u32, steering: &Steering) {
        let mut kept = Steering::default();
        for (a, c) in steering.choices().filter(|(_, c)| !c.is_default()) {
            kept.choose(a, c.clone());
        }
        match kept.is_empty() {
            true => self.steps.remove(&t),
            false => self.steps.insert(t, kept),
        };
    }

    /// Every steered step, in order.
    pub fn steps(&self) -> impl Iterator<Item = (u32, &Steering)> {
        self.steps.iter().map(|(&t, s)| (t, s))
    }

    /// Forgets the steps after t (a world gone back to an earlier step).
    pub fn cut_after(&mut self, t: u32) {
        self.steps.retain(|&s, _| s <= t);
    }

    /// Forgets every step.
    pub fn clear(&mut self) {
        self.steps.clear();
    }
}

impl World {
    /// Steers the next step as `log` has it (unsteered if it has nothing for that step).
    pub fn steer_by(&mut self, log: &Log) -> Result<(), String> {
        let t = self.t + 1;
        let steering = log.steps.get(&t).cloned().unwrap_or_default();
        self.steer(steering).map_err(|e| format!("step {t}: {e}"))
    }

    /// Sets the choices the next step takes; the step forgets them when it ends, so a choice is
    /// applied in the step it was made for and no other. Choices of organisations or venues the
    /// world does not have are refused, with what is allowed.
    pub fn steer(&mut self, steering: Steering) -> Result<(), String> {
        let n = self.agents.len() as u32;
        let t = self.t + 1;
        for (&a, c) in &steering.choices {
            if a >= n {
                return Err(format!("organisation {a}: the city has organisations 0 to {}", n - 1));
            }
            if let Some(Going::To(v)) = c.venue {
                if !self.may_attend(a, v, t) {
                    return Err(format!("organisation {a} cannot go to venue {v} in step {t}"));
                }
            }
            if c.approach.is_some_and(|b| b >= n || b == a) {
                return Err(format!("organisation {a} cannot approach that organisation"));
            }
            if c.declined.iter().any(|&b| b >= n || b == a) || !c.declined.is_sorted_by(|x, y| x < y) {
                return Err(format!(
                    "organisation {a} declines proposals of other organisations, from 0 to {}, each once and in order",
                    n - 1
                ));
            }
        }
        let steering = Steering { met: Vec::new(), proposals: Vec::new(), ..steering };
        self.steering = (!steering.is_empty()).then(|| Box::new(steering));
        Ok(())
    }

    /// The steering of the last step, with what became of it (`Steering::met`,
    /// `Steering::proposals`); none if that step was not steered.
    pub fn steered(&self) -> Option<&Steering> {
        self.steered.as_deref()
    }

    /// Whether organisation a may choose venue v for step t: it meets then, draws its attendance
    /// (no fixed members, whose meetings a choice does not change) and admits a's sector.
    pub fn may_attend(&self, a: u32, v: usize, t: u32) -> bool {
        let Some(venue) = self.venues.get(v) else { return false };
        let sector = self.agents.sector[a as usize];
        venue.meets(t) && !venue.spec.kind.members && venue.admits(sector)
    }

    /// The steered attendance of venue v's meeting (none without steering).
    pub(crate) fn steer_attendance(&self, v: usize, people: &mut Vec<u32>) {
        if let Some(steering) = &self.steering {
            steering.seat(v, self.venues[v].spec.capacity, people);
        }
    }

    /// After venue v's meeting with `people`: each steered attendee approaches the one it chose,
    /// if that one came too — an encounter at the venue, with its facilitation. Returns how many.
    pub(crate) fn steered_approaches(&mut self, v: usize, people: &[u32]) -> u64 {
        let Some(steering) = self.steering.take() else { return 0 };
        let f = self.venues[v].spec.facilitation;
        let mut encounters = 0;
        let mut steering = steering;
        for (&a, c) in &steering.choices {
            if let Some(b) = c.approach.filter(|b| people.contains(&a) && people.contains(b)) {
                self.encounter(a, b, f, Origin::Venue(v as u16));
                steering.met.push((a, b, v));
                encounters += 1;
            }
        }
        self.steering = Some(steering);
        encounters
    }

    /// Whether a proposal of a partnership of a and b, which would begin now if the model's rules
    /// allow, goes on: not if either declined the other. A steered side's proposal is noted.
    pub(crate) fn accepted(&mut self, a: u32, b: u32) -> bool {
        let Some(s) = self.steering.as_mut() else { return true };
        let (of_a, of_b) = (s.choices.get(&a), s.choices.get(&b));
        if of_a.is_none() && of_b.is_none() {
            return true;
        }
        let declined = of_a.is_some_and(|c| c.declines(b)) || of_b.is_some_and(|c| c.declines(a));
        s.proposals.push(Proposal { a, b, declined });
        !declined
    }

    /// At the end of a step: its steering, with what became of it, is kept for `steered`.
    pub(crate) fn end_steering(&mut self) {
        self.steered = self.steering.take();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn world() -> World {
        let s = crate::scenario::baseline(&["steps=40".into()]).unwrap().scenario;
        World::new(&s, 7)
    }

    /// A venue that meets in step t and draws its attendance, and an organisation it admits.
    fn open_venue(w: &World, t: u32) -> (usize, u32) {
        (0..w.venues().len())
            .find_map(|v| (0..w.agents().len() as u32).find(|&a| w.may_attend(a, v, t)).map(|a| (v, a)))
            .expect("the baseline has a venue that meets")
    }

    #[test]
    fn no_steering_changes_nothing() {
        let (mut a, mut b) = (world(), world());
        for _ in 0..20 {
            a.step();
            b.steer(Steering::default()).unwrap();
            b.step();
        }
        assert_eq!(saved(&a), saved(&b));
    }

    /// The baseline just before a step with a meeting that draws its attendance: the world, that
    /// step, the venue and an organisation it admits.
    fn before_a_meeting() -> (World, u32, usize, u32) {
        let mut w = world();
        while w.venues().iter().all(|v| !v.meets(w.t() + 1) || v.spec.kind.members) {
            w.step();
        }
        let t = w.t() + 1;
        let (v, a) = open_venue(&w, t);
        (w, t, v, a)
    }

    #[test]
    fn a_chosen_venue_is_attended_in_that_step_only() {
        let (mut w, t, v, a) = before_a_meeting();
        let mut s = Steering::default();
        s.choose(a, Choice { venue: Some(Going::To(v)), ..Choice::default() });
        w.steer(s).unwrap();
        w.step();
        assert!(w.venues()[v].present(t).contains(&a), "{a} chose venue {v} for step {t}");
        for (u, venue) in w.venues().iter().enumerate().filter(|(u, _)| *u != v) {
            assert!(!venue.present(t).contains(&a) || venue.spec.kind.members, "{a} also at {u}");
        }
        // Nowhere: absent from every venue that draws its attendance.
        let mut w2 = world();
        let mut s = Steering::default();
        let everyone: Vec<u32> = (0..w2.agents().len() as u32).collect();
        for &a in &everyone {
            s.choose(a, Choice { venue: Some(Going::Nowhere), ..Choice::default() });
        }
        w2.steer(s).unwrap();
        w2.step();
        for venue in w2.venues().iter().filter(|v| !v.spec.kind.members) {
            assert!(venue.present(1).is_empty(), "{} met with someone who chose none", venue.name);
        }
        // The next step forgets the choices.
        assert!(w2.steering.is_none());
    }

    #[test]
    fn a_declined_partnership_does_not_begin_and_the_same_choices_give_the_same_world() {
        let mut free = world();
        free.run();
        assert!(free.tallies().partnerships_begun > 0);
        let everyone = free.agents().len() as u32;
        // Every organisation declines every other's proposal (a tie met in the step itself may
        // propose in that step too).
        let declining = |w: &mut World| {
            while !w.finished() {
                let mut s = Steering::default();
                for a in 0..everyone {
                    let mut c = Choice::default();
                    c.decline((0..everyone).filter(|&b| b != a));
                    s.choose(a, c);
                }
                w.steer(s).unwrap();
                w.step();
            }
        };
        let (mut a, mut b) = (world(), world());
        declining(&mut a);
        declining(&mut b);
        // Procurement's contracts are the buyer's, not a proposal: only those begin.
        assert!(a.ties().iter().filter(|t| t.is_partnership()).all(|t| t.status() == Status::Formal));
        assert!(a.partnerships().iter().all(|p| p.procurement), "a declined partnership began");
        assert_eq!(saved(&a), saved(&b));
    }

    /// Every organisation steered, half declining every acquaintance: each step notes every
    /// proposal; a declined one never begins, every partnership begun (but the buyer's contracts)
    /// was a proposal noted and not declined, and declining is what the steering asked.
    #[test]
    fn proposals_are_noted_with_what_became_of_them() {
        let mut w = world();
        let n = w.agents().len() as u32;
        let (mut began, mut declined) = (0, 0);
        while !w.finished() {
            let mut s = Steering::default();
            for a in 0..n {
                let mut c = Choice::default();
                if a % 2 == 0 {
                    c.decline(w.ties().of(a).iter().map(|&(b, _)| b));
                }
                s.choose(a, c);
            }
            let asked = s.clone();
            w.steer(s).unwrap();
            w.step();
            let t = w.t();
            let steered = w.steered().expect("the step was steered");
            let pair = |a: u32, b: u32| (a.min(b), a.max(b));
            let begun: Vec<(u32, u32)> = w
                .partnerships()
                .iter()
                .filter(|p| p.start == t && !p.procurement)
                .map(|p| pair(p.a, p.b))
                .collect();
            let noted: Vec<(u32, u32, bool)> = steered
                .proposals()
                .iter()
                .map(|p| (pair(p.a, p.b).0, pair(p.a, p.b).1, p.declined))
                .collect();
            for &(a, b, no) in &noted {
                let by = |x: u32, y: u32| asked.of(x).is_some_and(|c| c.declines(y));
                assert_eq!(no, by(a, b) || by(b, a), "step {t}: {a} and {b}");
                if no {
                    assert!(
                        !begun.contains(&(a, b)),
                        "step {t}: a declined partnership of {a} and {b} began"
                    );
                    declined += 1;
                }
            }
            for &(a, b) in &begun {
                assert!(noted.contains(&(a, b, false)), "step {t}: {a} and {b} began with no proposal noted");
                began += 1;
            }
        }
        assert!(began > 0 && declined > 0, "{began} began, {declined} declined");
        assert!(w.steered().is_some_and(|s| s.choices().count() == n as usize));
    }

    #[test]
    fn an_approach_at_a_meeting_is_an_encounter_there() {
        let (mut w, t, v, a) = before_a_meeting();
        let b = (0..w.agents().len() as u32).find(|&b| b != a && w.may_attend(b, v, t)).unwrap();
        let before = w.clone();
        let mut s = Steering::default();
        s.choose(a, Choice { venue: Some(Going::To(v)), approach: Some(b), ..Choice::default() });
        s.choose(b, Choice { venue: Some(Going::To(v)), ..Choice::default() });
        w.steer(s.clone()).unwrap();
        w.step();
        let mut without = before;
        s.choose(a, Choice { venue: Some(Going::To(v)), ..Choice::default() });
        without.steer(s).unwrap();
        without.step();
        assert_eq!(w.venues()[v].stats.encounters, without.venues()[v].stats.encounters + 1);
        // What became of it: the approach took place there.
        assert_eq!(w.steered().unwrap().met(), [(a, b, v)]);
        assert!(without.steered().unwrap().met().is_empty());
        // Refusals: an organisation or a venue the world does not have.
        assert!(w.steer(steered(u32::MAX, Choice::default())).is_err());
        let far = Choice { venue: Some(Going::To(999)), ..Choice::default() };
        assert!(w.steer(steered(0, far)).is_err());
    }

    /// The world's whole state, as a saved world has it.
    fn saved(w: &World) -> String {
        serde_json::to_string(&w.state()).unwrap()
    }

    fn steered(a: u32, c: Choice) -> Steering {
        let mut s = Steering::default();
        s.choose(a, c);
        s
    }
}
