//! `olika calibrate`: the search recovers Bass's p and q from adoption curves made at known values,
//! at two pairs of values the test was not tuned on; a calibration is the same bytes on one thread
//! or two; its folder is verified before a chart or report trusts it; bad input is refused with the
//! key at fault and no folder left behind.
//!
//! The search itself (ABC-SMC: a known posterior, simulation-based calibration over 400 data sets
//! and its mutant without importance weights) is tested in `experiment::abc`.

use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use crate::common::{olika, scenarios};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Columns of a CSV file by name: the header and the rows.
fn table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let body = fs::read_to_string(path).unwrap();
    let mut lines = body.lines();
    let head = lines.next().unwrap().split(',').map(str::to_string).collect();
    (head, lines.map(|l| l.split(',').map(str::to_string).collect()).collect())
}

/// The weighted 5 % and 95 % quantiles of a column of posterior.csv.
fn interval(dir: &Path, column: &str) -> (f64, f64) {
    let (head, rows) = table(&dir.join("posterior.csv"));
    let (k, w) =
        (head.iter().position(|h| h == column).unwrap(), head.iter().position(|h| h == "weight").unwrap());
    let mut values: Vec<(f64, f64)> =
        rows.iter().map(|r| (r[k].parse().unwrap(), r[w].parse().unwrap())).collect();
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let quantile = |q: f64| {
        let mut acc = 0.0;
        values
            .iter()
            .find(|(_, w)| {
                acc += w;
                acc >= q
            })
            .map_or(values[values.len() - 1].0, |v| v.0)
    };
    (quantile(0.05), quantile(0.95))
}

/// Bass's curve at p and q in a market of 2 000, as a user would observe it: the mean number of
/// adopters at each month over 10 runs (10 comparable markets), with its standard error as the
/// tolerance. Written as observed.csv in `dir`.
fn observe_bass(dir: &Path, p: f64, q: f64) -> PathBuf {
    let out = dir.join(format!("truth-{p}-{q}"));
    let bass = scenarios().join("classics/bass.toml");
    let status = olika(dir)
        .args([
            "run",
            bass.to_str().unwrap(),
            "--replications",
            "10",
            "--seed",
            "77",
            "-o",
            out.to_str().unwrap(),
            "--no-plots",
            "-q",
        ])
        .args([
            "--set",
            "populations.market.count=2000",
            "--set",
            &format!("diffusion.external={p}"),
            "--set",
            &format!("diffusion.imitation={q}"),
        ])
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", text(&status.stderr));
    let (head, rows) = table(&out.join("series.csv"));
    let (step, adoptions) =
        (head.iter().position(|h| h == "step").unwrap(), head.iter().position(|h| h == "adoptions").unwrap());
    let mut by_step: std::collections::BTreeMap<u32, Vec<f64>> = Default::default();
    for r in &rows {
        by_step.entry(r[step].parse().unwrap()).or_default().push(r[adoptions].parse().unwrap());
    }
    let mut csv = String::from("step,adoptions,sd\n");
    for (s, values) in by_step.iter().filter(|(s, _)| **s > 0 && **s <= 30 && **s % 2 == 0) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        csv.push_str(&format!("{s},{mean},{}\n", (sd / n.sqrt()).max(1.0)));
    }
    let file = dir.join("observed.csv");
    fs::write(&file, csv).unwrap();
    file
}

/// A calibration of Bass's p and q to observed.csv in `dir`.
fn bass_calibration(dir: &Path) -> PathBuf {
    let file = dir.join("bass_calibration.toml");
    let text = format!(
        r#"extends = {:?}
name = "bass_calibration"
steps = 30

[populations.market]
count = 2000

[calibrate]
first = 200
population = 100
generations = 5
quantile = 0.5
replications = 10

[calibrate.parameters]
"diffusion.external" = {{ min = 0.003, max = 0.3, log = true }}
"diffusion.imitation" = {{ min = 0.05, max = 0.9 }}

[calibrate.targets]
adoptions = {{ file = "observed.csv" }}
"#,
        scenarios().join("classics/bass.toml").display()
    );
    fs::write(&file, text).unwrap();
    file
}

