//! Validation: the patterns the model must reproduce (MODEL.md §1: P1–P6 and S1) and the classics
//! it must reduce to (§6: Axelrod, Bass, Nooteboom), each a judgement over replications of the
//! shipped scenarios that anyone can re-run at another root seed (`olika validate --seeds 1,2,3`).
//! The tests run the same judgements at the scenarios' own seeds, and under a mutant that switches
//! the mechanism off, which must fail them.
//!
//! How a pattern is judged (MODEL.md §1): runs are the unit (a per-run statistic, never pooled
//! events), compared scenarios share their root seed (common random numbers), and the margin could
//! fail: a paired 95 % interval that excludes zero, or z > 3.

pub mod calibration;
pub mod classics;
pub mod patterns;

use crate::error::Result;
use crate::experiment::stats::{normal_cdf, summarize, t_975, Summary};
use crate::experiment::{execute, Plan};
use crate::model::Validated;
use crate::observe::{Recording, RunOutput};
use crate::scenario;

/// How to judge: at which root seed, with which extra overrides (a mutant), on how many threads,
/// and on what share of each judgement's replications.
#[derive(Debug, Clone)]
pub struct Check {
    /// The root seed of every compared scenario; `None`: each scenario's own seed.
    pub seed: Option<u64>,
    /// `KEY=VALUE` settings applied to every scenario before the judgement's own (a calibration's
    /// parameter set, which a judgement's arms then vary as they would the defaults).
    pub parameters: Vec<String>,
    /// `KEY=VALUE` overrides applied to every scenario after the judgement's own.
    pub overrides: Vec<String>,
    /// Threads for the replications (results do not depend on it).
    pub threads: usize,
    /// Bytes the replications held at once may need (`experiment::budget`): more is refused
    /// before they run.
    pub max_memory: u64,
    /// The share of each judgement's replications that are run (1 in `olika validate`; less in a
    /// calibration, which judges many parameter sets; more in the power pilot, which measures the
    /// effects the replications are sized from). Margins are projected to the judgement's own
    /// replications (`Check::above`, `Check::z`), so that a share estimates the margin the whole
    /// judgement would find rather than judging a weaker or a stronger test.
    pub share: f64,
}

impl Check {
    /// The shipped scenarios at their own seeds.
    pub fn shipped(threads: usize) -> Check {
        Check {
            seed: None,
            parameters: Vec::new(),
            overrides: Vec::new(),
            threads,
            max_memory: u64::MAX,
            share: 1.0,
        }
    }

    /// The same judgement with extra overrides (a mutant of the model).
    pub fn with(mut self, overrides: &[&str]) -> Check {
        self.overrides.extend(overrides.iter().map(|s| s.to_string()));
        self
    }

