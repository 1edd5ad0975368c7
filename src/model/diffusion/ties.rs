//! Imitation through ties (`diffusion.mixing = "ties"`): j looks at one of its ties, of any status,
//! drawn uniformly.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Rule;
use crate::model::tie::Ties;

/// Imitation through ties.
pub(super) struct ThroughTies;

impl Rule for ThroughTies {
    fn imitated(&self, ties: &Ties, _n: u32, j: u32, rng: &mut ChaCha8Rng) -> Option<u32> {
        let mine = ties.of(j);
        (!mine.is_empty()).then(|| mine[rng.random_range(0..mine.len())].0)
    }
}
