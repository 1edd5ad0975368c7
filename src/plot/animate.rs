//! `olika animate`: a run's replay (`replay.json`) as an animated GIF for slides — the
//! organisations by sector with their ties and partnerships and a flash where an innovation is born,
//! or a lattice coloured by culture, with the step and a small chart of innovations (or of regions)
//! so far. Frames are drawn with plotters and mapped onto one fixed palette, so the same replay and
//! options give the same bytes.

use std::collections::HashMap;

use plotters::prelude::*;
use plotters::style::RGBColor;

use super::{layout, style};
use crate::error::{Error, Result};
use crate::observe::replay::{Frame, Replay};

/// How to draw an animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Width in pixels (the height is a quarter more, for the chart).
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
    let (w, h) = (options.width, options.width + options.width / 4);
    let n = replay.sectors.len();
    let places = match &replay.lattice {
        Some(l) => layout::cells(l.width, l.height, &l.cells, n),
        None => layout::discs(&replay.sectors),
    };
    let colours = palette();
    let mut flat_palette = Vec::with_capacity(colours.len() * 3);
    for c in &colours {
        flat_palette.extend([c.0, c.1, c.2]);
    }
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
            let mut frame = gif::Frame::from_indexed_pixels(w as u16, h as u16, indexed, None);
            frame.delay = (100 / options.fps).max(2) as u16;
            encoder
                .write_frame(&frame)
                .map_err(|e| Error::Run(format!("cannot encode the animation: {e}")))?;
        }
    }
    Ok(out)
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

/// Frame k of the replay into an RGB buffer of (w, h): the map above, a w × w square, with the
/// step on a card over its corner, and the small chart below.
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
    let (map, below) = root.split_vertically(w);
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
    }
    title(&root, replay, frame, w)?;
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

/// The scenario and the step, top left, on a white card, so that it reads over dark lattice cells
/// too.
fn title(root: &Area<'_>, replay: &Replay, frame: &Frame, w: u32) -> std::result::Result<(), String> {
    let font = (style::FONT, (w / 28).max(11)).into_font().color(&style::INK);
    let last_t = replay.frames.last().map_or(1, |f| f.t).max(1);
    let title = format!("{}  ·  step {} of {}", replay.scenario, frame.t, last_t);
    let (tw, th) = root.estimate_text_size(&title, &font).map_err(|x| x.to_string())?;
    root.draw(&Rectangle::new([(4, 2), (12 + tw as i32, 6 + th as i32)], WHITE.filled()))
        .map_err(|x| x.to_string())?;
    root.draw_text(&title, &font, (8, 4)).map_err(|x| x.to_string())
}

/// A small chart of what the run counts — innovations so far, or a lattice's cultural regions —
/// up to frame k, on the scale of the whole run.
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
    let mut chart = ChartBuilder::on(below)
        .margin(6)
        .x_label_area_size(0)
        .y_label_area_size(0)
        .caption(
            if lattice { "cultural regions" } else { "innovations so far" },
            (style::FONT, (w / 34).max(10)).into_font().color(&style::INK),
        )
        .build_cartesian_2d(0.0..f64::from(last_t), 0.0..top * 1.05)
        .map_err(|x| x.to_string())?;
    chart
        .draw_series(LineSeries::new(
            replay.frames[..=k].iter().map(|f| (f64::from(f.t), value(f))),
            style::SERIES[1].stroke_width(3),
        ))
        .map_err(|x| x.to_string())?;
    Ok(())
}
