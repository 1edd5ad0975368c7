//! Points of a sweep: the designs of the `[sweep]` section turned into the parameter values each
//! point assigns.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::sensitivity;
use crate::scenario::sweep::{Design, SweepSpec, Swept, Values};
use crate::scenario::{Assignment, Value};

/// One point: a value for each column of its plan, in the order of `SweepSpec::parameters` (or
/// of the searched settings), each beside the parameter it is for. A comparison of strategies
/// has the one column `strategy`, whose value names the strategy and is never applied.
pub type Point = Vec<Assignment>;

/// The points of a plan, made on demand so that a large sweep is never held whole: a grid or zip
/// from its axes by index arithmetic, a random or Latin-hypercube design from its quantiles (8
/// bytes a value), a table or a list of strategies from its rows.
#[derive(Debug, Clone)]
pub enum Points {
    /// Every combination of the axes' values, the last axis varying fastest.
    Grid(Vec<Axis>),
    /// The i-th values of the axes together.
    Zip(Vec<Axis>),
    /// Point i takes, for each parameter, the value at quantile `u[parameter][i]` of its range.
    Quantiles {
        /// The swept parameters.
        parameters: Vec<Swept>,
        /// Quantiles in [0, 1), by parameter, then point.
        u: Vec<Vec<f64>>,
    },
    /// The points themselves, as rows of values under their columns (the paths are kept once,
    /// not once a point: a table design may have a million rows).
    Listed {
        /// The columns, in order.
        columns: Vec<String>,
        /// A row of values per point, one a column.
        rows: Vec<Vec<Value>>,
    },
}

/// One parameter's values along a grid or zip design.
#[derive(Debug, Clone)]
pub struct Axis {
    path: String,
    values: Vec<Value>,
}

impl Axis {
    fn at(&self, k: usize) -> Assignment {
        Assignment { path: self.path.clone(), value: self.values[k].clone() }
    }
}

impl Points {
    /// The points of a sweep's design, in plan order.
    pub fn of(spec: &SweepSpec) -> Points {
        match spec.design {
            Design::Grid => Points::Grid(spec.parameters.iter().map(listed).collect()),
            Design::Zip => Points::Zip(spec.parameters.iter().map(listed).collect()),
            Design::Random => {
                let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
                let mut u = vec![Vec::with_capacity(spec.samples as usize); spec.parameters.len()];
                // Point by point, a draw per parameter.
                for _ in 0..spec.samples {
                    for column in u.iter_mut() {
                        column.push(rng.random::<f64>());
                    }
                }
                Points::Quantiles { parameters: spec.parameters.clone(), u }
            }
            Design::Lhs => {
                let n = spec.samples as usize;
                let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
                // One column per parameter: stratum k of n is [k/n, (k+1)/n), used once, in random
                // order.
                let u = spec
                    .parameters
                    .iter()
                    .map(|_| {
                        let mut strata: Vec<usize> = (0..n).collect();
                        strata.shuffle(&mut rng);
                        strata.into_iter().map(|k| (k as f64 + rng.random::<f64>()) / n as f64).collect()
                    })
                    .collect();
                Points::Quantiles { parameters: spec.parameters.clone(), u }
            }
            Design::Table => Points::Listed { columns: spec.paths(), rows: spec.rows.clone() },
            Design::Morris | Design::Sobol => {
                let rows = sensitivity::unit_design(spec).unwrap_or_default();
                let u = (0..spec.parameters.len()).map(|i| rows.iter().map(|row| row[i]).collect()).collect();
                Points::Quantiles { parameters: spec.parameters.clone(), u }
            }
        }
    }

    /// The number of points.
    pub fn len(&self) -> usize {
        match self {
            Points::Grid(axes) => axes.iter().map(|a| a.values.len()).product(),
            Points::Zip(axes) => axes.first().map_or(0, |a| a.values.len()),
            Points::Quantiles { u, .. } => u.first().map_or(0, Vec::len),
            Points::Listed { rows, .. } => rows.len(),
        }
    }

