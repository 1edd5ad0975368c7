//! Save world and Load world: the world on screen as a state file, the same versioned,
//! checksummed file `olika run --save-state` writes (`output::state`, docs/state.md), and a saved
//! world shown and stepped on from where it was saved.
//!
//! The heavy parts are plain values made apart from the [`Lab`]: a [`Snapshot`] (the world's
//! state, copied between two steps) is encoded, and a file is decoded, checked and resumed into a
//! [`Loaded`] world, by whoever holds them — the server's worker, not the runner that owns the lab,
//! so the world never waits for a big file. The lab itself only takes the copy and swaps the world.
//!
//! A loaded world goes on under the scenario it was saved under, which every state file carries in
//! its header, whatever the lab showed before: a world's organisations, knowledge and venues'
//! members were made by that scenario's set-up, and its rates are those it was stepping under, so
//! only that scenario continues it as if it had never been saved (`World::resume`). The page's
//! controls then change it as they change any world.

use std::path::Path;

use super::memory::fits;
use super::{Lab, Source};
use crate::model::{Validated, World, WorldState};
use crate::output::state;
use crate::scenario::{self, Resolved};

/// The world on screen, copied between two steps, to be written as a state file.
pub struct Snapshot {
    file: String,
    state: WorldState,
    scenario: Validated,
}

impl Snapshot {
    /// The file name it is offered under: the scenario and the month, e.g.
    /// `baseline-month-040.state`.
    pub fn file_name(&self) -> &str {
        &self.file
    }

    /// The state file's bytes (replication 0: the lab's world is its scenario's first run).
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        state::encode(&self.state, &self.scenario, 0).map_err(|e| e.to_string())
    }
}

/// A saved world, read from a state file, checked and resumed: ready to be shown.
pub struct Loaded {
    pub(super) file: String,
    pub(super) resolved: Resolved,
    pub(super) world: World,
}

impl Loaded {
    /// The world in the bytes of the state file `file` (its name only, for the messages; nothing
    /// is read from disk), under the scenario it was saved under: refused with the words
    /// `olika run --from` gives when the file is damaged, edited, of another version or format,
    /// does not fit its scenario, or holds a world too large for the lab.
    pub fn decode(file: &str, bytes: &[u8]) -> Result<Loaded, String> {
        let path = Path::new(file);
        let (header, saved) = state::decode(path, bytes).map_err(|e| e.to_string())?;
        let resolved = scenario::load_str(&header.scenario_name, &header.scenario, &[])
            .map_err(|e| format!("{file}: the scenario the world was saved under does not load: {e}"))?;
        fits(&resolved).map_err(|e| format!("{file}: {e}"))?;
        state::fits(path, &saved, &resolved.scenario).map_err(|e| e.to_string())?;
        let world = World::resume(&resolved.scenario, saved).map_err(|e| format!("{file}: {e}"))?;
        Ok(Loaded { file: file.to_string(), resolved, world })
    }

    /// The scenario the world goes on under, as the lab's source: its TOML, as the file keeps it.
    pub(super) fn source(&self) -> Source {
        Source::Saved { name: self.resolved.scenario.name.clone(), toml: self.resolved.toml.clone() }
    }
}

