"""The search from a scenario to a judged front: futures, NSGA-II, robustness and scenario discovery."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import paths, progress
from ..ensemble import load_calibration
from ..errors import InputError, UserError
from ..model import load_model
from ..scenario import Scenario, load_scenario
from ..textio import shown
from .costs import LeverCost, load_costs
from .evaluate import Evaluation, Evaluator
from .futures import Futures, draw_futures
from .robust import Robustness, judge_front
from .search import Archive, cheapest_meeting, front, run_search
from .space import Space
from .spec import SearchSpec


class NoFeasiblePortfolio(UserError):
    """No portfolio within the bounds meets the targets set by assumption (one line, exit 2)."""

    def line(self) -> str:
        """The message as built by the search (it starts with ``error:``)."""
        return str(self)


@dataclass
class Search:
    """A finished search: everything the result files are written from.

    Attributes
    ----------
    scenario : Scenario
    space : Space
    futures : Futures
    archive : Archive
        Every distinct portfolio evaluated.
    front : numpy.ndarray
        Archive indices of the non-dominated feasible portfolios, cheapest first.
    cheapest : list of (int, int or None)
        For k = 1..F, the archive index of the cheapest portfolio meeting k forecast targets at the confidence
        (and every target set by assumption).
    robustness : Robustness
        Satisficing, regret and the failure conditions of the chosen portfolio.
    costs : dict of str to LeverCost
        Every costed lever (the optimised ones and the others).
    settings : dict
        Seed, samples, population, generations, confidence, decision year, timing, where it ran.
    """

    scenario: Scenario
    space: Space
    futures: Futures
    archive: Archive
    front: np.ndarray
    cheapest: list
    robustness: Robustness
    costs: dict[str, LeverCost]
    settings: dict = field(default_factory=dict)

    def names(self) -> dict[int, str]:
        """Archive index -> portfolio name: p01, p02, ... along the front (cheapest first), then the others written."""
        out = {int(i): f"p{j + 1:02d}" for j, i in enumerate(self.front)}
        for _, i in self.cheapest:
            if i is not None and i not in out:
                out[int(i)] = f"p{len(out) + 1:02d}"
        return out


def optimise(scenario: str | Path | Scenario, *, seed: int | None = None, samples: int | None = None,
             population: int | None = None, generations: int | None = None, scheduler: str | None = None,
             workers: int | None = None, model=None) -> Search:
    """Search the cheapest portfolios of programmes against the lowest P(met) of the scenario's targets.

    Parameters
    ----------
    scenario : str, pathlib.Path or Scenario
        The base scenario; its ``optimise:`` block names the levers and bounds, ``decision_year`` the
        first year a lever may change, ``costs:`` overrides calibration/levers.yaml.
    seed : int, optional
        Seed of the futures and of the search (default: the scenario's); the same seed gives the
        same front, locally or on any number of Dask workers.
    samples : int, optional
        Futures n every candidate is judged on (default: ``optimise.samples``, else the scenario's).
    population, generations : int, optional
        Candidates a generation and generations (default: the ``optimise:`` block's, else 200 and 15).
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler (default: local worker processes).
    workers : int, optional
        Local worker processes (default: one per CPU; 1 runs in this process).
    model : CompiledModel, optional

    Returns
    -------
    Search

    Raises
    ------
    innosd.errors.UserError
        Bad input (unknown lever, missing cost, bound outside the model's range, unreachable
        scheduler), or no portfolio within the bounds meets the targets set by assumption.
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    f = shown(sc.path)
    if not sc.targets:
        raise InputError(f, "targets", "no targets to optimise for", "add the plan's targets to the scenario")
    spec: SearchSpec = sc.search or SearchSpec()
    for name, value in (("samples", samples), ("population", population), ("generations", generations)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise InputError(name, "", f"{value!r} is not a whole number >= 1", f"give {name} as e.g. 20")
    with paths.use(sc.project):
        model = model if model is not None else load_model(sc.model_path)
        calibration = load_calibration(model, as_of=sc.as_of)
        costs = load_costs(sc, model)
        decision = sc.first_decision_year(calibration.vintage)
        space = Space(sc, model, costs, decision)
        seed = sc.seed if seed is None else int(seed)
        n = samples or spec.samples or sc.samples
        pop = population or spec.population
        gens = generations or spec.generations
        evaluator = Evaluator(model, sc.targets, sc.start, scheduler=scheduler, workers=workers)
        try:
            t0 = time.perf_counter()
            with progress.stage(f"drawing {n:,} futures"):
                futures = draw_futures(sc, model, calibration, n, seed, space.levers)
            evaluator.attach(futures)
            archive = run_search(space, evaluator, sc.targets, pop, gens, seed)
            t_search = time.perf_counter() - t0
            on_front = front(archive)
            if on_front.size == 0:
                raise NoFeasiblePortfolio(_infeasible(sc, archive, space))
            cheapest = cheapest_meeting(archive, spec.confidence)
            with progress.stage(f"judging {on_front.size} portfolios of the front across {n:,} futures"):
                idx = np.array(sorted(set(on_front.tolist()) | {i for _, i in cheapest if i is not None}))
                ev: Evaluation = evaluator.evaluate(space.paths(archive.levels[idx], archive.starts[idx]), keep=True)
                robustness = judge_front(sc.targets, archive, idx, ev, on_front, cheapest, futures, spec.confidence)
            where = evaluator.where
        finally:
            evaluator.close()
    settings = {"seed": seed, "samples": n, "population": pop, "generations": gens, "confidence": spec.confidence,
                "decision_year": decision, "last_target_year": space.last, "vintage": calibration.vintage,
                "calibration": calibration.label, "evaluated": int(len(archive.p)),
                "member_runs": int(evaluator.runs), "search_seconds": round(t_search, 2), "where": where,
                "n_eff": futures.n_eff}
    return Search(sc, space, futures, archive, on_front, cheapest, robustness, costs, settings)


def _infeasible(sc: Scenario, archive: Archive, space: Space) -> str:
    """The one line for a search whose every portfolio misses a target set by assumption."""
    missed = [t.id for j, t in enumerate(sc.targets) if (archive.fixed[:, j] & (archive.p[:, j] < 0.5)).all()]
    names = ", ".join(missed) or "a target set by assumption"
    return (f"error: {shown(sc.path)}: optimise: no portfolio within the bounds meets {names} (set by the levers, "
            f"not by chance); fix: add the lever that builds it to optimise.levers, or raise its high bound "
            f"(levers searched: {', '.join(space.levers)})")
