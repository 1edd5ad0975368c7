//! The patterns of MODEL.md §1, each judged on the shipped scenarios over replications with runs
//! as the unit and common random numbers between compared arms.

use std::collections::HashMap;

#[cfg(test)]
use super::Pilot;
use super::{interval, inverted_u, mean, metric, paired, Check, Validation, Verdict};
use crate::error::Result;
use crate::experiment::stats::summarize;
use crate::model::Sector;
use crate::observe::{InnovationRow, Recording, RunOutput};
use crate::scenario;

// Replications per compared scenario, each judgement's from a power calculation
// (docs/validation.md, "Power"). The power pilot (tests/olika/power.rs) ran every judgement at 400
// runs per compared scenario (S1: 2 000 per city) at root seeds 11, 12 and 13 and recorded, per
// part, its standardised effect per run d = δ / √runs, where δ is the z its estimate shows over
// the bound. A part with critical value c then holds again at n runs with power Φ(d √n − c), and
// has 99 % power from n = ((c + z₀.₉₉) / d)².
//
// The effect we size from is the lowest d of the three seeds (each `Pilot` below), not their mean.
// Every root seed draws its runs from the same model, so the three estimate one d, each with a
// spread of about 1 / √runs (0.05 at 400 runs); the lowest of three lies on average 0.85 of that
// below d, and for both parts that need more than 100 runs (P2's falling side, S1) it lies below
// the one-sided 95 % lower bound of the three's mean, d̄ − 1.645 / √(3 · runs). Replications are
// the n for 99 % power at that d rounded up to tens, and never below 100: under 100 the intervals
// `olika validate` prints and the mutants' failures grow wide, and a calibration runs a share of
// them (0.2 by default), which must still leave runs to judge by. The critical value of a paired
// interval is its t quantile at 100 runs, 1.984 (lower at more runs, so the power the test below
// checks is a lower bound).

/// The pilot was last run after issue 28's fourth round (the lazy decay and the follow-ups'
/// candidate draws, which changed every run).
/// P1: d = 0.8650, 0.9012, 0.9026; 99 % power needs ((1.984 + 2.326) / 0.8650)² = 25 runs.
const P1_RUNS: u32 = 100;
#[cfg(test)]
const P1_PILOT: [Pilot; 1] = [Pilot { critical: 1.984, per_run: 0.8650 }];
/// P2: d = 0.5764, 0.5589, 0.5756 for both parts (while the peak is inside, its z over the better
/// end is also the lower of the two ends' z): the falling side (over 3) needs ((3 + 2.326) /
/// 0.5589)² = 91 runs, the peak inside (over 0) 17; so 100, the least (it was 120, sized by the
/// earlier pilots at d = 0.5015 and then 0.4891: the three seeds' d spread by about 0.05 from one
/// round of draws to the next, as the rule above expects). At d = 0.5589 and 100
/// runs the falling side holds with power Φ(5.589 − 3) = 0.995.
const P2_RUNS: u32 = 100;
#[cfg(test)]
const P2_PILOT: [Pilot; 2] =
    [Pilot { critical: 0.0, per_run: 0.5589 }, Pilot { critical: 3.0, per_run: 0.5589 }];
/// P3: d = 0.9586, 1.0260, 1.0295; 99 % power needs 20 runs.
const P3_RUNS: u32 = 100;
#[cfg(test)]
const P3_PILOT: [Pilot; 1] = [Pilot { critical: 1.984, per_run: 0.9586 }];
/// P4: duration d = 3.7571, 3.8223, 3.7329, innovations d = 2.7232, 2.6526, 2.7032; 99 % power
/// needs 1 and 3 runs.
const P4_RUNS: u32 = 100;
#[cfg(test)]
const P4_PILOT: [Pilot; 2] =
    [Pilot { critical: 1.984, per_run: 3.7329 }, Pilot { critical: 1.984, per_run: 2.6526 }];
