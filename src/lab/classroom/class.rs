//! The class: its join code, its students and the organisations they play, their choices for the
//! coming month, and what each student and the teacher are shown. A state machine with no IO: the
//! server (`super`) hands it requests and the runner its world after every frame, and it never
//! touches the world itself — it reads the copy it was last given, so a student's request never
//! waits for a step.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::model::steering::{Choice, Going, Log, Steering};
use crate::model::{Sector, Status, World};

/// A refusal: the HTTP status and what to do.
pub(crate) type Refused = (u16, String);

/// The longest first name, in characters.
const MOST_NAME_CHARS: usize = 24;

/// The most acquaintances a student's page lists: those with the most trust.
const MOST_PEOPLE: usize = 24;

/// The most organisations a student may decline in a month.
const MOST_DECLINED: usize = 64;

/// How the organisations are given out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Picking {
    /// In turn, public, private, civil, …: the teacher's mix of one of each in turn.
    Even,
    /// Only this sector (the teacher's mix of one sector).
    Only(Sector),
    /// Each student picks a sector when joining.
    Students,
}

impl Picking {
    fn name(self) -> String {
        match self {
            Picking::Even => "even".into(),
            Picking::Only(s) => s.name().into(),
            Picking::Students => "students".into(),
        }
    }

    pub(crate) fn parse(word: &str) -> Option<Picking> {
        match word {
            "even" => Some(Picking::Even),
            "students" => Some(Picking::Students),
            _ => Sector::parse(word).map(Picking::Only),
        }
    }
}

/// A student: a first name (as typed, or made unique: "Anna 2"), the organisation played, the
/// token their page sends with every request, and the month of their last request.
struct Student {
    name: String,
    organisation: u32,
    token: String,
    seen: u32,
}

/// Months without a request after which a student is away: Run stops waiting for their choice.
pub(crate) const AWAY_MONTHS: u32 = 2;

/// A student's choices for a month, as the page sends them: a venue's name or "none" (absent: the
/// model's default), an organisation to approach, whether to accept.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Chosen {
    /// The month chosen for: the next step.
    pub month: u32,
    /// A venue's name, or "none"; absent: the model chooses.
    #[serde(default)]
    pub venue: Option<String>,
    /// The organisation to approach there.
    #[serde(default)]
    pub approach: Option<u32>,
    /// The acquaintances whose proposal of a partnership to decline this month; any other
    /// proposal goes as the model has it.
    #[serde(default)]
    pub declined: Vec<u32>,
    /// The organisation the choice is for: if given, it must be the student's own.
    #[serde(default)]
    pub organisation: Option<u32>,
}

/// The class.
pub(crate) struct Class {
    /// The join code every student request carries: six digits.
    pub(crate) code: String,
    /// The teacher's key: the teacher's page holds it as a cookie.
    pub(crate) teacher_key: String,
    students: Vec<Student>,
    /// Students removed by the teacher, as (organisation, name), for the lesson (at most
    /// `most_students`, the earliest forgotten).
    gone: Vec<(u32, String)>,
    /// The choices applied month by month since the world began: the lesson's steering log.
    log: Log,
    pub(crate) picking: Picking,
    /// Each steered organisation's choices and the month they are for.
    choices: BTreeMap<u32, (u32, Choice)>,
    /// Seconds students have to choose each month while the world runs.
    pub(crate) round_seconds: u32,
    /// When the month now began (the world's last step, or the teacher's Run).
    round_started: Instant,
    /// Whether the world ran at the last refresh.
    running: bool,
    /// The world as of the runner's last frame.
    world: Arc<World>,
    pub(crate) most_students: usize,
    rng: StdRng,
}

/// A generator seeded from the system's random source, through the keys std draws for each
/// `RandomState` (the getrandom call of Linux, its like elsewhere): 128 secret bits that no
/// client sees, without a dependency that the WebAssembly build of the library could not build.
fn system_rng() -> StdRng {
    use std::hash::{BuildHasher, Hasher};
    let keys = std::collections::hash_map::RandomState::new();
    let mut seed = [0u8; 32];
    for (k, chunk) in seed.chunks_mut(8).enumerate() {
        let mut h = keys.build_hasher();
        h.write_usize(k);
        chunk.copy_from_slice(&h.finish().to_le_bytes());
    }
    StdRng::from_seed(seed)
}