    /// The columns that tell the points apart: the parameters' paths, in order.
    pub fn columns(&self) -> Vec<String> {
        match self {
            Points::Grid(axes) | Points::Zip(axes) => axes.iter().map(|a| a.path.clone()).collect(),
            Points::Quantiles { parameters, .. } => parameters.iter().map(|p| p.path.clone()).collect(),
            Points::Listed { columns, .. } => columns.clone(),
        }
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point i.
    pub fn get(&self, i: usize) -> Point {
        match self {
            Points::Grid(axes) => {
                let mut rest = i;
                let mut point: Point = axes
                    .iter()
                    .rev()
                    .map(|axis| {
                        let value = axis.at(rest % axis.values.len());
                        rest /= axis.values.len();
                        value
                    })
                    .collect();
                point.reverse();
                point
            }
            Points::Zip(axes) => axes.iter().map(|a| a.at(i)).collect(),
            Points::Quantiles { parameters, u } => parameters
                .iter()
                .zip(u)
                .map(|(p, u)| Assignment { path: p.path.clone(), value: at(p, u[i]) })
                .collect(),
            Points::Listed { columns, rows } => columns
                .iter()
                .zip(&rows[i])
                .map(|(path, value)| Assignment { path: path.clone(), value: value.clone() })
                .collect(),
        }
    }

    /// Every point, in order.
    pub fn iter(&self) -> impl Iterator<Item = Point> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The points of a sweep, in plan order, all at once (for tests and small sweeps).
pub fn points(spec: &SweepSpec) -> Vec<Point> {
    Points::of(spec).iter().collect()
}

/// A grid or zip axis: the list, or `steps` evenly spaced values of the range.
fn listed(p: &Swept) -> Axis {
    let values = match &p.values {
        Values::List(items) => items.clone(),
        Values::Range { min, max, steps } => {
            let steps = steps.unwrap_or(1);
            (0..steps)
                .map(|i| {
                    let x = if steps == 1 {
                        *min
                    } else {
                        min + (max - min) * f64::from(i) / f64::from(steps - 1)
                    };
                    number(p, x)
                })
                .collect()
        }
    };
    Axis { path: p.path.clone(), values }
}

/// The value at quantile u ∈ [0, 1) of a parameter's range or list. An integer range min..=max is
/// cut into max - min + 1 equal parts, so that strata stay strata.
fn at(p: &Swept, u: f64) -> Value {
    match &p.values {
        Values::List(items) => items[((u * items.len() as f64) as usize).min(items.len() - 1)].clone(),
        Values::Range { min, max, .. } if p.integer => {
            let (lo, hi) = (min.round() as i64, max.round() as i64);
            Value::Int((lo + (u * (hi - lo + 1) as f64).floor() as i64).min(hi))
        }
        Values::Range { min, max, .. } => Value::Float(min + u * (max - min)),
    }
}

fn number(p: &Swept, x: f64) -> Value {
    if p.integer {
        Value::Int(x.round() as i64)
    } else {
        Value::Float(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(design: Design, parameters: Vec<Swept>, samples: u32) -> SweepSpec {
        SweepSpec {
            design,
            replications: 1,
            samples,
            seed: 3,
            levels: 4,
            candidates: 0,
            independent_points: false,
            parameters,
            rows: Vec::new(),
        }
    }

    fn range(path: &str, min: f64, max: f64, steps: Option<u32>, integer: bool) -> Swept {
        Swept { path: path.into(), integer, values: Values::Range { min, max, steps } }
    }

    fn values(point: &Point) -> Vec<Value> {
        point.iter().map(|a| a.value.clone()).collect()
    }

    fn int(a: &Assignment) -> i64 {
        match a.value {
            Value::Int(i) => i,
            ref other => panic!("{other:?} is not an integer"),
        }
    }

    #[test]
    fn grid_is_the_full_factorial_with_the_last_parameter_fastest() {
        let a = Swept {
            path: "a".into(),
            integer: true,
            values: Values::List(vec![Value::Int(1), Value::Int(2)]),
        };
        let b = range("b", 0.0, 1.0, Some(3), false);
        let p = points(&spec(Design::Grid, vec![a, b], 0));
        assert_eq!(p.len(), 6);
        assert_eq!(values(&p[0]), [Value::Int(1), Value::Float(0.0)]);
        assert_eq!(values(&p[1]), [Value::Int(1), Value::Float(0.5)]);
        assert_eq!(values(&p[5]), [Value::Int(2), Value::Float(1.0)]);
        // Each value beside the parameter it is for.
        assert_eq!(p[5].iter().map(|a| a.path.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    }

    #[test]
    fn integer_ranges_stay_integers() {
        let p = points(&spec(Design::Grid, vec![range("every", 1.0, 12.0, Some(4), true)], 0));
        let values: Vec<i64> = p.iter().map(|q| int(&q[0])).collect();
        assert_eq!(values, [1, 5, 8, 12]);
        for design in [Design::Random, Design::Lhs] {
            for q in points(&spec(design, vec![range("every", 1.0, 12.0, None, true)], 50)) {
                assert!((1..=12).contains(&int(&q[0])));
            }
        }
    }

    #[test]
    fn lhs_uses_each_stratum_of_each_parameter_once() {
        let n = 20;
        let params = vec![
            range("x", 0.0, 1.0, None, false),
            range("y", -5.0, 5.0, None, false),
            range("k", 0.0, 19.0, None, true),
        ];
        let p = points(&spec(Design::Lhs, params, n));
        assert_eq!(p.len(), n as usize);
        for (j, (min, max)) in [(0.0, 1.0), (-5.0, 5.0)].into_iter().enumerate() {
            let mut strata: Vec<usize> = p
                .iter()
                .map(|q| {
                    (((q[j].value.number().unwrap() - min) / (max - min)) * f64::from(n)).floor() as usize
                })
                .collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n as usize).collect::<Vec<_>>(), "parameter {j}");
        }
        // An integer range of exactly n values is a permutation of them.
        let mut ks: Vec<i64> = p.iter().map(|q| int(&q[2])).collect();
        ks.sort_unstable();
        assert_eq!(ks, (0..20).collect::<Vec<_>>());
        // A different design seed, a different hypercube.
        let mut other = spec(Design::Lhs, vec![range("x", 0.0, 1.0, None, false)], n);
        other.seed = 4;
        assert_ne!(points(&other)[0][0], p[0][0]);
    }

    #[test]
    fn zip_takes_values_together() {
        let a = Swept {
            path: "a".into(),
            integer: false,
            values: Values::List(vec![Value::Float(0.1), Value::Float(0.2)]),
        };
        let b = range("b", 1.0, 2.0, Some(2), true);
        let p = points(&spec(Design::Zip, vec![a, b], 0));
        let p: Vec<Vec<Value>> = p.iter().map(values).collect();
        assert_eq!(p, [[Value::Float(0.1), Value::Int(1)], [Value::Float(0.2), Value::Int(2)]]);
    }
}
