//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC): the search of a
//! calibration, as pure functions over any simulator — tested here on models whose posterior is
//! known, to be run by `olika calibrate` (issue 24) on the model's judgements and a user's data.
//!
//! A generation keeps `population` particles, parameter vectors whose simulated distance to the
//! targets is at most the generation's tolerance ε. The first generation draws from the priors and
//! accepts everything (ε = ∞); each later one takes ε as the `quantile` of the previous generation's
//! distances (an adaptive schedule, Del Moral, Doucet & Jasra 2012; Beaumont et al. 2009 with a
//! quantile schedule), draws an ancestor by weight, moves it with the kernel K below, and keeps the
//! proposal if it lies in the prior's support and its distance is within ε. Its weight is
//!
//!   w ∝ π(θ) / Σ_j w_j K(θ | θ_j)            (Beaumont, Cornuet, Marin & Robert 2009, eq. 3)
//!
//! with K a normal of twice the weighted variance of the previous generation on each continuous
//! parameter (on the log scale for a log-uniform prior), and, for a categorical one, the ancestor's
//! category kept with probability 1 − `switch` and any other taken uniformly otherwise.
//!
//! A simulation answers with one distance per target (its parts); a particle's distance is their
//! sum, and each generation counts, per target, the simulations that met it (a part within its
//! allowance), which says which targets are hard to meet.
//!
//! Proposals are made and simulated in batches, each batch's draws from its own stream (generation,
//! batch): the caller may run a batch in parallel, in any order, and the particles are the same
//! bytes whatever the threads. A generation that cannot reach its population within
//! `most_simulations` is an error that says so (a tolerance that cannot shrink) rather than a
//! search that never ends.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::error::{Error, Location, Result};
use crate::model::hash::splitmix64;

/// The prior of one parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Prior {
    /// Uniform on [min, max].
    Uniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// Uniform in log on [min, max], 0 < min < max: each tenfold as likely.
    LogUniform {
        /// The smallest value.
        min: f64,
        /// The largest value.
        max: f64,
    },
    /// One of `n` categories (0..n), each as likely.
    Categorical {
        /// The number of categories.
        n: u32,
    },
}

impl Prior {
    /// A draw from the prior.
    fn draw(&self, rng: &mut ChaCha8Rng) -> f64 {
        match *self {
            Prior::Uniform { min, max } => min + (max - min) * rng.random::<f64>(),
            Prior::LogUniform { min, max } => (min.ln() + (max.ln() - min.ln()) * rng.random::<f64>()).exp(),
            Prior::Categorical { n } => f64::from(rng.random_range(0..n)),
        }
    }

    /// The prior density at x (up to the same constant for every x).
    fn density(&self, x: f64) -> f64 {
        match *self {
            Prior::Uniform { min, max } => f64::from(u8::from((min..=max).contains(&x))) / (max - min),
            Prior::LogUniform { min, max } => {
                if (min..=max).contains(&x) {
                    1.0 / (x * (max.ln() - min.ln()))
                } else {
                    0.0
                }
            }
            Prior::Categorical { n } => {
                let inside = x >= 0.0 && x < f64::from(n) && x.fract() == 0.0;
                f64::from(u8::from(inside)) / f64::from(n)
            }
        }
    }

    /// Where the kernel moves a continuous parameter: the value itself, or its log.
    fn scale(&self, x: f64) -> f64 {
        match self {
            Prior::LogUniform { .. } => x.ln(),
            _ => x,
        }
    }

    /// Checks that the prior is a distribution: a range of positive width (and positive, for a
    /// log-uniform one), at least two categories. The message says what is wrong.
    pub fn check(&self) -> std::result::Result<(), String> {
        match *self {
            Prior::Uniform { min, max } if !(min.is_finite() && max.is_finite() && min < max) => {
                Err(format!("a uniform prior needs finite min < max; found [{min}, {max}]"))
            }
            Prior::LogUniform { min, max } if !(min > 0.0 && max.is_finite() && min < max) => {
                Err(format!("a log-uniform prior needs 0 < min < max; found [{min}, {max}]"))
            }
            Prior::Categorical { n } if n < 2 => {
                Err(format!("a categorical prior needs at least two values; found {n}"))
            }
            _ => Ok(()),
        }
    }
}

