//! The seven patterns of the model (P1..P7), each a statistical test over replications of the
//! shipped baseline and strategy scenarios, with common random numbers (the same seeds across the
//! compared scenarios). Each test prints the effect it measured; docs/validation.md reports them.

use crate::common::*;
use olika::model::{Ending, Sector};
use olika::observe::{Recording, RunOutput};

const R: u32 = 40;
const BASELINE: &str = "scenarios/baseline.toml";

fn with_records() -> Recording {
    Recording { every: 120, innovations: true, partnerships: true, ..Recording::default() }
}

/// The same override for every population of the baseline.
fn all_populations(key: &str) -> Vec<String> {
    ["public", "private", "civil"].iter().map(|p| format!("populations.{p}.{key}")).collect()
}

#[test]
fn p1_cross_sector_venues_beat_one_sector_venues() {
    let mixed = replicate(&shipped("scenarios/strategies/round_tables.toml", &[]), R, Recording::default());
    let single = replicate(
        &shipped("scenarios/strategies/round_tables_one_sector.toml", &[]),
        R,
        Recording::default(),
    );
    let (a, b) = (metric(&mixed, "innovations"), metric(&single, "innovations"));
    let d = paired(&a, &b);
    let ratio = mean(&a) / mean(&b);
    println!(
        "P1: balanced {:.1}, one sector {:.1}, ratio {ratio:.2}, paired difference CI [{:.1}, {:.1}]",
        mean(&a),
        mean(&b),
        d.ci_low.unwrap(),
        d.ci_high.unwrap()
    );
    assert!(d.ci_low.unwrap() > 0.0, "the paired difference must be positive");
    assert!(ratio > 2.0, "balanced round tables should give several times the innovations");
}

#[test]
fn p2_innovations_are_an_inverted_u_in_sector_distance() {
    let distances = [0.0, 0.25, 0.5, 0.75, 1.0];
    let counts: Vec<Vec<f64>> = distances
        .iter()
        .map(|d| {
            metric(
                &replicate(&shipped(BASELINE, &[&format!("sector_distance={d}")]), R, Recording::default()),
                "innovations",
            )
        })
        .collect();
    let means: Vec<f64> = counts.iter().map(|c| mean(c)).collect();
    println!("P2: innovations by sector_distance {distances:?}: {means:.1?}");
    let best = (0..means.len()).max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
    assert!(best > 0 && best < distances.len() - 1, "the peak must be inside (0, 1)");
    let (low, high) =
        (welch_z(&counts[best], &counts[0]), welch_z(&counts[best], &counts[distances.len() - 1]));
    println!("P2: peak vs δ = 0: z = {low:.1}; peak vs δ = 1: z = {high:.1}");
    assert!(low > 3.0 && high > 3.0);
}

#[test]
fn p3_just_ask_innovates_sooner_than_contract_first() {
    let run = |r: &str| {
        let sets: Vec<String> = all_populations(&format!("rule_orientation.mean={r}"))
            .into_iter()
            .chain(all_populations("rule_orientation.sd=0"))
            .collect();
        let sets: Vec<&str> = sets.iter().map(String::as_str).collect();
        metric(&replicate(&shipped(BASELINE, &sets), R, Recording::default()), "first_innovation_step")
    };
    let (just_ask, contract_first) = (run("0"), run("1"));
    let d = paired(&just_ask, &contract_first);
    println!(
        "P3: first innovation at step {:.1} (just ask) vs {:.1} (contract first); paired CI [{:.1}, {:.1}]",
        mean(&just_ask),
        mean(&contract_first),
        d.ci_low.unwrap(),
        d.ci_high.unwrap()
    );
    assert!(d.ci_high.unwrap() < 0.0, "just-ask starts must innovate first");
}

/// Mean duration of the partnerships of each run.
fn durations(outputs: &[RunOutput]) -> Vec<f64> {
    outputs
        .iter()
        .map(|o| {
            o.partnerships.iter().map(|p| f64::from(p.record.duration())).sum::<f64>()
                / o.partnerships.len() as f64
        })
        .collect()
}

#[test]
fn p4_equal_partnerships_last_longer_and_innovate_more() {
    let equal = replicate(&shipped(BASELINE, &["equity=1"]), R, with_records());
    let giver_taker = replicate(&shipped(BASELINE, &["equity=0.2"]), R, with_records());
    let d_duration = paired(&durations(&equal), &durations(&giver_taker));
    let d_innovations = paired(&metric(&equal, "innovations"), &metric(&giver_taker, "innovations"));
    println!(
        "P4: duration {:.1} vs {:.1} steps (CI of difference [{:.1}, {:.1}]); innovations {:.1} vs {:.1} (CI [{:.1}, {:.1}])",
        mean(&durations(&equal)), mean(&durations(&giver_taker)), d_duration.ci_low.unwrap(), d_duration.ci_high.unwrap(),
        mean(&metric(&equal, "innovations")), mean(&metric(&giver_taker, "innovations")), d_innovations.ci_low.unwrap(), d_innovations.ci_high.unwrap()
    );
    assert!(d_duration.ci_low.unwrap() > 0.0);
    assert!(d_innovations.ci_low.unwrap() > 0.0);
    let dissolved = |o: &[RunOutput]| {
        o.iter().flat_map(|r| &r.partnerships).filter(|p| p.record.ending == Ending::Dissolved).count()
    };
    assert!(dissolved(&giver_taker) > 10 * dissolved(&equal).max(1), "giver-taker partnerships dissolve");
}

