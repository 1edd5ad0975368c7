//! The parameter registry: every key a scenario file may hold, with its type, default, range, unit
//! and the claim of the seed document it models. One table drives validation (unknown keys, types,
//! ranges), the defaults of the resolved scenario, `olika params` and the parameter table of
//! docs/scenario.md; nothing else lists parameters. Venue kinds declare their own keys in their
//! files (`model::venue::KINDS`); [`all`] places them under `venues.*.`.

use std::sync::OnceLock;

use super::sweep::Design;
pub use crate::model::{DefaultValue, Domain, Param};
use crate::model::{Sector, KINDS};

/// The sections of a scenario file that say what a command does with the scenario rather than
/// what the scenario is: they have no defaults in the scenario, and no sweep or search varies them.
pub(crate) const SECTIONS: &[&str] = &["sweep", "optimize", "calibrate"];

/// Whether a parameter's path lies in one of the `SECTIONS`.
pub(crate) fn in_section(path: &str) -> bool {
    path.split_once('.').is_some_and(|(head, _)| SECTIONS.contains(&head))
}

/// The names of the sectors, in the order of their index.
pub(crate) const SECTORS: &[&str] = &["public", "private", "civil"];

/// The claims of the source report that parameters model (docs/model.md, "The claims of the source
/// report"; a test keeps the two alike).
pub static CLAIMS: &[(&str, &str)] = &[
    ("C1", "\"Lika barn leka bäst\", but \"olika barn uppfinner nya lekar\""),
    ("C2", "meeting places across sector borders matter"),
    ("C3", "the non-profit sector is forgotten, yet many social innovations start there"),
    ("C4", "innovations from popular movements were scaled up by the public sector"),
    ("C5", "innovations are born from needs, not ordered through procurement"),
    ("C6", "from giver-taker to equal partners"),
    ("C7", "let each party do what it is best at"),
    ("C8", "\"we just went in and asked\""),
    ("C9", "\"how do we?\" instead of \"may we?\""),
    ("C10", "firms cannot find partners; social entrepreneurs must be visible"),
    ("C11", "social enterprises are hybrids"),
    ("C12", "research as one more actor"),
];