    /// A shipped scenario with the check's parameters, the judgement's overrides, then the check's
    /// overrides, then its seed.
    pub fn scenario(&self, name: &str, overrides: &[&str]) -> Result<Validated> {
        let mut all = self.parameters.clone();
        all.extend(overrides.iter().map(|s| s.to_string()));
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
        s.replications = self.replications(replications);
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

    /// The replications run of a judgement's `replications`: its share, at least two (an interval
    /// needs two).
    fn replications(&self, replications: u32) -> u32 {
        ((f64::from(replications) * self.share).round() as u32).max(2)
    }

    /// The part "the summary's 95 % interval lies above `bound`": its margin in standard errors
    /// of the judgement's own replications N = n / share is (x̄ − bound) / (sd / √N) − t_N, with
    /// t_N, its critical value, the 95 % quantile of Student's t at N − 1 degrees of freedom. At
    /// share 1 it is (low − bound) / se, positive exactly where the interval lies above the bound.
    fn above(&self, s: &Summary, bound: f64, what: &'static str) -> Part {
        let (Some(mean), Some(sd)) = (s.mean, s.sd) else {
            return Part { what, margin: f64::NAN, critical: Some(f64::NAN) };
        };
        let whole = ((s.n as f64 / self.share).round() as u64).max(2);
        let t = t_975(whole - 1);
        Part { what, margin: (mean - bound) / (sd / (whole as f64).sqrt()) - t, critical: Some(t) }
    }

    /// The part "the summary's interval lies below `bound`" (as `above`, mirrored).
    fn below(&self, s: &Summary, bound: f64, what: &'static str) -> Part {
        let mirrored = |x: Option<f64>| x.map(|x| -x);
        let s = Summary {
            mean: mirrored(s.mean),
            ci_low: mirrored(s.ci_high),
            ci_high: mirrored(s.ci_low),
            ..*s
        };
        self.above(&s, -bound, what)
    }

    /// The part "a z statistic exceeds `critical`", its margin projected to the judgement's own
    /// replications: z grows with √n, so z / √share − critical.
    fn z(&self, z: f64, critical: f64, what: &'static str) -> Part {
        Part { what, margin: z / self.share.sqrt() - critical, critical: Some(critical) }
    }
}

/// Φ⁻¹(0.99): the estimate of a part with 99 % power lies this many standard errors above its
/// critical value on average.
pub const Z_99: f64 = 2.326_347_874;

/// One part of a verdict: what it claims, and how far its estimate lies beyond its critical value.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// What must hold, in words (a failed verdict names it).
    pub what: &'static str,
    /// Standard errors beyond the critical value, at the judgement's own replications (projected
    /// when a share of them is run): positive where the part holds, NaN where it is undefined (no
    /// spread, no runs to judge). A condition without a scale has ±1.
    pub margin: f64,
    /// The critical value its estimate must clear, in standard errors (an interval's t quantile, a
    /// z threshold); `None` for a condition without a scale, which has no power.
    pub critical: Option<f64>,
}

impl Part {
    /// A condition without a scale: margin 1 where it holds, −1 where it fails.
    fn flag(holds: bool, what: &'static str) -> Part {
        Part { what, margin: if holds { 1.0 } else { -1.0 }, critical: None }
    }

    /// Whether the part holds.
    pub fn holds(&self) -> bool {
        self.margin > 0.0
    }

    /// Its standardised estimate δ = margin + critical: the z the estimate shows at the
    /// judgement's own replications; `None` without a scale.
    pub fn effect(&self) -> Option<f64> {
        self.critical.map(|critical| self.margin + critical)
    }

    /// The chance that `runs` replications clear the critical value again were the true effect
    /// the one measured at the judgement's `replications` ([`power`]); `None` without a scale.
    pub fn power(&self, replications: u32, runs: f64) -> Option<f64> {
        Some(power(self.effect()?, self.critical?, f64::from(replications), runs))
    }

    /// The replications that give 99 % power at the measured effect ([`runs_for_99`]): `None`
    /// without a scale, infinite where the effect is not beyond zero.
    pub fn runs_for_99(&self, replications: u32) -> Option<f64> {
        Some(runs_for_99(self.effect()?, self.critical?, f64::from(replications)))
    }
}

/// What the power pilot (tests/olika/power.rs) measured for one part of a judgement: the part's
/// critical value at the judgement's replications and its lowest standardised effect per run,
/// δ / √runs, over the pilot's seeds — the effect the judgement's replications are sized for.
#[cfg(test)]
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pilot {
    pub(crate) critical: f64,
    pub(crate) per_run: f64,
}

#[cfg(test)]
impl Pilot {
    /// The part's power at `runs` replications, were its effect the pilot's ([`power`]).
    pub(crate) fn power(&self, runs: u32) -> f64 {
        power(self.per_run, self.critical, 1.0, f64::from(runs))
    }
}

/// The power of a part whose estimate shows `effect` standard errors (δ) at `measured` runs, to
/// clear `critical` at `runs`: a standardised estimate grows with √n and has about unit spread,
/// so Φ(δ √(runs / measured) − critical).
pub fn power(effect: f64, critical: f64, measured: f64, runs: f64) -> f64 {
    normal_cdf(effect * (runs / measured).sqrt() - critical)
}

