//! A user's files are never lost, and a crash never breaks a later run: `--force` replaces only
//! results folders, one writer at a time per folder, and what a killed writer left is cleaned up.

use std::fs::{self, File};
use std::path::Path;

use tempfile::TempDir;

use crate::common::{olika, scenarios};

const QUICK: [&str; 5] = ["--replications", "2", "--set", "steps=4", "--no-plots"];

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Hidden leftovers beside results folders in `dir`.
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect()
}

#[test]
fn force_never_replaces_a_folder_olika_did_not_write() {
    let tmp = TempDir::new().unwrap();
    let project = tmp.path().join("proj");
    fs::create_dir_all(project.join("scen")).unwrap();
    fs::copy(scenarios().join("strategies/hub.toml"), project.join("scen/hub.toml")).unwrap();
    fs::copy(scenarios().join("sweeps/homophily_distance.toml"), project.join("scen/sweep.toml")).unwrap();
    fs::copy(scenarios().join("baseline.toml"), project.join("baseline.toml")).unwrap();
    fs::write(project.join("notes.txt"), "my notes").unwrap();
    for command in [&["run", "proj/scen/hub.toml"][..], &["sweep", "proj/scen/sweep.toml"][..]] {
        let out = olika(tmp.path())
            .args(command)
            .args(["-o", "proj", "--force", "-q"])
            .args(QUICK)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("did not write"), "{}", stderr(&out));
        assert_eq!(fs::read_to_string(project.join("notes.txt")).unwrap(), "my notes");
        assert!(project.join("scen/hub.toml").is_file());
    }
    // A results folder is replaced with --force, as before.
    olika(tmp.path()).args(["run", "-q", "-o", "out"]).args(QUICK).assert().success();
    olika(tmp.path()).args(["run", "-q", "-o", "out", "--force"]).args(QUICK).assert().success();
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

#[test]
fn a_second_writer_to_a_folder_fails_at_once() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path()).args(["run", "-q", "-o", "out"]).args(QUICK).assert().success();
    // Another olika holds the folder's lock (as a running sweep would).
    let lock = File::create(tmp.path().join(".out.lock")).unwrap();
    lock.try_lock().unwrap();
    let sweep = scenarios().join("sweeps/homophily_distance.toml");
    let sweep = sweep.to_str().unwrap();
    for command in [
        vec!["run", "-o", "out", "--force"],
        vec!["sweep", sweep, "-o", "out", "--force"],
        vec!["sweep", sweep, "--resume", "out"],
        vec!["compare", sweep, sweep, "-o", "out", "--force"],
    ] {
        let out = olika(tmp.path()).args(&command).args(QUICK).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{command:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("another olika is writing"), "{}", stderr(&out));
    }
    assert!(tmp.path().join("out/manifest.json").is_file(), "the first folder is untouched");
    drop(lock);
    olika(tmp.path()).args(["run", "-q", "-o", "out", "--force"]).args(QUICK).assert().success();
}

#[test]
fn what_a_killed_writer_left_is_cleaned_up_and_a_replaced_folder_restored() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path()).args(["run", "-q", "-o", "out"]).args(QUICK).assert().success();
    // A writer killed in the middle of a --force commit: the old folder moved aside, the new one
    // still partial, nothing at `out`.
    fs::rename(tmp.path().join("out"), tmp.path().join(".out.old")).unwrap();
    fs::create_dir(tmp.path().join(".out.partial-4000000")).unwrap();
    fs::write(tmp.path().join(".out.partial-4000000/runs.csv"), "run_id\n0\n").unwrap();
    // The next writer restores the old results, so they are protected again...
    let out = olika(tmp.path()).args(["run", "-q", "-o", "out"]).args(QUICK).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert!(tmp.path().join("out/manifest.json").is_file(), "the old folder is back");
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
    // ...and --force replaces them as usual.
    fs::create_dir(tmp.path().join(".out.old")).unwrap();
    olika(tmp.path()).args(["run", "-q", "-o", "out", "--force"]).args(QUICK).assert().success();
    assert!(leftovers(tmp.path()).is_empty(), "{:?}", leftovers(tmp.path()));
}

#[test]
fn a_long_scenario_name_makes_a_default_folder() {
    let tmp = TempDir::new().unwrap();
    let name = format!("name={}", "a".repeat(300));
    olika(tmp.path()).args(["run", "-q", "--set", &name]).args(QUICK).assert().success();
    let folders: Vec<_> = fs::read_dir(tmp.path().join("results")).unwrap().collect();
    assert_eq!(folders.len(), 1);
}
