//! Global sensitivity analysis: which parameters drive a metric, and how much of its variance is
//! interaction. Designs in the unit cube (the sweep maps each coordinate onto its parameter's
//! range) and the estimators of their indices, as pure functions of a design and its outputs — the
//! same code path for the model and for the test functions with known answers.
//!
//! ```
//! use olika::experiment::sensitivity::{saltelli, sobol_indices};
//! // Y = X₁ + 2 X₂ on the unit square: X₂ carries 4/5 of the variance, nothing interacts.
//! let design = saltelli(2, 1024, Some(1));
//! let y: Vec<f64> = design.iter().map(|x| x[0] + 2.0 * x[1]).collect();
//! let indices = sobol_indices(&y, 2, 200, 2);
//! assert!((indices[1].first.value - 0.8).abs() < 0.02);
//! assert!((indices[1].total.value - 0.8).abs() < 0.02);
//! ```

pub mod regression;
pub mod sobol;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use sobol::Sobol;

/// An estimate with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The estimate.
    pub value: f64,
    /// The lower end of its interval.
    pub low: f64,
    /// The upper end.
    pub high: f64,
}

/// Sobol' indices of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order index S_i: the share of the variance the parameter causes alone.
    pub first: Interval,
    /// Total index ST_i: its share with every interaction it takes part in.
    pub total: Interval,
}

/// The Saltelli (2010) design for `k` parameters from `n` base points: for each base point j, the
/// rows A_j, B_j and then A_j with its i-th coordinate from B_j (i = 1…k), so n (k + 2) rows in
/// [0, 1)^k. A and B are the two halves of a 2k-dimensional Sobol' point (skipping the origin),
/// Owen-scrambled by `seed` when there is one.
pub fn saltelli(k: usize, n: usize, seed: Option<u64>) -> Vec<Vec<f64>> {
    let mut points = Sobol::new(2 * k, seed);
    points.next_point();
    let mut rows = Vec::with_capacity(n * (k + 2));
    for _ in 0..n {
        let p = points.next_point();
        let (a, b) = p.split_at(k);
        rows.push(a.to_vec());
        rows.push(b.to_vec());
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            rows.push(ab);
        }
    }
    rows
}

/// First-order and total indices of each of `k` parameters from the outputs of a `saltelli`
/// design (in its row order), with percentile intervals from `resamples` bootstrap resamples of
/// the base points (seeded). First order by Saltelli et al. (2010):
/// S_i = mean_j f(B)_j (f(A_B^i)_j − f(A)_j) / V; total by Jansen (1999):
/// ST_i = mean_j (f(A)_j − f(A_B^i)_j)² / 2V; V the variance of f over A and B together.
pub fn sobol_indices(outputs: &[f64], k: usize, resamples: usize, seed: u64) -> Vec<SobolIndex> {
    let n = outputs.len() / (k + 2);
    let block = |j: usize| &outputs[j * (k + 2)..(j + 1) * (k + 2)];
    let estimate = |base: &[usize]| -> Vec<(f64, f64)> {
        let mut all = Vec::with_capacity(2 * base.len());
        for &j in base {
            all.extend_from_slice(&block(j)[..2]);
        }
        let mean = all.iter().sum::<f64>() / all.len() as f64;
        let variance = all.iter().map(|y| (y - mean).powi(2)).sum::<f64>() / (all.len() as f64 - 1.0);
        (0..k)
            .map(|i| {
                let (mut first, mut total) = (0.0, 0.0);
                for &j in base {
                    let row = block(j);
                    let (a, b, ab) = (row[0], row[1], row[2 + i]);
                    first += b * (ab - a);
                    total += (a - ab).powi(2);
                }
                let m = base.len() as f64;
                (first / m / variance, total / (2.0 * m) / variance)
            })
            .collect()
    };
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(&all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut draws: Vec<Vec<(f64, f64)>> = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let sample: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        draws.push(estimate(&sample));
    }
    (0..k)
        .map(|i| {
            let interval = |value: f64, pick: fn(&(f64, f64)) -> f64| {
                let mut values: Vec<f64> = draws.iter().map(|d| pick(&d[i])).collect();
                let (low, high) = percentiles(&mut values);
                Interval { value, low, high }
            };
            SobolIndex { first: interval(point[i].0, |d| d.0), total: interval(point[i].1, |d| d.1) }
        })
        .collect()
}

/// The 2.5th and 97.5th percentiles (the value itself when there is nothing to resample).
fn percentiles(values: &mut [f64]) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let at = |q: f64| values[((q * (values.len() - 1) as f64).round() as usize).min(values.len() - 1)];
    (at(0.025), at(0.975))
}