/// P5: d = 0.5751, 0.5290, 0.5362; 99 % power needs ((1.984 + 2.326) / 0.5290)² = 66 runs (power
/// 0.9995 at 100).
const P5_RUNS: u32 = 100;
#[cfg(test)]
const P5_PILOT: [Pilot; 1] = [Pilot { critical: 1.984, per_run: 0.5290 }];
/// P6: rate d = 0.6986, 0.7573, 0.6782, distance d = 5.0331, 5.3405, 5.2587; 99 % power needs 40
/// and 1 runs.
const P6_RUNS: u32 = 100;
#[cfg(test)]
const P6_PILOT: [Pilot; 2] =
    [Pilot { critical: 1.984, per_run: 0.6782 }, Pilot { critical: 1.984, per_run: 5.0331 }];

/// Only the end of each run: the patterns read runs.csv's metrics and the records.
fn ends() -> Recording {
    Recording { every: u32::MAX, ..Recording::default() }
}

/// Every innovation and partnership of each run as well.
fn records() -> Recording {
    Recording { innovations: true, partnerships: true, ..ends() }
}

/// One metric per run of `replications` of a shipped scenario with overrides.
fn runs_of(check: &Check, name: &str, overrides: &[&str], replications: u32, what: &str) -> Result<Vec<f64>> {
    Ok(metric(&check.replicate(&check.scenario(name, overrides)?, replications, ends())?, what))
}

/// P1, cross-sector venues beat one-sector venues.
pub const P1: Validation = Validation {
    name: "p1",
    claim: "cross-sector venues (balanced mix) yield more innovations than the same venues restricted to one sector",
    source: "C1, C2",
    judge: p1,
};

fn p1(check: &Check) -> Result<Verdict> {
    let mixed = runs_of(check, "round_tables", &[], P1_RUNS, "innovations")?;
    let single = runs_of(check, "round_tables_one_sector", &[], P1_RUNS, "innovations")?;
    let d = paired(&mixed, &single);
    Ok(Verdict::of(
        format!(
            "innovations {:.1} (balanced) vs {:.1} (one sector), ratio {:.2}; paired difference {}",
            mean(&mixed),
            mean(&single),
            mean(&mixed) / mean(&single),
            interval(&d, 1)
        ),
        P1_RUNS,
        &[check.above(&d, 0.0, "the paired 95 % interval must lie above 0")],
    ))
}

/// P2, an inverted U in sector distance.
pub const P2: Validation = Validation {
    name: "p2",
    claim: "innovations are an inverted U in the initial distance between sectors, peaking inside (0, 1)",
    source: "C1; Nooteboom",
    judge: p2,
};

/// The sector distances P2 compares.
pub(crate) const DISTANCES: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

fn p2(check: &Check) -> Result<Verdict> {
    let counts = DISTANCES
        .iter()
        .map(|d| runs_of(check, "baseline", &[&format!("sector_distance={d}")], P2_RUNS, "innovations"))
        .collect::<Result<Vec<_>>>()?;
    let u = inverted_u(check, &counts);
    let shown: Vec<String> = u.means.iter().map(|m| format!("{m:.1}")).collect();
    Ok(Verdict::of(
        format!(
            "innovations at sector_distance {DISTANCES:?}: {}; peak over δ = 0: z = {:.1}, over δ = 1: z = {:.1}",
            shown.join(", "),
            u.low,
            u.high
        ),
        P2_RUNS,
        &u.parts,
    ))
}

/// P3, "just ask" innovates sooner.
pub const P3: Validation = Validation {
    name: "p3",
    claim: "\"just ask\" informal starts produce the first innovations sooner than contract-first starts",
    source: "C8, C9",
    judge: p3,
};

