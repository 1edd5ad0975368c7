//! The classics of MODEL.md §6: the model in its limits reduces to Axelrod (1997), Bass (1969) and
//! Nooteboom's optimal cognitive distance, each a shipped scenario under `scenarios/classics/`.

#[cfg(test)]
use super::Pilot;
use super::{inverted_u, mean, metric, Check, Part, Validation, Verdict};
use crate::error::Result;
use crate::experiment::stats::summarize;
use crate::observe::Recording;

/// F and q of Axelrod's table.
const SIZES: [u32; 3] = [5, 10, 15];

/// Axelrod's dissemination of culture.
pub const AXELROD: Validation = Validation {
    name: "axelrod",
    claim: "on a 10×10 lattice, stable cultural regions rise steeply with traits q at F = 5 and fall with features F (Axelrod's Table 1)",
    source: "Axelrod 1997",
    judge: axelrod,
};

/// Replications per cell of Axelrod's table.
const AXELROD_RUNS: u32 = 100;

/// Mean stable regions, its standard error and the share of runs ending in one region, for F
/// and q in {5, 10, 15}, 100 replications per cell.
pub(crate) fn axelrod_table(check: &Check) -> Result<[[(f64, f64, f64); 3]; 3]> {
    let mut table = [[(0.0, 0.0, 0.0); 3]; 3];
    for (i, f) in SIZES.iter().enumerate() {
        for (j, q) in SIZES.iter().enumerate() {
            let s = check.scenario("axelrod", &[&format!("features={f}"), &format!("traits={q}")])?;
            let regions = metric(
                &check.replicate(&s, AXELROD_RUNS, Recording { every: u32::MAX, ..Recording::default() })?,
                "regions",
            );
            let summary = summarize(&regions);
            let one = regions.iter().filter(|&&r| r == 1.0).count() as f64 / regions.len() as f64;
            table[i][j] = (
                summary.mean.unwrap_or(f64::NAN),
                summary.sd.unwrap_or(0.0) / (summary.n as f64).sqrt(),
                one,
            );
        }
    }
    Ok(table)
}

fn axelrod(check: &Check) -> Result<Verdict> {
    let t = axelrod_table(check)?;
    let m = |f: usize, q: usize| t[f][q].0;
    let rows: Vec<String> =
        (0..3).map(|f| format!("F = {}: {:.2}, {:.2}, {:.2}", SIZES[f], m(f, 0), m(f, 1), m(f, 2))).collect();
    let falls = (1..3).all(|q| m(0, q) > m(1, q) && m(1, q) >= m(2, q) - 0.2 && m(2, q) < 3.0);
    let one = (0..3).all(|f| t[f][0].2 >= 0.9);
    Ok(Verdict::of(
        format!("mean regions for q = 5, 10, 15 — {}", rows.join("; ")),
        AXELROD_RUNS,
        &[
            Part::flag(
                m(0, 0) < 1.5 && m(0, 1) > 1.5 && m(0, 1) < 8.0 && m(0, 2) > 10.0 && m(0, 2) > 2.0 * m(0, 1),
                "at F = 5 regions must rise steeply with q (below 1.5, 1.5–8, above 10 and twice q = 10)",
            ),
            Part::flag(falls, "at q = 10 and 15 regions must fall with F (below 3 at F = 15)"),
            Part::flag(one, "q = 5 must end in one region in at least 90 % of runs for every F"),
        ],
    ))
}

/// Bass's diffusion.
pub const BASS: Validation = Validation {
    name: "bass",
    claim:
        "the mean adoption curve follows the discrete Bass recursion F(t+1) = F(t) + (p + q F(t))(1 − F(t))",
    source: "Bass 1969",
    judge: bass,
};