/// A random lower-case hexadecimal text of 128 bits.
fn secret(rng: &mut StdRng) -> String {
    format!("{:016x}{:016x}", rng.random::<u64>(), rng.random::<u64>())
}

impl Class {
    /// A class on this world, with a fresh join code and teacher's key from the system's random
    /// source, taking at most `most_students` students.
    pub(crate) fn new(world: &World, most_students: usize) -> Class {
        let mut rng = system_rng();
        Class {
            code: format!("{:06}", rng.random_range(0..1_000_000u32)),
            teacher_key: secret(&mut rng),
            students: Vec::new(),
            gone: Vec::new(),
            log: Log::default(),
            picking: Picking::Even,
            choices: BTreeMap::new(),
            round_seconds: 30,
            round_started: Instant::now(),
            running: false,
            world: Arc::new(world.clone()),
            most_students,
            rng,
        }
    }

    /// The world the class sees now.
    pub(crate) fn world(&self) -> &World {
        &self.world
    }

    /// Takes the world after a step or a command. A new month restarts the round's clock; a new
    /// world (`new_world`, or an earlier step) drops the choices and the lesson's log, and gives
    /// students whose organisation it lacks another.
    pub(crate) fn refresh(&mut self, world: &World, running: bool, new_world: bool) {
        // The month's clock starts again when the world starts running: a class that talked
        // while it was paused still has its seconds to choose.
        if running && !self.running {
            self.round_started = Instant::now();
        }
        self.running = running;
        let (before, now) = (self.world.t(), world.t());
        if !new_world && now == before && world.agents().len() == self.world.agents().len() && now > 0 {
            // Same month: only the clock of a paused world; nothing to copy.
            return;
        }
        self.world = Arc::new(world.clone());
        if now != before {
            self.round_started = Instant::now();
        }
        if new_world || now < before {
            self.choices.clear();
            self.log.clear();
            for s in &mut self.students {
                s.seen = now;
            }
        }
        let n = world.agents().len() as u32;
        for k in 0..self.students.len() {
            if self.students[k].organisation >= n {
                if let Some(a) = self.free_organisation(Sector::ALL[k % 3]) {
                    self.students[k].organisation = a;
                }
            }
        }
    }

    /// An organisation of `sector` no student plays (else of any sector): the first of a random
    /// order, so that the class is spread over the city.
    fn free_organisation(&mut self, sector: Sector) -> Option<u32> {
        let taken: Vec<u32> = self.students.iter().map(|s| s.organisation).collect();
        let agents = &self.world.agents().sector;
        let free: Vec<u32> = (0..agents.len() as u32).filter(|a| !taken.contains(a)).collect();
        let of_sector: Vec<u32> = free.iter().copied().filter(|&a| agents[a as usize] == sector).collect();
        let from = if of_sector.is_empty() { free } else { of_sector };
        (!from.is_empty()).then(|| from[self.rng.random_range(0..from.len())])
    }

    /// A student joins: their token and organisation, or why not.
    pub(crate) fn join(
        &mut self,
        name: &str,
        sector: Option<&str>,
    ) -> Result<(String, u32, String), Refused> {
        let name = name.trim();
        // Control characters, and the marks that turn text's direction (which would let a name
        // show as other text on the projector and in the report), are no part of a first name.
        let bidi = |c: char| matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if name.is_empty()
            || name.chars().count() > MOST_NAME_CHARS
            || name.chars().any(|c| c.is_control() || bidi(c))
        {
            return Err((400, format!("type a first name of 1 to {MOST_NAME_CHARS} letters")));
        }
        if self.students.len() >= self.most_students {
            return Err((503, format!("the class is full: {} students have joined", self.most_students)));
        }
        let name = self.unique(name);
        let sector = match (self.picking, sector) {
            (Picking::Students, Some(word)) => Sector::parse(word)
                .ok_or_else(|| (400, "choose a sector: public, private or civil".to_string()))?,
            (Picking::Students, None) => {
                return Err((400, "choose a sector: public, private or civil".into()))
            }
            (Picking::Only(s), _) => s,
            (Picking::Even, _) => Sector::ALL[self.students.len() % 3],
        };
        let organisation = self
            .free_organisation(sector)
            .ok_or_else(|| (503, "every organisation of the city is played already".to_string()))?;
        let token = secret(&mut self.rng);
        let seen = self.world.t();
        self.students.push(Student { name: name.clone(), organisation, token: token.clone(), seen });
        Ok((token, organisation, name))
    }

