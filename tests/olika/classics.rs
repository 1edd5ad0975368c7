//! The model in its limits: Axelrod (1997), Bass (1969) and Nooteboom's optimal cognitive distance,
//! each a plain scenario under scenarios/classics/ run by the same code as `olika run`.

use crate::common::*;
use olika::experiment::stats::summarize;
use olika::observe::Recording;

const SIZES: [u32; 3] = [5, 10, 15];

/// Mean stable regions and the share of runs ending in one region, for F and q in {5, 10, 15}.
fn axelrod_table(extra: &[&str]) -> [[(f64, f64, f64); 3]; 3] {
    let mut table = [[(0.0, 0.0, 0.0); 3]; 3];
    for (i, f) in SIZES.iter().enumerate() {
        for (j, q) in SIZES.iter().enumerate() {
            let (fs, qs) = (format!("features={f}"), format!("traits={q}"));
            let mut overrides = vec![fs.as_str(), qs.as_str(), "replications=100"];
            overrides.extend(extra);
            let s = shipped("scenarios/classics/axelrod.toml", &overrides);
            let regions = metric(&replicate(&s, 100, Recording::default()), "regions");
            let s = summarize(&regions);
            let one = regions.iter().filter(|&&r| r == 1.0).count() as f64 / regions.len() as f64;
            table[i][j] = (s.mean.unwrap(), s.sd.unwrap() / (s.n as f64).sqrt(), one);
        }
    }
    table
}

/// Axelrod's qualitative results on a 10×10 lattice (his Table 1: F = 5 gives 1.0, 3.2 and 20.0
/// regions for q = 5, 10, 15; F = 10 and 15 give at most 1.4).
fn axelrod_holds(t: &[[(f64, f64, f64); 3]; 3]) -> Result<(), String> {
    let m = |f: usize, q: usize| t[f][q].0;
    // Regions rise steeply with q at F = 5.
    if !(m(0, 0) < 1.5 && m(0, 1) > 1.5 && m(0, 1) < 8.0 && m(0, 2) > 10.0 && m(0, 2) > 2.0 * m(0, 1)) {
        return Err(format!(
            "F = 5 row {:.2} {:.2} {:.2} does not rise steeply with q",
            m(0, 0),
            m(0, 1),
            m(0, 2)
        ));
    }
    // They fall with F at fixed q.
    for q in 1..3 {
        if !(m(0, q) > m(1, q) && m(1, q) >= m(2, q) - 0.2 && m(2, q) < 3.0) {
            return Err(format!(
                "q column {q}: {:.2} {:.2} {:.2} does not fall with F",
                m(0, q),
                m(1, q),
                m(2, q)
            ));
        }
    }
    // q = 5 almost always gives one region.
    for f in 0..3 {
        if t[f][0].2 < 0.9 {
            return Err(format!(
                "q = 5, F = {}: only {:.0} % of runs end in one region",
                SIZES[f],
                100.0 * t[f][0].2
            ));
        }
    }
    Ok(())
}

#[test]
fn axelrod_reproduces_the_dissemination_of_culture() {
    let table = axelrod_table(&[]);
    for (i, f) in SIZES.iter().enumerate() {
        let row: Vec<String> = table[i]
            .iter()
            .map(|(m, se, one)| format!("{m:.2} ± {se:.2} ({:.0} % one)", one * 100.0))
            .collect();
        println!("F = {f:2}: {}", row.join(" | "));
    }
    axelrod_holds(&table).unwrap();
    // A wrong rule must fail the same check: with h = 0 neighbours interact whatever their
    // similarity, and culture no longer fragments.
    let mutant = axelrod_table(&["homophily=0"]);
    assert!(axelrod_holds(&mutant).is_err(), "the check cannot tell a wrong update rule from the right one");
}

