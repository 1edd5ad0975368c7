//! olika lab in a web page: the FFI the exported file's script calls, written by hand — no
//! wasm-bindgen, so no tool beyond cargo builds it. Strings cross as UTF-8 bytes in the module's
//! linear memory: the page asks [`olika_alloc`] for room, writes a command there and passes
//! pointer and length; an answer is left in one buffer whose pointer and length the page reads
//! with [`olika_out_ptr`] and [`olika_out_len`] — text, or a saved world's bytes. One lab a page (the module is single-threaded).
//!
//! On other targets the functions exist too (and are tested as plain calls).

use std::cell::RefCell;

use olika::lab::inpage::InPage;

thread_local! {
    static LAB: RefCell<Option<InPage>> = const { RefCell::new(None) };
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Leaves `text` as the answer the page reads next.
fn answer(text: String) {
    OUT.with(|o| *o.borrow_mut() = text.into_bytes());
}

/// The bytes the page wrote at `ptr` (room from `olika_alloc`, given back here), as text.
///
/// # Safety
/// `ptr` and `len` are what `olika_alloc(len)` returned and was asked for.
unsafe fn taken(ptr: *mut u8, len: usize) -> String {
    String::from_utf8_lossy(&unsafe { taken_bytes(ptr, len) }).into_owned()
}

/// The bytes the page wrote at `ptr` (room from `olika_alloc`, given back here).
///
/// # Safety
/// As [`taken`].
unsafe fn taken_bytes(ptr: *mut u8, len: usize) -> Vec<u8> {
    unsafe { Vec::from_raw_parts(ptr, len, len) }
}

fn with_lab<T>(f: impl FnOnce(&mut InPage) -> T, otherwise: T) -> T {
    LAB.with(|l| l.borrow_mut().as_mut().map_or(otherwise, f))
}

/// Room for `len` bytes that the page fills and passes to a function that takes text.
#[no_mangle]
pub extern "C" fn olika_alloc(len: usize) -> *mut u8 {
    let mut room = std::mem::ManuallyDrop::new(vec![0u8; len]);
    room.as_mut_ptr()
}

/// Where the last answer is.
#[no_mangle]
pub extern "C" fn olika_out_ptr() -> *const u8 {
    OUT.with(|o| o.borrow().as_ptr())
}

/// How many bytes the last answer has.
#[no_mangle]
pub extern "C" fn olika_out_len() -> usize {
    OUT.with(|o| o.borrow().len())
}

/// Makes the lab from `{"scenario": name or null, "overrides": [...]}`; 1 when it could be made,
/// else 0 with the reason as the answer.
///
/// # Safety
/// `ptr` and `len` come from `olika_alloc(len)`.
#[no_mangle]
pub unsafe extern "C" fn olika_start(ptr: *mut u8, len: usize) -> u32 {
    let text = unsafe { taken(ptr, len) };
    let made =
        serde_json_start(&text).and_then(|(scenario, overrides)| InPage::new(scenario.as_deref(), overrides));
    match made {
        Ok(lab) => {
            LAB.with(|l| *l.borrow_mut() = Some(lab));
            1
        }
        Err(why) => {
            answer(why);
            0
        }
    }
}

fn serde_json_start(text: &str) -> Result<(Option<String>, Vec<String>), String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let scenario = value["scenario"].as_str().map(str::to_string);
    let overrides = value["overrides"]
        .as_array()
        .map(|a| a.iter().filter_map(|o| o.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    Ok((scenario, overrides))
}

/// Carries out a command (the page's JSON); the answer is `{"ok": …}` or `{"error": …}`. Returns 1
/// when the command made a new world (the page then takes the setup again), else 0.
///
/// # Safety
/// `ptr` and `len` come from `olika_alloc(len)`.
#[no_mangle]
pub unsafe extern "C" fn olika_command(ptr: *mut u8, len: usize) -> u32 {
    let text = unsafe { taken(ptr, len) };
    let (said, new_world) =
        with_lab(|lab| lab.command(&text), (r#"{"error":"the lab was not started"}"#.into(), false));
    answer(said);
    u32::from(new_world)
}

/// Takes one step of what the page asked for: 1 if one was taken.
#[no_mangle]
pub extern "C" fn olika_work() -> u32 {
    u32::from(with_lab(|lab| lab.work(), false))
}

/// Takes up to `most` steps while there are steps to take; how many were taken.
#[no_mangle]
pub extern "C" fn olika_work_many(most: u32) -> u32 {
    with_lab(
        |lab| {
            let mut taken = 0;
            while taken < most && lab.work() {
                taken += 1;
            }
            taken
        },
        0,
    )
}

/// 1 while there are steps to take (running, or steps asked for).
#[no_mangle]
pub extern "C" fn olika_busy() -> u32 {
    u32::from(with_lab(|lab| lab.busy(), false))
}

/// 1 while running on by itself (else the steps asked for are taken without a pause).
#[no_mangle]
pub extern "C" fn olika_running() -> u32 {
    u32::from(with_lab(|lab| lab.running(), false))
}

/// Milliseconds between steps while running.
#[no_mangle]
pub extern "C" fn olika_delay() -> u32 {
    with_lab(|lab| lab.delay_ms(), 0)
}

/// Steps between frames.
#[no_mangle]
pub extern "C" fn olika_draw_every() -> u32 {
    with_lab(|lab| lab.draw_every(), 1)
}

/// The step now.
#[no_mangle]
pub extern "C" fn olika_t() -> u32 {
    with_lab(|lab| lab.t(), 0)
}

/// The setup message, as the answer.
#[no_mangle]
pub extern "C" fn olika_setup() {
    answer(with_lab(|lab| lab.setup(), String::new()));
}

/// The frame of the world now, as the answer.
#[no_mangle]
pub extern "C" fn olika_frame() {
    answer(with_lab(|lab| lab.frame(), String::new()));
}

/// `[file name, scenario file]` of the settings now, as the answer.
#[no_mangle]
pub extern "C" fn olika_scenario() {
    answer(with_lab(|lab| lab.scenario(), String::new()));
}

/// Save world: 1 with the answer the file's name, a newline and its bytes (a state file, which the
/// page hands the browser as a Blob); 0 with the reason.
#[no_mangle]
pub extern "C" fn olika_save() -> u32 {
    match with_lab(|lab| lab.save(), Err("the lab was not started".into())) {
        Ok((name, bytes)) => {
            OUT.with(|o| {
                let mut out = o.borrow_mut();
                out.clear();
                out.extend_from_slice(name.as_bytes());
                out.push(b'\n');
                out.extend_from_slice(&bytes);
            });
            1
        }
        Err(why) => {
            answer(why);
            0
        }
    }
}

/// Load world: the state file named at `name`, of the bytes at `ptr`; the answer is `{"ok": …}` or
/// `{"error": …}`. Returns 1 when it showed the file's world (the page then takes the setup again).
///
/// # Safety
/// Each pointer and length come from `olika_alloc(len)`.
#[no_mangle]
pub unsafe extern "C" fn olika_load(name: *mut u8, name_len: usize, ptr: *mut u8, len: usize) -> u32 {
    let (name, bytes) = unsafe { (taken(name, name_len), taken_bytes(ptr, len)) };
    let (said, loaded) =
        with_lab(|lab| lab.load(&name, &bytes), (r#"{"error":"the lab was not started"}"#.into(), false));
    answer(said);
    u32::from(loaded)
}

/// The digest of what a frame draws of the world now, as the answer.
#[no_mangle]
pub extern "C" fn olika_digest() {
    answer(with_lab(|lab| lab.digest(), String::new()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn give(text: &str) -> (*mut u8, usize) {
        let ptr = olika_alloc(text.len());
        unsafe { std::ptr::copy_nonoverlapping(text.as_ptr(), ptr, text.len()) };
        (ptr, text.len())
    }

    fn out_bytes() -> Vec<u8> {
        unsafe { std::slice::from_raw_parts(olika_out_ptr(), olika_out_len()) }.to_vec()
    }

    fn out() -> String {
        String::from_utf8(out_bytes()).unwrap()
    }

    #[test]
    fn the_page_drives_the_lab_through_plain_calls() {
        let (p, n) = give(r#"{"scenario":"axelrod","overrides":["traits=15"]}"#);
        assert_eq!(unsafe { olika_start(p, n) }, 1);
        let (p, n) = give(r#"{"command":"step","steps":3}"#);
        assert_eq!(unsafe { olika_command(p, n) }, 0);
        assert_eq!(out(), r#"{"ok":"3 steps"}"#);
        assert_eq!(olika_work_many(100), 3);
        assert_eq!(olika_t(), 3);
        let (p, n) = give(r#"{"command":"set","path":"homophily","value":"-1"}"#);
        unsafe { olika_command(p, n) };
        assert!(out().contains("error"));
        let (p, n) = give(r#"{"command":"reset"}"#);
        assert_eq!(unsafe { olika_command(p, n) }, 1);
        olika_setup();
        assert!(out().contains("\"shown\":\"lattice\""));
        // Save world, step on, and Load world: back at the saved step, the same world.
        let (p, n) = give(r#"{"command":"step","steps":4}"#);
        unsafe { olika_command(p, n) };
        olika_work_many(100);
        olika_digest();
        let digest = out();
        assert_eq!(olika_save(), 1);
        let saved = out_bytes();
        let newline = saved.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(&saved[..newline], b"axelrod-month-004.state");
        assert!(saved[newline + 1..].starts_with(b"olika state "));
        let (p, n) = give(r#"{"command":"step","steps":3}"#);
        unsafe { olika_command(p, n) };
        olika_work_many(100);
        assert_eq!(olika_t(), 7);
        let file = &saved[newline + 1..];
        let load = |file: &[u8]| {
            let (name, name_len) = give("axelrod-month-004.state");
            let ptr = olika_alloc(file.len());
            unsafe { std::ptr::copy_nonoverlapping(file.as_ptr(), ptr, file.len()) };
            unsafe { olika_load(name, name_len, ptr, file.len()) }
        };
        assert_eq!(load(&file[..file.len() - 1]), 0);
        assert!(out().contains("cut short"), "{}", out());
        assert_eq!(olika_t(), 7);
        assert_eq!(load(file), 1);
        assert_eq!(out(), r#"{"ok":"loaded the world of month 4 from axelrod-month-004.state"}"#);
        olika_digest();
        assert_eq!((olika_t(), out()), (4, digest));
        let (p, n) = give(r#"{"scenario":"nowhere"}"#);
        assert_eq!(unsafe { olika_start(p, n) }, 0);
        assert!(out().contains("nowhere"), "{}", out());
    }
}