    /// A first name no student of the class has (letter case aside): the name itself, or with
    /// the first number that makes it so ("Anna 2"). Two Annas in a class are common; asking one
    /// to type a surname would put it on the projector, so the class numbers them instead.
    fn unique(&self, name: &str) -> String {
        let taken = |n: &str| self.students.iter().any(|s| s.name.to_lowercase() == n.to_lowercase());
        let mut unique = name.to_string();
        let mut k = 2;
        while taken(&unique) {
            unique = format!("{name} {k}");
            k += 1;
        }
        unique
    }

    /// The student holding this token.
    fn student(&self, token: &str) -> Option<&Student> {
        self.students.iter().find(|s| s.token == token)
    }

    /// Whether a token is a student's; a student's request counts as seen this month (a student
    /// who was away is back).
    pub(crate) fn knows(&mut self, token: &str) -> bool {
        let t = self.world.t();
        match self.students.iter_mut().find(|s| s.token == token) {
            Some(s) => {
                s.seen = t;
                true
            }
            None => false,
        }
    }

    /// Whether a student is away: no request from them for `AWAY_MONTHS` months.
    fn away(&self, s: &Student) -> bool {
        self.world.t() >= s.seen + AWAY_MONTHS
    }

    /// The teacher removes the student playing organisation a: it goes back to the model, their
    /// choices are dropped and their token stops working. Their name, if they played, stays with
    /// the lesson. Returns the name.
    pub(crate) fn remove(&mut self, a: u32) -> Option<String> {
        let k = self.students.iter().position(|s| s.organisation == a)?;
        let student = self.students.remove(k);
        self.choices.remove(&a);
        if self.world.t() > 0 {
            if self.gone.len() >= self.most_students {
                self.gone.remove(0);
            }
            self.gone.push((a, student.name.clone()));
        }
        Some(student.name)
    }

    /// A student's choices for the coming month, checked against the world now: only for their
    /// own organisation, only for the next month, only a venue that meets then and admits them.
    pub(crate) fn choose(&mut self, token: &str, chosen: &Chosen) -> Result<String, Refused> {
        let student = self.student(token).ok_or((403, "join the class first".to_string()))?;
        let a = student.organisation;
        if chosen.organisation.is_some_and(|o| o != a) {
            return Err((403, format!("you play organisation {a}: you can choose for it alone")));
        }
        let month = self.world.t() + 1;
        if self.world.finished() {
            let t = self.world.t();
            return Err((
                409,
                format!("the lesson's city has finished at month {t}: there is nothing more to choose"),
            ));
        }
        if chosen.month != month {
            return Err((409, format!("month {} is not open: choose for month {month}", chosen.month)));
        }
        let venue = match chosen.venue.as_deref() {
            None => None,
            Some("none") => Some(Going::Nowhere),
            Some(name) => {
                let v = self
                    .world
                    .venues()
                    .iter()
                    .position(|v| v.name == name)
                    .filter(|&v| self.world.may_attend(a, v, month))
                    .ok_or_else(|| {
                        (400, format!("\"{name}\" is not a venue you can go to in month {month}"))
                    })?;
                Some(Going::To(v))
            }
        };
        if let Some(Going::To(v)) = venue {
            // First come, first seated: a choice taken is a seat kept (`Steering::seat`).
            let taken = self
                .choices
                .iter()
                .filter(|(&b, (m, c))| b != a && *m == month && c.venue == Some(Going::To(v)))
                .count();
            let seats = self.world.venues()[v].spec.capacity;
            if taken >= seats {
                let name = &self.world.venues()[v].name;
                return Err((
                    409,
                    format!("{name} is full in month {month}: its {seats} seats are chosen; choose another"),
                ));
            }
        }
        let n = self.world.agents().len() as u32;
        if chosen.approach.is_some_and(|b| b >= n || b == a) {
            return Err((400, format!("approach another organisation, from 0 to {}", n - 1)));
        }
        // The page offers the acquaintances (most proposals come from them: a follow-up or a
        // meeting turns that tie into a partnership), but anyone met may propose: any other
        // organisation may be declined, a bounded number of them.
        if chosen.declined.len() > MOST_DECLINED || chosen.declined.iter().any(|&b| b >= n || b == a) {
            return Err((
                400,
                format!("decline at most {MOST_DECLINED} other organisations, from 0 to {}", n - 1),
            ));
        }
        let mut choice = Choice { venue, approach: chosen.approach, declined: Vec::new() };
        choice.decline(chosen.declined.iter().copied());
        self.choices.insert(a, (month, choice));
        Ok(format!("your choices for month {month} are in"))
    }

