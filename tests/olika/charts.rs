//! Charts, network files and the report, as a user gets them.

use std::fs;
use std::path::Path;

use crate::common::{olika, scenarios};
use tempfile::TempDir;

/// A PNG decodes, has the chart's size, and is not blank: the variance of its pixels is well above
/// that of an empty white image.
fn check_png(path: &Path) {
    let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!((info.width, info.height), (900, 560), "{}", path.display());
    let pixels = &buf[..info.buffer_size()];
    let mean = pixels.iter().map(|&p| f64::from(p)).sum::<f64>() / pixels.len() as f64;
    let variance = pixels.iter().map(|&p| (f64::from(p) - mean).powi(2)).sum::<f64>() / pixels.len() as f64;
    assert!(variance > 100.0, "{} looks blank (variance {variance:.1})", path.display());
}

/// An SVG parses as XML, is an <svg> of the chart's size, and draws something.
fn check_svg(path: &Path) {
    let text = fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("width"), Some("900"));
    let shapes = doc
        .descendants()
        .filter(|n| {
            matches!(n.tag_name().name(), "polyline" | "polygon" | "rect" | "circle" | "path" | "line")
        })
        .count();
    assert!(shapes > 10, "{} draws almost nothing", path.display());
    assert!(doc.descendants().any(|n| n.tag_name().name() == "text"), "{} has no text", path.display());
}

fn check_charts(dir: &Path, names: &[&str]) {
    for name in names {
        check_png(&dir.join(format!("{name}.png")));
        check_svg(&dir.join(format!("{name}.svg")));
    }
}

const RUN_CHARTS: [&str; 10] = [
    "time_innovations",
    "time_partnerships",
    "time_trust",
    "time_diversity",
    "time_adoptions",
    "time_scaled_up",
    "innovations_by_team",
    "venue_partnerships",
    "venue_innovations_per_cost",
    "network",
];

fn check_report(path: &Path) -> String {
    let html = fs::read_to_string(path).unwrap();
    for section in ["question", "scenario", "results", "charts", "venues", "method"] {
        assert!(html.contains(&format!("<h2 id=\"{section}\">")), "report lacks the {section} section");
    }
    for external in ["http://", "https://", "<link", "src=", "url(", "@import"] {
        assert!(!html.contains(external), "report refers to an external resource: {external}");
    }
    // Its only scripts are its own: the replay's data and its player, inline, nothing else (a
    // scenario named `<script>` stays text).
    let scripts = html.matches("<script").count();
    assert!(
        scripts == 0
            || (scripts == 2 && html.contains("<script type=\"application/json\" id=\"replay-data\">")),
        "the report has {scripts} script elements"
    );
    html
}

#[test]
fn a_run_draws_every_chart_network_and_report() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path())
        .args(["run", "-q", "-o", "out", "--replications", "3", "--set", "steps=36", "--network-every", "12"])
        .assert()
        .success();
    let dir = tmp.path().join("out");
    check_charts(&dir, &RUN_CHARTS);
    let html = check_report(&dir.join("report.html"));
    assert_eq!(html.matches("<figure").count(), RUN_CHARTS.len());
    assert!(html.matches("<svg").count() >= RUN_CHARTS.len());
    assert!(html.contains("round_tables") && html.contains("cost per innovation"));
    // GraphML: one graph per run and recorded step, with every organisation and every tie.
    let edges = fs::read_to_string(dir.join("network_edges.csv")).unwrap();
    for run in 0..3 {
        for step in [12, 24, 36] {
            let path = dir.join(format!("network/run-{run}-step-{step}.graphml"));
            let text = fs::read_to_string(&path).unwrap();
            let doc = roxmltree::Document::parse(&text).unwrap();
            let count = |tag: &str| doc.descendants().filter(|n| n.tag_name().name() == tag).count();
            assert_eq!(count("node"), 150);
            let expected = edges.lines().filter(|l| l.starts_with(&format!("{run},0,{run},{step},"))).count();
            assert!(expected > 0);
            assert_eq!(count("edge"), expected, "{}", path.display());
            let sectors: Vec<&str> = doc
                .descendants()
                .filter(|n| n.attribute("key") == Some("sector"))
                .filter_map(|n| n.text())
                .collect();
            assert!(sectors.contains(&"civil") && sectors.contains(&"public"));
        }
    }
}

