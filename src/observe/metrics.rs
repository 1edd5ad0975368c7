//! Every metric a run records, declared once (MODEL.md §5): its column, unit, meaning and, where it
//! has them, the words a reader sees. The structs, the CSV headers of `series.csv` and `runs.csv`,
//! the metrics a scenario's `headline` may name, the words of the report and the tables of
//! docs/output.md all come from this one list. How each is measured is the struct literal that
//! builds it — `Observer::measure` for the step metrics, `observe::collect` for the per-run ones —
//! so the compiler names the place a new metric must be measured.

/// A metric as declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    /// Its column in `series.csv` or `runs.csv`.
    pub name: &'static str,
    /// Its unit ("fraction…" for shares, which get intervals inside [0, 1]).
    pub unit: &'static str,
    /// What it measures, for docs/output.md.
    pub meaning: &'static str,
    /// A label and a sentence fragment for a reader; `None`: said by its name.
    pub words: Option<Words>,
}

/// A metric's words for a reader who never opens the CSV files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// Its label for tables and charts.
    pub label: &'static str,
    /// Its part of a sentence: `{mean}`, `{low}` and `{high}` are the estimate and its 95 %
    /// interval (shares in per cent), `{cost}` the scenario's cost unit.
    pub fragment: &'static str,
}

macro_rules! metric {
    ($name:ident, $unit:literal, $meaning:literal) => {
        Metric { name: stringify!($name), unit: $unit, meaning: $meaning, words: None }
    };
    ($name:ident, $unit:literal, $meaning:literal, $label:literal, $fragment:literal) => {
        Metric {
            name: stringify!($name),
            unit: $unit,
            meaning: $meaning,
            words: Some(Words { label: $label, fragment: $fragment }),
        }
    };
}

/// Declares the metrics in three groups, each `name: unit, meaning [=> label, fragment];`:
/// measured at each recorded step for `series.csv` only (`step`), also kept at the last step for
/// `runs.csv` (`step_and_run`), and once per run for `runs.csv` only (`run`).
macro_rules! metrics {
    (
        step { $( $s:ident : $su:literal, $sm:literal $(=> $sl:literal, $sf:literal)?; )* }
        step_and_run { $( $b:ident : $bu:literal, $bm:literal $(=> $bl:literal, $bf:literal)?; )* }
        run { $( $r:ident : $ru:literal, $rm:literal $(=> $rl:literal, $rf:literal)?; )* }
    ) => {
        /// The metrics of one recorded step. `None` where a mean has nothing to average.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct StepMetrics {
            $( #[doc = $sm] pub $s: Option<f64>, )*
            $( #[doc = $bm] pub $b: Option<f64>, )*
        }

        impl StepMetrics {
            /// The columns of `series.csv` after the ids and the step, in order.
            pub const COLUMNS: &'static [Metric] = &[
                $( metric!($s, $su, $sm $(, $sl, $sf)?), )*
                $( metric!($b, $bu, $bm $(, $bl, $bf)?), )*
            ];

            /// The values, in column order (an array: recorded every step, so not allocated).
            pub fn values(&self) -> [Option<f64>; Self::COLUMNS.len()] {
                [$( self.$s, )* $( self.$b, )*]
            }

            /// The value of a column; `None` also for an unknown column.
            pub fn get(&self, column: &str) -> Option<f64> {
                match column {
                    $( stringify!($s) => self.$s, )*
                    $( stringify!($b) => self.$b, )*
                    _ => None,
                }
            }
        }

        /// Per-run results: the last step's metrics and those measured once per run.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct RunMetrics {
            /// The metrics after the last step.
            pub last: StepMetrics,
            $( #[doc = $rm] pub $r: Option<f64>, )*
        }

        impl RunMetrics {
            /// The metric columns of `runs.csv`, in order: the per-run ones, then the last step's.
            pub const COLUMNS: &'static [Metric] = &[
                $( metric!($r, $ru, $rm $(, $rl, $rf)?), )*
                $( metric!($b, $bu, $bm $(, $bl, $bf)?), )*
            ];

            /// The names of `COLUMNS`: what a scenario's `headline` may name.
            pub(crate) const NAMES: &'static [&'static str] = &[
                $( stringify!($r), )*
                $( stringify!($b), )*
            ];

            /// The values, in the order of `COLUMNS`.
            pub fn values(&self) -> Vec<Option<f64>> {
                vec![$( self.$r, )* $( self.last.$b, )*]
            }

            /// The value of a column; `None` also for an unknown column.
            pub fn get(&self, column: &str) -> Option<f64> {
                match column {
                    $( stringify!($r) => self.$r, )*
                    other => self.last.get(other),
                }
            }
        }

        /// Every metric, each once: the step metrics, then the per-run ones.
        pub(crate) const METRICS: &[Metric] = &[
            $( metric!($s, $su, $sm $(, $sl, $sf)?), )*
            $( metric!($b, $bu, $bm $(, $bl, $bf)?), )*
            $( metric!($r, $ru, $rm $(, $rl, $rf)?), )*
        ];
    };
}