fn p3(check: &Check) -> Result<Verdict> {
    let first = |r: &str| {
        let sets: Vec<String> = ["public", "private", "civil"]
            .iter()
            .flat_map(|p| {
                [
                    format!("populations.{p}.rule_orientation.mean={r}"),
                    format!("populations.{p}.rule_orientation.sd=0"),
                ]
            })
            .collect();
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        runs_of(check, "baseline", &sets, P3_RUNS, "first_innovation_step")
    };
    let (just_ask, contract_first) = (first("0")?, first("1")?);
    let d = paired(&just_ask, &contract_first);
    Ok(Verdict::of(
        format!(
            "first innovation at step {:.1} (just ask, r = 0) vs {:.1} (contract first, r = 1); paired difference {}",
            mean(&just_ask),
            mean(&contract_first),
            interval(&d, 1)
        ),
        P3_RUNS,
        &[check.below(&d, 0.0, "the paired 95 % interval must lie below 0")],
    ))
}

/// P4, equal partnerships last longer and innovate more.
pub const P4: Validation = Validation {
    name: "p4",
    claim:
        "equal partnerships (equity = 1) last longer and innovate more than giver-taker ones (equity = 0.2)",
    source: "C6",
    judge: p4,
};

fn p4(check: &Check) -> Result<Verdict> {
    let arm = |equity: &str| -> Result<(Vec<f64>, Vec<f64>)> {
        let runs = check.replicate(
            &check.scenario("baseline", &[&format!("equity={equity}")])?,
            P4_RUNS,
            records(),
        )?;
        let durations = runs
            .iter()
            .map(|o| {
                let total: f64 = o.partnerships.iter().map(|p| f64::from(p.record.duration())).sum();
                total / o.partnerships.len().max(1) as f64
            })
            .collect();
        Ok((durations, metric(&runs, "innovations")))
    };
    let ((equal_d, equal_i), (taker_d, taker_i)) = (arm("1")?, arm("0.2")?);
    let (dd, di) = (paired(&equal_d, &taker_d), paired(&equal_i, &taker_i));
    Ok(Verdict::of(
        format!(
            "mean duration {:.1} vs {:.1} steps (paired difference {}); innovations {:.1} vs {:.1} (paired difference {})",
            mean(&equal_d),
            mean(&taker_d),
            interval(&dd, 1),
            mean(&equal_i),
            mean(&taker_i),
            interval(&di, 1)
        ),
        P4_RUNS,
        &[
            check.above(&dd, 0.0, "equal partnerships must last longer (interval above 0)"),
            check.above(&di, 0.0, "equal partnerships must innovate more (interval above 0)"),
        ],
    ))
}

/// P5, civil creators over-represented among scaled-up innovations.
pub const P5: Validation = Validation {
    name: "p5",
    claim: "the share of innovations with a civil creator is higher among scaled-up innovations than among all innovations",
    source: "C3, C4",
    judge: p5,
};

fn p5(check: &Check) -> Result<Verdict> {
    let runs = check.replicate(&check.scenario("baseline", &[])?, P5_RUNS, records())?;
    let civil = |i: &InnovationRow| i.sector_a == Sector::Civil || i.sector_b == Some(Sector::Civil);
    let share = |all: &[&InnovationRow]| all.iter().filter(|i| civil(i)).count() as f64 / all.len() as f64;
    let (mut among_all, mut among_scaled) = (Vec::new(), Vec::new());
    for o in &runs {
        let invented: Vec<_> = o.innovations.iter().filter(|i| i.creator_b.is_some()).collect();
        let scaled: Vec<_> = invented.iter().copied().filter(|i| i.scaled_step.is_some()).collect();
        if !scaled.is_empty() {
            among_all.push(share(&invented));
            among_scaled.push(share(&scaled));
        }
    }
    let d = summarize(&d_points(&among_scaled, &among_all));
    Ok(Verdict::of(
        format!(
            "with a civil creator: {:.1} % of scaled-up innovations vs {:.1} % of all ({} runs with a scale-up); paired difference {} points",
            100.0 * mean(&among_scaled),
            100.0 * mean(&among_all),
            among_all.len(),
            interval(&d, 1)
        ),
        P5_RUNS,
        &[check.above(&d, 0.0, "the paired 95 % interval must lie above 0")],
    ))
}

/// Paired differences in percentage points.
fn d_points(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| 100.0 * (x - y)).collect()
}

