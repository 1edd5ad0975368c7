//! `olika lab`: the lab's server on a scenario, its address said, and the browser opened when
//! asked.

use std::path::PathBuf;

use super::terminal::Say;
use crate::error::Result;
use crate::lab::server::LabServer;
use crate::lab::{Lab, Source};
use crate::scenario::Overrides;

/// `olika lab` as the command line asks it: the lab on `scenario` (the embedded baseline without
/// one) with `overrides`, listening on `host:port` (port 0: a free one), its address said and,
/// with `open`, opened in this machine's browser; serves until the process is stopped.
pub fn command(
    scenario: Option<PathBuf>,
    overrides: &Overrides,
    host: &str,
    port: u16,
    open: bool,
    say: &mut dyn Say,
) -> Result<()> {
    let source = match scenario {
        Some(path) => Source::Named(path),
        None => Source::Baseline,
    };
    if !is_local(host) {
        say.note(&format!("warning: listening on {host}: anyone who can reach this machine on that network can watch and change the lab; use it on a classroom network you trust"));
    }
    let server = lab(source, overrides.assignments(None), host, port)?;
    say.out(&format!("olika lab: open {} in a browser (Ctrl-C stops it)\n", server.url()));
    if open && !open_browser(server.url()) {
        say.note(&format!("note: no browser could be started here; open {} by hand", server.url()));
    }
    server.wait();
    Ok(())
}

/// Starts the lab on `source` with the command line's overrides, listening on `host:port`
/// (port 0: a free one).
fn lab(source: Source, overrides: Vec<String>, host: &str, port: u16) -> Result<LabServer> {
    LabServer::start(Lab::new(source, overrides)?, host, port)
}

/// Whether `host` is reachable only from this machine.
fn is_local(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}

/// Opens `url` in the system's browser; whether one could be started.
fn open_browser(url: &str) -> bool {
    let opener = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).status()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).status()
    } else {
        std::process::Command::new("xdg-open").arg(url).status()
    };
    opener.is_ok_and(|s| s.success())
}