metrics! {
    step {
        new_innovations: "innovations", "innovations invented in this step";
    }
    step_and_run {
        innovations: "innovations", "innovations invented so far (seeded ones excluded)"
            => "innovations", "about {mean} innovations (95 % CI {low}–{high})";
        innovations_public_public: "innovations", "innovations so far by a public-public team";
        innovations_public_private: "innovations", "innovations so far by a public-private team";
        innovations_public_civil: "innovations", "innovations so far by a public-civil team";
        innovations_private_private: "innovations", "innovations so far by a private-private team";
        innovations_private_civil: "innovations", "innovations so far by a private-civil team";
        innovations_civil_civil: "innovations", "innovations so far by a civil-civil team";
        social_value: "value units", "cumulative social value of innovations, sum of Q · max n · w̄"
            => "social value", "{mean} units of social value ({low}–{high})";
        economic_value: "value units", "cumulative economic value of innovations, sum of Q · max c · (1 - w̄)"
            => "economic value", "{mean} units of economic value ({low}–{high})";
        partnerships: "partnerships", "current partnerships, informal and formal"
            => "partnerships at the end", "{mean} partnerships running at the end ({low}–{high})";
        informal_partnerships: "partnerships", "current informal partnerships";
        formal_partnerships: "partnerships", "current formal partnerships";
        cross_sector_share: "fraction", "share of current partnerships whose partners are of different sectors"
            => "share of partnerships across sectors", "{mean} % of them between sectors ({low}–{high} %)";
        partnerships_begun: "partnerships", "partnerships begun so far"
            => "partnerships begun", "{mean} partnerships begun ({low}–{high})";
        partnerships_dissolved: "partnerships", "partnerships ended so far because trust fell below trust.dissolve";
        partnerships_exhausted: "partnerships", "partnerships ended so far after stale_after steps without an innovation";
        partnership_steps: "partnership-steps", "steps of partnership work so far: innovations / partnership_steps is the innovation rate per partnership-step";
        partnership_distance: "fraction of features", "mean cognitive distance between current partners"
            => "distance between partners", "partners at a distance of {mean} on average ({low}–{high})";
        ties: "ties", "current ties (acquaintances and partnerships)";
        trust_within: "trust", "mean trust of ties within a sector";
        trust_across: "trust", "mean trust of ties across sectors"
            => "trust across sectors", "mean trust across sectors {mean} ({low}–{high})";
        knowledge_diversity: "fraction of features", "mean cognitive distance over all pairs of organisations";
        distinct_vectors: "vectors", "number of distinct knowledge vectors";
        adoptions: "adoptions", "adoption events so far, through the channels and by mandate (creators and seeds excluded); an organisation that takes an innovation, loses it to another on the same feature and takes it again counts twice"
            => "adoptions", "{mean} adoptions ({low}–{high})";
        mandated: "adoptions", "adoption events so far by the mandate of a scale-up (part of `adoptions`)";
        scaled_up: "innovations", "innovations scaled up by a public adopter so far"
            => "innovations scaled up", "{mean} innovations scaled up by the public sector ({low}–{high})";
        innovations_in_use: "innovations", "innovations held by at least one organisation: not yet replaced everywhere on their feature"
            => "innovations in use", "{mean} innovations still in use at the end ({low}–{high})";
        venue_cost: "cost units", "cumulative cost of venue meetings"
            => "venue cost", "venues costing {mean} {cost}";
    }
    run {
        steps_run: "steps", "steps the run took: `steps`, or fewer when `until_stable` stopped it early"
            => "steps run", "{mean} steps on average before nothing could change any more ({low}–{high})";
        regions: "regions", "stable regions at the end: connected groups of lattice neighbours with identical knowledge, summed over the neighbourhood venues (empty without one; Axelrod's metric)"
            => "stable cultural regions", "about {mean} stable cultural regions at the end (95 % CI {low}–{high})";
        first_innovation_step: "month", "the step of the first invented innovation (empty if none)"
            => "month of the first innovation", "the first innovation in month {mean} on average ({low}–{high})";
        cost_per_innovation: "cost units", "this run's venue cost / its innovations (empty if none); summaries use the ratio of means instead"
            => "cost per innovation", "{mean} {cost} per innovation ({low}–{high})";
        innovation_rate: "innovations per partnership-month", "this run's innovations / its partnership-steps (empty if no partnership worked): how fast partnerships innovate (the Nooteboom classic's headline)"
            => "innovations per partnership-month", "partnerships innovating {mean} times per partnership-month ({low}–{high})";
        half_adoption_step: "month", "the first step by whose end one innovation had been adopted by half of all organisations (empty if none was): the midpoint of a diffusion curve (the Bass classic's headline; its recursion reaches one half at step 8)"
            => "month half had adopted", "half of all organisations had adopted by month {mean} on average ({low}–{high})";
    }
}

