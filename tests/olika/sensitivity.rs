//! Global sensitivity analysis as a user runs it: morris and sobol sweeps write sensitivity.csv
//! with their indices; `olika analyze` recomputes it for any metric, equal on a merged sharded
//! sweep and on the whole one; designs have their documented sizes; bad requests are refused.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::{olika, scenarios};
use tempfile::TempDir;

/// A small sweep of design `design` over three parameters of the baseline (36 steps, 2
/// replications).
fn small(dir: &Path, design: &str, samples: u32) -> PathBuf {
    let path = dir.join(format!("{design}.toml"));
    let base = scenarios().join("baseline.toml");
    fs::write(
        &path,
        format!(
            "extends = \"{}\"\nname = \"{design}_small\"\nsteps = 36\n[sweep]\ndesign = \"{design}\"\nsamples = {samples}\nseed = 3\nreplications = 2\n[sweep.parameters]\nhomophily = {{ min = 0.0, max = 3.0 }}\n\"trust.gain\" = {{ min = 0.05, max = 0.4 }}\n\"venues.round_tables.every\" = {{ min = 1, max = 12 }}\n",
            base.display()
        ),
    )
    .unwrap();
    path
}

fn lines(path: &Path) -> Vec<String> {
    fs::read_to_string(path).unwrap().lines().map(String::from).collect()
}

#[test]
fn a_sobol_sweep_writes_its_indices_the_same_whatever_the_threads_or_shards() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "sobol", 8);
    let f = file.to_str().unwrap();
    for (out, threads) in [("one", "1"), ("two", "2")] {
        olika(tmp.path()).args(["sweep", f, "-q", "--threads", threads, "-o", out]).assert().success();
    }
    // 8 base points × (3 + 2) points each, 2 replications.
    assert_eq!(lines(&tmp.path().join("one/runs.csv")).len(), 1 + 8 * 5 * 2);
    let indices = lines(&tmp.path().join("one/sensitivity.csv"));
    assert_eq!(indices[0], "metric,parameter,index,estimate,low,high");
    for parameter in ["homophily", "trust.gain", "venues.round_tables.every"] {
        for index in ["S1", "ST"] {
            let prefix = format!("innovations,{parameter},{index},");
            assert!(indices.iter().any(|l| l.starts_with(&prefix)), "{prefix} in {indices:?}");
        }
    }
    assert!(indices.iter().any(|l| l.starts_with("innovations,(replications),noise_share,")));
    assert_eq!(indices, lines(&tmp.path().join("two/sensitivity.csv")));
    // A chart per headline metric, its caption naming the parameter that matters most.
    assert!(tmp.path().join("one/sensitivity_innovations.png").exists());
    let report = fs::read_to_string(tmp.path().join("one/report.html")).unwrap();
    assert!(
        report.contains("What drives innovations: Sobol") && report.contains("ranks first for innovations")
    );
    // Shards merged give the same indices, and `olika analyze` of the merged folder too.
    for i in 0..2 {
        olika(tmp.path())
            .args(["sweep", f, "-q", "--shard", &format!("{i}/2"), "-o", &format!("s{i}")])
            .assert()
            .success();
    }
    assert!(!tmp.path().join("s0/sensitivity.csv").exists(), "a shard alone has no indices");
    olika(tmp.path()).args(["merge", "s0", "s1", "-q", "-o", "merged"]).assert().success();
    assert_eq!(indices, lines(&tmp.path().join("merged/sensitivity.csv")));
    fs::remove_file(tmp.path().join("merged/sensitivity.csv")).unwrap();
    olika(tmp.path()).args(["analyze", "merged"]).assert().success();
    assert_eq!(indices, lines(&tmp.path().join("merged/sensitivity.csv")));
    // Any metric, on request, added to those the folder has: their rows and charts stay.
    olika(tmp.path()).args(["analyze", "one", "--metric", "partnerships_begun"]).assert().success();
    let asked = lines(&tmp.path().join("one/sensitivity.csv"));
    assert_eq!(asked[..indices.len()], indices[..], "the headline metrics' rows stay as they were");
    let added = &asked[indices.len()..];
    assert!(added.iter().all(|l| l.starts_with("partnerships_begun,")), "{asked:?}");
    assert_eq!(added.len(), 3 * 2 + 1);
    for metric in ["innovations", "partnerships_begun"] {
        assert!(tmp.path().join(format!("one/sensitivity_{metric}.png")).exists(), "{metric}");
    }
    // Asking again changes nothing.
    olika(tmp.path()).args(["analyze", "one", "--metric", "partnerships_begun"]).assert().success();
    assert_eq!(asked, lines(&tmp.path().join("one/sensitivity.csv")));
}

