//! `olika animate`: the replay of a results folder's first run as an animated GIF.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::output::replay;
use crate::plot::animate::{self, Options};

/// Frames an animation has at most unless told otherwise: enough for a slide, small enough to mail.
pub const FRAMES: usize = 150;

/// Writes the animation of `dir`'s replay, `width` pixels wide at `fps` frames a second, a frame
/// every `every` kept steps (default: enough to stay under `FRAMES` frames), to `out` (default:
/// `animation.gif` in the folder); a file of the user's own is replaced only with `force`.
/// Returns the file and its frames.
pub fn animate(
    dir: &Path,
    out: Option<&Path>,
    width: u32,
    fps: u32,
    every: Option<u32>,
    force: bool,
) -> Result<(PathBuf, usize)> {
    let check = |options: Options| {
        options.check().map_err(|(flag, message)| Error::input(Location::file(flag), None, message))
    };
    check(Options { width, fps, every: every.unwrap_or(1) })?;
    let (_, replay) = replay::read(dir)?;
    let every = every.unwrap_or_else(|| replay.frames.len().div_ceil(FRAMES).max(1) as u32);
    let options = Options { width, fps, every };
    let path = out.map_or_else(|| dir.join("animation.gif"), Path::to_path_buf);
    if out.is_some() && path.exists() && !force {
        return Err(Error::input(
            Location::file(path.display().to_string()),
            None,
            "the file exists; add --force to replace it, or choose another -o",
        ));
    }
    let bytes = animate::gif(&replay, options)?;
    let frames = animate::frames(replay.frames.len(), every).len();
    let part = path.with_extension("gif.part");
    std::fs::write(&part, bytes).map_err(|e| Error::io(&part, e))?;
    std::fs::rename(&part, &path).map_err(|e| Error::io(&path, e))?;
    Ok((path, frames))
}