impl Lab {
    /// A copy of the world on screen to save; refused while settings wait for Setup, since the
    /// world on screen was not made with them (a saved world goes on under the settings it was
    /// made and stepped with).
    pub fn snapshot(&self) -> Result<Snapshot, String> {
        if !self.pending.is_empty() {
            return Err(format!(
                "settings wait for Setup ({}): the world on screen was not made with them, so it cannot be saved with them; press Setup first, or save before changing them",
                self.pending.join(", ")
            ));
        }
        let name = &self.resolved.scenario.name;
        let name = name.replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "_");
        Ok(Snapshot {
            file: format!("{name}-month-{:03}.state", self.world.t()),
            state: self.world.state(),
            scenario: self.resolved.scenario.clone(),
        })
    }

    /// The world on screen as a state file: its name and bytes.
    pub fn save(&self) -> Result<(String, Vec<u8>), String> {
        let snapshot = self.snapshot()?;
        Ok((snapshot.file.clone(), snapshot.encode()?))
    }

    /// Loads the state file `file` of these bytes (see [`Loaded::decode`]): what to tell the user,
    /// or why it was refused (the world on screen kept).
    pub fn load(&mut self, file: &str, bytes: &[u8]) -> Result<String, String> {
        Ok(self.show_loaded(Loaded::decode(file, bytes)?))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{command, settle};
    use super::*;

    fn stepped(source: Source, steps: u32) -> Lab {
        let mut lab = Lab::new(source, vec!["steps=60".into()]).unwrap();
        lab.command(command(&format!(r#"{{"command":"step","steps":{steps}}}"#))).unwrap();
        settle(&mut lab);
        lab
    }

    /// What the page is shown of a world, and the world itself.
    fn seen(lab: &Lab) -> (u32, String, String, WorldState) {
        (lab.world().t(), lab.digest(), serde_json::to_string(&lab.now).unwrap(), lab.world().state())
    }

    #[test]
    fn a_saved_world_steps_on_as_if_it_had_never_been_saved() {
        // A city, Axelrod's lattice (whose events drew on from `own` before issue 28's branch
        // axel-draw) and Bass's diffusion, each loaded into a lab that showed another scenario:
        // the lab takes the file's.
        for (name, other) in
            [("hub", Source::Baseline), ("axelrod", Source::Baseline), ("bass", Source::Named("hub".into()))]
        {
            let mut kept = stepped(Source::Named(name.into()), 17);
            let (file, bytes) = kept.save().unwrap();
            assert_eq!(file, format!("{name}-month-017.state"));
            let mut loaded = stepped(other, 3);
            let said = loaded.load(&file, &bytes).unwrap();
            assert_eq!(said, format!("loaded the world of month 17 from {file}"));
            assert_eq!(loaded.world().scenario().name, name);
            assert_eq!(seen(&loaded), seen(&kept), "{name} as loaded");
            // The charts start at its month.
            assert_eq!(loaded.history().first().unwrap().t, 17);
            for lab in [&mut kept, &mut loaded] {
                lab.command(command(r#"{"command":"step","steps":25}"#)).unwrap();
                settle(lab);
            }
            assert_eq!(seen(&loaded), seen(&kept), "{name} 25 steps after loading");
            // A setting changed now applies to it as to any world, and Setup makes a new world of
            // the file's scenario.
            assert!(loaded.command(command(r#"{"command":"set","path":"homophily","value":"2"}"#)).is_ok());
            loaded.command(command(r#"{"command":"reset"}"#)).unwrap();
            assert_eq!((loaded.world().t(), loaded.world().scenario().name.as_str()), (0, name));
        }
    }

    #[test]
    fn a_file_that_does_not_fit_is_refused_with_the_command_lines_words_and_the_world_is_kept() {
        let (file, bytes) = stepped(Source::Baseline, 5).save().unwrap();
        let mut lab = stepped(Source::Named("hub".into()), 4);
        let before = seen(&lab);
        let cli = |bytes: &[u8]| state::decode(Path::new(&file), bytes).unwrap_err().to_string();
        let mut refused = |bytes: &[u8]| lab.load(&file, bytes).unwrap_err();
        // Cut short, edited after saving, of another format, not a state file at all.
        let cut = &bytes[..bytes.len() - 10];
        assert_eq!(refused(cut), cli(cut));
        assert!(refused(cut).contains("cut short"), "{}", refused(cut));
        let mut edited = bytes.clone();
        *edited.last_mut().unwrap() ^= 1;
        assert!(refused(&edited).contains("checksum"), "{}", refused(&edited));
        assert_eq!(refused(&edited), cli(&edited));
        let other = String::from_utf8_lossy(&bytes).replacen("olika state 3\n", "olika state 2\n", 1);
        let other = other.as_bytes();
        assert!(refused(other).contains("format 2"), "{}", refused(other));
        assert!(refused(b"name = \"baseline\"\n").contains("not an olika state file"));
        assert!(refused(b"").starts_with(&file));
        // A checked file whose world does not fit the scenario it names: `WorldState::fits`' words.
        let world = stepped(Source::Baseline, 2).world().state();
        let small = Lab::new(Source::Baseline, vec!["populations.civil.count=10".into()]).unwrap();
        let unfit = state::encode(&world, &small.resolved.scenario, 0).unwrap();
        let said = refused(&unfit);
        assert!(said.contains("cannot go on from this world: population `civil` has 10"), "{said}");
        assert_eq!(
            said,
            state::fits(Path::new(&file), &world, &small.resolved.scenario).unwrap_err().to_string()
        );
        // One that names a world too large for the lab: refused before it is built.
        let huge = Lab::new(Source::Baseline, vec!["populations.civil.count=10".into()]).unwrap();
        let mut scenario = huge.resolved.scenario.clone().into_inner();
        scenario.populations.get_mut("civil").unwrap().count = 9_000_000;
        let too_large = state::encode(&world, &Validated::checked(scenario), 0).unwrap();
        let said = refused(&too_large);
        assert!(said.contains("memory") && said.contains("populations.civil.count"), "{said}");
        assert_eq!(seen(&lab), before, "a refused file changed the world on screen");
    }

    #[test]
    fn a_world_with_settings_waiting_for_setup_is_not_saved() {
        let mut lab = stepped(Source::Baseline, 3);
        lab.command(command(r#"{"command":"set","path":"sector_distance","value":"0.9"}"#)).unwrap();
        let refused = lab.snapshot().err().expect("a world with settings waiting was saved");
        assert!(refused.contains("sector_distance") && refused.contains("Setup"), "{refused}");
        lab.command(command(r#"{"command":"reset"}"#)).unwrap();
        assert_eq!(lab.save().unwrap().0, "baseline-month-000.state");
    }
}
