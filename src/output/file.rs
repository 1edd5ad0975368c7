//! Single files a command writes where the user points it (`olika animate -o FILE`): written beside
//! their place under a name nobody else uses and renamed into it, and an existing path replaced only
//! when it is a regular file of the same kind that olika wrote — never a device, a FIFO, a link, a
//! results folder's table or a user's own file, whatever `--force` says.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};

/// A kind of file olika writes and can recognise again by its first bytes.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// What it is, for messages: "an animated GIF".
    pub what: &'static str,
    /// Whether these first bytes (at most `HEAD` of them) are of a file of this kind olika wrote.
    pub is_own: fn(&[u8]) -> bool,
}

/// Bytes read from an existing file to recognise it.
pub(crate) const HEAD: usize = 4096;

/// Refuses `path` as a place to write a file of `kind` unless it is new, or — with `force` — a
/// regular file (not a link) whose first bytes `kind` recognises as its own. A command checks
/// before its work, so that a refusal comes at once; `write` checks again.
pub fn check(path: &Path, kind: Kind, force: bool) -> Result<()> {
    let refuse =
        |message: String| Err(Error::input(Location::file(path.display().to_string()), None, message));
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io(path, e)),
        Ok(meta) if !meta.file_type().is_file() => refuse(format!(
                "the path exists and is not a regular file (a folder, link, device or pipe); olika writes {} only to a new file or over one it wrote: choose another -o",
            kind.what
        )),
        Ok(_) if !force => refuse("the file exists; add --force to replace it, or choose another -o".into()),
        Ok(_) if !starts_as_own(path, kind)? => refuse(format!(
            "the file is not {} that olika wrote; --force replaces only olika's own files: choose another -o",
            kind.what
        )),
        Ok(_) => Ok(()),
    }
}

/// Writes `bytes` to `path`, if `check` allows it: under a new name beside it, then renamed.
pub fn write(path: &Path, bytes: &[u8], kind: Kind, force: bool) -> Result<PathBuf> {
    check(path, kind, force)?;
    let name = path.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let part = parent.join(format!(".{name}.{}.part", std::process::id()));
    // A name of our own, created new: never a file someone else had there.
    let mut file =
        OpenOptions::new().write(true).create_new(true).open(&part).map_err(|e| Error::io(&part, e))?;
    let written = file.write_all(bytes).and_then(|_| file.sync_all()).and_then(|_| fs::rename(&part, path));
    if let Err(e) = written {
        let _ = fs::remove_file(&part);
        return Err(Error::io(path, e));
    }
    Ok(path.to_path_buf())
}

/// The opening of a versioned file that olika reads back whole (a state file, a lesson): a line
/// naming the kind with the format's version, then a line with the checksum of what follows.
pub(crate) struct Opening {
    /// The first line up to the version: "olika state ".
    pub magic: &'static str,
    /// What it is, for messages, after "a": "state file".
    pub what: &'static str,
    /// The checksum line's words before the hash: "checksum ".
    pub checksum: &'static str,
    /// The format this olika reads.
    pub format: u32,
    /// What to do about a damaged file: "save the world again".
    pub again: &'static str,
    /// What to do about a file of another format.
    pub other_format: &'static str,
}

impl Opening {
    /// Checks the kind and format lines and reads the checksum line: the checksum the file states,
    /// and the bytes after its line (which the caller hashes when it has read what it needs first).
    pub fn read<'a>(&self, path: &Path, bytes: &'a [u8]) -> Result<(u64, &'a [u8])> {
        let Some(rest) = bytes.strip_prefix(self.magic.as_bytes()) else {
            return Err(self.refuse(
                path,
                format!("this is not an olika {} (it does not begin `{}`)", self.what, self.magic.trim_end()),
            ));
        };
        let (format, rest) = line(rest).ok_or_else(|| self.damaged(path, "no format line"))?;
        match format.parse::<u32>() {
            Ok(found) if found == self.format => {}
            Ok(other) => {
                return Err(self.refuse(
                    path,
                    format!(
                        "a {} of format {other}; this olika reads format {}: {}",
                        self.what, self.format, self.other_format
                    ),
                ))
            }
            Err(_) => return Err(self.damaged(path, "the format line is no number")),
        }
        let (checksum, rest) = line(rest).ok_or_else(|| self.damaged(path, "no checksum line"))?;
        let checksum = checksum
            .strip_prefix(self.checksum)
            .and_then(|h| u64::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.damaged(path, "the checksum line is unreadable"))?;
        Ok((checksum, rest))
    }

    /// A refusal of the file at `path` (an input error: exit code 2).
    pub fn refuse(&self, path: &Path, message: String) -> Error {
        Error::input(Location::file(path.display().to_string()), None, message)
    }

    /// A refusal of a file that is damaged or cut short, saying what to do.
    pub fn damaged(&self, path: &Path, what: &str) -> Error {
        self.refuse(path, format!("{what}: the file is damaged or cut short; {}", self.again))
    }
}

/// The text up to the next newline (within the first MiB), and what follows it.
pub(crate) fn line(bytes: &[u8]) -> Option<(&str, &[u8])> {
    let end = bytes.iter().take(1 << 20).position(|&b| b == b'\n')?;
    Some((std::str::from_utf8(&bytes[..end]).ok()?, &bytes[end + 1..]))
}

/// Whether the regular file at `path` begins as a file of `kind` that olika wrote.
fn starts_as_own(path: &Path, kind: Kind) -> Result<bool> {
    let mut head = Vec::with_capacity(HEAD);
    let file = fs::File::open(path).map_err(|e| Error::io(path, e))?;
    file.take(HEAD as u64).read_to_end(&mut head).map_err(|e| Error::io(path, e))?;
    Ok((kind.is_own)(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: Kind = Kind { what: "a note", is_own: |head| head.starts_with(b"olika note") };

    #[test]
    fn only_olikas_own_regular_files_are_replaced() {
        let dir = tempfile::TempDir::new().unwrap();
        let own = dir.path().join("own.txt");
        write(&own, b"olika note 1", TEXT, false).unwrap();
        assert!(write(&own, b"olika note 2", TEXT, false).unwrap_err().to_string().contains("--force"));
        write(&own, b"olika note 2", TEXT, true).unwrap();
        assert_eq!(fs::read(&own).unwrap(), b"olika note 2");
        let theirs = dir.path().join("theirs.txt");
        fs::write(&theirs, "a user's words").unwrap();
        let err = write(&theirs, b"olika note", TEXT, true).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(fs::read_to_string(&theirs).unwrap(), "a user's words");
        // A link to olika's own file is still a link: its target is not replaced through it.
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&own, &link).unwrap();
        assert!(write(&link, b"olika note 3", TEXT, true)
            .unwrap_err()
            .to_string()
            .contains("not a regular file"));
        assert!(write(dir.path(), b"olika note", TEXT, true).is_err());
        assert!(write(Path::new("/dev/null"), b"olika note", TEXT, true).is_err());
        // Nothing is left beside the files.
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        names.sort();
        assert_eq!(names, ["link.txt", "own.txt", "theirs.txt"]);
    }
}