#[test]
fn a_morris_sweep_writes_elementary_effects() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "morris", 5);
    olika(tmp.path()).args(["sweep", file.to_str().unwrap(), "-q", "-o", "m"]).assert().success();
    // 5 trajectories × (3 + 1) points, 2 replications.
    assert_eq!(lines(&tmp.path().join("m/runs.csv")).len(), 1 + 5 * 4 * 2);
    let indices = lines(&tmp.path().join("m/sensitivity.csv"));
    for index in ["mu", "mu_star", "sigma"] {
        assert!(
            indices.iter().any(|l| l.starts_with(&format!("innovations,homophily,{index},"))),
            "{indices:?}"
        );
    }
    let report = fs::read_to_string(tmp.path().join("m/report.html")).unwrap();
    assert!(report.contains("Morris&apos;s elementary effects") && report.contains("moves innovations most"));
}

#[test]
fn an_lhs_sweep_writes_partial_rank_correlations() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "lhs", 12);
    olika(tmp.path()).args(["sweep", file.to_str().unwrap(), "-q", "-o", "l"]).assert().success();
    let indices = lines(&tmp.path().join("l/sensitivity.csv"));
    for index in ["PRCC", "SRC"] {
        assert!(
            indices.iter().any(|l| l.starts_with(&format!("innovations,trust.gain,{index},"))),
            "{indices:?}"
        );
    }
    assert!(indices.iter().any(|l| l.starts_with("innovations,(all),R2,")));
    let report = fs::read_to_string(tmp.path().join("l/report.html")).unwrap();
    assert!(report.contains("partial rank correlations"));
    assert!(report.contains("Innovations against each parameter"));
}

#[test]
fn an_lhs_sweep_draws_each_metric_against_each_parameter() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "lhs", 12);
    olika(tmp.path()).args(["sweep", file.to_str().unwrap(), "-q", "-o", "l"]).assert().success();
    let dir = tmp.path().join("l");
    // Each point's parameter values and mean innovations, as summary.csv has them.
    let summary = lines(&dir.join("summary.csv"));
    let head: Vec<&str> = summary[0].split(',').collect();
    let (metric, mean) =
        (head.iter().position(|c| *c == "metric").unwrap(), head.iter().position(|c| *c == "mean").unwrap());
    let points: Vec<Vec<f64>> = summary[1..]
        .iter()
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .filter(|f| f[metric] == "innovations")
        .map(|f| [1, 2, 3, mean].iter().map(|&i| f[i].parse().unwrap()).collect())
        .collect();
    assert_eq!(points.len(), 12);
    let prcc: Vec<String> = lines(&dir.join("sensitivity.csv"))
        .into_iter()
        .filter(|l| l.starts_with("innovations,") && l.contains(",PRCC,"))
        .collect();
    let charts = olika::plot::build(&dir).unwrap().charts;
    let chart =
        charts.iter().find(|c| c.file == "scatter_innovations").expect("a scatter chart of innovations");
    assert!(dir.join("scatter_innovations.png").exists());
    let olika::plot::Kind::Panels(olika::plot::chart::Panels { panels }) = &chart.kind else {
        panic!("{:?}", chart.kind)
    };
    assert_eq!(panels.len(), 3, "a panel per parameter");
    for (j, (panel, column)) in panels.iter().zip(&head[1..4]).enumerate() {
        let mut drawn = panel.points.clone();
        let mut expected: Vec<(f64, f64)> = points.iter().map(|p| (p[j], p[3])).collect();
        drawn.sort_by(|a, b| a.partial_cmp(b).unwrap());
        expected.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(drawn, expected, "panel {j}");
        // The panel's note is the parameter's PRCC from sensitivity.csv.
        let own = prcc.iter().find(|l| l.split(',').nth(1) == Some(column)).unwrap();
        let value: f64 = own.split(',').nth(3).unwrap().parse().unwrap();
        assert!(
            panel.note.starts_with("PRCC ") && (panel.note[5..].parse::<f64>().unwrap() - value).abs() < 0.01,
            "{} against {value}",
            panel.note
        );
    }
}

