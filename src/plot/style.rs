//! One look for every chart: the Okabe-Ito colour-blind-safe palette with fixed colours per sector,
//! and DejaVu Sans embedded in the binary for PNG text (SVG text needs no font file).

use plotters::style::RGBColor;

/// The public sector's colour, blue. Sectors are always in these colours: public blue, private
/// orange, civil bluish green.
pub(crate) const PUBLIC: RGBColor = RGBColor(0, 114, 178);
/// The private sector's colour, orange.
pub(crate) const PRIVATE: RGBColor = RGBColor(230, 159, 0);
/// The civil sector's colour, bluish green.
pub(crate) const CIVIL: RGBColor = RGBColor(0, 158, 115);
/// Other series, in order.
pub(crate) const SERIES: [RGBColor; 5] = [
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(120, 120, 120), // grey
    RGBColor(240, 228, 66),  // yellow
];
/// The colour of text, axes and outlines: near-black.
pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);

/// The grey of the grid lines at an axis's ticks.
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
/// The grey border of a legend's card.
pub(crate) const LEGEND_BORDER: RGBColor = RGBColor(200, 200, 200);
/// The grey of dashed reference lines: zero on a dot chart, the efficient frontier on the plane.
pub(crate) const REFERENCE: RGBColor = RGBColor(120, 120, 120);

/// The light grey of a warm-up's lines, before the step the runs went on from (`--from`).
pub(crate) const WARM_UP: RGBColor = RGBColor(175, 175, 175);

/// The colour of venue bars (a venue is named on its axis; colour sets direct approaches,
/// drawn grey, apart).
pub(crate) const VENUE: RGBColor = SERIES[1];

/// A sector's colour by its name (`public`, `private`, `civil`); grey for anything else.
pub fn sector(name: &str) -> RGBColor {
    match name {
        "public" => PUBLIC,
        "private" => PRIVATE,
        "civil" => CIVIL,
        _ => SERIES[3],
    }
}

/// A team composition's colour.
pub fn composition(name: &str) -> RGBColor {
    // A team of one sector in its colour; each mixed team in a colour of its own (averaging the
    // sectors' colours made public–private and private–civil the same olive).
    match name {
        "public_private" => SERIES[0],
        "public_civil" => SERIES[1],
        "private_civil" => SERIES[2],
        other => sector(other.split('_').next().unwrap_or("")),
    }
}

/// The k-th colour of a series that is not a sector.
pub fn series(k: usize) -> RGBColor {
    [SERIES[0], PUBLIC, CIVIL, PRIVATE, SERIES[2], SERIES[1], SERIES[3]][k % 7]
}

/// The family name under which the embedded DejaVu Sans is registered.
pub(crate) const FONT: &str = "sans-serif";

/// Registers the embedded font once per process. In WebAssembly plotters has no font registry
/// (the browser's fonts draw the page), so there is nothing to register.
#[cfg(target_arch = "wasm32")]
pub(crate) fn register_fonts() {}

/// Registers the embedded font once per process.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn register_fonts() {
    use plotters::style::FontStyle;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A colour on the sequential scale of heatmaps (light yellow to dark blue), t in [0, 1].
pub(crate) fn sequential(t: f64) -> RGBColor {
    let stops = [(255.0, 255.0, 217.0), (127.0, 205.0, 187.0), (44.0, 127.0, 184.0), (8.0, 29.0, 88.0)];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 } * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let f = t - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let lerp = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(lerp(a.0, b.0), lerp(a.1, b.1), lerp(a.2, b.2))
}
