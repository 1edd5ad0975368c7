//! `olika lab --classroom`: a class plays the lab's world, each student an organisation, from
//! their own phone or laptop on the school's network (issue 29). The lab's server (`super::server`)
//! answers as always — its request parsing, its Host and Origin checks, its pool of workers and
//! its caps — and hands every request to the [`Room`] first, which answers the class's own and
//! decides who may reach the lab's:
//!
//! | request | who | answer |
//! |---|---|---|
//! | `GET /` | a student | the student's page (`student.html`); the teacher gets the lab's page |
//! | `GET /class` | anyone (a page with no secret in it) | the projector's page (`teacher.html`): join address, code, QR, class, controls, reveal |
//! | `GET /class/state` | the teacher | the class and the city now (JSON) |
//! | `POST /class/settings` | the teacher | seconds a month, how organisations are given out |
//! | `POST /class/remove` | the teacher | a student removed: their organisation back to the model |
//! | `GET /class/lesson` | the teacher | the lesson file (`output::lesson`), for `olika run --lesson` |
//! | `GET /class/report.html` | the teacher | that lesson replayed, as `olika run --lesson` writes it, its report.html |
//! | `POST /class/join` | with the code | a student's token and organisation |
//! | `POST /class/me` | with the code and a token | the student's view (JSON) |
//! | `POST /class/choose` | with the code and a token | the student's choices for the coming month |
//! | `/teacher/KEY/…`: the lab's own (`/`, `/events`, `/command`, …) | the teacher | as in `olika lab` |
//!
//! Who is the teacher: whoever holds the teacher's key — 128 random bits, printed in the terminal
//! that started the lab as the address `/class#KEY`. The key is in the address's fragment, which
//! a browser never sends: the projector's page keeps it in its tab's sessionStorage, takes it
//! out of the address bar (the projector shows no key) and sends it as the `X-Olika-Teacher`
//! header of its requests. No cookie: a browser sends a cookie of 127.0.0.1 to every port of
//! it, so another program's page on this laptop would have been the teacher too. The full lab,
//! whose page (shared with `olika lab`) asks with relative addresses and an event stream that
//! cannot carry a header, is served under `/teacher/KEY/`: every request it makes carries the
//! key in its path, and the server takes the prefix off before it answers (`Room::claim`). Not
//! "whoever connects from this machine": that would make every tab of the teacher's laptop a
//! teacher, and it would break behind any proxy; a key goes where the teacher takes it.
//!
//! Who is a student: whoever knows the join code (six digits, on the projector) and joined; each
//! request then carries the code and the student's token (128 random bits), which is bound to one
//! organisation: a student can choose for that organisation and no other.
//!
//! Caps, on top of the server's ([`super::server::Limits`]): students ([`ClassLimits::students`]),
//! connections open from one address ([`ClassLimits::per_address`]), requests a second from one
//! address ([`ClassLimits::per_second`], a bucket of [`ClassLimits::burst`]), the bytes of a
//! student's request ([`ClassLimits::most_body`]), and wrong codes or tokens: after
//! [`ClassLimits::wrong_tries`] an address is refused for [`ClassLimits::lockout`], so a scanner
//! that guesses codes gets a few guesses a minute among a million codes. The addresses
//! remembered are at most [`MOST_ADDRESSES`]. Nothing on the teacher's disk is served: every page
//! is a text compiled into olika.
//!
//! The terminal hears of the class (`Room::note`): joins, removals, a full class, lockouts and
//! floods — each refusal at most once a minute per address, with how many were not said.
//!
//! A class's world is a lesson that can be replayed (`olika run --lesson`): in class mode the lab
//! applies a setting only at Setup (`Lab::classroom`), refuses a city of more than
//! [`MOST_ORGANISATIONS`] and a loaded world, and the class keeps the choices applied each month.

mod class;

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

use super::server::Request;
use super::Lab;
pub(crate) use class::{Chosen, Class, Picking};

/// The student's page.
pub const STUDENT_PAGE: &str = include_str!("student.html");

/// The teacher's page.
pub const TEACHER_PAGE: &str = include_str!("teacher.html");

/// The most organisations a class's city may have: the class's copy of the world is made every
/// month, and the teacher's page draws every organisation.
pub const MOST_ORGANISATIONS: usize = 5_000;

/// The most addresses the room remembers (connections, requests, wrong codes); past it the
/// forgotten are those quiet for a minute, and a new address is refused while none is.
pub const MOST_ADDRESSES: usize = 4_096;