/// A parameter's claims in words: "C6 (from giver-taker to equal partners)".
pub(crate) fn claims_text(claim: &str) -> String {
    claim
        .split(", ")
        .filter(|id| !id.is_empty())
        .map(|id| match CLAIMS.iter().find(|(c, _)| *c == id) {
            Some((_, text)) => format!("{id} ({text})"),
            None => id.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The names of the venue kinds, in the order of `model::venue::KINDS`.
pub fn venue_kinds() -> &'static [&'static str] {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| KINDS.iter().map(|k| k.name).collect())
}

const UNIT: Domain = Domain::Float { min: 0.0, max: 1.0 };
const NONNEG: Domain = Domain::Float { min: 0.0, max: f64::INFINITY };
const fn int(min: i64, max: i64) -> Domain {
    Domain::Int { min, max }
}

const fn p(
    path: &'static str,
    domain: Domain,
    default: &'static str,
    unit: &'static str,
    symbol: &'static str,
    claim: &'static str,
    doc: &'static str,
) -> Param {
    Param { path, domain, default: DefaultValue::Value(default), unit, symbol, claim, doc, venue_kinds: &[] }
}

/// A population trait drawn from a Beta distribution with the given mean and standard deviation.
const fn trait_mean(
    path: &'static str,
    per: [&'static str; 3],
    symbol: &'static str,
    claim: &'static str,
    doc: &'static str,
) -> Param {
    Param {
        path,
        domain: UNIT,
        default: DefaultValue::PerSector(per),
        unit: "",
        symbol,
        claim,
        doc,
        venue_kinds: &[],
    }
}

const fn trait_sd(path: &'static str, sd: &'static str) -> Param {
    Param {
        path,
        domain: Domain::Float { min: 0.0, max: 0.5 },
        default: DefaultValue::Value(sd),
        unit: "",
        symbol: "",
        claim: "",
        doc: "standard deviation of the Beta distribution the trait is drawn from (0: every member gets the mean)",
        venue_kinds: &[],
    }
}

/// The registry's own parameters; [`all`] adds the venue kinds' keys.
static OWN: &[Param] = &[
    Param { path: "name", domain: Domain::Text, default: DefaultValue::Note("the file name"), unit: "", symbol: "", claim: "", doc: "short name of the scenario, used for the results folder", venue_kinds: &[] },
    p("description", Domain::Text, "\"\"", "", "", "", "the question the scenario answers, in plain words"),
    Param { path: "headline", domain: Domain::List(crate::observe::RunMetrics::NAMES), default: DefaultValue::Value("[]"), unit: "", symbol: "", claim: "", doc: "the metrics the terminal, summary and report lead with, columns of runs.csv (empty: innovations, value, partnerships, share across sectors, scale-ups and costs)", venue_kinds: &[] },
    p("currency", Domain::Text, "\"\"", "", "", "", "the unit of venue costs, e.g. \"kSEK\", shown with every cost in the terminal, charts and report (empty: \"cost units\")"),
    Param { path: "extends", domain: Domain::Text, default: DefaultValue::Note("none"), unit: "", symbol: "", claim: "", doc: "a scenario file (relative to this one) that this file overlays, or where there is none a scenario built in by name (`baseline`, `hub`)", venue_kinds: &[] },
    p("replace", Domain::List(&["venues", "populations"]), "[]", "", "", "", "tables of the extended scenario to drop instead of merging into"),
    p("seed", int(0, i64::MAX), "1", "", "", "", "root seed; each replication derives its own streams from it"),
    p("replications", int(1, 1_000_000), "10", "runs", "", "", "independent runs of the scenario"),
    p("steps", int(1, 1_000_000), "120", "steps (months)", "", "", "length of a run"),
    p("features", int(1, 64), "8", "", "F", "C1", "number of knowledge features"),
    p("traits", int(2, 1_000_000), "10", "", "q", "C1", "initial trait values per feature"),
    p("sector_distance", UNIT, "0.5", "", "δ", "C1", "probability that a sector's prototype differs from the common base on a feature"),
    p("individual_variation", UNIT, "0.05", "", "μ", "C11", "probability that an organisation redraws a feature of its sector's prototype"),
    p("homophily", Domain::Float { min: 0.0, max: 100.0 }, "1.0", "", "h", "C1", "pull toward sameness: p = f + (1 - f)(1 - d)^h"),
    p("learning", UNIT, "0.1", "", "λ", "C1", "chance per interaction and side of copying one differing trait"),
    p("follow_up", UNIT, "0.05", "", "", "C8", "a tie meets again with probability follow_up · τ per step"),
    p("equity", UNIT, "1.0", "", "e", "C6", "fairness of partnerships: 1 equal partners, 0 giver-taker"),
    p("stale_after", int(1, 1_000_000), "36", "steps", "", "", "a partnership ends after this many steps without an innovation"),
    p("until_stable", Domain::Bool, "false", "", "", "C1", "stop before `steps` once no pair of lattice neighbours has a similarity strictly between 0 and 1 (Axelrod)"),
    p("trust.prior_within", UNIT, "0.3", "", "τ₀", "C1", "trust of a new tie within a sector"),
    p("trust.prior_across", UNIT, "0.1", "", "τ₀", "C1", "trust of a new tie across sectors"),
    p("trust.gain", UNIT, "0.2", "", "γ", "C6", "trust gain per interaction: τ += γ (1 + f)(1 - τ)"),
    p("trust.partner", UNIT, "0.5", "", "", "C8", "trust at which a partnership may start"),
    p("trust.formal", UNIT, "0.8", "", "", "C8", "trust at which a partnership is (or becomes) formal"),
    p("trust.work_gain", UNIT, "0.05", "", "γ_w", "C6", "trust change per step of partnership work, scaled by 2e - 1"),
    p("trust.dissolve", UNIT, "0.2", "", "", "C6", "a partnership ends when trust falls below this"),
    p("trust.decay", UNIT, "0.01", "per step", "", "", "trust lost per step by a tie that did not interact"),
    p("innovation.rate", UNIT, "0.2", "per step", "ρ", "C1", "base innovation probability of a partnership"),
    p("innovation.novelty_exponent", Domain::Float { min: 0.0, max: 20.0 }, "2.0", "", "α", "C1", "weight of novelty in φ(d) = d^α (1 - d)^β / φ_max"),
    p("innovation.absorption_exponent", Domain::Float { min: 0.0, max: 20.0 }, "1.0", "", "β", "C1", "weight of mutual understanding in φ(d)"),
    p("innovation.procurement_factor", UNIT, "0.3", "", "m", "C5", "innovation multiplier of procurement-born partnerships"),
    p("diffusion.external", UNIT, "0.01", "per step", "p", "C4", "external (Bass p) adoption rate"),
    p("diffusion.imitation", UNIT, "0.04", "per step", "q", "C4", "imitation (Bass q) adoption rate"),
    p("diffusion.appeal", Domain::Bool, "true", "", "", "C5", "weigh adoption by appeal = Q (w need + (1 - w) capital); false: appeal 1"),
    p("diffusion.mixing", Domain::Choice(&["ties", "full"]), "\"ties\"", "", "", "C4", "imitate through ties, or through the whole population (Bass)"),
    p("diffusion.seed_innovations", int(0, 1_000_000), "0", "innovations", "", "C4", "innovations seeded at the start, each in one random agent, quality 1"),
    p("diffusion.scale_up", UNIT, "1.0", "", "σ", "C4", "a public organisation that adopts an innovation through a channel scales it up with probability σ · its reach"),
    p("diffusion.scale_up_reach", int(0, 10_000_000), "10", "organisations", "K", "C4", "public organisations a scale-up mandates the innovation to (all of them where fewer remain)"),
    Param { path: "populations.*.sector", domain: Domain::Choice(SECTORS), default: DefaultValue::Note("the population's name"), unit: "", symbol: "", claim: "C3, C11, C12", doc: "the sector the population counts under (the default, the population's name, works when that is a sector)", venue_kinds: &[] },
    p("populations.*.count", int(0, 10_000_000), "10", "organisations", "", "C3", "number of organisations in the population"),
    trait_mean("populations.*.need.mean", ["0.3", "0.2", "0.9"], "n", "C3, C7", "need insight: closeness to social needs"),
    trait_sd("populations.*.need.sd", "0.1"),
    trait_mean("populations.*.capital.mean", ["0.3", "0.8", "0.2"], "c", "C7", "capital: money and material means"),
    trait_sd("populations.*.capital.sd", "0.1"),
    trait_mean("populations.*.reach.mean", ["0.8", "0.5", "0.3"], "s", "C4, C7", "reach: ability to scale up"),
    trait_sd("populations.*.reach.sd", "0.1"),
    trait_mean("populations.*.openness.mean", ["0.4", "0.5", "0.7"], "o", "C2", "propensity to attend mixed venues"),
    trait_sd("populations.*.openness.sd", "0.1"),
    trait_mean("populations.*.visibility.mean", ["0.6", "0.5", "0.3"], "v", "C10", "chance of being found outside venues"),
    trait_sd("populations.*.visibility.sd", "0.1"),
    trait_mean("populations.*.rule_orientation.mean", ["0.8", "0.4", "0.2"], "r", "C9", "permission culture: chance of failing the 'may we?' check"),
    trait_sd("populations.*.rule_orientation.sd", "0.1"),
    trait_mean("populations.*.social_weight.mean", ["0.9", "0.3", "0.9"], "w", "C6", "weight of social against economic value"),
    trait_sd("populations.*.social_weight.sd", "0.1"),
    trait_mean("populations.*.initiative.mean", ["0.02", "0.05", "0.05"], "ι", "C8", "chance per step of approaching someone directly"),
    trait_sd("populations.*.initiative.sd", "0.01"),
    Param { path: "populations.*.max_partners.min", domain: int(0, 1000), default: DefaultValue::PerSector(["1", "1", "1"]), unit: "partnerships", symbol: "", claim: "C7", doc: "smallest capacity for simultaneous partnerships (drawn uniformly in min..=max)", venue_kinds: &[] },
    Param { path: "populations.*.max_partners.max", domain: int(0, 1000), default: DefaultValue::PerSector(["2", "1", "2"]), unit: "partnerships", symbol: "", claim: "C7", doc: "largest capacity for simultaneous partnerships", venue_kinds: &[] },
    Param { path: "venues.*.kind", domain: Domain::Choice(&[]), default: DefaultValue::Note("required"), unit: "", symbol: "", claim: "C2", doc: "what happens at a meeting", venue_kinds: &[] },
    p("sweep.design", Domain::Choice(Design::NAMES), "\"grid\"", "", "", "", ""), // doc: Design::doc(), in all()
    Param { path: "sweep.replications", domain: int(1, 1_000_000), default: DefaultValue::Note("the scenario's replications"), unit: "runs", symbol: "", claim: "", doc: "replications per point", venue_kinds: &[] },
    p("sweep.samples", int(1, 1_000_000), "10", "points", "", "", "points of a random or lhs design; trajectories of a morris design (k + 1 points each); base points of a sobol design (k + 2 points each)"),
    p("sweep.levels", int(2, 1_000), "4", "levels", "", "", "grid levels of a morris design; each step moves a parameter by levels / (2 (levels − 1)) of its range"),
    p("sweep.candidates", int(0, 100_000), "0", "trajectories", "", "", "a morris design draws this many trajectories and keeps the `samples` most spread out (Campolongo et al. 2007); 0: keeps every one drawn"),
    p("sweep.seed", int(0, i64::MAX), "1", "", "", "", "seed of a random, lhs, morris or sobol design (apart from the runs' seeds)"),
    Param { path: "sweep.table", domain: Domain::Text, default: DefaultValue::Note("none (required by the table design)"), unit: "", symbol: "", claim: "", doc: "CSV file of points for the table design (relative to the scenario file): a header of parameter paths, one row per point", venue_kinds: &[] },
    p("sweep.independent_points", Domain::Bool, "false", "", "", "", "false: every point uses the same seeds (common random numbers); true: each point its own"),
    Param { path: "sweep.parameters.*", domain: Domain::Sweep, default: DefaultValue::Note("none"), unit: "", symbol: "", claim: "", doc: "a swept parameter by its quoted dotted path, e.g. \"venues.round_tables.every\" = [1, 3, 6]", venue_kinds: &[] },
    p("optimize.objective", Domain::Choice(super::optimize::OBJECTIVES), "\"innovations\"", "", "", "", "the outcome per run whose mean `olika optimize` maximises"),
    Param { path: "optimize.budget", domain: NONNEG, default: DefaultValue::Note("none (required, or --budget)"), unit: "cost units", symbol: "", claim: "", doc: "the most a portfolio may cost over a run: each venue's cost per meeting × its meetings in `steps`", venue_kinds: &[] },
    p("optimize.replications", int(2, 100_000), "40", "runs", "", "", "replications of each finalist (and the most any portfolio gets)"),
    p("optimize.start", int(1, 10_000), "4", "runs", "", "", "replications of every portfolio in the race's first round"),
    p("optimize.keep", int(1, 100), "3", "portfolios", "", "", "finalists, each run `optimize.replications` times and ranked with intervals"),
    Param { path: "optimize.parameters.*", domain: Domain::Sweep, default: DefaultValue::Note("none"), unit: "", symbol: "", claim: "", doc: "a setting of the portfolio to search over, by its quoted dotted path, as a list or { min, max, steps }: \"venues.round_tables.every\" = [1, 2, 3, 6], \"venues.hub.enabled\" = [true, false]", venue_kinds: &[] },
    p("calibrate.population", int(2, 100_000), "100", "parameter sets", "", "", "particles per generation of `olika calibrate`'s ABC-SMC"),
    Param { path: "calibrate.first", domain: int(2, 1_000_000), default: DefaultValue::Note("calibrate.population"), unit: "parameter sets", symbol: "", claim: "", doc: "particles of the first generation, drawn from the priors: the map of the prior box that says where each target holds (at least `population`)", venue_kinds: &[] },
    p("calibrate.generations", int(1, 100), "4", "", "", "", "generations, the first (from the priors) included; each later one keeps the particles within a smaller tolerance"),
    p("calibrate.quantile", UNIT, "0.5", "", "", "", "each later generation's tolerance is this quantile of the last generation's distances (strictly between 0 and 1)"),
    p("calibrate.replications", int(2, 100_000), "20", "runs", "", "", "runs of the calibrated scenario per parameter set, for the observed targets"),
    p("calibrate.share", Domain::Float { min: 0.01, max: 1.0 }, "0.2", "", "", "", "the share of each judgement's own replications run per parameter set; its margins are projected to the whole judgement's"),
    p("calibrate.seed", int(0, i64::MAX), "1", "", "", "", "seed of the search's draws (apart from the runs' seeds, which come from the scenario's seed and the generation)"),
    p("calibrate.batch", int(1, 10_000), "32", "parameter sets", "", "", "parameter sets simulated together; the results depend on it, never on the threads"),
    p("calibrate.most_simulations", int(1, 10_000_000), "20000", "parameter sets", "", "", "the most simulations one generation may take before the search stops with an error (a tolerance that cannot shrink)"),
    Param { path: "calibrate.judgements", domain: Domain::List(super::calibrate::JUDGEMENTS), default: DefaultValue::Value("[]"), unit: "", symbol: "", claim: "", doc: "the model's own judgements as targets (`olika validate` names them), each met where it holds; its distance is how many standard errors it misses by", venue_kinds: &[] },
    Param { path: "calibrate.parameters.*", domain: Domain::Prior, default: DefaultValue::Note("none"), unit: "", symbol: "", claim: "", doc: "a calibrated parameter by its quoted dotted path and its prior: a list (each value as likely), { min, max } (uniform) or { min, max, log = true } (uniform in the logarithm)", venue_kinds: &[] },
    Param { path: "calibrate.targets.*", domain: Domain::Target, default: DefaultValue::Note("none"), unit: "", symbol: "", claim: "", doc: "an observed target by its metric: a metric of runs.csv with { value, sd }, or a step metric of series.csv with { file = \"observed.csv\", sd } (columns step and the metric, and sd unless given); its distance is |simulated mean − value| / sd", venue_kinds: &[] },
    Param::venue_key("venues.*.enabled", Domain::Bool, "true", "", "", "false switches the venue off (useful in strategies and sweeps)"),
    Param::venue_key("venues.*.every", int(1, 1_000_000), "12", "steps", "", "period between meetings"),
    Param::venue_key("venues.*.offset", int(0, 1_000_000), "0", "steps", "", "meets in step t when t - 1 ≥ offset and (t - 1 - offset) % every == 0 (offset 0: the first step)"),
    Param::venue_key("venues.*.capacity", int(0, 10_000_000), "30", "organisations", "", "seats per meeting (hub: members; neighbourhood: residents; procurement: buyers)"),
    Param::venue_key("venues.*.mix", Domain::Mix, "\"open\"", "", "", "who attends: open (self-selection by openness), balanced (equal quotas per sector), { only = [sectors] }"),
    Param::venue_key("venues.*.facilitation", UNIT, "0.0", "", "f", "lowers the barrier of difference: p = f + (1 - f)(1 - d)^h"),
    Param::venue_key("venues.*.cost", NONNEG, "0.0", "cost units per meeting", "", "cost of one meeting"),
];

/// Every parameter: the registry's own, then the keys of each venue kind (in the order of
/// `model::venue::KINDS`) under `venues.*.`, each listed once with the kinds that take it.
pub fn all() -> &'static [Param] {
    static ALL: OnceLock<Vec<Param>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<Param> = OWN.to_vec();
        for p in all.iter_mut().filter(|p| p.path == "venues.*.kind") {
            p.domain = Domain::Choice(venue_kinds());
        }
        // Built once per process, like the venue keys' paths below.
        for p in all.iter_mut().filter(|p| p.path == "sweep.design") {
            p.doc = Box::leak(Design::doc().into_boxed_str());
        }
        let mut keys: Vec<(Param, Vec<&'static str>)> = Vec::new();
        for kind in KINDS {
            for key in kind.keys {
                match keys.iter_mut().find(|(p, _)| p.path == key.path) {
                    Some((_, kinds)) => kinds.push(kind.name),
                    None => keys.push((key.clone(), vec![kind.name])),
                }
            }
        }
        // Built once per process: the leaked strings live as long as the registry would anyway.
        for (mut p, kinds) in keys {
            p.path = Box::leak(format!("venues.*.{}", p.path).into_boxed_str());
            p.venue_kinds = Box::leak(kinds.into_boxed_slice());
            all.push(p);
        }
        all
    })
}

