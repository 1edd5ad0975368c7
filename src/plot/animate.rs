//! `olika animate`: a run's replay (`replay.json`) as an animated GIF for slides — the
//! organisations by sector with their ties and partnerships and a flash where an innovation is born,
//! or a lattice coloured by culture, with the step and a small chart of innovations (or of regions)
//! so far. Frames are drawn with plotters and mapped onto one fixed palette, so the same replay and
//! options give the same bytes.

use std::collections::HashMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::RGBColor;

use super::{layout, style};
use crate::error::{Error, Result};
use crate::observe::replay::{Frame, Replay};

/// How to draw an animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Width in pixels (the height is a quarter more, for the chart, and a band for the title).
    pub width: u32,
    /// Frames per second.
    pub fps: u32,
    /// Kept steps of the replay per frame.
    pub every: u32,
}

impl Options {
    /// What is wrong with these options, if anything: the flag to change and what it takes.
    pub fn check(&self) -> std::result::Result<(), (&'static str, String)> {
        if !(160..=1600).contains(&self.width) {
            return Err(("--size", format!("the width {} must be 160 to 1600 pixels", self.width)));
        }
        if !(1..=50).contains(&self.fps) {
            return Err(("--fps", format!("{} frames per second: give 1 to 50", self.fps)));
        }
        if self.every == 0 {
            return Err(("--every", "draw every k kept steps: k at least 1".into()));
        }
        Ok(())
    }
}

/// Colours of a culture on the lattice: 24 light and dark hues, chosen by the culture's number.
fn culture_colour(culture: u32) -> RGBColor {
    let hue = f64::from(culture % 24) / 24.0;
    let light = if (culture / 24).is_multiple_of(2) { 0.55 } else { 0.38 };
    let hsl = HSLColor(hue, 0.65, light).to_rgba();
    RGBColor(hsl.0, hsl.1, hsl.2)
}

/// The palette every frame is mapped onto: white, ink, greys for ties, the sectors, vermillion for
/// births, sky blue for the chart, and the culture colours.
fn palette() -> Vec<RGBColor> {
    let mut colours = vec![
        WHITE,
        style::INK,
        style::PUBLIC,
        style::PRIVATE,
        style::CIVIL,
        style::SERIES[0],
        style::SERIES[1],
    ];
    colours.extend((1..=8).map(|k| {
        let g = 255 - k * 26;
        RGBColor(g, g, g)
    }));
    colours.extend((0..48).map(culture_colour));
    colours
}

/// The GIF comment extension's label.
const COMMENT: u8 = 0xFE;
/// The comment every animation olika writes carries.
const MARK: &[u8] = b"olika animation";

/// An animated GIF, as a kind of file `olika animate -o` may replace: one that carries olika's
/// comment in its first bytes.
pub(crate) const KIND: crate::output::file::Kind = crate::output::file::Kind {
    what: "an animated GIF",
    is_own: |head| head.starts_with(b"GIF89a") && head.windows(MARK.len()).any(|w| w == MARK),
};