/// The header the teacher's page sends the teacher's key in.
const KEY_HEADER: &str = "x-olika-teacher";

/// Lines of the terminal's notes the room keeps for `Room::notes`.
const KEPT_NOTES: usize = 64;

/// What makes a lesson's report.html: the lesson replayed as `olika run --lesson` does, into a
/// private folder (the binary wires `commands::run::lesson`; the lab sits below the commands).
pub type Reporter = Box<dyn Fn(&crate::output::lesson::Lesson) -> Result<Vec<u8>, String> + Send + Sync>;

/// What a class allows itself.
#[derive(Debug, Clone)]
pub struct ClassLimits {
    /// Students who may join.
    pub students: usize,
    /// Connections open at once from one address.
    pub per_address: u32,
    /// Requests a second from one address, on average.
    pub per_second: f64,
    /// Requests one address may make at once after a quiet while.
    pub burst: f64,
    /// Wrong codes or tokens from one address before it is locked out.
    pub wrong_tries: u32,
    /// How long an address that guessed is refused.
    pub lockout: Duration,
    /// Bytes of a student's request body.
    pub most_body: usize,
    /// Students one address may join as: a device that joins again (a closed tab loses its
    /// token) or a pair sharing a laptop, but not one device taking every seat of the class.
    pub joins_per_address: u32,
}

impl Default for ClassLimits {
    /// A class of 60: 8 connections an address (a browser opens 6 at most), 5 requests a second
    /// (a student's page asks every 2 s), bursts of 20, 5 wrong tries in a row then a minute out,
    /// 2 KiB, 3 joins an address.
    fn default() -> ClassLimits {
        ClassLimits {
            students: 60,
            per_address: 8,
            per_second: 5.0,
            burst: 20.0,
            wrong_tries: 5,
            lockout: Duration::from_secs(60),
            most_body: 2048,
            joins_per_address: 3,
        }
    }
}

/// What the room knows of one address.
struct Peer {
    open: u32,
    /// Requests it may make now (a bucket refilled at `per_second`).
    allowance: f64,
    seen: Instant,
    /// Wrong codes or tokens since its last right one.
    wrong: u32,
    locked_until: Option<Instant>,
    /// Students it joined as.
    joined: u32,
    /// When a refusal of it was last said in the terminal, and refusals not said since.
    said: Option<Instant>,
    unsaid: u32,
}

impl Peer {
    /// An address first seen `now`, with a full bucket of `burst` requests.
    fn new(now: Instant, burst: f64) -> Peer {
        Peer {
            open: 0,
            allowance: burst,
            seen: now,
            wrong: 0,
            locked_until: None,
            joined: 0,
            said: None,
            unsaid: 0,
        }
    }
}

/// What the server does with a request after the room saw it.
pub(super) enum Route {
    /// The teacher's request for the lab itself: the server answers it as `olika lab` does.
    Lab,
    /// The room's answer.
    Answer(Answer),
}

/// An answer: status, content type, extra headers and body.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) extra: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

const JSON: &str = "application/json; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";

/// The class's pages fetch nothing, frame nothing and may be framed by nothing.
const PAGE_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-ancestors 'none'";

impl Answer {
    fn json(status: u16, value: &serde_json::Value) -> Route {
        Route::Answer(Answer {
            status,
            content_type: JSON,
            extra: Vec::new(),
            body: value.to_string().into_bytes(),
        })
    }

    fn refused((status, message): (u16, String)) -> Route {
        Answer::json(status, &json!({ "error": message }))
    }

    fn page(text: &str) -> Route {
        let extra =
            vec![("Content-Security-Policy", PAGE_POLICY.to_string()), ("X-Frame-Options", "DENY".into())];
        Route::Answer(Answer { status: 200, content_type: HTML, extra, body: text.as_bytes().to_vec() })
    }
}

/// The class and its guard, shared by the server's threads. The class's lock is held for a
/// request's work on the class alone, never across a step: the runner steps the lab's world and
/// then hands the class a copy (`refresh`).
pub struct Room {
    class: Mutex<Class>,
    peers: Mutex<HashMap<IpAddr, Peer>>,
    limits: ClassLimits,
    /// The address students open, and its QR code as SVG.
    join: String,
    qr: String,
    /// What makes the lesson's report, once the binary has given it (`Room::report_with`).
    reporter: OnceLock<Reporter>,
    /// A report is being made: one at a time.
    reporting: AtomicBool,
    /// The terminal's last notes, for tests.
    notes: Mutex<VecDeque<String>>,
}

