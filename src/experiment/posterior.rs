//! A calibration's posterior as a source of parameter sets: each replication of a plan draws one
//! particle by weight, the same particle for every strategy of a comparison (paired across
//! strategies, as their seeds are), so that a comparison carries the calibrated uncertainty of the
//! parameters as well as the runs' own.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::hash::{splitmix64, Fnv};
use crate::scenario::{Assignment, Value};

/// The weighted parameter sets of a posterior sample.
#[derive(Debug, Clone, PartialEq)]
pub struct Posterior {
    /// The calibrated parameters' paths.
    pub paths: Vec<String>,
    /// Each particle's values, in the order of `paths`.
    pub particles: Vec<Vec<Value>>,
    /// Each particle's weight (they sum to 1).
    pub weights: Vec<f64>,
}

/// Keys the posterior's stream apart from every run's.
const STREAM: u64 = 0x706f_7374_6572_696f; // "posterio"

impl Posterior {
    /// The particle replication r of a plan with root seed `root` draws: by weight, from a stream
    /// of its own (root, r), so that every strategy's replication r draws the same one.
    pub fn particle(&self, root: u64, replication: u32) -> usize {
        let mut rng =
            ChaCha8Rng::seed_from_u64(splitmix64(root ^ STREAM) ^ splitmix64(u64::from(replication)));
        let u: f64 = rng.random();
        let mut acc = 0.0;
        self.weights
            .iter()
            .position(|w| {
                acc += w;
                u < acc
            })
            .unwrap_or(self.weights.len() - 1)
    }

    /// Particle i as assignments to a scenario.
    pub fn assignments(&self, i: usize) -> Vec<Assignment> {
        self.paths
            .iter()
            .zip(&self.particles[i])
            .map(|(path, value)| Assignment { path: path.clone(), value: value.clone() })
            .collect()
    }

    /// The paths that do not apply to a scenario: settings of a venue it does not have (a strategy
    /// that replaces the city's venues keeps its own; the calibrated settings of the others say
    /// nothing about it).
    pub fn not_in(&self, scenario: &crate::model::Scenario) -> Vec<String> {
        let absent = |path: &String| {
            let venue = path.strip_prefix("venues.").and_then(|rest| rest.split('.').next());
            venue.is_some_and(|v| !scenario.venues.contains_key(v))
        };
        self.paths.iter().filter(|p| absent(p)).cloned().collect()
    }

    /// A hash of every path, value and weight, for a plan's hash.
    pub fn hash(&self) -> String {
        let mut hash = Fnv::default();
        hash.bytes(self.paths.join(",").as_bytes());
        for (values, weight) in self.particles.iter().zip(&self.weights) {
            let row: Vec<String> = values.iter().map(ToString::to_string).collect();
            hash.bytes(format!("\n{}:{weight}", row.join(",")).as_bytes());
        }
        format!("{:016x}", hash.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replications_draw_particles_by_weight_the_same_for_every_caller() {
        let posterior = Posterior {
            paths: vec!["follow_up".into()],
            particles: vec![vec![Value::Float(0.05)], vec![Value::Float(0.1)], vec![Value::Float(0.2)]],
            weights: vec![0.2, 0.0, 0.8],
        };
        let draws: Vec<usize> = (0..2000).map(|r| posterior.particle(7, r)).collect();
        assert_eq!(draws, (0..2000).map(|r| posterior.particle(7, r)).collect::<Vec<_>>());
        assert!(!draws.contains(&1), "a particle of weight 0 is never drawn");
        let share = draws.iter().filter(|&&i| i == 2).count() as f64 / 2000.0;
        assert!((share - 0.8).abs() < 0.03, "{share}");
        assert_ne!(draws, (0..2000).map(|r| posterior.particle(8, r)).collect::<Vec<_>>());
        assert_eq!(posterior.assignments(2)[0].to_string(), "follow_up = 0.2");
    }
}
