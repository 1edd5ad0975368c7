//! Encounters, interactions and partnership formation (MODEL.md §4, "Encounter" and "Partnership
//! formation").

use super::tie::{Origin, Status, Tie, Work};

use super::{chance, World};

/// Chance that an encounter becomes an interaction: p = f + (1 - f)(1 - d)^h. Homophily h pulls
/// toward sameness (C1, "lika barn leka bäst"); facilitation f lowers the barrier of difference.
pub(crate) fn interaction_probability(distance: f64, facilitation: f64, homophily: f64) -> f64 {
    facilitation + (1.0 - facilitation) * (1.0 - distance).powf(homophily)
}

/// Trust after an interaction: τ + γ (1 + f)(1 - τ), at most 1.
pub(crate) fn trust_after_interaction(trust: f64, gain: f64, facilitation: f64) -> f64 {
    (trust + gain * (1.0 + facilitation) * (1.0 - trust)).min(1.0)
}

/// What an interaction with enough trust starts (C8, C9): `None` below `trust.partner`; a formal
/// partnership at `trust.formal`; in between an informal one only if both sides pass their
/// permission check ("how do we?" rather than "may we?").
pub(crate) fn partnership_start(
    trust: f64,
    partner: f64,
    formal: f64,
    both_pass_permission: bool,
) -> Option<Status> {
    if trust >= formal {
        Some(Status::Formal)
    } else if trust >= partner && both_pass_permission {
        Some(Status::Informal)
    } else {
        None
    }
}

impl World {
    /// An encounter between a and b with facilitation f; returns whether they interacted.
    pub(crate) fn encounter(&mut self, a: u32, b: u32, facilitation: f64, origin: Origin) -> bool {
        self.play_out(a, b);
        if a == b || !self.interacts(a, b, facilitation) {
            return false;
        }
        let id = match self.ties.find(a, b) {
            Some(id) => id,
            None => {
                let same = self.agents.sector[a as usize] == self.agents.sector[b as usize];
                let trust =
                    if same { self.scenario.trust.prior_within } else { self.scenario.trust.prior_across };
                self.origin_stats(origin).ties_begun += 1;
                self.ties.insert(Tie::new(a, b, same, trust, origin, self.t))
            }
        };
        self.interact(id, facilitation);
        true
    }

    /// A follow-up: an encounter (f = 0) on an existing tie.
    pub(crate) fn follow_up(&mut self, id: u32) {
        let (a, b) = (self.ties.get(id).a, self.ties.get(id).b);
        self.play_out_once(a, b);
        if self.interacts(a, b, 0.0) {
            self.interact(id, 0.0);
        }
    }

    /// Whether an encounter becomes an interaction: p = f + (1 - f)(1 - d)^h, with (1 - d)^h
    /// tabulated by the number of differing features.
    pub(crate) fn interacts(&mut self, a: u32, b: u32, facilitation: f64) -> bool {
        let k = self.knowledge.differing(a, b);
        let p = facilitation + (1.0 - facilitation) * self.sameness[k];
        chance(&mut self.own, p)
    }

    /// An interaction on an existing tie: trust grows, both sides may learn, a partnership may start.
    pub(crate) fn interact(&mut self, id: u32, facilitation: f64) {
        let trust = trust_after_interaction(self.ties.trust_of(id), self.scenario.trust.gain, facilitation);
        self.ties.interact(id, self.t, trust);
        let (a, b) = (self.ties.get(id).a, self.ties.get(id).b);
        self.learn(a, b);
        self.try_partnership(id);
    }

    /// Each side, with probability λ, copies one trait on which they differ (Axelrod's rule).
    pub(crate) fn learn(&mut self, a: u32, b: u32) {
        let lambda = self.scenario.learning;
        if chance(&mut self.own, lambda) {
            self.knowledge.copy_one(a, b, &mut self.own);
        }
        if chance(&mut self.own, lambda) {
            self.knowledge.copy_one(b, a, &mut self.own);
        }
    }

    /// Partnership formation and formalisation after an interaction.
    fn try_partnership(&mut self, id: u32) {
        let tie = self.ties.get(id);
        let (a, b, status, rested) = (tie.a, tie.b, tie.status(), tie.rest_until() <= self.t);
        let trust = self.ties.trust(tie);
        let (formal, partner) = (self.scenario.trust.formal, self.scenario.trust.partner);
        match status {
            Status::Informal if trust >= formal => self.ties.get_mut(id).set_status(Status::Formal),
            Status::Acquaintance
                if trust >= partner
                    && rested
                    && self.agents.has_capacity(a)
                    && self.agents.has_capacity(b)
                    && self.accepted(a, b) =>
            {
                // The permission check is drawn anew at each interaction, and only when it matters.
                let passes = trust < formal && {
                    let pa = chance(&mut self.own, 1.0 - self.agents.rule_orientation[a as usize]);
                    let pb = chance(&mut self.own, 1.0 - self.agents.rule_orientation[b as usize]);
                    pa && pb
                };
                if let Some(kind) = partnership_start(trust, partner, formal, passes) {
                    self.begin_partnership(id, kind, false);
                }
            }
            _ => {}
        }
    }

