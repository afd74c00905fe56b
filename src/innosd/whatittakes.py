"""What it would take: the smallest lever change that lifts a target's probability to a confidence.

Every candidate change is run on the same parameter draws and lever uncertainty (common
random numbers), and all candidates of a search round go through the engine in one pass:
a grid over the lever's range brackets the answer, then finer grids narrow it down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import progress
from .ensemble import lever_tables, load_calibration, noise_factors, parameter_sets
from .errors import InputError
from .indicators import INDICATORS
from .levers import acting, default_grid, years_since
from .quantity import target_value, year_index
from .scenario import Scenario
from .targets import met_matrix

POLICY_LEVERS = {
    # lever: (unit of the change in level mode, plain-language name)
    "rd_intensity_policy_increment": ("percentage points", "R&D intensity from policy"),
    "certification_support": ("x (multiplier)", "certification support"),
    "new_incubators_path": ("incubators/year", "new incubators a year"),
    "new_maker_spaces_path": ("maker spaces/year", "new maker spaces a year"),
    "commissioner_dispatch_path": ("commissioners/year", "science commissioners sent a year"),
    "new_transfer_platforms_path": ("platforms/year", "new transfer bodies and pilot platforms a year"),
    "conversion_quota_path": ("results/year", "results converted a year (use first, pay later)"),
}
GRID = 17
REFINE_ROUNDS = 3


@dataclass
class Answer:
    """The answer of one search: how far ``lever`` must move to lift ``target`` to the confidence.

    Attributes
    ----------
    target, lever, mode : str
        Target id, lever name and ``level`` (a constant added) or ``growth`` (a yearly rate compounded).
    acts_from : float
        First calendar year the change acts.
    baseline_p, p_at_change : float
        P(met) without the change and with ``required_change``.
    required_change : float
        The change (lever units, or a rate a year for ``growth``); NaN when not reachable.
    status : str
        ``reached``, ``already met``, ``not reachable``, or ``too late`` (the target is due before the
        decision year, so nothing is searched).
    monotone : bool
        Whether P(met) rose monotonically over the first grid.
    lever_unit : str
        Unit of ``required_change`` in ``level`` mode.
    lever_value_at_deadline : float
        The lever's median value in the target year after the change (at the edge of its range when
        not reachable).
    decision_year : int
        First year a search may change a lever: the scenario's ``decision_year``, else the year after
        the data vintage.
    bound_low, bound_high : float
        The lever's range declared in the model file, in lever units.
    change_at_bound : float
        When not reachable, the change tried at the edge of the range (a bound, never a recommendation).
    """

    target: str
    lever: str
    mode: str
    acts_from: float
    baseline_p: float
    required_change: float
    p_at_change: float
    status: str
    monotone: bool
    lever_unit: str
    lever_value_at_deadline: float
    decision_year: int = 0
    bound_low: float = float("nan")
    bound_high: float = float("nan")
    change_at_bound: float = float("nan")

    def sentence(self) -> str:
        """The answer as one English sentence (what the CLI prints): the change, its start year, the lever's range."""
        unit = self.lever_unit if self.mode == "level" else "a year (growth)"
        scope = (f"changes from {self.acts_from:.0f} (decision year {self.decision_year}) within the lever's range "
                 f"{self.bound_low:.4g}..{self.bound_high:.4g} {self.lever_unit.removesuffix('/year')}")
        if self.status == "too late":
            return (f"{self.target}: due before the decision year {self.decision_year}, so no change of {self.lever} "
                    f"can act on it (P={self.baseline_p:.2f} as the scenario stands)")
        if self.status == "already met":
            return f"{self.target}: already at P={self.baseline_p:.2f} without changing {self.lever} ({scope})"
        if self.status == "not reachable":
            return (f"{self.target}: not reachable within the lever's bounds with {self.lever} alone: P(met) is "
                    f"{self.p_at_change:.2f} even with the lever at the edge of its range "
                    f"({self.lever_value_at_deadline:.4g} in the target year), short of the confidence asked "
                    f"({scope}; the edge is a bound, not a recommendation)")
        chg = f"+{self.required_change:.4g}" if self.mode == "level" else f"{100 * self.required_change:.3g}%"
        note = "" if self.monotone else " (warning: the response is not monotone; answer is the first crossing)"
        return (f"{self.target}: {self.lever} {chg} {unit} from {self.acts_from:.0f} "
                f"(reaching {self.lever_value_at_deadline:.4g} at the deadline) lifts P(met) from "
                f"{self.baseline_p:.2f} to {self.p_at_change:.2f}{note} ({scope})")