/// The runs at which a part whose estimate shows `effect` standard errors at `measured` runs has
/// 99 % power: measured · ((critical + z₀.₉₉) / δ)², infinite where δ is not positive (no number
/// of runs clears a bound the effect lies on the wrong side of).
pub fn runs_for_99(effect: f64, critical: f64, measured: f64) -> f64 {
    if effect.is_nan() || critical.is_nan() {
        f64::NAN
    } else if effect <= 0.0 {
        f64::INFINITY
    } else {
        measured * ((critical + Z_99) / effect).powi(2)
    }
}

/// What a judgement found.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Whether the claim holds by the judgement's margin.
    pub holds: bool,
    /// What was measured, in a line or two of plain text with the numbers.
    pub measured: String,
    /// How far the judgement misses: 0 where it holds, else the sum over its failed parts of the
    /// standard errors each misses by (a part without a scale, 1). A calibration's distance.
    pub distance: f64,
    /// The judgement's replications per compared scenario (at share 1): the runs its margins are
    /// projected to, and its parts' power is at.
    pub replications: u32,
    /// Its parts, each with its margin.
    pub parts: Vec<Part>,
}

/// What a part whose margin is undefined (no spread, no runs to judge) counts as missing by: a
/// part that misses its 95 % interval's quantile entirely.
const UNDEFINED: f64 = 2.0;
/// The most one part counts as missing by, so that one hopeless part cannot hide how the others
/// do in a calibration's distance.
const MOST: f64 = 20.0;

