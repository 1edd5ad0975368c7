//! `olika animate`: a run's replay as a GIF — the frames asked for, at the size asked for, the same
//! bytes every time, and a picture that shows the process (a converging Axelrod lattice ends with
//! fewer colours than it starts with).

use std::collections::HashSet;
use std::fs;

use olika::observe::replay::{Replay, MOST_FRAMES};
use tempfile::TempDir;

use crate::common::olika;

/// The frames of a GIF as a viewer shows them: (width, height, RGB pixels of each frame). A frame
/// after the first may cover only what changed, its unchanged pixels transparent.
fn frames(bytes: &[u8]) -> (u16, u16, Vec<Vec<[u8; 3]>>) {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(bytes).unwrap();
    let (w, h) = (decoder.width(), decoder.height());
    let mut canvas = vec![[255u8; 3]; usize::from(w) * usize::from(h)];
    let mut out = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        let (fw, left, top) = (usize::from(frame.width), usize::from(frame.left), usize::from(frame.top));
        for (i, p) in frame.buffer.chunks(4).enumerate() {
            if p[3] > 0 {
                canvas[(top + i / fw) * usize::from(w) + left + i % fw] = [p[0], p[1], p[2]];
            }
        }
        out.push(canvas.clone());
    }
    (w, h, out)
}

/// The height of the band above the map that holds the title (and the city's key) at width 240
/// or 320.
const BAND: usize = 20;

/// Whether a pixel is text or white: ink, greys of its anti-aliased edges, or white.
fn is_text(p: &[u8; 3]) -> bool {
    p[0].abs_diff(p[1]) < 8 && p[1].abs_diff(p[2]) < 8
}

/// Distinct colours in the lattice's square (the `w` rows below the band), ignoring white.
fn colours(pixels: &[[u8; 3]], w: usize) -> usize {
    pixels[w * BAND..w * (BAND + w)]
        .iter()
        .filter(|p| p[0] < 250 || p[1] < 250 || p[2] < 250)
        .copied()
        .collect::<HashSet<_>>()
        .len()
}

