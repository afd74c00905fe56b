"""Scenario files: load YAML, validate every field against the model, return a Scenario.

The schema is documented in scenarios/README.md. Every problem is raised as an
:class:`~innosd.errors.InputError` naming the file, the field and the fix.
"""

from __future__ import annotations

import difflib
import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from . import paths, scenario_text
from .errors import InputError
from .indicators import INDICATORS, resolve_indicator, resolve_lever, unit_matches
from .levers import LeverPath, parse_lever
from .scenario_files import find_project, model_path, read_raw

MAX_YEAR = 2035
TOP_LEVEL_KEYS = {
    "name", "description", "region", "model", "extends", "horizon", "parameters", "levers",
    "uncertainty", "targets", "not_represented", "outputs", "verdict_thresholds", "assumptions", "as_of",
    "decision_year", "costs", "optimise",
} | set(scenario_text.TOP_LEVEL)
VINTAGES = (2016, 2022)  #: data vintages a scenario may be judged ``as_of``: the years observed.csv covers
TARGET_KEYS = {"id", "indicator", "year", "comparison", "value", "unit", "source", "quote",
               "change_since", "label", "note", "actual"} | set(scenario_text.TARGET)
ACTUAL_KEYS = {"value", "source", "quote", "note"}
COMPARISONS = {">=": ">=", "at_least": ">=", "<=": "<=", "at_most": "<="}


@dataclass(frozen=True)
class Target:
    """A plan target: ``indicator`` (minus its value at ``change_since``, if set) ``comparison`` ``value`` in ``year``."""

    id: str
    indicator: str
    year: int
    comparison: str
    value: float
    unit: str
    source: str
    quote: str
    change_since: int | None = None
    label: str = ""
    #: what the data say happened (value in the target's unit, source, quote, note), for a past target
    actual: dict | None = None


@dataclass(frozen=True)
class UncertainParameter:
    """A parameter drawn per member: uniform on [low, high], or base value times U(low, high) when ``scale``."""

    name: str
    low: float
    high: float
    scale: bool = False


