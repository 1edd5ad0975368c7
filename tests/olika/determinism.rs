//! Same scenario and seed → byte-identical output, whatever the thread count.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

fn run(dir: &Path, out: &str, threads: &str) {
    Command::cargo_bin("olika")
        .unwrap()
        .current_dir(dir)
        .args(["run", "-q", "--innovations", "--threads", threads, "-o", out])
        .args(["--replications", "6", "--set", "steps=48"])
        .assert()
        .success();
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let tmp = TempDir::new().unwrap();
    run(tmp.path(), "one", "1");
    run(tmp.path(), "two", "2");
    for file in ["runs.csv", "series.csv", "summary.csv", "venues.csv", "innovations.csv"] {
        let a = fs::read(tmp.path().join("one").join(file)).unwrap();
        let b = fs::read(tmp.path().join("two").join(file)).unwrap();
        assert!(a.len() > 100, "{file} is too small to prove anything");
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    // The charts (drawn in parallel beside the report) and the checksums (taken as the tables were
    // written) are the same too.
    for file in ["time_innovations.png", "time_trust.svg", "venue_partnerships.png", "replay.json"] {
        let a = fs::read(tmp.path().join("one").join(file)).unwrap();
        assert!(
            a == fs::read(tmp.path().join("two").join(file)).unwrap(),
            "{file} differs between 1 and 2 threads"
        );
    }
    let sums = |dir: &str| {
        let text = fs::read_to_string(tmp.path().join(dir).join("manifest.json")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
        (manifest["checksums"].clone(), manifest["sha256"].clone())
    };
    assert_eq!(sums("one"), sums("two"));
    assert!(sums("one").0.as_object().is_some_and(|c| c.len() >= 6), "{:?}", sums("one"));
    // A different seed gives different results: the files are not constant.
    Command::cargo_bin("olika")
        .unwrap()
        .current_dir(tmp.path())
        .args(["run", "-q", "-o", "other", "--replications", "6", "--set", "steps=48", "--seed", "99"])
        .assert()
        .success();
    let a = fs::read(tmp.path().join("one/runs.csv")).unwrap();
    let c = fs::read(tmp.path().join("other/runs.csv")).unwrap();
    assert_ne!(a, c);
}
