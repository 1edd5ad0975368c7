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
    classroom: bool,
    say: &mut dyn Say,
) -> Result<()> {
    let source = match scenario {
        Some(path) => Source::Named(path),
        None => Source::Baseline,
    };
    if classroom {
        return class(source, overrides.assignments(None), host, port, open, say);
    }
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

/// `olika lab --export FILE --wasm MODULE`: the lab as one self-contained HTML file that runs
/// `MODULE` (the olika-web crate built for wasm32-unknown-unknown) in the page, starting from a
/// shipped scenario with the overrides. The file says which sources it was built from (those of
/// this checkout, when the binary was built from one).
pub fn export(
    scenario: Option<&std::path::Path>,
    overrides: &Overrides,
    file: &std::path::Path,
    wasm: &std::path::Path,
    say: &mut dyn Say,
) -> Result<()> {
    use crate::error::Error;
    let name = match scenario {
        None => None,
        Some(path) => {
            let text = path.to_string_lossy();
            match crate::scenario::library::find(&text) {
                Some(_) if !path.exists() => Some(text.trim_end_matches(".toml").rsplit('/').next().unwrap_or(&text).to_string()),
                _ => {
                    return Err(Error::Run(format!(
                        "the exported lab starts from a shipped scenario (`olika scenarios`), not from {}: a page opened from a USB stick reads no files",
                        path.display()
                    )))
                }
            }
        }
    };
    let overrides = overrides.assignments(None);
    // The settings are checked here as the page would check them, so a bad one is said now.
    let source = name.as_ref().map_or(Source::Baseline, |n| Source::Named(n.into()));
    Lab::new(source, overrides.clone())?;
    let module = std::fs::read(wasm).map_err(|e| {
        Error::Run(format!(
            "cannot read the WebAssembly module {}: {e}; build it with scripts/lab-html.sh",
            wasm.display()
        ))
    })?;
    if !module.starts_with(b"\0asm") {
        return Err(Error::Run(format!("{} is not a WebAssembly module", wasm.display())));
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let sources = crate::lab::standalone::sources_digest(root).unwrap_or_else(|_| "unknown".into());
    let html = crate::lab::standalone::html(&module, name.as_deref(), &overrides, &sources);
    std::fs::write(file, &html).map_err(|e| Error::Run(format!("cannot write {}: {e}", file.display())))?;
    say.out(&format!(
        "olika lab: wrote {} ({:.1} MB): open it in any browser, no server or network needed\n",
        file.display(),
        html.len() as f64 / 1e6
    ));
    Ok(())
}

/// Starts the lab on `source` with the command line's overrides, listening on `host:port`
/// (port 0: a free one).
fn lab(source: Source, overrides: Vec<String>, host: &str, port: u16) -> Result<LabServer> {
    LabServer::start(Lab::new(source, overrides)?, host, port)
}

/// `olika lab --classroom`: the lab for a class, on every interface unless `host` names one (the
/// default 127.0.0.1 would keep the students out), with the warning, the students' address and
/// code, and the teacher's address said.
fn class(
    source: Source,
    overrides: Vec<String>,
    host: &str,
    port: u16,
    open: bool,
    say: &mut dyn Say,
) -> Result<()> {
    use crate::lab::classroom::{network_address, ClassLimits};
    use crate::lab::server::Limits;
    let lab = Lab::new(source, overrides)?;
    let host = if is_local(host) { "0.0.0.0" } else { host };
    say.note(&format!("warning: listening on {host} for a class: anyone on this network can open the join address, and whoever has the code on the screen can join and steer an organisation; use it on a classroom network you trust, and stop it (Ctrl-C) after the lesson"));
    if network_address(host).is_none() {
        say.note("note: this machine has no network address: connect it to the classroom's network and start again, or students cannot reach it");
    }
    let server = LabServer::start_class(lab, host, port, Limits::default(), ClassLimits::default())?;
    let room = server.room().expect("a class's server has its room");
    room.report_with(Box::new(super::run::lesson_report));
    let teacher = server.teacher_url().unwrap_or_default();
    say.out(&format!(
        "olika lab --classroom: students open {} and type the code {}\nteacher (this machine only, keep it to yourself): open {teacher}\n(Ctrl-C stops it)\n",
        room.join_url(),
        room.code()
    ));
    if open && !open_browser(&teacher) {
        say.note(&format!("note: no browser could be started here; open {teacher} by hand"));
    }
    server.wait();
    Ok(())
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
