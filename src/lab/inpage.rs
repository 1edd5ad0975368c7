//! The lab inside the page: what the exported file's WebAssembly module (the `olika-web` crate,
//! a thin FFI over this) carries out. The page's script drives it as the server's runner drives a
//! [`Lab`]: commands, one step at a time, and the setup and frames as JSON, the same messages the
//! server streams. Nothing here does IO or reads a clock: the page keeps the time.

use super::{Command, Lab, Source};

/// The lab in a page: a [`Lab`] and what the page asks of it.
pub struct InPage {
    lab: Lab,
}

impl InPage {
    /// A lab on a shipped scenario (`None`: the baseline) with overrides, as `olika lab NAME --set …`.
    pub fn new(scenario: Option<&str>, overrides: Vec<String>) -> Result<InPage, String> {
        let source = scenario.map_or(Source::Baseline, |name| Source::Named(name.into()));
        Ok(InPage { lab: Lab::new(source, overrides).map_err(|e| e.to_string())? })
    }

    /// Carries out a command given as the page's JSON: `{"ok": …}` or `{"error": …}`, and
    /// whether it made a new world (the page then needs the setup again).
    pub fn command(&mut self, json: &str) -> (String, bool) {
        let command: Command = match serde_json::from_str(json) {
            Ok(c) => c,
            Err(e) => {
                return (
                    serde_json::json!({ "error": format!("not a command the lab knows: {e}") }).to_string(),
                    false,
                )
            }
        };
        let new_world = matches!(command, Command::Reset | Command::Seed { .. } | Command::Preset { .. });
        match self.lab.command(command) {
            Ok(said) => (serde_json::json!({ "ok": said }).to_string(), new_world),
            Err(why) => (serde_json::json!({ "error": why }).to_string(), false),
        }
    }

    /// Takes one step of what the page asked for; false when there was nothing to take.
    pub fn work(&mut self) -> bool {
        self.lab.work()
    }

    /// Whether there are steps to take.
    pub fn busy(&self) -> bool {
        self.lab.busy()
    }

    /// Whether the world runs on by itself.
    pub fn running(&self) -> bool {
        self.lab.running
    }

    /// Milliseconds between steps while running.
    pub fn delay_ms(&self) -> u32 {
        self.lab.delay_ms
    }

    /// Steps between frames.
    pub fn draw_every(&self) -> u32 {
        self.lab.draw_every
    }

    /// The step now.
    pub fn t(&self) -> u32 {
        self.lab.world().t()
    }

    /// The setup message.
    pub fn setup(&self) -> String {
        self.lab.setup()
    }

    /// The frame of the world now, with the charts' points since the frame before.
    pub fn frame(&self) -> String {
        self.lab.frame()
    }

    /// The settings as a scenario file, and its file name: what "Download this scenario" saves.
    pub fn scenario(&self) -> String {
        serde_json::json!([super::download_name(&self.lab), self.lab.scenario_file()]).to_string()
    }

    /// Save world: the world on screen as a state file, its name and bytes; or why not.
    pub fn save(&self) -> Result<(String, Vec<u8>), String> {
        self.lab.save()
    }

    /// Load world: the state file `file` of these bytes shown, as `{"ok": …}` or `{"error": …}`,
    /// and whether it was (the page then needs the setup again).
    pub fn load(&mut self, file: &str, bytes: &[u8]) -> (String, bool) {
        match self.lab.load(file, bytes) {
            Ok(said) => (serde_json::json!({ "ok": said }).to_string(), true),
            Err(why) => (serde_json::json!({ "error": why }).to_string(), false),
        }
    }

    /// The digest of what a frame draws of the world now (`Lab::digest`).
    pub fn digest(&self) -> String {
        self.lab.digest()
    }
}