/// How a calibration searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Particles per generation.
    pub population: usize,
    /// Particles of the first generation, drawn from the priors (at least `population`): a larger
    /// first generation maps the prior box more finely.
    pub first: usize,
    /// Generations, the first (from the priors) included.
    pub generations: usize,
    /// The next tolerance is this quantile of the last generation's distances (0 < q < 1).
    pub quantile: f64,
    /// Proposals simulated together: the unit of parallel work.
    pub batch: usize,
    /// The most simulations one generation may take before the search gives up.
    pub most_simulations: u64,
    /// A categorical parameter's chance of leaving its ancestor's category.
    pub switch: f64,
    /// The root of every draw.
    pub seed: u64,
}

/// One particle: its parameters, weight (the population's sum to 1) and distance.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    /// The parameter vector, in the order of the priors.
    pub theta: Vec<f64>,
    /// Its normalised importance weight.
    pub weight: f64,
    /// Its simulated distance to the targets: the sum of its parts.
    pub distance: f64,
    /// Its distance to each target.
    pub parts: Vec<f64>,
}

/// One generation of the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// Its tolerance ε (infinite for the first).
    pub tolerance: f64,
    /// Its particles.
    pub particles: Vec<Particle>,
    /// Simulations it took.
    pub simulations: u64,
    /// Of those, how many met each target (their part within its allowance).
    pub met: Vec<u64>,
}

impl Generation {
    /// Accepted proposals per simulation.
    pub fn acceptance(&self) -> f64 {
        self.particles.len() as f64 / self.simulations.max(1) as f64
    }

    /// The effective sample size of its weights, 1 / Σ w².
    pub fn effective_size(&self) -> f64 {
        1.0 / self.particles.iter().map(|p| p.weight * p.weight).sum::<f64>()
    }
}

/// A batch simulator: given the generation (whose simulations may share their random numbers) and
/// the parameter vectors, each one's distance to every target, in order.
pub type Simulate<'a> = dyn FnMut(usize, &[Vec<f64>]) -> Result<Vec<Vec<f64>>> + 'a;

/// Runs ABC-SMC: `simulate` gets a batch of parameter vectors and returns each one's distances to
/// the targets (in the same order; it may run them in parallel); a target is met where its
/// distance is within its `allowances` entry. Returns every generation, the last one the
/// posterior sample. A generation that cannot reach its population is an input error about
/// `calibrate.quantile`, located at `[calibrate]` (the caller knows the file).
pub fn search(
    priors: &[Prior],
    allowances: &[f64],
    settings: &Settings,
    simulate: &mut Simulate,
) -> Result<Vec<Generation>> {
    search_weighted(priors, allowances, settings, simulate, true)
}

/// `search`, or — with `weighted` false, for the tests' mutant only — the same search with every
/// importance weight 1, which counts the likelihood again each generation.
fn search_weighted(
    priors: &[Prior],
    allowances: &[f64],
    settings: &Settings,
    simulate: &mut Simulate,
    weighted: bool,
) -> Result<Vec<Generation>> {
    for prior in priors {
        prior.check().map_err(Error::Run)?;
    }
    let context = Context { priors, allowances, settings, weighted };
    let mut generations: Vec<Generation> = Vec::new();
    for g in 0..settings.generations {
        let tolerance = match generations.last() {
            None => f64::INFINITY,
            Some(last) => {
                let mut distances: Vec<f64> = last.particles.iter().map(|p| p.distance).collect();
                distances.sort_by(f64::total_cmp);
                let k =
                    ((distances.len() as f64 * settings.quantile).ceil() as usize).clamp(1, distances.len());
                distances[k - 1]
            }
        };
        generations.push(context.generation(generations.last(), g, tolerance, simulate)?);
    }
    Ok(generations)
}

/// What every generation of a search shares.
struct Context<'a> {
    priors: &'a [Prior],
    allowances: &'a [f64],
    settings: &'a Settings,
    weighted: bool,
}

