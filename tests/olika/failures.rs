//! Failure isolation: a run that panics is recorded as failed, with its message, and the others go on.

use std::fs;

use olika::commands::{run::run, RunOptions};
use olika::observe::Recording;
use olika::scenario;

#[test]
fn panicking_runs_are_recorded_with_their_message() {
    let tmp = tempfile::TempDir::new().unwrap();
    let mut resolved = scenario::baseline(&["replications=4".into(), "steps=12".into()]).unwrap();
    // A scenario built in code can break what validation would refuse: one trait value per feature
    // leaves no other value for a sector prototype to take, and building the world panics.
    resolved.scenario.traits = 1;
    let options = RunOptions {
        threads: 2,
        output: Some(tmp.path().join("out")),
        force: false,
        recording: Recording::default(),
        command_line: vec!["test".into()],
        progress: false,
        charts: None,
        max_memory: olika::commands::default_memory_budget(),
    };
    let report = run(&resolved, &options).unwrap();
    assert_eq!((report.failed, report.completed), (4, 0));
    let runs = fs::read_to_string(tmp.path().join("out/runs.csv")).unwrap();
    assert_eq!(runs.lines().filter(|l| l.contains(",failed,")).count(), 4, "{runs}");
    assert!(runs.contains("range"), "the panic's message is kept: {runs}");
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("out/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["failed_runs"], 4);

    // With a healthy scenario nothing fails.
    let healthy = scenario::baseline(&["replications=2".into(), "steps=6".into()]).unwrap();
    let report = run(&healthy, &RunOptions { output: Some(tmp.path().join("ok")), ..options }).unwrap();
    assert_eq!((report.failed, report.completed), (0, 2));
}
