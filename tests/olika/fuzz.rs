//! A bounded mutation fuzzer over the shipped scenarios: thousands of seeded mutations (extreme
//! numbers, wrong words, control characters, lines dropped, doubled or cut, unknown keys), each
//! loaded as a user's file would be. Every one must load or be refused as bad input (exit code 2) —
//! never panic — and those that load must run and be recorded (the memory estimate decides which
//! are small enough to try here). Some go through the binary, which must exit 0 or 2 and leave no
//! folder after 2. Set OLIKA_FUZZ_CASES to run more.

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use olika::experiment::{budget, Plan};
use olika::observe::{simulate, Recording};
use olika::scenario;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tempfile::TempDir;

use crate::common::{olika, scenarios};

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "0.5",
    "1e308",
    "-1e308",
    "1e-300",
    "nan",
    "inf",
    "-inf",
    "4294967296",
    "9223372036854775807",
    "-9223372036854775808",
    "1000000000",
    "100000",
    "3.5",
];
const WORDS: &[&str] = &[
    "\"\"",
    "\"workshop\"",
    "\"neighbourhood\"",
    "\"axelrod\"",
    "\"full\"",
    "\"balanced\"",
    "\"civil\"",
    "\"grid\"",
    "\"lhs\"",
    "\"=SUM(A1)\"",
    "\"a\\u0001b\"",
    "true",
    "[]",
    "{ only = [\"civil\"] }",
    "{}",
    "{ min = 0, max = 1, steps = 3 }",
    "\"../baseline.toml\"",
    "\"points.csv\"",
];

/// Every shipped scenario file, relative to `scenarios/`.
fn shipped() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["", "strategies", "classics", "sweeps"] {
        for entry in fs::read_dir(scenarios().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                files.push(path.strip_prefix(scenarios()).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// One mutation of a scenario's text.
fn mutate(text: &str, rng: &mut ChaCha8Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let k = rng.random_range(0..lines.len());
    match rng.random_range(0..8) {
        // A top-level parameter set to an extreme number, before the first table.
        7 => {
            let top: Vec<&str> =
                scenario::params::all().iter().map(|p| p.path).filter(|p| !p.contains('.')).collect();
            lines.insert(0, format!("{} = {}", top.choose(rng).unwrap(), NUMBERS.choose(rng).unwrap()));
        }
        // A value replaced by an extreme number or another word.
        0 | 1 => {
            if let Some((key, _)) = lines[k].split_once('=') {
                let pool = if rng.random_bool(0.6) { NUMBERS } else { WORDS };
                lines[k] = format!("{key}= {}", pool.choose(rng).unwrap());
            }
        }
        2 => {
            lines.remove(k);
        }
        3 => {
            let line = lines[k].clone();
            lines.insert(k, line);
        }
        // An unknown or misplaced key.
        4 => lines.insert(
            k,
            format!(
                "{} = {}",
                ["mingle", "width", "x", "count", "every", "sd"].choose(rng).unwrap(),
                NUMBERS.choose(rng).unwrap()
            ),
        ),
        // A control character or an odd table header.
        5 => lines.insert(
            k,
            ["[venues.\"v\\u0002\"]", "[populations.p]", "[sweep]", "[sweep.parameters]", "\u{7}"]
                .choose(rng)
                .unwrap()
                .to_string(),
        ),
        // The file cut short.
        _ => {
            let all = lines.join("\n");
            let mut cut = rng.random_range(0..=all.len());
            while !all.is_char_boundary(cut) {
                cut -= 1;
            }
            return all[..cut].to_string();
        }
    }
    lines.join("\n") + "\n"
}

/// Loads a mutated file; a loaded one is planned, and built and stepped when small.
fn exercise(path: &Path) {
    let resolved = match scenario::load(path, &[]) {
        Ok(r) => r,
        Err(e) => {
            assert_eq!(e.exit_code(), 2, "{}: a file is bad input, not a failure: {e}", path.display());
            return;
        }
    };
    if resolved.sweep.is_some() {
        if let Err(e) = Plan::sweep(&resolved) {
            assert_eq!(e.exit_code(), 2, "{e}");
        }
        return;
    }
    let mut s = resolved.scenario.into_inner();
    s.steps = s.steps.min(3);
    let s = s.validate().expect("fewer steps keep a valid scenario valid");
    if budget::run_bytes(&s, Recording::default()) < 8 << 20
        && s.populations.values().map(|p| p.count).sum::<usize>() < 5_000
    {
        simulate(
            &s,
            7,
            Recording { network: true, innovations: true, partnerships: true, ..Recording::default() },
        );
    }
}

#[test]
#[ignore = "second tier (.ci/run): a fuzzer of scenario files"]
fn mutated_scenarios_load_or_are_refused_and_never_panic() {
    let cases: usize = std::env::var("OLIKA_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(3000);
    let tmp = TempDir::new().unwrap();
    let tree = tmp.path().join("scenarios");
    for dir in ["strategies", "classics", "sweeps"] {
        fs::create_dir_all(tree.join(dir)).unwrap();
    }
    let files = shipped();
    for file in &files {
        fs::copy(scenarios().join(file), tree.join(file)).unwrap();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(20261129);
    let mut loaded = 0;
    for case in 0..cases {
        let file = files.choose(&mut rng).unwrap();
        let mut text = fs::read_to_string(scenarios().join(file)).unwrap();
        for _ in 0..rng.random_range(1..4) {
            text = mutate(&text, &mut rng);
        }
        // Beside the original, so that `extends` still finds the scenario it names.
        let path = tree.join(file).with_file_name(format!("fuzz-{case}.toml"));
        fs::write(&path, &text).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&path)));
        assert!(outcome.is_ok(), "case {case} from {} panicked; the file:\n{text}", file.display());
        loaded += usize::from(scenario::load(&path, &[]).is_ok());
        fs::remove_file(&path).unwrap();
    }
    // The mutations must leave some files valid, or the worlds above were never built.
    assert!(loaded > cases / 20 && loaded < cases, "{loaded} of {cases} mutated files loaded");
}

#[test]
#[ignore = "second tier (.ci/run): a fuzzer of scenario files"]
fn mutated_scenarios_through_the_binary_exit_0_or_2_and_leave_nothing_after_2() {
    let tmp = TempDir::new().unwrap();
    let files = shipped();
    let mut rng = ChaCha8Rng::seed_from_u64(1129);
    fs::create_dir_all(tmp.path().join("strategies")).unwrap();
    fs::copy(scenarios().join("baseline.toml"), tmp.path().join("baseline.toml")).unwrap();
    for case in 0..30 {
        let file = files.choose(&mut rng).unwrap();
        let text = mutate(&fs::read_to_string(scenarios().join(file)).unwrap(), &mut rng);
        let path = tmp.path().join("strategies").join(format!("case-{case}.toml"));
        fs::write(&path, &text).unwrap();
        let out = olika(tmp.path())
            .args(["run", path.to_str().unwrap(), "-q", "-o", "out", "--no-plots", "--replications", "1"])
            .args(["--set", "steps=2", "--max-memory", "256M"])
            .output()
            .unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(2)),
            "case {case}: exit {code:?}: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(tmp.path().join("out").exists(), code == Some(0), "case {case}");
        let _ = fs::remove_dir_all(tmp.path().join("out"));
    }
}