impl Context<'_> {
    /// One generation at tolerance ε: batches of proposals until its population is accepted.
    fn generation(
        &self,
        previous: Option<&Generation>,
        g: usize,
        tolerance: f64,
        simulate: &mut Simulate,
    ) -> Result<Generation> {
        let (priors, settings) = (self.priors, self.settings);
        let kernel = previous.map(|p| Kernel::of(priors, p, settings.switch));
        let population = if g == 0 { settings.first.max(settings.population) } else { settings.population };
        let mut particles = Vec::with_capacity(population);
        let (mut simulations, mut batch_index) = (0u64, 0u64);
        let mut met = vec![0u64; self.allowances.len()];
        while particles.len() < population {
            if simulations >= settings.most_simulations {
                return Err(Error::input(
                    Location::file("[calibrate]"),
                    Some("calibrate.quantile"),
                    format!(
                        "generation {g} accepted {} of {population} particles within tolerance {tolerance:.4} in {simulations} simulations: the tolerance cannot shrink further; ask for fewer generations, a larger `quantile`, or more `most_simulations`",
                        particles.len(),
                    ),
                ));
            }
            let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(
                settings.seed ^ splitmix64((g as u64) << 32 | batch_index),
            ));
            batch_index += 1;
            let proposals: Vec<Vec<f64>> = (0..settings.batch)
                .map(|_| match (&kernel, previous) {
                    (Some(k), Some(p)) => k.propose(priors, p, &mut rng),
                    _ => priors.iter().map(|prior| prior.draw(&mut rng)).collect(),
                })
                .collect();
            let distances = simulate(g, &proposals)?;
            assert_eq!(distances.len(), proposals.len(), "one distance per proposal");
            simulations += proposals.len() as u64;
            for (theta, parts) in proposals.into_iter().zip(distances) {
                for ((count, part), allowance) in met.iter_mut().zip(&parts).zip(self.allowances) {
                    *count += u64::from(part <= allowance);
                }
                let distance: f64 = parts.iter().sum();
                if particles.len() < population && distance <= tolerance {
                    let weight = match (&kernel, previous) {
                        (Some(k), Some(p)) if self.weighted => k.weight(priors, p, &theta),
                        _ => 1.0,
                    };
                    particles.push(Particle { theta, weight, distance, parts });
                }
            }
        }
        let total: f64 = particles.iter().map(|p| p.weight).sum();
        for p in &mut particles {
            p.weight /= total;
        }
        Ok(Generation { tolerance, particles, simulations, met })
    }
}

/// The move from one generation to the next: per continuous parameter the kernel's standard
/// deviation, √(2 · weighted variance) on the prior's scale (Beaumont et al. 2009).
struct Kernel {
    sd: Vec<f64>,
    switch: f64,
}

impl Kernel {
    fn of(priors: &[Prior], previous: &Generation, switch: f64) -> Kernel {
        let sd = priors
            .iter()
            .enumerate()
            .map(|(i, prior)| {
                let mean: f64 = previous.particles.iter().map(|p| p.weight * prior.scale(p.theta[i])).sum();
                let variance: f64 = previous
                    .particles
                    .iter()
                    .map(|p| p.weight * (prior.scale(p.theta[i]) - mean).powi(2))
                    .sum();
                // A population collapsed onto one value still moves a little.
                (2.0 * variance).sqrt().max(1e-12)
            })
            .collect();
        Kernel { sd, switch }
    }

    /// A proposal: an ancestor drawn by weight, moved; redrawn until it lies in the prior's
    /// support (its density is then the kernel's, truncated alike for every ancestor's value).
    fn propose(&self, priors: &[Prior], previous: &Generation, rng: &mut ChaCha8Rng) -> Vec<f64> {
        loop {
            let u: f64 = rng.random();
            let mut acc = 0.0;
            let ancestor = previous
                .particles
                .iter()
                .find(|p| {
                    acc += p.weight;
                    u < acc
                })
                .unwrap_or_else(|| previous.particles.last().expect("a generation has particles"));
            let theta: Vec<f64> = priors
                .iter()
                .zip(&ancestor.theta)
                .zip(&self.sd)
                .map(|((prior, &x), &sd)| self.moved(prior, x, sd, rng))
                .collect();
            if priors.iter().zip(&theta).all(|(p, &x)| p.density(x) > 0.0) {
                return theta;
            }
        }
    }

