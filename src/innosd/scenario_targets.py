"""A scenario's ``targets:`` list: the plan targets, each checked against the indicators and its source.

The keys are documented in scenarios/README.md. :func:`parse_targets` is called by
:func:`innosd.scenario.load_scenario`; every problem is an :class:`~innosd.errors.InputError` naming
the file, the target (by its id once known) and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import scenario_text
from .errors import InputError
from .indicators import INDICATORS, resolve_indicator, unit_matches
from .scenario_fields import MAX_YEAR, check_quote, number, require, suggest

TARGET_KEYS = {"id", "indicator", "year", "comparison", "value", "unit", "source", "quote",
               "change_since", "label", "note", "actual"} | set(scenario_text.TARGET)
ACTUAL_KEYS = {"value", "source", "quote", "note"}
COMPARISONS = {">=": ">=", "at_least": ">=", "<=": "<=", "at_most": "<="}


@dataclass(frozen=True)
class Target:
    """A plan target: ``indicator`` (minus its value at ``change_since``, if set) ``comparison`` ``value``.

    Judged in ``year`` (a calendar year); ``value`` is in ``unit``, the indicator's own unit.
    """

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


def parse_targets(f: str, spec: Any, start: int, end: int) -> list[Target]:
    """Validate a scenario's ``targets:`` list.

    Parameters
    ----------
    f : str
        The scenario file, as shown in messages.
    spec : object
        The ``targets`` value read from YAML (a list of mappings).
    start, end : int
        The scenario's horizon (calendar years): a target year must be in ``start + 1 .. end``.

    Returns
    -------
    list of Target
        In the file's order; the ``comparison`` normalised to ``>=`` or ``<=``, the indicator to its
        canonical name.

    Raises
    ------
    innosd.errors.InputError
        For the first problem found: an unknown key or indicator, a duplicate id, a year outside the
        horizon, a unit that is not the indicator's, a quote not verbatim in its source, ...
    """
    if not isinstance(spec, list):
        raise InputError(f, "targets", "must be a list", "write each target as '- id: ...' under targets:")
    out, ids = [], set()
    for i, t in enumerate(spec):
        out.append(_target(f, i, t, ids, start, end))
    return out


def _target(f: str, i: int, t: Any, ids: set, start: int, end: int) -> Target:
    """The ``i``-th target; its id is added to ``ids`` (the ids seen so far, to refuse duplicates)."""
    fld = f"targets[{i}]"
    if not isinstance(t, dict):
        raise InputError(f, fld, "must be a mapping",
                         "give id, indicator, year, comparison, value, unit, source, quote")
    unknown = set(t) - TARGET_KEYS
    if unknown:
        key = str(min(unknown, key=str))
        raise InputError(f, f"{fld}.{key}", "unknown key", suggest(key, TARGET_KEYS, "target keys"))
    tid = require(f, t, "id", str, fld)
    fld = f"targets[{tid}]"                  # once the id is known, messages name the target by it
    if tid in ids:
        raise InputError(f, f"{fld}.id", "duplicate target id", "give each target its own id")
    ids.add(tid)
    ind = _indicator(f, fld, t)
    year = number(f, f"{fld}.year", require(f, t, "year", None, fld), integer=True)
    if not start < year <= end:
        raise InputError(f, f"{fld}.year", f"{year} is outside the horizon {start}..{end}",
                         f"use a year in {start + 1}..{end} or extend horizon.end (up to {MAX_YEAR})")
    comp = str(require(f, t, "comparison", None, fld))
    if comp not in COMPARISONS:
        raise InputError(f, f"{fld}.comparison", f"unknown comparison {comp!r}", "use '>=' or '<='")
    value = number(f, f"{fld}.value", require(f, t, "value", None, fld))
    if value < 0:
        raise InputError(f, f"{fld}.value", "negative target", "targets are non-negative amounts")
    unit = _unit(f, fld, t, ind)
    since = _change_since(f, fld, t.get("change_since"), start, year)
    source = str(require(f, t, "source", None, fld))
    quote = str(require(f, t, "quote", None, fld))
    check_quote(f, fld, source, quote)
    return Target(tid, ind, year, COMPARISONS[comp], value, unit, source, quote, since,
                  str(t.get("label", "")), _actual(f, f"{fld}.actual", t.get("actual")))


def _indicator(f: str, fld: str, t: dict) -> str:
    """The canonical name of the target's indicator (a Chinese name is accepted)."""
    given = require(f, t, "indicator", str, fld)
    ind = resolve_indicator(given)
    if ind is None:
        raise InputError(f, f"{fld}.indicator", f"unknown indicator {given!r}",
                         suggest(given, INDICATORS, "indicators"))
    return ind


def _unit(f: str, fld: str, t: dict, ind: str) -> str:
    """The target's unit as written, refused unless it is the indicator's unit (no conversion is made)."""
    unit = str(require(f, t, "unit", None, fld))
    if not unit_matches(INDICATORS[ind], unit):
        raise InputError(f, f"{fld}.unit", f"unit {unit!r} does not match {ind}",
                         f"{ind} is measured in {INDICATORS[ind].unit!r}: convert the value and write that unit")
    return unit


def _change_since(f: str, fld: str, since: Any, start: int, year: int) -> int | None:
    """The base year of a target on a change (``start`` .. ``year - 1``), or None for a target on the level."""
    if since is None:
        return None
    since = number(f, f"{fld}.change_since", since, integer=True)
    if not start <= since < year:
        raise InputError(f, f"{fld}.change_since", f"{since} is not between {start} and the target year",
                         f"use a year from {start} to {year - 1}")
    return since


def _actual(f: str, fld: str, spec: Any) -> dict | None:
    """A past target's outcome: {value, source, quote?, note?}; the quote is checked like a target's."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or "value" not in spec or "source" not in spec:
        raise InputError(f, fld, "needs value and source (quote and note optional)",
                         "write actual: {value: 4093, source: ..., quote: ...}")
    if set(spec) - ACTUAL_KEYS:
        key = min(set(spec) - ACTUAL_KEYS)
        raise InputError(f, f"{fld}.{key}", "unknown key", suggest(key, ACTUAL_KEYS, "keys"))
    value = number(f, f"{fld}.value", spec["value"])
    if spec.get("quote"):
        check_quote(f, fld, str(spec["source"]), str(spec["quote"]))
    return {"value": value, "source": str(spec["source"]), "quote": str(spec.get("quote", "")),
            "note": str(spec.get("note", ""))}