#[test]
fn analyze_refuses_what_has_no_indices() {
    let tmp = TempDir::new().unwrap();
    let grid = tmp.path().join("grid.toml");
    let base = scenarios().join("baseline.toml");
    fs::write(&grid, format!("extends = \"{}\"\nsteps = 12\n[sweep]\nreplications = 1\n[sweep.parameters]\nhomophily = [0.5, 1.0]\n", base.display())).unwrap();
    olika(tmp.path()).args(["sweep", grid.to_str().unwrap(), "-q", "-o", "l"]).assert().success();
    assert!(!tmp.path().join("l/sensitivity.csv").exists());
    let out = olika(tmp.path()).args(["analyze", "l"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("morris"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sobol = small(tmp.path(), "sobol", 2);
    olika(tmp.path()).args(["sweep", sobol.to_str().unwrap(), "-q", "-o", "s"]).assert().success();
    let out = olika(tmp.path()).args(["analyze", "s", "--metric", "inovations"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a metric"));
    // `steps` has no meaning for designs that draw from the range.
    fs::write(
        tmp.path().join("bad.toml"),
        fs::read_to_string(&sobol).unwrap().replace("max = 3.0 }", "max = 3.0, steps = 4 }"),
    )
    .unwrap();
    let out = olika(tmp.path()).args(["sweep", "bad.toml", "-q", "-o", "b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sobol design"));
}

#[test]
fn sweep_and_analyze_print_what_matters_not_only_a_path() {
    let tmp = TempDir::new().unwrap();
    let file = small(tmp.path(), "morris", 5);
    // A design with indices: each metric's parameters ranked, with their values.
    let out = olika(tmp.path()).args(["sweep", file.to_str().unwrap(), "-o", "m"]).output().unwrap();
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("parameters by mu_star, largest first"), "{said}");
    for parameter in ["homophily", "trust.gain", "venues.round_tables.every"] {
        assert!(said.contains(parameter), "{parameter} missing: {said}");
    }
    let out = olika(tmp.path()).args(["analyze", "m"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("parameters by mu_star"));
    // A grid: the points where the headline metric is highest and lowest, with their values.
    let grid = tmp.path().join("grid.toml");
    fs::write(
        &grid,
        format!(
            "extends = \"{}\"\nname = \"grid_small\"\nsteps = 24\n[sweep]\ndesign = \"grid\"\nreplications = 1\n[sweep.parameters]\nhomophily = [0.0, 3.0]\n",
            scenarios().join("baseline.toml").display()
        ),
    )
    .unwrap();
    let out = olika(tmp.path()).args(["sweep", grid.to_str().unwrap(), "-o", "g"]).output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{said}");
    assert!(said.contains(", mean by point:"), "{said}");
    assert!(said.contains("highest") && said.contains("lowest") && said.contains("homophily = "), "{said}");
}
