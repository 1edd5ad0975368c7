//! Summary statistics over replications: mean, standard deviation and a 95 % confidence interval
//! from Student's t distribution.

/// Running mean and variance (Welford), so that summaries stream without keeping every run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accumulator {
    n: u64,
    /// The plain sum gives the mean (exact for counts); Welford's running mean and m2 give the
    /// variance without cancellation.
    sum: f64,
    running: f64,
    m2: f64,
}

impl Accumulator {
    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        let delta = x - self.running;
        self.running += delta / self.n as f64;
        self.m2 += delta * (x - self.running);
    }

    /// The summary of the values added so far.
    pub fn summary(&self) -> Summary {
        let n = self.n;
        if n == 0 {
            return Summary { n, mean: None, sd: None, ci_low: None, ci_high: None };
        }
        let mean = self.sum / n as f64;
        if n == 1 {
            return Summary { n, mean: Some(mean), sd: None, ci_low: None, ci_high: None };
        }
        let sd = (self.m2 / (n - 1) as f64).sqrt();
        let half = t_975(n - 1) * sd / (n as f64).sqrt();
        Summary { n, mean: Some(mean), sd: Some(sd), ci_low: Some(mean - half), ci_high: Some(mean + half) }
    }
}

/// Mean, standard deviation and 95 % confidence interval of n values, mean ± t₀.₉₇₅(n - 1) · sd / √n.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Number of values.
    pub n: u64,
    /// Mean; `None` without values.
    pub mean: Option<f64>,
    /// Sample standard deviation (divisor n - 1); `None` with fewer than two values.
    pub sd: Option<f64>,
    /// Lower end of the 95 % confidence interval of the mean; `None` with fewer than two values.
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % confidence interval of the mean; `None` with fewer than two values.
    pub ci_high: Option<f64>,
}

/// Summarises a slice of values.
pub(crate) fn summarize(values: &[f64]) -> Summary {
    let mut acc = Accumulator::default();
    values.iter().for_each(|&x| acc.add(x));
    acc.summary()
}

/// A ratio of two means, x̄ / ȳ, with its 95 % interval; the interval is `None` at an end that
/// is unbounded (the denominator's mean is not clearly away from zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ratio {
    /// x̄ / ȳ.
    pub estimate: f64,
    /// Lower end of the 95 % interval.
    pub low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub high: Option<f64>,
}

/// Running means and co-moments of pairs (x_i, y_i) (Welford's update for two variables), so that
/// a ratio of means streams like a mean does.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Pairs {
    n: u64,
    mx: f64,
    my: f64,
    cxx: f64,
    cyy: f64,
    cxy: f64,
}

impl Pairs {
    /// Adds one pair; pairs with a missing (non-finite) side are skipped.
    pub fn add(&mut self, x: f64, y: f64) {
        if !(x.is_finite() && y.is_finite()) {
            return;
        }
        self.n += 1;
        let n = self.n as f64;
        let (dx, dy) = (x - self.mx, y - self.my);
        self.mx += dx / n;
        self.my += dy / n;
        self.cxx += dx * (x - self.mx);
        self.cyy += dy * (y - self.my);
        self.cxy += dx * (y - self.my);
    }

    /// Pairs added.
    pub fn n(&self) -> u64 {
        self.n
    }