/// A Morris design (Morris 1991): `r` trajectories of k + 1 points on a grid of `levels` levels
/// in [0, 1]^k, each moving one parameter at a time by Δ = levels / (2 (levels − 1)). With
/// `candidates` > r, the r are chosen from that many random ones to spread as far apart as
/// possible (Campolongo, Cariboni & Saltelli 2007; chosen greedily, one at a time, by the sum of
/// distances to those already chosen). Rows: trajectory by trajectory.
pub fn morris(k: usize, r: usize, levels: usize, candidates: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let delta = morris_delta(levels);
    let grid = levels.max(2) - 1;
    let trajectory = |rng: &mut ChaCha8Rng| -> Vec<Vec<f64>> {
        // A base point whose every coordinate can take a step of +Δ and stay on the grid.
        let room = levels / 2;
        let mut x: Vec<f64> = (0..k).map(|_| rng.random_range(0..room.max(1)) as f64 / grid as f64).collect();
        let mut order: Vec<usize> = (0..k).collect();
        order.shuffle(rng);
        let mut rows = vec![x.clone()];
        for i in order {
            x[i] += delta;
            rows.push(x.clone());
        }
        rows
    };
    let pool: Vec<Vec<Vec<f64>>> = (0..candidates.max(r)).map(|_| trajectory(&mut rng)).collect();
    if pool.len() == r {
        return pool.into_iter().flatten().collect();
    }
    // Distance between two trajectories: the sum of the distances between their points.
    let distance = |a: &[Vec<f64>], b: &[Vec<f64>]| -> f64 {
        a.iter()
            .flat_map(|p| {
                b.iter().map(move |q| p.iter().zip(q).map(|(x, y)| (x - y).powi(2)).sum::<f64>().sqrt())
            })
            .sum()
    };
    let mut chosen = vec![0usize];
    while chosen.len() < r {
        let next = (0..pool.len())
            .filter(|c| !chosen.contains(c))
            .max_by(|&a, &b| {
                let spread = |c: usize| chosen.iter().map(|&s| distance(&pool[c], &pool[s])).sum::<f64>();
                spread(a).total_cmp(&spread(b))
            })
            .expect("more candidates than trajectories");
        chosen.push(next);
    }
    chosen.into_iter().flat_map(|c| pool[c].clone()).collect()
}

/// Morris's step Δ for a grid of `levels` levels.
pub(crate) fn morris_delta(levels: usize) -> f64 {
    levels as f64 / (2.0 * (levels.max(2) - 1) as f64)
}

/// Elementary-effect statistics of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// μ: the mean elementary effect (its sign says the direction of a monotone effect).
    pub mu: f64,
    /// μ*: the mean absolute elementary effect (Campolongo et al. 2007), the measure of importance.
    pub mu_star: f64,
    /// σ: the elementary effects' standard deviation — non-linearity or interaction.
    pub sigma: f64,
}

/// μ, μ* and σ of each parameter from the `design` rows of `morris` and their outputs: each step of
/// a trajectory gives the moved parameter one elementary effect (f(x + Δeᵢ) − f(x)) / Δ.
pub fn morris_indices(design: &[Vec<f64>], outputs: &[f64]) -> Vec<MorrisIndex> {
    let k = design.first().map_or(0, Vec::len);
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (t, rows) in design.chunks(k + 1).enumerate() {
        for m in 0..k {
            let (x, y) = (&rows[m], &rows[m + 1]);
            let Some(i) = (0..k).find(|&i| x[i] != y[i]) else { continue };
            let step = y[i] - x[i];
            let (fx, fy) = (outputs[t * (k + 1) + m], outputs[t * (k + 1) + m + 1]);
            effects[i].push((fy - fx) / step);
        }
    }
    effects
        .iter()
        .map(|e| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n;
            let sigma = (e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1.0).max(1.0)).sqrt();
            MorrisIndex { mu, mu_star, sigma }
        })
        .collect()
}

/// One row of `sensitivity.csv`: an index of one parameter for one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    /// The metric (a column of runs.csv).
    pub metric: String,
    /// The parameter's path, `(all)` for R², or `(replications)` for the noise between replications.
    pub parameter: String,
    /// `S1`, `ST` (sobol), `mu`, `mu_star`, `sigma` (morris), `PRCC`, `SRC`, `R2` (random, lhs) or
    /// `noise_share`.
    pub index: String,
    /// The estimate (NaN where there is none).
    pub estimate: f64,
    /// Its 95 % interval, where the method gives one.
    pub interval: Option<(f64, f64)>,
}