#[test]
fn plot_redraws_from_the_csv_files_and_formats_are_chosen() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path())
        .args(["run", "-q", "-o", "out", "--replications", "2", "--no-plots"])
        .assert()
        .success();
    let dir = tmp.path().join("out");
    assert!(!dir.join("time_innovations.png").exists() && !dir.join("time_innovations.svg").exists());
    assert!(dir.join("report.html").exists(), "the report is written even without chart files");
    olika(tmp.path()).args(["plot", "out", "--format", "svg"]).assert().success();
    assert!(dir.join("time_innovations.svg").exists() && !dir.join("time_innovations.png").exists());
    olika(tmp.path()).args(["plot", "out"]).assert().success();
    check_charts(&dir, &RUN_CHARTS[..9]);
    assert!(!dir.join("network.png").exists(), "no network files, no network picture");
}

/// What `olika run` draws from what it still holds (the bands made as runs finished, the first
/// run's replay, the checksums taken as the tables were written) is what `olika plot` draws again
/// from the folder's files alone: every chart and the report byte for byte, and the checksums
/// match the files (`plot` checks them first). A lattice world too, whose replay carries cultures.
#[test]
fn a_run_writes_what_plot_redraws_from_its_files() {
    let tmp = TempDir::new().unwrap();
    for (out, scenario) in [("city", None), ("lattice", Some(scenarios().join("classics/axelrod.toml")))] {
        let mut run = olika(tmp.path());
        run.args(["run", "-q", "-o", out, "--replications", "3", "--threads", "2"]);
        match &scenario {
            Some(path) => run.arg(path).args(["--set", "traits=15"]),
            None => run.args(["--set", "steps=30"]),
        };
        run.assert().success();
        let dir = tmp.path().join(out);
        assert!(dir.join("replay.json").exists(), "{out}: the first run's replay is written");
        let drawn: Vec<(String, Vec<u8>)> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".png") || name.ends_with(".svg") || name == "report.html")
            .map(|name| (name.clone(), fs::read(dir.join(&name)).unwrap()))
            .collect();
        assert!(drawn.iter().any(|(name, _)| name == "report.html"), "{out}: no report");
        assert!(drawn.iter().any(|(name, _)| name.ends_with(".png")), "{out}: no chart");
        olika(tmp.path()).args(["plot", out]).assert().success();
        for (name, bytes) in &drawn {
            assert!(fs::read(dir.join(name)).unwrap() == *bytes, "{out}: plot redraws {name} differently");
        }
    }
}

