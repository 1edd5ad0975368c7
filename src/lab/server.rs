//! The lab's web server: a small synchronous server (tiny_http) on one port, serving the page
//! embedded in the binary, the frames as server-sent events, the commands as plain POSTs, and the
//! settings as a scenario file. One world for every tab: each tab is a subscriber with a mailbox
//! that holds only the newest frame, so a slow browser skips frames instead of queueing them.
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /events` | `event: setup` (the city, the controls, the history), then `event: frame` as the world moves |
//! | `GET /frame` | the frame of the world now (JSON) |
//! | `POST /command` | a [`super::Command`] as JSON: 200 `{"ok": "…"}`, or 400 `{"error": "…"}` |
//! | `GET /scenario.toml` | the settings as a scenario file (`olika run` reproduces the world) |

use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tiny_http::{Header, Method, Request, Response, Server};

use super::{Command, Lab, MOST_FRAMES_PER_SECOND};
use crate::error::{Error, Result};

/// The page: hand-written HTML, CSS and JavaScript, nothing fetched from anywhere.
pub const PAGE: &str = include_str!("page.html");

/// The most bytes a command may have.
const MOST_COMMAND_BYTES: u64 = 64 * 1024;

/// What a subscriber has not yet been sent: a new setup (after a reset) and the newest frame.
#[derive(Default)]
struct Mailbox {
    setup: Option<Arc<String>>,
    frame: Option<Arc<String>>,
    closed: bool,
}

/// One tab's mailbox and the signal that it has mail.
#[derive(Default)]
struct Subscriber {
    mailbox: Mutex<Mailbox>,
    mail: Condvar,
}

/// What the server's threads share.
struct Shared {
    lab: Mutex<Lab>,
    /// Wakes the runner when a command starts a run.
    wake: Condvar,
    subscribers: Mutex<Vec<Arc<Subscriber>>>,
    stop: AtomicBool,
    /// Frames replaced in a mailbox before they were sent: frames a slow browser skipped.
    pub dropped: AtomicU64,
    /// Frames sent.
    pub sent: AtomicU64,
}

impl Shared {
    fn lab(&self) -> std::sync::MutexGuard<'_, Lab> {
        // A panic while the lab was held leaves it as it was between commands: go on with it.
        self.lab.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Posts a message to every tab: a frame replaces an unsent frame, a setup replaces everything.
    fn broadcast(&self, setup: Option<String>, frame: String) {
        let frame = Arc::new(frame);
        let setup = setup.map(Arc::new);
        let subscribers = self.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        for s in subscribers.iter() {
            let mut mailbox = s.mailbox.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(setup) = &setup {
                mailbox.setup = Some(setup.clone());
            }
            if mailbox.frame.replace(frame.clone()).is_some() {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            s.mail.notify_one();
        }
    }
}

/// A running lab server.
pub struct LabServer {
    shared: Arc<Shared>,
    server: Arc<Server>,
    threads: Vec<JoinHandle<()>>,
    url: String,
}

impl LabServer {
    /// Starts the server on `host:port` (port 0: a free one) for `lab`.
    pub fn start(lab: Lab, host: &str, port: u16) -> Result<LabServer> {
        let server = Server::http((host, port))
            .map_err(|e| Error::Run(format!("cannot listen on {host}:{port}: {e}; choose another --port")))?;
        let address =
            server.server_addr().to_ip().ok_or_else(|| Error::Run("the server has no IP address".into()))?;
        let shown =
            if address.ip().is_unspecified() { "127.0.0.1".to_string() } else { address.ip().to_string() };
        let url = format!("http://{shown}:{}/", address.port());
        let shared = Arc::new(Shared {
            lab: Mutex::new(lab),
            wake: Condvar::new(),
            subscribers: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            dropped: AtomicU64::new(0),
            sent: AtomicU64::new(0),
        });
        let server = Arc::new(server);
        let runner = {
            let shared = shared.clone();
            std::thread::spawn(move || run_loop(&shared))
        };
        let acceptor = {
            let (shared, server) = (shared.clone(), server.clone());
            std::thread::spawn(move || {
                for request in server.incoming_requests() {
                    if shared.stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let shared = shared.clone();
                    // Each request on its own thread: an event stream lasts as long as its tab.
                    std::thread::spawn(move || handle(&shared, request));
                }
            })
        };
        Ok(LabServer { shared, server, threads: vec![runner, acceptor], url })
    }

    /// The address to open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Frames sent to tabs, and frames skipped because a tab was not ready for them.
    pub fn frames(&self) -> (u64, u64) {
        (self.shared.sent.load(Ordering::Relaxed), self.shared.dropped.load(Ordering::Relaxed))
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }

    /// Stops serving: closes every stream and the listener.
    pub fn stop(mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
        for s in self.shared.subscribers.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            s.mailbox.lock().unwrap_or_else(|p| p.into_inner()).closed = true;
            s.mail.notify_one();
        }
        self.server.unblock();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Steps the world while it runs: a step, then the pause the speed asks for; a frame every
/// `draw_every` steps, but at most `MOST_FRAMES_PER_SECOND` of them: flat out, the world runs on
/// between frames.
fn run_loop(shared: &Shared) {
    let least_gap = Duration::from_secs(1) / MOST_FRAMES_PER_SECOND;
    let mut last_frame = Instant::now() - least_gap;
    while !shared.stop.load(Ordering::Relaxed) {
        let mut lab = shared.lab();
        if !lab.busy() {
            let (guard, _) =
                shared.wake.wait_timeout(lab, Duration::from_millis(200)).unwrap_or_else(|p| p.into_inner());
            drop(guard);
            continue;
        }
        let stepped = lab.work();
        let due = !stepped || lab.world().t().is_multiple_of(lab.draw_every) || !lab.busy();
        // The speed's pause is for running; steps asked for are taken flat out.
        let delay = Duration::from_millis(if lab.running { u64::from(lab.delay_ms) } else { 0 });
        if due && (last_frame.elapsed() >= least_gap || !lab.busy()) {
            let frame = lab.frame();
            drop(lab);
            shared.broadcast(None, frame);
            last_frame = Instant::now();
        } else {
            drop(lab);
        }
        if !delay.is_zero() {
            std::thread::sleep(delay);
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn json(status: u16, body: String) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", "application/json; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

fn handle(shared: &Shared, mut request: Request) {
    let path = request.url().split('?').next().unwrap_or("").to_string();
    let answer = match (request.method(), path.as_str()) {
        (Method::Get, "/") => Response::from_string(PAGE)
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store")),
        (Method::Get, "/events") => return events(shared, request),
        (Method::Get, "/frame") => json(200, shared.lab().frame()),
        (Method::Get, "/scenario.toml") => {
            let lab = shared.lab();
            let name =
                lab.world().scenario().name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
            Response::from_string(lab.scenario_file())
                .with_header(header("Content-Type", "application/toml; charset=utf-8"))
                .with_header(header(
                    "Content-Disposition",
                    &format!("attachment; filename=\"{name}-lab.toml\""),
                ))
        }
        (Method::Post, "/command") => {
            let mut body = String::new();
            let read = request.as_reader().take(MOST_COMMAND_BYTES).read_to_string(&mut body);
            match read.map_err(|e| e.to_string()).and_then(|_| command(shared, &body)) {
                Ok(note) => json(200, serde_json::json!({ "ok": note }).to_string()),
                Err(message) => json(400, serde_json::json!({ "error": message }).to_string()),
            }
        }
        _ => json(404, serde_json::json!({ "error": format!("no such page: {path}") }).to_string()),
    };
    // A tab that closed before its answer is no error of the lab's.
    let _ = request.respond(answer);
}

/// Parses and carries out a command, then tells every tab.
fn command(shared: &Shared, body: &str) -> std::result::Result<String, String> {
    let command: Command =
        serde_json::from_str(body).map_err(|e| format!("not a command the lab knows: {e}"))?;
    let new_world = matches!(command, Command::Reset | Command::Seed { .. } | Command::Preset { .. });
    let mut lab = shared.lab();
    let note = lab.command(command)?;
    let (setup, frame) = (new_world.then(|| lab.setup()), lab.frame());
    let running = lab.busy();
    drop(lab);
    shared.broadcast(setup, frame);
    if running {
        shared.wake.notify_all();
    }
    Ok(note)
}

/// The event stream of one tab: the setup, then frames as they come, until the tab goes.
fn events(shared: &Shared, request: Request) {
    let subscriber = Arc::new(Subscriber::default());
    {
        let lab = shared.lab();
        let mut mailbox = subscriber.mailbox.lock().unwrap_or_else(|p| p.into_inner());
        mailbox.setup = Some(Arc::new(lab.setup()));
        mailbox.frame = Some(Arc::new(lab.frame()));
    }
    shared.subscribers.lock().unwrap_or_else(|p| p.into_inner()).push(subscriber.clone());
    // The response is written by hand: tiny_http would buffer a streamed body in 8 KiB chunks.
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut ok = out.write_all(head.as_bytes()).and_then(|_| out.flush()).is_ok();
    while ok && !shared.stop.load(Ordering::Relaxed) {
        let (setup, frame) = {
            let mut mailbox = subscriber.mailbox.lock().unwrap_or_else(|p| p.into_inner());
            while mailbox.setup.is_none() && mailbox.frame.is_none() && !mailbox.closed {
                let (guard, timeout) = subscriber
                    .mail
                    .wait_timeout(mailbox, Duration::from_secs(15))
                    .unwrap_or_else(|p| p.into_inner());
                mailbox = guard;
                if timeout.timed_out() {
                    break;
                }
            }
            if mailbox.closed {
                break;
            }
            (mailbox.setup.take(), mailbox.frame.take())
        };
        let mut text = String::new();
        if let Some(setup) = setup {
            text.push_str(&format!("event: setup\ndata: {setup}\n\n"));
        }
        if let Some(frame) = frame {
            text.push_str(&format!("event: frame\ndata: {frame}\n\n"));
            shared.sent.fetch_add(1, Ordering::Relaxed);
        }
        if text.is_empty() {
            // A comment keeps the connection alive and tells a closed one apart.
            text.push_str(": still here\n\n");
        }
        ok = out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_ok();
    }
    let mut subscribers = shared.subscribers.lock().unwrap_or_else(|p| p.into_inner());
    subscribers.retain(|s| !Arc::ptr_eq(s, &subscriber));
}
