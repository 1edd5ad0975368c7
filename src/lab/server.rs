//! The lab's web server: HTTP/1.1 by hand on `std::net`, one port, serving the page embedded in
//! the binary, the frames as server-sent events, the commands as JSON POSTs and the settings as a
//! scenario file. One world for every tab: each tab is a subscriber with a mailbox that holds only
//! the newest frame, so a slow browser skips frames instead of queueing them.
//!
//! | request | answer |
//! |---|---|
//! | `GET /` | the page |
//! | `GET /events` | `event: setup` (the city, the controls, the history), then `event: frame` as the world moves (each with the charts' points since the frame before), and `event: history` (the whole history) before the next frame when a slow tab skipped one |
//! | `GET /frame` | the newest frame (JSON) |
//! | `POST /command` | a [`super::Command`] as JSON (`Content-Type: application/json`): 200 `{"ok": "…"}`, or 400 `{"error": "…"}` (or a refusal below) |
//! | `GET /scenario.toml` | the settings as a scenario file (`olika run` reproduces the world) |
//! | `GET /world.state` | the world on screen as a state file (Save world; `files`) |
//! | `POST /world` | a state file's bytes (`Content-Type: application/octet-stream`, its name in `X-Olika-File`): the lab shows that world (Load world; `files`) |
//!
//! No web page can drive or exhaust it:
//!
//! - **Only the lab's own pages.** A request whose `Host` is not the lab's address (127.0.0.1,
//!   localhost or \[::1\], the `--host` it was given, or the address the connection came in on,
//!   with the lab's port) is refused 403, and so is one with an `Origin` other than `http://` and
//!   such an address: a page elsewhere in the teacher's browser can neither post a command nor
//!   read the lab by DNS rebinding. A command must say `Content-Type: application/json`, which no
//!   form of another site can send without the browser asking first (415 otherwise).
//! - **Bounded threads and connections.** A fixed pool of [`Limits::workers`] answers requests;
//!   [`Limits::queue`] connections may wait for one and [`Limits::streams`] event streams may be
//!   open, each on a thread with a 128 KiB stack. Past those the answer is 503 at once and the
//!   listener goes on: at most workers + queue + streams connections are open, on as many threads
//!   as workers + streams + 2 (the listener, the runner). A request must arrive whole within
//!   [`Limits::request_time`] (16 KiB of head, 64 KiB of command) and every message must be taken
//!   within [`Limits::write_time`], so idle or slow connections cannot hold a worker. Whatever
//!   fails (an accept, a thread) is said on stderr and never stops the listener.
//! - **Memory shared, not copied per tab.** The setup's part of the world is made once a world,
//!   each frame and the setup's small rest (the controls, the history: `super::MOST_POINTS`) once,
//!   as `Arc<str>`s every tab shares and is written from as they are. A tab holds at most the
//!   message it is being sent and the newest in its mailbox; the older messages tabs are still
//!   being sent may hold [`Limits::held_bytes`] in all, past which the tab furthest behind is
//!   dropped.
//! - **The world never blocks an answer.** One thread, the runner, owns the [`Lab`]: it carries
//!   out the commands between two steps, takes the steps asked for one at a time and publishes
//!   each frame; requests answer from what it published last, without waiting for the world.

use std::collections::VecDeque;
use std::io::{IoSlice, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::classroom::{ClassLimits, Room, Route};
use super::{Command, Lab, Loaded, Snapshot, MOST_FRAMES_PER_SECOND};

mod files;
use crate::error::{Error, Result};

/// The page: hand-written HTML, CSS and JavaScript, nothing fetched from anywhere.
pub const PAGE: &str = include_str!("page.html");

/// The most bytes of a request's line and headers.
const MOST_HEAD_BYTES: usize = 16 * 1024;

/// The most bytes a command may have.
const MOST_COMMAND_BYTES: usize = 64 * 1024;

/// The stack of a tab's thread: it only waits for mail and writes bytes it is handed.
const STREAM_STACK: usize = 128 * 1024;

/// How often an idle event stream says it is still there (a comment), which also finds a tab gone.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// How long the runner waits for a command when the world is still.
const IDLE_POLL: Duration = Duration::from_millis(200);

/// What the server allows itself: threads, connections, time and memory. Every connection past
/// them is refused with 503 and a message, and the lab goes on.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Threads that answer requests: the page, a frame, a command, the download.
    pub workers: usize,
    /// Connections that may wait for a worker.
    pub queue: usize,
    /// Event streams (tabs) open at once, each on a thread of its own.
    pub streams: usize,
    /// The time a client has to send its request, line, headers and body.
    pub request_time: Duration,
    /// The time one message (an answer, a setup, a frame) may take to write: a client slower than
    /// that is dropped.
    pub write_time: Duration,
    /// Bytes of older setups and frames that tabs still being sent them may hold in all.
    pub held_bytes: usize,
}

impl Default for Limits {
    /// A classroom's worth: 256 tabs, answers by 8 workers with 128 connections waiting (a class
    /// opening the page at once); 10 s to send a request and 30 s to take a message (a
    /// 10⁶-organisation setup is 23 MB); 256 MiB of older messages.
    fn default() -> Limits {
        Limits {
            workers: 8,
            queue: 128,
            streams: 256,
            request_time: Duration::from_secs(10),
            write_time: Duration::from_secs(30),
            held_bytes: 256 << 20,
        }
    }
}