#[test]
#[ignore = "second tier: two calibrations of Bass's p and q, about 30 s on two cores"]
fn bass_p_and_q_are_recovered_from_adoption_curves_made_at_known_values() {
    // Two truths, neither the classic's own (0.03, 0.38) that the priors were drawn around.
    let truths = [(0.02, 0.5), (0.06, 0.25)];
    let mut boxes = Vec::new();
    for (p, q) in truths {
        let tmp = TempDir::new().unwrap();
        observe_bass(tmp.path(), p, q);
        let file = bass_calibration(tmp.path());
        let out = tmp.path().join("cal");
        let run = olika(tmp.path())
            .args(["calibrate", file.to_str().unwrap(), "-o", "cal", "--no-plots", "-q"])
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", text(&run.stderr));
        let (p_low, p_high) = interval(&out, "diffusion.external");
        let (q_low, q_high) = interval(&out, "diffusion.imitation");
        println!(
            "truth p {p} q {q}: p in [{p_low:.4}, {p_high:.4}] ({:.0} % of the prior's log range), q in [{q_low:.3}, {q_high:.3}] ({:.0} % of its range)",
            100.0 * (p_high / p_low).ln() / (0.3f64 / 0.003).ln(),
            100.0 * (q_high - q_low) / 0.85
        );
        assert!((p_low..=p_high).contains(&p), "p = {p} outside its 90 % interval [{p_low}, {p_high}]");
        assert!((q_low..=q_high).contains(&q), "q = {q} outside its 90 % interval [{q_low}, {q_high}]");
        let findings = fs::read_to_string(out.join("findings.md")).unwrap();
        assert!(findings.contains("## The calibrated region") && findings.contains("`diffusion.imitation`"));
        boxes.push(((p_low, p_high), (q_low, q_high)));
    }
    // The data tell the truths apart: each posterior's 90 % box leaves out the other truth, so a
    // calibration that learned nothing (its box the prior's) fails.
    for (k, ((p_range, q_range), (p, q))) in boxes.iter().zip(truths.iter().rev()).enumerate() {
        let inside = (p_range.0..=p_range.1).contains(p) && (q_range.0..=q_range.1).contains(q);
        assert!(!inside, "calibration {k}'s posterior also covers the other truth ({p}, {q})");
    }
}

/// A small calibration of the baseline to one observed metric, cheap enough for the fast tier.
fn small(dir: &Path, extra: &str) -> PathBuf {
    let file = dir.join("small.toml");
    let text = format!(
        r#"extends = {:?}
name = "small"
steps = 24

[calibrate]
first = 16
population = 8
generations = 2
replications = 2
batch = 8
{extra}
[calibrate.parameters]
"trust.gain" = {{ min = 0.05, max = 0.4 }}
homophily = [0, 1, 2]

[calibrate.targets]
partnerships_begun = {{ value = 20, sd = 5 }}
"#,
        scenarios().join("baseline.toml").display()
    );
    fs::write(&file, text).unwrap();
    file
}

#[test]
fn a_calibration_is_the_same_bytes_on_one_thread_or_two_and_its_folder_is_verified() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "");
    for (dir, threads) in [("one", "1"), ("two", "2")] {
        let run = olika(tmp.path())
            .args(["calibrate", file.to_str().unwrap(), "-o", dir, "--threads", threads, "--no-plots", "-q"])
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", text(&run.stderr));
    }
    let (one, two) = (tmp.path().join("one"), tmp.path().join("two"));
    for file in ["particles.csv", "posterior.csv", "generations.csv", "findings.md"] {
        assert_eq!(fs::read(one.join(file)).unwrap(), fs::read(two.join(file)).unwrap(), "{file}");
    }
    let (head, rows) = table(&one.join("posterior.csv"));
    assert_eq!(rows.len(), 8);
    assert!(
        head.contains(&"distance_partnerships_begun".to_string()) && head.contains(&"homophily".to_string())
    );
    let weights: f64 = rows.iter().map(|r| r[2].parse::<f64>().unwrap()).sum();
    assert!((weights - 1.0).abs() < 1e-9, "the posterior's weights sum to {weights}");
    assert!(one.join("report.html").exists());
    // The charts are drawn from the folder, after it is verified: an edited posterior is refused.
    let plot = olika(tmp.path()).args(["plot", "one"]).output().unwrap();
    assert!(plot.status.success(), "{}", text(&plot.stderr));
    for chart in ["calibrated_region.png", "prior_box.png", "calibrated_pairs.png", "targets_met.png"] {
        assert!(one.join(chart).exists(), "{chart}");
    }
    let edited = fs::read_to_string(one.join("posterior.csv")).unwrap().replacen(",0.", ",1.", 1);
    fs::write(one.join("posterior.csv"), edited).unwrap();
    let plot = olika(tmp.path()).args(["plot", "one"]).output().unwrap();
    assert_eq!(plot.status.code(), Some(2));
    assert!(
        text(&plot.stderr).contains("posterior.csv") && text(&plot.stderr).contains("changed"),
        "{}",
        text(&plot.stderr)
    );
}

