"""olika's baseline city (scenarios/baseline.toml), written in Mesa 3 from docs/model.md alone.

A same-work peer (issue 28, item 3): the rules are those of docs/model.md sections 2-7, read as a
Mesa user would read them, without looking at olika's source. Where the description left a choice
open, the choice made here is marked GUESS in a comment (benches/README.md lists them; every one
turned out to be what olika does, and docs/model.md now says so). Changed after reading olika's
source: a direct approach that draws the approacher draws again, at most 8 draws in all (the port
redrew until it found another; docs/model.md did not say), and the follow-ups are decided before
only those that happen are shuffled (the same rule, fewer shuffles). Changed when docs/model.md
changed (issue 28): knowledge diversity is the exact mean distance over all pairs (§7), no longer a
sample of 256 pairs; and learning in an encounter goes in the tie's order, whoever began the
encounter (§6 said "first a then b"; a reviewer reading olika's source found it learns in the tie's
order, and §6 now says so). The random numbers are Mesa's own (the model's `random.Random`), so runs match
olika's in distribution, not draw for draw: where olika draws from a key of the event (§4,
Stochasticity: an encounter's luck, a follow-up's decision, a step of work) the port draws the same
chance from its one stream, in the order the port meets the events.

    python city.py --runs 100 --seed 1 > mesa.csv     # one CSV row per run, the headline metrics
    python city.py --runs 20 --seed 1 --time          # seconds per run, last column

Baseline: 30 public, 60 private, 60 civil organisations; round-table workshops every 3 months,
seminars every 6, a matchmaking day and procurement once a year, a monthly neighbourhood meeting
point; 120 steps, every step observed by a DataCollector.
"""

import argparse
import collections
import itertools
import math
import sys
import time

import mesa

SECTORS = ("public", "private", "civil")
COMPOSITIONS = ("public_public", "public_private", "public_civil", "private_private",
                "private_civil", "civil_civil")
F, Q_TRAITS = 8, 10  # features, initial traits per feature
SECTOR_DISTANCE, VARIATION = 0.5, 0.05
HOMOPHILY, LEARNING, FOLLOW_UP, EQUITY, STALE_AFTER = 1.0, 0.1, 0.05, 1.0, 36
PRIOR_WITHIN, PRIOR_ACROSS, GAIN, PARTNER, FORMAL = 0.3, 0.1, 0.2, 0.5, 0.8
WORK_GAIN, DISSOLVE, DECAY = 0.05, 0.2, 0.01
RATE, ALPHA, BETA, PROCUREMENT_FACTOR = 0.2, 2.0, 1.0, 0.3
EXTERNAL, IMITATION, SCALE_UP, SCALE_UP_REACH = 0.01, 0.04, 1.0, 10
STEPS = 120

# Trait means by sector (docs/model.md §2): need, capital, reach, openness, visibility,
# rule orientation, social weight, initiative; sd 0.1 (initiative 0.01).
TRAITS = ("need", "capital", "reach", "openness", "visibility", "rule", "social", "initiative")
MEANS = {
    "public": (0.3, 0.3, 0.8, 0.4, 0.6, 0.8, 0.9, 0.02),
    "private": (0.2, 0.8, 0.5, 0.5, 0.5, 0.4, 0.3, 0.05),
    "civil": (0.9, 0.2, 0.3, 0.7, 0.3, 0.2, 0.9, 0.05),
}
SDS = (0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.01)
CAPACITY = {"public": (1, 2), "private": (1, 1), "civil": (1, 2)}
# Populations in alphabetical order of their names (docs/model.md §5).
POPULATIONS = (("civil", 60), ("private", 60), ("public", 30))

D_STAR = ALPHA / (ALPHA + BETA)
PHI_MAX = D_STAR**ALPHA * (1 - D_STAR) ** BETA


def phi(d):
    return d**ALPHA * (1 - d) ** BETA / PHI_MAX