    /// The ratio of the means x̄ / ȳ with Fieller's 95 % interval: the set of ρ for which
    /// x̄ − ρ ȳ is not significantly different from zero by Student's t,
    /// (x̄ − ρ ȳ)² ≤ t² (s_xx − 2ρ s_xy + ρ² s_yy) / n. It is exact for normal data, needs no
    /// assumption that the ratio itself is normal (the delta method's), and becomes unbounded,
    /// rather than wrong, when ȳ is not clearly away from zero. `None` with fewer than two pairs
    /// or ȳ = 0.
    pub fn ratio(&self) -> Option<Ratio> {
        if self.n < 2 || self.my == 0.0 {
            return None;
        }
        let (nf, (mx, my)) = (self.n as f64, (self.mx, self.my));
        let (sxx, syy, sxy) = (self.cxx / (nf - 1.0), self.cyy / (nf - 1.0), self.cxy / (nf - 1.0));
        let t2 = t_975(self.n - 1).powi(2) / nf;
        // (ȳ² − t² s_yy/n) ρ² − 2 (x̄ȳ − t² s_xy/n) ρ + (x̄² − t² s_xx/n) ≤ 0
        let (a, b, c) = (my * my - t2 * syy, mx * my - t2 * sxy, mx * mx - t2 * sxx);
        // + 0.0 turns −0 into 0.
        let estimate = mx / my + 0.0;
        let discriminant = b * b - a * c;
        if a <= 0.0 || discriminant < 0.0 {
            return Some(Ratio { estimate, low: None, high: None });
        }
        let root = discriminant.sqrt();
        Some(Ratio { estimate, low: Some((b - root) / a + 0.0), high: Some((b + root) / a + 0.0) })
    }
}

/// The ratio of the means of paired values (x_i, y_i) — cost and innovations of the same run, or
/// the paired differences of two strategies — with Fieller's interval ([`Pairs::ratio`]).
pub(crate) fn ratio_of_means(x: &[f64], y: &[f64]) -> Option<Ratio> {
    let mut pairs = Pairs::default();
    x.iter().zip(y).for_each(|(a, b)| pairs.add(*a, *b));
    pairs.ratio()
}

/// A 95 % interval for the mean of a metric of runs (`observe::metrics`), inside the values the
/// metric can take. Every metric is non-negative — counts, sums of non-negative terms, shares, means
/// of trust and distance; tests/olika/invariants.rs checks it over random scenarios — so the t-interval is cut at zero, which loses no coverage (the mean it
/// covers is never below zero); a share's ("fraction…") stays inside [0, 1] ([`share_interval`]).
pub(crate) fn metric_interval(summary: &Summary, unit: &str) -> (Option<f64>, Option<f64>) {
    if unit.starts_with("fraction") {
        return share_interval(summary);
    }
    // + 0.0 turns −0 into 0.
    (summary.ci_low.map(|low| low.max(0.0) + 0.0), summary.ci_high)
}

/// A 95 % interval for the mean of values that are shares in [0, 1] (one per run) that stays inside
/// [0, 1]: the t-interval on the logit scale, logit(m) ± t · sd / (√n · m (1 − m)) (the delta
/// method), mapped back. Shares that never vary give the point itself.
fn share_interval(summary: &Summary) -> (Option<f64>, Option<f64>) {
    let (Some(m), Some(sd)) = (summary.mean, summary.sd) else { return (None, None) };
    if sd == 0.0 || m <= 0.0 || m >= 1.0 {
        return (Some(m.clamp(0.0, 1.0)), Some(m.clamp(0.0, 1.0)));
    }
    let logit = (m / (1.0 - m)).ln();
    let half = t_975(summary.n - 1) * sd / ((summary.n as f64).sqrt() * m * (1.0 - m));
    let expit = |z: f64| 1.0 / (1.0 + (-z).exp());
    (Some(expit(logit - half)), Some(expit(logit + half)))
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom: exact table values up to 30,
/// then the Cornish-Fisher expansion around the normal quantile (error below 1e-4).
pub(crate) fn t_975(df: u64) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
        2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048,
        2.045, 2.042,
    ];
    match df {
        0 => f64::NAN,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            let z: f64 = 1.959_963_985;
            let v = df as f64;
            z + (z.powi(3) + z) / (4.0 * v) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
        }
    }
}

/// The standard normal distribution function Φ(x), through the complementary error function's
/// Chebyshev fit (Numerical Recipes' `erfcc`, relative error below 1.2e-7 everywhere).
pub(crate) fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = [
        -1.265_512_23,
        1.000_023_68,
        0.374_091_96,
        0.096_784_18,
        -0.186_288_06,
        0.278_868_07,
        -1.135_203_98,
        1.488_515_87,
        -0.822_152_23,
        0.170_872_77,
    ]
    .iter()
    .rev()
    .fold(0.0, |acc, c| c + t * acc);
    let erfc = t * (-z * z + poly).exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// The two-sided p-value of Student's t statistic with `df` degrees of freedom:
