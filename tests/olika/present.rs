//! A real present (docs/present.md): `olika present` makes worlds whose organisations, traits and
//! ties are exactly those of its CSV files, the rest drawn from the seed; runs go on from them;
//! every bad row is refused with its file and line, and nothing is written.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use olika::model::{Agents, World};
use olika::output::state;
use olika::scenario;
use tempfile::TempDir;

use crate::common::{olika, scenarios};

/// The rows of a small CSV file without quotes, as maps from column to cell.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    lines
        .map(|l| header.iter().zip(l.split(',')).map(|(h, c)| (h.to_string(), c.to_string())).collect())
        .collect()
}

fn trait_of(agents: &Agents, name: &str, a: usize) -> f64 {
    match name {
        "need" => agents.need[a],
        "capital" => agents.capital[a],
        "reach" => agents.reach[a],
        "openness" => agents.openness[a],
        "visibility" => agents.visibility[a],
        _ => panic!("{name}"),
    }
}

/// The worlds saved in `dir`, resumed under the scenario they were made under.
fn worlds(dir: &Path) -> Vec<World> {
    worlds_under(dir, &dir.join("scenario.toml"), 0)
}

/// The worlds saved in `dir` at step `step`, resumed under `scenario` with more steps.
fn worlds_under(dir: &Path, scenario: &Path, step: u32) -> Vec<World> {
    let s = scenario::load(scenario, &[format!("steps={}", step + 1)]).unwrap().scenario;
    (0..s.replications)
        .map(|r| {
            let (_, saved) = state::read(&dir.join("states").join(state::file_name(r))).unwrap();
            assert_eq!(saved.t(), step);
            World::resume(&s, saved).unwrap()
        })
        .collect()
}

fn meeting_point(world: &World) -> Vec<u32> {
    world.venues().iter().find(|v| v.name == "meeting_point").unwrap().members.clone()
}

