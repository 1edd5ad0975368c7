//! The search of `olika optimize`: successive halving (Karnin, Koren & Somekh 2013; Jamieson &
//! Talwalkar 2016) over the venue portfolios a budget allows, on common random numbers.
//!
//! Every portfolio within the budget runs `start` replications; the best third (by mean outcome
//! over the same replications, so that every comparison is paired) goes on with three times as
//! many, and so on, until `keep` finalists remain or the replications reach `most`; the finalists
//! then run `most` replications each. Replications go where they matter: most portfolios are told
//! apart from the best by a few runs, and only close contenders get many. Replication r of every
//! portfolio has the same seed, so a portfolio's outcome in one replication is compared with the
//! others' in the same city and luck, and a run is never repeated: what a portfolio ran in one race
//! serves every later race that needs it (the budget–outcome curve races once per budget level).
//!
//! [`search`] is the whole search over priced portfolios, with any evaluator: tested here on
//! synthetic ones, run by `olika optimize` on the scenarios of `experiment::portfolios`.

use super::stats::{summarize, Summary};
use crate::error::Result;

/// How a race spends replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Race {
    /// Replications of every portfolio in the first round.
    pub start: u32,
    /// Replications of each finalist.
    pub most: u32,
    /// Finalists.
    pub keep: usize,
}

/// Each round keeps one in `ETA` portfolios and runs the survivors `ETA` times as long: the usual
/// choice, which halves nothing but thirds the field.
const ETA: usize = 3;

/// The outcome of every portfolio in every replication it ran, in replication order: the runs a
/// search has made, kept for every race that needs them.
#[derive(Debug, Clone, Default)]
pub struct Evaluations {
    /// By portfolio, the outcome of replications 0, 1, ….
    pub values: Vec<Vec<f64>>,
}

impl Evaluations {
    /// No runs yet for `portfolios` portfolios.
    pub fn new(portfolios: usize) -> Evaluations {
        Evaluations { values: vec![Vec::new(); portfolios] }
    }

    /// Runs made so far.
    pub fn runs(&self) -> u64 {
        self.values.iter().map(|v| v.len() as u64).sum()
    }

    /// Mean outcome of portfolio p over its first r replications.
    pub fn mean(&self, p: usize, r: u32) -> f64 {
        let values = &self.values[p][..r as usize];
        values.iter().sum::<f64>() / values.len().max(1) as f64
    }
}

/// A run that a race needs: portfolio, and the replications it lacks.
pub type Request = (usize, std::ops::Range<u32>);

/// One round of a race: how many portfolios ran, to how many replications.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    /// Portfolios in the round.
    pub portfolios: usize,
    /// Replications each had at the end of it.
    pub replications: u32,
}

/// What a race found.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// The finalists, best first, each with `most` replications.
    pub finalists: Vec<usize>,
    /// The rounds, first to last.
    pub rounds: Vec<Round>,
    /// The last round each portfolio of the race reached (0 for the first), by its place in the
    /// race's list.
    pub reached: Vec<usize>,
}

/// Races `portfolios` (indices into `evaluations`), of which `cost` gives each one's cost: the
/// cheaper of two with the same mean ranks first. `run` makes the runs a round lacks and stores
/// their outcomes in `evaluations`, all of a round at once (so that they run in parallel).
pub(crate) fn race(
    portfolios: &[usize],
    cost: &dyn Fn(usize) -> f64,
    race: Race,
    evaluations: &mut Evaluations,
    run: &mut dyn FnMut(&[Request], &mut Evaluations) -> Result<()>,
) -> Result<Ranking> {
    let mut alive: Vec<usize> = portfolios.to_vec();
    let mut reached = vec![0; portfolios.len()];
    // Where each portfolio stands in the race's list: a lookup, not a scan per survivor (a race
    // may hold 100 000 portfolios).
    let place: std::collections::HashMap<usize, usize> =
        portfolios.iter().enumerate().map(|(k, &p)| (p, k)).collect();
    let mark = |alive: &[usize], round: usize, reached: &mut [usize]| {
        for p in alive {
            reached[place[p]] = round;
        }
    };
    let mut rounds = Vec::new();
    let mut r = race.start.clamp(1, race.most.max(1));
    loop {
        lack(&alive, r, evaluations, run)?;
        rounds.push(Round { portfolios: alive.len(), replications: r });
        rank(&mut alive, r, cost, evaluations);
        if alive.len() <= race.keep || r >= race.most {
            break;
        }
        alive.truncate(alive.len().div_ceil(ETA).max(race.keep));
        mark(&alive, rounds.len(), &mut reached);
        r = (r.saturating_mul(ETA as u32)).min(race.most);
    }
    alive.truncate(race.keep);
    if r < race.most {
        lack(&alive, race.most, evaluations, run)?;
        rank(&mut alive, race.most, cost, evaluations);
        rounds.push(Round { portfolios: alive.len(), replications: race.most });
        mark(&alive, rounds.len() - 1, &mut reached);
    }
    Ok(Ranking { finalists: alive, rounds, reached })
}

