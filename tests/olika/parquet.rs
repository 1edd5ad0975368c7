//! `--tables parquet` and `both`: every table converted losslessly, read back by every command that
//! reads a folder, covered by the checksums, and a damaged file refused.

use std::fs;
use std::path::Path;

use olika::output::read::{Row, TableReader};

use crate::common::{olika, scenarios};

/// A table read back (CSV or Parquet) and written as CSV text, as olika writes its tables.
fn as_csv(path: &Path) -> String {
    let mut reader = TableReader::open(path).unwrap();
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(reader.head()).unwrap();
    let mut row = Row::default();
    while reader.read(&mut row).unwrap() {
        out.write_record((0..reader.head().len()).map(|c| row.text(c))).unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

fn sweep(dir: &Path, out: &str, extra: &[&str]) {
    let file = scenarios().join("sweeps/frequency_facilitation.toml");
    let mut args = vec!["sweep", file.to_str().unwrap(), "-q", "--no-plots", "--replications", "2"];
    args.extend(["--set", "steps=20", "-o", out]);
    args.extend(extra);
    olika(dir).args(&args).assert().success();
}

#[test]
fn every_table_comes_back_byte_for_byte_and_the_checksums_cover_it() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path();
    let recorded = ["--innovations", "--partnerships", "--network"];
    sweep(dir, "both", &[&recorded[..], &["--tables", "both"]].concat());
    sweep(dir, "parquet", &[&recorded[..], &["--tables", "parquet"]].concat());
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("parquet/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["recording"]["tables"], "parquet");
    let tables = [
        "runs",
        "series",
        "summary",
        "venues",
        "innovations",
        "partnerships",
        "network_nodes",
        "network_edges",
    ];
    for table in tables {
        let csv = dir.join(format!("both/{table}.csv"));
        let text = fs::read_to_string(&csv).unwrap();
        assert!(text.lines().count() > 1, "{table}");
        assert_eq!(as_csv(&dir.join(format!("both/{table}.parquet"))), text, "{table}");
        // Parquet alone: the same file as beside the CSV, and no CSV.
        let parquet = dir.join(format!("parquet/{table}.parquet"));
        assert_eq!(fs::read(&parquet).unwrap(), fs::read(dir.join(format!("both/{table}.parquet"))).unwrap());
        assert!(!dir.join(format!("parquet/{table}.csv")).exists());
        for key in ["checksums", "sha256"] {
            assert!(manifest[key][format!("{table}.parquet")].is_string(), "{key} of {table}");
            assert!(manifest[key][format!("{table}.csv")].is_null(), "{key} of {table}");
        }
    }
    // Every command that reads a folder reads it: plot and animate.
    olika(dir).args(["plot", "parquet"]).assert().success();
    let charts = fs::read_dir(dir.join("parquet"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "png"));
    assert!(charts.count() > 3);
    olika(dir).args(["animate", "parquet"]).assert().success();
}

#[test]
fn shards_merge_analyze_and_compare_in_parquet() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path();
    let file = scenarios().join("sweeps/sensitivity_sobol.toml");
    let f = file.to_str().unwrap();
    let small = ["-q", "--no-plots", "--set", "steps=12", "--set", "sweep.samples=8", "--replications", "2"];
    olika(dir).args(["sweep", f, "-o", "whole"]).args(small).assert().success();
    for i in 0..2 {
        let shard = format!("{i}/2");
        let out = format!("s{i}");
        olika(dir)
            .args(["sweep", f, "--shard", &shard, "-o", &out, "--tables", "parquet"])
            .args(small)
            .assert()
            .success();
    }
    olika(dir).args(["merge", "s0", "s1", "-o", "merged", "-q"]).assert().success();
    for table in ["runs", "series", "summary", "venues", "sensitivity"] {
        let csv = fs::read_to_string(dir.join(format!("whole/{table}.csv"))).unwrap();
        assert_eq!(as_csv(&dir.join(format!("merged/{table}.parquet"))), csv, "{table}");
    }
    olika(dir).args(["analyze", "merged", "--metric", "adoptions"]).assert().success();
    olika(dir).args(["analyze", "whole", "--metric", "adoptions"]).assert().success();
    assert_eq!(
        as_csv(&dir.join("merged/sensitivity.parquet")),
        fs::read_to_string(dir.join("whole/sensitivity.csv")).unwrap()
    );
    assert!(!dir.join("merged/sensitivity.csv").exists());
    olika(dir).args(["plot", "merged"]).assert().success();
    // A comparison's own table too.
    let a = scenarios().join("strategies/hub.toml");
    let b = scenarios().join("strategies/round_tables.toml");
    let compare = |out: &str, tables: &str| {
        let strategies = [a.to_str().unwrap(), b.to_str().unwrap()];
        olika(dir)
            .args([
                "compare",
                "-q",
                "--no-plots",
                "--replications",
                "3",
                "--set",
                "steps=12",
                "-o",
                out,
                "--tables",
                tables,
            ])
            .args(strategies)
            .assert()
            .success();
    };
    compare("cmp-csv", "csv");
    compare("cmp-parquet", "parquet");
    assert_eq!(
        as_csv(&dir.join("cmp-parquet/compare.parquet")),
        fs::read_to_string(dir.join("cmp-csv/compare.csv")).unwrap()
    );
    olika(dir).args(["plot", "cmp-parquet"]).assert().success();
}

#[test]
fn a_damaged_parquet_table_is_refused() {
    let tmp = tempfile::TempDir::new().unwrap();
    let dir = tmp.path();
    sweep(dir, "out", &["--tables", "parquet"]);
    let path = dir.join("out/series.parquet");
    let mut bytes = fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    fs::write(&path, &bytes).unwrap();
    let refused = |says: &str| {
        let out = olika(dir).args(["plot", "out"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("series.parquet") && stderr.contains(says), "{stderr}");
    };
    refused("changed after olika wrote it");
    // With its checksum made to match (and no SHA-256), the file itself is refused: cut in half.
    fs::write(&path, &bytes[..middle]).unwrap();
    let manifest_path = dir.join("out/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&manifest_path).unwrap()).unwrap();
    let fnv = olika::model::hash::fnv(&bytes[..middle]);
    manifest["checksums"]["series.parquet"] = serde_json::Value::String(format!("{fnv:016x}"));
    manifest["sha256"].as_object_mut().unwrap().remove("series.parquet");
    fs::write(&manifest_path, manifest.to_string()).unwrap();
    refused("damaged Parquet table");
}
