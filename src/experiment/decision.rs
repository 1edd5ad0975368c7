//! A decision between strategies under uncertainty: over paired replications — each a plausible
//! city, its parameters drawn from a calibration's posterior and its history from its seed, the
//! same for every strategy — the probability that each strategy is best, the expected loss of
//! choosing it (what the best would have given more, on average), how often one beats another, and
//! how often a city's own ranking is the ranking of the means.

use crate::observe::words::figure;

/// What a decision found, for one outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The strategies, in the order compared.
    pub strategies: Vec<String>,
    /// The outcome decided on (a column of runs.csv).
    pub metric: String,
    /// Whether more of it is better.
    pub more_is_better: bool,
    /// Replications with a value for every strategy.
    pub replications: usize,
    /// Each strategy's mean.
    pub mean: Vec<f64>,
    /// The share of replications in which each is best (a tie shared).
    pub best: Vec<f64>,
    /// Each one's expected loss: the mean over replications of how much worse it did than the best.
    pub loss: Vec<f64>,
    /// `beats[i][j]`: the share of replications in which i did better than j (a tie half).
    pub beats: Vec<Vec<f64>>,
    /// The strategies ordered by mean, best first.
    pub order: Vec<usize>,
    /// The share of replications whose own order is that of the means.
    pub order_holds: f64,
    /// The order at the point estimate (the strategies at the scenario's own parameter values),
    /// best first, and the share of replications whose own order it is; `None` without one.
    pub point: Option<(Vec<usize>, f64)>,
}

/// Decides between strategies on `values[strategy][replication]` (NaN where a run failed: that
/// replication is left out for every strategy, so the rest stay paired); `point` holds each
/// strategy's mean at the point estimate, whose order is then checked against every replication's.
pub fn decide(
    strategies: &[String],
    metric: &str,
    more_is_better: bool,
    values: &[Vec<f64>],
    point: Option<&[f64]>,
) -> Decision {
    let n = strategies.len();
    let sign = if more_is_better { 1.0 } else { -1.0 };
    // Paired replications only, each strategy's value signed so that more is better.
    let reps: Vec<Vec<f64>> = (0..values.first().map_or(0, Vec::len))
        .map(|r| values.iter().map(|v| sign * v[r]).collect::<Vec<f64>>())
        .filter(|row| row.iter().all(|x| x.is_finite()))
        .collect();
    let count = reps.len().max(1) as f64;
    let mean: Vec<f64> = (0..n).map(|s| sign * reps.iter().map(|r| r[s]).sum::<f64>() / count).collect();
    let (mut best, mut loss, mut beats) = (vec![0.0; n], vec![0.0; n], vec![vec![0.0; n]; n]);
    let order_of = |means: &[f64]| {
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| (sign * means[b]).total_cmp(&(sign * means[a])));
        order
    };
    let order = order_of(&mean);
    let point_order = point.map(order_of);
    let (mut order_holds, mut point_holds) = (0.0, 0.0);
    let holds =
        |order: &[usize], row: &[f64]| f64::from(u8::from(order.windows(2).all(|w| row[w[0]] >= row[w[1]])));
    for row in &reps {
        let top = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let winners = row.iter().filter(|&&x| x == top).count() as f64;
        for s in 0..n {
            if row[s] == top {
                best[s] += 1.0 / winners;
            }
            loss[s] += top - row[s];
            for t in 0..n {
                beats[s][t] += match row[s].total_cmp(&row[t]) {
                    std::cmp::Ordering::Greater => 1.0,
                    std::cmp::Ordering::Equal if s != t => 0.5,
                    _ => 0.0,
                };
            }
        }
        order_holds += holds(&order, row);
        point_holds += point_order.as_ref().map_or(0.0, |o| holds(o, row));
    }
    Decision {
        strategies: strategies.to_vec(),
        metric: metric.to_string(),
        more_is_better,
        replications: reps.len(),
        mean,
        best: best.iter().map(|b| b / count).collect(),
        loss: loss.iter().map(|l| l / count).collect(),
        beats: beats.iter().map(|row| row.iter().map(|b| b / count).collect()).collect(),
        order,
        order_holds: order_holds / count,
        point: point_order.map(|o| (o, point_holds / count)),
    }
}

impl Decision {
    /// The decision in sentences a memo can take.
    pub fn sentences(&self) -> Vec<String> {
        let what = self.metric.replace('_', " ");
        let mut out = Vec::new();
        let first = self.order[0];
        out.push(format!(
            "Over {} plausible cities (each replication's parameters drawn from the calibration's posterior, the same for every strategy), {} is best for {what} in {:.0} % of them; choosing it loses {} {what} on average against the best of each city.",
            self.replications,
            self.strategies[first],
            100.0 * self.best[first],
            figure(self.loss[first])
        ));
        for &s in &self.order[1..] {
            out.push(format!(
                "{} beats {} in {:.0} % of the plausible cities; {} is best in {:.0} % and loses {} {what} on average.",
                self.strategies[first],
                self.strategies[s],
                100.0 * self.beats[first][s],
                self.strategies[s],
                100.0 * self.best[s],
                figure(self.loss[s])
            ));
        }
        let names = |order: &[usize]| {
            order.iter().map(|&s| self.strategies[s].as_str()).collect::<Vec<_>>().join(" > ")
        };
        out.push(format!(
            "The ranking by mean ({}) is a city's own ranking in {:.0} % of the plausible cities{}",
            names(&self.order),
            100.0 * self.order_holds,
            if self.order_holds >= 0.5 {
                "."
            } else {
                ": below one in two, so the order beyond the first is uncertain."
            }
        ));
        if let Some((point, share)) = &self.point {
            let survives = if *point == self.order {
                "the same order: the point estimate's ranking survives the parameters' uncertainty"
            } else if point[0] == self.order[0] {
                "the same first, another order after it"
            } else {
                "another first: the point estimate's ranking does not survive the parameters' uncertainty"
            };
            out.push(format!(
                "At the scenario's own parameter values (the point estimate) the ranking is {}; under the posterior, {survives}. It is a plausible city's own ranking in {:.0} % of them.",
                names(point),
                100.0 * share
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_best_strategy_its_loss_and_the_pairwise_shares_are_counted_over_paired_cities() {
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        // Four cities: a best in three, b best in one; c never.
        let values = vec![vec![5.0, 5.0, 5.0, 1.0], vec![4.0, 3.0, 2.0, 3.0], vec![0.0, 0.0, 0.0, 0.0]];
        let d = decide(&names, "innovations", true, &values, Some(&[1.0, 2.0, 0.0]));
        assert_eq!(d.order, [0, 1, 2]);
        assert_eq!(d.best, [0.75, 0.25, 0.0]);
        assert_eq!(d.loss, [0.5, 1.5, 4.5]);
        assert_eq!(d.beats[0][1], 0.75);
        assert_eq!(d.beats[1][0], 0.25);
        assert_eq!(d.order_holds, 0.75);
        // The point estimate ranks b first: the order b > a > c is only the fourth city's.
        assert_eq!(d.point, Some((vec![1, 0, 2], 0.25)));
        assert!(d.sentences().last().unwrap().contains("does not survive"));
        // Less is better: the order turns round; a failed run leaves its city out for all.
        let d = decide(&names, "cost", false, &[vec![1.0, f64::NAN], vec![2.0, 9.0], vec![3.0, 9.0]], None);
        assert_eq!((d.order.clone(), d.replications, d.best[0]), (vec![0, 1, 2], 1, 1.0));
        assert!(d.sentences()[0].contains("a is best for cost in 100 %"));
    }
}