#[test]
fn the_shipped_town_starts_with_exactly_its_organisations_traits_and_ties() {
    let tmp = TempDir::new().unwrap();
    olika(tmp.path()).args(["present", "town", "-o", "now", "--replications", "3"]).assert().success();
    let town = scenarios().join("presents/town");
    let orgs = rows(&town.join("organisations.csv"));
    let ties = rows(&town.join("ties.csv"));
    assert_eq!((orgs.len(), ties.len()), (30, 25));
    // The ids of the outputs name the organisations.
    let ids: HashMap<String, usize> = rows(&tmp.path().join("now/organisations.csv"))
        .into_iter()
        .map(|r| (r["name"].clone(), r["id"].parse().unwrap()))
        .collect();
    assert_eq!(ids.len(), 30);
    let worlds = worlds(&tmp.path().join("now"));
    assert_eq!(worlds.len(), 3);
    for world in &worlds {
        let agents = world.agents();
        assert_eq!(agents.len(), 30);
        for org in &orgs {
            let a = ids[&org["name"]];
            assert_eq!(agents.sector[a].name(), org["sector"], "{}", org["name"]);
            for name in ["need", "capital", "reach", "openness", "visibility"] {
                if !org[name].is_empty() {
                    assert_eq!(
                        trait_of(agents, name, a),
                        org[name].parse::<f64>().unwrap(),
                        "{} {name}",
                        org["name"]
                    );
                }
            }
            if !org["max_partners"].is_empty() {
                assert_eq!(agents.max_partners[a].to_string(), org["max_partners"]);
            }
        }
        assert_eq!(world.ties().len(), 25);
        let mut partners = vec![0; 30];
        for tie in &ties {
            let (a, b) = (ids[&tie["a"]] as u32, ids[&tie["b"]] as u32);
            let id = world.ties().find(a, b).unwrap_or_else(|| panic!("{} – {}", tie["a"], tie["b"]));
            let found = world.ties().get(id);
            assert_eq!(found.status().name(), tie["status"]);
            assert_eq!(world.ties().trust(found), tie["trust"].parse::<f64>().unwrap());
            if found.status().is_partnership() {
                partners[a as usize] += 1;
                partners[b as usize] += 1;
            }
        }
        assert_eq!(agents.partners, partners);
        // The town's meeting point has the residents the file gives it, not drawn ones.
        let mut listed: Vec<u32> =
            orgs.iter().filter(|o| o["venues"] == "meeting_point").map(|o| ids[&o["name"]] as u32).collect();
        let venue = world.venues().iter().find(|v| v.name == "meeting_point").unwrap();
        let mut members = venue.members.clone();
        listed.sort();
        members.sort();
        assert_eq!((listed.len(), members), (12, listed));
        assert!(agents.partners.iter().zip(&agents.max_partners).all(|(p, m)| p <= m));
    }
    // What the files leave out is drawn, each replication its own: the health centre has no traits.
    let health = ids["Regional health centre"];
    assert_ne!(worlds[0].agents().need[health], worlds[1].agents().need[health]);

    // The same present again is the same worlds, to the byte; and runs go on from them.
    olika(tmp.path()).args(["present", "town", "-o", "again", "--replications", "3"]).assert().success();
    for r in 0..3 {
        let file = |d: &str| fs::read(tmp.path().join(d).join("states").join(state::file_name(r))).unwrap();
        assert_eq!(file("now"), file("again"));
    }
    olika(tmp.path())
        .args([
            "run",
            "now/scenario.toml",
            "--from",
            "now",
            "--set",
            "steps=6",
            "-o",
            "run",
            "--quiet",
            "--save-state",
        ])
        .assert()
        .success();
    // A strategy of the baseline's own populations is refused, saying how to go on.
    let out = olika(tmp.path()).args(["run", "baseline", "--from", "now", "-o", "refused"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sets `populations` otherwise") && stderr.contains("a real present"), "{stderr}");
    // Given members are saved with the world: the run's saved worlds keep them.
    let before: Vec<Vec<u32>> = worlds.iter().map(meeting_point).collect();
    let after: Vec<Vec<u32>> =
        worlds_under(&tmp.path().join("run"), &tmp.path().join("now/scenario.toml"), 6)
            .iter()
            .map(meeting_point)
            .collect();
    assert_eq!(before, after);
    let nodes = fs::read_to_string(tmp.path().join("run/runs.csv")).unwrap();
    assert_eq!(nodes.lines().count(), 4);
}

/// `olika present` of a folder with these files, refused with exit code 2 and a message holding
/// `expected`; nothing written.
fn refused(organisations: &str, ties: &str, expected: &str) {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("city");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("organisations.csv"), organisations).unwrap();
    fs::write(dir.join("ties.csv"), ties).unwrap();
    let out = olika(tmp.path()).args(["present", "city", "-o", "now"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(expected), "wanted `{expected}` in: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!tmp.path().join("now").exists());
}

const ORGS: &str = "name,sector,need\nTown hall,public,0.5\nBakery,private,\nChoir,civil,0.2\n";
const TIES: &str = "a,b,status,trust\nTown hall,Bakery,formal,0.7\nChoir,Bakery,acquaintance,0.4\n";

#[test]
fn a_good_small_present_is_made() {
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("city");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("organisations.csv"), ORGS).unwrap();
    fs::write(dir.join("ties.csv"), TIES).unwrap();
    olika(tmp.path()).args(["present", "city", "-o", "now", "--replications", "2"]).assert().success();
    let worlds = worlds(&tmp.path().join("now"));
    assert_eq!(worlds[0].agents().len(), 3);
    assert_eq!(worlds[0].ties().len(), 2);
}

#[test]
fn an_unknown_sector_is_refused_with_its_line() {
    refused(
        &ORGS.replace("Choir,civil", "Choir,church"),
        TIES,
        "organisations.csv:4: unknown sector `church`",
    );
}

#[test]
fn a_tie_naming_no_organisation_is_refused_with_its_line() {
    refused(
        ORGS,
        &TIES.replace("Choir,Bakery", "Choir,Brewery"),
        "ties.csv:3: `Brewery` (b) is not an organisation",
    );
}

#[test]
fn a_name_given_twice_is_refused_with_its_line() {
    refused(
        &format!("{ORGS}Bakery,civil,\n"),
        TIES,
        "organisations.csv:5: `Bakery` is named twice (first on line 3)",
    );
}

#[test]
fn trust_outside_the_unit_interval_is_refused_with_its_line() {
    refused(ORGS, &TIES.replace("0.7", "1.7"), "ties.csv:2: trust is 1.7, outside [0, 1]");
}

#[test]
fn a_trait_outside_the_unit_interval_is_refused_with_its_line() {
    refused(&ORGS.replace("0.2", "-0.2"), TIES, "organisations.csv:4: need is -0.2, outside [0, 1]");
}

#[test]
fn a_missing_column_is_refused() {
    refused(
        ORGS,
        &TIES.replace(",trust", "").replace(",0.7", "").replace(",0.4", ""),
        "ties.csv:1: no column `trust`",
    );
    refused(&ORGS.replace("name,", "title,"), TIES, "organisations.csv:1: unknown column `title`");
}

#[test]
fn an_unknown_status_a_second_tie_and_too_many_partners_are_refused() {
    refused(ORGS, &TIES.replace("formal", "married"), "ties.csv:2: unknown status `married`");
    refused(ORGS, &format!("{TIES}Bakery,Town hall,informal,0.5\n"), "ties.csv:4: a second tie between");
    let most = "name,sector,max_partners\nTown hall,public,0\nBakery,private,\nChoir,civil,\n";
    refused(most, TIES, "organisations.csv:2: `Town hall` has max_partners 0 and 1 partnerships");
}

#[test]
fn a_venue_not_in_the_scenario_or_without_fixed_members_is_refused_with_its_line() {
    let with = |venue: &str| {
        format!("name,sector,venues\nTown hall,public,\nBakery,private,meeting_point\nChoir,civil,{venue}\n")
    };
    refused(
        &with("town_square"),
        TIES,
        "organisations.csv:4: venue `town_square` of `Choir` is not in the scenario",
    );
    refused(
        &with("round_tables"),
        TIES,
        "organisations.csv:4: venue `round_tables` of `Choir` has no fixed members",
    );
    // The same file with a venue that has members is made.
    let tmp = TempDir::new().unwrap();
    let dir = tmp.path().join("city");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("organisations.csv"), with("meeting_point")).unwrap();
    fs::write(dir.join("ties.csv"), TIES).unwrap();
    olika(tmp.path()).args(["present", "city", "-o", "now", "--replications", "1"]).assert().success();
    let mut members = meeting_point(&worlds(&tmp.path().join("now"))[0]);
    members.sort();
    // Civil first (populations in the scenario's order): the choir is 0, the bakery 1.
    assert_eq!(members, [0, 1]);
}
