//! Validation: the patterns the model must reproduce (MODEL.md §1: P1–P6 and S1) and the classics
//! it must reduce to (§6: Axelrod, Bass, Nooteboom), each a judgement over replications of the
//! shipped scenarios that anyone can re-run at another root seed (`olika validate --seeds 1,2,3`).
//! The tests run the same judgements at the scenarios' own seeds, and under a mutant that switches
//! the mechanism off, which must fail them.
//!
//! How a pattern is judged (MODEL.md §1): runs are the unit (a per-run statistic, never pooled
//! events), compared scenarios share their root seed (common random numbers), and the margin could
//! fail: a paired 95 % interval that excludes zero, or z > 3.

pub mod classics;
pub mod patterns;

use crate::error::Result;
use crate::experiment::stats::{summarize, Summary};
use crate::experiment::{execute, Plan};
use crate::model::Validated;
use crate::observe::{Recording, RunOutput};
use crate::scenario;

/// How to judge: at which root seed, with which extra overrides (a mutant), on how many threads.
#[derive(Debug, Clone)]
pub struct Check {
    /// The root seed of every compared scenario; `None`: each scenario's own seed.
    pub seed: Option<u64>,
    /// `KEY=VALUE` overrides applied to every scenario after the judgement's own.
    pub overrides: Vec<String>,
    /// Threads for the replications (results do not depend on it).
    pub threads: usize,
    /// Bytes the replications held at once may need (`experiment::budget`): more is refused
    /// before they run.
    pub max_memory: u64,
}

impl Check {
    /// The shipped scenarios at their own seeds.
    pub fn shipped(threads: usize) -> Check {
        Check { seed: None, overrides: Vec::new(), threads, max_memory: u64::MAX }
    }

    /// The same judgement with extra overrides (a mutant of the model).
    pub fn with(mut self, overrides: &[&str]) -> Check {
        self.overrides.extend(overrides.iter().map(|s| s.to_string()));
        self
    }

    /// A shipped scenario with the judgement's overrides, then the check's, then its seed.
    pub fn scenario(&self, name: &str, overrides: &[&str]) -> Result<Validated> {
        let mut all: Vec<String> = overrides.iter().map(|s| s.to_string()).collect();
        all.extend(self.overrides.iter().cloned());
        all.extend(self.seed.map(|seed| format!("seed={seed}")));
        Ok(scenario::load_shipped(name, &all)?.scenario)
    }

    /// `replications` runs of a scenario, seeded as `olika run` seeds them.
    pub fn replicate(
        &self,
        s: &Validated,
        replications: u32,
        recording: Recording,
    ) -> Result<Vec<RunOutput>> {
        let mut s = s.clone().into_inner();
        s.replications = replications;
        let s = s.validate()?;
        let plan = Plan::of_scenario(&s);
        crate::experiment::budget::check(&plan, recording, self.threads, self.max_memory, &s.name)?;
        let mut outputs = Vec::with_capacity(replications as usize);
        execute(&plan, plan.runs(), recording, self.threads, |_, outcome| {
            outputs.push(outcome.map_err(crate::error::Error::Run)?);
            Ok(())
        })?;
        Ok(outputs)
    }
}

/// What a judgement found.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Whether the claim holds by the judgement's margin.
    pub holds: bool,
    /// What was measured, in a line or two of plain text with the numbers.
    pub measured: String,
}

impl Verdict {
    /// A verdict on a list of (condition, what it says) parts: it holds when every part holds,
    /// and its text names the parts that failed.
    fn of(measured: String, parts: &[(bool, &str)]) -> Verdict {
        let failed: Vec<&str> = parts.iter().filter(|(ok, _)| !ok).map(|(_, what)| *what).collect();
        let measured =
            if failed.is_empty() { measured } else { format!("{measured}; fails: {}", failed.join("; ")) };
        Verdict { holds: failed.is_empty(), measured }
    }
}

