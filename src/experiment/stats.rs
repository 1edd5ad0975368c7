//! Summary statistics over replications: mean, standard deviation and a 95 % confidence interval
//! from Student's t distribution.

/// Running mean and variance (Welford), so that summaries stream without keeping every run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Accumulator {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Accumulator {
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    pub fn summary(&self) -> Summary {
        let n = self.n;
        if n == 0 {
            return Summary { n, mean: None, sd: None, ci_low: None, ci_high: None };
        }
        let mean = self.mean;
        if n == 1 {
            return Summary { n, mean: Some(mean), sd: None, ci_low: None, ci_high: None };
        }
        let sd = (self.m2 / (n - 1) as f64).sqrt();
        let half = t_975(n - 1) * sd / (n as f64).sqrt();
        Summary { n, mean: Some(mean), sd: Some(sd), ci_low: Some(mean - half), ci_high: Some(mean + half) }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub n: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

/// Summarises a slice of values.
pub fn summarize(values: &[f64]) -> Summary {
    let mut acc = Accumulator::default();
    values.iter().for_each(|&x| acc.add(x));
    acc.summary()
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom: exact table values up to 30,
/// then the Cornish-Fisher expansion around the normal quantile (error below 1e-4).
pub fn t_975(df: u64) -> f64 {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn t_quantile_joins_the_table_smoothly() {
        assert!((t_975(31) - 2.040).abs() < 2e-3);
        assert!((t_975(60) - 2.000).abs() < 2e-3);
        assert!((t_975(120) - 1.980).abs() < 2e-3);
        assert!((t_975(100_000) - 1.960).abs() < 1e-3);
    }
}
