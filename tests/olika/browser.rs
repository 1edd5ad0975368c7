//! The browser check: a headless Chromium screenshot of report.html shows the charts. Run by .ci/run
//! after it renders the page (`OLIKA_SCREENSHOT=shot.png cargo test --release --test olika browser -- --ignored`).

#[test]
#[ignore = "needs a screenshot made by headless Chromium; .ci/run makes one"]
fn the_rendered_report_shows_charts() {
    let path = std::env::var("OLIKA_SCREENSHOT").expect("OLIKA_SCREENSHOT names the screenshot");
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    // Pixels in the charts' colours (vermillion lines and blue, orange and green bands or areas),
    // which nothing but a drawn chart puts on the page.
    let palette: [(i32, i32, i32); 4] = [(213, 94, 0), (0, 114, 178), (230, 159, 0), (0, 158, 115)];
    let coloured = pixels
        .chunks(channels)
        .filter(|p| {
            let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
            palette.iter().any(|&(pr, pg, pb)| (r - pr).abs() + (g - pg).abs() + (b - pb).abs() < 60)
        })
        .count();
    println!("{coloured} chart-coloured pixels of {}", pixels.len() / channels);
    assert!(coloured > 2000, "the rendered report shows no chart ({coloured} chart-coloured pixels)");
}
