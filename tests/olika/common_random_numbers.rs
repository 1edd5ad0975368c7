//! Common random numbers: two scenarios with the same seed that differ only in venues start from
//! identical populations, share every draw their venues do not change, and so compare with far
//! narrower paired intervals.

use std::path::Path;

use olika::experiment::compare::compare;
use olika::experiment::{default_threads, run_seed};
use olika::model::World;
use olika::observe::Recording;
use olika::scenario;
use olika::validation::Check;

use crate::common::scenarios;

#[test]
fn strategies_share_the_initial_population() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/strategies");
    let a = scenario::load(&dir.join("hub.toml"), &[]).unwrap().scenario;
    let b = scenario::load(&dir.join("matchmaking_day.toml"), &[]).unwrap().scenario;
    let base = scenario::baseline(&[]).unwrap().scenario;
    assert_ne!(format!("{:?}", a.venues), format!("{:?}", b.venues));
    for replication in 0..3 {
        let seed = run_seed(a.seed, replication);
        let worlds = [World::new(&a, seed), World::new(&b, seed), World::new(&base, seed)];
        let n = worlds[0].agents().len();
        assert_eq!(n, 150);
        for w in &worlds[1..] {
            assert_eq!(w.agents().sector, worlds[0].agents().sector);
            assert_eq!(w.agents().need, worlds[0].agents().need);
            assert_eq!(w.agents().capital, worlds[0].agents().capital);
            assert_eq!(w.agents().max_partners, worlds[0].agents().max_partners);
            for agent in 0..n as u32 {
                assert_eq!(w.knowledge().of(agent), worlds[0].knowledge().of(agent));
            }
        }
    }
    // Different replications do get different populations.
    let w0 = World::new(&a, run_seed(a.seed, 0));
    let w1 = World::new(&a, run_seed(a.seed, 1));
    assert_ne!(w0.agents().need, w1.agents().need);
}

/// Each venue draws from its own stream, named after it: a strategy with one more venue that
/// draws (attendance by sector, a place in the meeting order) but seats nobody runs exactly as the
/// strategy without it. With one stream for all the dynamics its draws would shift every later one.
#[test]
fn a_venue_draws_only_from_its_own_stream() {
    let tmp = tempfile::TempDir::new().unwrap();
    let round_tables = scenarios().join("strategies/round_tables.toml");
    let file = tmp.path().join("with_empty_room.toml");
    std::fs::write(
        &file,
        format!(
            "extends = {:?}\nname = \"with_empty_room\"\n\n[venues.empty_room]\nkind = \"seminar\"\nevery = 1\ncapacity = 0\nmix = \"balanced\"\ncost = 5.0\n",
            round_tables.display()
        ),
    )
    .unwrap();
    let check = Check::shipped(default_threads());
    let plain = check.scenario("round_tables", &[]).unwrap();
    let with_room = scenario::load(&file, &[]).unwrap().scenario;
    assert_eq!(with_room.venues.len(), plain.venues.len() + 1);
    let a = check.replicate(&plain, 4, Recording::default()).unwrap();
    let b = check.replicate(&with_room, 4, Recording::default()).unwrap();
    for (x, y) in a.iter().zip(&b) {
        for metric in
            ["innovations", "partnerships_begun", "adoptions", "ties", "trust_across", "knowledge_diversity"]
        {
            assert_eq!(x.metrics.get(metric), y.metrics.get(metric), "{metric}");
        }
        assert_eq!(y.metrics.get("venue_cost"), x.metrics.get("venue_cost").map(|c| c + 5.0 * 120.0));
    }
}

/// What pairing gains. Two strategies that differ a little — round tables with facilitation 0.30
/// and 0.32 — share their attendance, seating, approaches and adoption channels draw for draw, and
/// an encounter or a step of work of the same pair at the same step has the same luck. The claim:
/// pairing at least halves the variance of the difference in innovations per run, so its paired
/// interval is at most 0.71 times as wide as the unpaired (Welch) one that `olika compare` reports
/// beside it. With one stream for all the dynamics (before these streams) the ratio was 0.84–0.89.
#[test]
fn pairing_at_least_halves_the_variance_of_a_small_change() {
    let check = Check::shipped(default_threads());
    let names = ["round_tables".to_string(), "facilitated".to_string()];
    let arms = [&[][..], &["venues.round_tables.facilitation=0.32"][..]];
    let values: Vec<Vec<Vec<f64>>> = arms
        .iter()
        .map(|overrides| {
            let s = check.scenario("round_tables", overrides).unwrap();
            let runs =
                check.replicate(&s, 100, Recording { every: u32::MAX, ..Recording::default() }).unwrap();
            vec![runs.iter().map(|o| o.metrics.get("innovations").unwrap()).collect()]
        })
        .collect();
    let rows = compare(&names, &["innovations"], &["innovations"], &values);
    let row = rows.iter().find(|r| r.strategy == "facilitated").unwrap();
    let paired = (row.difference_ci_high.unwrap() - row.difference_ci_low.unwrap()) / 2.0;
    let unpaired = row.unpaired_half_width.unwrap();
    println!(
        "innovations: paired half-width {paired:.2}, unpaired {unpaired:.2}, ratio {:.2}",
        paired / unpaired
    );
    assert!(
        paired <= 0.71 * unpaired,
        "pairing gains too little: {paired:.2} against {unpaired:.2} unpaired"
    );
}
