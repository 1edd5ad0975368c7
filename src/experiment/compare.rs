//! Strategies compared on common random numbers: each strategy's mean of each metric, and its
//! paired difference from the first strategy, the baseline (the same replications, the same seeds).
//! Costs per outcome are ratios of means, not means of each run's ratio, with Fieller's interval;
//! the incremental cost of a strategy — extra cost per extra unit of outcome against the baseline,
//! as health economists report it (ICER) — is the ratio of the mean paired differences.

use super::stats::{metric_interval, ratio_of_means, summarize, t_975, t_test_p, Ratio};

/// Costs per unit of outcome: the metric's name, its numerator and denominator columns, and the
/// name of its incremental form against the baseline.
pub(crate) const RATIOS: &[(&str, &str, &str, &str)] = &[
    ("cost_per_innovation", "venue_cost", "innovations", "incremental_cost_per_innovation"),
    ("cost_per_social_value", "venue_cost", "social_value", "incremental_cost_per_social_value"),
];

/// A strategy's metric, and its paired difference from the first strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct CompareRow {
    /// The strategy's scenario name.
    pub strategy: String,
    /// The metric: a column of `runs.csv`, a cost per outcome of `RATIOS`, or its incremental form.
    pub metric: String,
    /// The strategy every difference is taken from (the first one).
    pub baseline: String,
    /// Replications with a value.
    pub n: u64,
    /// Mean over replications, and its 95 % t-interval.
    pub mean: Option<f64>,
    /// Lower end of the interval.
    pub ci_low: Option<f64>,
    /// Upper end of the interval.
    pub ci_high: Option<f64>,
    /// Mean of the paired differences (this strategy minus the baseline), over replications where
    /// both have a value; its 95 % t-interval; the paired t-test's two-sided p-value.
    pub difference: Option<f64>,
    /// Lower end of the difference's interval.
    pub difference_ci_low: Option<f64>,
    /// Upper end of the difference's interval.
    pub difference_ci_high: Option<f64>,
    /// The paired t-test's two-sided p-value; `None` where the difference does not vary from
    /// replication to replication (a fixed cost): there is nothing to test.
    pub p_value: Option<f64>,
    /// The half-width the difference's interval would have without pairing (Welch), for reference.
    pub unpaired_half_width: Option<f64>,
}

/// The comparison of `values[strategy][metric][replication]` (NaN where a run has no value), metric
/// by metric, strategies in order; the first strategy is the baseline of the differences. `units`
/// gives each metric's unit, whose values its intervals stay inside (`stats::metric_interval`). A
/// metric of `RATIOS` is the ratio of its columns' means, followed by its incremental form.
pub fn compare(
    names: &[String],
    metrics: &[&str],
    units: &[&str],
    values: &[Vec<Vec<f64>>],
) -> Vec<CompareRow> {
    let mut rows = Vec::new();
    let column = |name: &str| metrics.iter().position(|m| *m == name);
    let ratio = |r: &(&str, &str, &str, &str)| Some((column(r.1)?, column(r.2)?));
    for (m, metric) in metrics.iter().enumerate() {
        if let Some(r) = RATIOS.iter().find(|r| r.0 == *metric) {
            if let Some((num, den)) = ratio(r) {
                rows.extend(ratio_rows(names, r, values, num, den));
                continue;
            }
        }
        for (s, name) in names.iter().enumerate() {
            let own: Vec<f64> = values[s][m].iter().copied().filter(|v| v.is_finite()).collect();
            let summary = summarize(&own);
            let (ci_low, ci_high) = metric_interval(&summary, units[m]);
            let mut row = CompareRow {
                mean: summary.mean,
                ci_low,
                ci_high,
                n: summary.n,
                ..CompareRow::empty(name, metric, &names[0])
            };
            if s > 0 {
                paired(&mut row, &values[s][m], &values[0][m]);
            }
            rows.push(row);
        }
    }
    // Costs per outcome that are not columns of runs.csv.
    for r in RATIOS.iter().filter(|r| column(r.0).is_none()) {
        if let Some((num, den)) = ratio(r) {
            rows.extend(ratio_rows(names, r, values, num, den));
        }
    }
    rows
}

/// Each strategy's ratio of means, then each other strategy's incremental ratio against the
/// baseline: mean paired difference of the numerator over that of the denominator, with Fieller's
/// interval on the paired differences.
fn ratio_rows(
    names: &[String],
    (metric, _, _, incremental): &(&str, &str, &str, &str),
    values: &[Vec<Vec<f64>>],
    num: usize,
    den: usize,
) -> Vec<CompareRow> {
    let with = |row: CompareRow, r: Option<Ratio>, n: usize| CompareRow {
        n: n as u64,
        mean: r.map(|r| r.estimate),
        ci_low: r.and_then(|r| r.low),
        ci_high: r.and_then(|r| r.high),
        ..row
    };
    let finite =
        |a: &[f64], b: &[f64]| a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite()).count();
    let mut rows: Vec<CompareRow> = names
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let (x, y) = (&values[s][num], &values[s][den]);
            with(CompareRow::empty(name, metric, &names[0]), ratio_of_means(x, y), finite(x, y))
        })
        .collect();
    for (s, name) in names.iter().enumerate().skip(1) {
        let diff =
            |k: usize| -> Vec<f64> { values[s][k].iter().zip(&values[0][k]).map(|(a, b)| a - b).collect() };
        let (dx, dy) = (diff(num), diff(den));
        rows.push(with(
            CompareRow::empty(name, incremental, &names[0]),
            ratio_of_means(&dx, &dy),
            finite(&dx, &dy),
        ));
    }
    rows
}