    /// Whether the month may be played: every student has chosen for it, or its time is up.
    pub(crate) fn due(&self, now: Instant) -> bool {
        let month = self.world.t() + 1;
        let all = self
            .students
            .iter()
            .filter(|s| !self.away(s))
            .all(|s| self.choices.get(&s.organisation).is_some_and(|c| c.0 == month));
        all || now.duration_since(self.round_started) >= Duration::from_secs(self.round_seconds.into())
    }

    /// The steering of month `month`: the students' choices for it, which are then forgotten,
    /// and the model's default for every student who did not choose (which changes nothing, but
    /// notes their proposals for their page: `World::steered`).
    pub(crate) fn steering(&mut self, month: u32) -> Steering {
        let mut steering = Steering::default();
        for s in &self.students {
            steering.choose(s.organisation, Choice::default());
        }
        for (&a, (m, choice)) in &self.choices {
            if *m == month {
                steering.choose(a, choice.clone());
            }
        }
        self.choices.retain(|_, (m, _)| *m > month);
        steering
    }

    /// Month `month` was played with `steering`: the lesson's log keeps it.
    pub(crate) fn played(&mut self, month: u32, steering: &Steering) {
        self.log.cut_after(month - 1);
        self.log.keep(month, steering);
    }

    /// The lesson so far: the world's scenario and seed, the choices applied, and every student
    /// who played (those removed too).
    pub(crate) fn lesson(&self) -> Result<crate::output::lesson::Lesson, String> {
        let mut names: Vec<(u32, String)> = self.gone.clone();
        names.extend(self.students.iter().map(|s| (s.organisation, s.name.clone())));
        names.sort();
        crate::output::lesson::Lesson::of(&self.world, &self.log, &names)
    }

    /// Seconds left to choose this month while the world runs; none while it is paused, when
    /// months come only as the teacher steps (a clock that ran down then would tell a class it
    /// had no time left when it has all it needs).
    fn seconds_left(&self) -> Option<u64> {
        let elapsed = self.round_started.elapsed().as_secs();
        self.running.then(|| u64::from(self.round_seconds).saturating_sub(elapsed))
    }

    /// The name of the student playing organisation a.
    fn player(&self, a: u32) -> Option<&str> {
        self.students.iter().find(|s| s.organisation == a).map(|s| s.name.as_str())
    }

    /// An organisation as a page shows it: its number, sector, traits and player's name.
    fn organisation(&self, a: u32) -> Value {
        let w = &self.world;
        json!({
            "id": a,
            "sector": w.agents().sector[a as usize].name(),
            "traits": w.knowledge().of(a),
            "name": self.player(a),
        })
    }