/// The replay as a GIF.
pub fn gif(replay: &Replay, options: Options) -> Result<Vec<u8>> {
    options.check().map_err(|(_, m)| Error::Run(m))?;
    let (w, h) = (options.width, band(options.width) + options.width + options.width / 4);
    let n = replay.sectors.len();
    let places = match &replay.lattice {
        Some(l) => layout::cells(l.width, l.height, &l.cells, n),
        None => layout::discs(&replay.sectors),
    };
    let colours = palette();
    let mut flat_palette = Vec::with_capacity(colours.len() * 3 + 3);
    for c in &colours {
        flat_palette.extend([c.0, c.1, c.2]);
    }
    // The last entry, never a drawn colour, is the transparent one of frames after the first.
    flat_palette.extend([255, 0, 255]);
    let mut nearest: HashMap<[u8; 3], u8> = HashMap::new();
    let mut out = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut out, w as u16, h as u16, &flat_palette)
            .map_err(|e| Error::Run(format!("cannot encode the animation: {e}")))?;
        encoder.set_repeat(gif::Repeat::Infinite).map_err(|e| Error::Run(e.to_string()))?;
        // A comment that marks the file as olika's, before the first frame: `olika animate --force`
        // replaces only a GIF that carries it (`output::file`).
        encoder
            .write_raw_extension(gif::AnyExtension(COMMENT), &[MARK])
            .map_err(|e| Error::Run(e.to_string()))?;
        // Each frame after the first carries only the rectangle that changed since the one before,
        // with its unchanged pixels transparent: the picture is the same, the file a fraction.
        let mut previous: Option<Vec<u8>> = None;
        for k in frames(replay.frames.len(), options.every) {
            let mut rgb = vec![255u8; (w * h * 3) as usize];
            draw(replay, k, &places, (w, h), &mut rgb).map_err(Error::Run)?;
            let indexed: Vec<u8> = rgb
                .chunks(3)
                .map(|p| {
                    let key = [p[0], p[1], p[2]];
                    *nearest.entry(key).or_insert_with(|| closest(&colours, key))
                })
                .collect();
            let mut frame = match &previous {
                None => {
                    let mut first =
                        gif::Frame::from_indexed_pixels(w as u16, h as u16, indexed.clone(), None);
                    first.dispose = gif::DisposalMethod::Keep;
                    first
                }
                Some(before) => changes(before, &indexed, (w as usize, h as usize)),
            };
            frame.delay = (100 / options.fps).max(2) as u16;
            encoder
                .write_frame(&frame)
                .map_err(|e| Error::Run(format!("cannot encode the animation: {e}")))?;
            previous = Some(indexed);
        }
    }
    Ok(out)
}

/// The palette index a frame after the first leaves transparent (the one after the palette's
/// colours): the pixel shows the frame before.
fn transparent() -> u8 {
    palette().len() as u8
}

