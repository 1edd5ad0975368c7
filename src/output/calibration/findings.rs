//! What a calibration found, in words (`findings.md`), from its tables: where in the prior box
//! each target is met and which parameter decides it — read from the first generation, a sample of
//! the prior box — and where the calibrated region lies in each parameter's range, with the
//! scenario's own value placed in it — read from the last generation, the posterior sample.

use std::fmt::Write;

use super::{coordinate, weighted_quantile, Calibrated, ParticleRow};
use crate::output::format;
use crate::scenario::calibrate::{self, CalibrateSpec, Prior, Target};
use crate::scenario::Resolved;

type Particle = ParticleRow;

/// A number for people (`format::human`).
fn human(x: f64) -> String {
    format::human(Some(x))
}

/// Bins a continuous parameter's prior range is cut into to see where a target is met.
const BINS: usize = 5;
/// A parameter decides a target where the share met differs by this much between its bins.
const DECIDES: f64 = 0.25;

/// The findings of the calibration of `resolved` by `spec` whose tables are `tables`, as Markdown.
pub fn findings(spec: &CalibrateSpec, tables: &Calibrated, resolved: &Resolved) -> String {
    let simulations: u64 = tables.generations.iter().map(|g| g.simulations).sum();
    let last = tables.generations.last().expect("a calibration has generations");
    let draws: Vec<&Particle> = tables.particles.iter().filter(|p| p.generation == 0).collect();
    let mut out = format!("# Calibration of {}\n\n", resolved.scenario.name);
    let _ = writeln!(
        out,
        "{simulations} parameter sets simulated over {} generation(s); the first, {} draws from the priors, maps the prior box, and the last, {} particles within distance {}, is the calibrated region.\n",
        tables.generations.len(),
        draws.len(),
        tables.posterior.len(),
        last.tolerance.map_or("∞".into(), human),
    );
    out.push_str("## Where each target is met in the prior box\n\n");
    let judgements: Vec<usize> =
        (0..spec.targets.len()).filter(|&t| matches!(spec.targets[t], Target::Judgement(_))).collect();
    if judgements.len() > 1 {
        let all = share(&draws, |p| judgements.iter().all(|&t| met(spec, t, p)));
        let _ = writeln!(
            out,
            "- **Every judgement holds together ({}) in {} of the prior box** ({} draws).",
            names(spec, &judgements),
            percent_with_interval(all, draws.len()),
            draws.len()
        );
    }
    for (t, target) in spec.targets.iter().enumerate() {
        let _ = writeln!(out, "- {}", target_sentence(spec, &draws, t, target));
    }
    together(&mut out, spec, &draws);
    out.push_str("\n## The calibrated region\n\n");
    for k in 0..spec.parameters.len() {
        let _ = writeln!(out, "- {}", region_sentence(spec, &tables.posterior, resolved, k));
    }
    out
}

/// The draws of the prior box that met every target: each parameter's range among them, against
/// its prior. Where few draws met them all, the ranges are those few draws' and say so.
fn together(out: &mut String, spec: &CalibrateSpec, draws: &[&Particle]) {
    let all: Vec<&Particle> =
        draws.iter().copied().filter(|p| (0..spec.targets.len()).all(|t| met(spec, t, p))).collect();
    let _ = writeln!(
        out,
        "\n## Where every target is met together\n\n{} of the {} draws of the prior box met every target{}",
        all.len(),
        draws.len(),
        match all.len() {
            0 => ".".to_string(),
            n if n < 20 => "; among them (a few draws: ranges, not a region):\n".to_string(),
            _ => ":\n".to_string(),
        }
    );
    if all.is_empty() {
        return;
    }
    for (k, parameter) in spec.parameters.iter().enumerate() {
        let values: Vec<f64> = all.iter().map(|p| coordinate(spec, k, p)).collect();
        let (low, high) =
            values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
        let said = match &parameter.prior {
            Prior::Choice(list) => {
                let mut seen: Vec<String> = values.iter().map(|&i| list[i as usize].to_string()).collect();
                seen.sort();
                seen.dedup();
                format!(
                    "{} (of {})",
                    seen.join(", "),
                    list.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                )
            }
            Prior::Uniform { min, max } | Prior::LogUniform { min, max } => {
                let f = |x: f64| if parameter.integer { format!("{}", x.round()) } else { human(x) };
                format!("{}–{} (prior {}–{})", f(low), f(high), f(*min), f(*max))
            }
        };
        let _ = writeln!(out, "- `{}`: {said}", parameter.path);
    }
}

/// Whether particle p met target t.
fn met(spec: &CalibrateSpec, t: usize, p: &Particle) -> bool {
    p.parts[t] <= spec.targets[t].allowance()
}