def what_it_takes(scenario: Scenario, model, target_id: str, lever: str, confidence: float = 0.8,
                  mode: str = "level", acts_from: float | None = None, samples: int | None = None,
                  seed: int | None = None, calibration=None) -> Answer:
    """The smallest change of ``lever`` that lifts P(target met) to ``confidence``.

    Parameters
    ----------
    scenario : Scenario
        The validated scenario; its other levers stay as declared.
    model : CompiledModel
        The compiled model the scenario runs on.
    target_id : str
        Id of one of the scenario's targets.
    lever : str
        Name of a lever (a lookup of the model).
    confidence : float
        The probability to reach, in (0, 1).
    mode : {"level", "growth"}
        ``level`` adds a constant to the lever from ``acts_from``; ``growth`` compounds a yearly rate.
    acts_from : float, optional
        First calendar year of the change (default: the scenario's decision year, ``decision_year`` or
        the year after the data vintage; an earlier year is refused).
    samples : int, optional
        Members n of the fixed ensemble every candidate runs on (default: the scenario's).
    seed : int, optional
        Seed of that ensemble's draws (default: the scenario's).
    calibration : Calibration, optional
        Parameter draws (default: the committed posterior, else the model's defaults).

    Returns
    -------
    Answer
        ``not reachable`` (``required_change`` NaN, ``change_at_bound`` the edge tried) when the
        lever's limits do not suffice.

    Raises
    ------
    innosd.errors.InputError
        Naming the parameter (``target_id``, ``lever``, ``confidence``, ``mode``, ``acts_from``) at fault.
    """
    target = _target(scenario, target_id)
    if lever not in model.lookups:
        raise InputError("lever", "", f"unknown lever {lever!r}", "use one of: " + ", ".join(sorted(POLICY_LEVERS)))
    if not 0 < confidence < 1:
        raise InputError("confidence", "", f"{confidence} is not a probability", "use a value between 0 and 1")
    if mode not in ("level", "growth"):
        raise InputError("mode", "", f"unknown mode {mode!r}", "use level or growth")
    calibration = calibration or load_calibration(model, as_of=scenario.as_of)
    first = scenario.first_decision_year(calibration.vintage)
    acts = float(acts_from if acts_from is not None else first)
    if first > target.year:  # due before any change may act: report it, search nothing
        engine = _Batch(scenario, model, target, lever, float(target.year), mode, samples, seed, calibration)
        p0 = engine.probabilities(np.array([0.0]))[0]
        lo_lim, hi_lim = engine.limits
        return Answer(target.id, lever, mode, float(first), p0, float("nan"), p0, "too late", True,
                      POLICY_LEVERS.get(lever, ("lever units", lever))[0], float("nan"), first, lo_lim, hi_lim)
    if acts < first:  # the searches never change a lever before the decision year
        raise InputError("acts_from", "", f"{acts:g} is before the decision year {first}",
                         f"use {first} or later (decision_year: in the scenario sets the first year a change may act)")
    if not scenario.start <= acts < target.year + 1:
        raise InputError("acts_from", "", f"{acts:g} is not before the target year {target.year}",
                         f"use a year from {first} to {target.year}")
    engine = _Batch(scenario, model, target, lever, acts, mode, samples, seed, calibration)
    p0 = engine.probabilities(np.array([0.0]))[0]
    unit = POLICY_LEVERS.get(lever, ("lever units", lever))[0]
    scope = {"decision_year": first, "bound_low": engine.limits[0], "bound_high": engine.limits[1]}
    if p0 >= confidence:
        return Answer(target.id, lever, mode, acts, p0, 0.0, p0, "already met", True, unit, engine.value_at(0.0),
                      **scope)
    found, (change, p, monotone) = _search(engine, p0, confidence)
    if not found:
        return Answer(target.id, lever, mode, acts, p0, float("nan"), p, "not reachable", monotone, unit,
                      engine.value_at(change), **scope, change_at_bound=change)
    return Answer(target.id, lever, mode, acts, p0, change, p, "reached", monotone, unit, engine.value_at(change),
                  **scope)


