//! Sobol' low-discrepancy points (Sobol' 1967; Bratley & Fox 1988), with the primitive polynomials
//! and initial direction numbers of Joe & Kuo (2008, file `new-joe-kuo-6.21201`) for up to 32
//! dimensions, and an optional random digital shift: each coordinate's bits XOR-ed with a seeded
//! word, which keeps the points a (t, m, s)-net while making independent replicates possible.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// (degree s, coefficients a, initial direction numbers m₁…mₛ) of dimensions 2 to 32; the first
/// dimension is the van der Corput sequence.
const JOE_KUO: [(u32, u32, &[u32]); 31] = [
    (1, 0, &[1]),
    (2, 1, &[1, 3]),
    (3, 1, &[1, 3, 1]),
    (3, 2, &[1, 1, 1]),
    (4, 1, &[1, 1, 3, 3]),
    (4, 4, &[1, 3, 5, 13]),
    (5, 2, &[1, 1, 5, 5, 17]),
    (5, 4, &[1, 1, 5, 5, 5]),
    (5, 7, &[1, 1, 7, 11, 19]),
    (5, 11, &[1, 1, 5, 1, 1]),
    (5, 13, &[1, 1, 1, 3, 11]),
    (5, 14, &[1, 3, 5, 5, 31]),
    (6, 1, &[1, 3, 3, 9, 7, 49]),
    (6, 13, &[1, 1, 1, 15, 21, 21]),
    (6, 16, &[1, 3, 1, 13, 27, 49]),
    (6, 19, &[1, 1, 1, 15, 7, 5]),
    (6, 22, &[1, 3, 1, 15, 13, 25]),
    (6, 25, &[1, 1, 5, 5, 19, 61]),
    (7, 1, &[1, 3, 7, 11, 23, 15, 103]),
    (7, 4, &[1, 3, 7, 13, 13, 15, 69]),
    (7, 7, &[1, 1, 3, 13, 7, 35, 63]),
    (7, 8, &[1, 3, 5, 9, 1, 25, 53]),
    (7, 14, &[1, 3, 1, 13, 9, 35, 107]),
    (7, 19, &[1, 3, 1, 5, 27, 61, 31]),
    (7, 21, &[1, 1, 5, 11, 19, 41, 61]),
    (7, 28, &[1, 3, 5, 3, 3, 13, 69]),
    (7, 31, &[1, 1, 7, 13, 1, 19, 1]),
    (7, 32, &[1, 3, 7, 5, 13, 19, 59]),
    (7, 37, &[1, 1, 3, 9, 25, 29, 41]),
    (7, 41, &[1, 3, 5, 13, 23, 1, 55]),
    (7, 42, &[1, 3, 7, 3, 13, 59, 17]),
];

/// The most dimensions this generator has direction numbers for.
pub const MAX_DIMENSIONS: usize = JOE_KUO.len() + 1;

// A sobol sweep of the most parameters the scenario allows has its dimensions here.
const _: () = assert!(MAX_DIMENSIONS >= 2 * crate::scenario::sweep::MOST_SOBOL_PARAMETERS);

/// Bits of each coordinate: points come at multiples of 2⁻³².
const BITS: usize = 32;

/// The first points of a Sobol' sequence in `dimensions` dimensions (Gray-code order, starting with
/// the origin), each coordinate in [0, 1).
#[derive(Debug, Clone)]
pub struct Sobol {
    /// Direction numbers v[d][k] of each dimension, as 32-bit words.
    directions: Vec<[u32; BITS]>,
    /// The current point, as words.
    x: Vec<u32>,
    /// The digital shift of each dimension (zero when unscrambled).
    shift: Vec<u32>,
    /// How many points have been given.
    index: u64,
}

impl Sobol {
    /// The sequence in `dimensions` (1 to `MAX_DIMENSIONS`) dimensions; with a seed, digitally
    /// shifted by words drawn from it.
    pub fn new(dimensions: usize, seed: Option<u64>) -> Sobol {
        assert!(
            (1..=MAX_DIMENSIONS).contains(&dimensions),
            "Sobol' points in 1 to {MAX_DIMENSIONS} dimensions"
        );
        let mut directions = Vec::with_capacity(dimensions);
        // Dimension 1: v_k = 2^(32 - k).
        directions.push(std::array::from_fn(|k| 1u32 << (BITS - 1 - k)));
        for &(s, a, m) in &JOE_KUO[..dimensions - 1] {
            let s = s as usize;
            let mut v = [0u32; BITS];
            for k in 0..BITS {
                v[k] = if k < s {
                    m[k] << (BITS - 1 - k)
                } else {
                    // v_k = a₁v_{k−1} ⊕ … ⊕ a_{s−1}v_{k−s+1} ⊕ v_{k−s} ⊕ (v_{k−s} ≫ s)
                    let mut word = v[k - s] ^ (v[k - s] >> s);
                    for j in 1..s {
                        if (a >> (s - 1 - j)) & 1 == 1 {
                            word ^= v[k - j];
                        }
                    }
                    word
                };
            }
            directions.push(v);
        }
        let shift = match seed {
            Some(seed) => {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                (0..dimensions).map(|_| rng.random()).collect()
            }
            None => vec![0; dimensions],
        };
        Sobol { directions, x: vec![0; dimensions], shift, index: 0 }
    }

    /// The next point.
    pub fn next_point(&mut self) -> Vec<f64> {
        if self.index > 0 {
            // Gray code: the point changes by the direction number of the lowest zero bit of n − 1.
            let c = (self.index - 1).trailing_ones() as usize;
            for (x, v) in self.x.iter_mut().zip(&self.directions) {
                *x ^= v[c.min(BITS - 1)];
            }
        }
        self.index += 1;
        self.x.iter().zip(&self.shift).map(|(&x, &s)| f64::from(x ^ s) / 4_294_967_296.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_points_are_the_published_ones() {
        // The first ten points in three dimensions with Joe and Kuo's numbers.
        let expected = [
            [0.0, 0.0, 0.0],
            [0.5, 0.5, 0.5],
            [0.75, 0.25, 0.25],
            [0.25, 0.75, 0.75],
            [0.375, 0.375, 0.625],
            [0.875, 0.875, 0.125],
            [0.625, 0.125, 0.875],
            [0.125, 0.625, 0.375],
            [0.1875, 0.3125, 0.9375],
            [0.6875, 0.8125, 0.4375],
        ];
        let mut sobol = Sobol::new(3, None);
        for point in expected {
            assert_eq!(sobol.next_point(), point);
        }
    }

    #[test]
    fn every_dimension_is_a_net_of_the_unit_interval() {
        // The first 2^m points of every one-dimensional projection hit each interval [k/2^m,
        // (k+1)/2^m) exactly once, shifted or not: the property a broken direction number loses.
        for seed in [None, Some(7)] {
            let mut sobol = Sobol::new(MAX_DIMENSIONS, seed);
            let points: Vec<Vec<f64>> = (0..256).map(|_| sobol.next_point()).collect();
            for d in 0..MAX_DIMENSIONS {
                let mut hit = [false; 256];
                for p in &points {
                    hit[(p[d] * 256.0) as usize] = true;
                }
                assert!(hit.iter().all(|&h| h), "dimension {d}, seed {seed:?}");
            }
        }
    }
}
