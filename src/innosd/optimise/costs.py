"""Lever costs: 亿元 per unit of a lever and per year, each with its source or declared assumption.

``calibration/levers.yaml`` holds one entry per policy lever; a scenario may override entries
under ``costs:`` with the same keys. Every entry carries its ``basis``: ``document`` (a quote from
a source document, checked verbatim), ``statistic`` (a public statistic: title and year, and the
figure as quoted in ``shared/data``) or ``assumption`` (a declared judgement with its reasoning).

A portfolio's cost is what it spends beyond its base scenario from the decision year to the last
target year: sum over levers j and years Y of (value_j(Y) - base_j(Y)) x cost_per_unit_j
(:func:`portfolio_costs`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import paths, textio
from ..errors import InputError
from ..indicators import LEVERS, resolve_lever
from ..scenario_fields import check_quote, suggest

BASES = ("document", "statistic", "assumption")
KEYS = {"cost_per_unit", "basis", "source", "quote", "reasoning", "reasoning_zh"}
FILE_NAME = "levers.yaml"


@dataclass(frozen=True)
class LeverCost:
    """The cost of one lever: ``cost_per_unit`` 亿元 per lever unit per year, and where the number comes from.

    ``origin`` is the file the entry was read from (``calibration/levers.yaml`` or a scenario).
    """

    lever: str
    cost_per_unit: float
    basis: str
    source: str
    quote: str
    reasoning: str
    origin: str
    reasoning_zh: str = ""      # the reasoning in Chinese, for the Chinese report (optional)


def parse_costs(file: str, field: str, raw: Any, model) -> dict[str, LeverCost]:
    """Validate a mapping lever -> cost entry (``levers:`` of levers.yaml, or a scenario's ``costs:``).

    Parameters
    ----------
    file, field : str
        Where the mapping is, for messages (``field`` is e.g. ``costs`` or ``levers``).
    raw : object
        The mapping as read from YAML.
    model : CompiledModel
        Its lookups are the levers that may be costed.

    Returns
    -------
    dict of str to LeverCost
        By the model's lever name (Chinese names are resolved).

    Raises
    ------
    innosd.errors.InputError
        An unknown lever or key, a negative or missing cost, an unknown basis, a quote not found
        verbatim in its source, or an assumption without reasoning.
    """
    if not isinstance(raw, dict):
        raise InputError(file, field, "must map lever names to cost entries",
                         "write e.g. new_incubators_path: {cost_per_unit: 0.02, basis: assumption, reasoning: ...}")
    out = {}
    for given, entry in raw.items():
        lever = resolve_lever(given, model.lookups)
        fld = f"{field}.{given}"
        if lever is None:
            raise InputError(file, fld, "unknown lever", suggest(str(given), model.lookups, "levers"))
        if not isinstance(entry, dict):
            raise InputError(file, fld, "must be a mapping", "give cost_per_unit, basis and source/quote or reasoning")
        unknown = set(entry) - KEYS
        if unknown:
            raise InputError(file, f"{fld}.{min(unknown)}", "unknown key", "use " + ", ".join(sorted(KEYS)))
        cost = entry.get("cost_per_unit")
        if isinstance(cost, bool) or not isinstance(cost, (int, float)) or not np.isfinite(cost) or cost < 0:
            raise InputError(file, f"{fld}.cost_per_unit",
                             f"must be a number >= 0 (亿元 per unit and year), got {cost!r}",
                             "write a plain number such as 0.02")
        basis = entry.get("basis")
        if basis not in BASES:
            raise InputError(file, f"{fld}.basis", f"unknown basis {basis!r}", "use " + ", ".join(BASES))
        source, quote = str(entry.get("source", "") or ""), str(entry.get("quote", "") or "")
        reasoning = " ".join(str(entry.get("reasoning", "") or "").split())
        if basis == "assumption" and not reasoning:
            raise InputError(file, f"{fld}.reasoning", "an assumption needs its reasoning",
                             "say why the cost is of this size")
        if basis in ("document", "statistic"):
            if not source or not quote:
                raise InputError(file, fld, f"basis {basis} needs source and quote",
                                 "cite the document (file name) or statistic (title and year) and quote the figure")
            _check_cited(file, fld, basis, source, quote)
        elif source and quote and source.endswith(".txt"):
            _check_cited(file, fld, "document", source, quote)
        reasoning_zh = " ".join(str(entry.get("reasoning_zh", "") or "").split())
        out[lever] = LeverCost(lever, float(cost), basis, source, quote, reasoning, file, reasoning_zh)
    return out


def _check_cited(file: str, fld: str, basis: str, source: str, quote: str) -> None:
    """A quote must be verbatim in its source document, or (a statistic) in the public statistics tables."""
    if basis == "document" or source.endswith(".txt"):
        check_quote(file, fld, source, quote)
        return
    data = paths.SOURCES.parent / "data"
    if data.is_dir() and not any(quote in p.read_text(encoding="utf-8") for p in sorted(data.glob("*.csv"))):
        raise InputError(file, f"{fld}.quote", "quote not found in the public statistics (shared/data/*.csv)",
                         "copy the quote cell of the statistic exactly, or declare basis: assumption")


def load_costs(scenario, model) -> dict[str, LeverCost]:
    """The lever costs a scenario runs with: calibration/levers.yaml, then the scenario's ``costs:`` overrides.

    Parameters
    ----------
    scenario : Scenario
        Its ``costs`` (already validated) override the project's entries lever by lever.
    model : CompiledModel

    Returns
    -------
    dict of str to LeverCost
    """
    out = {}
    path = Path(paths.CALIBRATION) / FILE_NAME
    if path.is_file():
        raw, _ = textio.read_yaml(path, "yaml", "lever cost file")
        if not isinstance(raw, dict) or "levers" not in raw:
            raise InputError(textio.shown(path), "levers", "missing", "list the lever costs under 'levers:'")
        out.update(parse_costs(textio.shown(path), "levers", raw["levers"], model))
    out.update(getattr(scenario, "costs", None) or {})
    return out


def require_costs(costs: dict[str, LeverCost], levers, file: str) -> None:
    """Every lever being optimised must have a cost (InputError naming the first without one)."""
    for lever in levers:
        if lever not in costs:
            raise InputError(file, f"costs.{lever}", "no cost for a lever being optimised",
                             f"add {lever} to calibration/{FILE_NAME} or to the scenario's costs: "
                             "{cost_per_unit: ..., basis: assumption, reasoning: ...}")


def portfolio_costs(levels: np.ndarray, starts: np.ndarray, base: np.ndarray, years: np.ndarray,
                    per_unit: np.ndarray) -> np.ndarray:
    """Extra spending of k portfolios per lever, 亿元.

    Parameters
    ----------
    levels : numpy.ndarray
        (k, L) each lever's value from its start year on, in lever units.
    starts : numpy.ndarray
        (k, L) the calendar year each lever's change starts (whole years).
    base : numpy.ndarray
        (L, Y) the base scenario's value of each lever in each year of ``years``.
    years : numpy.ndarray
        (Y,) the budget years, the decision year to the last target year.
    per_unit : numpy.ndarray
        (L,) 亿元 per lever unit per year.

    Returns
    -------
    numpy.ndarray
        (k, L): sum over the years from each start of (level - base) x cost per unit. Negative
        where a portfolio spends less than the base scenario.
    """
    on = years[None, None, :] >= starts[:, :, None]                      # (k, L, Y)
    extra = np.where(on, levels[:, :, None] - base[None], 0.0)
    return extra.sum(axis=2) * per_unit[None, :]


def costs_table(costs: dict[str, LeverCost], optimised=()) -> pd.DataFrame:
    """costs.csv: one row per costed lever with its unit, cost per unit and year, basis, source, quote, reasoning."""
    rows = []
    for lever, c in costs.items():
        info = LEVERS.get(lever)
        rows.append({"lever": lever, "label": info.zh if info else lever, "unit": info.unit if info else "",
                     "cost_per_unit": c.cost_per_unit,
                     "cost_unit": f"亿元 per ({info.unit if info else 'unit'}) a year",
                     "basis": c.basis, "source": c.source, "quote": c.quote, "reasoning": c.reasoning,
                     "reasoning_zh": c.reasoning_zh, "origin": c.origin, "optimised": lever in set(optimised)})
    return pd.DataFrame(rows, columns=["lever", "label", "unit", "cost_per_unit", "cost_unit", "basis", "source",
                                       "quote", "reasoning", "reasoning_zh", "origin", "optimised"])
