//! Checksums of the tables of a results folder, recorded in `manifest.json` when a command
//! finishes, so that `merge` and `--resume` notice a table changed after olika wrote it (a value or a
//! seed edited by hand, a file cut short by a full disk). FNV-1a, 64 bits: a check against accidents,
//! not against forgery.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::Path;

use super::{Manifest, Table};
use crate::error::{Error, Location, Result};

/// The FNV-1a hash of a file's bytes, as 16 hex digits.
pub fn of_file(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        for &byte in &buffer[..read] {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    Ok(format!("{hash:016x}"))
}

/// The checksums of these tables of `dir`, by file name.
pub fn of_tables(dir: &Path, tables: &[Table]) -> Result<BTreeMap<String, String>> {
    tables.iter().map(|t| Ok((t.file().to_string(), of_file(&t.path(dir))?))).collect()
}

/// Checks every table the manifest of `dir` has a checksum for; a difference is an input error
/// naming the folder and the file.
pub fn verify(dir: &Path, manifest: &Manifest) -> Result<()> {
    for (file, expected) in &manifest.checksums {
        let path = dir.join(file);
        let found = if path.exists() { of_file(&path)? } else { "no file".into() };
        if &found != expected {
            return Err(Error::input(
                Location::file(path.display().to_string()),
                None,
                format!(
                    "the table changed after olika wrote it (checksum {found}, manifest.json says {expected}): it was edited or damaged; run this folder's command again (with --force) rather than merge or resume it"
                ),
            ));
        }
    }
    Ok(())
}
