//! The results folder: written under a temporary name beside its final place and renamed when
//! complete, so that a folder is complete or absent, and an existing one is never lost to a failed
//! run (with `--force` it is replaced only once the new one is complete).

use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// Refuses an output path that is not a folder, or a non-empty folder without `force` (`hint`
/// adds what else the user may do). Returns whether the folder holds anything.
pub fn check_target(dir: &Path, force: bool, hint: &str) -> Result<bool> {
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
    Ok(non_empty)
}

/// A new folder `results/NAME-YYYYMMDD-HHMMSS` (with `-2`, `-3`, ... if that exists): never one that
/// holds results.
pub fn new_folder(name: &str) -> PathBuf {
    let stamp = super::manifest::timestamp_compact(std::time::SystemTime::now());
    let safe: String =
        name.chars().map(|c| if c.is_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    let base = Path::new("results").join(format!("{safe}-{stamp}"));
    let mut candidate = base.clone();
    let mut k = 2;
    while candidate.exists() {
        candidate = PathBuf::from(format!("{}-{k}", base.display()));
        k += 1;
    }
    candidate
}

/// A results folder being written: files go to a temporary folder beside the target, which
/// `commit` renames into place; dropped without `commit`, the temporary folder is removed.
pub struct ResultsFolder {
    target: PathBuf,
    work: PathBuf,
    committed: bool,
}

impl ResultsFolder {
    /// Prepares a results folder: `explicit` (refused when it exists and is not empty, unless
    /// `force`), or a new folder `results/NAME-YYYYMMDD-HHMMSS` that never overwrites.
    pub fn create(explicit: Option<&Path>, name: &str, force: bool) -> Result<Self> {
        let target = match explicit {
            Some(dir) => {
                check_target(dir, force, "")?;
                dir.to_path_buf()
            }
            None => new_folder(name),
        };
        let parent = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let leaf = target.file_name().map_or_else(|| "results".into(), |n| n.to_string_lossy().into_owned());
        let work = parent.join(format!(".{leaf}.partial-{}", std::process::id()));
        if work.exists() {
            fs::remove_dir_all(&work).map_err(|e| Error::io(&work, e))?;
        }
        fs::create_dir(&work).map_err(|e| Error::io(&work, e))?;
        Ok(ResultsFolder { target, work, committed: false })
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
    /// or an empty folder).
    pub fn commit(mut self) -> Result<PathBuf> {
        if self.target.exists() {
            let old = self.work.with_extension("old");
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

impl Drop for ResultsFolder {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.work);
        }
    }
}