    pub(crate) fn begin_partnership(&mut self, id: u32, status: Status, procurement: bool) {
        let t = self.t;
        let tie = self.ties.get(id);
        let start_differing = self.knowledge.differing(tie.a, tie.b) as u32;
        let complementarity = self.agents.complementarity(tie.a, tie.b);
        let (a, b, origin) = (tie.a, tie.b, tie.origin());
        self.ties.begin_partnership(
            id,
            status,
            Work {
                since: t,
                last_innovation: t,
                procurement,
                innovations: 0,
                start_differing,
                complementarity,
            },
        );
        self.agents.partners[a as usize] += 1;
        self.agents.partners[b as usize] += 1;
        self.counters.partnerships_begun += 1;
        self.origin_stats(origin).partnerships_begun += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homophily_zero_ignores_difference() {
        for d in [0.0, 0.3, 1.0] {
            assert_eq!(interaction_probability(d, 0.0, 0.0), 1.0);
        }
    }

    #[test]
    fn large_homophily_blocks_difference_but_not_sameness() {
        assert_eq!(interaction_probability(0.0, 0.0, 50.0), 1.0);
        assert!(interaction_probability(0.25, 0.0, 50.0) < 1e-6);
        // h = 1: p = 1 - d.
        assert!((interaction_probability(0.25, 0.0, 1.0) - 0.75).abs() < 1e-12);
    }

    #[test]
    fn full_facilitation_always_interacts() {
        for d in [0.0, 0.5, 1.0] {
            assert_eq!(interaction_probability(d, 1.0, 50.0), 1.0);
        }
        // Facilitation only ever helps.
        assert!(interaction_probability(0.8, 0.3, 2.0) > interaction_probability(0.8, 0.0, 2.0));
    }

    #[test]
    fn trust_gain_approaches_one() {
        let t = trust_after_interaction(0.1, 0.2, 0.0);
        assert!((t - (0.1 + 0.2 * 0.9)).abs() < 1e-12);
        let f = trust_after_interaction(0.1, 0.2, 1.0);
        assert!((f - (0.1 + 0.4 * 0.9)).abs() < 1e-12);
        assert!(trust_after_interaction(0.99, 1.0, 1.0) <= 1.0);
    }

    fn pair(rule: f64) -> World {
        let text = format!(
            "[populations.civil]\ncount = 2\nrule_orientation = {{ mean = {rule}, sd = 0.0 }}\nmax_partners = {{ min = 1, max = 1 }}\n"
        );
        let s = crate::scenario::load_str("pair.toml", &text, &[]).unwrap().scenario;
        let mut w = World::new(&s, 1);
        w.t = 1;
        w
    }

    #[test]
    fn informal_partnerships_formalise_at_the_threshold() {
        let mut w = pair(0.0);
        let id = w.ties.insert(Tie::new(0, 1, false, 0.45, Origin::Direct, 1));
        // 0.45 + 0.2 · 0.55 = 0.56 ≥ trust.partner, and nobody asks "may we?": informal.
        w.interact(id, 0.0);
        assert_eq!(w.ties.get(id).status(), Status::Informal);
        assert_eq!(w.agents.partners, [1, 1]);
        // 0.76 + 0.2 · 0.24 = 0.808 ≥ trust.formal: it becomes formal.
        w.ties.interact(id, w.t, 0.76);
        w.interact(id, 0.0);
        assert_eq!(w.ties.get(id).status(), Status::Formal);
        assert_eq!(w.agents.partners, [1, 1], "formalising is not a second partnership");
    }

    #[test]
    fn permission_culture_waits_for_the_contract() {
        let mut w = pair(1.0);
        let id = w.ties.insert(Tie::new(0, 1, false, 0.45, Origin::Direct, 1));
        w.interact(id, 0.0);
        assert_eq!(w.ties.get(id).status(), Status::Acquaintance, "r = 1 never passes the permission check");
        w.ties.interact(id, w.t, 0.76);
        w.interact(id, 0.0);
        assert_eq!(w.ties.get(id).status(), Status::Formal, "at trust.formal the contract is signed");
    }

    #[test]
    fn partnership_thresholds() {
        assert_eq!(partnership_start(0.49, 0.5, 0.8, true), None);
        assert_eq!(partnership_start(0.5, 0.5, 0.8, true), Some(Status::Informal));
        assert_eq!(partnership_start(0.7, 0.5, 0.8, false), None, "'may we?' waits for the contract");
        assert_eq!(partnership_start(0.8, 0.5, 0.8, false), Some(Status::Formal));
    }
}