/// Does a concrete dotted path match a registry path with `*` wildcards?
pub fn matches(pattern: &str, path: &[&str]) -> bool {
    matches_parts(&pattern.split('.').collect::<Vec<_>>(), path)
}

/// `matches`, the pattern split at its dots.
fn matches_parts(pattern: &[&str], path: &[&str]) -> bool {
    pattern.len() == path.len() && begins(pattern, path)
}

/// Whether the first parts of `pattern` match `path`, part by part (`*` matches any key).
fn begins(pattern: &[&str], path: &[&str]) -> bool {
    pattern.iter().zip(path).all(|(pat, key)| *pat == "*" || pat == key)
}

/// Each parameter's path (those of `all`, in order) split at its dots, once per process: a
/// scenario's every key and table is looked up in the registry, and splitting every path for
/// each look-up was half of what reading a scenario cost — which a command does at its start,
/// and again for its charts and its report (issue 28: the serial part of a command).
fn split_paths() -> &'static [Vec<&'static str>] {
    static SPLIT: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    SPLIT.get_or_init(|| all().iter().map(|p| p.path.split('.').collect()).collect())
}

/// The registry entry for a concrete path, if it is a leaf parameter.
pub(crate) fn lookup(path: &[&str]) -> Option<&'static Param> {
    all().iter().zip(split_paths()).find(|(_, parts)| matches_parts(parts, path)).map(|(p, _)| p)
}