@dataclass
class Scenario:
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
    f = _shown(path)
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        key = str(min(unknown, key=str))
        raise InputError(f, key, "unknown key", _suggest(key, TOP_LEVEL_KEYS, "allowed keys"))
    name = _require(f, raw, "name", str)
    if name != path.stem:
        raise InputError(f, "name", f"name {name!r} differs from the file name",
                         f"set name: {path.stem} (outputs go to reports/<name>/)")
    horizon = raw.get("horizon") or {}
    if not isinstance(horizon, dict):
        raise InputError(f, "horizon", "must be a mapping", "write horizon: {start: 2016, end: 2030}")
    initial = round(model.control["initial_time"])
    start = _number(f, "horizon.start", horizon.get("start", initial), integer=True)
    end = _number(f, "horizon.end", horizon.get("end", round(model.control["final_time"])), integer=True)
    if start != initial:
        raise InputError(f, "horizon.start", f"must be {initial}, the year the model is calibrated from",
                         f"set horizon.start: {initial}")
    if not start < end <= MAX_YEAR:
        raise InputError(f, "horizon.end", f"{end} is outside {start + 1}..{MAX_YEAR}",
                         f"choose an end year from {start + 1} to {MAX_YEAR}")

    params, uncertain = _parameters(f, raw.get("parameters") or {}, model)
    levers = _levers(f, raw.get("levers") or {}, model, start, end)
    targets = _targets(f, raw.get("targets") or [], start, end)
    outputs = raw.get("outputs") or sorted({t.indicator for t in targets})
    if not isinstance(outputs, list):
        raise InputError(f, "outputs", "must be a list of indicator names", "write outputs: [gdp, tech_smes]")
    for i, ind in enumerate(outputs):
        if resolve_indicator(ind) is None:
            raise InputError(f, f"outputs[{i}]", f"unknown indicator {ind!r}",
                             _suggest(str(ind), INDICATORS, "indicators"))
    outputs = list(dict.fromkeys(resolve_indicator(ind) for ind in outputs))
    unc = raw.get("uncertainty") or {}
    if not isinstance(unc, dict):
        raise InputError(f, "uncertainty", "must be a mapping", "write uncertainty: {samples: 1000, seed: 1}")
    samples = _number(f, "uncertainty.samples", unc.get("samples", 1000), integer=True)
    seed = _number(f, "uncertainty.seed", unc.get("seed", 20201231), integer=True)
    if samples < 1:
        raise InputError(f, "uncertainty.samples", "must be at least 1", "use e.g. samples: 1000")
    thr = raw.get("verdict_thresholds") or {}
    if not isinstance(thr, dict):
        raise InputError(f, "verdict_thresholds", "must be a mapping", "write verdict_thresholds: {on_track: 0.8, off_track: 0.2}")
    on_track = _number(f, "verdict_thresholds.on_track", thr.get("on_track", 0.8))
    off_track = _number(f, "verdict_thresholds.off_track", thr.get("off_track", 0.2))
    if not 0 <= off_track < on_track <= 1:
        raise InputError(f, "verdict_thresholds", "need 0 <= off_track < on_track <= 1",
                         "e.g. on_track: 0.8, off_track: 0.2")
    not_rep = raw.get("not_represented") or []
    if not isinstance(not_rep, list):
        raise InputError(f, "not_represented", "must be a list", "write each entry as '- {id: ..., reason: ...}'")
    for i, item in enumerate(not_rep):
        if not isinstance(item, dict) or not item.get("reason"):
            raise InputError(f, f"not_represented[{i}]", "each entry needs a 'reason'",
                             "say why the model does not represent this target")
    region = str(raw.get("region", "tianjin"))
    assumptions = raw.get("assumptions") or []
    if not isinstance(assumptions, list):
        raise InputError(f, "assumptions", "must be a list of sentences", "write each assumption as '- text'")
    as_of = raw.get("as_of")
    if as_of is not None and not VINTAGES[0] <= (as_of := _number(f, "as_of", as_of, integer=True)) <= VINTAGES[1]:
        raise InputError(f, "as_of", f"{as_of} is not a data vintage ({VINTAGES[0]}-{VINTAGES[1]})",
                         f"write as_of: {VINTAGES[1]} or earlier, or leave it out for the latest data")
    decision_year = raw.get("decision_year")
    if decision_year is not None:
        decision_year = _number(f, "decision_year", decision_year, integer=True)
        if not start < decision_year <= end:
            raise InputError(f, "decision_year", f"{decision_year} is outside the horizon {start + 1}..{end}",
                             "write the first budget year a new programme can start, e.g. decision_year: 2025")
    from .optimise.costs import parse_costs
    from .optimise.spec import parse_search

    costs = parse_costs(f, "costs", raw["costs"], model) if raw.get("costs") is not None else {}
    search = parse_search(f, raw.get("optimise"), model)
    return Scenario(
        name=name, path=path, description=str(raw.get("description", "")).strip(), region=region,
        model_path=Path(model.path), start=start, end=end, parameters=params,
        uncertain_parameters=uncertain, levers=levers, targets=targets, not_represented=not_rep,
        outputs=list(outputs), samples=samples, seed=seed, on_track=on_track, off_track=off_track,
        assumptions=[str(a) for a in assumptions], text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), raw=raw, as_of=as_of,
        decision_year=decision_year, costs=costs, search=search,
        zh=scenario_text.check_translations(f, raw),
    )


