//! `olika validate`: re-runs the model's patterns (P1–P6, S1) and classics (Axelrod, Bass,
//! Nooteboom) at the shipped scenarios' seeds or at other root seeds, with the same judgement the
//! tests use, and says for each whether it holds.

use super::options::Limits;
use super::terminal::Say;
use super::Ended;
use crate::error::{Error, Location, Result};
use crate::validation::{self, Check, Validation, Verdict, ALL};

/// `olika validate` as the command line asks it: the validations `names` (all when none is) at
/// the root `seeds` (`--seeds 1,2,3`; without, each scenario's own), with `overrides` in every
/// scenario, within `limits`; says each result as it comes.
pub fn command(
    names: &[String],
    seeds: Option<&str>,
    overrides: &[String],
    limits: &Limits,
    say: &mut dyn Say,
) -> Result<Ended> {
    let validations = chosen(names)?;
    let seeds: Vec<Option<u64>> = match seeds {
        Some(text) => self::seeds(text)?.into_iter().map(Some).collect(),
        None => vec![None],
    };
    let (threads, max_memory) = limits.apply(false, say)?;
    let failed =
        validate(&validations, &seeds, overrides, threads, max_memory, |line| say.out(&format!("{line}\n")))?;
    Ok(match failed {
        0 => Ended::Done,
        failed => Ended::JudgementsFailed { failed, judged: validations.len() * seeds.len() },
    })
}

/// The validations named (all when none is), or an input error naming the unknown one.
pub fn chosen(names: &[String]) -> Result<Vec<&'static Validation>> {
    if names.is_empty() {
        return Ok(ALL.iter().collect());
    }
    names
        .iter()
        .map(|name| {
            validation::find(name).ok_or_else(|| {
                let known: Vec<&str> = ALL.iter().map(|v| v.name).collect();
                Error::input(
                    Location::file("NAME"),
                    None,
                    format!("no pattern or classic is called {name:?}; choose from {}", known.join(", ")),
                )
            })
        })
        .collect()
}

/// `--seeds 1,2,3` as a list of root seeds.
pub fn seeds(text: &str) -> Result<Vec<u64>> {
    text.split(',')
        .map(|s| {
            s.trim().parse::<u64>().map_err(|_| {
                Error::input(
                    Location::file("--seeds"),
                    None,
                    "--seeds takes root seeds separated by commas, e.g. --seeds 1,2,3",
                )
            })
        })
        .collect()
}

/// Judges each validation at each seed (`None`: the scenarios' own), with `overrides` applied to
/// every scenario (a changed model), on `threads` threads within `max_memory` bytes (each judgement's
/// replications are refused before they run if they would need more), handing every result line to
/// `say` as it comes — the verdict, then the power of each of its parts — and returns how many
/// judgements failed.
pub fn validate(
    validations: &[&Validation],
    seeds: &[Option<u64>],
    overrides: &[String],
    threads: usize,
    max_memory: u64,
    mut say: impl FnMut(&str),
) -> Result<usize> {
    let mut failed = 0;
    for v in validations {
        say(&format!("{} ({}): {}", v.name, v.source, v.claim));
        for &seed in seeds {
            let check = Check {
                seed,
                parameters: Vec::new(),
                overrides: overrides.to_vec(),
                threads,
                max_memory,
                share: 1.0,
            };
            let verdict = (v.judge)(&check)?;
            failed += usize::from(!verdict.holds);
            let at = seed.map_or("own seed".to_string(), |s| format!("seed {s}"));
            say(&format!(
                "  {at:<12} {:<6} {}",
                if verdict.holds { "holds" } else { "FAILS" },
                verdict.measured
            ));
            for line in power(&verdict) {
                say(&format!("  {:<12} {:<6} {line}", "", ""));
            }
        }
    }
    Ok(failed)
}

/// A line per part of a verdict with its power at the measured effect: the chance that the same
/// judgement at another seed holds again were the true effect the one measured here
/// (`validation::power`), the z it showed over its critical value, and the runs that would give
/// 99 % power (at least two: an interval needs two). Parts without a scale (the classics'
/// conditions) have none: one line says so.
fn power(verdict: &Verdict) -> Vec<String> {
    let n = verdict.replications;
    if verdict.parts.iter().all(|p| p.critical.is_none()) {
        return vec!["power — (conditions without a scale)".to_string()];
    }
    verdict
        .parts
        .iter()
        .map(|part| {
            let (Some(effect), Some(critical), Some(power), Some(runs)) =
                (part.effect(), part.critical, part.power(n, f64::from(n)), part.runs_for_99(n))
            else {
                return format!("power — (a condition without a scale): {}", part.what);
            };
            if effect.is_nan() || critical.is_nan() {
                return format!("power undefined (no spread or no runs to judge): {}", part.what);
            }
            let power = if power >= 0.9995 { "> 0.999".to_string() } else { format!("{power:.3}") };
            let needs = if runs.is_finite() {
                format!("99 % power needs {} runs", runs.ceil().max(2.0))
            } else {
                "no number of runs gives 99 % power at this effect".to_string()
            };
            let critical = format!("{critical:.3}");
            let critical = critical.trim_end_matches('0').trim_end_matches('.');
            format!(
                "power {power} at the measured effect (z {effect:.1} over {critical} at {n} runs; {needs}): {}",
                part.what
            )
        })
        .collect()
}
