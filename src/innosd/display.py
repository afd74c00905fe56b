"""How numbers and the planner's results table look: the same in the terminal, the CSV files and the PDF.

* :func:`number`: plain numbers with thousands separators and about three significant digits,
  never scientific notation (``48,350``, ``3.46``, ``0.045``).
* :func:`csv_number`: the machine-readable form for CSV files: plain decimals, six significant
  digits, no separators, never scientific notation (``48350.1``).
* :func:`target_cells`: the planner's results table (the columns of ``targets.csv`` a planner
  reads: goal, median, q05, q95, p_met, verdict, first year met, shortfall, kind) as text cells,
  for the terminal (:func:`format_targets`) and the PDF alike.
* :func:`width` / :func:`pad`: terminal column widths that count Chinese characters as two.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
import pandas as pd

#: Width of a terminal table (the planner's table and ``compare`` fit it).
LINE_WIDTH = 100
#: Shown for a missing value (e.g. P(met) of a target set by assumption).
MISSING = "-"


def number(value, signif: int = 3) -> str:
    """``value`` as a planner reads it: thousands separators, ~``signif`` significant digits, no exponent.

    Integers of any size keep every digit (``15,000``); values of 100 and more are rounded to whole
    numbers; smaller ones keep ``signif`` significant digits with trailing zeros dropped.

    >>> number(48350.2), number(3.4617), number(0.0450), number(1e12), number(float("nan"))
    ('48,350', '3.46', '0.045', '1,000,000,000,000', '-')
    """
    if value is None or isinstance(value, str):
        return MISSING if value in (None, "") else value
    v = float(value)
    if math.isnan(v):
        return MISSING
    if math.isinf(v):
        return "∞" if v > 0 else "-∞"
    a = abs(v)
    if a >= 100 or a == 0:
        return f"{v:,.0f}"
    decimals = max(0, signif - 1 - math.floor(math.log10(a)))
    text = f"{v:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def decimals_of(value, signif: int = 3) -> int:
    """Decimals :func:`number` shows for ``value`` (0 from 100 up)."""
    a = abs(float(value))
    if not math.isfinite(a) or a >= 100 or a == 0:
        return 0
    return max(0, signif - 1 - math.floor(math.log10(a)))


def signed(value, like=None, signif: int = 3) -> str:
    """A change with an explicit sign, at the precision :func:`number` shows ``like`` with (``+0.31``, ``-120``).

    ``like`` is the quantity that changed (default: ``value`` itself); a change that rounds to
    zero at that precision shows as ``0``.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    decimals = decimals_of(value if like is None else like, signif)
    text = f"{float(value):+,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return "0"
    return text


def csv_number(value: float) -> str:
    """A float for CSV files: six significant digits, plain decimals, no separators, no exponent."""
    v = float(value)
    if not math.isfinite(v):
        return "" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return np.format_float_positional(v, precision=6, unique=False, fractional=False, trim="-")


def probability(p) -> str:
    """A probability with two decimals (``0.25``), or :data:`MISSING`."""
    return MISSING if p is None or (isinstance(p, float) and math.isnan(p)) else f"{float(p):.2f}"