def _search(engine, p0: float, confidence: float) -> tuple[bool, tuple[float, float, bool]]:
    """(found, (change, P at change, monotone)): raise the lever; lower it only if raising does not help.

    A grid over each direction brackets the crossing, then ``REFINE_ROUNDS`` finer grids narrow it.
    When no direction reaches ``confidence``, the bound with the highest P is returned.
    """
    lo, hi = engine.bounds()
    best = None
    for bound in (hi, lo):
        if bound == 0.0 or (best is not None and best[1] >= p0):
            continue
        grid = np.linspace(0.0, bound, GRID)
        p = engine.probabilities(grid)
        monotone = bool(np.all(np.diff(p) >= -1.0 / engine.n - 1e-12))
        if p[-1] < confidence:
            if best is None or p[-1] > best[1]:
                best = (float(bound), float(p[-1]), monotone)
            continue
        for _ in range(REFINE_ROUNDS):
            k = int(np.argmax(p >= confidence))
            grid = np.linspace(grid[k - 1], grid[k], GRID)
            p = engine.probabilities(grid)
        k = int(np.argmax(p >= confidence))
        return True, (float(grid[k]), float(p[k]), monotone)
    return False, best if best else (0.0, p0, True)


def needs_search(table: pd.DataFrame, confidence: float = 0.8) -> list[str]:
    """Ids of the targets a what-it-takes search is for: forecasts below ``confidence``.

    Parameters
    ----------
    table : pandas.DataFrame
        The target table (:func:`innosd.targets.evaluate`), with ``id``, ``kind`` and ``p_met``.
    confidence : float
        The probability a target should reach.

    Returns
    -------
    list of str
        Target ids; a target set by assumption (no probability) is never searched.
    """
    forecast = table[table["kind"] != "assumption"] if "kind" in table else table
    return [str(r.id) for r in forecast.itertuples() if not r.p_met >= confidence]


def what_it_takes_table(scenario: Scenario, model, confidence: float = 0.8, targets=None, levers=None,
                        mode: str = "level", samples: int | None = None, seed: int | None = None,
                        calibration=None) -> pd.DataFrame:
    """:func:`what_it_takes` for every (target, lever) pair: one row each (``what_it_takes.csv``).

    Parameters
    ----------
    scenario, model, confidence, mode, samples, seed
        As for :func:`what_it_takes`.
    targets : list of str, optional
        Target ids (default: every target of the scenario).
    levers : list of str, optional
        Lever names (default: every policy lever the model has).
    calibration : Calibration, optional
        Parameter draws (default: the calibration of the scenario's data vintage).

    Returns
    -------
    pandas.DataFrame
        The fields of :class:`Answer`, then ``summary`` (the sentence), ``confidence``, ``samples``
        and ``seed`` (the ensemble every candidate ran on); one row per pair, no rows for no targets.
    """
    calibration = calibration or load_calibration(model, as_of=scenario.as_of)
    targets = [t.id for t in scenario.targets] if targets is None else list(targets)
    levers = levers or [lv for lv in POLICY_LEVERS if lv in model.lookups]
    n = samples or scenario.samples
    seed = scenario.seed if seed is None else seed
    rows = []
    pairs = [(tid, lever) for tid in targets for lever in levers]
    for tid, lever in progress.track(pairs, "target x lever searches"):
        a = what_it_takes(scenario, model, tid, lever, confidence, mode, samples=n, seed=seed,
                          calibration=calibration)
        rows.append({**a.__dict__, "summary": a.sentence(), "confidence": confidence, "samples": n, "seed": seed})
    columns = list(Answer.__dataclass_fields__) + ["summary", "confidence", "samples", "seed"]
    return pd.DataFrame(rows, columns=columns)


