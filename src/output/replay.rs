//! `replay.json`: the replay of a folder's first run (`observe::replay`), written when the run ends
//! and read by `olika animate`.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::observe::replay::Replay;

/// The file's name in a results folder.
pub const FILE: &str = "replay.json";

/// The most bytes a replay may have: 600 steps of the ties of at most 5 000 organisations
/// (`observe::replay`) stay well below it; the baseline's is about 1.3 MB.
pub(crate) const MOST_BYTES: u64 = 1 << 30;

/// A replay as the file's text, with that text's checksums: made on the run's own thread
/// (`output::series::SeriesRows`), so that the one thread that writes the folder in plan order
/// only writes it. Formatting and hashing the baseline's 1.3 MB took that thread a few ms, while
/// the runs after the first, their window full, waited for it.
#[derive(Debug)]
pub(crate) struct Formatted {
    pub(crate) text: String,
    pub(crate) sums: super::checksum::Sums,
}

/// The replay's text and checksums.
pub(crate) fn format(replay: &Replay) -> Result<Formatted> {
    let text =
        serde_json::to_string(replay).map_err(|e| Error::Run(format!("cannot write the replay: {e}")))?;
    let sums = super::checksum::of_bytes(text.as_bytes());
    Ok(Formatted { text, sums })
}

/// Writes a formatted replay into `dir` (under a temporary name, then renamed: whole or absent);
/// returns the file's checksums, those of the bytes written.
pub(crate) fn write(dir: &Path, replay: Formatted) -> Result<super::checksum::Sums> {
    let path = dir.join(FILE);
    let part = dir.join(format!("{FILE}.part"));
    std::fs::write(&part, &replay.text).map_err(|e| Error::io(&part, e))?;
    std::fs::rename(&part, &path).map_err(|e| Error::io(&path, e))?;
    Ok(replay.sums)
}

/// Reads the replay of a results folder.
pub fn read(dir: &Path) -> Result<(PathBuf, Replay)> {
    let path = dir.join(FILE);
    let shown = path.display().to_string();
    let mut text = String::new();
    let file = super::read::open_regular(&path, MOST_BYTES)?;
    std::io::Read::read_to_string(&mut std::io::Read::take(file, MOST_BYTES), &mut text).map_err(|e| {
        Error::input(
            Location::file(&shown),
            None,
            format!("cannot read the replay ({e}): `olika run` writes one for its first run; run the scenario again with this version of olika"),
        )
    })?;
    let replay = serde_json::from_str(&text).map_err(|e| {
        Error::input(Location::file(&shown), None, format!("not a replay olika can read: {e}"))
    })?;
    Ok((path, replay))
}
