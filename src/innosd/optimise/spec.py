"""The ``optimise:`` block of a scenario: which levers to search, within which bounds, and how long.

```yaml
decision_year: 2025          # the search changes levers from this year on (scenario key)
optimise:
  levers:                    # default: every policy lever, from its base value to the model's upper bound
    new_incubators_path: {low: 12, high: 60}
    conversion_quota_path: {high: 3000}
    commissioner_dispatch_path: {}          # the default bounds
  population: 200            # candidates a generation
  generations: 15
  confidence: 0.8            # "met" in the cheapest-portfolio table means P(met) >= confidence
  samples: 1000              # members every candidate is judged on (default: the scenario's)
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..indicators import resolve_lever
from ..scenario_fields import suggest

KEYS = {"levers", "population", "generations", "confidence", "samples"}
DEFAULT_POPULATION = 200
DEFAULT_GENERATIONS = 15
DEFAULT_CONFIDENCE = 0.8


@dataclass(frozen=True)
class SearchSpec:
    """A validated ``optimise:`` block.

    ``levers`` maps each lever to search to its (low, high) bounds in lever units, None for the
    default of a bound; an empty mapping means every policy lever with default bounds.
    """

    levers: dict = field(default_factory=dict)
    population: int = DEFAULT_POPULATION
    generations: int = DEFAULT_GENERATIONS
    confidence: float = DEFAULT_CONFIDENCE
    samples: int | None = None


def parse_search(file: str, raw: Any, model) -> SearchSpec:
    """Validate a scenario's ``optimise:`` block against the model.

    Parameters
    ----------
    file : str
        The scenario file, for messages.
    raw : object
        The block as read from YAML (None: every default).
    model : CompiledModel
        Its lookups and their declared ranges (``lookup_limits``) check lever names and bounds.

    Raises
    ------
    innosd.errors.InputError
        An unknown key or lever, a bound outside the lever's range in the model file, low > high,
        or a size that is not a whole number >= 1.
    """
    if raw is None:
        return SearchSpec()
    if not isinstance(raw, dict):
        raise InputError(file, "optimise", "must be a mapping", "write optimise: {levers: {...}, generations: 15}")
    unknown = set(raw) - KEYS
    if unknown:
        key = str(min(unknown, key=str))
        raise InputError(file, f"optimise.{key}", "unknown key", suggest(key, KEYS, "keys"))
    levers = {}
    spec = raw.get("levers") or {}
    if isinstance(spec, list):
        spec = {name: {} for name in spec}
    if not isinstance(spec, dict):
        raise InputError(file, "optimise.levers", "must map lever names to bounds",
                         "write levers: {new_incubators_path: {low: 12, high: 60}}")
    for given, bounds in spec.items():
        levers.update(_lever_bounds(file, given, bounds, model))
    sizes = {}
    for key, default, low in (("population", DEFAULT_POPULATION, 8), ("generations", DEFAULT_GENERATIONS, 1),
                              ("samples", None, 1)):
        value = raw.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < low):
            raise InputError(file, f"optimise.{key}", f"must be a whole number >= {low}, got {value!r}",
                             f"write {key}: {default or 1000}")
        sizes[key] = value
    confidence = raw.get("confidence", DEFAULT_CONFIDENCE)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or not 0 < confidence < 1:
        raise InputError(file, "optimise.confidence", f"{confidence!r} is not a probability", "use e.g. 0.8")
    return SearchSpec(levers, sizes["population"], sizes["generations"], float(confidence), sizes["samples"])


def _lever_bounds(file: str, given, bounds, model) -> dict:
    """{lever: (low, high)} for one entry of ``optimise.levers``, checked against the model's range."""
    lever = resolve_lever(given, model.lookups)
    fld = f"optimise.levers.{given}"
    if lever is None:
        raise InputError(file, fld, "unknown lever", suggest(str(given), model.lookups, "levers"))
    bounds = bounds or {}
    if not isinstance(bounds, dict) or set(bounds) - {"low", "high"}:
        raise InputError(file, fld, "must be a mapping with low and/or high", "write {low: 12, high: 60} or {}")
    lo_lim, hi_lim = model.lookup_limits.get(lever, (float("-inf"), float("inf")))
    out = []
    for key in ("low", "high"):
        v = bounds.get(key)
        if v is None:
            out.append(None)
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError(file, f"{fld}.{key}", f"must be a number, got {v!r}", "write a plain number")
        if not lo_lim <= v <= hi_lim:
            raise InputError(file, f"{fld}.{key}", f"{v:g} is outside the lever's range [{lo_lim:g}, {hi_lim:g}] "
                             "in the model file", f"use a value from {lo_lim:g} to {hi_lim:g}")
        out.append(float(v))
    if out[0] is not None and out[1] is not None and out[0] > out[1]:
        raise InputError(file, fld, f"low {out[0]:g} is above high {out[1]:g}", "make low <= high")
    return {lever: tuple(out)}
