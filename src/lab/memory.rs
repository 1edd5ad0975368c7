//! The memory guard: a lab runs on a teacher's machine and takes settings from a page, so a world
//! too large for it (a city of a billion organisations typed into the page) is refused before it is
//! built, from the command line or the page, with what drives its size.

use crate::experiment::budget;
use crate::observe::Recording;
use crate::scenario::Resolved;

/// The most memory a lab's world may need (`experiment::budget`): a setting past it — a city of a
/// billion organisations typed into the page — is refused instead of exhausting the machine.
pub(crate) const MOST_WORLD_BYTES: u64 = 2 << 30;

/// The most bytes of a state file the lab takes (Load world), refused past it before it is read.
/// A world's state file is under half the memory its run is estimated to need (docs/state.md,
/// "Performance": 51.8 MB against 122.5 MB at 10⁵ organisations), so a file larger than the most
/// memory a lab's world may need holds a world the lab would refuse to build anyway.
pub const MOST_STATE_FILE_BYTES: u64 = MOST_WORLD_BYTES;

/// Whether the world of these settings fits in `MOST_WORLD_BYTES`; else what drives its size.
pub(super) fn fits(resolved: &Resolved) -> Result<(), String> {
    let parts = budget::run_parts(&resolved.scenario, Recording::default());
    let bytes = parts.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
    match parts.first() {
        Some(part) if bytes > MOST_WORLD_BYTES => Err(format!(
            "this world would need about {} of memory (mostly {}), more than the lab's {}: lower `{}`",
            budget::bytes_text(bytes),
            part.what,
            budget::bytes_text(MOST_WORLD_BYTES),
            part.key
        )),
        _ => Ok(()),
    }
}
