//! Sobol' low-discrepancy points (Sobol' 1967; Bratley & Fox 1988), with the primitive polynomials
//! and initial direction numbers of Joe & Kuo (2008, file `new-joe-kuo-6.21201`) for up to 32
//! dimensions, and an optional Owen (1995) scrambling: each coordinate's bits flipped by a seeded
//! nested random permutation, which keeps the points a (t, m, s)-net, makes every point uniform on
//! the unit cube (so estimates are unbiased and independent replicates possible) and, for smooth
//! integrands, lowers the variance below that of the plain or merely shifted net.

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
pub(crate) const MAX_DIMENSIONS: usize = JOE_KUO.len() + 1;

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
    /// The seed of each dimension's scrambling (`None`: unscrambled).
    scramble: Option<Vec<u32>>,
    /// How many points have been given.
    index: u64,
}

impl Sobol {
    /// The sequence in `dimensions` (1 to `MAX_DIMENSIONS`) dimensions; with a seed, Owen-scrambled
    /// by permutations drawn from it, one per dimension.
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
        let scramble = seed.map(|seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..dimensions).map(|_| rng.random()).collect()
        });
        Sobol { directions, x: vec![0; dimensions], scramble, index: 0 }
    }

    /// The next point.
    pub(crate) fn next_point(&mut self) -> Vec<f64> {
        if self.index > 0 {
            // Gray code: the point changes by the direction number of the lowest zero bit of n − 1.
            let c = (self.index - 1).trailing_ones() as usize;
            for (x, v) in self.x.iter_mut().zip(&self.directions) {
                *x ^= v[c.min(BITS - 1)];
            }
        }
        self.index += 1;
        let word = |d: usize| match &self.scramble {
            Some(seeds) => owen(self.x[d], seeds[d]),
            None => self.x[d],
        };
        (0..self.x.len()).map(|d| f64::from(word(d)) / 4_294_967_296.0).collect()
    }
}

/// Owen's nested uniform scrambling of a coordinate's 32 bits: bit k (from the top) is flipped or
/// not by a random choice that depends on the seed and on bits 1..k−1 alone, so each dyadic
/// interval's two halves are swapped at random, independently of every other interval's.
/// The choices come from a hash, after Burley (2020, "Practical hash-based Owen scrambling",
/// JCGT 9(4)): reversed, the bits that decide a flip are the lower ones, and Laine and Karras's
/// multiply-xor steps change each bit by a function of the bits below it and the seed only
/// (multiplication carries upward, never down).
fn owen(x: u32, seed: u32) -> u32 {
    let mut v = x.reverse_bits().wrapping_add(seed);
    for k in [0x6c50_b47c_u32, 0xb82f_1e52, 0xc7af_e638, 0x8d22_f6e6] {
        v ^= v.wrapping_mul(k);
    }
    v.reverse_bits()
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
        // (k+1)/2^m) exactly once, scrambled or not: the property a broken direction number loses.
        for seed in [None, Some(7), Some(8)] {
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

    #[test]
    fn the_first_two_dimensions_stay_a_net_in_every_box_shape_when_scrambled() {
        // Sobol's first two dimensions are a (0, m, 2)-net: 2^m points put one point in every box
        // of side 2^-a by 2^-(m-a). Owen scrambling keeps that; a hash that let a flip depend on
        // a lower bit of the coordinate would not.
        for seed in [None, Some(1), Some(2), Some(3)] {
            let mut sobol = Sobol::new(2, seed);
            let points: Vec<Vec<f64>> = (0..256).map(|_| sobol.next_point()).collect();
            for a in 0..=8 {
                let mut hit = vec![false; 256];
                for p in &points {
                    let (i, j) = (
                        (p[0] * f64::from(1u32 << a)) as usize,
                        (p[1] * f64::from(1u32 << (8 - a))) as usize,
                    );
                    hit[(i << (8 - a)) + j] = true;
                }
                assert!(hit.iter().all(|&h| h), "boxes 2^-{a} by 2^-{}, seed {seed:?}", 8 - a);
            }
        }
    }

    #[test]
    fn scrambling_is_nested_not_a_shift() {
        // A digital shift XORs every point with the same word; Owen's scrambling flips a bit
        // according to the bits above it, so points that differ high up are flipped differently.
        let mut plain = Sobol::new(1, None);
        let mut scrambled = Sobol::new(1, Some(5));
        let flips: std::collections::BTreeSet<u32> = (0..64)
            .map(|_| {
                let (x, y) = (plain.next_point()[0], scrambled.next_point()[0]);
                ((x * 4_294_967_296.0) as u32) ^ ((y * 4_294_967_296.0) as u32)
            })
            .collect();
        assert!(flips.len() > 32, "{} distinct flips in 64 points", flips.len());
    }

    #[test]
    fn scrambled_points_integrate_without_bias_and_beat_plain_monte_carlo() {
        // ∫ x² y² over the unit square is 1/9. Over 64 scramblings of 256 points the mean estimate
        // is within 3 standard errors of it, and the spread of the estimates is a small fraction
        // of plain Monte Carlo's (sd of x² y² is 0.1054, so 0.0066 at 256 points).
        let estimates: Vec<f64> = (0..64)
            .map(|seed| {
                let mut sobol = Sobol::new(2, Some(seed));
                (0..256).map(|_| sobol.next_point()).map(|p| p[0] * p[0] * p[1] * p[1]).sum::<f64>() / 256.0
            })
            .collect();
        let mean = estimates.iter().sum::<f64>() / 64.0;
        let sd = (estimates.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / 63.0).sqrt();
        assert!((mean - 1.0 / 9.0).abs() < 3.0 * sd / 8.0 + 1e-12, "mean {mean}, sd {sd}");
        assert!(sd < 0.0066 / 10.0, "sd {sd}");
    }
}