#[test]
fn charts_read_series_one_run_at_a_time_and_refuse_a_table_out_of_run_order() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path())
        .args(["run", "-q", "-o", "out", "--replications", "2", "--set", "steps=6", "--no-plots"])
        .assert()
        .success();
    let path = tmp.path().join("out/series.csv");
    let text = fs::read_to_string(&path).unwrap();
    let (head, rows) = text.split_once('\n').unwrap();
    // Run 1's rows before run 0's: what olika never writes.
    let (zero, one): (Vec<&str>, Vec<&str>) = rows.lines().partition(|l| l.starts_with("0,"));
    assert!(!zero.is_empty() && !one.is_empty());
    let reordered = format!("{head}\n{}\n{}\n", one.join("\n"), zero.join("\n"));
    fs::write(&path, &reordered).unwrap();
    // The checksum notices first; with the manifest's checksum made to match, the rows' order
    // is refused all the same.
    let out = olika(tmp.path()).args(["plot", "out"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("changed after olika wrote it"));
    let manifest_path = tmp.path().join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let fnv = olika::model::hash::fnv(reordered.as_bytes());
    manifest["checksums"]["series.csv"] = serde_json::Value::String(format!("{fnv:016x}"));
    // Without its SHA-256 (what a folder of an earlier version lacks), only the FNV is checked.
    manifest["sha256"].as_object_mut().unwrap().remove("series.csv");
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    let out = olika(tmp.path()).args(["plot", "out"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("series.csv:2") && stderr.contains("rows of run 1 where run 0 comes next"),
        "{stderr}"
    );
}

#[test]
fn user_strings_are_escaped_in_the_report() {
    let tmp = TempDir::new().unwrap();
    let path = tmp.path().join("evil.toml");
    fs::write(
        &path,
        "name = \"<script>alert(1)</script>\"\ndescription = \"Tom & Jerry's <b>city</b>\"\nsteps = 6\nreplications = 2\n\
         [populations.civil]\ncount = 20\n[venues.\"<img onerror=x>\"]\nkind = \"workshop\"\nevery = 1\n",
    )
    .unwrap();
    olika(tmp.path()).args(["run", path.to_str().unwrap(), "-q", "-o", "out"]).assert().success();
    let html = check_report(&tmp.path().join("out/report.html"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Tom &amp; Jerry&#39;s &lt;b&gt;city&lt;/b&gt;"));
    assert!(html.contains("&lt;img onerror=x&gt;") && !html.contains("<img"));
}

#[test]
fn compare_and_sweep_folders_get_their_charts() {
    let tmp = TempDir::new().unwrap();
    let (a, b) = (scenarios().join("strategies/round_tables.toml"), scenarios().join("strategies/hub.toml"));
    olika(tmp.path())
        .args([
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-q",
            "-o",
            "cmp",
            "--replications",
            "4",
            "--set",
            "steps=24",
        ])
        .assert()
        .success();
    check_charts(
        &tmp.path().join("cmp"),
        &[
            "compare_innovations",
            "compare_difference_innovations",
            "compare_cost_per_innovation",
            "compare_plane",
            "compare_plane_social_value",
        ],
    );
    check_report(&tmp.path().join("cmp/report.html"));
    // The city and the key parameters the strategies share are said once, not once per strategy.
    let report = fs::read_to_string(tmp.path().join("cmp/report.html")).unwrap();
    assert_eq!(report.matches("Key parameters:").count(), 1);
    assert_eq!(report.matches("Every strategy: 150 organisations").count(), 1);
    // A two-parameter grid: heatmaps. One parameter: response curves. Three: nothing, and a note.
    let base = scenarios().join("baseline.toml");
    let sweeps = [
        (
            "grid2",
            "homophily = [0.5, 2.0]\nsector_distance = [0.2, 0.6]\n",
            vec!["heatmap_innovations", "heatmap_cost_per_innovation"],
        ),
        (
            "line1",
            "homophily = { min = 0, max = 2, steps = 3 }\n",
            vec!["response_innovations", "response_social_value"],
        ),
        ("three", "homophily = [0.5, 2.0]\nsector_distance = [0.2, 0.6]\nlearning = [0.1]\n", vec![]),
    ];
    for (name, parameters, charts) in sweeps {
        let path = tmp.path().join(format!("{name}.toml"));
        fs::write(
            &path,
            format!(
                "extends = \"{}\"\nsteps = 12\n[sweep]\nreplications = 2\n[sweep.parameters]\n{parameters}",
                base.display()
            ),
        )
        .unwrap();
        olika(tmp.path()).args(["sweep", path.to_str().unwrap(), "-q", "-o", name]).assert().success();
        let dir = tmp.path().join(name);
        check_charts(&dir, &charts);
        let html = check_report(&dir.join("report.html"));
        if charts.is_empty() {
            assert!(
                html.contains("No response curves or heatmaps"),
                "a chart that would mislead is left out, and the report says so"
            );
            assert!(!fs::read_dir(&dir).unwrap().any(|e| e
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "png")));
        }
    }
}