impl RunMetrics {
    /// The unit of a metric (empty for an unknown one).
    pub fn unit(column: &str) -> &'static str {
        metric(column).map_or("", |m| m.unit)
    }
}

/// A metric by its column name.
pub fn metric(name: &str) -> Option<&'static Metric> {
    METRICS.iter().find(|m| m.name == name)
}

/// The metrics a run's summary leads with, in this order (the terminal table, the report).
pub(crate) const HEADLINE: &[&str] = &[
    "innovations",
    "social_value",
    "economic_value",
    "partnerships",
    "cross_sector_share",
    "scaled_up",
    "venue_cost",
    "cost_per_innovation",
    "first_innovation_step",
];

/// The metrics a scenario's output leads with: its own `headline`, or `HEADLINE`.
pub fn headline(own: &[String]) -> Vec<&str> {
    if own.is_empty() {
        HEADLINE.to_vec()
    } else {
        own.iter().map(String::as_str).collect()
    }
}

/// A table of metrics in Markdown, as docs/output.md shows them (a test keeps the two the same).
pub fn markdown(metrics: &[Metric]) -> String {
    let mut table = String::from("| column | unit | meaning |\n|---|---|---|\n");
    for m in metrics {
        table.push_str(&format!("| `{}` | {} | {} |\n", m.name, m.unit, m.meaning));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_metrics_are_columns_of_runs_csv_and_names_are_unique() {
        for metric in HEADLINE {
            assert!(RunMetrics::NAMES.contains(metric), "{metric}");
        }
        for (i, m) in METRICS.iter().enumerate() {
            assert!(METRICS[..i].iter().all(|o| o.name != m.name), "{} twice", m.name);
            if let Some(w) = m.words {
                assert!(w.fragment.contains("{mean}"), "{}", m.name);
            }
        }
        // runs.csv: the per-run metrics, then every step metric but the per-step count.
        assert_eq!(RunMetrics::NAMES.len(), METRICS.len() - 1);
        assert!(!RunMetrics::NAMES.contains(&"new_innovations"));
    }

    #[test]
    fn a_metric_said_in_months_has_months_for_its_unit() {
        // Issue 25: "month of the first innovation" had the unit "step". A step is a month by
        // convention (MODEL.md §2), and a reader sees the label and the unit side by side.
        for m in METRICS {
            if let Some(w) = m.words.filter(|w| w.label.contains("month")) {
                assert!(
                    m.unit.contains("month") && !m.unit.contains("step"),
                    "{} is said as {:?}",
                    m.name,
                    w.label
                );
            }
        }
    }
}