#[test]
fn a_converging_lattice_ends_with_fewer_colours_and_the_same_run_gives_the_same_bytes() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    olika(dir)
        .args(["run", "axelrod", "-q", "-o", "ax", "--replications", "2", "--set", "traits=15"])
        .assert()
        .success();
    let replay: Replay =
        serde_json::from_str(&fs::read_to_string(dir.join("ax/replay.json")).unwrap()).unwrap();
    assert!(replay.lattice.is_some() && replay.frames.len() <= MOST_FRAMES);
    let first_t = replay.frames.first().unwrap().t;
    assert_eq!(first_t, 0);
    olika(dir).args(["animate", "ax", "--size", "240", "--every", "25", "--fps", "5"]).assert().success();
    let bytes = fs::read(dir.join("ax/animation.gif")).unwrap();
    let (w, h, shown) = frames(&bytes);
    assert_eq!((w, h), (240, 240 + 60 + BAND as u16));
    // The title is above the lattice, never over its cells: the band holds only text.
    for frame in &shown {
        assert!(frame[..240 * BAND].iter().all(is_text), "a cell's colour in the title's band");
    }
    // Every 25th kept step from the first, and the last.
    let kept = replay.frames.len();
    assert_eq!(shown.len(), (kept - 1) / 25 + 1 + usize::from(!(kept - 1).is_multiple_of(25)));
    let (start, end) = (colours(&shown[0], 240), colours(shown.last().unwrap(), 240));
    println!("{} frames; colours in the lattice {start} at the start, {end} at the end", shown.len());
    assert!(end < start, "the lattice did not converge in the picture: {start} colours, then {end}");
    // The same replay and options: the same bytes.
    olika(dir)
        .args(["animate", "ax", "--size", "240", "--every", "25", "--fps", "5", "-o", "again.gif"])
        .assert()
        .success();
    assert_eq!(fs::read(dir.join("again.gif")).unwrap(), bytes);
    // A user's file is not replaced without --force; bad options are refused.
    let out = olika(dir).args(["animate", "ax", "-o", "again.gif"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("--force"));
    // The default place is not replaced without asking either; with --force, olika's own GIF is.
    olika(dir).args(["animate", "ax", "--size", "240", "--every", "25", "--fps", "5"]).assert().code(2);
    olika(dir)
        .args(["animate", "ax", "--size", "240", "--every", "25", "--fps", "5", "--force"])
        .assert()
        .success();
    assert_eq!(fs::read(dir.join("ax/animation.gif")).unwrap(), bytes);
    // --force replaces only a GIF olika wrote: never a results table, a user's file, a link's
    // target, a FIFO or a device.
    let runs = fs::read(dir.join("ax/runs.csv")).unwrap();
    fs::write(dir.join("mine.gif"), b"GIF89a a picture of my own").unwrap();
    std::os::unix::fs::symlink(dir.join("again.gif"), dir.join("link.gif")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(dir.join("pipe")).status().unwrap().success());
    for (target, says) in [
        ("ax/runs.csv", "not an animated GIF that olika wrote"),
        ("mine.gif", "not an animated GIF that olika wrote"),
        ("link.gif", "not a regular file"),
        ("pipe", "not a regular file"),
        ("/dev/full", "not a regular file"),
        ("ax", "not a regular file"),
    ] {
        let out = olika(dir).args(["animate", "ax", "--force", "-o", target]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{target}: {stderr}");
        assert!(stderr.contains(says), "{target}: {stderr}");
    }
    assert_eq!(fs::read(dir.join("ax/runs.csv")).unwrap(), runs);
    assert_eq!(fs::read(dir.join("mine.gif")).unwrap(), b"GIF89a a picture of my own");
    assert!(fs::symlink_metadata(dir.join("link.gif")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(dir.join("again.gif")).unwrap(), bytes);
    olika(dir).args(["animate", "ax", "--size", "20"]).assert().code(2);
    olika(dir).args(["animate", "ax", "--fps", "0"]).assert().code(2);
    olika(dir).args(["animate", "nowhere"]).assert().code(2);
}

#[test]
fn the_city_animates_with_its_sectors_and_innovations() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path();
    olika(dir).args(["run", "-q", "-o", "city", "--replications", "2", "--no-plots"]).assert().success();
    olika(dir).args(["animate", "city", "--size", "320"]).assert().success();
    let (w, h, shown) = frames(&fs::read(dir.join("city/animation.gif")).unwrap());
    assert_eq!((w, h), (320, 320 + 80 + BAND as u16));
    // Frames after the first carry only what changed: the file is a fraction of full frames.
    let size = fs::metadata(dir.join("city/animation.gif")).unwrap().len();
    assert!(size < 600_000, "{size} bytes");
    // 121 kept steps (0 to 120), under the default of 150 frames: one frame each.
    assert_eq!(shown.len(), 121);
    let last = shown.last().unwrap();
    for sector in [[0, 114, 178], [230, 159, 0], [0, 158, 115]] {
        assert!(last.iter().filter(|p| **p == sector).count() > 50, "sector colour {sector:?} missing");
        // The key: each sector's colour in the band above the map, in every frame.
        for frame in [&shown[0], last] {
            assert!(frame[..320 * BAND].contains(&sector), "no key for {sector:?}");
        }
    }
    // The chart's axis values: text left of the chart's line (the top value and 0) and below it
    // (the first and the last step).
    let chart = &last[320 * (BAND + 320)..];
    let ink = |p: &&[u8; 3]| p[0] < 120 && p[0] == p[1] && p[1] == p[2];
    let left_text = chart.chunks(320).filter(|row| row[..20].iter().any(|p| ink(&p))).count();
    assert!(left_text >= 5, "no values left of the chart: {left_text} rows");
    let right: Vec<usize> = chart.chunks(320).map(|row| row[260..].iter().filter(ink).count()).collect();
    let axis = right.iter().rposition(|&n| n > 30).expect("no x axis");
    assert!(right[axis + 1..].iter().sum::<usize>() > 10, "no last step below the x axis");
    // Ties appear: the last frame has more grey than the first.
    let grey =
        |f: &[[u8; 3]]| f.iter().filter(|p| p[0] == p[1] && p[1] == p[2] && p[0] < 250 && p[0] > 60).count();
    assert!(grey(last) > grey(&shown[0]));
}
