//! Sweeps and comparisons as a user runs them: byte-identical across thread counts, shards merged
//! back, runs killed and resumed, bad sweep sections refused, strategies compared on common random
//! numbers.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::common::{olika, scenarios};
use tempfile::TempDir;

const TABLES: [&str; 5] = ["runs.csv", "series.csv", "summary.csv", "venues.csv", "innovations.csv"];

/// A small sweep over the baseline: 12 points × 4 replications, 36 steps.
fn small_sweep(dir: &Path) -> PathBuf {
    let path = dir.join("small.toml");
    let base = scenarios().join("baseline.toml");
    fs::write(
        &path,
        format!(
            "extends = \"{}\"\nname = \"small\"\nsteps = 36\n[sweep]\nreplications = 4\n[sweep.parameters]\nhomophily = [0.5, 1.0, 2.0]\n\"venues.round_tables.every\" = {{ min = 1, max = 12, steps = 4 }}\n",
            base.display()
        ),
    )
    .unwrap();
    path
}

fn same_tables(a: &Path, b: &Path, tables: &[&str]) {
    for t in tables {
        let (x, y) = (fs::read(a.join(t)).unwrap(), fs::read(b.join(t)).unwrap());
        assert!(x.len() > 100, "{t} is too small to prove anything");
        assert!(x == y, "{t} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn sweeps_are_identical_for_any_thread_count_and_keep_integers() {
    let tmp = TempDir::new().unwrap();
    let file = small_sweep(tmp.path());
    for threads in ["1", "2", "3"] {
        olika(tmp.path())
            .args([
                "sweep",
                file.to_str().unwrap(),
                "-q",
                "--innovations",
                "--threads",
                threads,
                "-o",
                &format!("t{threads}"),
            ])
            .assert()
            .success();
    }
    same_tables(&tmp.path().join("t1"), &tmp.path().join("t2"), &TABLES);
    same_tables(&tmp.path().join("t1"), &tmp.path().join("t3"), &TABLES);
    let runs = fs::read_to_string(tmp.path().join("t1/runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 1 + 12 * 4);
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    assert_eq!(
        &header[..6],
        ["run_id", "point", "replication", "seed", "homophily", "venues.round_tables.every"]
    );
    let every: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(5).unwrap()).collect();
    assert_eq!(
        every[..16].iter().step_by(4).copied().collect::<Vec<_>>(),
        ["1", "5", "8", "12"],
        "integer parameters stay integers"
    );
    let summary = fs::read_to_string(tmp.path().join("t1/summary.csv")).unwrap();
    assert!(summary.starts_with("point,homophily,venues.round_tables.every,metric,n,mean"));
    // Common random numbers: replication r has the same seed at every point.
    let seeds: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(3).unwrap()).collect();
    assert_eq!(seeds[0..4], seeds[4..8]);
}

#[test]
fn shards_merge_into_the_unsharded_sweep() {
    let tmp = TempDir::new().unwrap();
    let file = small_sweep(tmp.path());
    let f = file.to_str().unwrap();
    olika(tmp.path()).args(["sweep", f, "-q", "--innovations", "-o", "whole"]).assert().success();
    for i in 0..3 {
        olika(tmp.path())
            .args(["sweep", f, "-q", "--innovations", "--shard", &format!("{i}/3"), "-o", &format!("s{i}")])
            .assert()
            .success();
    }
    // Shard from Slurm's array variables, counted from the array's first id.
    olika(tmp.path())
        .args(["sweep", f, "-q", "--innovations", "-o", "slurm1"])
        .env("SLURM_ARRAY_TASK_ID", "2")
        .env("SLURM_ARRAY_TASK_MIN", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .assert()
        .success();
    same_tables(&tmp.path().join("s1"), &tmp.path().join("slurm1"), &["runs.csv", "series.csv"]);
    // A missing shard is reported, with a non-zero exit and nothing written.
    let missing = olika(tmp.path()).args(["merge", "s0", "s2", "-o", "partial"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("16 of 48 runs are missing") && stderr.contains("shards [1] of 3"), "{stderr}");
    assert!(!tmp.path().join("partial").exists());
    olika(tmp.path()).args(["merge", "s2", "s0", "s1", "-q", "-o", "merged"]).assert().success();
    same_tables(&tmp.path().join("whole"), &tmp.path().join("merged"), &TABLES);
    // The replay of the plan's first run, made by shard 0, comes along (the report plays it).
    same_tables(&tmp.path().join("whole"), &tmp.path().join("merged"), &["replay.json"]);
    // Shards of another plan do not merge.
    olika(tmp.path())
        .args(["sweep", f, "-q", "--shard", "1/3", "--set", "steps=30", "-o", "other"])
        .assert()
        .success();
    let mixed = olika(tmp.path()).args(["merge", "s0", "other", "s2", "-o", "mixed"]).output().unwrap();
    assert_eq!(mixed.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&mixed.stderr).contains("plan"));
}

#[test]
fn a_killed_sweep_resumes_to_the_same_files() {
    let tmp = TempDir::new().unwrap();
    let file = small_sweep(tmp.path());
    let f = file.to_str().unwrap();
    let set = ["--set", "steps=120", "--set", "sweep.replications=6"];
    olika(tmp.path()).args(["sweep", f, "-q", "--innovations", "-o", "whole"]).args(set).assert().success();
    let binary = assert_cmd::cargo::cargo_bin("olika");
    // Kill with SIGKILL when runs.csv has reached a different row each time — a moment the sweep
    // itself signals, not a delay that a faster machine outruns — then resume until done. 72 runs
    // in all: each target leaves runs still to do, so the sweep cannot finish before the kill.
    let rows =
        |dir: &Path| fs::read(dir.join("runs.csv")).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
    let targets = [4usize, 13, 21, 30, 38, 47, 55, 63];
    let mut started = false;
    let mut kills = 0;
    for target in targets {
        let mut cmd = std::process::Command::new(&binary);
        cmd.current_dir(tmp.path()).args(["sweep", f, "-q", "--innovations", "--threads", "2"]).args(set);
        if started {
            cmd.args(["--resume", "resumed"]);
        } else {
            cmd.args(["-o", "resumed"]);
            started = true;
        }
        let mut child = cmd.stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        // The header is a row too: `target` runs are whole once there are target + 1 lines.
        while child.try_wait().unwrap().is_none() && rows(&tmp.path().join("resumed")) <= target {
            std::thread::sleep(Duration::from_micros(200));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            kills += 1;
        }
        child.wait().unwrap();
    }
    assert_eq!(kills, targets.len(), "the sweep must really be interrupted at every target");
    olika(tmp.path()).args(["sweep", f, "-q", "--resume", "resumed"]).args(set).assert().success();
    same_tables(&tmp.path().join("whole"), &tmp.path().join("resumed"), &TABLES);
    // Resuming with another plan is refused.
    let other = olika(tmp.path())
        .args(["sweep", f, "-q", "--resume", "resumed", "--set", "steps=12"])
        .output()
        .unwrap();
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("plan"));
}

#[test]
fn dry_run_counts_points_runs_and_size() {
    let tmp = TempDir::new().unwrap();
    let file = scenarios().join("sweeps/trust_innovation_lhs.toml");
    let out = olika(tmp.path()).args(["sweep", file.to_str().unwrap(), "--dry-run"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("points      60") && text.contains("runs        300") && text.contains("MB"),
        "{text}"
    );
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0, "a dry run writes nothing");
}

#[test]
fn bad_sweep_sections_are_input_errors() {
    let tmp = TempDir::new().unwrap();
    let base = scenarios().join("baseline.toml");
    let cases: [(&str, &str, &str); 9] = [
        (
            "dotted",
            "[sweep.parameters]\nvenues.village_hub.every = [1, 3]\n",
            "quote the dotted path: \"venues.village_hub.every\" = [1, 3]",
        ),
        ("morris", "[sweep]\ndesign = \"morris\"\ntrajectories = 4\n", "did you mean `samples`"),
        ("unknown", "[sweep.parameters]\n\"trust.gian\" = [0.1, 0.2]\n", "did you mean `gain`"),
        ("venue", "[sweep.parameters]\n\"venues.nowhere.every\" = [1, 2]\n", "no venue `nowhere`"),
        ("empty", "[sweep.parameters]\nhomophily = []\n", "empty"),
        ("reversed", "[sweep.parameters]\nhomophily = { min = 3, max = 1, steps = 3 }\n", "greater than max"),
        ("range", "[sweep.parameters]\nlearning = { min = 0, max = 2, steps = 3 }\n", "out of range"),
        ("steps", "[sweep.parameters]\nhomophily = { min = 0, max = 1 }\n", "needs `steps`"),
        ("table", "[sweep]\ndesign = \"table\"\ntable = \"points.csv\"\n", "every row needs a value"),
    ];
    fs::write(tmp.path().join("points.csv"), "homophily,sector_distance\n0.5,0.2\n1.0\n").unwrap();
    for (name, section, expect) in cases {
        let path = tmp.path().join(format!("{name}.toml"));
        fs::write(&path, format!("extends = \"{}\"\n{section}", base.display())).unwrap();
        let out = olika(tmp.path()).args(["sweep", path.to_str().unwrap(), "-o", "out"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(expect), "{name}: expected {expect:?} in {stderr}");
        assert!(
            stderr.contains(&format!("{name}.toml:")) || name == "table",
            "{name}: names the file: {stderr}"
        );
        assert!(!tmp.path().join("out").exists());
    }
    // A point that makes no valid scenario is refused before anything runs.
    let path = tmp.path().join("points_bad.toml");
    fs::write(
        &path,
        format!("extends = \"{}\"\n[sweep.parameters]\n\"trust.formal\" = [0.9, 0.3]\n", base.display()),
    )
    .unwrap();
    let out = olika(tmp.path()).args(["sweep", path.to_str().unwrap(), "-o", "out"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sweep point 1"));
}

#[test]
fn table_design_runs_the_rows_of_a_csv_file() {
    let tmp = TempDir::new().unwrap();
    fs::write(tmp.path().join("points.csv"), "homophily,\"venues.round_tables.every\"\n0.5,3\n2,6\n1,12\n")
        .unwrap();
    let path = tmp.path().join("table.toml");
    let base = scenarios().join("baseline.toml");
    fs::write(&path, format!("extends = \"{}\"\nsteps = 12\n[sweep]\ndesign = \"table\"\ntable = \"points.csv\"\nreplications = 2\n", base.display())).unwrap();
    olika(tmp.path()).args(["sweep", path.to_str().unwrap(), "-q", "-o", "out"]).assert().success();
    let runs = fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
    let points: Vec<String> =
        runs.lines().skip(1).map(|l| l.split(',').skip(4).take(2).collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(points, ["0.5 3", "0.5 3", "2 6", "2 6", "1 12", "1 12"]);
}

#[test]
fn compare_pairs_strategies_on_common_random_numbers() {
    let tmp = TempDir::new().unwrap();
    // Two strategies that differ only in a venue: the baseline, and the baseline without its
    // matchmaking day.
    let a = scenarios().join("baseline.toml");
    let b = tmp.path().join("no_matchmaking.toml");
    fs::write(
        &b,
        format!(
            "extends = \"{}\"\nname = \"no_matchmaking\"\n[venues.matchmaking_day]\nenabled = false\n",
            a.display()
        ),
    )
    .unwrap();
    let out = olika(tmp.path())
        .args(["compare", a.to_str().unwrap(), b.to_str().unwrap(), "-o", "cmp", "--replications", "40"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("baseline") && stdout.contains("no_matchmaking") && stdout.contains("diff"),
        "{stdout}"
    );
    let dir = tmp.path().join("cmp");
    let runs = fs::read_to_string(dir.join("runs.csv")).unwrap();
    // Both strategies run the same seeds.
    let seeds: Vec<&str> = runs.lines().skip(1).map(|l| l.split(',').nth(3).unwrap()).collect();
    assert_eq!(seeds[..40], seeds[40..]);
    let mut reader = csv::Reader::from_path(dir.join("compare.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let find =
        |strategy: &str, metric: &str| rows.iter().find(|r| &r[0] == strategy && &r[1] == metric).unwrap();
    let num = |r: &csv::StringRecord, c: &str| r[col(c)].parse::<f64>().unwrap();
    let row = find("no_matchmaking", "innovations");
    let (lo, hi, p, unpaired) = (
        num(row, "difference_ci_low"),
        num(row, "difference_ci_high"),
        num(row, "p_value"),
        num(row, "unpaired_half_width"),
    );
    assert!((0.0..=1.0).contains(&p));
    assert!(
        (hi - lo) / 2.0 < unpaired,
        "pairing must narrow the interval: paired ±{} vs unpaired ±{unpaired}",
        (hi - lo) / 2.0
    );
    let first = find("baseline", "innovations");
    assert_eq!(&first[col("difference")], "", "no difference for the baseline strategy");
    // Every difference names its baseline.
    assert!(rows.iter().all(|r| &r[col("baseline")] == "baseline"));
    // A fixed cost differs by the same amount in every replication: no test statistic.
    let cost = find("no_matchmaking", "venue_cost");
    assert!(num(cost, "difference") < 0.0 && cost[col("p_value")].is_empty(), "{cost:?}");
    // Cost per innovation is the ratio of the means, not the mean of each run's ratio.
    let mean = |strategy: &str, metric: &str| num(find(strategy, metric), "mean");
    let ratio = find("baseline", "cost_per_innovation");
    let expected = mean("baseline", "venue_cost") / mean("baseline", "innovations");
    assert!((num(ratio, "mean") - expected).abs() < 1e-9 * expected, "{ratio:?} vs {expected}");
    assert!(num(ratio, "ci_low") < expected && expected < num(ratio, "ci_high"));
    assert!(find("baseline", "cost_per_social_value")[col("mean")].parse::<f64>().unwrap() > 0.0);
    // The incremental cost per extra innovation is the ratio of the mean paired differences.
    let icer = find("no_matchmaking", "incremental_cost_per_innovation");
    let expected = num(cost, "difference") / num(find("no_matchmaking", "innovations"), "difference");
    assert!((num(icer, "mean") - expected).abs() < 1e-9 * expected.abs(), "{icer:?} vs {expected}");
    // A share's interval stays inside [0, 1].
    for r in rows.iter().filter(|r| &r[1] == "cross_sector_share") {
        assert!(0.0 <= num(r, "ci_low") && num(r, "ci_high") <= 1.0, "{r:?}");
    }
    // Identical initial populations: the same seeds build the same organisations.
    let (sa, sb) =
        (olika::scenario::load(&a, &[]).unwrap().scenario, olika::scenario::load(&b, &[]).unwrap().scenario);
    let seed = olika::experiment::run_seed(sa.seed, 0);
    let (wa, wb) = (olika::model::World::new(&sa, seed), olika::model::World::new(&sb, seed));
    assert_eq!(wa.agents().need, wb.agents().need);
    assert_eq!(wa.agents().sector, wb.agents().sector);
}
