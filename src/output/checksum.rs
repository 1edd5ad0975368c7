//! Checksums of the tables of a results folder, recorded in `manifest.json` when a command
//! finishes, so that `merge` and `--resume` notice a table changed after olika wrote it (a value or a
//! seed edited by hand, a file cut short by a full disk). Two of each file, computed in one pass:
//! FNV-1a, 64 bits (`checksums`), and SHA-256 (`sha256`), which readers in other languages compute
//! with what they have at hand (R's `digest` or `openssl`, Python's `hashlib`). Both are checks
//! against accidents, not against forgery: whoever can edit a table can edit the manifest.

use std::io::Read;
use std::path::Path;

use sha2::Digest;

use super::{Manifest, Table};
use crate::error::{Error, Location, Result};

/// A file's two checksums, as hex digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sums {
    /// FNV-1a, 64 bits: 16 hex digits.
    pub fnv: String,
    /// SHA-256: 64 hex digits.
    pub sha256: String,
}

/// The checksums of a file's bytes.
pub(crate) fn of_file(path: &Path) -> Result<Sums> {
    let mut file = super::read::open_regular(path, u64::MAX)?;
    let mut fnv = crate::model::hash::Fnv::default();
    let mut sha = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        fnv.bytes(&buffer[..read]);
        sha.update(&buffer[..read]);
    }
    let sha256 = sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(Sums { fnv: format!("{:016x}", fnv.value()), sha256 })
}

/// Sets the checksums of `manifest` to those of these tables of `dir`, and of its replay when it
/// has one, and of the other `files` (such as `findings.md`).
pub(crate) fn seal(dir: &Path, manifest: &mut Manifest, tables: &[Table], files: &[&str]) -> Result<()> {
    manifest.checksums.clear();
    manifest.sha256.clear();
    let replay = dir.join(super::replay::FILE).is_file().then_some(super::replay::FILE);
    let format = manifest.recording.tables;
    let names = tables.iter().flat_map(|t| t.files(format));
    let names = names.chain(replay.into_iter().chain(files.iter().copied()).map(String::from));
    for name in names.collect::<Vec<_>>() {
        add(dir, manifest, &name)?;
    }
    Ok(())
}

fn add(dir: &Path, manifest: &mut Manifest, name: &str) -> Result<()> {
    let sums = of_file(&dir.join(name))?;
    manifest.checksums.insert(name.to_string(), sums.fnv);
    manifest.sha256.insert(name.to_string(), sums.sha256);
    Ok(())
}

/// Adds the checksums of `files` of `dir` (tables written after the command's own, such as
/// `compare.csv` and `sensitivity.csv`) to its manifest.
pub(crate) fn record(dir: &Path, files: &[&str]) -> Result<()> {
    let mut manifest = Manifest::read(dir)?;
    for file in files {
        add(dir, &mut manifest, file)?;
    }
    manifest.write(dir)
}

/// Checks every file the manifest of `dir` has a checksum for, but the `optional` ones that are
/// absent (a table a command can make again); a difference is an input error naming the file. The
/// SHA-256 of a file is checked where the manifest has one (folders of earlier versions have none),
/// and a SHA-256 of a file with no FNV checksum is an edited manifest.
pub(crate) fn verify(dir: &Path, manifest: &Manifest, optional: &[&str]) -> Result<()> {
    if let Some(extra) = manifest.sha256.keys().find(|f| !manifest.checksums.contains_key(*f)) {
        return Err(Error::input(
            Location::file(dir.join("manifest.json").display().to_string()),
            Some("sha256"),
            format!(
                "a SHA-256 of {extra}, which has no checksum: the manifest was edited; run the command again"
            ),
        ));
    }
    for (file, expected) in &manifest.checksums {
        let path = dir.join(file);
        if optional.contains(&file.as_str()) && !path.exists() {
            continue;
        }
        let sums = if path.exists() { Some(of_file(&path)?) } else { None };
        let changed = |kind: &str, found: &str, expected: &str| {
            Err(Error::input(
                Location::file(path.display().to_string()),
                None,
                format!(
                    "the file changed after olika wrote it ({kind} {found}, manifest.json says {expected}): it was edited or damaged; run this folder's command again (with --force)"
                ),
            ))
        };
        let Some(sums) = sums else {
            return changed("checksum", "no file", expected);
        };
        if &sums.fnv != expected {
            return changed("checksum", &sums.fnv, expected);
        }
        if let Some(sha) = manifest.sha256.get(file).filter(|sha| **sha != sums.sha256) {
            return changed("SHA-256", &sums.sha256, sha);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sha256_is_the_standard_one() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("abc.txt");
        std::fs::write(&path, "abc").unwrap();
        let sums = super::of_file(&path).unwrap();
        // FIPS 180-2, appendix B.1.
        assert_eq!(sums.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(sums.fnv, format!("{:016x}", crate::model::hash::fnv(b"abc")));
    }
}