fn bass(check: &Check) -> Result<Verdict> {
    let s = check.scenario("bass", &[])?;
    let n = s.populations.values().map(|p| p.count).sum::<usize>() as f64;
    let (p, q) = (s.diffusion.external, s.diffusion.imitation);
    let runs = check.replicate(&s, s.replications, Recording::default())?;
    let steps = runs.iter().map(|o| o.series.len()).min().unwrap_or(0);
    let recursion = |q: f64| {
        let mut f = vec![1.0 / n];
        for t in 1..steps {
            let prev = f[t - 1];
            f.push(prev + (p + q * prev) * (1.0 - prev));
        }
        f
    };
    // A wrong imitation rate must fail the same tolerance: q - 0.08.
    let (expected, wrong) = (recursion(q), recursion(q - 0.08));
    let (mut worst, mut within, mut tells_apart) = (0.0f64, true, false);
    for t in 0..steps {
        let adopters: Vec<f64> =
            runs.iter().map(|o| (1.0 + o.series[t].1.adoptions.unwrap_or(0.0)) / n).collect();
        let summary = summarize(&adopters);
        let mean = summary.mean.unwrap_or(f64::NAN);
        // The mean of R runs has standard error sd / √R; the recursion is the expectation of a step
        // given F(t), so over runs it is off by q · Var F(t), below 1e-3 at N = 10 000: every step
        // must lie within 4 standard errors plus 1e-3.
        let tolerance = 4.0 * summary.sd.unwrap_or(0.0) / (runs.len() as f64).sqrt() + 1e-3;
        worst = worst.max((mean - expected[t]).abs());
        within &= (mean - expected[t]).abs() <= tolerance;
        tells_apart |= (mean - wrong[t]).abs() > tolerance;
    }
    Ok(Verdict::of(
        format!(
            "largest deviation of the mean adoption curve from the recursion over {steps} steps: {worst:.5}"
        ),
        s.replications,
        &[
            Part::flag(within, "every step must lie within 4 standard errors + 0.001 of the recursion"),
            Part::flag(tells_apart, "the tolerance must reject the recursion with q − 0.08"),
        ],
    ))
}

/// Nooteboom's optimal cognitive distance.
pub const NOOTEBOOM: Validation = Validation {
    name: "nooteboom",
    claim:
        "the innovation rate of cross-sector partnerships is an inverted U in the distance between sectors",
    source: "Nooteboom et al. 2007",
    judge: nooteboom,
};

/// What the power pilot found for the Nooteboom classic's parts (tests/olika/power.rs; see
/// `patterns` for the rule): d = 2.6646, 2.4218, 2.5761 for both (the peak inside over 0, both
/// ends lower over 3); 99 % power needs 1 and ((3 + 2.326) / 2.4218)² = 5 runs. The judgement runs
/// the scenario's own replications (40), which has them.
#[cfg(test)]
const NOOTEBOOM_PILOT: [Pilot; 2] =
    [Pilot { critical: 0.0, per_run: 2.4218 }, Pilot { critical: 3.0, per_run: 2.4218 }];

/// The sector distances the Nooteboom classic sweeps.
const NOOTEBOOM_DISTANCES: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];

fn nooteboom(check: &Check) -> Result<Verdict> {
    let (mut rates, mut measured) = (Vec::new(), Vec::new());
    let mut replications = 0;
    for d in NOOTEBOOM_DISTANCES {
        let s = check.scenario("nooteboom", &[&format!("sector_distance={d}")])?;
        replications = s.replications;
        let recording = Recording { every: u32::MAX, partnerships: true, ..Recording::default() };
        let runs = check.replicate(&s, s.replications, recording)?;
        rates.push(
            runs.iter()
                .map(|o| {
                    o.metrics.get("innovations").unwrap_or(0.0)
                        / o.metrics.get("partnership_steps").unwrap_or(0.0).max(1.0)
                })
                .collect::<Vec<f64>>(),
        );
        // The distance cross-sector partners actually start at: δ sets the chance that prototypes
        // differ on a feature, and their expected distance is 2δ − δ² q/(q − 1), not δ.
        let starts: Vec<f64> = runs
            .iter()
            .flat_map(|o| {
                o.partnerships.iter().filter(|p| p.sector_a != p.sector_b).map(|p| p.record.start_distance)
            })
            .collect();
        measured.push(mean(&starts));
    }
    let u = inverted_u(check, &rates);
    let table: Vec<String> = NOOTEBOOM_DISTANCES
        .iter()
        .zip(&measured)
        .zip(&u.means)
        .map(|((d, start), rate)| format!("δ {d}: start distance {start:.2}, rate {rate:.4}"))
        .collect();
    Ok(Verdict::of(
        format!("{}; peak over both ends z = {:.1}, {:.1}", table.join("; "), u.low, u.high),
        replications,
        &u.parts,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scenario's replications give the Nooteboom classic 99 % power at the pilot's effects.
    #[test]
    fn the_nooteboom_replications_give_99_percent_power_at_the_pilot_effects() {
        let runs = crate::scenario::load_shipped("nooteboom", &[]).unwrap().scenario.replications;
        for part in NOOTEBOOM_PILOT {
            assert!(part.power(runs) >= 0.99, "power {:.4} at {runs} runs", part.power(runs));
        }
    }
}