#[test]
fn bad_calibrations_are_refused_with_the_key_and_no_folder() {
    let tmp = TempDir::new().unwrap();
    let d = tmp.path();
    fs::write(d.join("wrong.csv"), "month,adopters\n1,3\n").unwrap();
    fs::write(d.join("late.csv"), "step,adoptions,sd\n200,3,1\n").unwrap();
    let p = "[calibrate.parameters]\nfollow_up = { min = 0.02, max = 0.4 }\n";
    let cases: Vec<(String, Vec<&str>)> = vec![
        (format!("[calibrate]\njudgements = [\"p9\"]\n{p}"), vec!["calibrate.judgements", "\"p9\" is not allowed", "p1"]),
        (format!("[calibrate.targets]\ninnovation = {{ value = 3, sd = 1 }}\n{p}"), vec!["calibrate.targets.innovation", "not a metric of runs.csv"]),
        ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nfollow_up = { min = 0.3, max = 0.3 }\n".into(), vec!["calibrate.parameters.follow_up", "empty"]),
        ("[calibrate]\njudgements = [\"p1\"]\n[calibrate.parameters]\nhomophily = [1]\n".into(), vec!["calibrate.parameters.homophily", "at least two"]),
        (format!("[calibrate]\nquantile = 1\njudgements = [\"p1\"]\n{p}"), vec!["calibrate.quantile", "never shrinks"]),
        (format!("[calibrate.targets]\nadoptions = {{ file = \"wrong.csv\", sd = 1 }}\n{p}"), vec!["calibrate.targets.adoptions", "`step` and `adoptions`"]),
        (format!("[calibrate.targets]\nadoptions = {{ file = \"late.csv\" }}\n{p}"), vec!["calibrate.targets.adoptions", "step 200"]),
        ("name = \"none\"\n".into(), vec!["no [calibrate] section"]),
    ];
    for (body, expect) in cases {
        let file = d.join("bad.toml");
        fs::write(&file, format!("extends = {:?}\n{body}", scenarios().join("baseline.toml").display()))
            .unwrap();
        let out = olika(d).args(["calibrate", "bad.toml", "-o", "out"]).output().unwrap();
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{body}\n{stderr}");
        for e in expect {
            assert!(stderr.contains(e), "expected {e:?} in: {stderr}");
        }
        assert!(!d.join("out").exists() && !d.join("results").exists(), "a folder was left for {body}");
    }
    // A schedule that cannot shrink: every set far from a target no parameter can reach, and a
    // generation allowed too few simulations to fill itself.
    let file = small(d, "quantile = 0.01\nmost_simulations = 16\n");
    let body = fs::read_to_string(&file).unwrap().replace("value = 20, sd = 5", "value = 100000, sd = 1");
    fs::write(&file, body).unwrap();
    let out = olika(d).args(["calibrate", file.to_str().unwrap(), "-o", "out"]).output().unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("calibrate.quantile") && stderr.contains("cannot shrink"), "{stderr}");
    assert!(!d.join("out").exists(), "no folder after a search that stopped");
}

#[test]
fn a_comparison_under_a_posterior_draws_each_city_from_it_and_says_how_likely_each_strategy_is_best() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "");
    let cal = olika(tmp.path())
        .args(["calibrate", file.to_str().unwrap(), "-o", "cal", "--no-plots", "-q"])
        .output()
        .unwrap();
    assert!(cal.status.success(), "{}", text(&cal.stderr));
    let compare = |out: &str, threads: &str| {
        olika(tmp.path())
            .args([
                "compare",
                "baseline",
                "hub",
                "--posterior",
                "cal",
                "--replications",
                "6",
                "--set",
                "steps=24",
            ])
            .args(["-o", out, "--threads", threads, "--no-plots"])
            .output()
            .unwrap()
    };
    let run = compare("cmp", "2");
    let stdout = text(&run.stdout);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        stdout.contains("Under the calibration's posterior") && stdout.contains("plausible cities"),
        "{stdout}"
    );
    let dir = tmp.path().join("cmp");
    let findings = fs::read_to_string(dir.join("findings.md")).unwrap();
    assert!(findings.contains("is best for innovations in") && findings.contains("beats"), "{findings}");
    assert_eq!(
        fs::read(dir.join("posterior.csv")).unwrap(),
        fs::read(tmp.path().join("cal/posterior.csv")).unwrap()
    );
    // Each replication is one plausible city for every strategy: the same bytes on one thread.
    assert!(compare("cmp1", "1").status.success());
    for file in ["runs.csv", "compare.csv", "findings.md"] {
        assert_eq!(
            fs::read(dir.join(file)).unwrap(),
            fs::read(tmp.path().join("cmp1").join(file)).unwrap(),
            "{file}"
        );
    }
    // The folder reads back alone, its plan rebuilt from the copy it holds.
    let plot = olika(tmp.path()).args(["plot", "cmp"]).output().unwrap();
    assert!(plot.status.success(), "{}", text(&plot.stderr));
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(report.contains("plausible cities"), "the report opens with the decision");
    // Draws differ from the scenario's own values: runs differ from a comparison without them.
    let plain = olika(tmp.path())
        .args([
            "compare",
            "baseline",
            "hub",
            "--replications",
            "6",
            "--set",
            "steps=24",
            "-o",
            "plain",
            "--no-plots",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(plain.status.success());
    assert_ne!(fs::read(dir.join("runs.csv")).unwrap(), fs::read(tmp.path().join("plain/runs.csv")).unwrap());
    // A folder that is not a calibration's is refused.
    let wrong = olika(tmp.path())
        .args(["compare", "baseline", "hub", "--posterior", "plain", "-o", "x"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(text(&wrong.stderr).contains("not of `olika calibrate`"), "{}", text(&wrong.stderr));
    assert!(!tmp.path().join("x").exists());
}