/// The budget levels of the budget–outcome curve, as shares of the budget.
pub(crate) const LEVELS: [f64; 4] = [0.25, 0.5, 0.75, 1.0];

/// Where a portfolio stands after a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// Replications it ran.
    pub replications: u32,
    /// Its outcome over them.
    pub outcome: Summary,
    /// Its rank among the finalists at the full budget (1: the best found).
    pub rank: Option<u32>,
    /// The last round of the full-budget race it reached (0: the first); `None` if it did not race.
    pub round: Option<u32>,
    /// For a finalist with one after it: the paired difference from the next finalist (this
    /// minus the next, on the same replications).
    pub lead: Option<Summary>,
    /// For a finalist with one after it: the share of replications in which it did better.
    pub wins: Option<f64>,
}

/// What a search found.
#[derive(Debug, Clone)]
pub struct Found {
    /// Every run it made.
    pub evaluations: Evaluations,
    /// Every portfolio, by number.
    pub standings: Vec<Standing>,
    /// Each budget level with a portfolio within it, smallest first, and the best portfolio found
    /// there.
    pub curve: Vec<(f64, usize)>,
}

/// The search of `olika optimize` over portfolios priced at `costs`: one race of those within
/// each budget level (`LEVELS` of `budget`), from the smallest, so that each race reuses what the
/// ones before it ran; `evaluate` makes the runs a race lacks (see [`race`]). How sure the search
/// is of its order comes from pairing each finalist with the next on the same replications.
pub fn search(
    costs: &[f64],
    budget: f64,
    settings: Race,
    evaluate: &mut dyn FnMut(&[Request], &mut Evaluations) -> Result<()>,
) -> Result<Found> {
    let mut evaluations = Evaluations::new(costs.len());
    let within = |limit: f64| -> Vec<usize> { (0..costs.len()).filter(|&p| costs[p] <= limit).collect() };
    let cost = |p: usize| costs[p];
    let mut rankings: Vec<(f64, Ranking)> = Vec::new();
    for share in LEVELS {
        let level = budget * share;
        let racers = within(level);
        if racers.is_empty() {
            continue;
        }
        let ranking = race(&racers, &cost, settings, &mut evaluations, evaluate)?;
        rankings.push((level, ranking));
    }
    let mut standings: Vec<Standing> = evaluations
        .values
        .iter()
        .map(|values| Standing {
            replications: values.len() as u32,
            outcome: summarize(values),
            rank: None,
            round: None,
            lead: None,
            wins: None,
        })
        .collect();
    // The last level is the full budget: the levels below it hold fewer portfolios, never more.
    if let Some((_, full)) = rankings.last() {
        stand(&mut standings, &within(budget), full, settings.most, &evaluations);
    }
    let curve = rankings.iter().map(|(level, ranking)| (*level, ranking.finalists[0])).collect();
    Ok(Found { evaluations, standings, curve })
}

/// The rounds the full-budget race's `racers` reached, and its finalists' ranks, each against
/// the next over the `most` replications every finalist ran.
fn stand(standings: &mut [Standing], racers: &[usize], full: &Ranking, most: u32, evaluations: &Evaluations) {
    for (place, &p) in racers.iter().enumerate() {
        standings[p].round = Some(full.reached[place] as u32);
    }
    for (k, &p) in full.finalists.iter().enumerate() {
        standings[p].rank = Some(k as u32 + 1);
        if let Some(&next) = full.finalists.get(k + 1) {
            let n = most as usize;
            let d: Vec<f64> =
                (0..n).map(|r| evaluations.values[p][r] - evaluations.values[next][r]).collect();
            standings[p].lead = Some(summarize(&d));
            standings[p].wins = Some(d.iter().filter(|&&x| x > 0.0).count() as f64 / n as f64);
        }
    }
}

/// Makes the runs that bring each of `portfolios` to r replications.
fn lack(
    portfolios: &[usize],
    r: u32,
    evaluations: &mut Evaluations,
    run: &mut dyn FnMut(&[Request], &mut Evaluations) -> Result<()>,
) -> Result<()> {
    let requests: Vec<Request> = portfolios
        .iter()
        .map(|&p| (p, evaluations.values[p].len() as u32..r))
        .filter(|(_, range)| !range.is_empty())
        .collect();
    if !requests.is_empty() {
        run(&requests, evaluations)?;
    }
    Ok(())
}

