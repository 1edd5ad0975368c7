//! `--set path=value`: one parameter of the merged scenario set from the command line, its value
//! checked against the registry as a file's would be, and remembered as the override's doing for
//! the messages of later mistakes.

use super::resolve::{insert_path, Provenance};
use super::{params, validate};
use crate::error::{Error, Location, Result};

/// Applies one `path=value` to the merged scenario.
pub(super) fn apply(merged: &mut toml::Table, assignment: &str, provenance: &mut Provenance) -> Result<()> {
    let location = Location::file(format!("--set {assignment}"));
    let Some((path, text)) = assignment.split_once('=') else {
        return Err(Error::input(location, None, "expected --set path=value, e.g. --set trust.gain=0.3"));
    };
    let path = path.trim();
    let parts: Vec<&str> = path.split('.').collect();
    let Some(param) = params::lookup(&parts) else {
        return Err(validate::unknown_key(&parts, location));
    };
    // A value is TOML (numbers, booleans, quoted strings, tables); a bare word is taken as a string.
    let text = text.trim();
    let value = toml::from_str::<toml::Table>(&format!("v = {text}"))
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_string()));
    validate::check_value(param, &value).map_err(|m| Error::input(location.clone(), Some(path), m))?;
    insert_path(merged, path, value);
    provenance.overridden(path, location);
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::scenario::*;

    #[test]
    fn set_overrides_and_is_validated() {
        let r = load_str(
            "t.toml",
            "[populations.civil]\ncount = 4\n",
            &["trust.gain=0.4".into(), "diffusion.mixing=full".into()],
        )
        .unwrap();
        assert_eq!(r.scenario.trust.gain, 0.4);
        assert_eq!(r.scenario.diffusion.mixing, Mixing::Full);
        let err = load_str("t.toml", "[populations.civil]\ncount = 4\n", &["trust.gain=2".into()])
            .unwrap_err()
            .to_string();
        assert!(err.contains("--set trust.gain=2") && err.contains("out of range"), "{err}");
    }

    #[test]
    fn set_on_a_table_names_its_keys() {
        let err =
            load_str("t.toml", "[populations.civil]\ncount = 4\n", &["populations.civil.need=0.5".into()])
                .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("is a table") && text.contains("mean, sd"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }
}