/// Frame `now` as a GIF frame over `before` (both indexed, `w` × `h`): the smallest rectangle
/// holding every changed pixel, the unchanged ones in it transparent; a single transparent pixel if
/// nothing changed.
fn changes(before: &[u8], now: &[u8], (w, h): (usize, usize)) -> gif::Frame<'static> {
    let clear = transparent();
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (i, (a, b)) in before.iter().zip(now).enumerate() {
        if a != b {
            let (x, y) = (i % w, i / w);
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    if x0 > x1 {
        (x0, y0, x1, y1) = (0, 0, 0, 0);
    }
    let mut pixels = Vec::with_capacity((x1 - x0 + 1) * (y1 - y0 + 1));
    for y in y0..=y1 {
        for x in x0..=x1 {
            let i = y * w + x;
            pixels.push(if before[i] == now[i] { clear } else { now[i] });
        }
    }
    let mut frame =
        gif::Frame::from_indexed_pixels((x1 - x0 + 1) as u16, (y1 - y0 + 1) as u16, pixels, Some(clear));
    frame.left = x0 as u16;
    frame.top = y0 as u16;
    frame.dispose = gif::DisposalMethod::Keep;
    frame
}

/// The kept steps an animation shows: every `every`-th, and always the last.
pub fn frames(kept: usize, every: u32) -> Vec<usize> {
    let mut out: Vec<usize> = (0..kept).step_by(every.max(1) as usize).collect();
    if kept > 0 && out.last() != Some(&(kept - 1)) {
        out.push(kept - 1);
    }
    out
}

fn closest(colours: &[RGBColor], [r, g, b]: [u8; 3]) -> u8 {
    let d = |c: &RGBColor| {
        let (dr, dg, db) =
            (i32::from(c.0) - i32::from(r), i32::from(c.1) - i32::from(g), i32::from(c.2) - i32::from(b));
        dr * dr + dg * dg + db * db
    };
    (0..colours.len()).min_by_key(|&i| d(&colours[i])).unwrap_or(0) as u8
}

/// The height of the band above the map that holds the title and the key: the map's cells are
/// never under text.
fn band(w: u32) -> u32 {
    title_size(w) + title_size(w) / 2 + 4
}

/// The title's font size at width `w`.
fn title_size(w: u32) -> u32 {
    (w / 28).max(11)
}

/// Frame k of the replay into an RGB buffer of (w, h): the title and the sectors' key in a band at
/// the top, the map below it, a w × w square, and the small chart below that.
fn draw(
    replay: &Replay,
    k: usize,
    places: &[[f32; 2]],
    (w, h): (u32, u32),
    rgb: &mut [u8],
) -> std::result::Result<(), String> {
    style::register_fonts();
    let root = BitMapBackend::with_buffer(rgb, (w, h)).into_drawing_area();
    root.fill(&WHITE).map_err(|x| x.to_string())?;
    let (top, rest) = root.split_vertically(band(w));
    let (map, below) = rest.split_vertically(w);
    let frame = &replay.frames[k];
    let at = |a: u32| {
        let p = places[a as usize];
        ((f64::from(p[0]) * f64::from(w)) as i32, (f64::from(p[1]) * f64::from(w)) as i32)
    };
    if let Some(lattice) = &replay.lattice {
        let side = lattice.width.max(lattice.height).max(1) as f64;
        cultures(&map, frame, &at, (f64::from(w) / side) as i32)?;
    } else {
        let radius =
            (f64::from(w) / (4.0 * (replay.sectors.len() as f64).sqrt().max(4.0))).clamp(2.0, 9.0) as i32;
        organisations(&map, replay, frame, &at, radius)?;
        key(&top, w)?;
    }
    title(&top, replay, frame, w)?;
    counts(&below, replay, k, w)?;
    root.present().map_err(|x| x.to_string())?;
    Ok(())
}

/// The drawing area of a frame in memory.
type Area<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// The lattice: each organisation's cell, `cell` px wide, in its culture's colour.
fn cultures(
    map: &Area<'_>,
    frame: &Frame,
    at: &impl Fn(u32) -> (i32, i32),
    cell: i32,
) -> std::result::Result<(), String> {
    for (a, &culture) in frame.culture.iter().enumerate() {
        let (x, y) = at(a as u32);
        let c = culture_colour(culture);
        map.draw(&Rectangle::new(
            [(x - cell / 2, y - cell / 2), (x + cell / 2 - 1, y + cell / 2 - 1)],
            c.filled(),
        ))
        .map_err(|x| x.to_string())?;
    }
    Ok(())
}

/// The organisations by sector over their ties — acquaintances greyer the less they trust,
/// partnerships dark — and a ring around each that created an innovation at this step.
fn organisations(
    map: &Area<'_>,
    replay: &Replay,
    frame: &Frame,
    at: &impl Fn(u32) -> (i32, i32),
    radius: i32,
) -> std::result::Result<(), String> {
    for tie in frame.ties.chunks(4) {
        let (a, b, status, trust) = (tie[0], tie[1], tie[2], tie[3]);
        let style = match status {
            0 => {
                let g = (235 - 12 * trust.min(8)) as u8;
                RGBColor(g, g, g).stroke_width(1)
            }
            1 => RGBColor(150, 150, 150).stroke_width(2),
            _ => style::INK.stroke_width(2),
        };
        map.draw(&PathElement::new(vec![at(a), at(b)], style)).map_err(|x| x.to_string())?;
    }
    for (a, &s) in replay.sectors.iter().enumerate() {
        let c = [style::PUBLIC, style::PRIVATE, style::CIVIL][usize::from(s).min(2)];
        map.draw(&Circle::new(at(a as u32), radius, c.filled())).map_err(|x| x.to_string())?;
    }
    for &a in &frame.born {
        map.draw(&Circle::new(at(a), radius * 2 + 2, style::SERIES[0].stroke_width(3)))
            .map_err(|x| x.to_string())?;
    }
    Ok(())
}

/// The scenario and the step, top left in the band above the map.
fn title(band: &Area<'_>, replay: &Replay, frame: &Frame, w: u32) -> std::result::Result<(), String> {
    let font = (style::FONT, title_size(w)).into_font().color(&style::INK);
    let last_t = replay.frames.last().map_or(1, |f| f.t).max(1);
    let title = format!("{}  ·  step {} of {}", replay.scenario, frame.t, last_t);
    band.draw_text(&title, &font, (8, 4)).map_err(|x| x.to_string())
}

/// The sectors' key, right in the band above the map: a disc in each sector's colour and its name.
fn key(band: &Area<'_>, w: u32) -> std::result::Result<(), String> {
    let font = (style::FONT, title_size(w)).into_font().color(&style::INK);
    let radius = (title_size(w) / 3) as i32;
    let sectors = [("public", style::PUBLIC), ("private", style::PRIVATE), ("civil", style::CIVIL)];
    let mut x = w as i32 - 12;
    for (name, colour) in sectors.iter().rev() {
        let (tw, th) = band.estimate_text_size(name, &font).map_err(|x| x.to_string())?;
        // The estimate falls a little short of the drawn text.
        x -= tw as i32 + tw as i32 / 6;
        band.draw_text(name, &font, (x, 4)).map_err(|x| x.to_string())?;
        x -= 2 * radius + 8;
        band.draw(&Circle::new((x + radius, 4 + th as i32 / 2 + 3), radius, colour.filled()))
            .map_err(|x| x.to_string())?;
        x -= title_size(w) as i32;
    }
    Ok(())
}

/// A number for an axis: a whole number without decimals, else one decimal.
fn axis_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// A small chart of what the run counts — innovations so far, or a lattice's cultural regions —
/// up to frame k, on the scale of the whole run, with its axes' ends: 0 and the run's highest value
/// on the left, the first and the last step below.
fn counts(below: &Area<'_>, replay: &Replay, k: usize, w: u32) -> std::result::Result<(), String> {
    let last_t = replay.frames.last().map_or(1, |f| f.t).max(1);
    let lattice = replay.lattice.is_some();
    let value = |f: &Frame| {
        if lattice {
            f64::from(f.regions.unwrap_or(0))
        } else {
            f.innovations
        }
    };
    let top = replay.frames.iter().map(value).fold(1.0, f64::max);
    let size = (w / 34).max(10);
    let font = (style::FONT, size).into_font().color(&style::INK);
    let left = below.estimate_text_size(&axis_value(top), &font).map_err(|x| x.to_string())?.0 + 10;
    let mut chart = ChartBuilder::on(below)
        .margin(6)
        .margin_right(12)
        .x_label_area_size(size + 6)
        .y_label_area_size(left)
        .caption(if lattice { "cultural regions" } else { "innovations so far" }, font.clone())
        .build_cartesian_2d(0.0..f64::from(last_t), 0.0..top)
        .map_err(|x| x.to_string())?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(0)
        .y_labels(0)
        .axis_style(style::INK.stroke_width(1))
        .draw()
        .map_err(|x| x.to_string())?;
    chart
        .draw_series(LineSeries::new(
            replay.frames[..=k].iter().map(|f| (f64::from(f.t), value(f))),
            style::SERIES[1].stroke_width(3),
        ))
        .map_err(|x| x.to_string())?;
    // The axes' ends, by hand: plotters' ticks are round numbers, and a class reads the top value.
    let labels = [
        (axis_value(top), (0.0, top), Pos::new(HPos::Right, VPos::Center), (-5, 0)),
        ("0".to_string(), (0.0, 0.0), Pos::new(HPos::Right, VPos::Center), (-5, 0)),
        ("step 0".to_string(), (0.0, 0.0), Pos::new(HPos::Left, VPos::Top), (0, 4)),
        (format!("step {last_t}"), (f64::from(last_t), 0.0), Pos::new(HPos::Right, VPos::Top), (0, 4)),
    ];
    let (bx, by) = below.get_base_pixel();
    for (text, at, pos, (dx, dy)) in labels {
        let (x, y) = chart.backend_coord(&at);
        below.draw_text(&text, &font.pos(pos), (x - bx + dx, y - by + dy)).map_err(|x| x.to_string())?;
    }
    Ok(())
}
