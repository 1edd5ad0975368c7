//! Partnership work (MODEL.md §4): innovation attempts, fairness, learning, and the end of
//! partnerships by dissolution or exhaustion.

use rand::Rng;

use super::agent::composition;
use super::innovation::Innovation;
use super::tie::{Ending, PartnershipRecord, Status};
use super::{chance, World};

/// The unnormalised value of cognitive distance, d^α (1 - d)^β.
fn raw_phi(d: f64, alpha: f64, beta: f64) -> f64 {
    d.powf(alpha) * (1.0 - d).powf(beta)
}

/// φ(d) = d^α (1 - d)^β / φ_max, normalised so that its peak at d* = α / (α + β) is 1
/// (Nooteboom's optimal cognitive distance). With α = β = 0, φ = 1 everywhere.
pub fn phi(d: f64, alpha: f64, beta: f64) -> f64 {
    let peak = if alpha + beta > 0.0 { alpha / (alpha + beta) } else { 0.5 };
    let max = raw_phi(peak, alpha, beta);
    if max > 0.0 {
        raw_phi(d, alpha, beta) / max
    } else {
        0.0
    }
}

/// Innovation probability per partnership and step, P = ρ · φ(d) · τ · C · m.
pub fn innovation_probability(rate: f64, phi: f64, trust: f64, complementarity: f64, m: f64) -> f64 {
    (rate * phi * trust * complementarity * m).clamp(0.0, 1.0)
}

/// Fairness (C6): trust moves by γ_w (2e - 1), scaled by (1 - τ) when positive and by τ when
/// negative, so that it stays in [0, 1].
pub(crate) fn trust_after_work(trust: f64, work_gain: f64, equity: f64) -> f64 {
    let delta = work_gain * (2.0 * equity - 1.0);
    let scaled = if delta >= 0.0 { delta * (1.0 - trust) } else { delta * trust };
    (trust + scaled).clamp(0.0, 1.0)
}

impl World {
    /// One step of work of the partnership on tie `id`.
    pub(crate) fn work(&mut self, id: u32) {
        self.counters.partnership_steps += 1;
        let s = &self.scenario;
        let tie = self.ties.get(id);
        let (a, b, trust) = (tie.a, tie.b, self.ties.trust(tie));
        let work = self.ties.work(id);
        let m = if work.procurement { s.innovation.procurement_factor } else { 1.0 };
        let k = self.knowledge.differing(a, b);
        let d = k as f64 / self.knowledge.features as f64;
        let phi = self.phi[k];
        let c = work.complementarity;
        let p = innovation_probability(s.innovation.rate, phi, trust, c, m);
        self.play_out_once(a, b);
        if chance(&mut self.own, p) {
            self.innovate(id, d, phi, c);
        }
        let s = &self.scenario;
        let (work_gain, equity, formal) = (s.trust.work_gain, s.equity, s.trust.formal);
        let t = self.t;
        let trust = trust_after_work(self.ties.trust_of(id), work_gain, equity);
        self.ties.interact(id, t, trust);
        let tie = self.ties.get_mut(id);
        if tie.status() == Status::Informal && trust >= formal {
            tie.set_status(Status::Formal);
        }
        self.learn(a, b);
    }

    /// A successful attempt: a new trait value on a feature where the partners differ, taken by both.
    fn innovate(&mut self, id: u32, d: f64, phi: f64, c: f64) {
        let tie = self.ties.get(id);
        let work = self.ties.work(id);
        let (a, b, origin, procurement) = (tie.a, tie.b, tie.origin(), work.procurement);
        let age = self.t - work.since;
        let feature = match self.knowledge.random_difference(a, b, &mut self.own) {
            Some(f) => f,
            // Only reachable with α = 0, where identical partners still innovate: any feature.
            None => self.own.random_range(0..self.knowledge.features),
        };
        let value = self.knowledge.invent(feature);
        self.knowledge.set(a, feature, value);
        self.knowledge.set(b, feature, value);
        let (ai, bi) = (a as usize, b as usize);
        let ag = &self.agents;
        let quality = c * phi;
        let need = ag.need[ai].max(ag.need[bi]);
        let capital = ag.capital[ai].max(ag.capital[bi]);
        let w = 0.5 * (ag.social_weight[ai] + ag.social_weight[bi]);
        let comp = composition(ag.sector[ai], ag.sector[bi]);
        let innovation = Innovation {
            id: self.innovations.len() as u32,
            step: self.t,
            creators: [a, b],
            composition: Some(comp as u8),
            feature: feature as u32,
            trait_value: value,
            age,
            novelty: d,
            quality,
            social_value: quality * need * w,
            economic_value: quality * capital * (1.0 - w),
            origin: Some(origin),
            procurement,
            need,
            capital,
            adoptions: 0,
            scaled_step: None,
            retired_step: None,
        };
        self.counters.record_innovation(&innovation);
        self.origin_stats(origin).innovations += 1;
        self.add_innovation(innovation);
        let work = self.ties.work_mut(id);
        work.last_innovation = self.t;
        work.innovations += 1;
    }