/// The teacher removes a student.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Removal {
    organisation: u32,
}

/// A student's request: the join code, and the token once joined.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StudentBody {
    code: String,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    sector: Option<String>,
    #[serde(default)]
    choice: Option<Chosen>,
}

/// The teacher's settings.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    #[serde(default)]
    round_seconds: Option<u32>,
    #[serde(default)]
    picking: Option<String>,
}

impl Room {
    /// A room for the lab's world, students joining at `join`.
    pub(super) fn new(lab: &Lab, join: String, limits: ClassLimits) -> Room {
        let qr = qrcode::QrCode::new(join.as_bytes())
            .map(|code| {
                code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build()
            })
            .unwrap_or_default();
        // The SVG goes inside the teacher's page: its XML declaration would not.
        let qr = qr.find("<svg").map_or(String::new(), |k| qr[k..].to_string());
        Room {
            class: Mutex::new(Class::new(lab.world(), limits.students)),
            peers: Mutex::new(HashMap::new()),
            limits,
            join,
            qr,
            reporter: OnceLock::new(),
            reporting: AtomicBool::new(false),
            notes: Mutex::new(VecDeque::new()),
        }
    }

    /// Gives the room what makes the lesson's report (once; later calls change nothing).
    pub fn report_with(&self, reporter: Reporter) {
        let _ = self.reporter.set(reporter);
    }

    /// Says a line in the terminal (and keeps it for `notes`). A refusal (`from` an address) is
    /// said at most once a minute per address, with how many were not: a flood is a line a minute.
    fn note(&self, from: Option<IpAddr>, line: &str) {
        let mut line = line.to_string();
        if let Some(ip) = from {
            let mut peers = self.peers();
            let Some(peer) = peers.get_mut(&ip) else { return };
            let now = Instant::now();
            if peer.said.is_some_and(|at| now.duration_since(at) < Duration::from_secs(60)) {
                peer.unsaid += 1;
                return;
            }
            if peer.unsaid > 0 {
                line = format!("{line} ({} more refusals of {ip} in the minute before)", peer.unsaid);
            }
            (peer.said, peer.unsaid) = (Some(now), 0);
        }
        eprintln!("olika lab: {line}");
        let mut notes = self.notes.lock().unwrap_or_else(|p| p.into_inner());
        if notes.len() >= KEPT_NOTES {
            notes.pop_front();
        }
        notes.push_back(line);
    }

