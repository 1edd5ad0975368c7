//! Strategies compared on common random numbers: each strategy's mean of each metric, and its
//! paired difference from the first strategy (the same replications, the same seeds).

use super::stats::{summarize, t_975, t_test_p};

/// A strategy's metric, and its paired difference from the first strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// The strategy's scenario name.
    pub strategy: String,
    /// The metric, a column of `runs.csv`.
    pub metric: String,
    /// Replications with a value.
    pub n: u64,
    /// Mean over replications, and its 95 % t-interval.
    pub mean: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// Mean of the paired differences (this strategy minus the first), over replications where both
    /// have a value; its 95 % t-interval; the paired t-test's two-sided p-value.
    pub difference: Option<f64>,
    /// Lower end of the difference's interval.
    pub difference_ci_low: Option<f64>,
    /// Upper end of the difference's interval.
    pub difference_ci_high: Option<f64>,
    /// The paired t-test's two-sided p-value.
    pub p_value: Option<f64>,
    /// The half-width the difference's interval would have without pairing (Welch), for reference.
    pub unpaired_half_width: Option<f64>,
}

/// The comparison of `values[strategy][metric][replication]` (NaN where a run has no value), metric
/// by metric, strategies in order; the first strategy is the reference of the differences.
pub fn compare(names: &[String], metrics: &[&str], values: &[Vec<Vec<f64>>]) -> Vec<CompareRow> {
    let mut rows = Vec::new();
    for (m, metric) in metrics.iter().enumerate() {
        for (s, name) in names.iter().enumerate() {
            let own: Vec<f64> = values[s][m].iter().copied().filter(|v| v.is_finite()).collect();
            let summary = summarize(&own);
            let mut row = CompareRow {
                strategy: name.clone(),
                metric: metric.to_string(),
                n: summary.n,
                mean: summary.mean,
                ci_low: summary.ci_low,
                ci_high: summary.ci_high,
                difference: None,
                difference_ci_low: None,
                difference_ci_high: None,
                p_value: None,
                unpaired_half_width: None,
            };
            if s > 0 {
                paired(&mut row, &values[s][m], &values[0][m]);
            }
            rows.push(row);
        }
    }
    rows
}

/// The paired difference of `own` from `reference`, replication by replication.
fn paired(row: &mut CompareRow, own: &[f64], reference: &[f64]) {
    let pairs: Vec<(f64, f64)> = own
        .iter()
        .zip(reference)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(a, b)| (*a, *b))
        .collect();
    let d = summarize(&pairs.iter().map(|(a, b)| a - b).collect::<Vec<_>>());
    row.difference = d.mean;
    row.difference_ci_low = d.ci_low;
    row.difference_ci_high = d.ci_high;
    row.p_value = match (d.mean, d.sd) {
        (Some(mean), Some(sd)) if sd > 0.0 => {
            Some(t_test_p(mean / (sd / (d.n as f64).sqrt()), d.n as f64 - 1.0))
        }
        (Some(mean), Some(_)) => Some(if mean == 0.0 { 1.0 } else { 0.0 }),
        _ => None,
    };
    let (a, b) = (
        summarize(&pairs.iter().map(|p| p.0).collect::<Vec<_>>()),
        summarize(&pairs.iter().map(|p| p.1).collect::<Vec<_>>()),
    );
    row.unpaired_half_width = match (a.sd, b.sd) {
        (Some(sa), Some(sb)) => {
            Some(t_975(a.n.saturating_sub(1).max(1)) * (sa * sa / a.n as f64 + sb * sb / b.n as f64).sqrt())
        }
        _ => None,
    };
}
