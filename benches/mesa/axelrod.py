"""Axelrod (1997), "The dissemination of culture", written as a Mesa 3 user would write it.

The same model as olika's classic (scenarios/classics/axelrod.toml): F features with q traits on a
W x H lattice without wrap-around, one agent per cell; a step is N events, each a random agent and
a random von Neumann neighbour who interact with probability equal to their similarity, after which
the agent copies one trait on which they differ; the run stops after the first step at which no
pair of neighbours has a similarity strictly between 0 and 1. `regions` counts connected groups of
neighbours with identical cultures.

    python axelrod.py --features 5 --traits 10 --runs 20 --seed 1
prints one line per run: regions, steps, seconds.
"""

import argparse
import time

import mesa
from mesa.space import SingleGrid


class Villager(mesa.Agent):
    """An agent with a culture: a list of F traits."""

    def __init__(self, model, culture):
        super().__init__(model)
        self.culture = culture

    def similarity(self, other):
        same = sum(1 for x, y in zip(self.culture, other.culture) if x == y)
        return same / len(self.culture)

    def step(self):
        if not self.neighbours:
            return
        other = self.random.choice(self.neighbours)
        s = self.similarity(other)
        if 0 < s < 1 and self.random.random() < s:
            differing = [i for i, (x, y) in enumerate(zip(self.culture, other.culture)) if x != y]
            i = self.random.choice(differing)
            self.culture[i] = other.culture[i]


class Axelrod(mesa.Model):
    def __init__(self, width=10, height=10, features=5, traits=10, seed=None):
        super().__init__(seed=seed)
        self.grid = SingleGrid(width, height, torus=False)
        for _, pos in self.grid.coord_iter():
            culture = [self.random.randrange(traits) for _ in range(features)]
            self.grid.place_agent(Villager(self, culture), pos)
        # Nobody moves: each agent's neighbours, and the pairs the stopping rule checks, are
        # looked up once (as a competent Mesa user would, rather than asking the grid per event).
        for agent in self.agents:
            agent.neighbours = self.grid.get_neighbors(agent.pos, moore=False, include_center=False)
        self.neighbour_pairs = [
            (a, b) for a in self.agents for b in a.neighbours if a.unique_id < b.unique_id
        ]
        self.steps_run = 0
        self.running = True

    def step(self):
        agents = list(self.agents)
        for _ in range(len(agents)):
            self.random.choice(agents).step()
        self.steps_run += 1
        self.running = not self.stable()

    def stable(self):
        return all(a.similarity(b) in (0.0, 1.0) for a, b in self.neighbour_pairs)

    def regions(self):
        seen, count = set(), 0
        for agent in self.agents:
            if agent.unique_id in seen:
                continue
            count += 1
            stack = [agent]
            seen.add(agent.unique_id)
            while stack:
                a = stack.pop()
                for b in a.neighbours:
                    if b.unique_id not in seen and b.culture == a.culture:
                        seen.add(b.unique_id)
                        stack.append(b)
        return count


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--features", type=int, default=5)
    p.add_argument("--traits", type=int, default=10)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    for r in range(args.runs):
        start = time.perf_counter()
        model = Axelrod(features=args.features, traits=args.traits, seed=args.seed * 100_003 + r)
        while model.running:
            model.step()
        seconds = time.perf_counter() - start
        print(f"{model.regions()} {model.steps_run} {seconds:.6f}", flush=True)


if __name__ == "__main__":
    main()