/// Where a strategy lies on the cost-effectiveness plane against the baseline, from the signs of
/// its mean paired differences in cost and outcome: how to read its incremental cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// Costs no more, gives more.
    Dominant,
    /// Costs no less, gives less.
    Dominated,
    /// Costs more, gives more: the incremental cost is the price of an extra unit.
    ExtraCost,
    /// Costs less, gives less: the incremental cost is the saving per unit given up.
    Saving,
}

impl Quadrant {
    /// The quadrant of `strategy` for the cost per outcome `ratio` (an entry of `RATIOS`), if both
    /// differences are known and not both zero.
    pub fn of(
        rows: &[CompareRow],
        strategy: &str,
        (_, cost, outcome, _): &(&str, &str, &str, &str),
    ) -> Option<Self> {
        let difference = |metric: &str| {
            rows.iter().find(|r| r.strategy == strategy && r.metric == metric).and_then(|r| r.difference)
        };
        match (difference(cost)?, difference(outcome)?) {
            (c, o) if c <= 0.0 && o > 0.0 => Some(Quadrant::Dominant),
            (c, o) if c >= 0.0 && o < 0.0 => Some(Quadrant::Dominated),
            (c, o) if c > 0.0 && o > 0.0 => Some(Quadrant::ExtraCost),
            (c, o) if c < 0.0 && o < 0.0 => Some(Quadrant::Saving),
            _ => None,
        }
    }

    /// The word printed instead of an incremental cost per unit where there is none to report: a
    /// dominated strategy (it costs more for less: no price buys it) or a dominant one (it costs less
    /// for more: no price is paid). Health economists report no ratio in either quadrant, whose
    /// negative ratios read as prices they are not. None where the ratio is a price or a saving.
    pub fn instead_of_ratio(self) -> Option<&'static str> {
        match self {
            Quadrant::Dominant => Some("dominant"),
            Quadrant::Dominated => Some("dominated"),
            Quadrant::ExtraCost | Quadrant::Saving => None,
        }
    }

    /// The reading in a few words, as the terminal's table and the report print it.
    pub fn words(self) -> &'static str {
        match self {
            Quadrant::Dominant => "(dominant: costs no more, gives more)",
            Quadrant::Dominated => "(dominated: costs no less, gives less)",
            Quadrant::ExtraCost => "(extra cost per extra unit)",
            Quadrant::Saving => "(saving per unit given up)",
        }
    }
}

/// The share of the most of an outcome any strategy gives that a strategy must give to be ranked by
/// its cost per unit of that outcome. A cost per outcome weighs what a strategy buys against what it
/// pays; a strategy that buys almost nothing has a small ratio only because it does almost nothing
/// (no venues: no cost, a few innovations by chance), and its interval is wide because the outcome
/// it divides by is near zero. Below a tenth of the best, it is no alternative to the others.
pub const MINIMUM_SHARE: f64 = 0.1;

/// Why a strategy is left out of a ranking by a cost per outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum LeftOut {
    /// Its venues cost nothing: there is no price to weigh.
    Free,
    /// It gives `gives` of the outcome, under `MINIMUM_SHARE` of the `best` that `by` gives.
    Little {
        /// Its mean of the outcome.
        gives: f64,
        /// The strategy that gives the most.
        by: String,
        /// That strategy's mean.
        best: f64,
    },
}

/// The strategies a ranking by the cost per outcome `metric` (of `RATIOS`) leaves out, each with
/// its reason, in the order of `rows`; none for another metric.
pub fn left_out(rows: &[CompareRow], metric: &str) -> Vec<(String, LeftOut)> {
    let Some((_, cost, outcome, _)) = RATIOS.iter().find(|r| r.0 == metric) else { return Vec::new() };
    let mean = |strategy: &str, metric: &str| {
        rows.iter().find(|r| r.strategy == strategy && r.metric == metric).and_then(|r| r.mean)
    };
    let best = rows
        .iter()
        .filter(|r| r.metric == *outcome)
        .filter_map(|r| r.mean.map(|m| (m, r.strategy.as_str())))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    for r in rows.iter().filter(|r| r.metric == metric && r.mean.is_some()) {
        let gives = mean(&r.strategy, outcome);
        if mean(&r.strategy, cost) == Some(0.0) {
            out.push((r.strategy.clone(), LeftOut::Free));
        } else if let (Some(gives), Some((best, by))) = (gives, best) {
            if best > 0.0 && gives < MINIMUM_SHARE * best {
                out.push((r.strategy.clone(), LeftOut::Little { gives, by: by.to_string(), best }));
            }
        }
    }
    out
}

impl CompareRow {
    /// A row with only its names.
    fn empty(strategy: &str, metric: &str, baseline: &str) -> CompareRow {
        CompareRow {
            strategy: strategy.to_string(),
            metric: metric.to_string(),
            baseline: baseline.to_string(),
            n: 0,
            mean: None,
            ci_low: None,
            ci_high: None,
            difference: None,
            difference_ci_low: None,
            difference_ci_high: None,
            p_value: None,
            unpaired_half_width: None,
        }
    }
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
        // The difference is the same in every replication (a fixed cost): no test.
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
