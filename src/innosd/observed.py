"""The cited observations in calibration/observed.csv."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import paths, textio
from .errors import InputError

HISTORY_KINDS = ("actual", "estimate", "actual-uncertain-year")
#: The columns observed.csv must have (documented in calibration/README.md).
COLUMNS = ("region", "indicator", "year", "value", "unit", "kind", "measure", "source", "quote", "note")


def load_observed(path: str | Path | None = None) -> pd.DataFrame:
    """The whole long table (region, indicator, year, value, unit, kind, measure, source, quote, note).

    Parameters
    ----------
    path : str or pathlib.Path, optional
        The CSV file (default: the current project's ``calibration/observed.csv``).

    Raises
    ------
    innosd.errors.InputError
        One line naming the file and the fix when it is missing, not UTF-8 text, not a CSV table,
        lacks a column, or holds a year or value that is not a finite number.
    """
    p = Path(path or paths.OBSERVED_CSV).resolve()
    try:
        stamp = p.stat().st_mtime_ns
    except OSError:
        raise InputError(textio.shown(p), "", "observations file not found",
                         "restore calibration/observed.csv from version control "
                         "(git checkout -- calibration/observed.csv)") from None
    return _load(str(p), stamp).copy()


@lru_cache(maxsize=4)
def _load(path: str, stamp: int) -> pd.DataFrame:
    df = textio.read_csv(path, "observations file", columns=COLUMNS, numeric=("year", "value"),
                         dtype={"quote": str, "note": str, "source": str})
    if (df["year"] % 1 != 0).any():
        row = int((df["year"] % 1 != 0).to_numpy().nonzero()[0][0])
        raise InputError(textio.shown(path), f"row {row + 2}, year", f"{df['year'].iloc[row]!r} is not a whole year",
                         "write the calendar year the figure describes, e.g. 2020")
    return df.astype({"year": int})


def history(region: str, indicator: str) -> pd.DataFrame:
    """Observed actuals and estimates of one indicator in one region, sorted by year."""
    df = load_observed()
    sel = df[(df.region == region) & (df.indicator == indicator) & df.kind.isin(HISTORY_KINDS)]
    return sel.sort_values("year")
