//! Agents: organisations of the public, private and civil sectors, stored as a struct of arrays
//! indexed by agent id.

use rand::Rng;
use rand_distr::{Beta, Distribution};
use serde::{Deserialize, Serialize};

use super::parameters::{Population, TraitDist};

/// The sector an organisation counts under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sector {
    /// Government and public agencies.
    Public,
    /// Firms.
    Private,
    /// Civil society: non-profit organisations.
    Civil,
}

impl Sector {
    /// The three sectors, in the order of their index.
    pub(crate) const ALL: [Sector; 3] = [Sector::Public, Sector::Private, Sector::Civil];

    /// Its index: public 0, private 1, civil 2.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Its name in scenario files and output: `public`, `private` or `civil`.
    pub fn name(self) -> &'static str {
        ["public", "private", "civil"][self as usize]
    }

    /// The sector of this name, if it is one.
    pub fn parse(word: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|s| s.name() == word)
    }
}

/// The six team compositions (unordered sector pairs), in a fixed order used by every output.
pub const COMPOSITIONS: [&str; 6] =
    ["public_public", "public_private", "public_civil", "private_private", "private_civil", "civil_civil"];

/// The index into `COMPOSITIONS` of a pair of sectors, in either order.
pub fn composition(a: Sector, b: Sector) -> usize {
    let (lo, hi) = if a <= b { (a.index(), b.index()) } else { (b.index(), a.index()) };
    // Rows of the upper triangle: public has 3 pairs, private 2, civil 1.
    [0, 3, 5][lo] + (hi - lo)
}

/// Every agent's state, one vector per field (MODEL.md §2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Agents {
    /// Sector, from the agent's population.
    pub sector: Vec<Sector>,
    /// Index of the agent's population in the scenario's (alphabetical) population list.
    pub population: Vec<u16>,
    /// Need insight n, in [0, 1].
    pub need: Vec<f64>,
    /// Capital c, in [0, 1].
    pub capital: Vec<f64>,
    /// Reach s, in [0, 1].
    pub reach: Vec<f64>,
    /// Openness o, in [0, 1]: propensity to attend mixed venues.
    pub openness: Vec<f64>,
    /// Visibility v, in [0, 1]: chance of being found outside venues (C10).
    pub visibility: Vec<f64>,
    /// Rule orientation r, in [0, 1]: permission culture (C9).
    pub rule_orientation: Vec<f64>,
    /// Social weight w, in [0, 1]: weight of social against economic value.
    pub social_weight: Vec<f64>,
    /// Initiative ι, in [0, 1]: chance per step of approaching someone directly (C8).
    pub initiative: Vec<f64>,
    /// Capacity for simultaneous partnerships.
    pub max_partners: Vec<u32>,
    /// Current number of partnerships (informal or formal).
    pub partners: Vec<u32>,
}

/// Draws a trait: Beta with the given mean and sd, so that values stay in [0, 1].
struct TraitSampler(Option<Beta<f64>>, f64);

impl TraitSampler {
    fn new(dist: TraitDist) -> Self {
        if dist.sd <= 0.0 || dist.mean <= 0.0 || dist.mean >= 1.0 {
            return TraitSampler(None, dist.mean);
        }
        // Beta(a, b) with mean m and variance v: a + b = m (1 - m) / v - 1.
        let total = dist.mean * (1.0 - dist.mean) / (dist.sd * dist.sd) - 1.0;
        let beta = Beta::new(dist.mean * total, (1.0 - dist.mean) * total).ok();
        TraitSampler(beta, dist.mean)
    }

    fn draw(&self, rng: &mut impl Rng) -> f64 {
        match &self.0 {
            Some(beta) => beta.sample(rng),
            None => self.1,
        }
    }
}

impl Agents {
    /// The number of agents.
    pub fn len(&self) -> usize {
        self.sector.len()
    }

    /// Whether there is no agent.
    pub fn is_empty(&self) -> bool {
        self.sector.is_empty()
    }