fn names(spec: &CalibrateSpec, targets: &[usize]) -> String {
    targets.iter().map(|&t| spec.targets[t].name().to_uppercase()).collect::<Vec<_>>().join(", ")
}

/// The share of draws that satisfy `what`.
fn share(draws: &[&Particle], what: impl Fn(&Particle) -> bool) -> f64 {
    draws.iter().filter(|p| what(p)).count() as f64 / draws.len().max(1) as f64
}

/// "18 % [14, 23 %]": a share of n draws with its 95 % Wilson interval.
fn percent_with_interval(share: f64, n: usize) -> String {
    let (n, z) = (n.max(1) as f64, 1.96);
    let centre = (share + z * z / (2.0 * n)) / (1.0 + z * z / n);
    let half = z / (1.0 + z * z / n) * (share * (1.0 - share) / n + z * z / (4.0 * n * n)).sqrt();
    format!(
        "{:.0} % [{:.0}, {:.0} %]",
        100.0 * share,
        100.0 * (centre - half).max(0.0),
        100.0 * (centre + half).min(1.0)
    )
}

/// A target in words: how often it is met in the prior box, and the parameter that decides it most.
fn target_sentence(spec: &CalibrateSpec, draws: &[&Particle], t: usize, target: &Target) -> String {
    let what = match target {
        Target::Judgement(name) => format!("{} holds", name.to_uppercase()),
        Target::Metric { name, value, sd } => {
            format!("{name} lies within {} of {}", human(*sd), human(*value))
        }
        Target::Series { name, file, .. } => {
            format!("the series of {name} lies within its sd of {file} on average")
        }
    };
    let overall = share(draws, |p| met(spec, t, p));
    let mut sentence = format!("{what} in {} of the prior box", percent_with_interval(overall, draws.len()));
    // Each parameter's contrast: its best and worst bins, and how sure the difference is.
    let mut contrasts: Vec<Contrast> = (0..spec.parameters.len())
        .filter_map(|k| Contrast::of(k, &bins(spec, k, draws, |p| met(spec, t, p))))
        .filter(Contrast::decides)
        .collect();
    contrasts.sort_by(|a, b| b.spread().total_cmp(&a.spread()));
    match contrasts.split_first() {
        Some((first, rest)) => {
            let path = &spec.parameters[first.k].path;
            let _ = write!(
                sentence,
                "; `{path}` decides it most: met in {:.0} % of draws with {path} {} and {:.0} % with {path} {}",
                100.0 * first.best.share,
                first.best.label,
                100.0 * first.worst.share,
                first.worst.label
            );
            let others: Vec<String> =
                rest.iter().take(3).map(|c| format!("`{}`", spec.parameters[c.k].path)).collect();
            if !others.is_empty() {
                let _ = write!(sentence, "; it also depends on {}", others.join(", "));
            }
        }
        None if overall > 0.0 && overall < 1.0 => {
            sentence.push_str("; no parameter alone decides it (no part of any range differs from another by 25 points with z > 3)")
        }
        None => {}
    }
    sentence.push('.');
    sentence
}

/// The draws of one part of a parameter's range, and the share of them that met a target.
#[derive(Debug, Clone)]
struct Bin {
    label: String,
    n: usize,
    share: f64,
}

/// A parameter's best and worst parts of its range for a target.
struct Contrast {
    k: usize,
    best: Bin,
    worst: Bin,
}

impl Contrast {
    fn of(k: usize, bins: &[Bin]) -> Option<Contrast> {
        let filled = || bins.iter().filter(|b| b.n > 0);
        let best = filled().max_by(|x, y| x.share.total_cmp(&y.share))?.clone();
        let worst = filled().min_by(|x, y| x.share.total_cmp(&y.share))?.clone();
        Some(Contrast { k, best, worst })
    }

    fn spread(&self) -> f64 {
        self.best.share - self.worst.share
    }

    /// Whether the parameter decides the target: its best and worst parts differ by `DECIDES`
    /// and by z > 3 (two proportions, pooled), so that a few draws per part do not make one.
    fn decides(&self) -> bool {
        let (a, b) = (&self.best, &self.worst);
        let pooled = (a.share * a.n as f64 + b.share * b.n as f64) / (a.n + b.n) as f64;
        let se = (pooled * (1.0 - pooled) * (1.0 / a.n as f64 + 1.0 / b.n as f64)).sqrt();
        self.spread() >= DECIDES && self.spread() / se > 3.0
    }
}

