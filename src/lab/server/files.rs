//! Save world and Load world over HTTP: `GET /world.state` and `POST /world` (`super::super::state`).
//!
//! A world file may be hundreds of MB, so what takes long is done by the worker that answers, never
//! by the runner that owns the world: the runner only copies the world's state between two steps
//! (to save) or swaps in a world the worker has decoded, checked and resumed (to load). Bounded:
//!
//! - **One world file at a time**, in or out: each holds a copy of a world, so a second one asked
//!   for meanwhile is refused (503) rather than doubling the memory.
//! - **A body no larger than [`MOST_STATE_FILE_BYTES`]**, refused (413) from its `Content-Length`
//!   before a byte of it is read, and read only once the request's `Host` and `Origin` are the
//!   lab's (`serve`); it must say `Content-Type: application/octet-stream`, which no form of another
//!   site can send. It has `request_time` plus a second for every 16 MiB to arrive.
//! - **Nothing on disk**: the file is the request's bytes, its name (`X-Olika-File`) only words
//!   for the messages; the saved file is the answer's bytes.

use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::super::{Loaded, MOST_STATE_FILE_BYTES};
use super::{answer, answer_error, read_body, Order, Refusal, Request, Shared};
use crate::experiment::budget::bytes_text;

/// The world files moving, held while one is: released when dropped.
struct Moving<'a>(&'a Shared);

impl Drop for Moving<'_> {
    fn drop(&mut self) {
        self.0.moving.store(false, Ordering::Release);
    }
}

/// Takes the one place for a world file, or answers 503.
fn moving<'a>(shared: &'a Shared, socket: &mut TcpStream) -> Option<Moving<'a>> {
    if shared.moving.compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed).is_ok() {
        return Some(Moving(shared));
    }
    let busy = "the lab is saving or loading another world file: try again in a moment";
    answer_error(shared, socket, 503, busy);
    None
}

fn gone() -> String {
    "the lab's world has stopped: see the terminal that runs olika lab".into()
}

/// `GET /world.state`: the world on screen as a state file, offered for download under its name.
pub(super) fn save(shared: &Shared, socket: &mut TcpStream) {
    let Some(_moving) = moving(shared, socket) else { return };
    let (asked, said) = mpsc::sync_channel(1);
    let snapshot = shared
        .orders
        .send(Order::Snapshot(asked))
        .map_err(|_| gone())
        .and_then(|()| said.recv().map_err(|_| gone()));
    let snapshot = match snapshot {
        Ok(Ok(snapshot)) => snapshot,
        Ok(Err(refused)) => return answer_error(shared, socket, 409, &refused),
        Err(gone) => return answer_error(shared, socket, 503, &gone),
    };
    match snapshot.encode() {
        Ok(bytes) => {
            let disposition = format!("attachment; filename=\"{}\"", snapshot.file_name());
            let extra = [("Content-Disposition", disposition.as_str())];
            answer(shared, socket, 200, "application/octet-stream", &extra, &bytes);
        }
        Err(why) => answer_error(shared, socket, 500, &why),
    }
}

/// `POST /world`: the state file in the body, decoded, checked and resumed here, then shown.
pub(super) fn load(shared: &Shared, socket: &mut TcpStream, request: Request, deadline: Instant) {
    let media = request.header("content-type").unwrap_or_default();
    if !media.split(';').next().unwrap_or_default().trim().eq_ignore_ascii_case("application/octet-stream") {
        let message = "send a world file as Content-Type: application/octet-stream";
        return answer_error(shared, socket, 415, message);
    }
    let Some(moving) = moving(shared, socket) else { return };
    let shown = take(shared, socket, request, deadline);
    // The file is gone and its world the runner's (or refused): the next file may come.
    drop(moving);
    match shown {
        Ok(note) => {
            let body = serde_json::json!({ "ok": note }).to_string();
            answer(shared, socket, 200, "application/json; charset=utf-8", &[], body.as_bytes());
        }
        Err((status, message)) => answer_error(shared, socket, status, &message),
    }
}

/// Reads, decodes, checks and resumes the world file in the request's body, and has the runner
/// show it: what to tell the user, or why not.
fn take(
    shared: &Shared,
    socket: &mut TcpStream,
    mut request: Request,
    deadline: Instant,
) -> Result<String, Refusal> {
    let most = usize::try_from(MOST_STATE_FILE_BYTES).unwrap_or(usize::MAX);
    let too_large = |length: usize| {
        format!(
            "this file has {length} bytes and the lab takes a world file of at most {MOST_STATE_FILE_BYTES} bytes ({}): a larger one holds a world too large for the lab",
            bytes_text(MOST_STATE_FILE_BYTES)
        )
    };
    let deadline = deadline + Duration::from_secs((request.length >> 24) as u64);
    read_body(socket, &mut request, most, too_large, deadline)?;
    let file = file_name(request.header("x-olika-file"));
    let loaded = Loaded::decode(&file, &request.body);
    drop(request);
    let loaded = loaded.map_err(|refused| (400, refused))?;
    let (asked, said) = mpsc::sync_channel(1);
    shared.orders.send(Order::Load(Box::new(loaded), asked)).map_err(|_| (503, gone()))?;
    said.recv().map_err(|_| (503, gone()))
}

/// The name the page gave the file, as words for the messages: its last part, printable ASCII,
/// at most 100 characters.
fn file_name(given: Option<&str>) -> String {
    let name = given.unwrap_or_default();
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = name.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').take(100).collect();
    if name.trim().is_empty() {
        "the world file".into()
    } else {
        name
    }
}
