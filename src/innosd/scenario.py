"""Scenario files: load YAML, validate every field against the model, return a Scenario.

The schema is documented in scenarios/README.md. Every problem is raised as an
:class:`~innosd.errors.InputError` naming the file, the field and the fix.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from . import paths
from .errors import InputError
from .indicators import INDICATORS, unit_matches
from .levers import LeverPath, parse_lever

MAX_YEAR = 2035
TOP_LEVEL_KEYS = {
    "name", "description", "region", "model", "extends", "horizon", "parameters", "levers",
    "uncertainty", "targets", "not_represented", "outputs", "verdict_thresholds", "assumptions", "as_of",
}
VINTAGES = (2016, 2022)  #: data vintages a scenario may be judged ``as_of``: the years observed.csv covers
TARGET_KEYS = {"id", "indicator", "year", "comparison", "value", "unit", "source", "quote",
               "change_since", "label", "note", "actual"}
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
    #: data vintage the scenario is judged as of (None: the latest committed calibration)
    as_of: int | None = None

    @property
    def years(self) -> np.ndarray:
        return np.arange(self.start, self.end + 1)

    @property
    def calibrated(self) -> bool:
        """True for Tianjin scenarios, which rest on the calibration; other regions rest on assumptions."""
        return self.region == "tianjin"


def load_scenario(path: str | Path, model=None) -> Scenario:
    """Read and validate a scenario file. ``model`` is a compiled engine model (compiled if None)."""
    path = Path(path)
    raw, text = _read_yaml(path, seen=())
    if model is None:
        from .model import load_model
        model = load_model(_model_path(path, raw))
    return _validate(path, raw, text, model)


def _read_yaml(path: Path, seen: tuple) -> tuple[dict, str]:
    shown = _shown(path)
    if not path.is_file():
        raise InputError(shown, "", "file not found",
                         f"check the path; bundled scenarios are in {_shown(paths.SCENARIOS)}/")
    text = path.read_text(encoding="utf-8")
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(shown, where, f"not valid YAML ({problem})",
                         "fix the indentation or quoting near that line") from None
    if not isinstance(raw, dict):
        raise InputError(shown, "(top level)", "a scenario must be a mapping of keys to values",
                         "start the file with 'name: <file name>' and the other keys of scenarios/README.md")
    if "extends" in raw:
        base_path = path.parent / str(raw["extends"])
        if base_path.resolve() in seen or base_path.resolve() == path.resolve():
            raise InputError(shown, "extends", "scenarios extend each other in a circle",
                             "make the base scenario not extend this one")
        if not base_path.is_file():
            raise InputError(shown, "extends", f"base scenario {raw['extends']!r} not found",
                             "give a file name relative to this scenario, e.g. tianjin-2027-plan.yaml")
        base, _ = _read_yaml(base_path, seen + (path.resolve(),))
        raw = _merge(base, raw)
    return raw, text


def _merge(base: dict, child: dict) -> dict:
    """Child keys win; mappings (parameters, levers, uncertainty, ...) merge one level deep."""
    out = {k: v for k, v in base.items() if k not in ("name", "extends")}
    for key, value in child.items():
        if key == "extends":
            continue
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _model_path(path: Path, raw: dict) -> Path:
    if "model" in raw:
        p = (path.parent / str(raw["model"])).resolve()
        if not p.is_file():
            raise InputError(_shown(path), "model", f"model file {raw['model']!r} not found",
                             "give the .mdl path relative to the scenario, or leave 'model' out for the bundled model")
        return p
    return paths.MODEL_FILE


def _validate(path: Path, raw: dict, text: str, model) -> Scenario:
    f = _shown(path)
    unknown = set(raw) - TOP_LEVEL_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise InputError(f, key, "unknown key", _suggest(key, TOP_LEVEL_KEYS, "allowed keys"))
    name = _require(f, raw, "name", str)
    if name != path.stem:
        raise InputError(f, "name", f"name {name!r} differs from the file name",
                         f"set name: {path.stem} (outputs go to reports/<name>/)")
    horizon = raw.get("horizon") or {}
    if not isinstance(horizon, dict):
        raise InputError(f, "horizon", "must be a mapping", "write horizon: {start: 2016, end: 2030}")
    initial = int(round(model.control["initial_time"]))
    start = _number(f, "horizon.start", horizon.get("start", initial), integer=True)
    end = _number(f, "horizon.end", horizon.get("end", int(round(model.control["final_time"]))), integer=True)
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
        if ind not in INDICATORS:
            raise InputError(f, f"outputs[{i}]", f"unknown indicator {ind!r}",
                             _suggest(str(ind), INDICATORS, "indicators"))
    unc = raw.get("uncertainty") or {}
    if not isinstance(unc, dict):
        raise InputError(f, "uncertainty", "must be a mapping", "write uncertainty: {samples: 1000, seed: 1}")
    samples = _number(f, "uncertainty.samples", unc.get("samples", 1000), integer=True)
    seed = _number(f, "uncertainty.seed", unc.get("seed", 20201231), integer=True)
    if samples < 1:
        raise InputError(f, "uncertainty.samples", "must be at least 1", "use e.g. samples: 1000")
    thr = raw.get("verdict_thresholds") or {}
    on_track = _number(f, "verdict_thresholds.on_track", thr.get("on_track", 0.8))
    off_track = _number(f, "verdict_thresholds.off_track", thr.get("off_track", 0.2))
    if not 0 <= off_track < on_track <= 1:
        raise InputError(f, "verdict_thresholds", "need 0 <= off_track < on_track <= 1",
                         "e.g. on_track: 0.8, off_track: 0.2")
    not_rep = raw.get("not_represented") or []
    for i, item in enumerate(not_rep):
        if not isinstance(item, dict) or not item.get("reason"):
            raise InputError(f, f"not_represented[{i}]", "each entry needs a 'reason'",
                             "say why the model does not represent this target")
    region = str(raw.get("region", "tianjin"))
    as_of = raw.get("as_of")
    if as_of is not None and not VINTAGES[0] <= (as_of := _number(f, "as_of", as_of, integer=True)) <= VINTAGES[1]:
        raise InputError(f, "as_of", f"{as_of} is not a data vintage ({VINTAGES[0]}-{VINTAGES[1]})",
                         f"write as_of: {VINTAGES[1]} or earlier, or leave it out for the latest data")
    return Scenario(
        name=name, path=path, description=str(raw.get("description", "")).strip(), region=region,
        model_path=Path(model.path), start=start, end=end, parameters=params,
        uncertain_parameters=uncertain, levers=levers, targets=targets, not_represented=not_rep,
        outputs=list(outputs), samples=samples, seed=seed, on_track=on_track, off_track=off_track,
        assumptions=[str(a) for a in raw.get("assumptions") or []], text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), raw=raw, as_of=as_of,
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
    for key, value in spec.items():
        fld = f"levers.{key}"
        if key not in model.lookups:
            raise InputError(f, fld, "unknown lever", _suggest(str(key), model.lookups, "levers"))
        out[key] = parse_lever(f, fld, value, model.lookups[key], model.lookup_limits.get(key), start, end)
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
            key = sorted(unknown)[0]
            raise InputError(f, f"{fld}.{key}", "unknown key", _suggest(key, TARGET_KEYS, "target keys"))
        tid = _require(f, t, "id", str, fld)
        fld = f"targets[{tid}]"
        if tid in ids:
            raise InputError(f, f"{fld}.id", "duplicate target id", "give each target its own id")
        ids.add(tid)
        ind = _require(f, t, "indicator", str, fld)
        if ind not in INDICATORS:
            raise InputError(f, f"{fld}.indicator", f"unknown indicator {ind!r}", _suggest(ind, INDICATORS, "indicators"))
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
        if not doc.is_file():
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
        raise InputError(f, fld, f"must be a number, got {value!r}",
                         "write a plain number without quotes or units" + (" (a whole year)" if integer else ""))
    if not np.isfinite(value):
        raise InputError(f, fld, "must be finite", "write a plain number")
    if integer:
        if float(value) != int(value):
            raise InputError(f, fld, f"must be a whole number, got {value}", "write a year such as 2022")
        return int(value)
    return float(value)


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