/// Parameter k's prior range cut into `BINS` equal parts (on the log scale for a log-uniform
/// prior), or its values, each with the share of its draws that satisfy `met`.
fn bins(spec: &CalibrateSpec, k: usize, draws: &[&Particle], met: impl Fn(&Particle) -> bool) -> Vec<Bin> {
    let parameter = &spec.parameters[k];
    let (edges, labels): (Vec<(f64, f64)>, Vec<String>) = match &parameter.prior {
        Prior::Choice(values) => {
            (0..values.len()).map(|i| ((i as f64, i as f64 + 1.0), format!("= {}", values[i]))).unzip()
        }
        // Whole numbers in whole parts: 1–3, 4–5, … (a part [a, b + 1) holds a..=b).
        Prior::Uniform { min, max } | Prior::LogUniform { min, max } if parameter.integer => {
            let count = max - min + 1.0;
            let edge = |i: usize| min + (count * i as f64 / BINS as f64).round();
            (0..BINS)
                .map(|i| (edge(i), edge(i + 1)))
                .filter(|(a, b)| b > a)
                .map(|(a, b)| {
                    let label =
                        if b - a == 1.0 { format!("= {a}") } else { format!("from {a} to {}", b - 1.0) };
                    ((a, b), label)
                })
                .unzip()
        }
        Prior::Uniform { min, max } | Prior::LogUniform { min, max } => {
            let log = matches!(parameter.prior, Prior::LogUniform { .. });
            let (a, b) = if log { (min.ln(), max.ln()) } else { (*min, *max) };
            let at = |i: usize| {
                let x = a + (b - a) * i as f64 / BINS as f64;
                if log {
                    x.exp()
                } else {
                    x
                }
            };
            (0..BINS)
                .map(|i| ((at(i), at(i + 1)), format!("in [{}, {}]", human(at(i)), human(at(i + 1)))))
                .unzip()
        }
    };
    let last = edges.len() - 1;
    edges
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (&(low, high), label))| {
            let inside: Vec<&Particle> = draws
                .iter()
                .copied()
                .filter(|p| {
                    let x = coordinate(spec, k, p);
                    x >= low && (x < high || (i == last && x <= high))
                })
                .collect();
            let n = inside.len();
            let share = inside.iter().filter(|p| met(p)).count() as f64 / n.max(1) as f64;
            Bin { label, n, share }
        })
        .collect()
}

/// A parameter's calibrated region in words: its posterior median and 90 % interval against its
/// prior range, and where the scenario's own value lies in it.
fn region_sentence(spec: &CalibrateSpec, posterior: &[Particle], resolved: &Resolved, k: usize) -> String {
    let parameter: &calibrate::Calibrated = &spec.parameters[k];
    let path = &parameter.path;
    let own = own_value(resolved, path);
    match &parameter.prior {
        Prior::Choice(values) => {
            let shares: Vec<String> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let w: f64 = posterior
                        .iter()
                        .filter(|p| coordinate(spec, k, p) == i as f64)
                        .map(|p| p.weight)
                        .sum();
                    format!("{v} {:.0} %", 100.0 * w)
                })
                .collect();
            format!(
                "`{path}`: {} of the calibrated region (the scenario has {})",
                shares.join(", "),
                own.unwrap_or("none".into())
            )
        }
        Prior::Uniform { min, max } | Prior::LogUniform { min, max } => {
            let q = |p: f64| weighted_quantile(spec, posterior, k, p);
            let (low, median, high) = (q(0.05), q(0.5), q(0.95));
            let narrowed = (high - low) / (max - min);
            // A whole number said as one.
            let said = |x: f64| if parameter.integer { format!("{}", x.round()) } else { human(x) };
            let mut sentence = format!(
                "`{path}`: {} [{}, {}] (median and 90 % interval; prior {}–{}, the interval {:.0} % of it)",
                said(median),
                said(low),
                said(high),
                said(*min),
                said(*max),
                100.0 * narrowed
            );
            if let Some(value) = own.as_deref().and_then(|v| v.parse::<f64>().ok()) {
                let below: f64 =
                    posterior.iter().filter(|p| coordinate(spec, k, p) < value).map(|p| p.weight).sum();
                let place = match below {
                    _ if value <= *min || value >= *max => "at an end of the prior range",
                    b if b <= 0.0 || b >= 1.0 => "outside the region",
                    b if !(0.05..=0.95).contains(&b) => "on its edge",
                    _ => "inside it",
                };
                let _ = write!(
                    sentence,
                    "; the scenario's {} lies at percentile {:.0} of the region: {place}",
                    said(value),
                    100.0 * below
                );
            }
            sentence.push('.');
            sentence
        }
    }
}

/// The scenario's own value at a dotted path, as text.
fn own_value(resolved: &Resolved, path: &str) -> Option<String> {
    let mut value = None;
    let mut table = &resolved.base;
    for (i, part) in path.split('.').enumerate() {
        let v = table.get(part)?;
        if i == path.split('.').count() - 1 {
            value = Some(v);
        } else {
            table = v.as_table()?;
        }
    }
    value.map(|v| match v {
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}