/// The keys allowed directly under a table path (`*` for a population or venue name).
fn child_keys<'a>(path: &'a [&'a str]) -> impl Iterator<Item = &'static str> + 'a {
    split_paths().iter().filter_map(move |parts| {
        let under = parts.len() > path.len() && begins(parts, path);
        under.then(|| parts[path.len()])
    })
}

/// Is the path a table on the way to some parameter (e.g. `trust`, `populations.civil.need`)?
pub(crate) fn is_table(path: &[&str]) -> bool {
    child_keys(path).next().is_some()
}

/// The keys allowed directly under a table path: used to suggest the nearest valid key.
pub fn children(path: &[&str]) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = child_keys(path).filter(|k| *k != "*").collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Whether a venue of `kind` takes `key` (its own keys, and those every venue takes).
pub(crate) fn venue_takes(kind: &str, key: &str) -> bool {
    all().iter().any(|p| {
        let rest = p.path.strip_prefix("venues.*.").unwrap_or("");
        (rest == key || rest.strip_prefix(key).is_some_and(|r| r.starts_with('.')))
            && (p.venue_kinds.is_empty() || p.venue_kinds.contains(&kind))
    })
}

/// The default of a parameter for a population of the given sector.
pub(crate) fn default_for(param: &Param, sector: Option<Sector>) -> Option<&'static str> {
    match param.default {
        DefaultValue::Value(v) => Some(v),
        DefaultValue::PerSector(per) => sector.map(|s| per[s.index()]),
        DefaultValue::Note(_) => None,
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a likely typo.
pub(crate) fn nearest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 2).max(2))
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_population_and_venue_names() {
        assert!(matches("populations.*.need.mean", &["populations", "civil", "need", "mean"]));
        assert!(!matches("populations.*.need.mean", &["populations", "civil", "need"]));
        assert!(is_table(&["populations", "civil", "need"]));
        assert!(is_table(&["trust"]));
        assert!(!is_table(&["trust", "gain"]));
        assert_eq!(lookup(&["trust", "gain"]).unwrap().symbol, "γ");
    }

    #[test]
    fn suggestions_find_typos() {
        assert_eq!(nearest("trsut", &children(&[])), Some("trust"));
        assert_eq!(nearest("gian", &children(&["trust"])), Some("gain"));
        assert_eq!(nearest("zzzzzzzzzz", &children(&["trust"])), None);
    }

    #[test]
    fn venue_kinds_declare_shared_keys_alike() {
        // A key several kinds take is listed once: its declarations must agree.
        for kind in KINDS {
            for key in kind.keys {
                let entry = lookup(&["venues", "v", key.path]).unwrap();
                assert!(entry.venue_kinds.contains(&kind.name), "{}", key.path);
                assert_eq!((entry.domain, entry.default, entry.doc), (key.domain, key.default, key.doc));
            }
        }
        assert_eq!(lookup(&["venues", "v", "mingle"]).unwrap().venue_kinds, ["seminar", "hub", "open"]);
    }

    #[test]
    fn every_default_parses_as_its_kind() {
        for param in all() {
            let defaults: Vec<&str> = match param.default {
                DefaultValue::Value(v) => vec![v],
                DefaultValue::PerSector(per) => per.to_vec(),
                DefaultValue::Note(_) => vec![],
            };
            for d in defaults {
                let value: toml::Value =
                    toml::from_str::<toml::Table>(&format!("x = {d}")).unwrap()["x"].clone();
                assert!(super::super::validate::check_value(param, &value).is_ok(), "{} = {d}", param.path);
            }
        }
    }
}