def _parameters(f: str, spec: Any, model) -> tuple[dict[str, float], list[UncertainParameter]]:
    if not isinstance(spec, dict):
        raise InputError(f, "parameters", "must be a mapping of parameter name to value",
                         "write parameters: {patent_average_life: 12}")
    fixed, uncertain = {}, []
    for key, value in spec.items():
        fld = f"parameters.{key}"
        if key not in model.constants:
            raise InputError(f, fld, "unknown parameter", _suggest(str(key), model.constants, "parameters"))
        if isinstance(value, dict):
            allowed = {"low", "high", "scale"}
            if set(value) - allowed or not ({"low", "high"} <= set(value) or "scale" in value):
                raise InputError(f, fld, "an uncertain parameter needs low and high, or scale: [low, high]",
                                 "write {low: 1, high: 2} or {scale: [0.5, 1.5]}")
            if "scale" in value:
                lo, hi = _pair(f, fld + ".scale", value["scale"])
                uncertain.append(UncertainParameter(key, lo, hi, scale=True))
            else:
                lo = _number(f, fld + ".low", value["low"])
                hi = _number(f, fld + ".high", value["high"])
                _check_range(f, fld, lo, hi)
                uncertain.append(UncertainParameter(key, lo, hi))
        else:
            v = _number(f, fld, value)
            if v < 0:
                raise InputError(f, fld, f"negative value {v}", "rates, stocks and lives are non-negative: use a value >= 0")
            fixed[key] = v
    return fixed, uncertain


def _pair(f: str, fld: str, value: Any) -> tuple[float, float]:
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise InputError(f, fld, "must be a pair [low, high]", "write e.g. [0.5, 1.5]")
    lo, hi = _number(f, fld, value[0]), _number(f, fld, value[1])
    _check_range(f, fld, lo, hi)
    return lo, hi


def _check_range(f: str, fld: str, lo: float, hi: float) -> None:
    if lo < 0 or hi < lo:
        raise InputError(f, fld, f"range [{lo}, {hi}] is empty or negative", "use 0 <= low <= high")


def _levers(f: str, spec: Any, model, start: int, end: int) -> dict[str, LeverPath]:
    if not isinstance(spec, dict):
        raise InputError(f, "levers", "must be a mapping of lever name to path",
                         "write levers: {new_incubators_path: {table: {2025: 20}}}")
    out = {}
    for given, value in spec.items():
        key = resolve_lever(given, model.lookups)
        if key is None:
            raise InputError(f, f"levers.{given}", "unknown lever", _suggest(str(given), model.lookups, "levers"))
        if key in out:
            raise InputError(f, f"levers.{given}", f"{key} is set twice (once by its Chinese name)",
                             "keep one entry per lever")
        out[key] = parse_lever(f, f"levers.{key}", value, model.lookups[key], model.lookup_limits.get(key), start, end)
    return out


def _targets(f: str, spec: Any, start: int, end: int) -> list[Target]:
    if not isinstance(spec, list):
        raise InputError(f, "targets", "must be a list", "write each target as '- id: ...' under targets:")
    out, ids = [], set()
    for i, t in enumerate(spec):
        fld = f"targets[{i}]"
        if not isinstance(t, dict):
            raise InputError(f, fld, "must be a mapping", "give id, indicator, year, comparison, value, unit, source, quote")
        unknown = set(t) - TARGET_KEYS
        if unknown:
            key = str(min(unknown, key=str))
            raise InputError(f, f"{fld}.{key}", "unknown key", _suggest(key, TARGET_KEYS, "target keys"))
        tid = _require(f, t, "id", str, fld)
        fld = f"targets[{tid}]"
        if tid in ids:
            raise InputError(f, f"{fld}.id", "duplicate target id", "give each target its own id")
        ids.add(tid)
        given = _require(f, t, "indicator", str, fld)
        ind = resolve_indicator(given)
        if ind is None:
            raise InputError(f, f"{fld}.indicator", f"unknown indicator {given!r}",
                             _suggest(given, INDICATORS, "indicators"))
        year = _number(f, f"{fld}.year", _require(f, t, "year", None, fld), integer=True)
        if not start < year <= end:
            raise InputError(f, f"{fld}.year", f"{year} is outside the horizon {start}..{end}",
                             f"use a year in {start + 1}..{end} or extend horizon.end (up to {MAX_YEAR})")
        comp = str(_require(f, t, "comparison", None, fld))
        if comp not in COMPARISONS:
            raise InputError(f, f"{fld}.comparison", f"unknown comparison {comp!r}", "use '>=' or '<='")
        value = _number(f, f"{fld}.value", _require(f, t, "value", None, fld))
        if value < 0:
            raise InputError(f, f"{fld}.value", "negative target", "targets are non-negative amounts")
        unit = str(_require(f, t, "unit", None, fld))
        if not unit_matches(INDICATORS[ind], unit):
            raise InputError(f, f"{fld}.unit", f"unit {unit!r} does not match {ind}",
                             f"{ind} is measured in {INDICATORS[ind].unit!r}: convert the value and write that unit")
        since = t.get("change_since")
        if since is not None:
            since = _number(f, f"{fld}.change_since", since, integer=True)
            if not start <= since < year:
                raise InputError(f, f"{fld}.change_since", f"{since} is not between {start} and the target year",
                                 f"use a year from {start} to {year - 1}")
        source = str(_require(f, t, "source", None, fld))
        quote = str(_require(f, t, "quote", None, fld))
        _check_quote(f, fld, source, quote)
        out.append(Target(tid, ind, year, COMPARISONS[comp], value, unit, source, quote, since,
                          str(t.get("label", "")), _actual(f, f"{fld}.actual", t.get("actual"))))
    return out


