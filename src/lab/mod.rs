//! `olika lab`: one world, live in the browser, for a class or a workshop. [`Lab`] holds the world
//! and takes the page's commands — the protocol, with no IO, tested as plain calls; `server`
//! serves the page, streams frames by server-sent events and runs the world at the chosen speed.
//!
//! A command only says what to do: `step` asks for steps that [`Lab::work`] then takes one at a
//! time, so whoever drives the lab (the server's runner) can answer between any two steps.
//! What the lab keeps grows with nothing a page can do: the charts' history is thinned to at most
//! [`MOST_POINTS`] points, the world to [`MOST_WORLD_BYTES`], the noted changes to
//! [`MOST_NOTED_CHANGES`].
//!
//! Every value a page sends goes through the scenario's own loading (`--set` rules and messages),
//! so a bad one is refused with the message a scenario file would get, and the world is untouched.
//! Settings the steps read (rates, trust, homophily, a venue's frequency or facilitation) apply
//! now; the rest (the city, the venues' kinds and mixes, the seed) apply at the next reset.
//!
//! The files: `protocol` (the commands and the [`Lab`] that carries them out), `view` (what the
//! page is sent: the setup's parts, frames, the charts' points), `settings` (the sliders and which
//! settings apply now), `export` (the downloaded scenario file), `memory` (the guard on a world's
//! size), `state` (Save world and Load world: the world on screen as a state file, and back), `layout` (what kind of world is shown, and where each organisation is drawn), `server`,
//! `inpage` (the lab inside the page, through WebAssembly) and `standalone` (the one-file lab).

pub mod classroom;
mod export;
pub mod inpage;
mod layout;
mod memory;
mod protocol;
pub mod server;
mod settings;
mod state;
mod view;

pub use memory::MOST_STATE_FILE_BYTES;
pub(crate) use protocol::MOST_FRAMES_PER_SECOND;
pub use protocol::{Command, Lab, Source, MOST_POINTS};
pub use state::{Loaded, Snapshot};
pub mod standalone;

/// The file name a downloaded scenario gets: the scenario's name, `-lab.toml`.
pub(crate) fn download_name(lab: &Lab) -> String {
    let name = &lab.world().scenario().name;
    format!("{}-lab.toml", name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_"))
}
// The server writes a setup's two parts as one object without copying them.
use view::joined;

/// What the unit tests of every file share: a short baseline lab and the page's commands.
#[cfg(test)]
mod testing {
    use super::{Command, Lab, Source};

    /// The baseline for 30 steps.
    pub(super) fn lab() -> Lab {
        Lab::new(Source::Baseline, vec!["steps=30".into()]).unwrap()
    }

    /// A command as the page sends it.
    pub(super) fn command(text: &str) -> Command {
        serde_json::from_str(text).unwrap()
    }

    /// Takes the steps asked for, as the server's runner does.
    pub(super) fn settle(lab: &mut Lab) {
        while lab.busy() && !lab.running && lab.work() {}
    }
}