#[test]
fn p5_scaled_up_innovations_come_from_civil_society_through_the_public_sector() {
    let runs = replicate(&shipped(BASELINE, &[]), R, with_records());
    let scaled: Vec<_> =
        runs.iter().flat_map(|o| &o.innovations).filter(|i| i.scaled_step.is_some()).collect();
    let civil =
        scaled.iter().filter(|i| i.sector_a == Sector::Civil || i.sector_b == Some(Sector::Civil)).count();
    let share = civil as f64 / scaled.len() as f64;
    let se = (share * (1.0 - share) / scaled.len() as f64).sqrt();
    println!(
        "P5: {civil} of {} scaled-up innovations have a civil creator: {:.1} % (95 % CI ± {:.1})",
        scaled.len(),
        100.0 * share,
        196.0 * se
    );
    assert!(share - 1.96 * se > 0.5, "most scaled-up innovations must have a civil creator");
    // Scaled through a public adopter: in the diffusion stage of the step of invention or later, by
    // adoption — an innovation whose creators are both public is scaled up only once it spread.
    assert!(scaled.iter().all(|i| i.scaled_step.unwrap() >= i.step && i.adopters > 2));
    // Without a public sector nothing is scaled up, however far innovations spread.
    let no_public = replicate(&shipped(BASELINE, &["populations.public.count=0"]), 10, Recording::default());
    assert!(metric(&no_public, "adoptions").iter().all(|&a| a > 0.0));
    assert!(metric(&no_public, "scaled_up").iter().all(|&s| s == 0.0));
}

#[test]
fn p6_partnerships_converge_and_exhaust() {
    let runs = replicate(&shipped(BASELINE, &[]), R, with_records());
    let all: Vec<_> = runs.iter().flat_map(|o| o.partnerships.iter().map(move |p| (o, p))).collect();
    // Partners converge: their distance falls over the partnership.
    let start: Vec<f64> = all.iter().map(|(_, p)| p.record.start_distance).collect();
    let end: Vec<f64> = all.iter().map(|(_, p)| p.record.end_distance).collect();
    let d = paired(&end, &start);
    println!(
        "P6: distance {:.3} at the start, {:.3} at the end (CI of change [{:.3}, {:.3}])",
        mean(&start),
        mean(&end),
        d.ci_low.unwrap(),
        d.ci_high.unwrap()
    );
    assert!(d.ci_high.unwrap() < 0.0);
    // They exhaust: more end by exhaustion than by dissolution.
    let ended = |e: Ending| all.iter().filter(|(_, p)| p.record.ending == e).count();
    assert!(ended(Ending::Exhausted) > 10 * ended(Ending::Dissolved).max(1));
    // The innovation rate of old partnerships drops. Partnerships of partners with something to
    // learn from each other (a start distance of at least 0.5, where φ is within a factor of two of
    // its peak) innovate less in their third year (ages 24..36) than in their first (0..12).
    // Only partnerships that reached age 36 count: no partnership ends for lack of innovation
    // before then, so both windows see the same partnerships.
    let (mut early, mut late, mut n) = (0.0, 0.0, 0.0);
    for (o, p) in all.iter().filter(|(_, p)| p.record.start_distance >= 0.5 && p.record.duration() > 36) {
        n += 1.0;
        let pair = (p.record.a.min(p.record.b), p.record.a.max(p.record.b));
        for i in o.innovations.iter().filter(|i| i.creator_b.is_some()) {
            let creators = (i.creator_a.min(i.creator_b.unwrap()), i.creator_a.max(i.creator_b.unwrap()));
            if creators == pair && (p.record.start..=p.record.end).contains(&i.step) {
                match i.step - p.record.start {
                    0..12 => early += 1.0,
                    24..36 => late += 1.0,
                    _ => {}
                }
            }
        }
    }
    let z = poisson_z(early, 12.0 * n, late, 12.0 * n);
    println!("P6: {n} partnerships from distance ≥ 0.5: {:.4} innovations per step in the first year, {:.4} in the third (z = {z:.1})", early / (12.0 * n), late / (12.0 * n));
    assert!(z > 3.0);
}

#[test]
fn p7_procurement_born_partnerships_innovate_less() {
    let runs = replicate(&shipped(BASELINE, &[]), R, with_records());
    let (mut count, mut steps) = ([0.0; 2], [0.0; 2]);
    for p in runs.iter().flat_map(|o| &o.partnerships) {
        let k = usize::from(p.record.procurement);
        count[k] += f64::from(p.record.innovations);
        steps[k] += f64::from(p.record.duration());
    }
    let z = poisson_z(count[0], steps[0], count[1], steps[1]);
    println!("P7: {:.4} innovations per partnership-step need-driven, {:.4} procurement-born (z = {z:.1}, {} procurement partnership-steps)", count[0] / steps[0], count[1] / steps[1], steps[1]);
    assert!(z > 3.0);
}