def _target(scenario: Scenario, target_id: str):
    """The scenario's target ``target_id`` (InputError naming ``target_id`` when absent)."""
    for t in scenario.targets:
        if t.id == target_id:
            return t
    raise InputError("target_id", "", f"no target {target_id!r} in {scenario.path.name}",
                     "use one of: " + ", ".join(t.id for t in scenario.targets))


class _Batch:
    """Runs many lever changes on one fixed ensemble (same draws) in one engine pass."""

    def __init__(self, scenario, model, target, lever, acts, mode, samples, seed, calibration):
        self.sc, self.model, self.target, self.lever, self.mode = scenario, model, target, lever, mode
        seed = scenario.seed if seed is None else seed
        calibration = calibration or load_calibration(model, as_of=scenario.as_of)
        self.n = samples or scenario.samples
        rng = np.random.default_rng(seed)
        self.params = parameter_sets(scenario, model, calibration, self.n, rng)
        self.lookups = lever_tables(scenario, self.n, rng)
        # the run's predictive noise, replayed from the same generator state (common random numbers)
        variables = [ind.variable for ind in INDICATORS.values() if ind.variable in model.variables]
        shape = (self.n, scenario.end - scenario.start + 1)
        rows = self.params.attrs.get("rows", np.zeros(self.n, dtype=int))
        self.noise = noise_factors(calibration, rows, variables, shape, rng).get(INDICATORS[target.indicator].variable)
        if lever in self.lookups:
            x, y = self.lookups.pop(lever)
        else:
            x = default_grid(scenario.start, scenario.end)
            dx, dy = model.lookups[lever]
            y = np.interp(x, dx, dy)
        self.x = np.asarray(x, float)
        self.y = np.broadcast_to(np.asarray(y, float), (self.n, self.x.size))
        self.acting = acting(self.x, acts)  # calendar year `acts` is model time (acts-1, acts]
        self.limits = model.lookup_limits.get(lever, (-np.inf, np.inf))
        self.years = years_since(self.x, acts)

    def bounds(self) -> tuple[float, float]:
        """(lowest, highest) change that keeps the lever within its declared limits."""
        lo_lim, hi_lim = self.limits
        values = self.y[:, self.acting]
        if self.mode == "level":
            return float(lo_lim - values.min()), float(hi_lim - values.max())
        return -0.5, 0.5

    def paths(self, deltas: np.ndarray) -> np.ndarray:
        """(k*n, m) lever paths: every delta applied to every member's path."""
        y = np.repeat(self.y[None], len(deltas), axis=0).copy()
        d = deltas[:, None, None]
        if self.mode == "level":
            y[:, :, self.acting] += d
        else:
            y[:, :, self.acting] *= (1.0 + d) ** self.years[self.acting]
        return np.clip(y, *self.limits).reshape(-1, self.x.size)

    def probabilities(self, deltas: np.ndarray) -> np.ndarray:
        """P(met) (k,) for each of the k changes ``deltas``, all members of all changes in one engine run."""
        k = len(deltas)
        params = {c: np.tile(self.params[c].to_numpy(), k) for c in self.params.columns}
        lookups = {name: (x, y if np.ndim(y) == 1 else np.tile(y, (k, 1))) for name, (x, y) in self.lookups.items()}
        lookups[self.lever] = (self.x, self.paths(deltas))
        variable = INDICATORS[self.target.indicator].variable
        res = self.model.run(n=k * self.n, params=params, lookups=lookups, final_time=float(self.target.year),
                             outputs=[variable])
        data = np.asarray(res[variable])
        if self.noise is not None:  # the run's predictive noise on every candidate's members
            data = data * np.tile(self.noise[:, : data.shape[1]], (k, 1))
        at = target_value(np.asarray(res.time), data, self.target)
        return met_matrix(at, self.target).reshape(k, self.n).mean(axis=1)

    def value_at(self, delta: float) -> float:
        """The lever's (median over members) value at the target year after the change."""
        y = self.paths(np.array([delta]))
        return float(np.median(y[:, year_index(self.x, self.target.year)]))