/// One validation: a pattern or a classic, and how it is judged.
pub struct Validation {
    /// Short name (`p1`, `s1`, `bass`).
    pub name: &'static str,
    /// The claim in words.
    pub claim: &'static str,
    /// The claims of the source report it models, or the published model it reduces to.
    pub source: &'static str,
    /// The judgement.
    pub judge: fn(&Check) -> Result<Verdict>,
}

/// Every validation, in the order of MODEL.md.
pub(crate) const ALL: &[Validation] = &[
    patterns::P1,
    patterns::P2,
    patterns::P3,
    patterns::P4,
    patterns::P5,
    patterns::P6,
    patterns::S1,
    classics::AXELROD,
    classics::BASS,
    classics::NOOTEBOOM,
];

/// The validation of this name.
pub fn find(name: &str) -> Option<&'static Validation> {
    ALL.iter().find(|v| v.name.eq_ignore_ascii_case(name))
}

/// One metric of `runs.csv` per run (missing values as NaN).
fn metric(outputs: &[RunOutput], name: &str) -> Vec<f64> {
    outputs.iter().map(|o| o.metrics.get(name).unwrap_or(f64::NAN)).collect()
}

fn mean(values: &[f64]) -> f64 {
    summarize(values).mean.unwrap_or(f64::NAN)
}

/// The paired differences a - b, summarised with their 95 % t-interval.
fn paired(a: &[f64], b: &[f64]) -> Summary {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    summarize(&d)
}

/// Welch's z for the difference of two means: (mean a - mean b) / se.
fn welch_z(a: &[f64], b: &[f64]) -> f64 {
    let (sa, sb) = (summarize(a), summarize(b));
    let var = |s: &Summary| s.sd.unwrap_or(f64::NAN).powi(2) / s.n as f64;
    (sa.mean.unwrap_or(f64::NAN) - sb.mean.unwrap_or(f64::NAN)) / (var(&sa) + var(&sb)).sqrt()
}

/// An inverted U over ordered arms (per-run values of each): the means, the z of the peak over
/// each end, and the two conditions — the peak strictly inside, both ends lower with z > 3.
struct InvertedU {
    means: Vec<f64>,
    low: f64,
    high: f64,
    parts: [(bool, &'static str); 2],
}

fn inverted_u(arms: &[Vec<f64>]) -> InvertedU {
    let means: Vec<f64> = arms.iter().map(|a| mean(a)).collect();
    let best = (0..means.len()).max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap_or(0);
    let last = arms.len().saturating_sub(1);
    let (low, high) = (welch_z(&arms[best], &arms[0]), welch_z(&arms[best], &arms[last]));
    InvertedU {
        means,
        low,
        high,
        parts: [
            (best > 0 && best < last, "the peak must lie strictly inside (0, 1)"),
            (low > 3.0 && high > 3.0, "both ends must be lower than the peak with z > 3"),
        ],
    }
}

/// The interval of a summary as `[low, high]` with `digits` decimals.
fn interval(s: &Summary, digits: usize) -> String {
    let f = |x: Option<f64>| x.map_or("–".to_string(), |x| format!("{x:.digits$}"));
    format!("[{}, {}]", f(s.ci_low), f(s.ci_high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for v in ALL {
            assert_eq!(find(v.name).unwrap().claim, v.claim, "{}", v.name);
            assert_eq!(ALL.iter().filter(|w| w.name == v.name).count(), 1, "{} twice", v.name);
        }
        assert!(find("p7").is_none(), "P7 is an encoded assumption, not a pattern");
    }

    #[test]
    fn a_verdict_names_what_failed() {
        let v = Verdict::of("x = 1".into(), &[(true, "a"), (false, "b must hold")]);
        assert!(!v.holds && v.measured.ends_with("fails: b must hold"));
        assert!(Verdict::of("x".into(), &[(true, "a")]).holds);
    }
}