    fn moved(&self, prior: &Prior, x: f64, sd: f64, rng: &mut ChaCha8Rng) -> f64 {
        match *prior {
            Prior::Categorical { n } => {
                if rng.random::<f64>() < self.switch {
                    // Another category, uniformly.
                    let other = rng.random_range(0..n - 1);
                    f64::from(if f64::from(other) >= x { other + 1 } else { other })
                } else {
                    x
                }
            }
            Prior::LogUniform { .. } => (x.ln() + sd * normal(rng)).exp(),
            Prior::Uniform { .. } => x + sd * normal(rng),
        }
    }

    /// K(θ | θ_j): the product over parameters of the kernel's density in θ (constants that are the
    /// same for every j left out).
    fn density(&self, priors: &[Prior], theta: &[f64], from: &[f64]) -> f64 {
        priors
            .iter()
            .enumerate()
            .map(|(i, prior)| match *prior {
                Prior::Categorical { n } => {
                    if theta[i] == from[i] {
                        1.0 - self.switch
                    } else {
                        self.switch / f64::from(n - 1)
                    }
                }
                Prior::LogUniform { .. } => {
                    // A normal in log θ is a density in θ with the Jacobian 1 / θ, as the prior's is.
                    let z = (theta[i].ln() - from[i].ln()) / self.sd[i];
                    (-0.5 * z * z).exp() / (self.sd[i] * theta[i])
                }
                Prior::Uniform { .. } => {
                    let z = (theta[i] - from[i]) / self.sd[i];
                    (-0.5 * z * z).exp() / self.sd[i]
                }
            })
            .product()
    }