    /// The terminal's last notes of the class, oldest first.
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned().collect()
    }

    fn class(&self) -> MutexGuard<'_, Class> {
        self.class.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn peers(&self) -> MutexGuard<'_, HashMap<IpAddr, Peer>> {
        self.peers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The join code.
    pub fn code(&self) -> String {
        self.class().code.clone()
    }

    /// The teacher's key.
    pub fn teacher_key(&self) -> String {
        self.class().teacher_key.clone()
    }

    /// What the room holds, all of it bounded: students (at most `ClassLimits::students`), choices
    /// waiting for a month (at most one an organisation, forgotten when the month is played) and
    /// addresses remembered (at most `MOST_ADDRESSES`).
    pub fn held(&self) -> [usize; 3] {
        let class = self.class();
        [class.students(), class.waiting(), self.peers().len()]
    }

    /// The address students open.
    pub fn join_url(&self) -> &str {
        &self.join
    }

    /// A connection from `ip` opens: whether it may (the listener refuses it at once if not).
    pub(super) fn enter(&self, ip: IpAddr) -> bool {
        let mut peers = self.peers();
        let now = Instant::now();
        if !peers.contains_key(&ip) && peers.len() >= MOST_ADDRESSES {
            peers.retain(|_, p| {
                p.open > 0
                    || now.duration_since(p.seen) < Duration::from_secs(60)
                    || p.locked_until.is_some_and(|u| u > now)
            });
            if peers.len() >= MOST_ADDRESSES {
                return false;
            }
        }
        let burst = self.limits.burst;
        let peer = peers.entry(ip).or_insert_with(|| Peer::new(now, burst));
        if peer.open >= self.limits.per_address {
            return false;
        }
        peer.open += 1;
        true
    }

    /// A connection from `ip` closed.
    pub(super) fn leave(&self, ip: IpAddr) {
        if let Some(peer) = self.peers().get_mut(&ip) {
            peer.open = peer.open.saturating_sub(1);
        }
    }

    /// Whether `ip` may make a request now: not locked out, and within its rate.
    fn admit(&self, ip: IpAddr) -> Result<(), (u16, String)> {
        let mut peers = self.peers();
        let now = Instant::now();
        let limits = &self.limits;
        let peer = peers.entry(ip).or_insert_with(|| Peer::new(now, limits.burst));
        if let Some(until) = peer.locked_until {
            if until > now {
                let seconds = until.duration_since(now).as_secs() + 1;
                drop(peers);
                self.note(Some(ip), &format!("{ip} is locked out for {seconds} s more after wrong codes"));
                return Err((
                    429,
                    format!("too many wrong codes: wait {seconds} s and check the code on the screen"),
                ));
            }
            (peer.locked_until, peer.wrong) = (None, 0);
        }
        let refill = now.duration_since(peer.seen).as_secs_f64() * limits.per_second;
        peer.allowance = (peer.allowance + refill).min(limits.burst);
        peer.seen = now;
        if peer.allowance < 1.0 {
            drop(peers);
            self.note(Some(ip), &format!("{ip} sends too many requests: refused"));
            return Err((429, "too many requests from this device: slow down".into()));
        }
        peer.allowance -= 1.0;
        Ok(())
    }

    /// A wrong code or token from `ip`: counted, and past `wrong_tries` the address is locked out.
    fn wrong(&self, ip: IpAddr) {
        let mut peers = self.peers();
        if let Some(peer) = peers.get_mut(&ip) {
            peer.wrong += 1;
            if peer.wrong >= self.limits.wrong_tries && peer.locked_until.is_none() {
                peer.locked_until = Some(Instant::now() + self.limits.lockout);
                let seconds = self.limits.lockout.as_secs();
                drop(peers);
                self.note(
                    None,
                    &format!(
                        "{ip} locked out for {seconds} s: {} wrong codes or keys",
                        self.limits.wrong_tries
                    ),
                );
            }
        }
    }

    /// A right code and token from `ip`: its wrong tries start again from none, so a mistyped
    /// code now and then never adds up to a lockout.
    fn right(&self, ip: IpAddr) {
        if let Some(peer) = self.peers().get_mut(&ip) {
            peer.wrong = 0;
        }
    }

    /// Whether `ip` may join as one more student (`ClassLimits::joins_per_address`).
    fn may_join(&self, ip: IpAddr) -> Result<(), (u16, String)> {
        let joined = self.peers().get(&ip).map_or(0, |peer| peer.joined);
        if joined >= self.limits.joins_per_address {
            return Err((
                429,
                format!(
                    "this device has joined {joined} times already: ask the teacher, who sees the class list"
                ),
            ));
        }
        Ok(())
    }

    /// Bytes a student's request body may have (`ClassLimits::most_body`).
    pub(super) fn most_body(&self) -> usize {
        self.limits.most_body
    }

    /// Whether the request carries the teacher's key: in its header, or in its path's prefix
    /// (taken off by `claim`).
    pub(super) fn is_teacher(&self, request: &Request) -> bool {
        request.teacher || request.header(KEY_HEADER).is_some_and(|k| k == self.teacher_key())
    }

    /// Takes the full lab's prefix `/teacher/KEY` off a request's path when the key is the
    /// teacher's, marking it the teacher's. A wrong key is left for `route` to refuse.
    pub(super) fn claim(&self, request: &mut Request) {
        let key = self.teacher_key();
        let prefix = format!("/teacher/{key}");
        if let Some(rest) = request.path.strip_prefix(&prefix) {
            if rest.is_empty() || rest.starts_with('/') {
                request.path = if rest.is_empty() { "/".into() } else { rest.to_string() };
                request.teacher = true;
            }
        }
    }

    /// Answers the class's requests, refuses the lab's to anyone but the teacher, and passes the
    /// teacher's on to the lab.
    pub(super) fn route(&self, request: &Request, ip: IpAddr) -> Route {
        let teacher = self.is_teacher(request);
        if !teacher {
            if let Err(refused) = self.admit(ip) {
                return Answer::refused(refused);
            }
        }
        let (method, path) = (request.method.as_str(), request.path.as_str());
        if !teacher && (path.starts_with("/teacher/") || request.header(KEY_HEADER).is_some()) {
            self.wrong(ip);
            return Answer::refused((
                403,
                "not the teacher's key: open the address olika lab printed".into(),
            ));
        }
        match (teacher, method, path) {
            (false, "GET", "/") => Answer::page(STUDENT_PAGE),
            (_, "POST", "/class/join" | "/class/me" | "/class/choose") => self.student(request, ip),
            (_, "GET", "/class") => Answer::page(TEACHER_PAGE),
            (true, "POST", "/class/remove") => self.remove(request),
            (true, "GET", "/class/lesson") => self.lesson(),
            (true, "POST", "/world") => Answer::refused((
                409,
                "a class's world is a lesson replayed from its month 0: a loaded world cannot be; choose a scenario and press Setup".into(),
            )),
            (true, "GET", "/class/state") => {
                let class = self.class();
                let places = super::layout::places(class.world());
                let mut state = class.teacher(&places);
                drop(class);
                state["join"] = json!(self.join);
                state["qr"] = json!(self.qr);
                Answer::json(200, &state)
            }
            (true, "POST", "/class/settings") => self.settings(request),
            (true, "GET", "/class/report.html") => self.report(),
            (true, _, _) => Route::Lab,
            (
                false,
                _,
                "/class/state" | "/class/settings" | "/class/report.html" | "/class/lesson" | "/class/remove"
                | "/events" | "/frame" | "/command" | "/scenario.toml" | "/world" | "/world.state",
            ) => Answer::refused((
                403,
                "this is the teacher's: students open the join address and type the code".into(),
            )),
            (false, _, path) => Answer::refused((404, format!("no such page: {path}"))),
        }
    }

    /// A student's request: the code checked first, then the token, then what was asked.
    fn student(&self, request: &Request, ip: IpAddr) -> Route {
        let body: StudentBody = match self.read(request) {
            Ok(body) => body,
            Err(refused) => return Answer::refused(refused),
        };
        let mut class = self.class();
        if body.code.trim() != class.code {
            drop(class);
            self.wrong(ip);
            self.note(Some(ip), &format!("{ip} sent a wrong code"));
            return Answer::refused((403, "that is not the class's code: check the screen".into()));
        }
        if request.path == "/class/join" {
            if let Err(refused) = self.may_join(ip) {
                drop(class);
                self.note(Some(ip), &format!("{ip} refused: joined too often"));
                return Answer::refused(refused);
            }
            let name = body.name.unwrap_or_default();
            return match class.join(&name, body.sector.as_deref()) {
                Ok((token, organisation, name)) => {
                    let joined = class.students();
                    drop(class);
                    self.right(ip);
                    if let Some(peer) = self.peers().get_mut(&ip) {
                        peer.joined += 1;
                    }
                    self.note(
                        None,
                        &format!(
                            "{name} joined from {ip} as organisation {organisation} ({joined} {})",
                            if joined == 1 { "student" } else { "students" }
                        ),
                    );
                    Answer::json(200, &json!({"token": token, "organisation": organisation, "name": name}))
                }
                Err(refused) => {
                    drop(class);
                    if refused.0 == 503 {
                        self.note(Some(ip), &format!("{ip} refused: {}", refused.1));
                    }
                    Answer::refused(refused)
                }
            };
        }
        let token = body.token.unwrap_or_default();
        if !class.knows(&token) {
            drop(class);
            self.wrong(ip);
            return Answer::refused((403, "this device has not joined the class: join again".into()));
        }
        self.right(ip);
        if request.path == "/class/me" {
            return match class.view(&token) {
                Some(view) => Answer::json(200, &view),
                None => Answer::refused((403, "join the class first".into())),
            };
        }
        let Some(chosen) = body.choice else {
            return Answer::refused((400, "send your choice".into()));
        };
        match class.choose(&token, &chosen) {
            Ok(note) => Answer::json(200, &json!({ "ok": note })),
            Err(refused) => Answer::refused(refused),
        }
    }

    /// A request's body: JSON of at most `most_body` bytes, of the type asked for; else why not.
    fn read<T: serde::de::DeserializeOwned>(&self, request: &Request) -> Result<T, (u16, String)> {
        super::server::is_json(request)?;
        let most = self.limits.most_body;
        if request.body.len() > most {
            return Err((413, format!("a class's request may have {most} bytes")));
        }
        serde_json::from_slice(&request.body)
            .map_err(|e| (400, format!("not a request the class knows: {e}")))
    }

    /// The teacher's settings: seconds a month, how organisations are given out.
    fn settings(&self, request: &Request) -> Route {
        let settings: Settings = match self.read(request) {
            Ok(settings) => settings,
            Err(refused) => return Answer::refused(refused),
        };
        let mut class = self.class();
        if let Some(seconds) = settings.round_seconds {
            if !(5..=600).contains(&seconds) {
                return Answer::refused((400, "seconds a month: from 5 to 600".into()));
            }
            class.round_seconds = seconds;
        }
        if let Some(word) = settings.picking {
            match Picking::parse(&word) {
                Some(p) => class.picking = p,
                None => {
                    return Answer::refused((
                        400,
                        "give out organisations: even, students, public, private or civil".into(),
                    ))
                }
            }
        }
        Answer::json(200, &json!({ "ok": "saved" }))
    }

    /// The teacher removes a student: their organisation goes back to the model.
    fn remove(&self, request: &Request) -> Route {
        let removal: Removal = match self.read(request) {
            Ok(removal) => removal,
            Err(refused) => return Answer::refused(refused),
        };
        let a = removal.organisation;
        let removed = self.class().remove(a);
        match removed {
            Some(name) => {
                self.note(None, &format!("{name} (organisation {a}) removed by the teacher"));
                Answer::json(
                    200,
                    &json!({ "ok": format!("{name} was removed: organisation {a} is the model's again") }),
                )
            }
            None => Answer::refused((404, format!("no student plays organisation {a}"))),
        }
    }

    /// The lesson file, as a download.
    fn lesson(&self) -> Route {
        let lesson = self.class().lesson();
        let text = match lesson.and_then(|l| l.encode().map_err(|e| e.to_string())) {
            Ok(text) => text,
            Err(e) => return Answer::refused((500, format!("the lesson cannot be written: {e}"))),
        };
        let extra = vec![("Content-Disposition", "attachment; filename=\"lesson.olika.toml\"".to_string())];
        Route::Answer(Answer {
            status: 200,
            content_type: "application/toml; charset=utf-8",
            extra,
            body: text.into_bytes(),
        })
    }

    /// The lesson's report.html: the lesson replayed as `olika run --lesson` does, on this worker
    /// (never the runner, and without the class's lock, which is held only to copy the lesson),
    /// one report at a time.
    fn report(&self) -> Route {
        let Some(reporter) = self.reporter.get() else {
            return Answer::refused((
                501,
                "this lab makes no report: run `olika run --lesson` on the downloaded lesson".into(),
            ));
        };
        let lesson = match self.class().lesson() {
            Ok(lesson) if lesson.months > 0 => lesson,
            Ok(_) => {
                return Answer::refused((409, "the class has played no month yet: step a month first".into()))
            }
            Err(e) => return Answer::refused((500, e)),
        };
        if self.reporting.swap(true, Ordering::AcqRel) {
            return Answer::refused((503, "a report is being made: try again in a moment".into()));
        }
        let made = reporter(&lesson);
        self.reporting.store(false, Ordering::Release);
        match made {
            Ok(html) => {
                let extra = vec![
                    ("Content-Disposition", "attachment; filename=\"report.html\"".to_string()),
                    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'".to_string()),
                ];
                Route::Answer(Answer { status: 200, content_type: HTML, extra, body: html })
            }
            Err(e) => Answer::refused((500, format!("the report could not be made: {e}"))),
        }
    }

    /// Whether the runner may take the next step: stepping asked for by the teacher is taken at
    /// once; running waits for the month's choices or its time.
    pub(super) fn ready(&self, lab: &Lab) -> bool {
        !lab.running || self.class().due(Instant::now())
    }

    /// Before a step: the students' choices for it steer the world, and the lesson's log keeps
    /// what was applied.
    pub(super) fn before_step(&self, lab: &mut Lab) {
        let month = lab.world().t() + 1;
        let steering = self.class().steering(month);
        let applied = match lab.world.steer(steering.clone()) {
            Ok(()) => steering,
            Err(e) => {
                self.note(None, &format!("month {month} played without the class's choices: {e}"));
                Default::default()
            }
        };
        self.class().played(month, &applied);
    }

    /// After a step or a command (`new_world`: one that made a new world): the class sees the
    /// world now.
    pub(super) fn refresh(&self, lab: &Lab, new_world: bool) {
        self.class().refresh(lab.world(), lab.running, new_world);
    }
}

/// The address students open: the `--host` given, or this machine's address on the network its
/// default route leads to (asked of the system by "connecting" a UDP socket, which sends nothing);
/// `None` when it has none (no network).
pub fn network_address(host: &str) -> Option<IpAddr> {
    let given: Option<IpAddr> = host.parse().ok();
    if let Some(ip) = given.filter(|ip| !ip.is_unspecified() && !ip.is_loopback()) {
        return Some(ip);
    }
    let socket = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
    // TEST-NET-1 (RFC 5737): routed by the default route, never answered, and nothing is sent.
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}
