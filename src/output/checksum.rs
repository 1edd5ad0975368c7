//! Checksums of the tables of a results folder, recorded in `manifest.json` when a command
//! finishes, so that `merge` and `--resume` notice a table changed after olika wrote it (a value or a
//! seed edited by hand, a file cut short by a full disk). Two of each file, computed in one pass:
//! FNV-1a, 64 bits (`checksums`), and SHA-256 (`sha256`), which readers in other languages compute
//! with what they have at hand (R's `digest` or `openssl`, Python's `hashlib`). Both are checks
//! against accidents, not against forgery: whoever can edit a table can edit the manifest.

use std::io::{Read, Write};
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

/// The two checksums of bytes fed piece by piece: the same as of the pieces joined.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summing {
    fnv: crate::model::hash::Fnv,
    sha: sha2::Sha256,
}

impl Summing {
    /// Takes the next bytes in.
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.fnv.bytes(bytes);
        self.sha.update(bytes);
    }

    /// The checksums of every byte taken in.
    pub(crate) fn sums(self) -> Sums {
        let sha256 = self.sha.finalize().iter().map(|b| format!("{b:02x}")).collect();
        Sums { fnv: format!("{:016x}", self.fnv.value()), sha256 }
    }
}

/// The checksums of `bytes`.
pub(crate) fn of_bytes(bytes: &[u8]) -> Sums {
    let mut summing = Summing::default();
    summing.update(bytes);
    summing.sums()
}

/// The checksums of a file's bytes.
pub(crate) fn of_file(path: &Path) -> Result<Sums> {
    let mut file = super::read::open_regular(path, u64::MAX)?;
    let mut summing = Summing::default();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let read = file.read(&mut buffer).map_err(|e| Error::io(path, e))?;
        if read == 0 {
            break;
        }
        summing.update(&buffer[..read]);
    }
    Ok(summing.sums())
}

/// The checksums of the files a command wrote whole in one go, by name in the folder, taken as
/// their bytes were written (`Summed`), so that sealing the folder need not read them back.
pub(crate) type Written = std::collections::BTreeMap<String, Sums>;

/// A file being written whose checksums are taken as its bytes go out: what [`of_file`] would
/// give of the file once written, without reading it back. Written through a shared reference
/// too (`&Summed`), as a CSV writer's inner file is reached.
#[derive(Debug)]
pub(crate) struct Summed<W> {
    inner: std::cell::RefCell<(W, Summing)>,
}

impl<W: Write> Summed<W> {
    /// `inner`, empty so far.
    pub(crate) fn new(inner: W) -> Summed<W> {
        Summed { inner: std::cell::RefCell::new((inner, Summing::default())) }
    }

    /// The checksums of every byte written.
    pub(crate) fn sums(&self) -> Sums {
        self.inner.borrow().1.clone().sums()
    }
}

impl<W: Write> Write for &Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let (inner, summing) = &mut *self.inner.borrow_mut();
        // Only what was written counts: a short write leaves the rest for the next call.
        let written = inner.write(bytes)?;
        summing.update(&bytes[..written]);
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.borrow_mut().0.flush()
    }
}

impl<W: Write> Write for Summed<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        (&*self).write(bytes)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        (&*self).flush()
    }
}

/// Sets the checksums of `manifest` to those of these tables of `dir`, and of its replay when it
/// has one, and of the other `files` (such as `findings.md`).
pub(crate) fn seal(dir: &Path, manifest: &mut Manifest, tables: &[Table], files: &[&str]) -> Result<()> {
    seal_written(dir, manifest, tables, files, &Written::new())
}

/// [`seal`], taking the checksums of the files in `written` as they are (taken as the files were
/// written) and reading only the others back.
pub(crate) fn seal_written(
    dir: &Path,
    manifest: &mut Manifest,
    tables: &[Table],
    files: &[&str],
    written: &Written,
) -> Result<()> {
    manifest.checksums.clear();
    manifest.sha256.clear();
    let replay = dir.join(super::replay::FILE).is_file().then_some(super::replay::FILE);
    let format = manifest.recording.tables;
    let names = tables.iter().flat_map(|t| t.files(format));
    let names = names.chain(replay.into_iter().chain(files.iter().copied()).map(String::from));
    for name in names.collect::<Vec<_>>() {
        match written.get(&name) {
            Some(sums) => insert(manifest, &name, sums.clone()),
            None => add(dir, manifest, &name)?,
        }
    }
    Ok(())
}

fn insert(manifest: &mut Manifest, name: &str, sums: Sums) {
    manifest.checksums.insert(name.to_string(), sums.fnv);
    manifest.sha256.insert(name.to_string(), sums.sha256);
}

fn add(dir: &Path, manifest: &mut Manifest, name: &str) -> Result<()> {
    insert(manifest, name, of_file(&dir.join(name))?);
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
    use std::io::Write;

    /// A file that takes at most three bytes a call, as a writer may.
    struct Trickle(Vec<u8>);

    impl Write for Trickle {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            let n = bytes.len().min(3);
            self.0.extend_from_slice(&bytes[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn checksums_taken_as_bytes_go_out_are_those_of_what_was_written() {
        let summed = super::Summed::new(Trickle(Vec::new()));
        (&summed).write_all(b"run_id,point\n0,0\n").unwrap();
        let mut owned = summed;
        owned.write_all(b"1,0\nand more than three bytes").unwrap();
        let sums = owned.sums();
        let written = owned.inner.into_inner().0 .0;
        assert_eq!(written, b"run_id,point\n0,0\n1,0\nand more than three bytes");
        assert_eq!(sums, super::of_bytes(&written));
        assert_ne!(sums, super::of_bytes(b""));
    }

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
