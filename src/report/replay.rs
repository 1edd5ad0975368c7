//! The first run, replayed in the page: a compact copy of `replay.json` (partnerships only, at
//! most `REPLAY_FRAMES` steps, cultures renumbered) and a small player in plain JavaScript
//! (`player.js`, nothing fetched).

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::observe::replay::Replay;

/// Steps of a replay the report keeps: enough to watch, small enough to mail.
const REPLAY_FRAMES: usize = 60;

/// The replay's player.
const PLAYER: &str = include_str!("player.js");

pub(super) fn section(html: &mut String, replay: Option<&Replay>) {
    let Some(replay) = replay else { return };
    let Some(last) = replay.frames.len().checked_sub(1) else { return };
    let keep = crate::plot::animate::frames(replay.frames.len(), last.div_ceil(REPLAY_FRAMES).max(1) as u32);
    let places = match &replay.lattice {
        Some(l) => crate::plot::layout::cells(l.width, l.height, &l.cells, replay.sectors.len()),
        None => crate::plot::layout::discs(&replay.sectors),
    };
    // Cultures are numbered by first appearance: small numbers, the same culture the same colour.
    let mut cultures: HashMap<u32, u32> = HashMap::new();
    let frames: Vec<serde_json::Value> = keep
        .iter()
        .map(|&k| {
            let f = &replay.frames[k];
            let partners: Vec<u32> =
                f.ties.chunks(4).filter(|t| t[2] > 0).flat_map(|t| [t[0], t[1], t[2]]).collect();
            let mut culture = Vec::with_capacity(f.culture.len());
            for c in &f.culture {
                let next = cultures.len() as u32;
                culture.push(*cultures.entry(*c).or_insert(next));
            }
            serde_json::json!({ "t": f.t, "p": partners, "b": f.born, "c": culture, "n": f.innovations, "r": f.regions })
        })
        .collect();
    let shown = frames.len().saturating_sub(1);
    let data = serde_json::json!({
        "lattice": replay.lattice.is_some(),
        "sectors": replay.sectors,
        "places": places.iter().flat_map(|p| [(p[0] * 1000.0).round() as i32, (p[1] * 1000.0).round() as i32]).collect::<Vec<_>>(),
        "frames": frames,
    });
    // Inside a script element nothing may close it: every "<" is written as its JSON escape.
    let json = data.to_string().replace('<', "\\u003c");
    html.push_str("<h2 id=\"replay\">The first run, replayed</h2>\n<p>Replication 0 step by step: organisations in their sectors' colours, partnerships as lines (dashed: informal), a vermilion ring where an innovation is born — or, on a lattice, each culture in a colour of its own. <code>olika animate</code> makes a GIF of it for slides.</p>\n");
    let _ = writeln!(html, "<div id=\"player\"><canvas id=\"replay-view\" width=\"480\" height=\"480\" style=\"border:1px solid #ddd\"></canvas><br><button id=\"replay-play\">Play</button> <input id=\"replay-scrub\" type=\"range\" min=\"0\" max=\"{shown}\" value=\"0\" style=\"width:300px\"> <span id=\"replay-step\"></span></div>");
    let _ = writeln!(html, "<script type=\"application/json\" id=\"replay-data\">{json}</script>");
    html.push_str("<script>\n");
    html.push_str(PLAYER);
    html.push_str("</script>\n");
}