/// P6, partnerships exhaust.
pub const P6: Validation = Validation {
    name: "p6",
    claim: "over all partnerships that last at least 36 steps, the partners' distance falls and their innovation rate in months 25–36 is below that of their first 12 months",
    source: "Nooteboom",
    judge: p6,
};

/// Per run, over its partnerships that lasted at least 36 steps: (innovations per partnership-month
/// in months 1–12, the same in months 25–36, mean change of the partners' distance).
fn exhaustion(run: &RunOutput) -> Option<(f64, f64, f64)> {
    let mut by_pair: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for i in &run.innovations {
        if let Some(b) = i.creator_b {
            by_pair.entry((i.creator_a.min(b), i.creator_a.max(b))).or_default().push(i.step);
        }
    }
    let (mut n, mut early, mut late, mut change) = (0.0, 0.0, 0.0, 0.0);
    for p in run.partnerships.iter().map(|p| &p.record).filter(|p| p.duration() >= 36) {
        n += 1.0;
        change += p.end_distance - p.start_distance;
        let steps = by_pair.get(&(p.a.min(p.b), p.a.max(p.b))).map_or(&[][..], Vec::as_slice);
        for &step in steps.iter().filter(|&&s| (p.start..=p.end).contains(&s)) {
            match step - p.start {
                0..12 => early += 1.0,
                24..36 => late += 1.0,
                _ => {}
            }
        }
    }
    (n > 0.0).then(|| (early / (12.0 * n), late / (12.0 * n), change / n))
}

fn p6(check: &Check) -> Result<Verdict> {
    let runs = check.replicate(&check.scenario("baseline", &[])?, P6_RUNS, records())?;
    let per_run: Vec<(f64, f64, f64)> = runs.iter().filter_map(exhaustion).collect();
    let early: Vec<f64> = per_run.iter().map(|r| r.0).collect();
    let late: Vec<f64> = per_run.iter().map(|r| r.1).collect();
    let change: Vec<f64> = per_run.iter().map(|r| r.2).collect();
    let (rate, distance) = (paired(&early, &late), summarize(&change));
    Ok(Verdict::of(
        format!(
            "innovations per partnership-month {:.4} in months 1–12 vs {:.4} in months 25–36 (paired difference {}); partners' distance changes by {:.3} {}",
            mean(&early),
            mean(&late),
            interval(&rate, 4),
            mean(&change),
            interval(&distance, 3)
        ),
        P6_RUNS,
        &[
            check.above(&rate, 0.0, "the first year's rate must exceed the third's (interval above 0)"),
            check.below(&distance, 0.0, "the partners' distance must fall (interval below 0)"),
        ],
    ))
}

/// S1, city size does not change the per-organisation story.
pub const S1: Validation = Validation {
    name: "s1",
    claim: "a city twice as large, venues copied, gives the same innovations and adoption events per organisation and share of innovations scaled up, each within 10 %",
    source: "scale",
    judge: s1,
};

/// Replications per city in S1: an equivalence margin of ±10 % needs intervals much narrower than
/// a difference does. Power pilot (above; 2 000 runs per city): d of the narrowest of the six
/// one-sided tests (at these seeds the adoptions' ratio against 1.1) = 0.2363, 0.2722, 0.1644;
/// 99 % power needs ((1.645 + 2.326) / 0.1644)² = 584 runs, so 590 (the 520 sized from the pilot
/// of issue 28's third round have 0.9823 at this d, the 510 before it 0.9897 at theirs).
const S1_RUNS: u32 = 590;
#[cfg(test)]
const S1_PILOT: [Pilot; 1] = [Pilot { critical: 1.645, per_run: 0.1644 }];

