//! `olika lab --classroom` (issue 29): a lesson of 30 scripted students over loopback, each choice
//! applied in the month it was made for; who may do what (a student only for their own
//! organisation, the lab's controls only for the teacher, no file of the machine); the caps; and,
//! run by .ci/run, a teacher's window and two students' windows in Chromium.

use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::lab::{address, request, resident_bytes, Browser};
use olika::lab::classroom::ClassLimits;
use olika::lab::server::{LabServer, Limits};
use olika::lab::{Lab, Source};

/// A class on the baseline for `steps` months, its report made as `olika lab --classroom` makes it.
fn class(steps: u32, limits: ClassLimits) -> LabServer {
    let lab = Lab::new(Source::Baseline, vec![format!("steps={steps}")]).unwrap();
    let server = LabServer::start_class(lab, "127.0.0.1", 0, Limits::default(), limits).unwrap();
    server.room().unwrap().report_with(Box::new(olika::commands::run::lesson_report));
    server
}

/// Limits that let one address (the test's, 127.0.0.1) play a whole class.
fn one_address_plays_all() -> ClassLimits {
    ClassLimits {
        per_address: 64,
        per_second: 10_000.0,
        burst: 10_000.0,
        joins_per_address: u32::MAX,
        ..ClassLimits::default()
    }
}

/// A student's request: (status, JSON answer).
fn student(at: &str, path: &str, body: &Value) -> (u16, Value) {
    let (status, text) =
        request(at, "POST", path, &[("Host", at), ("Content-Type", "application/json")], &body.to_string());
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The teacher's request, with the teacher's key in its header: (status, body).
fn teacher(server: &LabServer, method: &str, path: &str, body: &str) -> (u16, String) {
    let at = address(server);
    let key = server.room().unwrap().teacher_key();
    request(
        &at,
        method,
        path,
        &[("Host", &at), ("Content-Type", "application/json"), ("X-Olika-Teacher", &key)],
        body,
    )
}

fn state(server: &LabServer) -> Value {
    let (status, text) = teacher(server, "GET", "/class/state", "");
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).unwrap()
}

/// Joins a student: (token, organisation).
fn join(server: &LabServer, name: &str) -> (String, u64) {
    let code = server.room().unwrap().code();
    let (status, joined) = student(&address(server), "/class/join", &json!({"code": code, "name": name}));
    assert_eq!(status, 200, "{joined}");
    (joined["token"].as_str().unwrap().to_string(), joined["organisation"].as_u64().unwrap())
}

fn me(server: &LabServer, token: &str) -> Value {
    let code = server.room().unwrap().code();
    let (status, view) = student(&address(server), "/class/me", &json!({"code": code, "token": token}));
    assert_eq!(status, 200, "{view}");
    view
}

/// The lab's threads now ("olika lab …", as the server names them; the kernel keeps 15 bytes).
fn lab_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("olika lab"))
        .count()
}

