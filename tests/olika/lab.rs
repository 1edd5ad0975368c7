//! `olika lab`: the server as a browser sees it — the page with no reference outside itself, the
//! commands, the event stream shared by two tabs — what it refuses (other sites' pages, connections
//! and tabs past its limits, clients too slow) and, run by .ci/run, the page in a real Chromium
//! driven over WebDriver (plain HTTP calls to chromedriver), the memory 200 silent tabs take and the
//! longest wait for a frame while 10⁶ organisations step.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use olika::lab::server::{LabServer, Limits, PAGE};
use olika::lab::{Lab, Source, MOST_POINTS};

/// One HTTP/1.1 request as the lab's own page sends it: (status, body).
fn http(address: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    request(address, method, path, &[("Host", address), ("Content-Type", "application/json")], body)
}

/// One HTTP/1.1 request with these headers: (status, body). Enough for the lab and for
/// chromedriver, which may keep the connection open: the body is read by its length (or its chunks).
fn request(address: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()));
    stream.write_all(text.as_bytes()).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (mut length, mut chunked) = (None, false);
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(n) = lower.strip_prefix("content-length:") {
            length = n.trim().parse::<usize>().ok();
        }
        chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
    }
    let mut out = Vec::new();
    if chunked {
        loop {
            line.clear();
            reader.read_line(&mut line).unwrap();
            let n = usize::from_str_radix(line.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).unwrap();
            out.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        out.resize(n, 0);
        reader.read_exact(&mut out).unwrap();
    } else {
        reader.read_to_end(&mut out).unwrap();
    }
    (status, String::from_utf8_lossy(&out).to_string())
}

fn address(server: &LabServer) -> String {
    server.url().trim_start_matches("http://").trim_end_matches('/').to_string()
}

