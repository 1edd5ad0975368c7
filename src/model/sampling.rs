//! Sampling helpers whose cost grows with what is drawn, not with what could be drawn.

use rand::Rng;

/// Draws the indices in `0..n` hit by independent Bernoulli(p) trials, by geometric skips: the
/// cost is proportional to the hits, not to n.
pub struct Skips {
    p: f64,
    log_miss: f64,
    next: usize,
    n: usize,
}

impl Skips {
    pub fn new(n: usize, p: f64) -> Self {
        Skips { p, log_miss: (1.0 - p).ln(), next: 0, n }
    }

    pub fn next(&mut self, rng: &mut impl Rng) -> Option<usize> {
        if self.p <= 0.0 {
            return None;
        }
        if self.p < 1.0 {
            let u: f64 = rng.random();
            let skip = ((1.0 - u).ln() / self.log_miss).floor();
            if skip >= (self.n - self.next.min(self.n)) as f64 {
                self.next = self.n;
                return None;
            }
            self.next += skip as usize;
        }
        if self.next >= self.n {
            return None;
        }
        self.next += 1;
        Some(self.next - 1)
    }
}

/// Above this rate, drawing each index is cheaper than skipping.
const SKIP_BELOW: f64 = 0.1;

/// Thinning: each index i in `0..n` is selected independently with probability `prob(i)`, which
/// must not exceed `bound`. For a small bound, candidates are drawn by geometric skips at rate
/// `bound` and each is kept with probability prob(i) / bound, so the cost grows with n · bound, not
/// with n; a skip costs a logarithm, so for a bound above `SKIP_BELOW` one draw per index is cheaper.
pub(crate) fn thin(
    rng: &mut impl Rng,
    n: usize,
    bound: f64,
    mut prob: impl FnMut(usize) -> f64,
    out: &mut Vec<u32>,
) {
    let bound = bound.min(1.0);
    if bound > SKIP_BELOW {
        out.extend((0..n).filter(|&i| super::chance(rng, prob(i))).map(|i| i as u32));
        return;
    }
    let mut skips = Skips::new(n, bound);
    while let Some(i) = skips.next(rng) {
        let p = prob(i);
        if p >= bound || rng.random::<f64>() * bound < p {
            out.push(i as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn skips_hit_each_index_with_probability_p() {
        let mut rng = ChaCha8Rng::seed_from_u64(9);
        let (n, p, rounds) = (50, 0.1, 20_000);
        let mut hits = vec![0u32; n];
        for _ in 0..rounds {
            let mut s = Skips::new(n, p);
            let mut last = None;
            while let Some(j) = s.next(&mut rng) {
                assert!(last.is_none_or(|l| j > l), "strictly increasing");
                last = Some(j);
                hits[j] += 1;
            }
        }
        // Each count is Binomial(20000, 0.1): mean 2000, sd 42; 5 sd is a safe bound for 50 indices.
        for h in hits {
            assert!((h as f64 - 2000.0).abs() < 5.0 * 42.5, "{h}");
        }
        let mut all = Skips::new(5, 1.0);
        assert_eq!(std::iter::from_fn(|| all.next(&mut rng)).count(), 5);
    }

    #[test]
    fn thinning_selects_each_index_with_its_own_probability() {
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        // One bound above SKIP_BELOW (a draw per index), one below (geometric skips).
        for (bound, probs) in [(0.2, [0.0, 0.05, 0.1, 0.2]), (0.08, [0.0, 0.02, 0.05, 0.08])] {
            let mut counts = [0u32; 4];
            let mut out = Vec::new();
            for _ in 0..40_000 {
                out.clear();
                thin(&mut rng, 4, bound, |i| probs[i], &mut out);
                for &i in &out {
                    counts[i as usize] += 1;
                }
            }
            assert_eq!(counts[0], 0);
            for (k, p) in probs.iter().enumerate().skip(1) {
                let mean = 40_000.0 * p;
                let sd = (40_000.0 * p * (1.0 - p)).sqrt();
                assert!(
                    (f64::from(counts[k]) - mean).abs() < 5.0 * sd,
                    "{bound} {k}: {} vs {mean}",
                    counts[k]
                );
            }
        }
    }
}
