//! `olika lab`: the lab's server on a scenario, started for the binary to print its address.

use crate::error::Result;
use crate::lab::server::LabServer;
use crate::lab::{Lab, Source};

/// Starts the lab on `source` with the command line's overrides, listening on `host:port`
/// (port 0: a free one).
pub fn lab(source: Source, overrides: Vec<String>, host: &str, port: u16) -> Result<LabServer> {
    LabServer::start(Lab::new(source, overrides)?, host, port)
}

/// Whether `host` is reachable only from this machine.
pub fn is_local(host: &str) -> bool {
    matches!(host, "127.0.0.1" | "localhost" | "::1")
}