/// P(|T| ≥ |t|) = I_x(df/2, 1/2) with x = df / (df + t²), the regularised incomplete beta function.
pub(crate) fn t_test_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// ln Γ(x), Lanczos approximation (g = 7, n = 9), accurate to about 1e-15 for x > 0.
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let t = x + 7.5;
    let sum = C[1..].iter().enumerate().fold(C[0], |s, (i, c)| s + c / (x + i as f64 + 1.0));
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The regularised incomplete beta function I_x(a, b), by its continued fraction (Lentz).
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(b, a, 1.0 - x);
    }
    let tiny = 1e-300;
    let (mut c, mut d) = (1.0, 1.0 - (a + b) * x / (a + 1.0));
    d = 1.0 / if d.abs() < tiny { tiny } else { d };
    let mut f = d;
    for m in 1..300 {
        let m = f64::from(m);
        for numerator in [
            m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + numerator * d;
            d = 1.0 / if d.abs() < tiny { tiny } else { d };
            c = 1.0 + numerator / c;
            if c.abs() < tiny {
                c = tiny;
            }
            f *= c * d;
        }
        if (c * d - 1.0).abs() < 1e-15 {
            break;
        }
    }
    front * f / a
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, Normal};

    /// Coverage by simulation: 4 000 synthetic comparisons of 20 runs, cost and innovations
    /// correlated as in a run (cost = 60 + 3 · innovations + noise), true ratio of means known.
    /// A 95 % interval must cover it 93–97 % of the time; the delta method's symmetric interval
    /// on skewed data is the usual way to miss.
    #[test]
    fn fieller_interval_covers_the_true_ratio_95_percent_of_the_time() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(11);
        let innovations = Normal::new(30.0, 8.0).unwrap();
        let noise = Normal::new(0.0, 20.0).unwrap();
        let truth = (60.0 + 3.0 * 30.0) / 30.0;
        let (trials, mut covered, mut unbounded) = (4000, 0, 0);
        for _ in 0..trials {
            let y: Vec<f64> = (0..20).map(|_| innovations.sample(&mut rng)).collect();
            let x: Vec<f64> = y.iter().map(|i| 60.0 + 3.0 * i + noise.sample(&mut rng)).collect();
            let r = ratio_of_means(&x, &y).unwrap();
            match (r.low, r.high) {
                (Some(l), Some(h)) => covered += usize::from(l <= truth && truth <= h),
                _ => unbounded += 1,
            }
        }
        let coverage = covered as f64 / trials as f64;
        println!("Fieller's 95 % interval covered the true ratio in {covered} of {trials} trials");
        assert!((0.93..=0.97).contains(&coverage), "coverage {coverage}");
        assert_eq!(unbounded, 0);
    }

    #[test]
    fn ratio_of_means_is_not_the_mean_of_ratios_and_is_unbounded_near_a_zero_denominator() {
        // Issue 11's example: a run with few innovations makes its own ratio large.
        let cost = [4800.0, 4800.0, 4800.0];
        let innovations = [5.0, 40.0, 36.0];
        let r = ratio_of_means(&cost, &innovations).unwrap();
        assert!((r.estimate - 4800.0 / 27.0).abs() < 1e-9);
        let mean_of_ratios = cost.iter().zip(&innovations).map(|(c, i)| c / i).sum::<f64>() / 3.0;
        assert!(mean_of_ratios > 1.5 * r.estimate);
        let r = ratio_of_means(&[10.0, 12.0, 11.0], &[1.0, -1.0, 0.5]).unwrap();
        assert_eq!((r.low, r.high), (None, None), "ȳ is not clearly away from zero");
        assert!(ratio_of_means(&[1.0], &[1.0]).is_none());
    }

    #[test]
    fn share_intervals_stay_inside_zero_and_one() {
        for values in [vec![0.0, 0.0, 0.01, 0.03, 0.0], vec![1.0, 0.99, 1.0, 0.97], vec![0.2, 0.5, 0.4, 0.3]]
        {
            let s = summarize(&values);
            let (low, high) = share_interval(&s);
            let (low, high) = (low.unwrap(), high.unwrap());
            assert!(
                0.0 <= low && low <= s.mean.unwrap() && s.mean.unwrap() <= high && high <= 1.0,
                "{values:?}: [{low}, {high}]"
            );
        }
        // The plain t-interval of the first goes below zero.
        assert!(summarize(&[0.0, 0.0, 0.01, 0.03, 0.0]).ci_low.unwrap() < 0.0);
        assert_eq!(share_interval(&summarize(&[0.3, 0.3])), (Some(0.3), Some(0.3)));
    }

    #[test]
    fn a_metrics_interval_never_goes_below_zero() {
        // Issue 25: `no_venues social_value 0.034 [-2.0e-4, 0.068]`.
        let s = summarize(&[0.0, 0.0, 0.0, 0.17, 0.0]);
        assert!(s.ci_low.unwrap() < 0.0, "the plain t-interval goes below zero");
        assert_eq!(metric_interval(&s, "value units"), (Some(0.0), s.ci_high));
        let s = summarize(&[3.0, 4.0, 5.0]);
        assert_eq!(
            metric_interval(&s, "innovations"),
            (s.ci_low, s.ci_high),
            "an interval above zero is kept"
        );
        assert_eq!(metric_interval(&summarize(&[0.3, 0.3]), "fraction"), (Some(0.3), Some(0.3)));
    }

    #[test]
    fn mean_sd_and_interval() {
        let s = summarize(&[1.0, 2.0, 3.0, 4.0]);
        assert_eq!(s.n, 4);
        assert!((s.mean.unwrap() - 2.5).abs() < 1e-12);
        assert!((s.sd.unwrap() - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let half = 3.182 * s.sd.unwrap() / 2.0;
        assert!((s.ci_high.unwrap() - 2.5 - half).abs() < 1e-12);
        assert_eq!(summarize(&[7.0]).sd, None);
        assert_eq!(summarize(&[]).mean, None);
    }

    #[test]
    fn t_test_p_values_match_tables() {
        // Two-sided critical values: p = 0.05 at the table's t quantiles.
        for (df, t) in [(1, 12.706), (5, 2.571), (10, 2.228), (30, 2.042)] {
            assert!((t_test_p(t, df as f64) - 0.05).abs() < 2e-4, "df {df}");
        }
        assert!((t_test_p(0.0, 10.0) - 1.0).abs() < 1e-12);
        // Normal limit: t = 1.96 with huge df gives 0.05; t = 3.29 gives 0.001.
        assert!((t_test_p(1.959_964, 1e7) - 0.05).abs() < 1e-5);
        assert!((t_test_p(3.290_527, 1e7) - 0.001).abs() < 1e-5);
        assert!(t_test_p(40.0, 20.0) < 1e-15);
    }

    #[test]
    fn the_normal_distribution_function_has_its_known_values() {
        for (x, p) in
            [(0.0, 0.5), (1.959_964, 0.975), (2.326_348, 0.99), (3.0, 0.998_650_1), (-1.0, 0.158_655_3)]
        {
            assert!((normal_cdf(x) - p).abs() < 1e-6, "Φ({x}) = {} not {p}", normal_cdf(x));
        }
        assert_eq!(normal_cdf(40.0), 1.0);
        assert!(normal_cdf(-40.0) >= 0.0 && normal_cdf(-40.0) < 1e-300);
        assert!(normal_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn t_quantile_joins_the_table_smoothly() {
        assert!((t_975(31) - 2.040).abs() < 2e-3);
        assert!((t_975(60) - 2.000).abs() < 2e-3);
        assert!((t_975(120) - 1.980).abs() < 2e-3);
        assert!((t_975(100_000) - 1.960).abs() < 1e-3);
    }
}
