//! The model in its limits: Axelrod (1997), Bass (1969) and Nooteboom's optimal cognitive distance,
//! each a shipped scenario under scenarios/classics/ judged by `olika::validation` (as
//! `olika validate axelrod bass nooteboom` does at other seeds), each with a mutant that must fail.

use olika::experiment::default_threads;
use olika::validation::{classics, Check, Validation};

fn judge(classic: &Validation, mutant: &[&str]) -> (bool, bool) {
    let check = Check::shipped(default_threads());
    let right = (classic.judge)(&check).unwrap();
    println!("{}: {}", classic.name, right.measured);
    let wrong = (classic.judge)(&check.with(mutant)).unwrap();
    println!("{} with {mutant:?}: {}", classic.name, wrong.measured);
    (right.holds, wrong.holds)
}

/// With h = 0 neighbours interact whatever their similarity and culture no longer fragments.
#[test]
#[ignore = "second tier (.ci/run): a classic docked over replications"]
fn axelrod_reproduces_the_dissemination_of_culture() {
    let (right, wrong) = judge(&classics::AXELROD, &["homophily=0"]);
    assert!(right, "Axelrod's table is not reproduced");
    assert!(!wrong, "the check cannot tell a wrong update rule from the right one");
}

/// The judgement itself checks that its tolerance rejects q − 0.08; the mutant here changes the
/// model instead: adoption by the whole population's mixing replaced by ties (none in this
/// scenario), so imitation never happens.
#[test]
#[ignore = "second tier (.ci/run): a classic docked over replications"]
fn bass_follows_the_discrete_recursion() {
    let (right, wrong) = judge(&classics::BASS, &["diffusion.mixing=ties"]);
    assert!(right, "the mean adoption curve does not follow the recursion");
    assert!(!wrong, "the check passes a model without imitation");
}

/// With α = 0 novelty is worth nothing: the rate falls with distance from 0.
#[test]
#[ignore = "second tier (.ci/run): a classic docked over replications"]
fn nooteboom_innovation_rate_is_an_inverted_u_in_distance() {
    let (right, wrong) = judge(&classics::NOOTEBOOM, &["innovation.novelty_exponent=0"]);
    assert!(right, "the rate is not an inverted U in distance");
    assert!(!wrong, "the check passes a model without the value of novelty");
}

#[test]
fn classics_run_from_the_command_line() {
    let dir = tempfile::TempDir::new().unwrap();
    assert_cmd::Command::cargo_bin("olika")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", "axelrod", "-q", "-o", "ax", "--replications", "3", "--set", "traits=15"])
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

/// Each classic leads with what it answers (its `headline`), in the terminal and in the report's
/// opening sentences, and shows nothing that does not apply to it as a zero.
#[test]
fn classics_lead_with_their_answers() {
    let dir = tempfile::TempDir::new().unwrap();
    let run = |name: &str| {
        let out = assert_cmd::Command::cargo_bin("olika")
            .unwrap()
            .current_dir(dir.path())
            .args(["run", name, "-o", name, "--replications", "3"])
            .assert()
            .success();
        let said = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        let report = std::fs::read_to_string(dir.path().join(name).join("report.html")).unwrap();
        let opening = report.split("<h2").next().unwrap().to_string();
        (said, opening)
    };
    let (said, opening) = run("axelrod");
    assert!(said.contains("stable cultural regions") && said.contains("steps run"), "{said}");
    assert!(!said.contains("innovations"), "Axelrod has no innovations to show: {said}");
    assert!(opening.contains("stable cultural regions at the end (95 % CI"), "{opening}");
    assert!(opening.contains("run until nothing could change any more"));
    // summary.csv leads with them too.
    let summary = std::fs::read_to_string(dir.path().join("axelrod/summary.csv")).unwrap();
    let metrics: Vec<&str> = summary.lines().skip(1).take(2).map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(metrics, ["regions", "steps_run"]);
    let report = std::fs::read_to_string(dir.path().join("axelrod/report.html")).unwrap();
    assert!(report.contains("Left out, because they stay at zero in every run"));
    assert!(!report.contains("over 1000000 steps"));
    let (said, opening) = run("bass");
    assert!(said.lines().nth(2).unwrap().starts_with("month half had adopted"), "{said}");
    assert!(opening.contains("half of all organisations had adopted by month"), "{opening}");
    // The midpoint agrees with the Bass recursion F(t+1) = F(t) + (p + q F(t))(1 − F(t)) from one
    // adopter in 10 000 (p = 0.03, q = 0.38): half of all, the seed's holder aside, by step 8.
    let (mut f, mut half) = (1e-4, 0);
    while f < 0.5 + 1e-4 {
        f += (0.03 + 0.38 * f) * (1.0 - f);
        half += 1;
    }
    let summary = std::fs::read_to_string(dir.path().join("bass/summary.csv")).unwrap();
    let row = summary.lines().find(|l| l.split(',').nth(1) == Some("half_adoption_step")).unwrap();
    let mean: f64 = row.split(',').nth(3).unwrap().parse().unwrap();
    assert!((mean - f64::from(half)).abs() <= 1.0, "half adopted at {mean}, the recursion at {half}");
    let (said, _) = run("nooteboom");
    assert!(said.lines().nth(2).unwrap().starts_with("innovations per partnership-month"), "{said}");
    let (said, opening) = run("baseline");
    assert!(said.lines().nth(2).unwrap().starts_with("innovations "), "{said}");
    assert!(
        opening.contains("baseline, over the 120 months (10 years), the mean of 3 replications: about"),
        "{opening}"
    );
}