/// The per-organisation story of a city: innovations and adoption events per organisation, and
/// the share of innovations scaled up, per run.
fn story(check: &Check, factor: usize) -> Result<[Vec<f64>; 3]> {
    let base = check.scenario("baseline", &[])?;
    let s = scenario::scaled(&base, factor)?;
    let n: usize = s.populations.values().map(|p| p.count).sum();
    let runs = check.replicate(&s, S1_RUNS, ends())?;
    let innovations = metric(&runs, "innovations");
    let adoptions = metric(&runs, "adoptions");
    let scaled = metric(&runs, "scaled_up");
    Ok([
        innovations.iter().map(|x| x / n as f64).collect(),
        adoptions.iter().map(|x| x / n as f64).collect(),
        scaled.iter().zip(&innovations).map(|(s, i)| s / i.max(1.0)).collect(),
    ])
}

/// The ratio of the means of b and a with its standard error by the delta method (independent
/// samples): var(b̄/ā) ≈ (b̄/ā)² (se_a²/ā² + se_b²/b̄²). "Within 10 %" is an equivalence claim,
/// judged by two one-sided tests at the 5 % level (Schuirmann 1987): the 90 % interval
/// r ± 1.645 se lies inside [0.9, 1.1].
fn ratio(a: &[f64], b: &[f64]) -> (f64, f64) {
    let (sa, sb) = (summarize(a), summarize(b));
    let (ma, mb) = (sa.mean.unwrap_or(f64::NAN), sb.mean.unwrap_or(f64::NAN));
    let rel = |s: &crate::experiment::stats::Summary, m: f64| {
        s.sd.unwrap_or(f64::NAN).powi(2) / (s.n as f64 * m * m)
    };
    let r = mb / ma;
    (r, r * (rel(&sa, ma) + rel(&sb, mb)).sqrt())
}

fn s1(check: &Check) -> Result<Verdict> {
    let (one, two) = (story(check, 1)?, story(check, 2)?);
    let names = ["innovations per organisation", "adoptions per organisation", "share scaled up"];
    let what = "each ratio's 90 % interval must lie within [0.9, 1.1] (two one-sided tests at 5 %)";
    let mut text = Vec::new();
    let mut part = check.z(f64::INFINITY, 1.645, what);
    for k in 0..3 {
        let (r, se) = ratio(&one[k], &two[k]);
        let (low, high) = (r - 1.645 * se, r + 1.645 * se);
        // Each one-sided test's margin in standard errors, projected like any other; the part is
        // the narrowest of the six (its power is at most that one's).
        let inside = check.z(((r - 0.9) / se).min((1.1 - r) / se), 1.645, what);
        if inside.margin.is_nan() || inside.margin < part.margin {
            part = inside;
        }
        text.push(format!(
            "{} {:.3} → {:.3} (ratio {r:.3} [{low:.3}, {high:.3}])",
            names[k],
            mean(&one[k]),
            mean(&two[k])
        ));
    }
    Ok(Verdict::of(format!("150 → 300 organisations: {}", text.join("; ")), S1_RUNS, &[part]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The replications give every part 99 % power at the effect the pilot recorded for it: a
    /// judgement whose replications are lowered, or whose pilot effect is revised down without
    /// more replications, fails here.
    #[test]
    fn the_replications_give_99_percent_power_at_the_pilot_effects() {
        let judgements: [(&str, u32, &[Pilot]); 7] = [
            ("p1", P1_RUNS, &P1_PILOT),
            ("p2", P2_RUNS, &P2_PILOT),
            ("p3", P3_RUNS, &P3_PILOT),
            ("p4", P4_RUNS, &P4_PILOT),
            ("p5", P5_RUNS, &P5_PILOT),
            ("p6", P6_RUNS, &P6_PILOT),
            ("s1", S1_RUNS, &S1_PILOT),
        ];
        for (name, runs, pilot) in judgements {
            for (k, part) in pilot.iter().enumerate() {
                let power = part.power(runs);
                assert!(power >= 0.99, "{name}, part {k}: power {power:.4} at {runs} runs");
            }
        }
        // S1 is short of it at the 520 runs of issue 28's third round, and P2's falling side at
        // the 100 runs every pattern had before issue 24 with the effect of then (d = 0.4891).
        assert!(S1_PILOT[0].power(520) < 0.99);
        assert!(Pilot { critical: 3.0, per_run: 0.4891 }.power(100) < 0.99);
    }
}