impl IndexRow {
    /// The interval's ends, NaN where the method gives none (for charts, which skip NaN).
    pub fn bounds(&self) -> (f64, f64) {
        self.interval.unwrap_or((f64::NAN, f64::NAN))
    }
}

/// Whether a sweep of this design has sensitivity indices.
pub(crate) fn has_indices(design: crate::scenario::sweep::Design) -> bool {
    use crate::scenario::sweep::Design;
    // A match over every design, so that the compiler asks a new design whether it has indices.
    match design {
        Design::Morris | Design::Sobol | Design::Random | Design::Lhs => true,
        Design::Grid | Design::Zip | Design::Table => false,
    }
}

/// The unit-cube rows of a morris or sobol sweep's design, in plan order (`None` for other designs):
/// what `experiment::design` maps onto the parameters' ranges and what the indices are computed on.
pub(crate) fn unit_design(spec: &crate::scenario::sweep::SweepSpec) -> Option<Vec<Vec<f64>>> {
    use crate::scenario::sweep::Design;
    let (k, n) = (spec.parameters.len(), spec.samples as usize);
    match spec.design {
        Design::Sobol => Some(saltelli(k, n, Some(spec.seed))),
        Design::Morris => {
            let candidates = (spec.candidates as usize).max(n);
            Some(morris(k, n, spec.levels as usize, candidates, spec.seed))
        }
        Design::Grid | Design::Zip | Design::Random | Design::Lhs | Design::Table => None,
    }
}

/// Bootstrap resamples behind each Sobol' interval.
pub(crate) const RESAMPLES: usize = 1000;

/// The indices of `metric` from a finished sweep of design `spec`, given each point's run values
/// in plan order (the runs that ended well) and, for random and lhs designs, each parameter's value
/// at every point (`x[i][point]`). Each point counts with its mean over replications;
/// the between-replication noise is reported as `noise_share`: the share of the variance of the
/// point means that replication noise alone would give (within-point variance ÷ replications,
/// over the variance of the means) — near 1, the noise swamps every parameter. Random and lhs
/// designs get partial rank correlations (`PRCC`, with Fisher's interval) and standardised
/// regression coefficients (`SRC`) with the regression's `R2`. `None` for a design without
/// indices (grid, zip, table), a point without runs, or a regression that cannot be made (a
/// parameter that does not vary, fewer points than parameters).
pub fn analyze(
    spec: &crate::scenario::sweep::SweepSpec,
    metric: &str,
    runs: &[Vec<f64>],
    x: &[Vec<f64>],
) -> Option<Vec<IndexRow>> {
    use crate::scenario::sweep::Design;
    if !has_indices(spec.design) || runs.iter().any(Vec::is_empty) {
        return None;
    }
    let means: Vec<f64> = runs.iter().map(|r| r.iter().sum::<f64>() / r.len() as f64).collect();
    let k = spec.parameters.len();
    let row = |parameter: &str, index: &str, estimate, interval| IndexRow {
        metric: metric.to_string(),
        parameter: parameter.to_string(),
        index: index.to_string(),
        estimate,
        interval,
    };
    let mut rows = Vec::new();
    if spec.design == Design::Sobol {
        for (p, i) in spec.parameters.iter().zip(sobol_indices(&means, k, RESAMPLES, spec.seed)) {
            rows.push(row(&p.path, "S1", i.first.value, Some((i.first.low, i.first.high))));
            rows.push(row(&p.path, "ST", i.total.value, Some((i.total.low, i.total.high))));
        }
    } else if matches!(spec.design, Design::Random | Design::Lhs) {
        let (src, r2) = regression::src(x, &means)?;
        let prcc = regression::prcc(x, &means)?;
        for ((p, s), c) in spec.parameters.iter().zip(src).zip(prcc) {
            rows.push(row(&p.path, "PRCC", c.value, Some((c.low, c.high))));
            rows.push(row(&p.path, "SRC", s, None));
        }
        rows.push(row("(all)", "R2", r2, None));
    } else {
        let design = unit_design(spec)?;
        for (p, i) in spec.parameters.iter().zip(morris_indices(&design, &means)) {
            rows.push(row(&p.path, "mu", i.mu, None));
            rows.push(row(&p.path, "mu_star", i.mu_star, None));
            rows.push(row(&p.path, "sigma", i.sigma, None));
        }
    }
    // A single replication has no spread to tell.
    let variance = |v: &[f64]| super::stats::summarize(v).sd.map_or(0.0, |sd| sd * sd);
    let within = runs.iter().map(|r| variance(r) / r.len() as f64).sum::<f64>() / runs.len() as f64;
    let between = variance(&means);
    rows.push(row(
        "(replications)",
        "noise_share",
        if between > 0.0 { within / between } else { f64::NAN },
        None,
    ));
    Some(rows)
}

