"""Scenario files: load YAML, validate every field against the model, return a Scenario.

The schema is documented in scenarios/README.md. Every problem is raised as an
:class:`~innosd.errors.InputError` naming the file, the field and the fix.

This module checks the top-level keys, the horizon, parameters, levers and run settings, and builds the
:class:`Scenario`. The other parts live beside it:

- :mod:`innosd.scenario_files`: reading the file, its ``extends`` chain, and the project it runs in;
- :mod:`innosd.scenario_targets`: the ``targets:`` list;
- :mod:`innosd.scenario_fields`: the checks every part shares (numbers, required keys, "did you mean",
  verbatim quotes);
- :mod:`innosd.scenario_text`: the Chinese twins of the free text.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import paths, scenario_text, textio
from .errors import InputError
from .indicators import INDICATORS, resolve_indicator, resolve_lever
from .levers import LeverPath, parse_lever
from .scenario_fields import MAX_YEAR, check_seed, number, require, suggest
from .scenario_files import find_project, model_path, read_raw
from .scenario_targets import ACTUAL_KEYS, COMPARISONS, TARGET_KEYS, Target, parse_targets

# Callers import these from innosd.scenario, where they lived before the targets and the shared field checks
# got modules of their own; they stay importable from here.
__all__ = [
    "ACTUAL_KEYS", "COMPARISONS", "MAX_YEAR", "TARGET_KEYS", "TOP_LEVEL_KEYS", "VINTAGES", "Scenario", "Target",
    "UncertainParameter", "find_project", "load_scenario", "model_path", "read_raw",
]

TOP_LEVEL_KEYS = {
    "name", "description", "region", "model", "extends", "horizon", "parameters", "levers",
    "uncertainty", "targets", "not_represented", "outputs", "verdict_thresholds", "assumptions", "as_of",
    "decision_year", "costs", "optimise",
} | set(scenario_text.TOP_LEVEL)
VINTAGES = (2016, 2022)  #: data vintages a scenario may be judged ``as_of``: the years observed.csv covers


@dataclass(frozen=True)
class UncertainParameter:
    """A parameter drawn per member: uniform on [low, high], or base value times U(low, high) when ``scale``."""

    name: str
    low: float
    high: float
    scale: bool = False


@dataclass
class Scenario:
    """A validated scenario: what to run, with which levers and uncertainty, and which targets to judge.

    Built by :func:`load_scenario`; the YAML keys are documented in scenarios/README.md. Years are calendar
    years; parameter values are in the model constants' units, lever paths in the levers' units.

    Attributes
    ----------
    name, description, region : str
        The scenario's name (its file name), its description and region (``tianjin`` rests on the calibration).
    path, model_path : pathlib.Path
        The scenario file and the ``.mdl`` it runs.
    start, end : int
        The horizon: the model's initial year and the last year simulated.
    parameters : dict of str to float
        Model constants held at a value in every member.
    uncertain_parameters : list of UncertainParameter
        Model constants drawn per member.
    levers : dict of str to innosd.levers.LeverPath
        Lever lookups replaced by the scenario, by the model's lookup name.
    targets : list of Target
        The plan targets judged.
    not_represented : list of dict
        Plan targets the model does not represent, each with its ``reason``.
    outputs : list of str
        Indicators written to trajectories.csv (default: the targets' indicators).
    samples, seed : int
        Ensemble size and random seed.
    on_track, off_track : float
        Verdict thresholds on P(met): on track at or above ``on_track``, off track below ``off_track``.
    assumptions : list of str
        The scenario's declared assumptions (what a region without calibration rests on).
    text, sha256 : str
        The file's text after decoding and its SHA-256 (provenance).
    raw : dict
        The merged YAML (after ``extends``).
    encoding : str
        The file's encoding (see :mod:`innosd.textio`).
    project : innosd.paths.Project or None
        The project the scenario runs in (model, calibration, reports).
    as_of, decision_year : int or None
        Data vintage to judge with; first year a search may change a lever.
    costs : dict
        Lever costs overriding calibration/levers.yaml.
    search : innosd.optimise.spec.SearchSpec or None
        The ``optimise:`` block.
    zh : dict
        Chinese twins of the free text.
    """

    name: str
    path: Path
    description: str
    region: str
    model_path: Path
    start: int
    end: int
    parameters: dict[str, float]
    uncertain_parameters: list[UncertainParameter]
    levers: dict[str, LeverPath]
    targets: list[Target]
    not_represented: list[dict]
    outputs: list[str]
    samples: int
    seed: int
    on_track: float
    off_track: float
    assumptions: list[str]
    text: str
    sha256: str
    raw: dict = field(repr=False, default_factory=dict)
    encoding: str = "utf-8"  # the file's encoding (see innosd.textio)
    project: paths.Project | None = field(repr=False, default=None)
    #: data vintage the scenario is judged as of (None: the latest committed calibration)
    as_of: int | None = None
    #: first year the searches (what-it-takes, optimise) may change a lever (None: the year after the vintage)
    decision_year: int | None = None
    #: lever costs overriding calibration/levers.yaml (lever -> innosd.optimise.costs.LeverCost)
    costs: dict = field(default_factory=dict)
    #: the ``optimise:`` block (innosd.optimise.spec.SearchSpec)
    search: Any = None
    zh: dict = field(default_factory=dict)  #: Chinese twins of the free text (innosd.scenario_text)

    @property
    def years(self) -> np.ndarray:
        """The calendar years of the horizon, ``start`` .. ``end`` inclusive: shape (end - start + 1,)."""
        return np.arange(self.start, self.end + 1)

    def first_decision_year(self, vintage: int | None) -> int:
        """The first calendar year a search may change a lever: ``decision_year``, else the year after ``vintage``.

        Parameters
        ----------
        vintage : int or None
            The last data year of the calibration the search runs on (None: no calibration, so the
            year after the start).
        """
        if self.decision_year is not None:
            return self.decision_year
        return min(self.end, (vintage if vintage is not None else self.start) + 1)

    @property
    def calibrated(self) -> bool:
        """True for Tianjin scenarios, which rest on the calibration; other regions rest on assumptions."""
        return self.region == "tianjin"


def load_scenario(path: str | Path, model=None, project: paths.Project | None = None) -> Scenario:
    """Read and validate a scenario file.

    Parameters
    ----------
    path : str or pathlib.Path
        The scenario YAML file (UTF-8, UTF-16 or GB18030; see :mod:`innosd.textio`).
    model : CompiledModel, optional
        The compiled engine model (default: compiled from the scenario's ``model`` or its project's).
    project : innosd.paths.Project, optional
        The project the scenario runs in (default: the one chosen with :func:`innosd.paths.use`,
        else :func:`find_project`).

    Returns
    -------
    Scenario
        The validated scenario; ``scenario.project`` says where its model, calibration and reports are.

    Raises
    ------
    innosd.errors.InputError
        One line naming the file, the field and the fix, for any problem in the file (or a file it extends).
    """
    path = Path(path)
    project = project or paths.chosen() or find_project(path)
    with paths.use(project):
        raw, text = read_raw(path, project)
        if model is None:
            from .model import load_model
            model = load_model(model_path(path, raw, project))
        sc = _validate(path, raw, text.text, model)
    sc.encoding, sc.project = text.encoding, project
    return sc


def _validate(path: Path, raw: dict, text: str, model) -> Scenario:
    """Check the merged YAML ``raw`` field by field (in the order a reader meets them) and build the Scenario."""
    f = textio.shown(path)
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        key = str(min(unknown, key=str))
        raise InputError(f, key, "unknown key", suggest(key, TOP_LEVEL_KEYS, "allowed keys"))
    name = require(f, raw, "name", str)
    if name != path.stem:
        raise InputError(f, "name", f"name {name!r} differs from the file name",
                         f"set name: {path.stem} (outputs go to reports/<name>/)")
    start, end = _horizon(f, raw.get("horizon") or {}, model)
    params, uncertain = _parameters(f, raw.get("parameters") or {}, model)
    levers = _levers(f, raw.get("levers") or {}, model, start, end)
    targets = parse_targets(f, raw.get("targets") or [], start, end)
    outputs = _outputs(f, raw.get("outputs") or sorted({t.indicator for t in targets}))
    samples, seed = _uncertainty(f, raw.get("uncertainty") or {})
    on_track, off_track = _thresholds(f, raw.get("verdict_thresholds") or {})
    not_rep = _not_represented(f, raw.get("not_represented") or [])
    region = str(raw.get("region", "tianjin"))
    assumptions = raw.get("assumptions") or []
    if not isinstance(assumptions, list):
        raise InputError(f, "assumptions", "must be a list of sentences", "write each assumption as '- text'")
    as_of, decision_year = _years(f, raw.get("as_of"), raw.get("decision_year"), start, end)
    from .optimise.costs import parse_costs
    from .optimise.spec import parse_search

    costs = parse_costs(f, "costs", raw["costs"], model) if raw.get("costs") is not None else {}
    search = parse_search(f, raw.get("optimise"), model)
    return Scenario(
        name=name, path=path, description=str(raw.get("description", "")).strip(), region=region,
        model_path=Path(model.path), start=start, end=end, parameters=params,
        uncertain_parameters=uncertain, levers=levers, targets=targets, not_represented=not_rep,
        outputs=outputs, samples=samples, seed=seed, on_track=on_track, off_track=off_track,
        assumptions=[str(a) for a in assumptions], text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), raw=raw, as_of=as_of,
        decision_year=decision_year, costs=costs, search=search,
        zh=scenario_text.check_translations(f, raw),
    )


def _horizon(f: str, horizon: Any, model) -> tuple[int, int]:
    """(start, end) of ``horizon:``: start must be the model's initial year, end at most ``MAX_YEAR``."""
    if not isinstance(horizon, dict):
        raise InputError(f, "horizon", "must be a mapping", "write horizon: {start: 2016, end: 2030}")
    initial = round(model.control["initial_time"])
    start = number(f, "horizon.start", horizon.get("start", initial), integer=True)
    end = number(f, "horizon.end", horizon.get("end", round(model.control["final_time"])), integer=True)
    if start != initial:
        raise InputError(f, "horizon.start", f"must be {initial}, the year the model is calibrated from",
                         f"set horizon.start: {initial}")
    if not start < end <= MAX_YEAR:
        raise InputError(f, "horizon.end", f"{end} is outside {start + 1}..{MAX_YEAR}",
                         f"choose an end year from {start + 1} to {MAX_YEAR}")
    return start, end


def _outputs(f: str, outputs: Any) -> list[str]:
    """The indicators of ``outputs:`` by canonical name, first mention kept (Chinese names accepted)."""
    if not isinstance(outputs, list):
        raise InputError(f, "outputs", "must be a list of indicator names", "write outputs: [gdp, tech_smes]")
    for i, ind in enumerate(outputs):
        if resolve_indicator(ind) is None:
            raise InputError(f, f"outputs[{i}]", f"unknown indicator {ind!r}",
                             suggest(str(ind), INDICATORS, "indicators"))
    return list(dict.fromkeys(resolve_indicator(ind) for ind in outputs))


def _uncertainty(f: str, unc: Any) -> tuple[int, int]:
    """(samples, seed) of ``uncertainty:``, defaults 1000 members and seed 20201231."""
    if not isinstance(unc, dict):
        raise InputError(f, "uncertainty", "must be a mapping", "write uncertainty: {samples: 1000, seed: 1}")
    samples = number(f, "uncertainty.samples", unc.get("samples", 1000), integer=True)
    seed = check_seed(f, "uncertainty.seed", unc.get("seed", 20201231))
    if samples < 1:
        raise InputError(f, "uncertainty.samples", "must be at least 1", "use e.g. samples: 1000")
    return samples, seed


def _thresholds(f: str, thr: Any) -> tuple[float, float]:
    """(on_track, off_track) of ``verdict_thresholds:``, probabilities with off_track < on_track."""
    if not isinstance(thr, dict):
        raise InputError(f, "verdict_thresholds", "must be a mapping",
                         "write verdict_thresholds: {on_track: 0.8, off_track: 0.2}")
    on_track = number(f, "verdict_thresholds.on_track", thr.get("on_track", 0.8))
    off_track = number(f, "verdict_thresholds.off_track", thr.get("off_track", 0.2))
    if not 0 <= off_track < on_track <= 1:
        raise InputError(f, "verdict_thresholds", "need 0 <= off_track < on_track <= 1",
                         "e.g. on_track: 0.8, off_track: 0.2")
    return on_track, off_track


def _not_represented(f: str, not_rep: Any) -> list[dict]:
    """The ``not_represented:`` entries, each a mapping with a ``reason``."""
    if not isinstance(not_rep, list):
        raise InputError(f, "not_represented", "must be a list", "write each entry as '- {id: ..., reason: ...}'")
    for i, item in enumerate(not_rep):
        if not isinstance(item, dict) or not item.get("reason"):
            raise InputError(f, f"not_represented[{i}]", "each entry needs a 'reason'",
                             "say why the model does not represent this target")
    return not_rep


def _years(f: str, as_of: Any, decision_year: Any, start: int, end: int) -> tuple[int | None, int | None]:
    """(as_of, decision_year): a data vintage in ``VINTAGES`` and a year inside the horizon, each optional."""
    if as_of is not None and not VINTAGES[0] <= (as_of := number(f, "as_of", as_of, integer=True)) <= VINTAGES[1]:
        raise InputError(f, "as_of", f"{as_of} is not a data vintage ({VINTAGES[0]}-{VINTAGES[1]})",
                         f"write as_of: {VINTAGES[1]} or earlier, or leave it out for the latest data")
    if decision_year is not None:
        decision_year = number(f, "decision_year", decision_year, integer=True)
        if not start < decision_year <= end:
            raise InputError(f, "decision_year", f"{decision_year} is outside the horizon {start + 1}..{end}",
                             "write the first budget year a new programme can start, e.g. decision_year: 2025")
    return as_of, decision_year


def _parameters(f: str, spec: Any, model) -> tuple[dict[str, float], list[UncertainParameter]]:
    """``parameters:``: model constants held at a value, and those drawn per member (low/high or scale)."""
    if not isinstance(spec, dict):
        raise InputError(f, "parameters", "must be a mapping of parameter name to value",
                         "write parameters: {patent_average_life: 12}")
    fixed, uncertain = {}, []
    for key, value in spec.items():
        fld = f"parameters.{key}"
        if key not in model.constants:
            raise InputError(f, fld, "unknown parameter", suggest(str(key), model.constants, "parameters"))
        if isinstance(value, dict):
            allowed = {"low", "high", "scale"}
            if set(value) - allowed or not ({"low", "high"} <= set(value) or "scale" in value):
                raise InputError(f, fld, "an uncertain parameter needs low and high, or scale: [low, high]",
                                 "write {low: 1, high: 2} or {scale: [0.5, 1.5]}")
            if "scale" in value:
                lo, hi = _pair(f, fld + ".scale", value["scale"])
                uncertain.append(UncertainParameter(key, lo, hi, scale=True))
            else:
                lo = number(f, fld + ".low", value["low"])
                hi = number(f, fld + ".high", value["high"])
                _check_range(f, fld, lo, hi)
                uncertain.append(UncertainParameter(key, lo, hi))
        else:
            v = number(f, fld, value)
            if v < 0:
                raise InputError(f, fld, f"negative value {v}",
                                 "rates, stocks and lives are non-negative: use a value >= 0")
            fixed[key] = v
    return fixed, uncertain


def _pair(f: str, fld: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InputError(f, fld, "must be a pair [low, high]", "write e.g. [0.5, 1.5]")
    lo, hi = number(f, fld, value[0]), number(f, fld, value[1])
    _check_range(f, fld, lo, hi)
    return lo, hi


def _check_range(f: str, fld: str, lo: float, hi: float) -> None:
    if lo < 0 or hi < lo:
        raise InputError(f, fld, f"range [{lo}, {hi}] is empty or negative", "use 0 <= low <= high")


def _levers(f: str, spec: Any, model, start: int, end: int) -> dict[str, LeverPath]:
    """``levers:``: each lever's path (:func:`innosd.levers.parse_lever`), by the model's lookup name."""
    if not isinstance(spec, dict):
        raise InputError(f, "levers", "must be a mapping of lever name to path",
                         "write levers: {new_incubators_path: {table: {2025: 20}}}")
    out = {}
    for given, value in spec.items():
        key = resolve_lever(given, model.lookups)
        if key is None:
            raise InputError(f, f"levers.{given}", "unknown lever", suggest(str(given), model.lookups, "levers"))
        if key in out:
            raise InputError(f, f"levers.{given}", f"{key} is set twice (once by its Chinese name)",
                             "keep one entry per lever")
        out[key] = parse_lever(f, f"levers.{key}", value, model.lookups[key], model.lookup_limits.get(key), start, end)
    return out