impl Verdict {
    /// A verdict over `replications` per compared scenario on its parts, each holding where its
    /// margin is positive: it holds when every part holds, its text names the parts that failed,
    /// and its distance adds how far each failed part misses.
    fn of(measured: String, replications: u32, parts: &[Part]) -> Verdict {
        let failed: Vec<&str> = parts.iter().filter(|p| !p.holds()).map(|p| p.what).collect();
        let distance = parts
            .iter()
            .map(|p| if p.margin.is_nan() { UNDEFINED } else { (-p.margin).clamp(0.0, MOST) })
            .sum();
        let measured =
            if failed.is_empty() { measured } else { format!("{measured}; fails: {}", failed.join("; ")) };
        Verdict { holds: failed.is_empty(), measured, distance, replications, parts: parts.to_vec() }
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
/// each end, and the two conditions — the peak strictly inside (margin: the z of the best inner
/// arm over the better end), both ends lower with z > 3.
struct InvertedU {
    means: Vec<f64>,
    low: f64,
    high: f64,
    parts: [Part; 2],
}

fn inverted_u(check: &Check, arms: &[Vec<f64>]) -> InvertedU {
    let means: Vec<f64> = arms.iter().map(|a| mean(a)).collect();
    let last = arms.len().saturating_sub(1);
    let best_of = |range: &mut dyn Iterator<Item = usize>| {
        range.max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap_or(0)
    };
    let best = best_of(&mut (0..arms.len()));
    let (inner, end) = (best_of(&mut (1..last)), best_of(&mut [0, last].into_iter()));
    let (low, high) = (welch_z(&arms[best], &arms[0]), welch_z(&arms[best], &arms[last]));
    InvertedU {
        parts: [
            check.z(welch_z(&arms[inner], &arms[end]), 0.0, "the peak must lie strictly inside (0, 1)"),
            check.z(low.min(high), 3.0, "both ends must be lower than the peak with z > 3"),
        ],
        means,
        low,
        high,
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
        let names: Vec<&str> = ALL.iter().map(|v| v.name).collect();
        assert_eq!(names, scenario::calibrate::JUDGEMENTS, "a calibration's judgements are these");
    }

    #[test]
    fn a_verdict_names_what_failed() {
        let part = |margin: f64, what: &'static str| Part { what, margin, critical: Some(2.0) };
        let v = Verdict::of(
            "x = 1".into(),
            10,
            &[part(0.5, "a"), Part::flag(false, "b must hold"), part(f64::NAN, "c")],
        );
        assert!(!v.holds && v.measured.ends_with("fails: b must hold; c"));
        assert_eq!(v.distance, 1.0 + UNDEFINED);
        let held = Verdict::of("x".into(), 10, &[part(0.1, "a"), part(f64::INFINITY, "b")]);
        assert!(held.holds && held.distance == 0.0);
        assert!(!Verdict::of("x".into(), 10, &[part(0.0, "on the bound")]).holds);
    }

    #[test]
    fn a_margin_is_positive_exactly_where_the_interval_clears_its_bound() {
        let check = Check::shipped(1);
        for values in [vec![1.0, 2.0, 3.0], vec![-0.2, 0.1, 0.4, 0.3], vec![-3.0, -2.0, -2.5], vec![2.0, 2.0]]
        {
            let s = summarize(&values);
            for bound in [-1.0, 0.0, 0.5, 2.0] {
                assert_eq!(
                    check.above(&s, bound, "").holds(),
                    s.ci_low.unwrap() > bound,
                    "{values:?} above {bound}"
                );
                assert_eq!(
                    check.below(&s, bound, "").holds(),
                    s.ci_high.unwrap() < bound,
                    "{values:?} below {bound}"
                );
            }
        }
        // At a fifth of the replications the same estimate projects to √5 times the margin in z.
        let fifth = Check { share: 0.2, ..Check::shipped(1) };
        assert!((fifth.z(2.0, 3.0, "").margin - (2.0 * 5f64.sqrt() - 3.0)).abs() < 1e-12);
        assert_eq!(fifth.replications(100), 20);
        assert_eq!(fifth.replications(5), 2);
        // The pilot runs more, and projects back as a share does.
        let four = Check { share: 4.0, ..Check::shipped(1) };
        assert_eq!(four.replications(100), 400);
        assert!((four.z(8.0, 3.0, "").effect().unwrap() - 4.0).abs() < 1e-12);
    }

    #[test]
    fn power_has_its_known_values() {
        // An effect z₀.₉₉ standard errors beyond the critical value has 99 % power, and needs
        // exactly the runs it was measured at.
        for critical in [0.0, 1.645, 1.984, 3.0] {
            assert!((power(critical + Z_99, critical, 100.0, 100.0) - 0.99).abs() < 1e-6);
            assert!((runs_for_99(critical + Z_99, critical, 100.0) - 100.0).abs() < 1e-9);
            // On the critical value itself: a coin toss.
            assert!((power(critical, critical, 50.0, 50.0) - 0.5).abs() < 1e-7);
        }
        // Twice the effect needs a quarter of the runs; a quarter of the runs halves δ.
        assert!((runs_for_99(2.0 * (3.0 + Z_99), 3.0, 100.0) - 25.0).abs() < 1e-9);
        assert!((power(2.0 * (3.0 + Z_99), 3.0, 100.0, 25.0) - 0.99).abs() < 1e-6);
        // P2's falling side as issue 24 found it: z = 3.4 over 3 at 100 runs is a coin toss at
        // best (Φ(0.4) = 0.655); z = 12.8 at 400 runs is 6.4 at 100, power Φ(3.4) = 0.9997.
        assert!((power(3.4, 3.0, 100.0, 100.0) - 0.655_42).abs() < 1e-4);
        assert!((power(12.8, 3.0, 400.0, 100.0) - 0.999_66).abs() < 1e-4);
        // An effect on the wrong side of zero never gets there; an undefined one stays undefined.
        assert_eq!(runs_for_99(-1.0, 1.984, 100.0), f64::INFINITY);
        assert!(runs_for_99(f64::NAN, 1.984, 100.0).is_nan());
        let part = Part { what: "", margin: 5.0 - 1.984, critical: Some(1.984) };
        assert_eq!(part.effect(), Some(5.0));
        assert!((part.power(100, 100.0).unwrap() - normal_cdf(5.0 - 1.984)).abs() < 1e-12);
        assert!(Part::flag(true, "").power(100, 100.0).is_none() && Part::flag(true, "").effect().is_none());
    }
}
