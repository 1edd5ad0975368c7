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
pub(crate) fn http(address: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    request(address, method, path, &[("Host", address), ("Content-Type", "application/json")], body)
}

/// One HTTP/1.1 request with these headers: (status, body). Enough for the lab and for
/// chromedriver, which may keep the connection open: the body is read by its length (or its chunks).
pub(crate) fn request(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    let (status, _, body) = exchange(address, method, path, headers, body.as_bytes());
    (status, String::from_utf8_lossy(&body).to_string())
}

/// One HTTP/1.1 request of any bytes: (status, the headers' lines, body).
fn exchange(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<String>, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    stream.write_all(text.as_bytes()).unwrap();
    stream.write_all(body).unwrap();
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (mut length, mut chunked, mut said) = (None, false, Vec::new());
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap() == 0 || line.trim().is_empty() {
            break;
        }
        let lower = line.to_ascii_lowercase();
        said.push(line.trim().to_string());
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
    (status, said, out)
}

pub(crate) fn address(server: &LabServer) -> String {
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

/// Posts a world file as the page does.
fn post_world(at: &str, name: &str, bytes: &[u8]) -> (u16, String) {
    let headers = [("Host", at), ("Content-Type", "application/octet-stream"), ("X-Olika-File", name)];
    let (status, _, body) = exchange(at, "POST", "/world", &headers, bytes);
    (status, String::from_utf8_lossy(&body).to_string())
}

/// Sends a request's head (with `headers`) and none of its body: the connection, to read the answer.
/// What has come back on `stream` so far, if anything (waiting a millisecond at most).
fn answered(stream: &mut TcpStream) -> Option<String> {
    let mut chunk = vec![0; 1 << 12];
    stream.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
    match stream.read(&mut chunk) {
        Ok(n) => Some(String::from_utf8_lossy(&chunk[..n]).into_owned()),
        Err(_) => None,
    }
}

fn head_only(at: &str, method: &str, path: &str, headers: &[(&str, &str)]) -> TcpStream {
    let mut stream = TcpStream::connect(at).unwrap();
    let mut text = format!("{method} {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).unwrap();
    stream
}

#[test]
fn the_served_lab_saves_its_world_and_loads_one_back_within_bounds() {
    let server = lab(&["steps=60"]);
    let at = address(&server);
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":12}"#).0, 200);
    until_step(&at, 12);
    // Save world: the state file `olika run --save-state` writes, byte for byte the one the same
    // world saves as a plain call, offered under the scenario's name and month.
    let (status, headers, saved) = exchange(&at, "GET", "/world.state", &[("Host", &at)], b"");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&saved));
    assert!(
        headers.iter().any(|h| h == "Content-Disposition: attachment; filename=\"baseline-month-012.state\""),
        "{headers:?}"
    );
    let mut native = Lab::new(Source::Baseline, vec!["steps=60".into()]).unwrap();
    native.command(olika::lab::Command::Step { steps: Some(12) }).unwrap();
    while native.work() {}
    assert!(saved == native.save().unwrap().1, "the served lab's file is not the world's");
    // Load world: the lab goes back to month 12 and steps on from there as the world never saved.
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":8}"#).0, 200);
    until_step(&at, 20);
    let (status, said) = post_world(&at, "baseline-month-012.state", &saved);
    assert_eq!(
        (status, said.as_str()),
        (200, r#"{"ok":"loaded the world of month 12 from baseline-month-012.state"}"#)
    );
    assert_eq!(step_now(&at), 12);
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":5}"#).0, 200);
    until_step(&at, 17);
    native.command(olika::lab::Command::Step { steps: Some(5) }).unwrap();
    while native.work() {}
    let (_, frame) = http(&at, "GET", "/frame", "");
    let frame: serde_json::Value = serde_json::from_str(&frame).unwrap();
    let native_frame: serde_json::Value = serde_json::from_str(&native.frame()).unwrap();
    assert_eq!(frame["monitors"], native_frame["monitors"]);
    assert_eq!(frame["ties"], native_frame["ties"]);
    // Bad files are refused with the command line's words, and the world on screen is kept.
    for (bytes, words) in [
        (&saved[..saved.len() / 2], "cut short"),
        (&b"olika state 9\nchecksum 0\n"[..], "format 9"),
        (&b"GIF89a"[..], "not an olika state file"),
        (&b""[..], "not an olika state file"),
    ] {
        let (status, said) = post_world(&at, "../../etc/x.state", bytes);
        assert_eq!(status, 400, "{said}");
        assert!(said.contains(words) && said.contains("x.state") && !said.contains("etc"), "{said}");
    }
    let mut edited = saved.clone();
    let last = edited.len() - 1;
    edited[last] ^= 0x40;
    let (status, said) = post_world(&at, "edited.state", &edited);
    assert!(status == 400 && said.contains("checksum"), "{said}");
    assert_eq!(step_now(&at), 17);
    // Only as a file, only from the lab's page, and no larger than the cap, said before a byte of
    // the body is read: the answers come to requests that send none.
    let json = [("Host", at.as_str()), ("Content-Type", "application/json")];
    assert_eq!(exchange(&at, "POST", "/world", &json, &saved).0, 415);
    let too_long = (olika::lab::MOST_STATE_FILE_BYTES + 1).to_string();
    let cap =
        [("Host", at.as_str()), ("Content-Type", "application/octet-stream"), ("Content-Length", &too_long)];
    let (answer, ended) =
        read_to_end_within(&mut head_only(&at, "POST", "/world", &cap), Duration::from_secs(10));
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        ended
            && answer.starts_with("HTTP/1.1 413")
            && answer.contains(&format!("at most {} bytes", olika::lab::MOST_STATE_FILE_BYTES)),
        "{answer}"
    );
    let elsewhere = [
        ("Host", at.as_str()),
        ("Origin", "http://evil.example"),
        ("Content-Type", "application/octet-stream"),
        ("Content-Length", &too_long),
    ];
    let (answer, _) =
        read_to_end_within(&mut head_only(&at, "POST", "/world", &elsewhere), Duration::from_secs(10));
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 403"));
    let rebound = [("Host", "evil.example"), ("Content-Type", "application/octet-stream")];
    assert_eq!(exchange(&at, "POST", "/world", &rebound, &saved).0, 403);
    assert_eq!(exchange(&at, "GET", "/world.state", &[("Host", "evil.example:80")], b"").0, 403);
    assert_eq!(http(&at, "GET", "/world", "").0, 405);
    // One world file at a time: while one comes slowly, another is refused at once — and the
    // world answers and steps meanwhile (nothing of the lab waits for a file).
    let length = saved.len().to_string();
    let slow =
        [("Host", at.as_str()), ("Content-Type", "application/octet-stream"), ("Content-Length", &length)];
    let start_slow = || {
        let mut coming = head_only(&at, "POST", "/world", &slow);
        coming.write_all(&saved[..100]).unwrap();
        coming
    };
    let mut coming = start_slow();
    // A wait for a worker to take the slow file up, not a measure of speed: on a loaded machine
    // (CI's two cores running the classroom's thirty phones beside it) 5 s once did not suffice.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (status, said) = http(&at, "GET", "/world.state", "");
        if status == 503 {
            assert!(said.contains("another world file"), "{said}");
            break;
        }
        // The probe holds the one place itself while it saves: a slow file that came up just
        // then was refused, as the second file it was, and comes again.
        if let Some(answer) = answered(&mut coming) {
            assert!(answer.starts_with("HTTP/1.1 503") && answer.contains("another world file"), "{answer}");
            coming = start_slow();
        }
        assert!(Instant::now() < deadline, "a second world file was not refused while one came");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"step","steps":2}"#).0, 200);
    until_step(&at, 19);
    coming.write_all(&saved[100..]).unwrap();
    let (answer, _) = read_to_end_within(&mut coming, Duration::from_secs(20));
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("month 12"), "{answer}");
    assert_eq!(step_now(&at), 12);
    // A world with settings waiting for Setup is not saved: they would not be its own.
    let (status, _) =
        http(&at, "POST", "/command", r#"{"command":"set","path":"sector_distance","value":"0.9"}"#);
    assert_eq!(status, 200);
    let (status, said) = http(&at, "GET", "/world.state", "");
    assert!(status == 409 && said.contains("Setup"), "{status} {said}");
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
        // While the flood's connections are still being closed the lab may be full yet, answer
        // 503 and close before the request is written (a broken pipe here): try again.
        let written = write!(probe, "GET /frame HTTP/1.1\r\nHost: {at}\r\n\r\n").is_ok();
        let (answer, _) = read_to_end_within(&mut probe, Duration::from_secs(2));
        if written && answer.starts_with(b"HTTP/1.1 200") {
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

/// The charts' series a page holds after these events: the setup's history, replaced by a
/// `history` event, and each frame's points merged and thinned as the page does it.
fn page_series(events: &[(String, serde_json::Value)]) -> Vec<u64> {
    let mut series: Vec<u64> = Vec::new();
    let times = |v: &serde_json::Value| -> Vec<u64> {
        v["history"].as_array().unwrap().iter().map(|p| p["t"].as_u64().unwrap()).collect()
    };
    for (kind, v) in events {
        match kind.as_str() {
            "setup" | "history" => series = times(v),
            _ => {
                for p in v["points"].as_array().unwrap() {
                    let t = p["t"].as_u64().unwrap();
                    series.retain(|&h| h < t);
                    series.push(t);
                }
                let (stride, last) = (v["stride"].as_u64().unwrap(), *series.last().unwrap());
                series.retain(|&h| h == last || h % stride == 0);
            }
        }
    }
    series
}

/// The issue's straight line: at full speed a tab is sent a frame now and then, and a slow tab
/// skips some of those; its charts must still have every step. Each frame carries the points
/// since the frame before, and a tab that skipped one gets the whole history first.
#[test]
#[ignore = "a city of 300 000 (about 20 s and 1 GB): .ci/run runs it with the lab's other measurements"]
fn a_tab_that_skips_frames_still_charts_every_step() {
    // A city whose setup (7 MB) more than fills the socket of a tab that reads nothing.
    let mut overrides = city(300_000).to_vec();
    overrides.push("steps=12".into());
    let server = lab(&overrides.iter().map(String::as_str).collect::<Vec<_>>());
    let at = address(&server);
    let mut slow = silent_tab(&at);
    let fast = {
        let at = at.clone();
        std::thread::spawn(move || stream_until(&at, |e| e.iter().any(|(_, v)| v["finished"] == true)))
    };
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"speed","delay":0}"#).0, 200);
    assert_eq!(http(&at, "POST", "/command", r#"{"command":"run"}"#).0, 200);
    until_step(&at, 12);
    let every: Vec<u64> = (0..=12).collect();
    let events = fast.join().unwrap();
    let frames = events.iter().filter(|(k, _)| k == "frame").count();
    assert_eq!(page_series(&events), every, "a tab that read along");
    // The slow tab reads only now: it skipped frames, and was sent the history before the newest.
    let (bytes, _) = read_to_end_within(&mut slow, Duration::from_secs(15));
    let text = String::from_utf8_lossy(&bytes);
    let mut events = Vec::new();
    for message in text.split("\n\n") {
        let kind = message.lines().find_map(|l| l.strip_prefix("event: "));
        let data = message.lines().find_map(|l| l.strip_prefix("data: "));
        if let (Some(kind), Some(data)) = (kind, data) {
            events.push((kind.to_string(), serde_json::from_str::<serde_json::Value>(data).unwrap()));
        }
    }
    let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
    println!("a tab reading along got {frames} frames for 12 steps; the slow one: {kinds:?}");
    assert_eq!(page_series(&events), every, "the slow tab: {kinds:?}");
    assert!(kinds.contains(&"history"), "the slow tab skipped no frame: {kinds:?}");
    server.stop();
}

/// This process's resident memory (VmRSS), in bytes.
pub(crate) fn resident_bytes() -> u64 {
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

pub(crate) struct Browser {
    driver: std::process::Child,
    at: String,
    session: String,
    /// Where the browser saves downloads: a folder of its own.
    downloads: std::path::PathBuf,
}

impl Browser {
    fn start() -> Browser {
        Browser::sized(1500, 1100)
    }

    /// A browser whose window is `width` × `height` pixels.
    pub(crate) fn sized(width: u32, height: u32) -> Browser {
        Browser::launch(width, height, serde_json::json!({}))
    }

    /// A phone's browser: a page `width` CSS pixels wide, as Chromium's device emulation makes
    /// it (a headless window is never narrower than 500 px).
    pub(crate) fn phone(width: u32, height: u32) -> Browser {
        let metrics = serde_json::json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": true}});
        Browser::launch(width.max(500), height, serde_json::json!({"mobileEmulation": metrics}))
    }

    /// A browser with these chromeOptions beside the usual.
    fn launch(width: u32, height: u32, options: serde_json::Value) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = std::process::Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("chromedriver (Debian's chromium-driver; .ci/run installs it)");
        let at = format!("127.0.0.1:{port}");
        let downloads = std::env::temp_dir().join(format!("olika-lab-downloads-{port}"));
        std::fs::create_dir_all(&downloads).unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&at).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = serde_json::json!({"capabilities": {"alwaysMatch": {"browserName": "chrome",
            "goog:chromeOptions": {"args": ["--headless=new", "--no-sandbox", "--disable-gpu", &format!("--window-size={width},{height}"),
                "--disable-dev-shm-usage", "--no-first-run"],
            "prefs": {"download.default_directory": downloads.display().to_string(), "download.prompt_for_download": false}}}}});
        let mut capabilities = capabilities;
        for (key, value) in options.as_object().unwrap() {
            capabilities["capabilities"]["alwaysMatch"]["goog:chromeOptions"][key] = value.clone();
        }
        let (status, body) = http(&at, "POST", "/session", &capabilities.to_string());
        assert_eq!(status, 200, "{body}");
        let session = serde_json::from_str::<serde_json::Value>(&body).unwrap()["value"]["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        Browser { driver, at, session, downloads }
    }

    pub(crate) fn call(&self, method: &str, path: &str, body: serde_json::Value) -> serde_json::Value {
        let body = if body.is_null() { String::new() } else { body.to_string() };
        let (status, text) = http(&self.at, method, &format!("/session/{}{path}", self.session), &body);
        assert_eq!(status, 200, "{method} {path}: {text}");
        serde_json::from_str::<serde_json::Value>(&text).unwrap()["value"].clone()
    }

    pub(crate) fn script(&self, code: &str) -> serde_json::Value {
        self.call("POST", "/execute/sync", serde_json::json!({"script": code, "args": []}))
    }

    fn element(&self, css: &str) -> String {
        let found = self.call("POST", "/element", serde_json::json!({"using": "css selector", "value": css}));
        found.as_object().unwrap().values().next().unwrap().as_str().unwrap().to_string()
    }

    pub(crate) fn click(&self, css: &str) {
        let id = self.element(css);
        self.call("POST", &format!("/element/{id}/click"), serde_json::json!({}));
    }

    /// Chooses the file at `path` in the file input `css`, as a user would.
    fn choose_file(&self, css: &str, path: &std::path::Path) {
        let id = self.element(css);
        self.call(
            "POST",
            &format!("/element/{id}/value"),
            serde_json::json!({"text": path.display().to_string()}),
        );
    }

    /// Waits until a script returns true.
    pub(crate) fn until(&self, what: &str, code: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.script(code) != serde_json::Value::Bool(true) {
            if Instant::now() >= deadline {
                let said = self.script("const m = document.getElementById('message'), s = document.getElementById('state'); return [m && m.textContent, s && s.textContent]");
                panic!("the page never showed {what} (it says {said})");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn screenshot(&self) -> Vec<u8> {
        decode_base64(self.call("GET", "/screenshot", serde_json::Value::Null).as_str().unwrap())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(&self.at, "DELETE", &format!("/session/{}", self.session), "");
        let _ = self.driver.kill();
        let _ = std::fs::remove_dir_all(&self.downloads);
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
    let (shot, lattice) = session(&browser);
    save_and_load(&browser, true);
    // Screenshots for docs/teaching.md: OLIKA_LAB_SCREENSHOTS=docs/images.
    if let Ok(dir) = std::env::var("OLIKA_LAB_SCREENSHOTS") {
        std::fs::write(std::path::Path::new(&dir).join("lab-city.png"), &shot).unwrap();
        std::fs::write(std::path::Path::new(&dir).join("lab-axelrod.png"), &lattice).unwrap();
    }
    drop(browser);
    server.stop();
}

/// The teacher's session, for either transport: step, run, the picture, a slider, a bad value,
/// the Axelrod preset with fifteen traits run at full speed until its regions fall. The
/// screenshots of the city and of the lattice.
fn session(browser: &Browser) -> (Vec<u8>, Vec<u8>) {
    browser.until("the setup", "return window.labStats.setups >= 1 && window.labStats.drawn >= 1");
    // Step: the step monitor says 1.
    browser.click("#step");
    browser.until("step 1", "return document.getElementById('monitor-step').textContent.includes('1 / ')");
    // Run, then pause: the tick counter and the charts advance (the innovations line reaches
    // further right).
    let line_end = "const v = document.getElementById('chart-innovations'), c = v.getContext('2d').getImageData(0, 0, v.width, v.height).data; let x = 0; for (let i = 0; i < c.length; i += 4) if (c[i] > 150 && c[i + 1] < 140 && c[i + 2] < 60) x = Math.max(x, (i / 4) % v.width); return x;";
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
        later
            > end
                + browser
                    .script("return Math.floor(document.getElementById('chart-innovations').width / 12)")
                    .as_u64()
                    .unwrap(),
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
    browser.until("a new lattice", "return document.getElementById('pending').textContent === '' && document.querySelector('#monitor-step b').textContent.startsWith('0 ')");
    browser.script("document.getElementById('speed').value = 100; document.getElementById('speed').dispatchEvent(new Event('change'));");
    browser.click("#run");
    browser.until("fewer regions", "return parseInt(document.getElementById('monitor-cultural-regions').textContent.replace('cultural regions', '')) < 40");
    browser.click("#run");
    // Paused: the charts' axis ends at the step the monitor says (it once said 548 against 498: the
    // axis ran 10 % past the step and was labelled as if it were the step).
    browser.until("the pause", "return document.getElementById('run').textContent === 'Run'");
    std::thread::sleep(Duration::from_millis(300));
    let axis = browser.script("const m = document.querySelector('#monitor-step b').textContent; return [parseInt(m), window.labStats.charts.regions.axis, window.labStats.charts.regions.last];");
    assert_eq!(
        axis[0], axis[1],
        "the monitor's step and the chart's axis (monitor, axis, last point): {axis}"
    );
    assert_eq!(axis[0], axis[2], "the chart's last point is not the step now: {axis}");
    // Only the sliders that change a lattice: the pull toward the similar, and its venue's rhythm
    // and facilitation.
    let offered = browser.script("return [...document.querySelectorAll('#sliders input[type=range]')].map(s => s.dataset.path).join(' ')");
    assert_eq!(offered, "homophily venues.lattice.every venues.lattice.facilitation");
    browser.script("window.scrollTo(0, 0);");
    (shot, browser.screenshot())
}

/// Save world and Load world, for either transport: the baseline stepped to month 7 is saved by a
/// click — the browser downloads a file the native lab reads (with `same_floats`, the served lab's
/// case, the very file the native lab saves) and the page reads the native lab's — stepped on to
/// 12, and loaded back from the downloaded file: the page is at month 7 again and says so. A file
/// that is no world is refused on the page, the world kept.
fn save_and_load(browser: &Browser, same_floats: bool) {
    browser.script("send({ command: 'preset', name: 'baseline' })");
    browser.until("the baseline", "return document.getElementById('title').textContent.endsWith('baseline') && document.querySelector('#monitor-step b').textContent.startsWith('0 ')");
    browser.script("send({ command: 'step', steps: 7 })");
    browser.until("step 7", "return document.getElementById('state').textContent === 'paused at step 7'");
    browser.click("#save-world");
    let file = browser.downloads.join("baseline-month-007.state");
    let deadline = Instant::now() + Duration::from_secs(30);
    let downloaded = |f: &std::path::Path| f.exists() && !f.with_extension("state.crdownload").exists();
    while !downloaded(&file) {
        let listed: Vec<_> =
            std::fs::read_dir(&browser.downloads).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(Instant::now() < deadline, "Save world downloaded no {} ({listed:?})", file.display());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(200));
    let mut native = Lab::new(Source::Named("baseline".into()), vec![]).unwrap();
    native.command(olika::lab::Command::Step { steps: Some(7) }).unwrap();
    while native.work() {}
    let (downloaded, saved) = (std::fs::read(&file).unwrap(), native.save().unwrap().1);
    if same_floats {
        assert!(downloaded == saved, "the downloaded world is not the native lab's");
    }
    // Whichever lab saved it, the other reads it.
    let mut reader = Lab::new(Source::Baseline, vec![]).unwrap();
    let said = reader.load("baseline-month-007.state", &downloaded).unwrap();
    assert_eq!(said, "loaded the world of month 7 from baseline-month-007.state");
    let native_file = browser.downloads.join("native-month-007.state");
    std::fs::write(&native_file, &saved).unwrap();
    browser.choose_file("#load-world", &native_file);
    browser.until("the native world", "return document.getElementById('message').textContent === 'loaded the world of month 7 from native-month-007.state'");
    browser.script("send({ command: 'step', steps: 5 })");
    browser.until("step 12", "return document.getElementById('state').textContent === 'paused at step 12'");
    browser.choose_file("#load-world", &file);
    browser.until(
        "the loaded world",
        "return document.getElementById('message').textContent === 'loaded the world of month 7 from baseline-month-007.state' && document.getElementById('state').textContent === 'paused at step 7' && document.querySelector('#monitor-step b').textContent.startsWith('7 ')",
    );
    let bad = browser.downloads.join("not-a-world.state");
    std::fs::write(&bad, "name = \"baseline\"\n").unwrap();
    browser.choose_file("#load-world", &bad);
    browser.until("the refusal", "const m = document.getElementById('message'); return m.className === 'error' && m.textContent.includes('not-a-world.state') && m.textContent.includes('not an olika state file')");
    assert_eq!(browser.script("return document.getElementById('state').textContent"), "paused at step 7");
}

/// Counts of pixels near each of `colours` in an RGBA image the page read from a canvas.
const PIXELS_NEAR: &str = "const near = (data, colours) => colours.map(([r, g, b]) => { let n = 0; for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 40) n++; return n; });";

/// docs/teaching.md's lesson on a projector: at 1024×768 the page shows the view, the monitors,
/// the charts and the run controls without scrolling, its charts' text at 14 px or more, with a
/// legend wherever a chart has two lines, in no sector's colour. Then Bass at full speed (the
/// speed Axelrod's lesson leaves set): the adopters' chart has every step (an S, not a straight
/// line), the monitors are Bass's, the view shows who adopted, and the end of the run says so.
#[test]
#[ignore = "needs Chromium and chromedriver; .ci/run installs them and runs it"]
fn the_lesson_fits_a_projector_and_bass_draws_its_s() {
    let server = lab(&["steps=60"]);
    let browser = Browser::sized(1024, 768);
    browser.call("POST", "/url", serde_json::json!({"url": server.url()}));
    projector_lesson(&browser);
    drop(browser);
    server.stop();
}

/// The projector lesson's checks, for either transport.
fn projector_lesson(browser: &Browser) {
    browser.until("the setup", "return window.labStats.setups >= 1 && window.labStats.drawn >= 1");
    browser.click("#step");
    browser.until("step 1", "return document.getElementById('monitor-step').textContent.includes('1 / ')");
    let size = browser.script("return [window.innerWidth, window.innerHeight]");
    println!("the window's inside at --window-size=1024,768: {size}");
    let unseen = browser.script(
        "const out = []; const w = window.innerWidth, h = window.innerHeight;
         if (document.documentElement.scrollWidth > w || document.documentElement.scrollHeight > h) out.push('the page scrolls: ' + document.documentElement.scrollWidth + '×' + document.documentElement.scrollHeight);
         ['view', 'reset', 'step', 'run', 'speed', 'monitors', 'state', 'message'].concat([...document.querySelectorAll('canvas.chart')].map(c => c.id)).forEach(id => {
           const r = document.getElementById(id).getBoundingClientRect();
           if (r.width === 0 || r.top < 0 || r.left < 0 || r.bottom > h + 0.5 || r.right > w + 0.5) out.push(id + ' at ' + [r.left, r.top, r.right, r.bottom].map(Math.round));
         });
         return out.join('; ');",
    );
    assert_eq!(unseen, "", "not on the screen at 1024×768");
    // The view at least 300 px, the charts' text at 14 px or more and not scaled down.
    let view = browser
        .script("return document.getElementById('view').getBoundingClientRect().width")
        .as_f64()
        .unwrap();
    assert!(view >= 300.0, "the view is {view} px wide");
    let charts = browser.script("return window.labStats.charts");
    for (id, chart) in charts.as_object().unwrap() {
        assert!(chart["font"].as_f64().unwrap() >= 14.0, "{id}: {chart}");
        assert!((chart["scale"].as_f64().unwrap() - 1.0).abs() < 0.02, "{id} is drawn scaled: {chart}");
    }
    for id in ["partnerships", "trust"] {
        assert_eq!(charts[id]["legend"].as_array().unwrap().len(), 2, "{id} has no legend: {}", charts[id]);
    }
    // No chart uses a sector's colour, in its lines or its pixels.
    let sector_colours = ["#0072B2", "#E69F00", "#009E73"];
    for (id, chart) in charts.as_object().unwrap() {
        for colour in chart["colours"].as_array().unwrap() {
            assert!(
                !sector_colours.iter().any(|c| c.eq_ignore_ascii_case(colour.as_str().unwrap())),
                "{id}: {chart}"
            );
        }
    }
    browser.click("#run");
    browser.until("step 20", "return parseInt(document.querySelector('#monitor-step b').textContent) >= 20");
    browser.click("#run");
    let in_charts = browser.script(&format!("{PIXELS_NEAR} return [...document.querySelectorAll('canvas.chart')].map(v => near(v.getContext('2d').getImageData(0, 0, v.width, v.height).data, [[0, 114, 178], [230, 159, 0], [0, 158, 115]]))"));
    for counts in in_charts.as_array().unwrap() {
        assert!(
            counts.as_array().unwrap().iter().all(|n| n.as_u64().unwrap() < 10),
            "sector colours in a chart: {in_charts}"
        );
    }
    // Bass at full speed.
    browser.script("const p = document.getElementById('preset'); p.value = 'bass'; p.dispatchEvent(new Event('change'));");
    browser.until("Bass", "return document.getElementById('title').textContent.includes('bass') && document.getElementById('monitor-adopters') !== null");
    let monitors =
        browser.script("return [...document.querySelectorAll('.monitor')].map(m => m.id).join(' ')");
    assert_eq!(monitors, "monitor-step monitor-adopters monitor-share-adopted");
    let offered = browser.script("return [...document.querySelectorAll('#sliders input[type=range]')].map(s => s.dataset.path).join(' ')");
    assert_eq!(offered, "diffusion.external diffusion.imitation");
    // Who adopted is seen: at first one cell of the view in the adopters' colour, the rest grey.
    browser.until("the grid", "return window.labStats.drawn > 0 && document.querySelector('#monitor-step b').textContent.startsWith('0 /')");
    std::thread::sleep(Duration::from_millis(300));
    let first_view = browser.script(&format!("{PIXELS_NEAR} const v = document.getElementById('view'); return near(v.getContext('2d').getImageData(0, 0, v.width, v.height).data, [[204, 121, 167], [221, 221, 221]])"));
    browser.script("document.getElementById('speed').value = 100; document.getElementById('speed').dispatchEvent(new Event('change'));");
    browser.until("full speed", "return document.getElementById('message').textContent.includes('0 ms')");
    browser.click("#run");
    browser
        .until("the end of the run", "return document.getElementById('state').textContent.includes('over')");
    std::thread::sleep(Duration::from_millis(300));
    let said = browser.script(
        "return [document.getElementById('message').textContent, document.getElementById('run').textContent]",
    );
    assert!(said[0].as_str().unwrap().contains("the run is over at step 40 of 40"), "{said}");
    assert_eq!(said[1], "Run", "{said}");
    // Every step in the chart: the adopters' share rises slowly, fastest in the middle, slowly at
    // the end — an S.
    let adopters: Vec<f64> = browser
        .script("return window.labSeries().map(p => p.t + ':' + p.adoptions).join(' ')")
        .as_str()
        .unwrap()
        .split(' ')
        .enumerate()
        .map(|(k, p)| {
            let (t, a) = p.split_once(':').unwrap();
            assert_eq!(t.parse::<usize>().unwrap(), k, "the chart lacks steps: {p}");
            a.parse().unwrap()
        })
        .collect();
    assert_eq!(adopters.len(), 41, "{adopters:?}");
    let gains: Vec<f64> = adopters.windows(2).map(|w| w[1] - w[0]).collect();
    let fastest = gains.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap().0;
    assert!((3..30).contains(&fastest), "the fastest month is {fastest}: no S in {adopters:?}");
    assert!(gains[0] < gains[fastest] / 3.0 && gains[39] < gains[fastest] / 3.0, "no S: {gains:?}");
    let axis = browser.script("return [window.labStats.charts.bass.axis, window.labStats.charts.bass.last]");
    assert_eq!(axis, serde_json::json!([40, 40]));
    // At the end nearly every cell has adopted.
    let view = browser.script(&format!("{PIXELS_NEAR} const v = document.getElementById('view'); return near(v.getContext('2d').getImageData(0, 0, v.width, v.height).data, [[204, 121, 167], [221, 221, 221]])"));
    let (adopted, not_yet) = (view[0].as_u64().unwrap(), view[1].as_u64().unwrap());
    assert!(
        adopted > 100_000 && not_yet < adopted / 10,
        "the view at the end: {adopted} adopted pixels, {not_yet} not yet"
    );
    let (adopted, not_yet) = (first_view[0].as_u64().unwrap(), first_view[1].as_u64().unwrap());
    assert!(
        not_yet > 100_000 && adopted < not_yet / 1000,
        "the view at the start: {adopted} adopted pixels, {not_yet} not yet"
    );
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

// --- The lab in one file: the model in the page, as WebAssembly ------------------------------

/// The exported lab: `OLIKA_LAB_HTML`, else target/lab.html, which .ci/run builds (the olika-web
/// crate for wasm32-unknown-unknown, then `olika lab --export`).
fn exported() -> std::path::PathBuf {
    let file = std::env::var_os("OLIKA_LAB_HTML")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lab.html"));
    assert!(file.exists(), "no {}: build it with scripts/lab-html.sh target/lab.html", file.display());
    file
}

/// Opens the exported file, from disk, with no server anywhere.
fn open_exported(browser: &Browser) {
    let file = exported();
    browser.call("POST", "/url", serde_json::json!({"url": format!("file://{}", file.display())}));
}

/// Whether the page asked the network for anything: every resource it loaded, by its URL.
fn requests(browser: &Browser) -> serde_json::Value {
    browser.script("return performance.getEntriesByType('resource').map(e => e.name).concat(performance.getEntriesByType('navigation').map(e => e.name).filter(n => !n.startsWith('file:')))")
}

#[test]
#[ignore = "needs Chromium, chromedriver and the exported lab; .ci/run builds it and runs this"]
fn the_exported_lab_runs_in_a_browser_from_a_file() {
    let size = std::fs::metadata(exported()).unwrap().len();
    println!("the exported lab: {:.2} MB", size as f64 / 1e6);
    assert!(size < 3_000_000, "the exported lab is {size} bytes, over 3 MB");
    let browser = Browser::start();
    open_exported(&browser);
    session(&browser);
    // "Download this scenario" is made in the page: a scenario file olika run takes.
    let download = browser.script("return transport.scenario()");
    assert!(download[0].as_str().unwrap().ends_with("-lab.toml"), "{download}");
    assert!(download[1].as_str().unwrap().contains("olika run"), "{download}");
    // Determinism: a world stepped 30 steps in the page draws what it draws natively — the city,
    // Axelrod's lattice and Bass's diffusion.
    for preset in ["baseline", "axelrod", "bass"] {
        browser.script(&format!("send({{ command: 'preset', name: '{preset}' }})"));
        browser.until(preset, &format!("return document.getElementById('title').textContent.endsWith('{preset}') && document.querySelector('#monitor-step b').textContent.startsWith('0 ')"));
        browser.script("send({ command: 'step', steps: 30 })");
        browser
            .until("step 30", "return document.getElementById('state').textContent === 'paused at step 30'");
        let in_page = browser.script("return transport.digest()");
        let mut native = Lab::new(Source::Named(preset.into()), vec![]).unwrap();
        native.command(olika::lab::Command::Step { steps: Some(30) }).unwrap();
        while native.work() {}
        println!("{preset} after 30 steps: digest {in_page} in the page, {} natively", native.digest());
        assert_eq!(in_page, native.digest(), "{preset}: the page's world is not the native one");
    }
    // In the page the model's floating point is WebAssembly's (its `ln`, `exp` and `powf` are
    // Rust's libm, not the C library's), so its saved worlds differ from the native ones in the
    // last bits of some numbers (the digests above do not see them): the files are each other's
    // to read, not the same bytes.
    save_and_load(&browser, false);
    assert_eq!(requests(&browser), serde_json::json!([]), "the page made network requests");
}

#[test]
#[ignore = "needs Chromium, chromedriver and the exported lab; .ci/run builds it and runs this"]
fn the_exported_lab_fits_a_projector_and_bass_draws_its_s() {
    let browser = Browser::sized(1024, 768);
    open_exported(&browser);
    projector_lesson(&browser);
    assert_eq!(requests(&browser), serde_json::json!([]), "the page made network requests");
}

/// The issue's speed figures, printed: 1 000 organisations flat out in the page (frames drawn a
/// second, and what a frame costs to make and to draw), and the baseline's steps a second in the
/// page against the native lab's. Asserted: the page steps at least half as fast as native, and
/// draws at least 10 frames a second while it runs flat out (30 on a quiet machine; timing is a
/// measurement, so only a floor that a loaded machine also passes is a test).
#[test]
#[ignore = "needs Chromium, chromedriver and the exported lab; .ci/run builds it and runs this"]
fn the_exported_lab_keeps_up_with_the_native_one() {
    let browser = Browser::start();
    open_exported(&browser);
    browser.until("the setup", "return window.labStats.setups >= 1");
    // The baseline, stepping and nothing else, in the page and natively: 5 000 steps each, the
    // quickest of five. The first runs also let the browser compile the module fully (V8 optimises
    // a function in the background once it is hot): with 1 000 steps, the quickest of three, the
    // page's figure was a third lower now and then (0.47 and 0.49 of native against 0.63–0.87 in
    // ten other tries, on this build and on the one before, alike).
    let steps = 5000;
    let (mut ms, mut native_ms) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..5 {
        browser.script(&format!("send({{ command: 'set', path: 'steps', value: '{steps}' }}).then(() => send({{ command: 'reset' }}))"));
        browser.until(
            "the reset",
            &format!("return document.querySelector('#monitor-step b').textContent === '0 / {steps}'"),
        );
        let page = browser.script(&format!("return transport.bench({steps})"));
        assert_eq!(page[0].as_u64().unwrap(), steps);
        ms = ms.min(page[1].as_f64().unwrap());
        let mut native = Lab::new(Source::Baseline, vec![format!("steps={steps}")]).unwrap();
        native.command(olika::lab::Command::Step { steps: Some(steps as u32) }).unwrap();
        let started = Instant::now();
        while native.work() {}
        native_ms = native_ms.min(started.elapsed().as_secs_f64() * 1000.0);
    }
    let (in_page, natively) = (steps as f64 / ms * 1000.0, steps as f64 / native_ms * 1000.0);
    println!(
        "the baseline city: {in_page:.0} steps a second in the page (WebAssembly), {natively:.0} natively: {:.2} of native",
        in_page / natively
    );
    // 1 000 organisations flat out: frames drawn a second.
    for (sector, count) in [("public", 200), ("private", 400), ("civil", 400)] {
        browser.script(&format!(
            "send({{ command: 'set', path: 'populations.{sector}.count', value: '{count}' }})"
        ));
        browser.until(
            "the setting",
            &format!(
                "return document.getElementById('message').textContent.includes('{sector}.count = {count}')"
            ),
        );
    }
    browser.script("send({ command: 'set', path: 'steps', value: '100000' }).then(() => send({ command: 'reset' })).then(() => send({ command: 'step', steps: 60 })).then(() => send({ command: 'speed', delay: 0 })).then(() => send({ command: 'run' }))");
    browser.until(
        "1 000 organisations running",
        "return setup.organisations === 1000 && latest.running && latest.t > 60",
    );
    std::thread::sleep(Duration::from_secs(2));
    let (drawn, t0, started) = (
        browser.script("return window.labStats.drawn").as_u64().unwrap(),
        browser.script("return latest.t").as_u64().unwrap(),
        Instant::now(),
    );
    std::thread::sleep(Duration::from_secs(5));
    let drawn = browser.script("return window.labStats.drawn").as_u64().unwrap() - drawn;
    let t = browser.script("return latest.t").as_u64().unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let costs = browser.script("return [window.labStats.frameMs, window.labStats.drawMs]");
    println!(
        "1 000 organisations in the page: {:.1} frames drawn a second, {:.0} steps a second; the last frame took (ms) to make and read, [to draw the world, the charts]: {costs}",
        drawn as f64 / seconds,
        (t - t0) as f64 / seconds
    );
    assert!(
        in_page * 2.0 >= natively,
        "the page steps {in_page:.0} a second, under half of native's {natively:.0}"
    );
    assert!(drawn as f64 / seconds >= 10.0, "{:.1} frames a second", drawn as f64 / seconds);
    assert_eq!(requests(&browser), serde_json::json!([]), "the page made network requests");
}

/// docs/lab.html is what a teacher opens: it must be built from the sources committed beside it.
/// The file says the digest of the sources it was built from (`olika lab --export`); after any
/// change to src/, web/, scenarios/ or the manifests, `bash scripts/lab-html.sh` makes it again.
#[test]
#[ignore = ".ci/run runs it: a change to the sources fails it until docs/lab.html is made again"]
fn the_committed_lab_html_is_built_from_these_sources() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let html = std::fs::read_to_string(root.join("docs/lab.html"))
        .expect("docs/lab.html: make it with scripts/lab-html.sh");
    let now = olika::lab::standalone::sources_digest(root).unwrap();
    assert_eq!(
        olika::lab::standalone::marked_sources(&html),
        Some(now.as_str()),
        "docs/lab.html was built from other sources than these: make it again with `bash scripts/lab-html.sh`"
    );
    assert!(html.len() < 3_000_000, "docs/lab.html is {} bytes, over 3 MB", html.len());
}