#[test]
fn bass_follows_the_discrete_recursion() {
    let s = shipped("scenarios/classics/bass.toml", &[]);
    let n = 10_000.0;
    let runs = replicate(&s, s.replications, Recording::default());
    let r = runs.len() as f64;
    let steps = runs[0].series.len();
    let recursion = |p: f64, q: f64| {
        let mut f = vec![1.0 / n];
        for t in 1..steps {
            let prev: f64 = f[t - 1];
            f.push(prev + (p + q * prev) * (1.0 - prev));
        }
        f
    };
    let (expected, wrong_q) = (recursion(0.03, 0.38), recursion(0.03, 0.30));
    let mut worst: f64 = 0.0;
    let mut wrong_q_fails = false;
    for t in 0..steps {
        let adopters: Vec<f64> = runs
            .iter()
            .map(|o| {
                assert_eq!(o.series[t].0 as usize, t);
                (1.0 + o.series[t].1.adoptions.unwrap()) / n
            })
            .collect();
        let s = summarize(&adopters);
        let mean = s.mean.unwrap();
        // The mean of R runs has standard error sd / √R. The recursion is the expectation of a step
        // given F(t); averaged over runs it is off by q · Var F(t), below 1e-3 at N = 10 000. So
        // every step must lie within 4 standard errors plus 1e-3.
        let tolerance = 4.0 * s.sd.unwrap_or(0.0) / r.sqrt() + 1e-3;
        let deviation = (mean - expected[t]).abs();
        worst = worst.max(deviation);
        assert!(
            deviation <= tolerance,
            "step {t}: mean {mean:.4}, recursion {:.4}, tolerance {tolerance:.4}",
            expected[t]
        );
        wrong_q_fails |= (mean - wrong_q[t]).abs() > tolerance;
    }
    println!("Bass: largest deviation of the mean adoption curve from the recursion: {worst:.5}");
    assert!(wrong_q_fails, "the tolerance is too loose to tell q = 0.30 from q = 0.38");
}

#[test]
fn nooteboom_innovation_rate_is_an_inverted_u_in_distance() {
    let distances = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0];
    let rates: Vec<Vec<f64>> = distances
        .iter()
        .map(|d| {
            let set = format!("sector_distance={d}");
            let s = shipped("scenarios/classics/nooteboom.toml", &[&set]);
            replicate(&s, s.replications, Recording::default())
                .iter()
                .map(|o| {
                    o.metrics.get("innovations").unwrap()
                        / o.metrics.get("partnership_steps").unwrap().max(1.0)
                })
                .collect()
        })
        .collect();
    let means: Vec<f64> = rates.iter().map(|r| mean(r)).collect();
    println!("Nooteboom: rate by sector_distance {distances:?}: {means:.4?}");
    let best = (0..means.len()).max_by(|&a, &b| means[a].total_cmp(&means[b])).unwrap();
    assert!(
        best > 0 && best < distances.len() - 1,
        "the peak must be inside (0, 1), found at {}",
        distances[best]
    );
    let low = welch_z(&rates[best], &rates[0]);
    let high = welch_z(&rates[best], &rates[distances.len() - 1]);
    assert!(low > 3.0 && high > 3.0, "both ends must be significantly lower: z = {low:.1}, {high:.1}");
}

#[test]
fn classics_run_from_the_command_line() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classics/axelrod.toml");
    assert_cmd::Command::cargo_bin("olika")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", file.to_str().unwrap(), "-q", "-o", "ax", "--replications", "3", "--set", "traits=15"])
        .assert()
        .success();
    let runs = std::fs::read_to_string(dir.path().join("ax/runs.csv")).unwrap();
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let (regions, steps) = (
        header.iter().position(|c| *c == "regions").unwrap(),
        header.iter().position(|c| *c == "steps_run").unwrap(),
    );
    for line in runs.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        assert!(cols[regions].parse::<u32>().unwrap() >= 1);
        assert!(cols[steps].parse::<u32>().unwrap() < 1_000_000, "stopped when stable");
    }
}