/// Waits until the class sees month `t`.
fn until_month(server: &LabServer, t: u64) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while state(server)["month"].as_u64() != Some(t) {
        assert!(Instant::now() < deadline, "the class never reached month {t}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The lesson below, alone in a process of its own (this test binary, running that one test), so
/// that its threads and memory are the lesson's and not those of the tests running alongside.
#[test]
fn thirty_students_play_a_lesson_and_every_choice_is_applied_in_its_month() {
    let alone = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["classroom::a_lesson_alone", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&alone.stdout).to_string() + &String::from_utf8_lossy(&alone.stderr);
    println!("{said}");
    assert!(alone.status.success() && said.contains("1 passed"), "the lesson failed:\n{said}");
}

/// The issue's lesson: 30 students join from scripted "phones" (threads), and for ten months each
/// reads its view and chooses — a venue of the month, or none, or leaves it to the model — while
/// the teacher steps the world once all have chosen. Each choice is applied in the month it was
/// made for: a student who chose a venue was at it that month, one who chose none was at none of
/// the venues they could have chosen. The server's threads stay the pool it started with, and
/// what the class holds stays bounded; the memory it takes stays within what 30 phones' threads
/// and the class's copy of the world need: 30 × 1 MiB of the phones' stacks and buffers, 16 MiB
/// of the allocator's arenas, 16 MiB for the class — 64 MiB, where a copy of the world or of a
/// view kept per request (600 requests) would pass it.
#[test]
#[ignore = "run alone, in a process of its own, by thirty_students_play_a_lesson_and_every_choice_is_applied_in_its_month"]
fn a_lesson_alone() {
    let server = class(12, one_address_plays_all());
    let code = server.room().unwrap().code();
    let at = address(&server);
    let memory_at_start = resident_bytes();
    let students: Vec<(String, u64)> = (0..30).map(|k| join(&server, &format!("Student {k}"))).collect();
    // Counted once the server answered and every thread of its pool has begun: a thread takes its
    // name when it begins, which on a busy machine may come after the first answers.
    let pool = Limits::default().workers + 2;
    let deadline = Instant::now() + Duration::from_secs(10);
    while lab_threads() < pool && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let threads_at_start = lab_threads();
    let organisations: std::collections::HashSet<u64> = students.iter().map(|s| s.1).collect();
    assert_eq!(organisations.len(), 30, "two students play one organisation");
    let mut most_threads = lab_threads();
    let mut applied = 0;
    for month in 1..=10u64 {
        // Every phone at once: read the view, choose, say what it chose.
        let chosen: Vec<(String, Option<String>, Vec<String>)> = std::thread::scope(|scope| {
            let phones: Vec<_> = students
                .iter()
                .enumerate()
                .map(|(k, (token, _))| {
                    let (at, code) = (&at, &code);
                    scope.spawn(move || {
                        let (status, view) = student(at, "/class/me", &json!({"code": code, "token": token}));
                        assert_eq!(status, 200, "{view}");
                        assert_eq!(view["month"].as_u64(), Some(month - 1));
                        let offered: Vec<String> = view["venues"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v["name"].as_str().unwrap().to_string())
                            .collect();
                        let mut venue = match k % 3 {
                            0 => offered.get(k % offered.len().max(1)).cloned(),
                            1 => Some("none".to_string()),
                            _ => None,
                        };
                        // Half decline every acquaintance's proposal, one by one.
                        let declined: Vec<Value> = match k % 2 {
                            0 => view["people"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .filter(|o| o["acquaintance"] == true)
                                .map(|o| o["id"].clone())
                                .collect(),
                            _ => Vec::new(),
                        };
                        let mut choice = json!({"month": month, "declined": declined});
                        if let Some(v) = &venue {
                            choice["venue"] = json!(v);
                        }
                        if let Some(other) = view["classmates"].as_array().unwrap().get(k % 29) {
                            choice["approach"] = other["id"].clone();
                        }
                        let send = |choice: &Value| {
                            student(
                                at,
                                "/class/choose",
                                &json!({"code": code, "token": token, "choice": choice}),
                            )
                        };
                        let (mut status, mut said) = send(&choice);
                        if status == 409 && said["error"].as_str().unwrap().contains("is full") {
                            // Its seats were all chosen before: as a phone would, choose none.
                            venue = Some("none".to_string());
                            choice["venue"] = json!("none");
                            (status, said) = send(&choice);
                        }
                        assert_eq!(status, 200, "{said}");
                        (token.clone(), venue, offered)
                    })
                })
                .collect();
            phones.into_iter().map(|p| p.join().unwrap()).collect()
        });
        most_threads = most_threads.max(lab_threads());
        let waiting = server.room().unwrap().held()[1];
        assert_eq!(waiting, 30, "month {month}: every choice waits for its month");
        let (status, said) = teacher(&server, "POST", "/command", r#"{"command":"step"}"#);
        assert_eq!(status, 200, "{said}");
        until_month(&server, month);
        assert_eq!(server.room().unwrap().held()[1], 0, "month {month}'s choices were not forgotten");
        for (token, venue, offered) in &chosen {
            let view = me(&server, token);
            let was_at: Vec<&str> =
                view["was_at"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            match venue.as_deref() {
                Some("none") => {
                    assert!(
                        !was_at.iter().any(|v| offered.iter().any(|o| o == v)),
                        "month {month}: chose none, was at {was_at:?}"
                    );
                    applied += 1;
                }
                Some(v) => {
                    assert!(was_at.contains(&v), "month {month}: chose {v}, was at {was_at:?}");
                    applied += 1;
                }
                None => {}
            }
        }
    }
    assert!(applied >= 150, "only {applied} choices of a venue or none were checked");
    // Threads: the pool the server started with, whatever 30 phones did.
    assert_eq!(threads_at_start, pool, "workers, listener and runner");
    assert_eq!(most_threads, threads_at_start, "the class made threads of its own");
    let [joined, waiting, addresses] = server.room().unwrap().held();
    assert_eq!((joined, waiting, addresses), (30, 0, 1));
    let grown = resident_bytes().saturating_sub(memory_at_start);
    println!(
        "the lesson's memory: {:.1} MiB more resident; lab threads {threads_at_start}",
        grown as f64 / 1048576.0
    );
    assert!(grown < 64 << 20, "the lesson took {grown} bytes more");
    server.stop();
}

/// Who may do what: a student chooses for their own organisation alone; the lab's controls, its
/// stream, the class's state and the report are the teacher's; a wrong code or token is refused;
/// no file of the machine is reachable; a name is shown as text, never as markup.
#[test]
fn a_student_acts_only_for_their_own_organisation_and_the_lab_is_the_teachers() {
    // Many wrong tries from this one address: none locks it out here (the caps' test does).
    let server = class(10, ClassLimits { wrong_tries: 100, ..one_address_plays_all() });
    let at = address(&server);
    let code = server.room().unwrap().code();
    let (anna, anna_org) = join(&server, "Anna");
    let (_, bo_org) = join(&server, "<img src=x onerror=1>");
    // Choosing for another's organisation: refused, and nothing is chosen for it.
    let choice = json!({"month": 1, "venue": "none", "organisation": bo_org});
    let (status, said) =
        student(&at, "/class/choose", &json!({"code": code, "token": anna, "choice": choice}));
    assert_eq!(status, 403, "{said}");
    assert!(said["error"].as_str().unwrap().contains(&format!("organisation {anna_org}")), "{said}");
    let chose: Vec<bool> = state(&server)["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["chosen"].as_bool().unwrap())
        .collect();
    assert_eq!(chose, [false, false]);
    assert_eq!(server.room().unwrap().held()[1], 0);
    // For their own: taken.
    let own = json!({"month": 1, "venue": "none", "organisation": anna_org});
    assert_eq!(student(&at, "/class/choose", &json!({"code": code, "token": anna, "choice": own})).0, 200);
    // A month not open, a venue not offered: refused.
    let late = json!({"month": 3, "venue": "none"});
    assert_eq!(student(&at, "/class/choose", &json!({"code": code, "token": anna, "choice": late})).0, 409);
    let nowhere = json!({"month": 1, "venue": "the moon"});
    assert_eq!(
        student(&at, "/class/choose", &json!({"code": code, "token": anna, "choice": nowhere})).0,
        400
    );
    // A token not issued, a wrong code: refused.
    let forged = json!({"code": code, "token": "0".repeat(32), "choice": {"month": 1}});
    assert_eq!(student(&at, "/class/choose", &forged).0, 403);
    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_eq!(student(&at, "/class/me", &json!({"code": wrong, "token": anna})).0, 403);
    // The lab's own requests, without the teacher's key: refused, and the world does not move.
    let plain = [("Host", at.as_str()), ("Content-Type", "application/json")];
    for (method, path, body) in [
        ("POST", "/command", r#"{"command":"step","steps":5}"#),
        ("POST", "/command", r#"{"command":"reset"}"#),
        ("GET", "/events", ""),
        ("GET", "/frame", ""),
        ("GET", "/scenario.toml", ""),
        ("GET", "/world.state", ""),
        ("GET", "/class/state", ""),
        ("POST", "/class/settings", r#"{"round_seconds":5}"#),
        ("POST", "/class/remove", r#"{"organisation":0}"#),
        ("GET", "/class/lesson", ""),
        ("GET", "/class/report.html", ""),
    ] {
        let (status, text) = request(&at, method, path, &plain, body);
        assert_eq!(status, 403, "{method} {path}: {text}");
    }
    // A forged key, in the header or in the full lab's path; and the right key as a cookie,
    // which the class no longer reads (a cookie of 127.0.0.1 goes to every port of it).
    let key = server.room().unwrap().teacher_key();
    let header = |k: &str| {
        [
            ("Host", at.clone()),
            ("Content-Type", "application/json".into()),
            ("X-Olika-Teacher", k.to_string()),
        ]
    };
    let forged = header("0123");
    let forged: Vec<(&str, &str)> = forged.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(request(&at, "POST", "/command", &forged, r#"{"command":"step"}"#).0, 403);
    assert_eq!(request(&at, "GET", "/class/state", &forged, "").0, 403);
    let cookie = format!("olika_teacher={key}");
    let with_cookie =
        [("Host", at.as_str()), ("Content-Type", "application/json"), ("Cookie", cookie.as_str())];
    assert_eq!(request(&at, "POST", "/command", &with_cookie, r#"{"command":"step"}"#).0, 403);
    assert_eq!(request(&at, "GET", "/teacher/0123/frame", &plain, "").0, 403);
    assert_eq!(request(&at, "POST", "/teacher/0123/command", &plain, r#"{"command":"step"}"#).0, 403);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(state(&server)["month"], 0, "a student moved the world");
    // The projector's page has no secret: anyone gets it, and nothing with it.
    let (status, page) = request(&at, "GET", "/class", &plain, "");
    assert_eq!((status, page.as_str()), (200, olika::lab::classroom::TEACHER_PAGE));
    // The teacher's key in the header gives the class and the lab; under its path, the full lab.
    assert_eq!(teacher(&server, "GET", "/frame", "").0, 200);
    let (status, page) = teacher(&server, "GET", "/", "");
    assert_eq!(status, 200);
    assert_eq!(page, olika::lab::server::PAGE, "the teacher's / is the lab");
    let (status, page) = request(&at, "GET", &format!("/teacher/{key}/"), &plain, "");
    assert_eq!((status, page.as_str()), (200, olika::lab::server::PAGE), "the full lab under the key's path");
    assert_eq!(request(&at, "GET", &format!("/teacher/{key}/frame"), &plain, "").0, 200);
    // A teacher's world file is refused in a class: its lesson replays from month 0.
    let (status, said) = teacher(&server, "POST", "/world", "");
    assert_eq!(status, 409, "{said}");
    let (status, page) = request(&at, "GET", "/", &plain, "");
    assert_eq!(
        (status, page.as_str()),
        (200, olika::lab::classroom::STUDENT_PAGE),
        "a student's / is the student's page"
    );
    // No file of the machine, for anyone.
    for path in [
        "/Cargo.toml",
        "/../Cargo.toml",
        "/class/../../etc/passwd",
        "/src/lab/classroom/student.html",
        "/%2e%2e/etc/passwd",
        "/etc/passwd",
    ] {
        assert_eq!(request(&at, "GET", path, &plain, "").0, 404, "{path}");
        assert_eq!(teacher(&server, "GET", path, "").0, 404, "{path} (the teacher)");
    }
    // The name as text: escaped in the report, JSON text in the state (the pages set textContent).
    let (status, said) = teacher(&server, "GET", "/class/report.html", "");
    assert_eq!(status, 409, "no month played, no report: {said}");
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"step"}"#).0, 200);
    until_month(&server, 1);
    let (status, report) = teacher(&server, "GET", "/class/report.html", "");
    assert_eq!(status, 200, "{report}");
    assert!(
        report.contains("&lt;img src=x onerror=1&gt;") && !report.contains("<img"),
        "the name is markup in the report"
    );
    assert!(
        report.contains("<h2 id=\"class\">The class</h2>") && report.contains(">Anna<"),
        "the report names the students"
    );
    assert!(!olika::lab::classroom::TEACHER_PAGE.contains("innerHTML = state.students"), "names as markup");
    assert!(!olika::lab::classroom::STUDENT_PAGE.contains("innerHTML"), "the student's page writes markup");
    server.stop();
}

/// The caps: students, wrong codes (a scanner is locked out, even with the right code after),
/// connections from one address, requests a second from one address, a request's size.
#[test]
fn the_caps_hold_against_a_full_class_a_scanner_and_a_flood() {
    let limits = ClassLimits { students: 3, ..one_address_plays_all() };
    let server = class(10, limits);
    let at = address(&server);
    let code = server.room().unwrap().code();
    for k in 0..3 {
        join(&server, &format!("S{k}"));
    }
    let (status, said) = student(&at, "/class/join", &json!({"code": code, "name": "Fourth"}));
    assert_eq!(status, 503, "{said}");
    // Too large: refused before it is read as JSON.
    let long = "x".repeat(4096);
    assert_eq!(student(&at, "/class/join", &json!({"code": code, "name": long})).0, 413);
    // A scanner: five wrong codes, then refused whatever it sends, the right code included.
    for guess in 0..5 {
        let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1 + guess) % 1_000_000);
        assert_eq!(student(&at, "/class/join", &json!({"code": wrong, "name": "Scan"})).0, 403);
    }
    let (status, said) = student(&at, "/class/me", &json!({"code": code, "token": "x"}));
    assert_eq!(status, 429, "{said}");
    server.stop();

    // One address may hold 2 connections; a third is refused at once, and answered again once
    // one closes.
    let server = class(10, ClassLimits { per_address: 2, ..one_address_plays_all() });
    let at = address(&server);
    let idle: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&at).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let (status, said) = request(&at, "GET", "/", &[("Host", &at)], "");
    assert_eq!(status, 503, "{said}");
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(15);
    while request(&at, "GET", "/", &[("Host", &at)], "").0 != 200 {
        assert!(Instant::now() < deadline, "the address was never let back in");
        std::thread::sleep(Duration::from_millis(100));
    }
    server.stop();

    // A request rate of 2 a second with bursts of 4: a flood is refused 429.
    let server = class(10, ClassLimits { per_second: 2.0, burst: 4.0, ..one_address_plays_all() });
    let at = address(&server);
    let statuses: Vec<u16> = (0..8).map(|_| request(&at, "GET", "/", &[("Host", &at)], "").0).collect();
    assert_eq!(&statuses[..4], [200; 4], "{statuses:?}");
    assert!(statuses[4..].contains(&429), "{statuses:?}");
    // The teacher is not the flood's.
    assert_eq!(teacher(&server, "GET", "/class/state", "").0, 200);
    server.stop();
}

/// One device cannot take the class's seats (it may join again, as after a closed tab, but only
/// `joins_per_address` times); wrong tries lock an address out only when they come in a row, so a
/// student who mistypes now and then is never locked out; a name that turns the text's direction
/// is refused.
#[test]
fn one_device_cannot_fill_the_class_and_a_mistyped_code_now_and_then_is_forgiven() {
    let limits = ClassLimits { joins_per_address: 3, ..one_address_plays_all() };
    let server = class(10, limits);
    let at = address(&server);
    let code = server.room().unwrap().code();
    let wrong = format!("{:06}", (code.parse::<u32>().unwrap() + 1) % 1_000_000);
    let (token, _) = join(&server, "Alva");
    // Four wrong codes, a right request, four more: nine wrong in all, never five in a row.
    for _ in 0..2 {
        for _ in 0..4 {
            assert_eq!(student(&at, "/class/me", &json!({"code": wrong, "token": token})).0, 403);
        }
        me(&server, &token);
    }
    join(&server, "Bo");
    join(&server, "Cleo");
    let (status, said) = student(&at, "/class/join", &json!({"code": code, "name": "Bot"}));
    assert_eq!(status, 429, "{said}");
    assert!(said.to_string().contains("joined 3 times"), "{said}");
    assert_eq!(state(&server)["students"].as_array().unwrap().len(), 3);
    server.stop();

    let server = class(10, one_address_plays_all());
    let at = address(&server);
    let code = server.room().unwrap().code();
    for name in ["Eve\u{202e}live", "Eve\u{2066}x", "Eve\u{200f}"] {
        let (status, said) = student(&at, "/class/join", &json!({"code": code, "name": name}));
        assert_eq!(status, 400, "{name:?}: {said}");
    }
    join(&server, "Åsa-Märta");
    server.stop();
}

/// Running waits for the month's choices: with every student's choice in, the month is played at
/// once; with one missing, not before its seconds are up.
#[test]
fn running_waits_for_the_class_or_the_clock() {
    let server = class(10, one_address_plays_all());
    let at = address(&server);
    let code = server.room().unwrap().code();
    let tokens = [join(&server, "Ada").0, join(&server, "Bea").0];
    assert_eq!(teacher(&server, "POST", "/class/settings", r#"{"round_seconds":5}"#).0, 200);
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"speed","delay":0}"#).0, 200);
    let choose = |token: &str, month: u64| {
        let body = json!({"code": code, "token": token, "choice": {"month": month}});
        assert_eq!(student(&at, "/class/choose", &body).0, 200);
    };
    choose(&tokens[0], 1);
    // Paused, the month waits for the teacher: no clock runs down on the phones.
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(me(&server, &tokens[1])["seconds_left"], Value::Null, "a clock runs while paused");
    let started = Instant::now();
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"run"}"#).0, 200);
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(state(&server)["month"], 0, "one student has not chosen, and the time is not up");
    let left = me(&server, &tokens[1])["seconds_left"].as_u64().expect("running, the phones count down");
    assert!(left <= 4, "{left} s left 1.5 s into a month of 5");
    until_month(&server, 1);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(4500), "month 1 came after {waited:?}, before its 5 s");
    // Month 2: both choose, and it is played at once.
    let started = Instant::now();
    choose(&tokens[0], 2);
    choose(&tokens[1], 2);
    until_month(&server, 2);
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(3), "month 2 waited {waited:?} with every choice in");
    server.stop();
}

/// The issue's browser check: the teacher's window (join address, code, QR), two students who
/// join on phone-sized windows, choose, and see the month played; screenshots for
/// docs/teaching.md with OLIKA_LAB_SCREENSHOTS=docs/images.
#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn a_teacher_and_two_students_play_in_chromium() {
    let server = class(24, ClassLimits::default());
    let code = server.room().unwrap().code();
    let teacher_window = Browser::sized(1280, 800);
    teacher_window.call("POST", "/url", json!({"url": server.teacher_url().unwrap()}));
    teacher_window.until(
        "the class's page",
        "return !!window.classState && document.getElementById('qr').querySelector('svg') !== null",
    );
    let shown = teacher_window.script("return document.getElementById('code').textContent");
    assert_eq!(shown, json!(code));
    // The key came in the address's fragment and is out of the address bar (the projector).
    let address = teacher_window.script("return location.href");
    assert!(!address.as_str().unwrap().contains('#'), "the teacher's key is on the projector: {address}");
    let students: Vec<Browser> = ["Ada", "<b>Bo</b>"]
        .iter()
        .map(|name| {
            let phone = Browser::phone(360, 740);
            phone.call("POST", "/url", json!({"url": server.url()}));
            phone.until("the join form", "return document.getElementById('code') !== null");
            phone.script(&format!(
                "document.getElementById('code').value = {}; document.getElementById('name').value = {}; document.getElementById('join-button').click(); return true",
                json!(code),
                json!(name)
            ));
            phone.until("the student's view", "return !document.getElementById('play').hidden && document.getElementById('who').textContent.length > 0");
            phone
        })
        .collect();
    // The name with markup is text on every page.
    teacher_window.until("both students", "return document.getElementById('students').children.length === 2");
    assert_eq!(teacher_window.script("return document.querySelectorAll('#students b').length"), json!(0));
    assert_eq!(students[1].script("return document.querySelectorAll('#who b').length"), json!(0));
    // Both choose a venue if one is offered (else none) and send; the teacher sees the ticks.
    for phone in &students {
        phone.script("const r = [...document.querySelectorAll('input[name=venue]')]; (r[1] || r[0]).checked = true; document.getElementById('send').click(); return true");
        phone.until("the choice sent", "return document.getElementById('sent').textContent.includes('Sent')");
    }
    teacher_window.until("two choices", "return window.classState.students.every(s => s.chosen)");
    // The phone fits 360 px: nothing wider than the window.
    let width = students[0].script("return [window.innerWidth, document.documentElement.scrollWidth]");
    assert_eq!(width[0], json!(360), "the phone's page is not 360 px wide");
    let wide = students[0].script("return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5).join(' ')");
    assert!(
        width[1].as_u64() <= width[0].as_u64(),
        "the student's page is wider than the phone ([inside, page] {width}): {wide}"
    );
    if let Ok(dir) = std::env::var("OLIKA_LAB_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("class-student.png"), students[0].screenshot())
            .unwrap();
    }
    teacher_window.click("#step");
    teacher_window.until("month 1", "return window.classState.month === 1");
    for phone in &students {
        phone.until(
            "month 1 on the phone",
            "return document.getElementById('month-title').textContent.includes('month 2')",
        );
    }
    // Month 2: each approaches the other and declines whatever acquaintance the page offers;
    // after the month, each phone says what became of the approach.
    for phone in &students {
        phone.script("const a = document.getElementById('approach'); const o = [...a.options].find(o => o.text.includes('Ada') || o.text.includes('<b>Bo</b>')); if (o) a.value = o.value; document.querySelectorAll('select.proposal').forEach(s => s.value = 'decline'); document.getElementById('send').click(); return true");
        phone.until("the choice sent", "return document.getElementById('sent').textContent.includes('Sent')");
    }
    teacher_window.click("#step");
    teacher_window.until("month 2", "return window.classState.month === 2");
    for phone in &students {
        phone.until(
            "what became of the approach",
            "const l = document.getElementById('last'); return !l.hidden && /You met|You did not meet/.test(l.textContent) && l.textContent.includes('Month 2')",
        );
    }
    // Five seconds a month, set on the page; nobody chooses, so the model plays both students.
    teacher_window.script("const s = document.getElementById('seconds'); s.value = 5; s.dispatchEvent(new Event('change')); return true");
    teacher_window.until("5 s a month", "return window.classState.round_seconds === 5");
    teacher_window.click("#run");
    teacher_window.until("month 4", "return window.classState.month >= 4");
    teacher_window.click("#pause");
    teacher_window.click("#reveal");
    teacher_window.until("the reveal", "return !document.getElementById('reveal-box').hidden && document.getElementById('reveal-text').textContent.length > 0");
    if let Ok(dir) = std::env::var("OLIKA_LAB_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("class-teacher.png"), teacher_window.screenshot())
            .unwrap();
    }
    drop(students);
    drop(teacher_window);
    server.stop();
}

/// `olika lab --classroom` as a teacher starts it: a warning that it listens beyond this machine
/// (on every interface: the default 127.0.0.1 would keep the students out), the students' address
/// and code, and the teacher's address, which gives the teacher's cookie.
#[test]
fn the_command_line_warns_and_prints_the_join_address_the_code_and_the_teachers_address() {
    use std::io::{BufRead, BufReader, Read};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_olika"))
        .args(["lab", "--classroom", "--set", "steps=5"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut students, mut teacher_line) = (String::new(), String::new());
    out.read_line(&mut students).unwrap();
    out.read_line(&mut teacher_line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let mut warning = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_to_string(&mut warning).unwrap();
    assert!(warning.contains("warning: listening on 0.0.0.0 for a class"), "{warning}");
    let code = students.split("the code ").nth(1).map(str::trim).unwrap_or_default();
    assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "{students}");
    // A machine on no network says so; else students are sent to its address on the network.
    if olika::lab::classroom::network_address("0.0.0.0").is_some() {
        assert!(!students.contains("127.0.0.1"), "students are sent to this machine's loopback: {students}");
    } else {
        assert!(warning.contains("no network address"), "{warning}");
    }
    let url = teacher_line.split("open ").nth(1).unwrap_or_default().trim();
    // The key in the fragment, which no browser sends.
    assert!(url.starts_with("http://127.0.0.1:") && url.contains("/class#"), "{teacher_line}");
}

/// A student's choice for `month`: (status, answer).
fn choose(server: &LabServer, token: &str, choice: Value) -> (u16, Value) {
    let code = server.room().unwrap().code();
    student(&address(server), "/class/choose", &json!({"code": code, "token": token, "choice": choice}))
}

/// Steps the class one month, the teacher's way.
fn step(server: &LabServer) {
    let month = state(server)["month"].as_u64().unwrap();
    assert_eq!(teacher(server, "POST", "/command", r#"{"command":"step"}"#).0, 200);
    until_month(server, month + 1);
}

/// The lesson: a class of three plays six months — a venue, an approach, every acquaintance's
/// proposal declined — and after each month every student's page says what became of the
/// approach and of each proposal; then "Download the lesson" gives a file that `olika run
/// --lesson` replays into an ordinary results folder (one run, students.csv naming the three,
/// report.html with "The class"), and the report button gives that same report.
#[test]
fn a_lesson_is_downloaded_replayed_and_reported_like_any_run() {
    let server = class(30, one_address_plays_all());
    let names = ["Anna", "Bo", "<b>Cleo</b>", "Dan", "Eli", "Fay", "Gus", "Hal", "Ivy"];
    let students: Vec<(String, u64)> = names.iter().map(|n| join(&server, n)).collect();
    let (mut approaches, mut proposals, mut declined_seen) = (0, 0, 0);
    for month in 1..=16u64 {
        let mut approached = Vec::new();
        for (k, (token, _)) in students.iter().enumerate() {
            let view = me(&server, token);
            let acquaintances: Vec<u64> = view["people"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| o["acquaintance"] == true)
                .map(|o| o["id"].as_u64().unwrap())
                .collect();
            let venue = view["venues"].as_array().unwrap().first().map(|v| v["name"].clone());
            let other = students[(k + 1) % students.len()].1;
            let mut choice = json!({"month": month, "approach": other});
            if let Some(v) = venue {
                choice["venue"] = v;
            }
            // Every other student declines every acquaintance's proposal; the others leave it to
            // the model.
            if k % 2 == 0 {
                choice["declined"] = json!(acquaintances);
            }
            let (status, said) = choose(&server, token, choice);
            assert_eq!(status, 200, "{said}");
            approached.push((token.clone(), other, acquaintances));
        }
        step(&server);
        for (k, (token, other, declined)) in approached.iter().enumerate() {
            let view = me(&server, token);
            let last = &view["last"];
            assert_eq!(last["month"].as_u64(), Some(month), "{view}");
            // The approach: met (then both were at that venue) or why not.
            let approach = &last["approach"];
            assert_eq!(approach["whom"]["id"].as_u64(), Some(*other));
            let said = approach["said"].as_str().unwrap();
            if approach["met"] == true {
                let venue = said.trim_start_matches("at ");
                assert!(view["was_at"].as_array().unwrap().iter().any(|v| v == venue), "{view}");
                approaches += 1;
            } else {
                assert!(
                    ["they did not come", "you went to no meeting", "you were not at the same meeting"]
                        .contains(&said),
                    "{said}"
                );
            }
            for p in last["proposals"].as_array().unwrap() {
                proposals += 1;
                let with = p["with"]["id"].as_u64().unwrap();
                let outcome = p["outcome"].as_str().unwrap();
                if k % 2 == 0 && declined.contains(&with) {
                    assert_eq!(outcome, "you declined", "{p}");
                    declined_seen += 1;
                }
                let partner = view["people"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["id"] == with && o["partner"] == true);
                assert!(outcome != "began" || partner, "a proposal began and the page says no partner: {p}");
            }
        }
    }
    println!("{approaches} approaches met, {proposals} proposals, {declined_seen} declined");
    assert!(approaches > 0, "no approach of sixteen months took place");
    assert!(proposals > 0 && declined_seen > 0, "{proposals} proposals, {declined_seen} declined");

    // The lesson file, replayed by the command line.
    let (status, lesson) = teacher(&server, "GET", "/class/lesson", "");
    assert_eq!(status, 200, "{lesson}");
    assert!(lesson.starts_with("# olika lesson 1\n# checksum "), "{lesson}");
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("lesson.olika.toml");
    std::fs::write(&file, &lesson).unwrap();
    let out = crate::common::olika(dir.path())
        .args(["run", "--lesson", "lesson.olika.toml", "-o", "replayed", "--no-plots"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let folder = dir.path().join("replayed");
    let students_csv = std::fs::read_to_string(folder.join("students.csv")).unwrap();
    let mut rows: Vec<&str> = students_csv.lines().skip(1).collect();
    rows.sort();
    let mut expected: Vec<String> = students
        .iter()
        .zip(names)
        .map(|((_, a), name)| {
            let sector =
                state(&server)["students"].as_array().unwrap().iter().find(|s| s["id"] == *a).unwrap()
                    ["sector"]
                    .as_str()
                    .unwrap()
                    .to_string();
            format!("{a},{sector},{name}")
        })
        .collect();
    expected.sort();
    assert_eq!(rows, expected, "{students_csv}");
    let runs = std::fs::read_to_string(folder.join("runs.csv")).unwrap();
    assert_eq!(runs.lines().count(), 2, "one run: {runs}");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("manifest.json")).unwrap()).unwrap();
    assert!(manifest["checksums"]["students.csv"].is_string(), "students.csv is sealed");
    assert!(manifest["lesson"].is_string());
    let report = std::fs::read_to_string(folder.join("report.html")).unwrap();
    assert!(report.contains("<h2 id=\"class\">The class</h2>") && report.contains("&lt;b&gt;Cleo&lt;/b&gt;"));
    // `olika plot` reads the folder as any other (checked: the plan's hash remade with the
    // lesson, every checksum, students.csv's too).
    let checked =
        crate::common::olika(dir.path()).args(["plot", "replayed", "--format", "svg"]).output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stderr));
    // The report button gives the same report (but its times and command line).
    let (status, served) = teacher(&server, "GET", "/class/report.html", "");
    assert_eq!(status, 200);
    let runs_of = |html: &str| html.split("id=\"class\"").nth(1).map(|r| r[..r.len().min(600)].to_string());
    assert_eq!(runs_of(&served), runs_of(&report));
    server.stop();
}

/// A lesson file that is not the class's is refused with what is wrong and exit code 2: edited,
/// cut short, of another format, its scenario unknown to olika, a choice of a venue the scenario
/// does not have, or a lesson with `--set`.
#[test]
fn a_bad_lesson_file_is_refused_with_exit_code_2() {
    let server = class(10, one_address_plays_all());
    let (token, _) = join(&server, "Anna");
    assert_eq!(choose(&server, &token, json!({"month": 1, "venue": "none"})).0, 200);
    step(&server);
    let (_, lesson) = teacher(&server, "GET", "/class/lesson", "");
    server.stop();
    let dir = tempfile::TempDir::new().unwrap();
    let good: olika::output::lesson::Lesson =
        olika::output::lesson::Lesson::decode(std::path::Path::new("x"), lesson.as_bytes()).unwrap();
    let remade = |edit: &dyn Fn(&mut olika::output::lesson::Lesson)| {
        let mut l = good.clone();
        edit(&mut l);
        l.encode().unwrap()
    };
    let cases: Vec<(&str, String, &str)> = vec![
        ("edited", lesson.replacen("months = 1", "months = 2", 1), "checksum"),
        ("cut short", lesson[..lesson.len() / 2].to_string(), "checksum"),
        ("another format", lesson.replacen("# olika lesson 1", "# olika lesson 9", 1), "format 9"),
        ("not a lesson", "seed = 1\n".to_string(), "not an olika lesson file"),
        ("an unknown key", remade(&|l| l.scenario = format!("nonsense = 1\n{}", l.scenario)), "nonsense"),
        (
            "an unknown venue",
            remade(&|l| l.choices[0].venue = Some("the moon".into())),
            "no venue \"the moon\"",
        ),
        ("another world", remade(&|l| l.digest = "0".repeat(16)), "another world"),
        ("another version", remade(&|l| l.olika = "0.0.1".into()), "olika 0.0.1"),
    ];
    assert!(lesson.contains("months = 1"), "{lesson}");
    for (what, text, said) in cases {
        let file = dir.path().join(format!("{}.toml", what.replace(' ', "_")));
        std::fs::write(&file, text).unwrap();
        let out = crate::common::olika(dir.path())
            .args(["run", "--lesson", file.to_str().unwrap(), "-o", "out", "--no-plots"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(said), "{what}: {stderr}");
        assert!(!dir.path().join("out").exists(), "{what}: a folder was left");
    }
    let file = dir.path().join("good.toml");
    std::fs::write(&file, &lesson).unwrap();
    let out = crate::common::olika(dir.path())
        .args(["run", "--lesson", "good.toml", "--set", "homophily=1", "-o", "out"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// The walkthrough's leftovers: a second Anna is "Anna 2"; the teacher removes a student (their
/// token stops working, their organisation is the model's again, their name stays with the
/// lesson); a student with no request for two months is away and Run does not wait for them,
/// until they ask again; a city past the class's cap is refused at Setup; the terminal hears of
/// joins and removals, and of a flood of wrong codes once a minute.
#[test]
fn names_are_unique_students_can_be_removed_the_away_are_not_waited_for_and_the_city_stays_small() {
    let server = class(30, ClassLimits { wrong_tries: 1000, ..one_address_plays_all() });
    let at = address(&server);
    let code = server.room().unwrap().code();
    let (anna, _) = join(&server, "Anna");
    let (status, second) = student(&at, "/class/join", &json!({"code": code, "name": "anna"}));
    assert_eq!((status, second["name"].as_str()), (200, Some("anna 2")), "{second}");
    let (bo, bo_org) = join(&server, "Bo");
    // Removed: the token is refused, the class has two, the lesson keeps Bo once Bo played.
    assert_eq!(choose(&server, &bo, json!({"month": 1, "venue": "none"})).0, 200);
    step(&server);
    let (status, said) =
        teacher(&server, "POST", "/class/remove", &json!({"organisation": bo_org}).to_string());
    assert_eq!(status, 200, "{said}");
    assert_eq!(student(&at, "/class/me", &json!({"code": code, "token": bo})).0, 403);
    let names: Vec<String> = state(&server)["students"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().into())
        .collect();
    assert_eq!(names, ["Anna", "anna 2"]);
    let (_, lesson) = teacher(&server, "GET", "/class/lesson", "");
    assert!(lesson.contains("name = \"Bo\""), "{lesson}");
    assert_eq!(
        teacher(&server, "POST", "/class/remove", &json!({"organisation": bo_org}).to_string()).0,
        404
    );
    // Away: "anna 2" asks nothing for two months (the teacher steps them); then, running with a
    // month of 600 s, Anna's choice alone plays the month.
    step(&server);
    me(&server, &anna);
    step(&server);
    me(&server, &anna);
    let away: Vec<bool> =
        state(&server)["students"].as_array().unwrap().iter().map(|s| s["away"].as_bool().unwrap()).collect();
    assert_eq!(away, [false, true], "anna 2 asked nothing since month 1");
    assert_eq!(teacher(&server, "POST", "/class/settings", r#"{"round_seconds":600}"#).0, 200);
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"speed","delay":0}"#).0, 200);
    assert_eq!(choose(&server, &anna, json!({"month": 4})).0, 200);
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"run"}"#).0, 200);
    until_month(&server, 4);
    // Back by any request: then Run waits for them again.
    me(&server, second["token"].as_str().unwrap());
    assert_eq!(state(&server)["students"][1]["away"], false);
    assert_eq!(choose(&server, &anna, json!({"month": 5})).0, 200);
    std::thread::sleep(Duration::from_millis(1000));
    assert_eq!(state(&server)["month"], 4, "Run did not wait for a student who is back");
    assert_eq!(teacher(&server, "POST", "/command", r#"{"command":"pause"}"#).0, 200);
    // The class's cap at Setup: a larger city is refused, and a setting waits for Setup.
    let (status, said) = teacher(
        &server,
        "POST",
        "/command",
        r#"{"command":"set","path":"populations.civil.count","value":"6000"}"#,
    );
    assert_eq!(status, 400, "{said}");
    assert!(said.contains("at most 5000 organisations"), "{said}");
    let (status, said) =
        teacher(&server, "POST", "/command", r#"{"command":"set","path":"homophily","value":"1"}"#);
    assert!(status == 200 && said.contains("applies at Setup"), "{status} {said}");
    // The terminal: joins and the removal; twenty wrong codes from one address, one line.
    for _ in 0..20 {
        student(&at, "/class/me", &json!({"code": "x", "token": anna}));
    }
    let notes = server.room().unwrap().notes();
    assert!(notes.iter().any(|n| n.starts_with("Anna joined from 127.0.0.1")), "{notes:?}");
    assert!(notes.iter().any(|n| n.contains("Bo (organisation") && n.contains("removed")), "{notes:?}");
    assert_eq!(notes.iter().filter(|n| n.contains("wrong code")).count(), 1, "{notes:?}");
    server.stop();
}