/// Reads an event stream until `want` says it has what it waits for; returns every event seen.
fn stream_until(
    address: &str,
    want: impl Fn(&[(String, serde_json::Value)]) -> bool,
) -> Vec<(String, serde_json::Value)> {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(stream, "GET /events HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let (mut events, mut kind) = (Vec::new(), String::new());
    let mut line = String::new();
    while !want(&events) {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if let Some(k) = line.strip_prefix("event: ") {
            kind = k.trim().to_string();
        } else if let Some(data) = line.strip_prefix("data: ") {
            events.push((kind.clone(), serde_json::from_str(data.trim()).unwrap()));
        }
    }
    events
}

fn lab(overrides: &[&str]) -> LabServer {
    lab_within(overrides, Limits::default())
}

fn lab_within(overrides: &[&str], limits: Limits) -> LabServer {
    let lab = Lab::new(Source::Baseline, overrides.iter().map(|s| s.to_string()).collect()).unwrap();
    LabServer::start_with(lab, "127.0.0.1", 0, limits).unwrap()
}

/// The step of the newest frame.
fn step_now(address: &str) -> u64 {
    let (status, frame) = http(address, "GET", "/frame", "");
    assert_eq!(status, 200, "{frame}");
    serde_json::from_str::<serde_json::Value>(&frame).unwrap()["t"].as_u64().unwrap()
}

/// Waits until the newest frame is at step `t`.
fn until_step(address: &str, t: u64) {
    let deadline = Instant::now() + Duration::from_secs(600);
    while step_now(address) != t {
        assert!(Instant::now() < deadline, "the lab never reached step {t}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A city of `n` organisations, split as the baseline's sectors are (1 : 2 : 2).
fn city(n: usize) -> [String; 3] {
    [
        format!("populations.public.count={}", n / 5),
        format!("populations.private.count={}", 2 * n / 5),
        format!("populations.civil.count={}", 2 * n / 5),
    ]
}

/// Opens an event stream and reads only the start of its status line: a tab that never takes what
/// it is sent.
fn silent_tab(address: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).unwrap();
    write!(stream, "GET /events HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut status = [0; 12];
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.read_exact(&mut status).unwrap();
    assert_eq!(&status, b"HTTP/1.1 200", "{}", String::from_utf8_lossy(&status));
    stream
}

/// Reads a connection to its end within `time`: the bytes, and whether the end came.
fn read_to_end_within(stream: &mut TcpStream, time: Duration) -> (Vec<u8>, bool) {
    let deadline = Instant::now() + time;
    let (mut bytes, mut chunk) = (Vec::new(), vec![0; 1 << 16]);
    while let Some(left) = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero()) {
        stream.set_read_timeout(Some(left)).unwrap();
        match stream.read(&mut chunk) {
            Ok(0) => return (bytes, true),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return (bytes, true),
            Err(_) => break,
        }
    }
    (bytes, false)
}

#[test]
fn the_page_refers_to_nothing_outside_itself() {
    for outside in ["http://", "https://", "//cdn", "@import", "src=\"", "<link"] {
        assert!(!PAGE.contains(outside), "the page holds {outside:?}");
    }
}

#[test]
fn the_server_takes_commands_and_two_tabs_see_one_world() {
    let server = lab(&["steps=40"]);
    let at = address(&server);
    let (status, page) = http(&at, "GET", "/", "");
    assert_eq!(status, 200);
    assert_eq!(page, PAGE);
    let (status, said) = http(&at, "POST", "/command", r#"{"command":"step","steps":5}"#);
    assert_eq!((status, said.as_str()), (200, r#"{"ok":"5 steps"}"#));
    // The steps are taken after the answer, one at a time.
    until_step(&at, 5);
    // A bad value: 400 with the scenario's message, and the world goes on as it was.
    let (status, said) = http(&at, "POST", "/command", r#"{"command":"set","path":"equity","value":"2"}"#);
    assert_eq!(status, 400);
    assert!(said.contains("equity") && said.contains("out of range"), "{said}");
    let (status, said) = http(&at, "POST", "/command", "{not json");
    assert_eq!(status, 400, "{said}");
    assert_eq!(http(&at, "GET", "/nowhere", "").0, 404);
    // Two tabs: each first gets the setup with the history so far, then the same frames.
    let first = stream_until(&at, |e| e.len() >= 2);
    assert_eq!(first[0].0, "setup");
    assert_eq!(first[0].1["history"].as_array().unwrap().len(), 6);
    assert_eq!(first[1].1["t"], 5);
    let tabs: Vec<_> = (0..2)
        .map(|_| {
            let at = at.clone();
            std::thread::spawn(move || stream_until(&at, |e| e.iter().any(|(_, v)| v["t"] == 8)))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":3}"#).0, 200);
    for tab in tabs {
        let events = tab.join().unwrap();
        assert!(events.iter().any(|(kind, v)| kind == "frame" && v["t"] == 8));
    }
    // Running: frames arrive without commands; the download reproduces the world.
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"speed","delay":0}"#).0, 200);
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"run"}"#).0, 200);
    let ran = stream_until(&at, |e| e.iter().any(|(_, v)| v["finished"] == true));
    assert!(ran.iter().any(|(_, v)| v["finished"] == true));
    let (status, file) = http(&at, "GET", "/scenario.toml", "");
    assert_eq!(status, 200);
    assert!(file.contains("steps = 40"), "{file}");
    server.stop();
}

#[test]
fn a_page_elsewhere_can_neither_drive_nor_read_the_lab() {
    let server = lab(&["steps=40"]);
    let at = address(&server);
    let port = at.rsplit(':').next().unwrap().to_string();
    let step = r#"{"command":"step","steps":5}"#;
    // A page on another site posts a command: with text/plain a browser asks nobody first.
    for (origin, media) in [
        ("http://evil.example", "text/plain"),
        ("http://evil.example", "application/json"),
        ("null", "application/json"),
        (&*format!("http://localhost:{}", port.parse::<u16>().unwrap() ^ 1), "application/json"),
        (&*format!("https://127.0.0.1:{port}"), "application/json"),
    ] {
        let headers = [("Host", at.as_str()), ("Origin", origin), ("Content-Type", media)];
        let (status, said) = request(&at, "POST", "/command", &headers, step);
        assert_eq!(status, 403, "Origin: {origin}: {said}");
        assert!(said.contains("not this lab"), "{said}");
    }
    // A name that resolves to the lab (DNS rebinding) can read nothing.
    for host in
        ["evil.example", "evil.example:80", &*format!("evil.example:{port}"), &*format!("127.0.0.1:{}", 1)]
    {
        for path in ["/", "/frame", "/events", "/scenario.toml"] {
            let (status, said) = request(&at, "GET", path, &[("Host", host)], "");
            assert_eq!(status, 403, "Host: {host} {path}: {said}");
        }
    }
    assert_eq!(request(&at, "GET", "/frame", &[], "").0, 403, "no Host at all");
    // A form without Origin (an older browser) cannot send JSON: refused for its type.
    let (status, said) =
        request(&at, "POST", "/command", &[("Host", &at), ("Content-Type", "text/plain")], step);
    assert_eq!(status, 415, "{said}");
    assert_eq!(step_now(&at), 0, "a refused command moved the world");
    // The lab's own page, by any of the lab's names, with or without Origin.
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), format!("LocalHost:{port}")] {
        assert_eq!(request(&at, "GET", "/frame", &[("Host", &host)], "").0, 200, "Host: {host}");
        let origin = format!("http://{host}");
        let headers =
            [("Host", at.as_str()), ("Origin", &origin), ("Content-Type", "application/json; charset=utf-8")];
        assert_eq!(request(&at, "POST", "/command", &headers, r#"{"command":"pause"}"#).0, 200, "{origin}");
    }
    let (status, page) = http(&at, "GET", "/", "");
    assert_eq!((status, page.len()), (200, PAGE.len()));
    server.stop();
}

/// A child process, killed when the test is done with it, passed or failed.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The issue's flood: idle connections to `olika lab` under a 1 GiB address-space limit, more than
/// its workers, queue and tabs together. Past them it says it is full; once they go it answers.
#[test]
fn a_flood_of_idle_connections_leaves_the_lab_answering() {
    let mut child = std::process::Command::new("sh")
        .args(["-c", "ulimit -v 1048576 && exec \"$0\" lab --port 0", env!("CARGO_BIN_EXE_olika")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map(Killed)
        .unwrap();
    let mut said = String::new();
    BufReader::new(child.0.stdout.take().unwrap()).read_line(&mut said).unwrap();
    let at = said.split("http://").nth(1).and_then(|s| s.split('/').next()).expect(&said).to_string();
    let flood: Vec<TcpStream> = (0..400).map(|_| TcpStream::connect(&at).unwrap()).collect();
    // Past the limits the lab answers at once that it is full.
    let mut late = TcpStream::connect(&at).unwrap();
    let (answer, _) = read_to_end_within(&mut late, Duration::from_secs(5));
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 503") && answer.contains("full"), "{answer}");
    drop(flood);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut probe = TcpStream::connect(&at).unwrap();
        probe.set_read_timeout(Some(Duration::from_secs(2))).unwrap();
        write!(probe, "GET /frame HTTP/1.1\r\nHost: {at}\r\n\r\n").unwrap();
        let (answer, _) = read_to_end_within(&mut probe, Duration::from_secs(2));
        if answer.starts_with(b"HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "the lab no longer answers after the flood");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step"}"#).0, 200);
    child.0.kill().unwrap();
    let mut stderr = String::new();
    child.0.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    assert!(stderr.contains("the lab is full: refused a connection"), "the refusals went unsaid: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_slow_request_cannot_hold_a_worker() {
    let limits = Limits { workers: 1, queue: 1, request_time: Duration::from_secs(1), ..Limits::default() };
    let server = lab_within(&["steps=40"], limits);
    let at = address(&server);
    // Slowloris: a header a byte at a time, never finished.
    let mut slow = TcpStream::connect(&at).unwrap();
    let started = Instant::now();
    write!(slow, "GET /frame HTTP/1.1\r\nHost: {at}\r\n").unwrap();
    let dripping = {
        let mut slow = slow.try_clone().unwrap();
        std::thread::spawn(move || {
            for _ in 0..40 {
                if slow.write_all(b"X").is_err() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let (answer, ended) = read_to_end_within(&mut slow, Duration::from_secs(4));
    let answer = String::from_utf8_lossy(&answer);
    assert!(ended && answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3), "cut after {:?}", started.elapsed());
    dripping.join().unwrap();
    // A connection that says nothing at all.
    let mut idle = TcpStream::connect(&at).unwrap();
    let started = Instant::now();
    let (answer, ended) = read_to_end_within(&mut idle, Duration::from_secs(4));
    let answer = String::from_utf8_lossy(&answer);
    assert!(ended && answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(3), "cut after {:?}", started.elapsed());
    // The only worker is free again.
    assert_eq!(step_now(&at), 0);
    // Too large a head or body is refused before it is read whole.
    let huge = "x".repeat(20_000);
    assert_eq!(request(&at, "GET", "/frame", &[("Host", &at), ("X-Padding", &huge)], "").0, 431);
    let (status, said) = http(&at, "POST", "/command", &" ".repeat(70_000));
    assert_eq!(status, 413, "{said}");
    server.stop();
}

#[test]
fn tabs_past_the_limit_are_refused_and_a_silent_one_is_dropped() {
    // A city whose setup (about 9 MB) is more than a socket holds for a tab that reads nothing.
    let limits = Limits { streams: 2, write_time: Duration::from_secs(2), ..Limits::default() };
    let server = lab_within(&city(400_000).each_ref().map(String::as_str), limits);
    let at = address(&server);
    let mut silent = silent_tab(&at);
    let reading = {
        let at = at.clone();
        std::thread::spawn(move || stream_until(&at, |e| e.iter().any(|(_, v)| v["t"] == 1)))
    };
    std::thread::sleep(Duration::from_millis(500));
    // Two tabs are the limit: a third is told the lab is full.
    let mut third = TcpStream::connect(&at).unwrap();
    write!(third, "GET /events HTTP/1.1\r\nHost: {at}\r\n\r\n").unwrap();
    let (answer, ended) = read_to_end_within(&mut third, Duration::from_secs(5));
    let answer = String::from_utf8_lossy(&answer);
    assert!(ended && answer.starts_with("HTTP/1.1 503") && answer.contains("full"), "{answer}");
    // The silent tab is dropped once a message has waited write_time (reading it sooner would
    // let the message through); the reading one goes on.
    std::thread::sleep(Duration::from_secs(3));
    let (bytes, ended) = read_to_end_within(&mut silent, Duration::from_secs(10));
    assert!(ended, "the silent tab was never dropped");
    assert!(bytes.len() < 9_000_000, "the silent tab was sent {} bytes", bytes.len());
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step"}"#).0, 200);
    let events = reading.join().unwrap();
    assert_eq!(events[0].0, "setup");
    // Its place is free for another tab.
    let another = stream_until(&at, |e| !e.is_empty());
    assert_eq!(another[0].0, "setup");
    server.stop();
}

#[test]
fn older_messages_held_for_slow_tabs_are_bounded() {
    // A silent tab stuck in the middle of a setup; a reset makes that setup old. Past held_bytes
    // it is dropped at once, not after write_time.
    let limits = Limits { held_bytes: 1 << 20, write_time: Duration::from_secs(60), ..Limits::default() };
    let server = lab_within(&city(400_000).each_ref().map(String::as_str), limits);
    let at = address(&server);
    let mut silent = silent_tab(&at);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"reset"}"#).0, 200);
    // Read only now: had it been kept, it would take its setup and go on.
    std::thread::sleep(Duration::from_millis(500));
    let (bytes, ended) = read_to_end_within(&mut silent, Duration::from_secs(10));
    assert!(ended, "a tab holding an old 9 MB setup was kept past held_bytes");
    assert!(bytes.len() < 9_000_000, "the silent tab was sent {} bytes", bytes.len());
    server.stop();
}

/// This process's resident memory (VmRSS), in bytes.
fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb = status.lines().find_map(|l| l.strip_prefix("VmRSS:")).unwrap();
    kb.trim().trim_end_matches("kB").trim().parse::<u64>().unwrap() * 1024
}

/// The issue's memory finding: 200 tabs that read nothing, on the longest history the lab keeps
/// (`MOST_POINTS` points, reached at step 1023 × 256). A tab costs its thread — a 128 KiB stack
/// (`STREAM_STACK` in lab/server.rs) — and at most one history part of its own; the setup's world
/// part is made once and shared. So the bound: the memory before + 200 × (128 KiB + the history
/// part) + 16 MiB for the allocator's arenas. Before the fix each tab held two copies of the
/// whole setup, and the history had no end.
#[test]
#[ignore = "a measurement: .ci/run runs it (one test at a time) and prints the figures"]
fn two_hundred_silent_tabs_on_the_longest_history_take_little_memory() {
    let steps = (MOST_POINTS as u64 - 1) * 256;
    let server = lab(&[&format!("steps={steps}")]);
    let at = address(&server);
    for _ in 0..steps.div_ceil(10_000) {
        assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":10000}"#).0, 200);
    }
    until_step(&at, steps);
    let setup = stream_until(&at, |e| !e.is_empty()).remove(0).1;
    assert_eq!(setup["history"].as_array().unwrap().len(), MOST_POINTS);
    let history_part = serde_json::json!({ "history": setup["history"] }).to_string().len() as u64;
    let setup_bytes = setup.to_string().len() as u64;
    let before = resident_bytes();
    let tabs: Vec<TcpStream> = (0..200).map(|_| silent_tab(&at)).collect();
    std::thread::sleep(Duration::from_secs(2));
    let after = resident_bytes();
    let bound = before + 200 * (128 * 1024 + history_part) + (16 << 20);
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    println!(
        "200 silent tabs on the longest history ({MOST_POINTS} points at step {steps}; setup {:.2} MB): resident {:.1} MB before, {:.1} MB with them (+{:.1} MB, {:.0} KB a tab); bound {:.1} MB",
        mb(setup_bytes),
        mb(before),
        mb(after),
        mb(after.saturating_sub(before)),
        after.saturating_sub(before) as f64 / 200.0 / 1024.0,
        mb(bound)
    );
    assert!(
        after < bound,
        "{} MB resident with 200 silent tabs, over the bound of {} MB",
        mb(after),
        mb(bound)
    );
    drop(tabs);
    server.stop();
}

/// The issue's freeze: `step` at 10⁶ organisations held the world for all its steps, and
/// `GET /frame` waited (39 s). Now a frame comes from the last one published, during the steps
/// and while a new world of 10⁶ is built.
#[test]
#[ignore = "a measurement with 10⁶ organisations (about 1.5 GB): .ci/run runs it and prints the figures"]
fn a_frame_comes_within_a_second_while_a_million_organisations_step() {
    let mut overrides = city(1_000_000).to_vec();
    overrides.push("steps=1000".into());
    let server = lab(&overrides.iter().map(String::as_str).collect::<Vec<_>>());
    let at = address(&server);
    let steps = 30;
    let (mut longest, mut asked) = (Duration::ZERO, 0);
    let mut frame_wait = |at: &str| {
        let started = Instant::now();
        let (status, frame) = http(at, "GET", "/frame", "");
        let waited = started.elapsed();
        assert_eq!(status, 200);
        (longest, asked) = (longest.max(waited), asked + 1);
        serde_json::from_str::<serde_json::Value>(&frame).unwrap()["t"].as_u64().unwrap()
    };
    let started = Instant::now();
    let stepping = {
        let at = at.clone();
        std::thread::spawn(move || {
            http(&at, "POST", "/command", &format!(r#"{{"command":"step","steps":{steps}}}"#))
        })
    };
    while frame_wait(&at) < steps {
        assert!(started.elapsed() < Duration::from_secs(600), "the steps never ended");
    }
    let stepped = started.elapsed();
    assert_eq!(stepping.join().unwrap().0, 200);
    let resetting = {
        let at = at.clone();
        std::thread::spawn(move || http(&at, "POST", "/command", r#"{"command":"reset"}"#))
    };
    while !resetting.is_finished() {
        frame_wait(&at);
    }
    assert_eq!(resetting.join().unwrap().0, 200);
    println!(
        "10^6 organisations: {steps} steps in {:.1} s and a reset; the longest of {asked} waits for GET /frame meanwhile: {:.0} ms",
        stepped.as_secs_f64(),
        longest.as_secs_f64() * 1000.0
    );
    assert!(longest < Duration::from_secs(1), "GET /frame waited {longest:?}");
    server.stop();
}

// --- The browser ---------------------------------------------------------------------------

struct Browser {
    driver: std::process::Child,
    at: String,
    session: String,
}

impl Browser {
    fn start() -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver; .ci/run installs it)");
        let at = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&at).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = serde_json::json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1500,1100",
                "--disable-dev-shm-usage", "--no-first-run"]}}}});
        let (status, body) = http(&at, "POST", "/session", &capabilities.to_string());
        assert_eq!(status, 200, "{body}");
        let session = serde_json::from_str::<serde_json::Value>(&body).unwrap()["value"]["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        Browser { driver, at, session }
    }

    fn call(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let (status, text) = http(&self.at, method, &format!("/session/{}{path}", self.session), &body);
        assert_eq!(status, 200, "{method} {path}: {text}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["value"].clone()
    }

    fn script(&self, code: &str) -> serde_json::Value {
        self.call("POST", "/execute/sync", serde_json::json!({"script": code, "args": []}))
    }

    fn click(&self, css: &str) {
        let found = self.call("POST", "/element", serde_json::json!({"using": "css selector", "value": css}));
        let id = found.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string();
        self.call("POST", &format!("/element/{id}/click"), serde_json::json!({}));
    }

    /// Waits until a script returns true.
    fn until(&self, what: &str, code: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.script(code) != serde_json::Value::Bool(true) {
            assert!(Instant::now() < deadline, "the page never showed {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn screenshot(&self) -> Vec<u8> {
        decode_base64(self.call("GET", "/screenshot", serde_json::Value::Null).as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(&self.at, "DELETE", &format!("/session/{}", self.session), "");
        let _ = self.driver.kill();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> =
        text.bytes().filter(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/').collect();
    clean
        .chunks(4)
        .flat_map(|q| {
            let n = q.iter().enumerate().fold(0u32, |n, (i, &c)| n | u32::from(value(c)) << (18 - 6 * i));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes.into_iter().take(q.len() - 1)
        })
        .collect()
}

/// Pixels near each of the sector colours in a PNG.
fn sector_pixels(png_bytes: &[u8]) -> [usize; 3] {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let colours: [(i32, i32, i32); 3] = [(0, 114, 178), (230, 159, 0), (0, 158, 115)];
    let mut counts = [0; 3];
    for p in buf[..info.buffer_size()].chunks(channels) {
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        for (k, &(cr, cg, cb)) in colours.iter().enumerate() {
            if (r - cr).abs() + (g - cg).abs() + (b - cb).abs() < 40 {
                counts[k] += 1;
            }
        }
    }
    counts
}

#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn the_lab_works_in_a_real_browser() {
    let server = lab(&["steps=60"]);
    let browser = Browser::start();
    browser.call("POST", "/url", serde_json::json!({"url": server.url()}));
    browser.until("the setup", "return window.labStats.setups >= 1 && window.labStats.drawn >= 1");
    // Step: the step monitor says 1.
    browser.click("#step");
    browser.until("step 1", "return document.getElementById('monitor-step').textContent.includes('1 / 60')");
    // Run, then pause: the tick counter and the charts advance (the innovations line reaches
    // further right).
    let line_end = "const c = document.getElementById('chart-innovations').getContext('2d').getImageData(0, 0, 560, 150).data; let x = 0; for (let i = 0; i < c.length; i += 4) if (c[i] > 150 && c[i + 1] < 140 && c[i + 2] < 60) x = Math.max(x, (i / 4) % 560); return x;";
    let (drawn, end) = (
        browser.script("return window.labStats.drawn").as_u64().unwrap(),
        browser.script(line_end).as_u64().unwrap(),
    );
    browser.click("#run");
    browser.until(
        "step 20",
        "const m = document.getElementById('monitor-step').textContent; return parseInt(m.slice(4)) >= 20",
    );
    browser.click("#run");
    // The picture, paused at step 20, before any message (docs/teaching.md shows it): every
    // sector's colour on the canvas.
    browser.script("window.scrollTo(0, 0);");
    let shot = browser.screenshot();
    let counts = sector_pixels(&shot);
    println!("sector-coloured pixels (public, private, civil): {counts:?}");
    assert!(counts.iter().all(|&c| c > 200), "the view does not show the three sectors: {counts:?}");
    assert!(browser.script("return window.labStats.drawn").as_u64().unwrap() > drawn + 3);
    let later = browser.script(line_end).as_u64().unwrap();
    assert!(
        later > end + 100,
        "the innovations chart did not advance: its line ends at x = {end}, then {later}"
    );
    // A slider: applies now, and says so.
    browser.script("const s = document.querySelector('input[data-path=\"homophily\"]'); s.value = 2; s.dispatchEvent(new Event('change'));");
    browser.until(
        "the slider's note",
        "return document.getElementById('message').textContent.includes('homophily = 2: applies now')",
    );
    // A bad value: the scenario's message on the page, as an error.
    browser.script(
        "document.getElementById('path').value = 'homophily'; document.getElementById('value').value = '-3';",
    );
    browser.click("#set");
    browser.until("the error", "const m = document.getElementById('message'); return m.className === 'error' && m.textContent.includes('out of range')");
    // A preset: the Axelrod classic, a lattice coloured by culture with its regions counted.
    browser.script("const p = document.getElementById('preset'); p.value = 'axelrod'; p.dispatchEvent(new Event('change'));");
    browser.until("the Axelrod lattice", "return document.getElementById('title').textContent.includes('axelrod') && document.getElementById('monitor-cultural-regions') !== null");
    // Fifteen traits a feature: several cultures survive (after the reset the setting waits for).
    browser.script(
        "document.getElementById('path').value = 'traits'; document.getElementById('value').value = '15';",
    );
    browser.click("#set");
    browser.until(
        "the pending note",
        "return document.getElementById('pending').textContent.includes('traits')",
    );
    browser.click("#reset");
    browser.until("a new lattice", "return document.getElementById('pending').textContent === '' && document.getElementById('monitor-step').textContent.includes('0 /')");
    browser.script("document.getElementById('speed').value = 100; document.getElementById('speed').dispatchEvent(new Event('change'));");
    browser.click("#run");
    browser.until("fewer regions", "return parseInt(document.getElementById('monitor-cultural-regions').textContent.replace('cultural regions', '')) < 40");
    browser.click("#run");
    browser.script("window.scrollTo(0, 0);");
    let lattice = browser.screenshot();
    // Screenshots for docs/teaching.md: OLIKA_LAB_SCREENSHOTS=docs/images.
    if let Ok(dir) = std::env::var("OLIKA_LAB_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("lab-city.png"), &shot).unwrap();
        std::fs::write(std::path::Path::new(&dir).join("lab-axelrod.png"), &lattice).unwrap();
    }
    drop(browser);
    server.stop();
}

/// What the issue asks to measure: 1 000 organisations running flat out, frames drawn per second in
/// Chromium and frames the server skipped for a slow tab. Printed, not asserted (timing is not a test).
#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run runs it and prints the frame rate"]
fn the_lab_draws_a_thousand_organisations() {
    let server = lab(&[
        "populations.public.count=200",
        "populations.private.count=400",
        "populations.civil.count=400",
        "steps=100000",
    ]);
    let at = address(&server);
    let browser = Browser::start();
    browser.call("POST", "/url", serde_json::json!({"url": server.url()}));
    browser.until("the setup", "return window.labStats.setups >= 1");
    http(&at, "POST", "/command", r#"{"command":"step","steps":60}"#);
    http(&at, "POST", "/command", r#"{"command":"speed","delay":0}"#);
    http(&at, "POST", "/command", r#"{"command":"run"}"#);
    std::thread::sleep(Duration::from_secs(2));
    let (start_drawn, start) =
        (browser.script("return window.labStats.drawn").as_u64().unwrap(), Instant::now());
    let (sent0, dropped0) = server.frames();
    std::thread::sleep(Duration::from_secs(5));
    let drawn = browser.script("return window.labStats.drawn").as_u64().unwrap() - start_drawn;
    let (sent, dropped) = server.frames();
    let seconds = start.elapsed().as_secs_f64();
    let t =
        serde_json::from_str::<serde_json::Value>(&http(&at, "GET", "/frame", "").1).unwrap()["t"].clone();
    println!(
        "1 000 organisations: {:.1} frames drawn per second; server sent {:.1} frames/s, skipped {} for the tab; at step {t}",
        drawn as f64 / seconds,
        (sent - sent0) as f64 / seconds,
        dropped - dropped0
    );
    assert!(drawn > 0);
    drop(browser);
    server.stop();
}

/// The report's replay: its player runs in Chromium from the file alone, and play advances it.
#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run runs it"]
fn the_report_replays_its_first_run_in_a_browser() {
    let tmp = tempfile::TempDir::new().unwrap();
    crate::common::olika(tmp.path())
        .args(["run", "-q", "-o", "out", "--replications", "2"])
        .assert()
        .success();
    let report = tmp.path().join("out/report.html");
    let size = std::fs::metadata(&report).unwrap().len();
    assert!(size < 1 << 20, "the baseline report is {size} bytes, over 1 MB");
    let browser = Browser::start();
    browser.call("POST", "/url", serde_json::json!({"url": format!("file://{}", report.display())}));
    browser.until("the player", "const s = document.getElementById('replay-step'); return s !== null && s.textContent.startsWith('step 0')");
    browser.click("#replay-play");
    browser.until(
        "a later step",
        "return !document.getElementById('replay-step').textContent.startsWith('step 0 ')",
    );
    let drawn = "const c = document.getElementById('replay-view').getContext('2d').getImageData(0, 0, 480, 480).data; let n = 0; for (let i = 0; i < c.length; i += 4) if (c[i + 3] > 0) n++; return n;";
    assert!(browser.script(drawn).as_u64().unwrap() > 1000, "the player drew nothing");
}