    /// The unnormalised weight π(θ) / Σ_j w_j K(θ | θ_j).
    fn weight(&self, priors: &[Prior], previous: &Generation, theta: &[f64]) -> f64 {
        let prior: f64 = priors.iter().zip(theta).map(|(p, &x)| p.density(x)).product();
        let mixture: f64 =
            previous.particles.iter().map(|p| p.weight * self.density(priors, theta, &p.theta)).sum();
        prior / mixture
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(seed: u64) -> Settings {
        Settings {
            population: 400,
            first: 400,
            generations: 6,
            quantile: 0.5,
            batch: 64,
            most_simulations: 200_000,
            switch: 0.3,
            seed,
        }
    }

    /// The weighted mean and standard deviation of parameter i.
    fn moments(g: &Generation, i: usize) -> (f64, f64) {
        let mean: f64 = g.particles.iter().map(|p| p.weight * p.theta[i]).sum();
        let var: f64 = g.particles.iter().map(|p| p.weight * (p.theta[i] - mean).powi(2)).sum();
        (mean, var.sqrt())
    }

    /// n observations of N(θ, 1) summarised by their mean, with a flat prior: the posterior is
    /// N(ȳ, 1/n), and ABC with distance |ȳ_sim − ȳ| approaches it as ε shrinks.
    fn normal_mean(observed: f64, n: u32, seed: u64) -> Vec<Generation> {
        let priors = [Prior::Uniform { min: -10.0, max: 10.0 }];
        let mut calls = 0u64;
        let mut simulate = |batch: &[Vec<f64>]| -> Vec<Vec<f64>> {
            calls += 1;
            let mut rng = ChaCha8Rng::seed_from_u64(seed ^ calls.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            batch
                .iter()
                .map(|theta| {
                    let mean = (0..n).map(|_| theta[0] + normal(&mut rng)).sum::<f64>() / f64::from(n);
                    vec![(mean - observed).abs()]
                })
                .collect()
        };
        search(&priors, &[0.1], &settings(seed), &mut |_, b| Ok(simulate(b))).unwrap()
    }

    #[test]
    fn the_posterior_of_a_normal_mean_is_recovered() {
        let (observed, n) = (2.5, 25);
        let generations = normal_mean(observed, n, 7);
        let last = generations.last().unwrap();
        let (mean, sd) = moments(last, 0);
        // The exact posterior is N(2.5, 0.2²); the ABC posterior adds the tolerance's width.
        assert!((mean - observed).abs() < 0.06, "posterior mean {mean}");
        assert!(sd > 0.15 && sd < 0.3, "posterior sd {sd}");
        // Tolerances shrink, and the first generation is the prior's (sd of U(-10, 10) ≈ 5.8).
        assert!(generations.windows(2).all(|w| w[1].tolerance < w[0].tolerance));
        assert!(moments(&generations[0], 0).1 > 5.0);
        assert!((last.particles.iter().map(|p| p.weight).sum::<f64>() - 1.0).abs() < 1e-9);
    }

    /// Simulation-based calibration (Talts et al. 2018): truths drawn from the prior, data made
    /// from each, calibrated; the truth's rank among posterior draws must be uniform and the 90 %
    /// credible intervals must cover about 90 % of the truths. The model: ȳ of 10 draws of
    /// N(θ, 1), θ ~ U(-3, 3).
    fn calibration(weighted: bool, base: u64) -> (f64, f64, f64) {
        const DATASETS: u64 = 400;
        const DRAWS: usize = 19;
        let priors = [Prior::Uniform { min: -3.0, max: 3.0 }];
        let settings = Settings { population: 100, first: 100, generations: 8, batch: 50, ..settings(0) };
        let (mut covered, mut ranks, mut squared_error, mut variance) = (0u32, [0u32; DRAWS + 1], 0.0, 0.0);
        for d in 0..DATASETS {
            let mut rng = ChaCha8Rng::seed_from_u64(base + d);
            let truth = priors[0].draw(&mut rng);
            let observed = truth + (0..10).map(|_| normal(&mut rng)).sum::<f64>() / 10.0;
            let mut calls = 0u64;
            let mut simulate = |batch: &[Vec<f64>]| {
                calls += 1;
                let mut rng = ChaCha8Rng::seed_from_u64(d << 32 | calls);
                batch
                    .iter()
                    .map(|t| {
                        vec![(t[0] + (0..10).map(|_| normal(&mut rng)).sum::<f64>() / 10.0 - observed).abs()]
                    })
                    .collect()
            };
            let settings = Settings { seed: base + d, ..settings };
            let last = search_weighted(&priors, &[0.1], &settings, &mut |_, b| Ok(simulate(b)), weighted)
                .unwrap()
                .pop()
                .unwrap();
            let mut sorted: Vec<(f64, f64)> = last.particles.iter().map(|p| (p.theta[0], p.weight)).collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let quantile = |q: f64| {
                let mut acc = 0.0;
                sorted
                    .iter()
                    .find(|(_, w)| {
                        acc += w;
                        acc >= q
                    })
                    .map_or(sorted[sorted.len() - 1].0, |p| p.0)
            };
            covered += u32::from((quantile(0.05)..=quantile(0.95)).contains(&truth));
            // The rank of the truth among DRAWS evenly spaced posterior quantiles.
            let rank = (1..=DRAWS).filter(|&k| quantile(k as f64 / (DRAWS + 1) as f64) < truth).count();
            ranks[rank] += 1;
            // The posterior mean's squared error, and the variance the posterior claims for it.
            let (mean, sd) = moments(&last, 0);
            squared_error += (truth - mean).powi(2);
            variance += sd * sd;
        }
        let expected = DATASETS as f64 / (DRAWS + 1) as f64;
        let chi2: f64 = ranks.iter().map(|&r| (f64::from(r) - expected).powi(2) / expected).sum();
        (f64::from(covered) / DATASETS as f64, chi2, squared_error / variance)
    }

    #[test]
    fn a_simulation_based_calibration_check_passes_and_its_mutant_without_weights_fails() {
        // χ² of 20 rank bins, 19 degrees of freedom: 43.8 is its 0.999 quantile. A calibrated
        // posterior's variance is the posterior mean's squared error on average (their ratio over
        // 400 data sets has sd ≈ 0.07); one that counts the likelihood again each generation
        // settles at 2/3 of the variance (the kernel's 2σ² against the likelihood's), a ratio of
        // about 1.5, and its 90 % intervals cover about 82 %.
        let (coverage, chi2, ratio) = calibration(true, 1000);
        eprintln!("SBC: 90 % intervals cover {coverage}, rank chi2 {chi2:.1}, error / variance {ratio:.2}");
        assert!((0.85..=0.95).contains(&coverage), "90 % intervals cover {coverage}");
        assert!(chi2 < 43.8, "ranks are not uniform: chi2 {chi2}");
        assert!((0.8..1.25).contains(&ratio), "squared error / posterior variance {ratio}");
        let (coverage, chi2, ratio) = calibration(false, 1000);
        eprintln!("SBC without weights: cover {coverage}, rank chi2 {chi2:.1}, error / variance {ratio:.2}");
        assert!(
            ratio >= 1.25 || coverage < 0.85 || chi2 > 43.8,
            "the mutant passes: {coverage}, {chi2}, {ratio}"
        );
    }

    #[test]
    fn categorical_parameters_find_their_category() {
        // Category 2 of 4 is the one whose simulations land near the target.
        let priors = [Prior::Categorical { n: 4 }, Prior::Uniform { min: 0.0, max: 1.0 }];
        let mut calls = 0u64;
        let mut simulate = |_: usize, batch: &[Vec<f64>]| {
            calls += 1;
            let mut rng = ChaCha8Rng::seed_from_u64(calls);
            Ok(batch
                .iter()
                .map(|t| vec![(t[0] - 2.0).abs(), (t[1] - 0.3).abs() + 0.05 * rng.random::<f64>()])
                .collect())
        };
        let generations = search(&priors, &[0.0, 0.1], &settings(11), &mut simulate).unwrap();
        // The first generation is the prior's, in whole batches: a quarter of it in category 2.
        let first = &generations[0];
        assert_eq!(first.simulations, 448, "seven batches of 64 for 400 particles");
        let share = first.met[0] as f64 / first.simulations as f64;
        assert!((0.2..0.3).contains(&share), "category 2 met in {share} of the prior's draws");
        let last = generations.last().unwrap();
        assert!(last.particles.iter().all(|p| (p.distance - p.parts.iter().sum::<f64>()).abs() < 1e-12));
        let share: f64 = last.particles.iter().filter(|p| p.theta[0] == 2.0).map(|p| p.weight).sum();
        assert!(share > 0.95, "weight on category 2: {share}");
        assert!((moments(last, 1).0 - 0.3).abs() < 0.05);
    }

    #[test]
    fn the_same_seed_gives_the_same_particles_and_another_seed_others() {
        let a = normal_mean(1.0, 10, 5);
        let b = normal_mean(1.0, 10, 5);
        let c = normal_mean(1.0, 10, 6);
        assert_eq!(a, b);
        assert_ne!(a.last().unwrap().particles, c.last().unwrap().particles);
    }

    #[test]
    fn bad_priors_and_a_tolerance_that_cannot_shrink_are_errors() {
        let mut flat = |_: usize, batch: &[Vec<f64>]| Ok(vec![vec![1.0]; batch.len()]);
        for prior in [
            Prior::Uniform { min: 1.0, max: 1.0 },
            Prior::LogUniform { min: 0.0, max: 1.0 },
            Prior::Categorical { n: 1 },
        ] {
            assert!(search(&[prior], &[0.0], &settings(1), &mut flat).is_err(), "{prior:?}");
        }
        // Every distance the same but one smaller: the tolerance falls to it (the lowest quantile),
        // and no later proposal reaches it within the simulation budget.
        let mut calls = 0u64;
        let mut stuck = |_: usize, batch: &[Vec<f64>]| {
            calls += 1;
            Ok(batch
                .iter()
                .enumerate()
                .map(|(i, _)| vec![if calls == 1 && i == 0 { 0.0 } else { 1.0 }])
                .collect())
        };
        let few = Settings { most_simulations: 5_000, quantile: 0.001, ..settings(1) };
        let error = search(&[Prior::Uniform { min: 0.0, max: 1.0 }], &[0.0], &few, &mut stuck).unwrap_err();
        assert!(error.to_string().contains("cannot shrink"), "{error}");
        // A simulation's own error ends the search with it.
        let mut failing = |_: usize, _: &[Vec<f64>]| Err(Error::Run("the world broke".into()));
        let error = search(&[Prior::Uniform { min: 0.0, max: 1.0 }], &[0.0], &settings(1), &mut failing);
        assert!(error.unwrap_err().to_string().contains("the world broke"));
    }
}