/// Best first by mean over the first r replications, then cheapest, then first listed.
fn rank(portfolios: &mut [usize], r: u32, cost: &dyn Fn(usize) -> f64, evaluations: &Evaluations) {
    portfolios.sort_by(|&a, &b| {
        evaluations
            .mean(b, r)
            .total_cmp(&evaluations.mean(a, r))
            .then(cost(a).total_cmp(&cost(b)))
            .then(a.cmp(&b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// Portfolios with known means and a shared noise per replication (common random numbers)
    /// plus their own noise.
    fn synthetic(means: &[f64]) -> impl FnMut(&[Request], &mut Evaluations) -> Result<()> + '_ {
        move |requests, evaluations| {
            for (p, range) in requests {
                for r in range.clone() {
                    let shared = ChaCha8Rng::seed_from_u64(u64::from(r)).random_range(-5.0..5.0);
                    let own =
                        ChaCha8Rng::seed_from_u64(1000 * *p as u64 + u64::from(r)).random_range(-1.0..1.0);
                    assert_eq!(evaluations.values[*p].len(), r as usize, "replications run in order");
                    evaluations.values[*p].push(means[*p] + shared + own);
                }
            }
            Ok(())
        }
    }

    #[test]
    fn the_race_finds_the_best_with_far_fewer_runs_than_every_portfolio_at_most() {
        // 60 portfolios, means 0..60 scattered over the list; the best is worth 2 more than the next.
        let mut means: Vec<f64> = (0..60).map(|k| ((k * 37) % 60) as f64).collect();
        let best = means.iter().position(|&m| m == 59.0).unwrap();
        means[best] = 61.0;
        let all: Vec<usize> = (0..60).collect();
        let mut evaluations = Evaluations::new(60);
        let settings = Race { start: 4, most: 40, keep: 3 };
        let ranking = race(&all, &|_| 1.0, settings, &mut evaluations, &mut synthetic(&means)).unwrap();
        assert_eq!(ranking.finalists[0], best);
        assert_eq!(ranking.finalists.len(), 3);
        assert!(ranking.finalists.iter().all(|&p| evaluations.values[p].len() == 40));
        assert!(evaluations.runs() < 60 * 40 / 4, "{} runs", evaluations.runs());
        assert_eq!(ranking.rounds[0], Round { portfolios: 60, replications: 4 });
        assert_eq!(ranking.reached[best], ranking.rounds.len() - 1);
    }

    #[test]
    fn the_search_races_each_budget_level_and_says_how_sure_it_is_of_the_order() {
        // Portfolio k is worth k and costs k: the best within each level is the dearest in it.
        let means: Vec<f64> = (0..12).map(f64::from).collect();
        let costs: Vec<f64> = (0..12).map(f64::from).collect();
        let settings = Race { start: 2, most: 18, keep: 2 };
        let found = search(&costs, 8.0, settings, &mut synthetic(&means)).unwrap();
        assert_eq!(found.curve, [(2.0, 2), (4.0, 4), (6.0, 6), (8.0, 8)]);
        let best = &found.standings[8];
        assert_eq!((best.rank, best.replications), (Some(1), 18));
        // The runner-up is worth 1 less, on the same shared noise: a lead of 1 give or take the
        // portfolios' own noise, won most of the time.
        let lead = best.lead.as_ref().unwrap();
        assert!((lead.mean.unwrap() - 1.0).abs() < 0.5, "{lead:?}");
        assert!(best.wins.unwrap() > 0.6);
        let second = &found.standings[7];
        assert_eq!((second.rank, second.lead.is_none(), second.wins), (Some(2), true, None));
        // Over the budget: never raced, no round; within it, every one has a round.
        assert!(found.standings[9..].iter().all(|s| s.round.is_none() && s.replications == 0));
        assert!(found.standings[..=8].iter().all(|s| s.round.is_some()));
        assert_eq!(
            found.evaluations.runs(),
            found.standings.iter().map(|s| u64::from(s.replications)).sum::<u64>()
        );
    }

    #[test]
    fn a_tie_goes_to_the_cheaper_portfolio_and_runs_are_never_repeated() {
        let means = [5.0, 5.0, 1.0];
        let mut evaluations = Evaluations::new(3);
        let settings = Race { start: 2, most: 6, keep: 1 };
        // The same outcomes for 0 and 1, which costs less.
        let mut run = |requests: &[Request], e: &mut Evaluations| {
            for (p, range) in requests {
                for r in range.clone() {
                    e.values[*p].push(means[*p] + f64::from(r));
                }
            }
            Ok(())
        };
        let cost = |p: usize| [30.0, 20.0, 10.0][p];
        let ranking = race(&[0, 1, 2], &cost, settings, &mut evaluations, &mut run).unwrap();
        assert_eq!(ranking.finalists, [1]);
        let before = evaluations.runs();
        assert_eq!(before, 3 * 2 + 4);
        // A second race over some of the same portfolios needs nothing it has not run.
        let again = race(&[0, 1], &cost, settings, &mut evaluations, &mut run).unwrap();
        assert_eq!(again.finalists, [1]);
        assert_eq!(evaluations.runs(), before);
    }
}