/// A part of a setup, or a frame, as sent: its number in the order of publishing, and its JSON.
type Message = (u64, Arc<str>);

/// A setup as sent: the part made once a world and the rest, with the history up to the newest
/// frame (`Lab::setup_world`, `Lab::setup_now`).
type Setup = [Message; 2];

/// What a tab has not yet been sent: a setup (when it opens, and after a reset), the rest of the
/// setup with the whole history (when it skipped a frame, whose points its charts then lack) and
/// the newest frame.
#[derive(Default)]
struct Mailbox {
    setup: Option<Setup>,
    history: Option<Message>,
    frame: Option<Message>,
    closed: bool,
}

/// One tab: its mailbox, the signal that it has mail, the message it is being sent, and its
/// connection, which the server cuts to drop it.
struct Subscriber {
    mailbox: Mutex<Mailbox>,
    mail: Condvar,
    /// The numbers of the messages being written to the tab; 0 while it waits.
    writing: [AtomicU64; 2],
    socket: TcpStream,
}

impl Subscriber {
    fn mailbox(&self) -> MutexGuard<'_, Mailbox> {
        self.mailbox.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Ends the tab's stream now, even in the middle of a write.
    fn cut(&self) {
        self.mailbox().closed = true;
        self.mail.notify_one();
        let _ = self.socket.shutdown(Shutdown::Both);
    }
}

/// What the runner published last, and the tabs it goes to.
struct Hub {
    setup: Setup,
    frame: Message,
    scenario: Arc<str>,
    /// The download's file name.
    download: String,
    /// The number of the last message published.
    published: u64,
    subscribers: Vec<Arc<Subscriber>>,
    /// Messages replaced since, which a tab may still be being sent.
    older: VecDeque<(u64, usize, Weak<str>)>,
}

/// What the runner is asked to do, and where its answer goes: a command, a copy of the world to
/// save, or a loaded world to show (`files`).
enum Order {
    Command(Command, SyncSender<std::result::Result<String, String>>),
    Snapshot(SyncSender<std::result::Result<Snapshot, String>>),
    Load(Box<Loaded>, SyncSender<String>),
}

/// What the server's threads share.
struct Shared {
    limits: Limits,
    hub: Mutex<Hub>,
    orders: SyncSender<Order>,
    /// The names the lab answers to besides loopback (`--host`), and its port.
    host: String,
    port: u16,
    stop: AtomicBool,
    /// A world file is being saved or loaded (`files`): one at a time.
    moving: AtomicBool,
    complaints: Complaints,
    /// Frames replaced in a mailbox before they were sent: frames a slow browser skipped.
    dropped: AtomicU64,
    /// Frames sent.
    sent: AtomicU64,
    /// The class, with `--classroom`.
    room: Option<Room>,
}

impl Shared {
    fn hub(&self) -> MutexGuard<'_, Hub> {
        self.hub.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Publishes a frame to /frame and every tab, with the setup a tab gets when it opens (its
    /// whole after a reset, else the history up to this frame): a frame replaces an unsent frame, a
    /// setup an unsent setup. Then drops the tabs furthest behind while the older messages still
    /// being sent to them hold more than `held_bytes`.
    fn publish(&self, lab: &Lab, new_world: bool) {
        // Made before the hub is locked: at 10⁶ organisations a world's part takes a while.
        let world: Option<Arc<str>> = new_world.then(|| lab.setup_world().into());
        let now: Arc<str> = lab.setup_now().into();
        let frame: Arc<str> = lab.frame().into();
        let scenario: Arc<str> = lab.scenario_file().into();
        let mut hub = self.hub();
        let hub = &mut *hub;
        let mut replace = |slot: &mut Message, json: Arc<str>| {
            hub.published += 1;
            let old = std::mem::replace(slot, (hub.published, json));
            hub.older.push_back((old.0, old.1.len(), Arc::downgrade(&old.1)));
        };
        if let Some(world) = world {
            replace(&mut hub.setup[0], world);
            hub.download = download_name(lab);
        }
        replace(&mut hub.setup[1], now);
        replace(&mut hub.frame, frame);
        hub.scenario = scenario;
        for s in &hub.subscribers {
            let mut mailbox = s.mailbox();
            if new_world {
                mailbox.setup = Some(hub.setup.clone());
                mailbox.history = None;
            } else if let Some(setup) = &mut mailbox.setup {
                setup[1] = hub.setup[1].clone();
            }
            // A frame skipped takes its charts' points with it: the tab gets the whole history
            // before the next frame (unless a setup brings it).
            let skipped = mailbox.frame.replace(hub.frame.clone()).is_some();
            if skipped {
                self.dropped.fetch_add(1, Ordering::Relaxed);
            }
            if (skipped || mailbox.history.is_some()) && mailbox.setup.is_none() {
                mailbox.history = Some(hub.setup[1].clone());
            }
            s.mail.notify_one();
        }
        hub.older.retain(|(_, _, message)| message.strong_count() > 0);
        let mut held: usize = hub.older.iter().map(|(_, bytes, _)| bytes).sum();
        while held > self.limits.held_bytes {
            let Some((number, bytes, _)) = hub.older.pop_front() else { break };
            for s in hub
                .subscribers
                .iter()
                .filter(|s| s.writing.iter().any(|w| w.load(Ordering::Relaxed) == number))
            {
                self.complaints.say(format_args!(
                    "dropped a tab too far behind: {} of older messages waited for slow tabs",
                    crate::experiment::budget::bytes_text(held as u64)
                ));
                s.cut();
            }
            held -= bytes;
        }
    }
}

/// Says on stderr what went wrong, at most once a second (a flood of refusals is one line a
/// second, with a count), so that nothing fails in silence and nothing floods the terminal.
struct Complaints {
    last: Mutex<(Option<Instant>, u64)>,
}

impl Complaints {
    fn say(&self, what: std::fmt::Arguments) {
        let mut last = self.last.lock().unwrap_or_else(|p| p.into_inner());
        match last.0 {
            Some(at) if at.elapsed() < Duration::from_secs(1) => last.1 += 1,
            _ => {
                let more = match last.1 {
                    0 => String::new(),
                    n => format!(" ({n} more notes in the second after the last one)"),
                };
                eprintln!("olika lab: {what}{more}");
                *last = (Some(Instant::now()), 0);
            }
        }
    }
}

/// A running lab server.
pub struct LabServer {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
    address: SocketAddr,
    url: String,
}

impl LabServer {
    /// Starts the server on `host:port` (port 0: a free one) for `lab`, with the usual limits.
    pub fn start(lab: Lab, host: &str, port: u16) -> Result<LabServer> {
        LabServer::start_with(lab, host, port, Limits::default())
    }

