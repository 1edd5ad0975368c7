//! Checksums of the tables of a results folder, recorded in `manifest.json` when a command
//! finishes, so that `merge` and `--resume` notice a table changed after olika wrote it (a value or a
//! seed edited by hand, a file cut short by a full disk). FNV-1a, 64 bits: a check against accidents,
//! not against forgery.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use super::{Manifest, Table};
use crate::error::{Error, Location, Result};

/// The FNV-1a hash of a file's bytes, as 16 hex digits.
pub(crate) fn of_file(path: &Path) -> Result<String> {
    let mut file = super::read::open_regular(path, u64::MAX)?;
    let mut hash = crate::model::hash::Fnv::default();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        hash.bytes(&buffer[..read]);
    }
    Ok(format!("{:016x}", hash.value()))
}

/// The checksums of these tables of `dir`, and of its replay when it has one, by file name.
pub(crate) fn of_tables(dir: &Path, tables: &[Table]) -> Result<BTreeMap<String, String>> {
    let replay = dir.join(super::replay::FILE).is_file().then_some(super::replay::FILE);
    let files = tables.iter().map(|t| t.file()).chain(replay);
    files.map(|file| Ok((file.to_string(), of_file(&dir.join(file))?))).collect()
}

/// Adds the checksums of `files` of `dir` (tables written after the command's own, such as
/// `compare.csv` and `sensitivity.csv`) to its manifest.
pub(crate) fn record(dir: &Path, files: &[&str]) -> Result<()> {
    let mut manifest = Manifest::read(dir)?;
    for file in files {
        manifest.checksums.insert(file.to_string(), of_file(&dir.join(file))?);
    }
    manifest.write(dir)
}

/// Checks every file the manifest of `dir` has a checksum for, but the `optional` ones that are
/// absent (a table a command can make again); a difference is an input error naming the file.
pub(crate) fn verify(dir: &Path, manifest: &Manifest, optional: &[&str]) -> Result<()> {
    for (file, expected) in &manifest.checksums {
        let path = dir.join(file);
        if optional.contains(&file.as_str()) && !path.exists() {
            continue;
        }
        let found = if path.exists() { of_file(&path)? } else { "no file".into() };
        if &found != expected {
            return Err(Error::input(
                Location::file(path.display().to_string()),
                None,
                format!(
                    "the file changed after olika wrote it (checksum {found}, manifest.json says {expected}): it was edited or damaged; run this folder's command again (with --force)"
                ),
            ));
        }
    }
    Ok(())
}