    /// Agents to come, with room for `n` of them in every field (`add_population`): a city's
    /// fields made once at their final size, where room reserved population by population
    /// (`Vec::reserve`) doubled a field's room at each population after the first.
    pub(crate) fn with_capacity(n: usize) -> Agents {
        Agents {
            sector: Vec::with_capacity(n),
            population: Vec::with_capacity(n),
            need: Vec::with_capacity(n),
            capital: Vec::with_capacity(n),
            reach: Vec::with_capacity(n),
            openness: Vec::with_capacity(n),
            visibility: Vec::with_capacity(n),
            rule_orientation: Vec::with_capacity(n),
            social_weight: Vec::with_capacity(n),
            initiative: Vec::with_capacity(n),
            max_partners: Vec::with_capacity(n),
            partners: Vec::with_capacity(n),
        }
    }

    /// Appends `pop.count` members of a population, drawing their traits from `rng` (into the room
    /// `with_capacity` made).
    pub(crate) fn add_population(&mut self, index: u16, pop: &Population, rng: &mut impl Rng) {
        let samplers = [
            pop.need,
            pop.capital,
            pop.reach,
            pop.openness,
            pop.visibility,
            pop.rule_orientation,
            pop.social_weight,
            pop.initiative,
        ]
        .map(TraitSampler::new);
        for _ in 0..pop.count {
            self.sector.push(pop.sector);
            self.population.push(index);
            let [n, c, s, o, v, r, w, i] = samplers.each_ref().map(|d| d.draw(rng));
            self.need.push(n);
            self.capital.push(c);
            self.reach.push(s);
            self.openness.push(o);
            self.visibility.push(v);
            self.rule_orientation.push(r);
            self.social_weight.push(w);
            self.initiative.push(i);
            self.max_partners.push(rng.random_range(pop.max_partners.min..=pop.max_partners.max));
            self.partners.push(0);
        }
    }

    /// Whether agent `a` has fewer partnerships than its `max_partners`.
    pub(crate) fn has_capacity(&self, a: u32) -> bool {
        self.partners[a as usize] < self.max_partners[a as usize]
    }

    /// Complementarity of a team, C = (max n · max c · max s)^(1/3) (C7: a team is as strong as
    /// the best of each capability it holds).
    pub(crate) fn complementarity(&self, a: u32, b: u32) -> f64 {
        let [n, c, s] = team_best(self.capabilities(a), self.capabilities(b));
        complementarity(n, c, s)
    }

    /// Organisation a's capabilities: need insight n, capital c and reach s, the three of which
    /// a team's complementarity takes the best.
    pub(crate) fn capabilities(&self, a: u32) -> [f64; 3] {
        let a = a as usize;
        [self.need[a], self.capital[a], self.reach[a]]
    }
}

/// The best of each capability of a team whose members have capabilities x and y.
fn team_best(x: [f64; 3], y: [f64; 3]) -> [f64; 3] {
    [x[0].max(y[0]), x[1].max(y[1]), x[2].max(y[2])]
}

/// C³ = max n · max c · max s of a team whose members have capabilities x and y
/// (`Agents::capabilities`), the product under `complementarity`'s cube root (multiplied in the
/// same order, so the root of this is C to the bit): it ranks teams as C does, since the root is
/// increasing and equal products give equal C, without the root's cost — matchmaking ranks every
/// pair of a day's attendees by it, from their capabilities taken once a meeting.
pub(crate) fn complementarity_cubed(x: [f64; 3], y: [f64; 3]) -> f64 {
    let [n, c, s] = team_best(x, y);
    n * c * s
}

/// C = (n · c · s)^(1/3) for a team's best need insight n, capital c and reach s.
pub(crate) fn complementarity(n: f64, c: f64, s: f64) -> f64 {
    (n * c * s).cbrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compositions_are_unordered_and_cover_six_pairs() {
        let mut seen = [false; 6];
        for a in Sector::ALL {
            for b in Sector::ALL {
                assert_eq!(composition(a, b), composition(b, a));
                seen[composition(a, b)] = true;
                let name = COMPOSITIONS[composition(a, b)];
                assert!(name.contains(a.name()) && name.contains(b.name()), "{name}");
            }
        }
        assert!(seen.iter().all(|s| *s));
    }

    #[test]
    fn complementarity_is_geometric_mean_of_team_best() {
        assert!((complementarity(1.0, 1.0, 1.0) - 1.0).abs() < 1e-12);
        assert!((complementarity(0.8, 0.8, 0.8) - 0.8).abs() < 1e-12);
        assert_eq!(complementarity(0.9, 0.0, 0.9), 0.0);
        assert!((complementarity(0.125, 1.0, 1.0) - 0.5).abs() < 1e-12);
    }
}