def _actual(f: str, fld: str, spec: Any) -> dict | None:
    """A past target's outcome: {value, source, quote?, note?}; the quote is checked like a target's."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or "value" not in spec or "source" not in spec:
        raise InputError(f, fld, "needs value and source (quote and note optional)",
                         "write actual: {value: 4093, source: ..., quote: ...}")
    if set(spec) - ACTUAL_KEYS:
        key = min(set(spec) - ACTUAL_KEYS)
        raise InputError(f, f"{fld}.{key}", "unknown key", _suggest(key, ACTUAL_KEYS, "keys"))
    value = _number(f, f"{fld}.value", spec["value"])
    if spec.get("quote"):
        _check_quote(f, fld, str(spec["source"]), str(spec["quote"]))
    return {"value": value, "source": str(spec["source"]), "quote": str(spec.get("quote", "")),
            "note": str(spec.get("note", ""))}


def _check_quote(f: str, fld: str, source: str, quote: str) -> None:
    """A target citing a source document must quote it verbatim (checked when shared/ is present)."""
    doc = paths.SOURCES / source
    if source.endswith(".txt") and paths.SOURCES.is_dir():
        if Path(source).name != source or not doc.is_file():
            raise InputError(f, f"{fld}.source", f"source document {source!r} not found",
                             f"name a file in {paths.SOURCES}")
        if quote not in _document(str(doc)):
            raise InputError(f, f"{fld}.quote", "quote not found verbatim in the source",
                             "copy the words exactly from the document, punctuation included")


@lru_cache(maxsize=16)
def _document(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _require(f: str, d: dict, key: str, typ, prefix: str = "") -> Any:
    fld = f"{prefix}.{key}" if prefix else key
    if key not in d or d[key] is None:
        raise InputError(f, fld, "missing", f"add '{key}:' (see scenarios/README.md)")
    if typ is str and not isinstance(d[key], (str, int)):
        raise InputError(f, fld, f"must be text, got {type(d[key]).__name__}", f"write {key}: some-text")
    return str(d[key]) if typ is str else d[key]


def _number(f: str, fld: str, value: Any, integer: bool = False) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f, fld, f"must be a number, got {_short(value)}",
                         "write a plain number without quotes or units" + (" (a whole year)" if integer else ""))
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise InputError(f, fld, "must be a finite number of sensible size", "write a plain number")
    if integer:
        if float(value) != int(value):
            raise InputError(f, fld, f"must be a whole number, got {value}", "write a year such as 2022")
        return int(value)
    return float(value)


def _short(value: Any) -> str:
    """``repr(value)`` cut to 40 characters, for messages."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _suggest(name: str, options, what: str) -> str:
    close = difflib.get_close_matches(name, list(options), n=3, cutoff=0.5)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    return f"use one of the {what}: " + ", ".join(sorted(options)[:12]) + (" ..." if len(options) > 12 else "")


def _shown(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