    /// What a student's page shows: their organisation, its acquaintances and partners with
    /// trust, the venues of the coming month, their classmates, their partnerships' innovations
    /// (with whose differences made them) and what they chose.
    pub(crate) fn view(&self, token: &str) -> Option<Value> {
        let student = self.student(token)?;
        let (w, a) = (&*self.world, student.organisation);
        let (t, month) = (w.t(), w.t() + 1);
        let mut people: Vec<(f64, Value)> = w
            .ties()
            .of(a)
            .iter()
            .map(|&(b, id)| {
                let tie = w.ties().get(id);
                let mut o = self.organisation(b);
                o["trust"] = json!((w.ties().trust(tie) * 100.0).round() / 100.0);
                o["partner"] = json!(tie.is_partnership());
                o["differ"] = json!(w.knowledge().distance(a, b));
                o["acquaintance"] = json!(tie.status() == Status::Acquaintance);
                (w.ties().trust(tie), o)
            })
            .collect();
        people.sort_by(|x, y| y.0.total_cmp(&x.0));
        people.truncate(MOST_PEOPLE);
        let venues: Vec<Value> = w
            .venues()
            .iter()
            .enumerate()
            .filter(|(v, _)| w.may_attend(a, *v, month))
            .map(|(_, venue)| json!({"name": venue.name, "noun": venue.spec.kind.noun}))
            .collect();
        let was_at: Vec<&str> =
            w.venues().iter().filter(|v| v.present(t).contains(&a)).map(|v| v.name.as_str()).collect();
        let innovations: Vec<Value> = w
            .innovations()
            .iter()
            .filter(|i| i.composition.is_some() && i.creators.contains(&a))
            .map(|i| {
                let b = if i.creators[0] == a { i.creators[1] } else { i.creators[0] };
                json!({
                    "month": i.step,
                    "partner": self.organisation(b),
                    "feature": i.feature,
                    "differed": (i.novelty * w.knowledge().features as f64).round(),
                    "features": w.knowledge().features,
                })
            })
            .collect();
        let classmates: Vec<Value> = self
            .students
            .iter()
            .filter(|s| s.organisation != a)
            .map(|s| json!({"id": s.organisation, "name": s.name, "sector": w.agents().sector[s.organisation as usize].name()}))
            .collect();
        let chosen = self.choices.get(&a).filter(|c| c.0 == month).map(|(_, c)| {
            json!({
                "venue": c.venue.map(|g| match g {
                    Going::To(v) => w.venues()[v].name.clone(),
                    Going::Nowhere => "none".into(),
                }),
                "approach": c.approach,
                "declined": c.declined,
            })
        });
        let last = self.last_month(a);
        let mut me = self.organisation(a);
        me["name"] = json!(student.name);
        me["partners"] = json!(w.agents().partners[a as usize]);
        me["most_partners"] = json!(w.agents().max_partners[a as usize]);
        Some(json!({
            "me": me,
            "q": w.scenario().traits,
            "month": t,
            "steps": w.scenario().steps,
            "finished": w.finished(),
            "seconds_left": self.seconds_left(),
            "venues": venues,
            "was_at": was_at,
            "people": people.into_iter().map(|p| p.1).collect::<Vec<_>>(),
            "classmates": classmates,
            "innovations": innovations,
            "chosen": chosen,
            "last": last,
        }))
    }

    /// What became of organisation a's last month (the step the world just took): whether the
    /// approach it chose took place, and the proposals of a partnership it had — begun, declined
    /// by it or by the other, or held back by the model's rules (the permission check). None
    /// before the first month, or when the world was not steered then.
    fn last_month(&self, a: u32) -> Option<Value> {
        let w = &*self.world;
        let t = w.t();
        let steered = w.steered()?;
        let choice = steered.of(a)?;
        let at = |b: u32| w.venues().iter().position(|v| v.present(t).contains(&b));
        let approach = choice.approach.map(|b| {
            let met = steered.met().iter().find(|m| m.0 == a && m.1 == b);
            let (said, happened) = match (met, at(a), at(b)) {
                (Some(&(_, _, v)), _, _) => (format!("at {}", w.venues()[v].name), true),
                (None, None, _) => ("you went to no meeting".to_string(), false),
                (None, Some(_), None) => ("they did not come".to_string(), false),
                (None, Some(_), Some(_)) => ("you were not at the same meeting".to_string(), false),
            };
            json!({"whom": self.organisation(b), "met": happened, "said": said})
        });
        let began = |b: u32| {
            w.partnerships()
                .iter()
                .any(|p| p.start == t && !p.procurement && ((p.a == a && p.b == b) || (p.a == b && p.b == a)))
        };
        let proposals: Vec<Value> = steered
            .proposals()
            .iter()
            .filter(|p| p.a == a || p.b == a)
            .map(|p| {
                let b = if p.a == a { p.b } else { p.a };
                // A declined proposal did not begin (a public buyer's contract with the same
                // organisation may have: that is no proposal).
                let outcome = if choice.declines(b) {
                    "you declined"
                } else if p.declined {
                    "they declined"
                } else if began(b) {
                    "began"
                } else {
                    "held back by the rules of one of you"
                };
                json!({"with": self.organisation(b), "outcome": outcome})
            })
            .collect();
        Some(json!({"month": t, "approach": approach, "proposals": proposals}))
    }