    /// End partnerships whose trust fell below `trust.dissolve` or that went `stale_after` steps
    /// without an innovation. The pair stays acquainted and rests for `stale_after` steps before it
    /// may start a new partnership.
    pub(crate) fn end_partnerships(&mut self, ids: &[u32]) {
        let (dissolve, stale) = (self.scenario.trust.dissolve, self.scenario.stale_after);
        for &id in ids {
            let tie = self.ties.get(id);
            if !tie.is_partnership() {
                continue;
            }
            let ending = if self.ties.trust(tie) < dissolve {
                Ending::Dissolved
            } else if self.t - self.ties.work(id).last_innovation >= stale {
                Ending::Exhausted
            } else {
                continue;
            };
            self.partnership_log.push(self.record(id, ending));
            self.ties.end_partnership(id, self.t + stale);
            let tie = self.ties.get(id);
            let (a, b) = (tie.a as usize, tie.b as usize);
            self.agents.partners[a] -= 1;
            self.agents.partners[b] -= 1;
            match ending {
                Ending::Dissolved => self.counters.partnerships_dissolved += 1,
                _ => self.counters.partnerships_exhausted += 1,
            }
        }
    }

    /// The record of the partnership on tie `id`, as it stands now.
    pub(crate) fn record(&self, id: u32, ending: Ending) -> PartnershipRecord {
        let (tie, work) = (self.ties.get(id), self.ties.work(id));
        let f = self.knowledge.features as f64;
        PartnershipRecord {
            a: tie.a,
            b: tie.b,
            origin: tie.origin(),
            procurement: work.procurement,
            start: work.since,
            end: self.t,
            start_distance: f64::from(work.start_differing) / f,
            end_distance: self.knowledge.distance(tie.a, tie.b),
            innovations: work.innovations,
            ending,
            formal: tie.status() == Status::Formal,
        }
    }

    /// Every partnership of the run so far: those that ended, then those still running.
    pub fn partnerships(&self) -> Vec<PartnershipRecord> {
        let mut all = self.partnership_log.clone();
        all.extend(self.ties.partnerships().map(|id| self.record(id, Ending::Running)));
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_peaks_at_optimal_distance_with_value_one() {
        for (alpha, beta) in [(2.0, 1.0), (1.0, 1.0), (3.0, 2.0)] {
            let peak = alpha / (alpha + beta);
            assert!((phi(peak, alpha, beta) - 1.0).abs() < 1e-12);
            for d in [0.0, 0.1, 0.3, 0.5, 0.9, 1.0] {
                assert!(phi(d, alpha, beta) <= 1.0 + 1e-12);
                if (d - peak).abs() > 1e-9 {
                    assert!(phi(d, alpha, beta) < 1.0);
                }
            }
            assert_eq!(phi(0.0, alpha, beta), 0.0);
            assert_eq!(phi(1.0, alpha, beta), 0.0);
        }
        assert!((phi(2.0 / 3.0, 2.0, 1.0) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn innovation_probability_is_the_product() {
        let p = innovation_probability(0.2, 0.5, 0.8, 0.5, 0.3);
        assert!((p - 0.2 * 0.5 * 0.8 * 0.5 * 0.3).abs() < 1e-15);
    }

    #[test]
    fn fairness_sign_follows_equity() {
        assert!(trust_after_work(0.5, 0.05, 1.0) > 0.5, "equal partners build trust");
        assert!(trust_after_work(0.5, 0.05, 0.0) < 0.5, "giver-taker erodes trust");
        assert_eq!(trust_after_work(0.5, 0.05, 0.5), 0.5);
        // Scaled by (1 - τ) when positive and τ when negative.
        assert!((trust_after_work(0.6, 0.05, 1.0) - (0.6 + 0.05 * 0.4)).abs() < 1e-12);
        assert!((trust_after_work(0.6, 0.05, 0.0) - (0.6 - 0.05 * 0.6)).abs() < 1e-12);
        assert!(trust_after_work(1.0, 1.0, 1.0) <= 1.0 && trust_after_work(0.0, 1.0, 0.0) >= 0.0);
    }
}