def beta_draw(rng, mean, sd):
    if sd == 0:
        return mean
    k = mean * (1 - mean) / (sd * sd) - 1
    return rng.betavariate(mean * k, (1 - mean) * k)


class Organisation(mesa.Agent):
    def __init__(self, model, sector, traits, capacity):
        super().__init__(model)
        self.sector = sector
        (self.need, self.capital, self.reach, self.openness, self.visibility, self.rule,
         self.social, self.initiative) = traits
        self.capacity = capacity
        self.knowledge = None
        self.ties = {}  # other organisation -> Tie
        self.partnerships = 0
        self.boost = 1.0

    def distance(self, other):
        a, b = self.knowledge, other.knowledge
        return sum(1 for i in range(F) if a[i] != b[i]) / F

    def free(self):
        return self.partnerships < self.capacity

    def learn_from(self, other):
        """Copy one trait of `other` on which they differ."""
        differing = [i for i in range(F) if self.knowledge[i] != other.knowledge[i]]
        if differing:
            i = self.random.choice(differing)
            self.knowledge[i] = other.knowledge[i]


class Tie:
    __slots__ = ("a", "b", "trust", "status", "venue", "last", "began", "last_innovation",
                 "innovations", "procurement", "rest_until", "cross")

    def __init__(self, a, b, trust, venue):
        self.a, self.b = a, b
        self.trust = trust
        self.status = None  # None: acquaintance; "informal" or "formal": a partnership
        self.venue = venue
        self.last = -1
        self.rest_until = 0  # may begin a partnership again from this step on
        self.cross = a.sector != b.sector


class Innovation:
    __slots__ = ("step", "feature", "value", "quality", "need", "capital", "market_u",
                 "scaled", "retired", "creators")

    def __init__(self, step, feature, value, quality, need, capital, market_u, creators):
        self.step, self.feature, self.value = step, feature, value
        self.quality, self.need, self.capital = quality, need, capital
        self.market_u = market_u  # U_ij for every organisation j, fixed for the run
        self.scaled = False
        self.retired = None
        self.creators = creators


class Venue:
    def __init__(self, name, kind, every, offset, capacity, mix, facilitation, cost, **kw):
        self.name, self.kind, self.every, self.offset = name, kind, every, offset
        self.capacity, self.mix, self.facilitation, self.cost = capacity, mix, facilitation, cost
        self.__dict__.update(kw)

    def meets(self, t):
        return t - 1 >= self.offset and (t - 1 - self.offset) % self.every == 0


BASELINE_VENUES = (
    dict(name="round_tables", kind="workshop", every=3, offset=0, capacity=30, mix="balanced",
         facilitation=0.3, cost=40.0, group_size=6, seating="mixed"),
    dict(name="seminars", kind="seminar", every=6, offset=1, capacity=80, mix="open",
         facilitation=0.1, cost=60.0, mingle=2, boost=1.0),
    dict(name="matchmaking_day", kind="matchmaking", every=12, offset=5, capacity=40,
         mix="balanced", facilitation=0.2, cost=80.0),
    dict(name="meeting_point", kind="neighbourhood", every=1, offset=0, capacity=40, mix="open",
         facilitation=0.0, cost=5.0, width=0, height=0),
    dict(name="procurement", kind="procurement", every=12, offset=8, capacity=4, mix="open",
         facilitation=0.0, cost=20.0),
)


