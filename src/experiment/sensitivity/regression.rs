//! Sampling-based measures for random and Latin-hypercube designs (Saltelli et al. 2008, §1.2;
//! Marino et al. 2008, J. Theor. Biol. 254:178): standardised regression coefficients with the
//! regression's R², and partial rank correlation coefficients with Fisher's interval.

use super::Interval;

/// Standardised regression coefficients of `y` on the columns of `x` (`x[i]` is parameter i's
/// values), and R². An SRC is the change of y, in its standard deviations, per standard deviation
/// of the parameter; with R² near 1 the model is nearly linear in its parameters and SRC² shares out
/// the variance. `None` when the regression is singular (a constant parameter, too few points).
pub fn src(x: &[Vec<f64>], y: &[f64]) -> Option<(Vec<f64>, f64)> {
    let zx: Vec<Vec<f64>> = x.iter().map(|c| standardise(c)).collect::<Option<_>>()?;
    let zy = standardise(y)?;
    let beta = least_squares(&zx, &zy)?;
    let fitted: Vec<f64> = (0..zy.len()).map(|j| zx.iter().zip(&beta).map(|(c, b)| c[j] * b).sum()).collect();
    let residual: f64 = zy.iter().zip(&fitted).map(|(y, f)| (y - f).powi(2)).sum();
    let total: f64 = zy.iter().map(|y| y * y).sum();
    Some((beta, 1.0 - residual / total))
}

/// Partial rank correlation coefficients of `y` with each column of `x`: the correlation of the
/// ranks of parameter i and of y once the ranks of the other parameters are regressed out of both.
/// Interval: Fisher's z ± 1.96 / √(n − 3 − (k − 1)). `None` as for `src`.
pub fn prcc(x: &[Vec<f64>], y: &[f64]) -> Option<Vec<Interval>> {
    let rx: Vec<Vec<f64>> = x.iter().map(|c| ranks(c)).collect();
    let ry = ranks(y);
    let (n, k) = (y.len(), x.len());
    (0..k)
        .map(|i| {
            let others: Vec<Vec<f64>> =
                rx.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| c.clone()).collect();
            let a = residuals(&others, &rx[i])?;
            let b = residuals(&others, &ry)?;
            let r = correlation(&a, &b)?;
            let df = n as f64 - 3.0 - (k as f64 - 1.0);
            let (low, high) = if df > 0.0 {
                let (z, se) = (r.clamp(-0.999_999, 0.999_999).atanh(), 1.0 / df.sqrt());
                ((z - 1.96 * se).tanh(), (z + 1.96 * se).tanh())
            } else {
                (f64::NAN, f64::NAN)
            };
            Some(Interval { value: r, low, high })
        })
        .collect()
}

/// Values minus their mean, over their standard deviation; `None` for a constant.
fn standardise(v: &[f64]) -> Option<Vec<f64>> {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    (sd > 0.0 && sd.is_finite()).then(|| v.iter().map(|x| (x - mean) / sd).collect())
}

/// Ranks from 1, ties sharing their mean rank.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut out = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

/// y minus its least-squares fit on the columns (with an intercept).
fn residuals(columns: &[Vec<f64>], y: &[f64]) -> Option<Vec<f64>> {
    let mut with_one = vec![vec![1.0; y.len()]];
    with_one.extend(columns.iter().cloned());
    let beta = least_squares(&with_one, y)?;
    Some(
        (0..y.len()).map(|j| y[j] - with_one.iter().zip(&beta).map(|(c, b)| c[j] * b).sum::<f64>()).collect(),
    )
}

/// Pearson's correlation; `None` when either side is constant.
fn correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let (za, zb) = (standardise(a)?, standardise(b)?);
    Some(za.iter().zip(&zb).map(|(x, y)| x * y).sum::<f64>() / (a.len() as f64 - 1.0))
}

/// β minimising |y − Σ βᵢ cᵢ|², by the normal equations and Gaussian elimination with partial
/// pivoting (a handful of parameters: the k × k system is small); `None` when singular.
fn least_squares(columns: &[Vec<f64>], y: &[f64]) -> Option<Vec<f64>> {
    let k = columns.len();
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f64>();
    let mut m: Vec<Vec<f64>> = (0..k)
        .map(|i| {
            let mut row: Vec<f64> = (0..k).map(|j| dot(&columns[i], &columns[j])).collect();
            row.push(dot(&columns[i], y));
            row
        })
        .collect();
    // A pivot this small against the largest diagonal means a column is (nearly) a combination of
    // the others.
    let scale = (0..k).map(|i| m[i][i].abs()).fold(0.0, f64::max);
    for col in 0..k {
        let pivot = (col..k).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        if m[pivot][col].abs() <= 1e-10 * scale {
            return None;
        }
        m.swap(col, pivot);
        let lead = m[col].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / lead[col];
                for (cell, l) in row.iter_mut().zip(&lead).skip(col) {
                    *cell -= f * l;
                }
            }
        }
    }
    Some((0..k).map(|i| m[i][k] / m[i][i]).collect())
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn sample(n: usize, seed: u64) -> Vec<Vec<f64>> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..3).map(|_| (0..n).map(|_| rng.random::<f64>()).collect()).collect()
    }

    #[test]
    fn a_linear_model_has_its_standardised_coefficients_and_r2_of_one() {
        // Y = X₁ + 2 X₂ with X uniform and independent: SRC = (1, 2, 0) / √5, R² = 1.
        let x = sample(2000, 1);
        let y: Vec<f64> = (0..2000).map(|j| x[0][j] + 2.0 * x[1][j]).collect();
        let (src, r2) = src(&x, &y).unwrap();
        assert!((r2 - 1.0).abs() < 1e-9, "{r2}");
        let truth = [1.0 / 5f64.sqrt(), 2.0 / 5f64.sqrt(), 0.0];
        for (s, t) in src.iter().zip(truth) {
            assert!((s - t).abs() < 0.03, "{src:?}");
        }
    }

    #[test]
    fn partial_rank_correlations_see_monotone_effects_and_ignore_the_rest() {
        // Y = exp(3 X₁) − X₂³ + noise: monotone in both (up, down), X₃ irrelevant.
        let x = sample(500, 2);
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let y: Vec<f64> =
            (0..500).map(|j| (3.0 * x[0][j]).exp() - 20.0 * x[1][j].powi(3) + rng.random::<f64>()).collect();
        let p = prcc(&x, &y).unwrap();
        assert!(p[0].value > 0.8 && p[0].low > 0.7, "{p:?}");
        assert!(p[1].value < -0.8 && p[1].high < -0.7, "{p:?}");
        assert!(p[2].low < 0.0 && 0.0 < p[2].high, "X₃ does nothing: {p:?}");
        // A constant parameter cannot be ranked against the others.
        let flat = vec![x[0].clone(), vec![0.5; 500]];
        assert!(prcc(&flat, &y).is_none() && src(&flat, &y).is_none());
    }

    #[test]
    fn ranks_share_ties() {
        assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    }
}
