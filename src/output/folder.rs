//! The results folder: written under a temporary name beside its final place and renamed when
//! complete, so that a folder is complete or absent, and an existing one is never lost to a failed
//! run (with `--force` it is replaced only once the new one is complete).

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Refuses an output path that is not a folder, a non-empty folder without `force`, and — even
/// with `force` — a non-empty folder that olika did not write (one without the `manifest.json` of a
/// results folder): `--force` replaces results, never a user's own files. `hint` adds what else the
/// user may do. Returns whether the folder holds anything.
pub(crate) fn check_target(dir: &Path, force: bool, hint: &str) -> Result<bool> {
    let location = || Location::file(dir.display().to_string());
    if dir.exists() && !dir.is_dir() {
        return Err(Error::input(
            location(),
            None,
            "the output path exists and is not a folder; choose another -o",
        ));
    }
    let non_empty = fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(false);
    if non_empty && !force {
        return Err(Error::input(
            location(),
            None,
            format!("the output folder is not empty; add --force to replace it{hint}, or choose another -o"),
        ));
    }
    if non_empty && !is_results_folder(dir) {
        return Err(Error::input(
            location(),
            None,
            "the folder holds files that olika did not write (it has no manifest.json of a results folder); --force replaces only results folders: choose another -o",
        ));
    }
    Ok(non_empty)
}

/// Does `dir` hold a results folder written by olika (its manifest reads as one)?
pub(crate) fn is_results_folder(dir: &Path) -> bool {
    super::Manifest::read(dir).is_ok_and(|m| m.tool == "olika")
}

/// `PARENT/.LEAF<suffix>`: the hidden files and folders that belong to a results folder's place.
fn beside(target: &Path, suffix: &str) -> PathBuf {
    let leaf = target.file_name().map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
    parent_of(target).join(format!(".{leaf}{suffix}"))
}

fn parent_of(target: &Path) -> &Path {
    target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// An advisory lock on the place of a results folder, held for as long as a command writes there:
/// a second writer — `run`, `sweep`, `--resume`, `compare`, `merge` — to the same place fails at once
/// instead of mixing its rows with the first one's. The lock is the OS's file lock on
/// `PARENT/.LEAF.lock`, released when the process ends however it ends; the file names its holder.
#[derive(Debug)]
pub struct FolderLock {
    path: PathBuf,
    _file: File,
}

impl FolderLock {
    /// Takes the lock of `target`'s place, and cleans up after writers that were killed there.
    pub(crate) fn acquire(target: &Path) -> Result<FolderLock> {
        let parent = parent_of(target);
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let path = beside(target, ".lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                return Err(Error::input(
                    Location::file(target.display().to_string()),
                    None,
                    format!(
                        "another olika is writing this folder ({}); wait for it to finish, or choose another -o",
                        if holder.trim().is_empty() { "its lock is held".to_string() } else { holder.trim().to_string() }
                    ),
                ));
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        let holder =
            format!("process {}: {}", std::process::id(), std::env::args().collect::<Vec<_>>().join(" "));
        file.set_len(0).and_then(|_| file.write_all(holder.as_bytes())).map_err(|e| Error::io(&path, e))?;
        recover(target)?;
        Ok(FolderLock { path, _file: file })
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        // Removed while still held, so that nobody can take the lock of a file that is going away.
        let _ = fs::remove_file(&self.path);
    }
}

/// With the lock held, undoes what a killed writer left beside `target`: its partial folders go, and
/// a replaced folder whose replacement never arrived (a kill between the two renames of a commit)
/// comes back. After this, no earlier crash can make a later run fail.
fn recover(target: &Path) -> Result<()> {
    let old = beside(target, ".old");
    if old.exists() {
        if target.exists() {
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        } else {
            fs::rename(&old, target).map_err(|e| Error::io(&old, e))?;
        }
    }
    let partial = beside(target, ".partial-");
    let prefix = partial.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = parent_of(target);
    for entry in fs::read_dir(parent).map_err(|e| Error::io(parent, e))? {
        let path = entry.map_err(|e| Error::io(parent, e))?.path();
        if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&prefix)) && path.is_dir() {
            fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
    }
    Ok(())
}

/// Longest scenario name kept in a default folder's name (file names have a limit of 255 bytes).
const NAME_IN_FOLDER: usize = 80;

/// A new folder `results/NAME-YYYYMMDD-HHMMSS` (with `-2`, `-3`, ... if that exists or is being
/// written): never one that holds results.
pub(crate) fn new_folder(name: &str) -> PathBuf {
    let stamp = super::manifest::timestamp_compact(std::time::SystemTime::now());
    let safe: String = name
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
        .take(NAME_IN_FOLDER)
        .collect();
    let base = Path::new("results").join(format!("{safe}-{stamp}"));
    let mut candidate = base.clone();
    let mut k = 2;
    while candidate.exists() || beside(&candidate, ".lock").exists() {
        candidate = PathBuf::from(format!("{}-{k}", base.display()));
        k += 1;
    }
    candidate
}

/// A results folder being written: files go to a temporary folder beside the target, which
/// `commit` renames into place; dropped without `commit`, the temporary folder is removed. The
/// place is locked from `create` until the folder is dropped.
pub struct ResultsFolder {
    target: PathBuf,
    work: PathBuf,
    committed: bool,
    _lock: FolderLock,
}

impl ResultsFolder {
    /// Prepares a results folder: `explicit` (refused when it exists and is not empty, unless
    /// `force` and it is a results folder), or a new folder `results/NAME-YYYYMMDD-HHMMSS` that
    /// never overwrites.
    pub fn create(explicit: Option<&Path>, name: &str, force: bool) -> Result<Self> {
        let (target, lock) = match explicit {
            Some(dir) => {
                let lock = FolderLock::acquire(dir)?;
                check_target(dir, force, "")?;
                (dir.to_path_buf(), lock)
            }
            None => new_locked_folder(name)?,
        };
        let work = beside(&target, &format!(".partial-{}", std::process::id()));
        fs::create_dir(&work).map_err(|e| Error::io(&work, e))?;
        Ok(ResultsFolder { target, work, committed: false, _lock: lock })
    }

    /// Where files are written until `commit`.
    pub fn work(&self) -> &Path {
        &self.work
    }

    /// Where the folder will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the complete folder into place, replacing an existing one (only reached with --force
    /// on a results folder, or an empty folder). Safe at every instant: a kill between the two
    /// renames leaves the old folder as `.LEAF.old`, which the next writer to this place restores.
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = beside(&self.target, ".old");
            fs::rename(&self.target, &old).map_err(|e| Error::io(&self.target, e))?;
            fs::rename(&self.work, &self.target).map_err(|e| Error::io(&self.target, e))?;
            fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        } else {
            fs::rename(&self.work, &self.target).map_err(|e| Error::io(&self.target, e))?;
        }
        self.committed = true;
        Ok(self.target.clone())
    }
}

/// A new default folder, locked: two commands started in the same second each get their own.
fn new_locked_folder(name: &str) -> Result<(PathBuf, FolderLock)> {
    /// Contended names tried before giving up.
    const TRIES: usize = 16;
    let mut last = None;
    for _ in 0..TRIES {
        let target = new_folder(name);
        match FolderLock::acquire(&target) {
            Ok(lock) if !target.exists() => return Ok((target, lock)),
            Ok(_) => continue,
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::Run("no free results folder name".into())))
}

impl Drop for ResultsFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.work);
        }
    }
}
