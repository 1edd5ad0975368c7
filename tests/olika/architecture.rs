//! The layers of ARCHITECTURE.md, kept by the imports: each module of the library uses only the
//! modules below it, and the model uses no crate or part of std that reads or writes anything
//! (files, terminals, the environment, threads). A new import that breaks a layer fails here.

use std::fs;
use std::path::{Path, PathBuf};

/// Each layer and the layers it may use (besides `error`, which every layer above the model may
/// use). Bottom first.
const LAYERS: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("observe", &["model"]),
    ("scenario", &["model", "observe"]),
    ("experiment", &["model", "scenario", "observe"]),
    ("validation", &["model", "scenario", "observe", "experiment"]),
    ("output", &["model", "scenario", "observe", "experiment"]),
    ("plot", &["model", "scenario", "observe", "experiment", "output"]),
    ("report", &["model", "scenario", "observe", "experiment", "output", "plot"]),
    ("lab", &["model", "scenario", "observe", "experiment", "output", "plot"]),
    (
        "commands",
        &["model", "scenario", "observe", "experiment", "validation", "output", "plot", "report", "lab"],
    ),
];

/// What the model must not touch: IO crates and the parts of std that reach outside the process.
const NOT_IN_THE_MODEL: &[&str] = &[
    "toml",
    "csv",
    "plotters",
    "clap",
    "indicatif",
    "serde_json",
    "rayon",
    "std::fs",
    "std::io",
    "std::env",
    "std::net",
    "std::process",
    "std::thread",
    "File",
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The Rust files of a layer: `src/NAME.rs` or everything under `src/NAME/`.
fn files(layer: &str) -> Vec<PathBuf> {
    let single = src().join(format!("{layer}.rs"));
    if single.exists() {
        return vec![single];
    }
    let mut out = Vec::new();
    let mut stack = vec![src().join(layer)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without its unit tests (`#[cfg(test)]` items, to their closing brace) and
/// comments.
fn code(path: &Path) -> String {
    let mut text = fs::read_to_string(path).unwrap();
    while let Some(start) = text.find("#[cfg(test)]") {
        let open = text[start..].find('{').map_or(text.len(), |i| start + i);
        let mut depth = 0;
        let mut end = text.len();
        for (i, c) in text[open..].char_indices() {
            depth += match c {
                '{' => 1,
                '}' => -1,
                _ => 0,
            };
            if depth == 0 {
                end = open + i + 1;
                break;
            }
        }
        text.replace_range(start..end, "");
    }
    text.lines()
        .map(|line| match line.find("//") {
            // A `//` after an odd number of quotes is inside a string.
            Some(i) if line[..i].matches('"').count() % 2 == 0 => &line[..i],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules of the crate a piece of code names: `crate::X`.
fn crate_modules(code: &str) -> Vec<String> {
    code.match_indices("crate::")
        .map(|(i, m)| {
            code[i + m.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>()
        })
        .collect()
}

/// Does `code` name `word` as a path or identifier (not as part of a longer one)?
fn names(code: &str, word: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(word).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + word.len()..].chars().next();
        !before.is_some_and(|c| ident(c) || c == ':') && !after.is_some_and(ident)
    })
}

#[test]
fn every_module_of_the_library_has_a_layer() {
    for entry in fs::read_dir(src()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let known = LAYERS.iter().any(|(l, _)| *l == name)
            || ["lib", "main", "cli", "error"].contains(&name.as_str());
        assert!(known, "src/{name} is in no layer: add it to LAYERS here and to ARCHITECTURE.md");
    }
}

#[test]
fn layers_use_only_the_layers_below_them() {
    for (layer, allowed) in LAYERS {
        for path in files(layer) {
            for used in crate_modules(&code(&path)) {
                let ok = used == *layer
                    || allowed.contains(&used.as_str())
                    || (used == "error" && *layer != "model");
                assert!(
                    ok,
                    "{} uses crate::{used}, which the {layer} layer may not (ARCHITECTURE.md)",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_model_does_no_io() {
    for path in files("model") {
        let code = code(&path);
        for word in NOT_IN_THE_MODEL {
            assert!(
                !names(&code, word),
                "{} uses {word}: the model does no IO (ARCHITECTURE.md)",
                path.display()
            );
        }
    }
}

#[test]
fn the_checks_catch_what_they_look_for() {
    assert_eq!(
        crate_modules("use crate::output::tables;\nlet x = crate::plot::build(d);"),
        ["output", "plot"]
    );
    assert!(names("use std::fs;", "std::fs"));
    assert!(names("let t: toml::Table;", "toml"));
    assert!(!names("let tomlish = 1;", "toml"));
    assert!(!names("fn csv_like() {}", "csv"));
}

/// A venue kind meets the world through `Gathering` only: its draws, the attendees' traits,
/// encounters and the world's own rules for contracts and cultural events — never the world itself.
#[test]
fn venue_kinds_see_the_world_only_through_a_gathering() {
    let folder = src().join("model/venue");
    let mut kinds = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "mod.rs" || name == "gathering.rs" {
            continue;
        }
        kinds += 1;
        let code = code(&path);
        assert!(!names(&code, "World"), "{name} names World: use the Gathering (ARCHITECTURE.md)");
    }
    assert!(kinds >= 7, "found only {kinds} venue kinds in {}", folder.display());
}