    /// What the teacher's page shows: the class, the clock, the city's partnerships (each with
    /// how different its partners were when it began) and the reveal.
    pub(crate) fn teacher(&self, places: &[[f32; 2]]) -> Value {
        let w = &*self.world;
        let month = w.t() + 1;
        let students: Vec<Value> = self
            .students
            .iter()
            .map(|s| {
                let a = s.organisation;
                json!({
                    "name": s.name,
                    "id": a,
                    "sector": w.agents().sector[a as usize].name(),
                    "chosen": self.choices.get(&a).is_some_and(|c| c.0 == month),
                    "away": self.away(s),
                    "partners": w.agents().partners[a as usize],
                    "innovations": w.innovations().iter().filter(|i| i.composition.is_some() && i.creators.contains(&a)).count(),
                })
            })
            .collect();
        let running: Vec<Value> = w
            .partnerships()
            .iter()
            .filter(|p| p.ending == crate::model::Ending::Running)
            .map(|p| json!([p.a, p.b, p.start_distance, p.innovations]))
            .collect();
        json!({
            "code": self.code,
            "month": w.t(),
            "months_logged": self.log.steps().count(),
            "steps": w.scenario().steps,
            "finished": w.finished(),
            "seconds_left": self.seconds_left(),
            "round_seconds": self.round_seconds,
            "picking": self.picking.name(),
            "most_students": self.most_students,
            "students": students,
            "places": places,
            "sectors": w.agents().sector.iter().map(|s| s.index()).collect::<Vec<_>>(),
            "partnerships": running,
            "reveal": self.reveal(),
        })
    }

    /// The reveal: innovations per partnership-month of the partnerships across sectors and within
    /// one, over every partnership of the run so far, and what that says in this run — honestly,
    /// including that it may say nothing yet.
    pub(crate) fn reveal(&self) -> Value {
        let w = &*self.world;
        let sector = |a: u32| w.agents().sector[a as usize];
        // [partnerships, partnership-months, innovations], across then within.
        let mut tally = [[0u64; 3]; 2];
        for p in w.partnerships() {
            let k = usize::from(sector(p.a) == sector(p.b));
            tally[k][0] += 1;
            tally[k][1] += u64::from(p.end.saturating_sub(p.start)).max(1);
            tally[k][2] += u64::from(p.innovations);
        }
        let rate = |k: usize| tally[k][2] as f64 / tally[k][1].max(1) as f64;
        let (across, within) = (rate(0), rate(1));
        let innovations = tally[0][2] + tally[1][2];
        let said = if tally[0][0] < 3 || tally[1][0] < 3 || innovations < 5 {
            "Too few partnerships or innovations yet to compare: play on.".to_string()
        } else if across > 1.1 * within {
            format!("In this run, partnerships across sectors innovated more: {:.1} against {:.1} innovations per 10 partnership-months.", 10.0 * across, 10.0 * within)
        } else if within > 1.1 * across {
            format!("In this run they did not: partnerships within a sector innovated more, {:.1} against {:.1} innovations per 10 partnership-months across sectors.", 10.0 * within, 10.0 * across)
        } else {
            format!("In this run, partnerships across and within sectors innovated about as often: {:.1} and {:.1} innovations per 10 partnership-months.", 10.0 * across, 10.0 * within)
        };
        json!({
            "across": tally[0],
            "within": tally[1],
            "said": said,
            "caveat": "One class, one run: a story to discuss, not a proof. `olika compare` runs many.",
        })
    }

    /// Students who joined.
    pub(crate) fn students(&self) -> usize {
        self.students.len()
    }

    /// Choices waiting for their month.
    pub(crate) fn waiting(&self) -> usize {
        self.choices.len()
    }
}
