//! `olika animate`: the replay of a results folder's first run as an animated GIF.

use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Result};
use crate::output::replay;
use crate::plot::animate::{self, Options};

/// Frames an animation has at most unless told otherwise: enough for a slide, small enough to mail.
pub(crate) const FRAMES: usize = 150;

/// Writes the animation of `dir`'s replay, `width` pixels wide at `fps` frames a second, a frame
/// every `every` kept steps (default: enough to stay under `FRAMES` frames), to `out` (default:
/// `animation.gif` in the folder); an existing file is replaced only with `force`, and only if it is
/// an animation olika wrote (`output::file`).
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
    crate::output::checked::finished(dir)?;
    let (_, replay) = replay::read(dir)?;
    let every = every.unwrap_or_else(|| replay.frames.len().div_ceil(FRAMES).max(1) as u32);
    let options = Options { width, fps, every };
    let path = out.map_or_else(|| dir.join("animation.gif"), Path::to_path_buf);
    crate::output::file::check(&path, animate::KIND, force)?;
    let bytes = animate::gif(&replay, options)?;
    let frames = animate::frames(replay.frames.len(), every).len();
    crate::output::file::write(&path, &bytes, animate::KIND, force)?;
    Ok((path, frames))
}
