//! Full mixing (`diffusion.mixing = "full"`, the Bass classic): j looks at one organisation drawn
//! uniformly from all N, itself included, so that the imitation hazard is q · (holders / N).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::Rule;
use crate::model::tie::Ties;

/// Imitation of the whole population.
pub(super) struct FullMixing;

impl Rule for FullMixing {
    fn imitated(&self, _ties: &Ties, n: u32, _j: u32, rng: &mut ChaCha8Rng) -> Option<u32> {
        Some(rng.random_range(0..n))
    }
}