#[cfg(test)]
mod tests {
    use std::f64::consts::PI;

    use super::*;

    /// Ishigami & Homma (1990), a = 7, b = 0.1, on [−π, π]³.
    fn ishigami(x: &[f64]) -> f64 {
        let x: Vec<f64> = x.iter().map(|u| -PI + 2.0 * PI * u).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// Sobol's G-function on [0, 1]^k.
    fn g(x: &[f64], a: &[f64]) -> f64 {
        x.iter().zip(a).map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a)).product()
    }

    fn within(what: &str, i: Interval, truth: f64, slack: f64) {
        assert!(
            i.low - slack <= truth && truth <= i.high + slack,
            "{what}: {truth} outside [{}, {}] (estimate {})",
            i.low,
            i.high,
            i.value
        );
    }

    #[test]
    fn ishigami_indices_are_the_analytic_ones() {
        // Analytic: S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
        let (s1, st) = ([0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]);
        for seed in [1, 2] {
            let design = saltelli(3, 4096, Some(seed));
            assert_eq!(design.len(), 4096 * 5);
            let y: Vec<f64> = design.iter().map(|x| ishigami(x)).collect();
            let indices = sobol_indices(&y, 3, 300, seed);
            for i in 0..3 {
                // The analytic values are rounded to 10⁻⁴.
                within(&format!("S{}", i + 1), indices[i].first, s1[i], 1e-4);
                within(&format!("ST{}", i + 1), indices[i].total, st[i], 1e-4);
                assert!(indices[i].first.high - indices[i].first.low < 0.1, "intervals that say something");
            }
        }
    }

    #[test]
    fn g_function_indices_are_the_analytic_ones() {
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        let partial: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a) * (1.0 + a))).collect();
        let variance = partial.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
        let design = saltelli(8, 8192, Some(3));
        let y: Vec<f64> = design.iter().map(|x| g(x, &a)).collect();
        let indices = sobol_indices(&y, 8, 200, 3);
        for i in 0..8 {
            let first = partial[i] / variance;
            let others: f64 = (0..8).filter(|&j| j != i).map(|j| 1.0 + partial[j]).product();
            let total = partial[i] * others / variance;
            within(&format!("S{}", i + 1), indices[i].first, first, 0.0);
            within(&format!("ST{}", i + 1), indices[i].total, total, 0.0);
        }
    }

    #[test]
    fn a_mutant_estimator_is_caught() {
        // With A and B swapped — the product f(A) (f(A_B) − f(B)), an easy slip — the first-order
        // estimator measures the other parameters' closed index, 1 − ST₁ = 0.4424 for x₁: the
        // interval test above rejects it.
        let design = saltelli(3, 4096, Some(1));
        let y: Vec<f64> = design.iter().map(|x| ishigami(x)).collect();
        let mut swapped = y.clone();
        for block in swapped.chunks_mut(5) {
            block.swap(0, 1);
        }
        let wrong = sobol_indices(&swapped, 3, 100, 1)[0].first;
        assert!(wrong.low > 0.3139 + 0.05, "{wrong:?}");
    }

    #[test]
    fn morris_ranks_the_g_function_as_published() {
        // Campolongo et al. (2007): with a = (0, 1, 4.5, 9, 99, 99, 99, 99), μ* ranks x₁ > x₂ > x₃ >
        // x₄ and puts the four with a = 99 last.
        let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
        for (seed, candidates) in [(1, 10), (2, 100)] {
            let design = morris(8, 10, 4, candidates, seed);
            assert_eq!(design.len(), 10 * 9);
            let y: Vec<f64> = design.iter().map(|x| g(x, &a)).collect();
            let m = morris_indices(&design, &y);
            for i in 0..3 {
                assert!(m[i].mu_star > m[i + 1].mu_star, "seed {seed}: μ* {m:?}");
            }
            assert!(m[4..].iter().all(|x| x.mu_star < m[3].mu_star), "seed {seed}: μ* {m:?}");
        }
    }

    #[test]
    fn morris_steps_stay_in_the_cube_and_move_one_parameter() {
        let design = morris(5, 6, 4, 20, 9);
        for rows in design.chunks(6) {
            for pair in rows.windows(2) {
                let moved: Vec<usize> = (0..5).filter(|&i| pair[0][i] != pair[1][i]).collect();
                assert_eq!(moved.len(), 1);
                assert!((pair[1][moved[0]] - pair[0][moved[0]] - morris_delta(4)).abs() < 1e-12);
            }
            assert!(rows.iter().flatten().all(|x| (0.0..=1.0).contains(x)));
        }
    }
}