def year(value, end: int | None = None) -> str:
    """A year as ``2027``; a missing one as ``>END`` (not within the horizon) or :data:`MISSING`."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return f">{end}" if end else MISSING
    return f"{float(value):.0f}"


def goal(comparison: str, value) -> str:
    """``≥2,600`` / ``≤3.2``."""
    sign = {">=": "≥", "<=": "≤"}.get(comparison, comparison)
    return f"{sign}{number(value)}"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: East Asian wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in str(text))


def pad(text: str, cols: int, align: str = "<") -> str:
    """``text`` padded with spaces to ``cols`` terminal columns (``<`` left, ``>`` right)."""
    fill = " " * max(0, cols - width(text))
    return text + fill if align == "<" else fill + text


#: The planner's table: (column of targets.csv, heading, alignment). ``target`` is the id.
TARGET_COLUMNS = (
    ("id", "target", "<"), ("year", "year", ">"), ("goal", "goal", ">"), ("median", "median", ">"),
    ("q05", "q05", ">"), ("q95", "q95", ">"), ("p_met", "P(met)", ">"), ("first_year_met", "first met", ">"),
    ("shortfall", "shortfall", ">"), ("verdict", "verdict", "<"),
)
#: The extra column of a scenario that states what actually happened (``actual:`` per target).
ACTUAL_COLUMN = ("actual", "actual", "<")


def target_cells(table: pd.DataFrame, end: int | None = None) -> pd.DataFrame:
    """The planner's results table as text cells, one row per target.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`innosd.targets.evaluate`'s table (or ``targets.csv`` read back).
    end : int, optional
        The horizon's last year: a target not met within it shows first met ``>END``.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, year, goal, median, q05, q95, p_met, first_year_met, shortfall, verdict, kind``
        and ``actual`` (the published value and whether it met the goal, empty when the scenario
        states none) as strings; ``p_met`` is :data:`MISSING` for a target set by assumption (``kind``).
    """
    rows = []
    for r in table.itertuples(index=False):
        actual = getattr(r, "actual", float("nan"))
        rows.append({
            "id": str(r.id), "year": f"{int(r.year)}", "goal": goal(r.comparison, r.goal),
            "median": number(r.median), "q05": number(r.q05), "q95": number(r.q95),
            "p_met": MISSING if r.kind == "assumption" else probability(r.p_met),
            "first_year_met": year(r.first_year_met, end), "shortfall": number(r.shortfall),
            "verdict": str(r.verdict), "kind": str(r.kind),
            "actual": "" if actual != actual else
                      f"{number(actual)} ({'met' if getattr(r, 'actual_met', False) else 'missed'})",
        })
    return pd.DataFrame(rows, columns=[c for c, _, _ in TARGET_COLUMNS] + ["kind", "actual"])


def format_targets(table: pd.DataFrame, end: int | None = None, line_width: int = LINE_WIDTH) -> str:
    """The planner's results table for a terminal, at most ``line_width`` columns wide.

    A header line gives the data vintage and the ensemble size; a target id too wide for its
    column goes on a line of its own above its row, so the columns stay aligned.
    """
    cells = target_cells(table, end)
    columns = TARGET_COLUMNS + ((ACTUAL_COLUMN,) if (cells["actual"] != "").any() else ())
    return "\n".join(_header(table) + aligned(cells, columns, line_width))


def aligned(cells: pd.DataFrame, columns, line_width: int = LINE_WIDTH) -> list[str]:
    """Rows of text ``cells`` under ``columns`` ((column, heading, align), first one the wrapped label).

    Widths fit the content (counting Chinese characters as two); the first column gets what is left
    of ``line_width`` and a longer label goes on its own line.
    """
    keys = [c for c, _, _ in columns]
    widths = {c: max([width(h)] + [width(v) for v in cells[c]]) for c, h, _ in columns}
    rest = sum(widths[c] for c in keys[1:-1]) + len(keys) - 1 + widths[keys[-1]]
    first = keys[0]
    widths[first] = max(width(columns[0][1]), min(widths[first], line_width - rest))
    head = " ".join(pad(h, widths[c], a if c != keys[-1] else "<") for c, h, a in columns).rstrip()
    body = []
    for _, row in cells.iterrows():
        label = row[first]
        if width(label) > widths[first]:
            body.append(label)
            label = ""
        body.append(" ".join(pad(label if c == first else row[c], widths[c], a) for c, _, a in columns).rstrip())
    rule = "-" * min(line_width, max(width(line) for line in [head] + body))
    return [head, rule] + body


def _header(table: pd.DataFrame) -> list[str]:
    if table.empty:
        return ["no targets"]
    parts = []
    vintage = table["vintage"].iloc[0] if "vintage" in table else None
    if vintage is not None and not (isinstance(vintage, float) and math.isnan(vintage)) and vintage != "":
        parts.append(f"data vintage {int(vintage)} (figures up to {int(vintage)})")
    else:
        parts.append("data vintage: none (model defaults, not calibrated)")
    if "samples" in table:
        parts.append(f"{number(table['samples'].iloc[0])} members")
    return [", ".join(parts),
            "P(met): share of members meeting the goal; q05-q95: 90% range; shortfall: mean gap where missed"]
