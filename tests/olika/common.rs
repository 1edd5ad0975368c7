//! Helpers for the tests: run the binary, find the shipped scenarios folder.
//! (The statistical judgements live in the library, `olika::validation`.)

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The `olika` binary, run in `dir`.
pub fn olika(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("olika").unwrap();
    cmd.current_dir(dir);
    cmd
}

/// The shipped scenarios folder.
pub fn scenarios() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}
