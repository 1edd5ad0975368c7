//! `olika lab --classroom`: a class plays the lab's world, each student an organisation, from
//! their own phone or laptop on the school's network (issue 29). The lab's server (`super::server`)
//! answers as always — its request parsing, its Host and Origin checks, its pool of workers and
//! its caps — and hands every request to the [`Room`] first, which answers the class's own and
//! decides who may reach the lab's:
//!
//! | request | who | answer |
//! |---|---|---|
//! | `GET /` | a student | the student's page (`student.html`); the teacher gets the lab's page |
//! | `GET /teacher/KEY` | whoever holds the key printed in the terminal | the teacher's cookie, and on to `/class` |
//! | `GET /class` | the teacher | the projector's page (`teacher.html`): join address, code, QR, class, controls, reveal |
//! | `GET /class/state` | the teacher | the class and the city now (JSON) |
//! | `POST /class/settings` | the teacher | seconds a month, how organisations are given out |
//! | `GET /class/report.html` | the teacher | the class's world as a page, students' organisations named |
//! | `POST /class/join` | with the code | a student's token and organisation |
//! | `POST /class/me` | with the code and a token | the student's view (JSON) |
//! | `POST /class/choose` | with the code and a token | the student's choices for the coming month |
//! | the lab's own (`/events`, `/command`, …) | the teacher | as in `olika lab` |
//!
//! Who is the teacher: whoever holds the teacher's key — 128 random bits, printed in the terminal
//! that started the lab, given to the teacher's browser as an HttpOnly, SameSite=Strict cookie
//! when it opens `/teacher/KEY`. Not "whoever connects from this machine": that would make every
//! tab of the teacher's laptop a teacher (and a student trying the class on it), and it would
//! break behind any proxy; a key goes where the teacher takes it and nowhere else.
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

mod class;
mod report;

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard};
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

/// The cookie that holds the teacher's key.
const COOKIE: &str = "olika_teacher";

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
}

impl Peer {
    /// An address first seen `now`, with a full bucket of `burst` requests.
    fn new(now: Instant, burst: f64) -> Peer {
        Peer { open: 0, allowance: burst, seen: now, wrong: 0, locked_until: None, joined: 0 }
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
        }
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
            if peer.wrong >= self.limits.wrong_tries {
                peer.locked_until = Some(Instant::now() + self.limits.lockout);
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

    /// Whether the request carries the teacher's key.
    pub(super) fn is_teacher(&self, request: &Request) -> bool {
        let key = self.teacher_key();
        request.header("cookie").is_some_and(|cookies| {
            cookies.split(';').filter_map(|c| c.trim().split_once('=')).any(|(n, v)| n == COOKIE && v == key)
        })
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
        if let Some(key) = path.strip_prefix("/teacher/") {
            if method != "GET" {
                return Answer::refused((405, "open the teacher's address with GET".into()));
            }
            if key != self.teacher_key() {
                self.wrong(ip);
                return Answer::refused((
                    403,
                    "not the teacher's key: copy the address olika lab printed".into(),
                ));
            }
            let cookie = format!("{COOKIE}={key}; Path=/; HttpOnly; SameSite=Strict");
            let extra = vec![("Set-Cookie", cookie), ("Location", "/class".into())];
            return Route::Answer(Answer { status: 303, content_type: HTML, extra, body: Vec::new() });
        }
        match (teacher, method, path) {
            (false, "GET", "/") => Answer::page(STUDENT_PAGE),
            (_, "POST", "/class/join" | "/class/me" | "/class/choose") => self.student(request, ip),
            (true, "GET", "/class") => Answer::page(TEACHER_PAGE),
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
            (true, "GET", "/class/report.html") => {
                let class = self.class();
                let html = report::page(class.world(), &class.names(), &class.reveal());
                let extra = vec![
                    ("Content-Disposition", "attachment; filename=\"report.html\"".to_string()),
                    ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'".to_string()),
                ];
                Route::Answer(Answer { status: 200, content_type: HTML, extra, body: html.into_bytes() })
            }
            (true, _, _) => Route::Lab,
            (
                false,
                _,
                "/class" | "/class/state" | "/class/settings" | "/class/report.html" | "/events" | "/frame"
                | "/command" | "/scenario.toml",
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
            return Answer::refused((403, "that is not the class's code: check the screen".into()));
        }
        if request.path == "/class/join" {
            if let Err(refused) = self.may_join(ip) {
                return Answer::refused(refused);
            }
            let name = body.name.unwrap_or_default();
            return match class.join(&name, body.sector.as_deref()) {
                Ok((token, organisation)) => {
                    drop(class);
                    self.right(ip);
                    if let Some(peer) = self.peers().get_mut(&ip) {
                        peer.joined += 1;
                    }
                    Answer::json(200, &json!({"token": token, "organisation": organisation}))
                }
                Err(refused) => Answer::refused(refused),
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

    /// Whether the runner may take the next step: stepping asked for by the teacher is taken at
    /// once; running waits for the month's choices or its time.
    pub(super) fn ready(&self, lab: &Lab) -> bool {
        !lab.running || self.class().due(Instant::now())
    }

    /// Before a step: the students' choices for it steer the world.
    pub(super) fn before_step(&self, lab: &mut Lab) {
        let month = lab.world().t() + 1;
        let steering = self.class().steering(month);
        if let Err(e) = lab.world.steer(steering) {
            eprintln!("olika lab: month {month} played without the class's choices: {e}");
        }
    }

    /// After a step or a command: the class sees the world now.
    pub(super) fn refresh(&self, lab: &Lab) {
        self.class().refresh(lab.world(), lab.running);
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
