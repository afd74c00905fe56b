"""The search space: each optimised lever's level and start year, decoded into lever paths and YAML.

A candidate sets lever j to ``level_j`` from calendar year ``start_j`` (the decision year to the
last target year); before ``start_j`` the base scenario's own path holds, so the search never
changes a year before the decision year and never touches the scenario's paths before a start.
The same candidate is written as a scenario lever entry (:meth:`Space.spec`) that ``innosd run``
reads back into exactly the path the search evaluated (:meth:`Space.paths`).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import InputError
from ..levers import LeverPath, acting, default_grid, parse_lever
from ..textio import shown
from ..whatittakes import POLICY_LEVERS
from .costs import LeverCost, portfolio_costs, require_costs


class Space:
    """Levels and start years of the optimised levers, with their bounds, base paths and costs.

    Parameters
    ----------
    scenario : Scenario
        The base scenario (its ``optimise:`` block, levers and targets).
    model : CompiledModel
    costs : dict of str to LeverCost
        Every optimised lever must have one (:func:`~innosd.optimise.costs.require_costs`).
    decision_year : int
        First calendar year a start may be.

    Attributes
    ----------
    levers : list of str
        The optimised levers, L of them.
    low, high : numpy.ndarray
        (L,) level bounds in lever units.
    first, last : int
        The range of start years: the decision year and the last target year.
    years : numpy.ndarray
        (Y,) the budget years ``first..last`` over which costs are counted.
    base : numpy.ndarray
        (L, Y) each lever's base-scenario value in each budget year.
    """

    def __init__(self, scenario, model, costs: dict[str, LeverCost], decision_year: int):
        self.scenario, self.model = scenario, model
        self._paths: dict = {}  # (lever index, level, start) -> LeverPath: generations repeat values
        f = shown(scenario.path)
        spec = scenario.search
        chosen = dict(spec.levers) if spec is not None and spec.levers else {
            lv: (None, None) for lv in POLICY_LEVERS if lv in model.lookups}
        self.levers = list(chosen)
        require_costs(costs, self.levers, f)
        self.first = int(decision_year)
        self.last = int(max(t.year for t in scenario.targets)) if scenario.targets else scenario.end
        if self.last < self.first:
            raise InputError(f, "decision_year", f"the decision year {self.first} is after the last target year "
                             f"{self.last}", "set decision_year: to a year up to the last target's")
        self.years = np.arange(self.first, self.last + 1)
        self.x = default_grid(scenario.start, scenario.end)
        self.base_paths = {lv: self._base_path(lv) for lv in self.levers}
        at_years = np.searchsorted(self.x, self.years.astype(float))
        self.base = np.array([self.base_paths[lv][at_years] for lv in self.levers])
        self.per_unit = np.array([costs[lv].cost_per_unit for lv in self.levers])
        self.costs = {lv: costs[lv] for lv in self.levers}
        self.limits = [model.lookup_limits.get(lv, (-np.inf, np.inf)) for lv in self.levers]
        lows, highs = [], []
        for lv, (lo, hi), (lo_lim, hi_lim) in zip(self.levers, chosen.values(), self.limits, strict=True):
            b = float(self.base_paths[lv][at_years[0]])
            lo = max(lo_lim, min(b, hi_lim)) if lo is None else lo
            hi = hi_lim if hi is None else hi
            if not np.isfinite(hi):
                raise InputError(f, f"optimise.levers.{lv}.high", "the model declares no upper bound for this lever",
                                 "give high: in lever units")
            if lo > hi:
                raise InputError(f, f"optimise.levers.{lv}", f"low {lo:g} (the base value in {self.first} when not "
                                 f"given) is above high {hi:g}", "give low: and high: with low <= high")
            lows.append(lo)
            highs.append(hi)
            self._check_continuable(f, lv)
        self.low, self.high = np.array(lows, float), np.array(highs, float)
        # levels are searched on a grid of about a thousandth of each range: clean numbers in the YAML
        width = np.maximum(self.high - self.low, 1e-12)
        self.step = 10.0 ** np.floor(np.log10(width / 1000.0))

    @property
    def n_var(self) -> int:
        """Number of decision variables: a level and a start year per lever."""
        return 2 * len(self.levers)

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """(xl, xu) (2L,) of the encoded variables: levels, then start years (rounded when decoded)."""
        xl = np.concatenate([self.low, np.full(len(self.levers), self.first - 0.5)])
        xu = np.concatenate([self.high, np.full(len(self.levers), self.last + 0.499)])
        return xl, xu

    def decode(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Encoded candidates (k, 2L) -> (levels (k, L) on the level grid, start years (k, L) as integers)."""
        X = np.atleast_2d(np.asarray(X, float))
        L = len(self.levers)
        levels = np.clip(np.round(X[:, :L] / self.step) * self.step, self.low, self.high)
        levels = np.vectorize(lambda v: float(f"{v:.10g}"))(levels) if levels.size else levels
        starts = np.clip(np.round(X[:, L:]), self.first, self.last).astype(int)
        return levels, starts

    def encode(self, levels: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`decode` for decoded values: (k, 2L)."""
        return np.hstack([np.atleast_2d(levels), np.atleast_2d(starts).astype(float)])

    def lever_costs(self, levels: np.ndarray, starts: np.ndarray) -> np.ndarray:
        """(k, L) extra spending per lever, 亿元, over the budget years (:func:`portfolio_costs`)."""
        return portfolio_costs(np.atleast_2d(levels), np.atleast_2d(starts), self.base, self.years, self.per_unit)

    def spec(self, j: int, level: float, start: int) -> dict:
        """The scenario lever entry of lever j at ``level`` from ``start``: the base path before, as YAML data."""
        lv = self.levers[j]
        bp = self.scenario.levers.get(lv)
        if bp is None or bp.first_year >= start:
            body = {"step": {"year": int(start), "to": _clean(level)}}
        else:
            steps = {}
            for year in range(bp.first_year, int(start)):
                v = _clean(self.base_paths[lv][int(np.searchsorted(self.x, float(year)))])
                if not steps or list(steps.values())[-1] != v:
                    steps[year] = v
            steps[int(start)] = _clean(level)
            body = {"steps": steps}
        if bp is not None and bp.uncertainty is not None:
            body["uncertainty"] = bp.spec["uncertainty"]
        return body

    def lever_path(self, j: int, level: float, start: int) -> LeverPath:
        """The LeverPath ``innosd run`` reads from :meth:`spec` (the scenario reader's own parser; cached)."""
        key = (j, float(level), int(start))
        path = self._paths.get(key)
        if path is None:
            lv = self.levers[j]
            path = parse_lever(shown(self.scenario.path), f"levers.{lv}", self.spec(j, level, start),
                               self.model.lookups[lv], self.model.lookup_limits.get(lv), self.scenario.start,
                               self.scenario.end)
            self._paths[key] = path
        return path

    def paths(self, levels: np.ndarray, starts: np.ndarray) -> list[dict[str, LeverPath]]:
        """Per candidate, the optimised levers' paths: a list of k dicts lever -> LeverPath."""
        return [{lv: self.lever_path(j, float(levels[i, j]), int(starts[i, j])) for j, lv in enumerate(self.levers)}
                for i in range(np.atleast_2d(levels).shape[0])]

    def _base_path(self, lever: str) -> np.ndarray:
        """The base scenario's (central) path of ``lever`` on the grid (m,): its own, else the model's default."""
        if lever in self.scenario.levers:
            return np.asarray(self.scenario.levers[lever].y, float)
        dx, dy = self.model.lookups[lever]
        return np.interp(self.x, np.asarray(dx, float), np.asarray(dy, float))

    def _check_continuable(self, f: str, lever: str) -> None:
        """A portfolio continues the base path year by year; refuse a base path that changes within a year."""
        bp = self.scenario.levers.get(lever)
        if bp is None or bp.first_year >= self.last:
            return
        path = self.lever_path(self.levers.index(lever), float(self.base_paths[lever][-1]), self.last).y
        before = ~acting(self.x, self.last)
        if not np.allclose(path[before], self.base_paths[lever][before], rtol=1e-9, atol=1e-12):
            raise InputError(f, f"levers.{lever}", f"its {bp.form} path changes within calendar years before "
                             f"{self.last}, which a portfolio cannot continue year by year",
                             "write the lever with constant, step or steps, or leave it out of optimise.levers")


def _clean(v: float) -> float | int:
    """A value as written to YAML: an int when whole, else the float with 10 significant digits."""
    v = float(f"{float(v):.10g}")
    return int(v) if math.isfinite(v) and v == int(v) and abs(v) < 1e15 else v
