"""The cited observations in calibration/observed.csv."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from . import paths

HISTORY_KINDS = ("actual", "estimate", "actual-uncertain-year")


@lru_cache(maxsize=2)
def load_observed(path: str | None = None) -> pd.DataFrame:
    """The whole long table (region, indicator, year, value, unit, kind, measure, source, quote, note)."""
    p = path or paths.OBSERVED_CSV
    return pd.read_csv(p, dtype={"quote": str, "note": str, "source": str})


def history(region: str, indicator: str) -> pd.DataFrame:
    """Observed actuals and estimates of one indicator in one region, sorted by year."""
    df = load_observed()
    sel = df[(df.region == region) & (df.indicator == indicator) & df.kind.isin(HISTORY_KINDS)]
    return sel.sort_values("year")
