//! The constraints between a scenario's values (a Beta distribution's sd against its mean, the
//! adoption probability below 1, each venue as its kind requires), checked on the typed scenario
//! however it was made; and `Scenario::validate`, which checks a scenario made or changed in code
//! with the file loader's rules.

use super::validate::{self, Spans};
use super::{Scenario, TraitDist, Validated};
use crate::error::{Error, Location, Result};

impl Scenario {
    /// Checks a scenario built or changed in code (by the lab's sliders, a test, a program) with
    /// the rules and messages of the file loader: every key known, every value of its type and in
    /// its range, every venue with its kind's keys, and the constraints between values. Errors name
    /// the scenario and the dotted path of the key.
    pub fn validate(self) -> Result<Validated> {
        let origin = format!("scenario {}", self.name);
        validate_scenario(&self, &origin)?;
        Ok(Validated::checked(self))
    }
}

/// The most organisations one city holds: its ties, and the entries of their lists, are numbered
/// in 32 bits, and 10⁸ organisations with 11 ties each (what a city of 10⁶ ends its run with)
/// and lists with room to grow stay below 2³². Such a city needs about 130 GB, far past the
/// default memory budget, so only a raised `--max-memory` reaches this limit.
pub(crate) const MOST_ORGANISATIONS: usize = 100_000_000;

fn validate_scenario(scenario: &Scenario, origin: &str) -> Result<()> {
    let location = |_: &str| Location::file(origin);
    let table = toml::Table::try_from(scenario)
        .map_err(|e| Error::input(Location::file(origin), None, format!("cannot be written as TOML: {e}")))?;
    validate::check_file(&table, &Spans::new(origin, ""))?;
    for (name, venue) in &scenario.venues {
        if let Some(key) = venue.kind.keys.iter().find(|k| !venue.settings.contains_key(k.path)) {
            let path = format!("venues.{name}.{}", key.path);
            return Err(Error::input(
                location(&path),
                Some(&path),
                format!("a {} venue needs `{}`", venue.kind.name, key.path),
            ));
        }
    }
    check(scenario, &location)
}

/// Constraints between parameters, checked on the typed scenario; `locate` says where a dotted
/// path was set.
pub(super) fn check(s: &Scenario, locate: &dyn Fn(&str) -> Location) -> Result<()> {
    let fail = |path: &str, message: String| Err(Error::input(locate(path), Some(path), message));
    if s.trust.formal < s.trust.partner {
        return fail("trust.formal", "trust.formal must be at least trust.partner (a formal partnership needs more trust than an informal one)".into());
    }
    for (name, pop) in &s.populations {
        // In the order of the keys of a population table.
        let traits = [
            ("capital", pop.capital),
            ("initiative", pop.initiative),
            ("need", pop.need),
            ("openness", pop.openness),
            ("reach", pop.reach),
            ("rule_orientation", pop.rule_orientation),
            ("social_weight", pop.social_weight),
            ("visibility", pop.visibility),
        ];
        for (key, TraitDist { mean, sd }) in traits {
            if sd > 0.0 && sd * sd >= mean * (1.0 - mean) {
                return fail(
                    &format!("populations.{name}.{key}.sd"),
                    format!("sd {sd} is too large for mean {mean}: a Beta distribution needs sd² < mean (1 - mean); use sd < {:.3}, or sd = 0 for a constant", (mean * (1.0 - mean)).sqrt()),
                );
            }
        }
        if pop.max_partners.min > pop.max_partners.max {
            return fail(
                &format!("populations.{name}.max_partners.min"),
                "max_partners.min must not exceed max_partners.max".into(),
            );
        }
    }
    let organisations: usize = s.populations.values().map(|p| p.count).sum();
    if organisations == 0 {
        return fail(
            "populations",
            "the scenario has no organisations; add a population, e.g. `[populations.civil] count = 40`"
                .into(),
        );
    }
    if organisations > MOST_ORGANISATIONS {
        return fail(
            "populations",
            format!("the populations' counts add up to {organisations} organisations; a city holds at most {MOST_ORGANISATIONS} (its ties and their lists are numbered in 32 bits): use fewer"),
        );
    }
    let mut boost: f64 = 0.0;
    for (name, venue) in &s.venues {
        if let Err((key, message)) = (venue.kind.check)(venue, organisations) {
            return fail(&format!("venues.{name}.{key}"), message);
        }
        boost = boost.max((venue.kind.build)(venue).boost());
    }
    // The adoption probability (p b + q share) must stay a probability for every agent.
    let most = s.diffusion.external * (1.0 + boost) + s.diffusion.imitation;
    if most > 1.0 {
        return fail("diffusion.imitation", format!("diffusion.external · (1 + largest seminar boost) + diffusion.imitation = {most}, which exceeds 1; lower them"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::scenario::*;

    #[test]
    fn beta_sd_must_fit_the_mean() {
        let src = "[populations.civil]\ncount = 4\nneed = { mean = 0.9, sd = 0.4 }\n";
        let err = load_str("t.toml", src, &[]).unwrap_err().to_string();
        assert!(err.starts_with("t.toml:3") && err.contains("too large"), "{err}");
    }

    #[test]
    fn a_city_past_what_32_bits_number_is_refused() {
        // Eleven populations of the largest count each are a valid-looking file whose city would
        // number its ties past 32 bits.
        let src: String =
            (0..11).map(|i| format!("[populations.p{i}]\nsector = \"civil\"\ncount = 10000000\n")).collect();
        let err = load_str("big.toml", &src, &[]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("110000000 organisations") && text.contains("at most 100000000"), "{text}");
        assert_eq!(err.exit_code(), 2);
        let src: String =
            (0..10).map(|i| format!("[populations.p{i}]\nsector = \"civil\"\ncount = 10000000\n")).collect();
        assert!(load_str("big.toml", &src, &[]).is_ok());
    }

    #[test]
    fn scenarios_changed_in_code_are_validated_like_files() {
        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        assert!(s.clone().validate().is_ok());
        s.homophily = -1.0;
        let err = s.clone().validate().unwrap_err();
        let text = err.to_string();
        assert!(text.contains("homophily") && text.contains("out of range"), "{text}");
        assert_eq!(err.exit_code(), 2);

        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        let (name, workshop) =
            s.venues.iter_mut().find(|(_, v)| v.kind.name == "workshop").expect("the baseline has workshops");
        let name = name.clone();
        workshop.settings.insert("group_size".into(), Setting::Int(1));
        let text = s.clone().validate().unwrap_err().to_string();
        assert!(text.contains(&format!("venues.{name}.group_size")) && text.contains("2..1000"), "{text}");
        s.venues.get_mut(&name).unwrap().settings.remove("group_size");
        let text = s.clone().validate().unwrap_err().to_string();
        assert!(text.contains("needs `group_size`"), "{text}");

        let mut s = baseline(&[]).unwrap().scenario.into_inner();
        s.trust.formal = 0.1;
        assert!(s.clone().validate().unwrap_err().to_string().contains("trust.formal must be at least"));
    }
}
