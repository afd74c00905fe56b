"""Multi-objective search with pymoo's NSGA-II: total cost against the lowest P(met) of the forecast targets.

Each generation is asked from pymoo, evaluated in one batched pass (:class:`Evaluator`) and told
back. Objectives: the portfolio's extra cost (亿元, minimised) and the lowest P(met) over the
targets whose value varies across futures (maximised; the same P(met) as ``targets.csv``).
Targets whose value no uncertainty moves (``kind`` = assumption) are constraints: a portfolio
must meet them. Every evaluated portfolio is kept in an archive; the front is the non-dominated
feasible set of the whole archive.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import progress
from .evaluate import Evaluation, Evaluator
from .space import Space


@dataclass
class Archive:
    """Every distinct portfolio evaluated, in the order first evaluated (N of them, L levers, T targets).

    Attributes
    ----------
    levels, starts : numpy.ndarray
        (N, L) lever values and start years.
    lever_costs : numpy.ndarray
        (N, L) extra spending per lever, 亿元.
    p : numpy.ndarray
        (N, T) P(met) per target.
    fixed : numpy.ndarray
        (N, T) True for a target set by assumption (no probability).
    median : numpy.ndarray
        (N, T) median of each target's quantity.
    generation : numpy.ndarray
        (N,) the generation that first evaluated it (0: the initial population).
    """

    levels: np.ndarray
    starts: np.ndarray
    lever_costs: np.ndarray
    p: np.ndarray
    fixed: np.ndarray
    median: np.ndarray
    generation: np.ndarray

    @property
    def cost(self) -> np.ndarray:
        """(N,) total extra cost, 亿元."""
        return self.lever_costs.sum(axis=1)

    @property
    def met_assumed(self) -> np.ndarray:
        """(N, T) True where a target set by assumption is met (its single value meets the goal)."""
        return self.fixed & (self.p >= 0.5)

    @property
    def feasible(self) -> np.ndarray:
        """(N,) every target set by assumption is met."""
        return ~(self.fixed & (self.p < 0.5)).any(axis=1)

    @property
    def min_p(self) -> np.ndarray:
        """(N,) the lowest P(met) over the forecast targets (1 when every target is set by assumption)."""
        return np.where(self.fixed, 1.0, self.p).min(axis=1) if self.p.shape[1] else np.ones(len(self.p))


def run_search(space: Space, evaluator: Evaluator, targets, population: int, generations: int, seed: int,
               on_generation=None) -> Archive:
    """NSGA-II over the space for ``generations`` generations of ``population`` candidates.

    Parameters
    ----------
    space : Space
    evaluator : Evaluator
    targets : list of Target
    population : int
        Candidates a generation (pymoo's pop_size and offspring).
    generations : int
        Generations after the initial population.
    seed : int
        pymoo's seed: with the evaluator's fixed futures, the same seed gives the same archive.
    on_generation : callable, optional
        Called with (generation, archive) after each generation (progress).

    Returns
    -------
    Archive
    """
    from pymoo.algorithms.moo.nsga2 import NSGA2
    from pymoo.core.evaluator import Evaluator as PymooEvaluator
    from pymoo.core.problem import Problem
    from pymoo.problems.static import StaticProblem

    xl, xu = space.bounds()
    T = len(targets)
    problem = Problem(n_var=space.n_var, n_obj=2, n_ieq_constr=max(T, 1), xl=xl, xu=xu)
    algorithm = NSGA2(pop_size=population, sampling=initial_population(space, population, seed),
                      eliminate_duplicates=True)
    algorithm.setup(problem, termination=("n_gen", generations + 1), seed=seed, verbose=False)
    seen: dict = {}
    store = {"levels": [], "starts": [], "lever_costs": [], "p": [], "fixed": [], "median": [], "generation": []}
    n = evaluator.futures.n
    for gen in progress.track(range(generations + 1), f"generations of {population} candidates x {n:,} futures"):
        if not algorithm.has_next():
            break
        pop = algorithm.ask()
        levels, starts = space.decode(pop.get("X"))
        keys = [(tuple(a), tuple(b)) for a, b in zip(levels.tolist(), starts.tolist(), strict=True)]
        new = list(dict.fromkeys(k for k in keys if k not in seen))
        if new:  # one batched pass over the generation's distinct new portfolios
            lv = np.array([k[0] for k in new], float)
            st = np.array([k[1] for k in new], int)
            ev: Evaluation = evaluator.evaluate(space.paths(lv, st))
            costs = space.lever_costs(lv, st)
            for i, key in enumerate(new):
                seen[key] = len(store["p"])
                for name, value in (("levels", lv[i]), ("starts", st[i]), ("lever_costs", costs[i]),
                                    ("p", ev.met[i] / n), ("fixed", ev.fixed[i]), ("median", ev.median[i]),
                                    ("generation", gen)):
                    store[name].append(value)
        idx = np.array([seen[k] for k in keys])
        archive = _archive(store, T, len(space.levers))
        F = np.column_stack([archive.cost[idx], -archive.min_p[idx]])
        G = _constraints(archive, idx, targets, T)
        PymooEvaluator().eval(StaticProblem(problem, F=F, G=G), pop)
        algorithm.tell(infills=pop)
        if on_generation is not None:
            on_generation(gen, archive)
    return _archive(store, T, len(space.levers))


def initial_population(space: Space, population: int, seed: int) -> np.ndarray:
    """(population, 2L) first candidates: the base scenario itself, then sparse portfolios.

    Each later candidate changes every lever with probability one half (uniform level and start
    year); the others stay at their lower bound (the base value by default), so cheap portfolios
    of a few programmes are there from the start, not only the costly mixes a uniform draw gives.
    """
    rng = np.random.default_rng([seed, 12])
    xl, xu = space.bounds()
    L = len(space.levers)
    X = rng.uniform(xl, xu, size=(population, 2 * L))
    quiet = rng.uniform(size=(population, L)) < 0.5
    quiet[0] = True
    X[:, :L] = np.where(quiet, space.low, X[:, :L])
    X[:, L:] = np.where(quiet, space.first, X[:, L:])
    return X


def _archive(store: dict, T: int, L: int) -> Archive:
    if not store["p"]:
        return Archive(np.zeros((0, L)), np.zeros((0, L), int), np.zeros((0, L)), np.zeros((0, T)),
                       np.zeros((0, T), bool), np.zeros((0, T)), np.zeros(0, int))
    return Archive(np.array(store["levels"]), np.array(store["starts"]), np.array(store["lever_costs"]),
                   np.array(store["p"]), np.array(store["fixed"]), np.array(store["median"]),
                   np.array(store["generation"]))


def _constraints(archive: Archive, idx: np.ndarray, targets, T: int) -> np.ndarray:
    """(k, max(T, 1)) pymoo's G <= 0: the relative shortfall of each target set by assumption, 0 for forecasts."""
    if T == 0:
        return np.zeros((len(idx), 1))
    goal = np.array([max(abs(t.value), 1.0) for t in targets])
    value = archive.median[idx]
    sign = np.array([1.0 if t.comparison == ">=" else -1.0 for t in targets])
    target = np.array([t.value for t in targets])
    shortfall = sign * (target - value) / goal
    return np.where(archive.fixed[idx], shortfall, 0.0)


def front(archive: Archive) -> np.ndarray:
    """Indices of the non-dominated feasible portfolios, cheapest first (cost down, min P(met) up).

    A portfolio is on the front when no feasible portfolio is at most as costly and at least as
    likely to meet every target, and better in one of the two; of equal (cost, min P(met)) pairs
    the first evaluated is kept.
    """
    ok = np.flatnonzero(archive.feasible)
    if ok.size == 0:
        return ok
    cost, p = archive.cost[ok], archive.min_p[ok]
    order = np.lexsort((ok, -p, cost))  # by cost, then higher P first, then evaluation order
    keep, best = [], -np.inf
    for i in order:
        if p[i] > best:
            keep.append(ok[i])
            best = p[i]
    return np.array(keep, int)


def cheapest_meeting(archive: Archive, confidence: float) -> list[tuple[int, int | None]]:
    """For k = 1..F: (k, index of the cheapest portfolio meeting at least k forecast targets at P(met) >= confidence).

    F is the number of forecast targets (those some uncertainty moves). Targets set by assumption are
    constraints, not counted: only portfolios whose value meets every such goal qualify. None when no
    evaluated portfolio meets k forecast targets; [(0, cheapest feasible)] when every target is set by assumption.
    """
    forecast = ~archive.fixed                                            # (N, T)
    met = np.where(archive.feasible, (forecast & (archive.p >= confidence)).sum(axis=1), -1)
    n_forecast = int(forecast.any(axis=0).sum())
    out = []
    for k in range(1, n_forecast + 1) if n_forecast else [0]:
        ok = np.flatnonzero(met >= k)
        out.append((k, int(ok[np.lexsort((ok, archive.cost[ok]))][0]) if ok.size else None))
    return out