class City(mesa.Model):
    def __init__(self, seed=None):
        super().__init__(seed=seed)
        rng = self.random
        self.t = 0
        # Organisations: traits then capacity, per organisation, population by population.
        for sector, count in POPULATIONS:
            lo, hi = CAPACITY[sector]
            for _ in range(count):
                traits = [beta_draw(rng, m, s) for m, s in zip(MEANS[sector], SDS)]
                Organisation(self, sector, traits, rng.randint(lo, hi))
        self.orgs = list(self.agents)
        self.by_sector = {s: [o for o in self.orgs if o.sector == s] for s in SECTORS}
        # Knowledge: a base vector, one prototype per sector, each organisation a noisy copy.
        base = [rng.randrange(Q_TRAITS) for _ in range(F)]
        prototypes = {}
        for s in SECTORS:
            proto = list(base)
            for i in range(F):
                if rng.random() < SECTOR_DISTANCE:
                    proto[i] = rng.choice([v for v in range(Q_TRAITS) if v != base[i]])
            prototypes[s] = proto
        for o in self.orgs:
            o.knowledge = list(prototypes[o.sector])
            for i in range(F):
                if rng.random() < VARIATION:
                    o.knowledge[i] = rng.randrange(Q_TRAITS)
        self.next_value = [Q_TRAITS] * F  # invented values are new: q, q + 1, ...
        self.innovation_at = {}  # (feature, value) -> Innovation
        self.innovations = []
        self.ties = {}  # frozen pair key -> Tie
        self.venues = [Venue(**v) for v in BASELINE_VENUES]
        for v in self.venues:
            if v.kind == "neighbourhood":
                residents = self.attendance(v.capacity, "open", self.orgs)
                side = v.width or math.ceil(math.sqrt(len(residents)))
                height = v.height or side
                cells = rng.sample([(x, y) for x in range(side) for y in range(height)],
                                   len(residents))
                where = dict(zip(cells, residents))
                v.residents = residents
                v.neighbours = {}
                for (x, y), o in where.items():
                    v.neighbours[o] = [where[c] for c in ((x - 1, y), (x + 1, y), (x, y - 1),
                                                          (x, y + 1)) if c in where]
        self.visibility_cdf = list(itertools.accumulate(o.visibility for o in self.orgs))
        self.counts = dict(innovations=0, social_value=0.0, economic_value=0.0,
                           partnerships_begun=0, partnerships_dissolved=0,
                           partnerships_exhausted=0, adoptions=0, mandated=0, scaled_up=0,
                           venue_cost=0.0)
        self.first_innovation_step = None
        # Every step records olika's step metrics (series.csv), so that both do the same work.
        self.counts.update(new_innovations=0, partnership_steps=0,
                           **{"innovations_" + c: 0 for c in COMPOSITIONS})
        reporters = {name: (lambda m, name=name: m.counts[name]) for name in (
            "new_innovations", "innovations", *("innovations_" + c for c in COMPOSITIONS),
            "social_value", "economic_value", "partnerships_begun", "partnerships_dissolved",
            "partnerships_exhausted", "partnership_steps", "adoptions", "mandated", "scaled_up",
            "venue_cost")}
        reporters.update(
            partnerships=lambda m: m.partnership_count(),
            informal_partnerships=lambda m: m.partnership_count("informal"),
            formal_partnerships=lambda m: m.partnership_count("formal"),
            cross_sector_share=lambda m: m.cross_sector_share(),
            partnership_distance=lambda m: m.partnership_distance(),
            ties=lambda m: len(m.ties),
            trust_within=lambda m: m.mean_trust(False),
            trust_across=lambda m: m.mean_trust(True),
            knowledge_diversity=lambda m: m.knowledge_diversity(),
            distinct_vectors=lambda m: len({tuple(o.knowledge) for o in m.orgs}),
            innovations_in_use=lambda m: m.in_use(),
        )
        self.datacollector = mesa.DataCollector(model_reporters=reporters)
        self.datacollector.collect(self)

    # --- attendance -------------------------------------------------------------------------

    def attendance(self, seats, mix, pool):
        rng = self.random
        if mix == "balanced":
            groups = [self.by_sector[s] for s in SECTORS if self.by_sector[s]]
            quota = [seats // len(groups)] * len(groups)
            for i in rng.sample(range(len(groups)), seats % len(groups)):
                quota[i] += 1
            out = []
            for g, k in zip(groups, quota):
                out += self.fill(k, g)  # GUESS: seats a sector cannot fill stay empty
            return out
        return self.fill(seats, pool)

    def fill(self, seats, pool):
        rng = self.random
        if len(pool) > 4 * seats:
            chosen, seen = [], set()
            for _ in range(50 * seats):
                if len(chosen) == seats:
                    break
                o = rng.choice(pool)
                if o in seen:  # GUESS: a drawn organisation already seated is skipped
                    continue
                if rng.random() < o.openness:
                    chosen.append(o)
                    seen.add(o)
            return chosen
        volunteers = [o for o in pool if rng.random() < o.openness]
        if len(volunteers) > seats:
            volunteers = rng.sample(volunteers, seats)
        return volunteers

    # --- encounters and partnerships --------------------------------------------------------

    def tie(self, a, b):
        return a.ties.get(b)

    def encounter(self, a, b, f, venue):
        if a is b:
            return
        d = a.distance(b)
        p = f + (1 - f) * (1 - d) ** HOMOPHILY
        if self.random.random() >= p:
            return
        tie = a.ties.get(b)
        if tie is None:
            tie = Tie(a, b, PRIOR_WITHIN if a.sector == b.sector else PRIOR_ACROSS, venue)
            a.ties[b] = tie
            b.ties[a] = tie
            self.ties[tie] = None
        tie.trust = min(1.0, tie.trust + GAIN * (1 + f) * (1 - tie.trust))
        tie.last = self.t
        # Learning in the tie's order, whoever began this encounter (docs/model.md §6, Encounter).
        if self.random.random() < LEARNING:
            tie.a.learn_from(tie.b)
        if self.random.random() < LEARNING:
            tie.b.learn_from(tie.a)
        self.try_partnership(tie, a, b)

    def try_partnership(self, tie, a, b):
        if tie.status is not None:
            if tie.status == "informal" and tie.trust >= FORMAL:
                tie.status = "formal"
            return
        if tie.trust < PARTNER or not a.free() or not b.free() or self.t < tie.rest_until:
            return
        if tie.trust >= FORMAL:
            self.begin(tie, "formal", False)
            return
        pass_a = self.random.random() < 1 - a.rule
        pass_b = self.random.random() < 1 - b.rule
        if pass_a and pass_b:
            self.begin(tie, "informal", False)

    def begin(self, tie, status, procurement):
        tie.status = status
        tie.began = self.t
        tie.last_innovation = self.t
        tie.innovations = 0
        tie.procurement = procurement
        tie.a.partnerships += 1
        tie.b.partnerships += 1
        self.counts["partnerships_begun"] += 1

    def end(self, tie, how):
        tie.status = None
        tie.a.partnerships -= 1
        tie.b.partnerships -= 1
        tie.rest_until = self.t + STALE_AFTER  # GUESS: may begin again stale_after steps later
        self.counts["partnerships_" + how] += 1

    # --- venues -----------------------------------------------------------------------------

    def meet(self, v):
        rng = self.random
        f = v.facilitation
        self.counts["venue_cost"] += v.cost
        if v.kind == "neighbourhood":
            order = list(v.residents)
            rng.shuffle(order)
            for o in order:
                if rng.random() < o.openness and v.neighbours[o]:
                    self.encounter(o, rng.choice(v.neighbours[o]), f, v.name)
            return
        if v.kind == "procurement":
            buyers = self.attendance(v.capacity, "open", self.by_sector["public"])
            suppliers = self.by_sector["private"]
            for buyer in buyers:
                if not buyer.free():
                    continue
                supplier = None
                for _ in range(50):
                    s = rng.choice(suppliers)
                    if rng.random() < s.visibility:
                        supplier = s
                        break
                # GUESS: a contract does not wait for the pair's rest to end
                if supplier is None or not supplier.free():
                    continue
                tie = buyer.ties.get(supplier)
                if tie is not None and tie.status is not None:
                    continue
                if tie is None:
                    tie = Tie(buyer, supplier, PRIOR_ACROSS, v.name)
                    buyer.ties[supplier] = tie
                    supplier.ties[buyer] = tie
                    self.ties[tie] = None
                tie.trust = max(tie.trust, PARTNER)
                tie.last = self.t  # GUESS: the contract is an interaction this step
                self.begin(tie, "formal", True)
            return
        people = self.attendance(v.capacity, v.mix, self.orgs)
        if v.kind == "workshop":
            rng.shuffle(people)
            if v.seating == "mixed":
                people.sort(key=lambda o: SECTORS.index(o.sector))
            tables = max(1, math.ceil(len(people) / v.group_size))
            for k in range(tables):
                table = people[k::tables]
                for i in range(len(table)):
                    for j in range(i + 1, len(table)):
                        self.encounter(table[i], table[j], f, v.name)
        elif v.kind == "seminar":
            for o in people:
                o.boost = max(o.boost, 1 + v.boost)
            if len(people) > 1:
                for o in people:
                    for _ in range(v.mingle):
                        other = rng.choice(people)
                        while other is o:  # GUESS: "other attendees" drawn with replacement
                            other = rng.choice(people)
                        self.encounter(o, other, f, v.name)
        elif v.kind == "matchmaking":
            pairs = [(a, b) for i, a in enumerate(people) for b in people[i + 1:]
                     if a.sector != b.sector]
            rng.shuffle(pairs)
            pairs.sort(key=lambda p: -complementarity(*p))  # GUESS: the highest C first
            taken, matched = set(), []
            for a, b in pairs:
                if a not in taken and b not in taken:
                    taken.add(a)
                    taken.add(b)
                    matched.append((a, b))
            left = [o for o in people if o not in taken]
            rng.shuffle(left)
            matched += list(zip(left[0::2], left[1::2]))
            for a, b in matched:
                self.encounter(a, b, f, v.name)

    # --- the step ---------------------------------------------------------------------------

    def step(self):
        rng = self.random
        self.t += 1
        t = self.t
        self.counts["new_innovations"] = 0
        for o in self.orgs:
            o.boost = 1.0
        # 1. Venues meet, in random order.
        venues = [v for v in self.venues if v.meets(t)]
        rng.shuffle(venues)
        for v in venues:
            self.meet(v)
        # 2. Direct approaches: who approaches whom is drawn before any encounter.
        cumulative = self.visibility_cdf
        approaches = []
        for o in self.orgs:
            if rng.random() < o.initiative:
                for _ in range(8):  # a draw of itself is drawn again, 8 draws in all
                    other = rng.choices(self.orgs, cum_weights=cumulative)[0]
                    if other is not o:
                        approaches.append((o, other))
                        break
        for a, b in approaches:
            self.encounter(a, b, 0.0, "(direct)")
        # 3. Follow-ups, in random order.
        # Whether a tie is followed up depends on nothing another follow-up changes, so it is
        # drawn first and only the ties that follow up are shuffled. docs/model.md §4: one draw
        # for the pair and the step, u < follow_up · τ, independent of every other tie and step,
        # with τ as the last step's decay left it (unchanged since, as the tie did not interact).
        # olika takes u from a hash of (step, pair) in that decay pass; the port takes it here
        # from Mesa's stream: the same chance, not the same number.
        ties = [tie for tie in self.ties if tie.status is None and tie.last != t
                and rng.random() < FOLLOW_UP * tie.trust]
        rng.shuffle(ties)
        for tie in ties:
            self.encounter(tie.a, tie.b, 0.0, tie.venue)
        # 4. Partnership work, in random order. GUESS: those begun this step work too.
        partnerships = [tie for tie in self.ties if tie.status is not None]
        rng.shuffle(partnerships)
        for tie in partnerships:
            self.work(tie)
        # 5. Diffusion and scale-up.
        self.diffuse()  # GUESS: decisions on the stage's starting knowledge, applied together
        # 6. Decay and endings.
        for tie in list(self.ties):
            if tie.status is not None:
                if tie.trust < DISSOLVE:
                    self.end(tie, "dissolved")
                elif t - tie.last_innovation >= STALE_AFTER:
                    self.end(tie, "exhausted")
                continue
            if tie.last != t:
                tie.trust = max(0.0, tie.trust - DECAY)
                if tie.trust < 0.01:
                    del self.ties[tie]
                    del tie.a.ties[tie.b]
                    del tie.b.ties[tie.a]
        # 7. Observation.
        self.datacollector.collect(self)
        self.running = t < STEPS

    def work(self, tie):
        rng = self.random
        self.counts["partnership_steps"] += 1
        a, b = tie.a, tie.b
        d = a.distance(b)
        c = complementarity(a, b)
        ph = phi(d)
        p = RATE * ph * tie.trust * c * (PROCUREMENT_FACTOR if tie.procurement else 1.0)
        if rng.random() < p:
            differing = [i for i in range(F) if a.knowledge[i] != b.knowledge[i]] or list(range(F))
            feature = rng.choice(differing)
            value = self.next_value[feature]
            self.next_value[feature] += 1
            a.knowledge[feature] = value
            b.knowledge[feature] = value
            quality = c * ph
            w = (a.social + b.social) / 2
            need, capital = max(a.need, b.need), max(a.capital, b.capital)
            self.counts["social_value"] += quality * need * w
            self.counts["economic_value"] += quality * capital * (1 - w)
            self.counts["innovations"] += 1
            self.counts["new_innovations"] += 1
            pair = sorted((a.sector, b.sector), key=SECTORS.index)
            self.counts["innovations_" + "_".join(pair)] += 1
            if self.first_innovation_step is None:
                self.first_innovation_step = self.t
            market_u = [rng.random() for _ in self.orgs]
            inn = Innovation(self.t, feature, value, quality, need, capital, market_u, (a, b))
            self.innovations.append(inn)
            self.innovation_at[(feature, value)] = inn
            tie.last_innovation = self.t
            tie.innovations += 1
        gain = WORK_GAIN * (2 * EQUITY - 1)
        tie.trust += gain * (1 - tie.trust) if gain > 0 else gain * tie.trust
        tie.trust = min(1.0, max(0.0, tie.trust))
        if tie.status == "informal" and tie.trust >= FORMAL:
            tie.status = "formal"
        if rng.random() < LEARNING:
            a.learn_from(b)
        if rng.random() < LEARNING:
            b.learn_from(a)
        tie.last = self.t

    def held(self, o):
        """The innovations organisation o holds: one per feature at most."""
        at = self.innovation_at
        return [at[(i, v)] for i, v in enumerate(o.knowledge) if v >= Q_TRAITS]

    def retire(self):
        holders = set()
        for o in self.orgs:
            for inn in self.held(o):
                holders.add(inn)
        for inn in self.innovations:
            if inn.retired is None and inn not in holders:
                inn.retired = self.t
        return holders

    def diffuse(self):
        rng = self.random
        self.retire()
        alive = [inn for inn in self.innovations if inn.retired is None]
        index = {o: j for j, o in enumerate(self.orgs)}
        channel = []  # (organisation, innovation)
        for j, o in enumerate(self.orgs):
            u = rng.random()
            pick_tie = rng.random()
            pick_inn = rng.random()
            candidate = None
            if u < EXTERNAL * o.boost:
                if alive:
                    candidate = alive[int(pick_inn * len(alive))]
                    if o.knowledge[candidate.feature] == candidate.value:
                        candidate = None
            elif u < EXTERNAL * o.boost + IMITATION:
                if o.ties:
                    others = list(o.ties)
                    k = others[int(pick_tie * len(others))]
                    options = [inn for inn in self.held(k) if o.knowledge[inn.feature] != inn.value]
                    if options:
                        candidate = options[int(pick_inn * len(options))]
            if candidate is not None and candidate.market_u[j] < candidate.quality * (
                    o.social * candidate.need + (1 - o.social) * candidate.capital):
                channel.append((o, candidate))
        # Scale-up: public channel adopters, in random order.
        adopting = {}
        for o, inn in channel:
            adopting.setdefault(inn, set()).add(o)
        public = [(o, inn) for o, inn in channel if o.sector == "public"]
        rng.shuffle(public)
        mandates = []
        for o, inn in public:
            if inn.scaled or o in inn.creators:
                continue
            if rng.random() < SCALE_UP * o.reach:
                inn.scaled = True
                self.counts["scaled_up"] += 1
                eligible = [p for p in self.by_sector["public"]
                            if p.knowledge[inn.feature] != inn.value and p not in adopting[inn]]
                chosen = eligible if len(eligible) <= SCALE_UP_REACH else rng.sample(
                    eligible, SCALE_UP_REACH)
                mandates += [(p, inn) for p in chosen]
        for o, inn in channel:
            o.knowledge[inn.feature] = inn.value
            self.counts["adoptions"] += 1
        for o, inn in mandates:
            o.knowledge[inn.feature] = inn.value
            self.counts["adoptions"] += 1
            self.counts["mandated"] += 1
        self.retire()

    # --- observation ------------------------------------------------------------------------

    def partnership_count(self, status=None):
        if status is None:
            return sum(1 for tie in self.ties if tie.status is not None)
        return sum(1 for tie in self.ties if tie.status == status)

    def cross_sector_share(self):
        ps = [tie for tie in self.ties if tie.status is not None]
        return sum(1 for tie in ps if tie.cross) / len(ps) if ps else None

    def partnership_distance(self):
        ps = [tie for tie in self.ties if tie.status is not None]
        return sum(tie.a.distance(tie.b) for tie in ps) / len(ps) if ps else None

    def mean_trust(self, cross):
        ts = [tie.trust for tie in self.ties if tie.cross == cross]
        return sum(ts) / len(ts) if ts else None  # GUESS: partnerships' ties included

    def knowledge_diversity(self):
        """The mean distance d over all pairs of two different organisations (docs/model.md §7):
        1 − Σ_f Σ_v c_fv (c_fv − 1) / (F n (n − 1)), c_fv the organisations holding v on f."""
        n = len(self.orgs)
        if n < 2:
            return None  # a mean over nothing is empty
        agreeing = sum(c * (c - 1) for f in range(F)
                       for c in collections.Counter(o.knowledge[f] for o in self.orgs).values())
        return 1 - agreeing / (F * n * (n - 1))

    def in_use(self):
        return sum(1 for inn in self.innovations if inn.retired is None)

    def headline(self):
        row = {k: v[-1] for k, v in self.datacollector.model_vars.items()}
        row["first_innovation_step"] = self.first_innovation_step
        row["partnerships_dissolved"] = self.counts["partnerships_dissolved"]
        return row


def complementarity(a, b):
    return (max(a.need, b.need) * max(a.capital, b.capital) * max(a.reach, b.reach)) ** (1 / 3)


COLUMNS = ("innovations", "social_value", "economic_value", "partnerships", "cross_sector_share",
           "partnerships_begun", "partnerships_dissolved", "partnerships_exhausted", "ties",
           "trust_within", "trust_across", "knowledge_diversity", "adoptions", "mandated",
           "scaled_up", "innovations_in_use", "first_innovation_step", "venue_cost")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--time", action="store_true", help="print seconds per run as the last column")
    args = p.parse_args()
    out = sys.stdout
    out.write(",".join(("replication",) + COLUMNS + (("seconds",) if args.time else ())) + "\n")
    for r in range(args.runs):
        start = time.perf_counter()
        model = City(seed=args.seed * 100_003 + r)
        while model.running:
            model.step()
        seconds = time.perf_counter() - start
        row = model.headline()
        cells = [str(r)] + ["" if row[c] is None else repr(row[c]) for c in COLUMNS]
        if args.time:
            cells.append(f"{seconds:.6f}")
        out.write(",".join(cells) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