    /// Starts the server on `host:port` for `lab` within `limits`.
    pub fn start_with(lab: Lab, host: &str, port: u16, limits: Limits) -> Result<LabServer> {
        LabServer::start_inner(lab, host, port, limits, None)
    }

    /// Starts the server for a class (`olika lab --classroom`): students join at this machine's
    /// network address, the teacher at [`LabServer::teacher_url`]; the lab is a class's
    /// (`Lab::classroom`: at most `classroom::MOST_ORGANISATIONS`, settings at Setup).
    pub fn start_class(
        mut lab: Lab,
        host: &str,
        port: u16,
        limits: Limits,
        class: ClassLimits,
    ) -> Result<LabServer> {
        lab.classroom(super::classroom::MOST_ORGANISATIONS)?;
        LabServer::start_inner(lab, host, port, limits, Some(class))
    }

    fn start_inner(
        lab: Lab,
        host: &str,
        port: u16,
        limits: Limits,
        class: Option<ClassLimits>,
    ) -> Result<LabServer> {
        let listener = TcpListener::bind((host, port))
            .map_err(|e| Error::Run(format!("cannot listen on {host}:{port}: {e}; choose another --port")))?;
        let address =
            listener.local_addr().map_err(|e| Error::Run(format!("the server has no address: {e}")))?;
        let url = url_of(address);
        let room = class.map(|class| {
            let ip =
                super::classroom::network_address(host).unwrap_or(IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
            Room::new(&lab, url_of(SocketAddr::new(ip, address.port())), class)
        });
        let (orders, inbox) = mpsc::sync_channel(limits.workers.max(1));
        let (queue, waiting) = mpsc::sync_channel::<TcpStream>(limits.queue);
        let hub = Hub {
            setup: [(1, lab.setup_world().into()), (2, lab.setup_now().into())],
            frame: (3, lab.frame().into()),
            scenario: lab.scenario_file().into(),
            download: download_name(&lab),
            published: 3,
            subscribers: Vec::new(),
            older: VecDeque::new(),
        };
        let shared = Arc::new(Shared {
            hub: Mutex::new(hub),
            orders,
            host: host.to_ascii_lowercase(),
            port: address.port(),
            stop: AtomicBool::new(false),
            moving: AtomicBool::new(false),
            complaints: Complaints { last: Mutex::new((None, 0)) },
            dropped: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            room,
            limits,
        });
        let mut server = LabServer { shared: shared.clone(), threads: Vec::new(), address, url };
        let thread = |name: &str| std::thread::Builder::new().name(format!("olika lab {name}"));
        let cannot = |e: std::io::Error| Error::Run(format!("cannot start the lab's threads: {e}"));
        let started = {
            let shared = shared.clone();
            thread("runner").spawn(move || run_loop(&shared, lab, &inbox))
        };
        server.threads.push(started.map_err(cannot)?);
        let waiting = Arc::new(Mutex::new(waiting));
        for k in 0..shared.limits.workers.max(1) {
            let (shared, waiting) = (shared.clone(), waiting.clone());
            match thread(&format!("worker {k}")).spawn(move || work(&shared, &waiting)) {
                Ok(handle) => server.threads.push(handle),
                Err(e) => {
                    server.stop_threads();
                    return Err(cannot(e));
                }
            }
        }
        let started = {
            let shared = shared.clone();
            thread("listener").spawn(move || listen(&shared, &listener, queue))
        };
        match started {
            Ok(handle) => server.threads.push(handle),
            Err(e) => {
                server.stop_threads();
                return Err(cannot(e));
            }
        }
        Ok(server)
    }

    /// The address to open.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The class, with `--classroom`.
    pub fn room(&self) -> Option<&Room> {
        self.shared.room.as_ref()
    }

    /// The teacher's address with `--classroom`: the projector's page, the teacher's key in the
    /// address's fragment (which no browser sends; the page keeps it, `classroom`).
    pub fn teacher_url(&self) -> Option<String> {
        self.room().map(|room| format!("{}class#{}", self.url, room.teacher_key()))
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
        self.stop_threads();
    }

    fn stop_threads(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        for s in self.shared.hub().subscribers.iter() {
            s.cut();
        }
        // The listener waits in accept: a connection of our own wakes it to see the flag.
        let mut wake = self.address;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake.ip() {
                IpAddr::V4(_) => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
                IpAddr::V6(_) => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
            });
        }
        let _ = TcpStream::connect_timeout(&wake, Duration::from_secs(1));
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

use super::download_name;

/// The address of the lab listening at `address`, for a browser (unspecified: 127.0.0.1).
fn url_of(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V6(ip) if !ip.is_unspecified() => format!("http://[{ip}]:{}/", address.port()),
        ip if ip.is_unspecified() => format!("http://127.0.0.1:{}/", address.port()),
        ip => format!("http://{ip}:{}/", address.port()),
    }
}

/// The runner: the only thread that touches the world. It carries out each command as it comes,
/// between two steps, and while the world runs or has steps asked for it takes one step at a time,
/// with the pause the speed asks for; a frame every `draw_every` steps, but at most
/// `MOST_FRAMES_PER_SECOND` of them, and apart by twice what the last one took to make (a frame of
/// 10⁶ organisations is 16 MB of JSON): flat out, the world runs on between frames.
fn run_loop(shared: &Shared, mut lab: Lab, orders: &Receiver<Order>) {
    let least_gap = Duration::from_secs(1) / MOST_FRAMES_PER_SECOND;
    let mut last_frame = Instant::now() - least_gap;
    let mut gap = least_gap;
    // Publishes, and spaces the next frame by twice what this one took to make.
    let publish = |lab: &Lab, new_world: bool| {
        let started = Instant::now();
        shared.publish(lab, new_world);
        least_gap.max(2 * started.elapsed())
    };
    let mut next_step = Instant::now();
    // With a class, running waits for the month's choices or its time (`Room::ready`).
    let ready = |lab: &Lab| shared.room.as_ref().is_none_or(|room| room.ready(lab));
    while !shared.stop.load(Ordering::Relaxed) {
        let wait = if lab.busy() && ready(&lab) {
            next_step.saturating_duration_since(Instant::now())
        } else {
            IDLE_POLL
        };
        match orders.recv_timeout(wait) {
            Ok(Order::Command(command, answer)) => {
                let new_world =
                    matches!(command, Command::Reset | Command::Seed { .. } | Command::Preset { .. });
                let said = lab.command(command);
                if let Some(room) = &shared.room {
                    room.refresh(&lab, new_world);
                }
                if said.is_ok() {
                    gap = publish(&lab, new_world);
                    last_frame = Instant::now();
                    next_step = Instant::now();
                }
                // A worker that gave up waiting is no error of the runner's.
                let _ = answer.send(said);
                continue;
            }
            Ok(Order::Snapshot(answer)) => {
                let _ = answer.send(lab.snapshot());
                continue;
            }
            Ok(Order::Load(loaded, answer)) => {
                let said = lab.show_loaded(*loaded);
                gap = publish(&lab, true);
                (last_frame, next_step) = (Instant::now(), Instant::now());
                let _ = answer.send(said);
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if !lab.busy() || !ready(&lab) {
            continue;
        }
        if let Some(room) = &shared.room {
            room.before_step(&mut lab);
        }
        let stepped = lab.work();
        if let Some(room) = &shared.room {
            room.refresh(&lab, false);
        }
        next_step = Instant::now()
            + if lab.running { Duration::from_millis(u64::from(lab.delay_ms)) } else { Duration::ZERO };
        let due = !stepped || lab.world().t().is_multiple_of(lab.draw_every) || !lab.busy();
        if due && (last_frame.elapsed() >= gap || !lab.busy()) {
            gap = publish(&lab, false);
            last_frame = Instant::now();
        }
    }
}

/// The listener: hands each connection to the workers' queue, or refuses it at once when the
/// queue is full. It never stops for a failure: it says it, waits a moment (a process out of
/// file descriptors needs one) and goes on.
fn listen(shared: &Shared, listener: &TcpListener, queue: SyncSender<TcpStream>) {
    for connection in listener.incoming() {
        if shared.stop.load(Ordering::Relaxed) {
            break;
        }
        match connection {
            Ok(socket) if !admitted(shared, &socket) => {
                shared.complaints.say(format_args!("refused a connection: too many from one address"));
                refuse_at_once(socket);
            }
            Ok(socket) => match queue.try_send(socket) {
                Ok(()) => {}
                Err(TrySendError::Full(socket)) => {
                    left(shared, &socket);
                    let limits = &shared.limits;
                    shared.complaints.say(format_args!(
                        "the lab is full: refused a connection ({} waiting for {} workers)",
                        limits.queue, limits.workers
                    ));
                    refuse_at_once(socket);
                }
                Err(TrySendError::Disconnected(_)) => break,
            },
            Err(e) => {
                shared.complaints.say(format_args!("cannot accept a connection: {e}"));
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Whether a class admits one more connection from the socket's address (always without one).
fn admitted(shared: &Shared, socket: &TcpStream) -> bool {
    match (&shared.room, socket.peer_addr()) {
        (Some(room), Ok(peer)) => room.enter(peer.ip().to_canonical()),
        (Some(_), Err(_)) => false,
        (None, _) => true,
    }
}

/// A connection a class admitted is closed.
fn left(shared: &Shared, socket: &TcpStream) {
    if let (Some(room), Ok(peer)) = (&shared.room, socket.peer_addr()) {
        room.leave(peer.ip().to_canonical());
    }
}

/// Answers 503 without waiting for anything: what the client sent so far is read and dropped, the
/// answer fits any socket's buffer.
fn refuse_at_once(mut socket: TcpStream) {
    if socket.set_nonblocking(true).is_err() {
        return;
    }
    let mut sink = [0; 4096];
    for _ in 0..4 {
        if !matches!(socket.read(&mut sink), Ok(n) if n > 0) {
            break;
        }
    }
    let body = error_json("the lab is full: too many connections wait for an answer; try again in a moment");
    let _ = socket.write_all(&head(503, "application/json; charset=utf-8", body.len(), &[]).into_bytes());
    let _ = socket.write_all(body.as_bytes());
    let _ = socket.shutdown(Shutdown::Write);
}

/// A worker: answers the connections in the queue, one at a time, until the server stops.
fn work(shared: &Arc<Shared>, waiting: &Mutex<Receiver<TcpStream>>) {
    loop {
        let next = waiting.lock().unwrap_or_else(|p| p.into_inner()).recv_timeout(IDLE_POLL);
        match next {
            Ok(socket) => {
                if shared.stop.load(Ordering::Relaxed) {
                    break;
                }
                let peer = socket.peer_addr();
                serve(shared, socket);
                if let (Some(room), Ok(peer)) = (&shared.room, peer) {
                    room.leave(peer.ip().to_canonical());
                }
            }
            Err(RecvTimeoutError::Timeout) if !shared.stop.load(Ordering::Relaxed) => {}
            Err(_) => break,
        }
    }
}

/// A request as read: method, path (without its query), headers with lower-case names, the length
/// its body says it has, and its body (what came with the head until `read_body`).
pub(super) struct Request {
    pub(super) method: String,
    pub(super) path: String,
    headers: Vec<(String, String)>,
    length: usize,
    pub(super) body: Vec<u8>,
    /// Asked under the teacher's prefix of a class (`classroom::Room::claim`).
    pub(super) teacher: bool,
}

impl Request {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An answer that is not the one asked for: status and message.
type Refusal = (u16, String);

fn serve(shared: &Arc<Shared>, mut socket: TcpStream) {
    let _ = socket.set_nodelay(true);
    let deadline = Instant::now() + shared.limits.request_time;
    let mut request = match read_request(&mut socket, deadline) {
        Ok(Some(request)) => request,
        // Gone before it asked anything.
        Ok(None) => return,
        Err((status, message)) => return answer_error(shared, &mut socket, status, &message),
    };
    if let Err(message) = same_origin(shared, &socket, &request) {
        shared.complaints.say(format_args!("refused a request: {message}"));
        return answer_error(shared, &mut socket, 403, &message);
    }
    if let Some(room) = &shared.room {
        room.claim(&mut request);
    }
    // A body is read only from the lab's own page; a world file's by `files::load`, within its cap.
    // A class's student may send no more than the class allows, checked before a byte is read.
    if request.path != "/world" {
        let (most, what) = match &shared.room {
            Some(room) if !room.is_teacher(&request) => (room.most_body(), "a student's request"),
            _ => (MOST_COMMAND_BYTES, "a command"),
        };
        let too_long = |_| format!("{what} may have {most} bytes");
        if let Err((status, message)) = read_body(&mut socket, &mut request, most, too_long, deadline) {
            return answer_error(shared, &mut socket, status, &message);
        }
    }
    if let (Some(room), Ok(peer)) = (&shared.room, socket.peer_addr()) {
        if let Route::Answer(a) = room.route(&request, peer.ip().to_canonical()) {
            let extra: Vec<(&str, &str)> = a.extra.iter().map(|(n, v)| (*n, v.as_str())).collect();
            return answer(shared, &mut socket, a.status, a.content_type, &extra, &a.body);
        }
    }
    let json = "application/json; charset=utf-8";
    match (request.method.as_str(), request.path.as_str()) {
        ("GET", "/") => {
            let extra = [("X-Frame-Options", "DENY")];
            answer(shared, &mut socket, 200, "text/html; charset=utf-8", &extra, PAGE.as_bytes());
        }
        ("GET", "/events") => subscribe(shared, socket),
        ("GET", "/frame") => {
            let frame = shared.hub().frame.1.clone();
            answer(shared, &mut socket, 200, json, &[], frame.as_bytes());
        }
        ("GET", "/scenario.toml") => {
            let (scenario, name) = {
                let hub = shared.hub();
                (hub.scenario.clone(), hub.download.clone())
            };
            let disposition = format!("attachment; filename=\"{name}\"");
            let extra = [("Content-Disposition", disposition.as_str())];
            answer(shared, &mut socket, 200, "application/toml; charset=utf-8", &extra, scenario.as_bytes());
        }
        ("GET", "/world.state") => files::save(shared, &mut socket),
        ("POST", "/world") => files::load(shared, &mut socket, request, deadline),
        ("POST", "/command") => match command(shared, &request) {
            Ok(note) => {
                let body = serde_json::json!({ "ok": note }).to_string();
                answer(shared, &mut socket, 200, json, &[], body.as_bytes());
            }
            Err((status, message)) => answer_error(shared, &mut socket, status, &message),
        },
        (_, "/" | "/events" | "/frame" | "/scenario.toml" | "/world.state" | "/world") => {
            answer_error(
                shared,
                &mut socket,
                405,
                &format!("{} {} is not a request the lab knows", request.method, request.path),
            );
        }
        (_, "/command") => answer_error(shared, &mut socket, 405, "send a command with POST"),
        (_, path) => answer_error(shared, &mut socket, 404, &format!("no such page: {path}")),
    }
}

/// Reads one request's head within `deadline`, at most `MOST_HEAD_BYTES` (its body is read by
/// `read_body`, once the request is known to come from the lab's page); `None` when the client
/// closed without a word.
fn read_request(socket: &mut TcpStream, deadline: Instant) -> std::result::Result<Option<Request>, Refusal> {
    let mut bytes = Vec::with_capacity(1024);
    // Where to look for the blank line next: a client that sends a byte at a time costs no more.
    let mut scanned = 0;
    let end = loop {
        if let Some(k) = bytes[scanned..].windows(4).position(|w| w == b"\r\n\r\n") {
            break scanned + k;
        }
        scanned = bytes.len().saturating_sub(3);
        if bytes.len() >= MOST_HEAD_BYTES {
            return Err((431, format!("a request's line and headers may have {MOST_HEAD_BYTES} bytes")));
        }
        let room = MOST_HEAD_BYTES - bytes.len();
        if read_some(socket, &mut bytes, room.min(4096), deadline)? == 0 {
            return if bytes.is_empty() { Ok(None) } else { Err((400, "the request ended early".into())) };
        }
    };
    let head = std::str::from_utf8(&bytes[..end])
        .map_err(|_| (400, "the request's head is not UTF-8".to_string()))?;
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (first.next(), first.next(), first.next(), first.next())
    else {
        return Err((400, "not an HTTP request".into()));
    };
    if !version.starts_with("HTTP/1.") {
        return Err((505, "the lab speaks HTTP/1.1".into()));
    }
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line.split_once(':').ok_or((400, format!("not a header: {line:?}")))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        path: target.split('?').next().unwrap_or_default().to_string(),
        headers,
        length: 0,
        body: bytes[end + 4..].to_vec(),
        teacher: false,
    };
    if request.header("transfer-encoding").is_some() {
        return Err((501, "send a body with Content-Length".into()));
    }
    request.length = match request.header("content-length") {
        None => 0,
        Some(n) => n.parse::<usize>().map_err(|_| (400, format!("Content-Length: {n} is not a length")))?,
    };
    Ok(Some(request))
}

/// Reads the request's body within `deadline`: at most `most` bytes, else 413 with what
/// `too_long` says of the length.
fn read_body(
    socket: &mut TcpStream,
    request: &mut Request,
    most: usize,
    too_long: impl Fn(usize) -> String,
    deadline: Instant,
) -> std::result::Result<(), Refusal> {
    let length = request.length;
    if length > most {
        return Err((413, too_long(length)));
    }
    if request.body.len() < length
        && request.header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
    {
        // curl asks before it sends a body over 1 KiB.
        let _ = write_within(
            socket,
            &mut [IoSlice::new(b"HTTP/1.1 100 Continue\r\n\r\n")],
            Duration::from_secs(1),
        );
    }
    while request.body.len() < length {
        let room = length - request.body.len();
        if read_some(socket, &mut request.body, room, deadline)? == 0 {
            return Err((400, "the body ended early".into()));
        }
    }
    request.body.truncate(length);
    Ok(())
}

/// Reads at most `room` bytes onto `into`, waiting no later than `deadline`.
fn read_some(
    socket: &mut TcpStream,
    into: &mut Vec<u8>,
    room: usize,
    deadline: Instant,
) -> std::result::Result<usize, Refusal> {
    let late = || (408, "the request came too slowly".to_string());
    let mut chunk = [0; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(late());
        }
        socket.set_read_timeout(Some(left)).map_err(|_| late())?;
        match socket.read(&mut chunk[..room.min(4096)]) {
            Ok(n) => {
                into.extend_from_slice(&chunk[..n]);
                return Ok(n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return Err(late());
            }
            // A reset: as if the client had closed.
            Err(_) => return Ok(0),
        }
    }
}

/// Whether the request comes from the lab's own page: its `Host` is the lab's address and its
/// `Origin`, if any, is `http://` and the lab's address. Else why not.
fn same_origin(shared: &Shared, socket: &TcpStream, request: &Request) -> std::result::Result<(), String> {
    let arrived = socket.local_addr().ok().map(|a| a.ip().to_canonical());
    let ours = |authority: &str| -> bool {
        let (name, port) = split_authority(authority);
        let name = name.to_ascii_lowercase();
        let named = matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]")
            || (name == shared.host || name.trim_matches(['[', ']']) == shared.host)
            || arrived.is_some_and(|ip| name.trim_matches(['[', ']']).parse::<IpAddr>().ok() == Some(ip));
        named && port == Some(shared.port)
    };
    let host = request.header("host").ok_or("a request must say its Host")?;
    if !ours(host) {
        let open = match arrived {
            Some(IpAddr::V6(ip)) => format!("http://[{ip}]:{}/", shared.port),
            Some(ip) => format!("http://{ip}:{}/", shared.port),
            None => "the address olika lab printed".into(),
        };
        return Err(format!("Host: {host} is not this lab's address: open {open}"));
    }
    match request.header("origin") {
        Some(origin) if !origin.strip_prefix("http://").is_some_and(ours) => {
            Err(format!("Origin: {origin} is not this lab's page"))
        }
        _ => Ok(()),
    }
}

/// A `host[:port]` as name and port, 80 when none is given; `[v6]` keeps its brackets.
fn split_authority(authority: &str) -> (&str, Option<u16>) {
    let (name, port) = match authority.rfind(':') {
        Some(k) if !authority[k..].contains(']') => (&authority[..k], Some(&authority[k + 1..])),
        _ => (authority, None),
    };
    (name, port.map_or(Some(80), |p| p.parse().ok()))
}

/// Whether a request says `Content-Type: application/json`, which no form of another site can
/// send without the browser asking first; 415 if not.
pub(super) fn is_json(request: &Request) -> std::result::Result<(), Refusal> {
    let media = request.header("content-type").unwrap_or_default();
    if !media.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/json") {
        return Err((415, "send a command as Content-Type: application/json".into()));
    }
    Ok(())
}

/// Carries out a command through the runner: its answer, or why it was refused.
fn command(shared: &Shared, request: &Request) -> std::result::Result<String, Refusal> {
    is_json(request)?;
    let body =
        std::str::from_utf8(&request.body).map_err(|_| (400, "a command is UTF-8 JSON".to_string()))?;
    let command: Command =
        serde_json::from_str(body).map_err(|e| (400, format!("not a command the lab knows: {e}")))?;
    let (answer, said) = mpsc::sync_channel(1);
    let gone = || (503, "the lab's world has stopped: see the terminal that runs olika lab".to_string());
    shared.orders.send(Order::Command(command, answer)).map_err(|_| gone())?;
    said.recv().map_err(|_| gone())?.map_err(|message| (400, message))
}

/// Takes a tab's event stream onto a thread of its own, if there is room for one more.
fn subscribe(shared: &Arc<Shared>, mut socket: TcpStream) {
    let Ok(handle) = socket.try_clone() else {
        return answer_error(shared, &mut socket, 503, "the lab cannot open another stream now");
    };
    let subscriber = Arc::new(Subscriber {
        mailbox: Mutex::new(Mailbox::default()),
        mail: Condvar::new(),
        writing: [AtomicU64::new(0), AtomicU64::new(0)],
        socket: handle,
    });
    {
        let mut hub = shared.hub();
        if hub.subscribers.len() >= shared.limits.streams {
            drop(hub);
            let full =
                format!("the lab is full: {} tabs are watching; close one and reload", shared.limits.streams);
            shared.complaints.say(format_args!("{full}"));
            return answer_error(shared, &mut socket, 503, &full);
        }
        let mut mailbox = subscriber.mailbox();
        (mailbox.setup, mailbox.frame) = (Some(hub.setup.clone()), Some(hub.frame.clone()));
        drop(mailbox);
        hub.subscribers.push(subscriber.clone());
    }
    let spawned = {
        let (shared, subscriber) = (shared.clone(), subscriber.clone());
        std::thread::Builder::new()
            .name("olika lab tab".into())
            .stack_size(STREAM_STACK)
            .spawn(move || stream(&shared, &subscriber, socket))
    };
    if let Err(e) = spawned {
        shared.hub().subscribers.retain(|s| !Arc::ptr_eq(s, &subscriber));
        shared.complaints.say(format_args!("cannot start a thread for a tab: {e}"));
        let mut socket = &subscriber.socket;
        let body = error_json("the lab cannot open another stream now");
        let _ = socket.write_all(head(503, "application/json; charset=utf-8", body.len(), &[]).as_bytes());
        let _ = socket.write_all(body.as_bytes());
    }
}

/// A tab's event stream: the setup, then frames as they come, until the tab goes, is too slow to
/// take a message within `write_time` (which is said on stderr), or is dropped.
fn stream(shared: &Shared, subscriber: &Subscriber, mut socket: TcpStream) {
    let fed = feed(shared, subscriber, &mut socket);
    let slow = |e: &std::io::Error| {
        matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
    };
    if fed.as_ref().is_err_and(slow) && !subscriber.mailbox().closed {
        let seconds = shared.limits.write_time.as_secs_f64();
        shared.complaints.say(format_args!("dropped a tab that did not take a message within {seconds} s"));
    }
    let _ = socket.shutdown(Shutdown::Both);
    shared.hub().subscribers.retain(|s| !std::ptr::eq(&**s, subscriber));
}

/// Writes a tab's mail as it comes. Each message is written from the `Arc` every tab shares,
/// framed as `event:` and `data:` lines (JSON has no line breaks), never copied.
fn feed(shared: &Shared, subscriber: &Subscriber, socket: &mut TcpStream) -> std::io::Result<()> {
    let _ = socket.set_nodelay(true);
    let time = shared.limits.write_time;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    write_within(socket, &mut [IoSlice::new(head.as_bytes())], time)?;
    while !shared.stop.load(Ordering::Relaxed) {
        let (setup, history, frame) = {
            let mut mailbox = subscriber.mailbox();
            if mailbox.setup.is_none()
                && mailbox.history.is_none()
                && mailbox.frame.is_none()
                && !mailbox.closed
            {
                mailbox =
                    subscriber.mail.wait_timeout(mailbox, KEEP_ALIVE).unwrap_or_else(|p| p.into_inner()).0;
            }
            if mailbox.closed {
                return Ok(());
            }
            (mailbox.setup.take(), mailbox.history.take(), mailbox.frame.take())
        };
        if setup.is_none() && history.is_none() && frame.is_none() {
            // A comment keeps the connection alive and tells a closed one apart.
            write_within(socket, &mut [IoSlice::new(b": still here\n\n")], time)?;
        }
        if let Some([world, now]) = &setup {
            let mut parts = vec![IoSlice::new(b"event: setup\ndata: ")];
            parts.extend(super::joined(&[&world.1, &now.1]).iter().map(|p| IoSlice::new(p.as_bytes())));
            parts.push(IoSlice::new(b"\n\n"));
            write_message(subscriber, [world.0, now.0], socket, &mut parts, time)?;
        }
        if let Some((number, json)) = &history {
            let mut parts = [
                IoSlice::new(b"event: history\ndata: "),
                IoSlice::new(json.as_bytes()),
                IoSlice::new(b"\n\n"),
            ];
            write_message(subscriber, [*number, 0], socket, &mut parts, time)?;
        }
        if let Some((number, json)) = &frame {
            let mut parts =
                [IoSlice::new(b"event: frame\ndata: "), IoSlice::new(json.as_bytes()), IoSlice::new(b"\n\n")];
            write_message(subscriber, [*number, 0], socket, &mut parts, time)?;
            shared.sent.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// Writes one message to a tab within `time`, saying meanwhile which messages it holds.
fn write_message(
    subscriber: &Subscriber,
    numbers: [u64; 2],
    socket: &mut TcpStream,
    parts: &mut [IoSlice],
    time: Duration,
) -> std::io::Result<()> {
    for (writing, number) in subscriber.writing.iter().zip(numbers) {
        writing.store(number, Ordering::Relaxed);
    }
    let written = write_within(socket, parts, time);
    for writing in &subscriber.writing {
        writing.store(0, Ordering::Relaxed);
    }
    written
}

/// Writes every byte of `parts` within `time`, or fails: the connection is then not worth keeping.
fn write_within(socket: &mut TcpStream, parts: &mut [IoSlice], time: Duration) -> std::io::Result<()> {
    let deadline = Instant::now() + time;
    let mut parts = parts;
    IoSlice::advance_slices(&mut parts, 0);
    while !parts.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        socket.set_write_timeout(Some(left))?;
        match socket.write_vectored(parts) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut parts, n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// The status line and headers of an answer that closes the connection after its body.
fn head(status: u16, content_type: &str, length: usize, extra: &[(&str, &str)]) -> String {
    let reason = match status {
        200 => "OK",
        303 => "See Other",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        408 => "Request Timeout",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    };
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n"
    );
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head
}

fn error_json(message: &str) -> String {
    serde_json::json!({ "error": message }).to_string()
}

/// Writes an answer within `write_time` and closes the connection.
fn answer(
    shared: &Shared,
    socket: &mut TcpStream,
    status: u16,
    content_type: &str,
    extra: &[(&str, &str)],
    body: &[u8],
) {
    let head = head(status, content_type, body.len(), extra);
    // A client that went away or would not take its answer is no error of the lab's.
    let _ = write_within(
        socket,
        &mut [IoSlice::new(head.as_bytes()), IoSlice::new(body)],
        shared.limits.write_time,
    );
    let _ = socket.shutdown(Shutdown::Write);
}

fn answer_error(shared: &Shared, socket: &mut TcpStream, status: u16, message: &str) {
    answer(shared, socket, status, "application/json; charset=utf-8", &[], error_json(message).as_bytes());
}
