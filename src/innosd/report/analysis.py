"""Numbers the report derives from files: plan period, drivers from a sensitivity table, the calibration files.

Nothing here draws and nothing runs the model; every function returns plain values or DataFrames.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import paths

TOP_DRIVERS = 8


def plan_period(years) -> tuple[int, int] | None:
    """The plan period shaded on the charts: two years before the earliest target year to the latest.

    Parameters
    ----------
    years : iterable of int, or of objects with ``year``
        The targets' years.

    Returns
    -------
    (int, int) or None
        A 2022 plan (2020-2022) and a 2027 plan (2025-2027) both come out as their plans' own periods.
    """
    ys = [int(getattr(y, "year", y)) for y in years]
    if not ys:
        return None
    return min(ys) - 2, max(ys)


def sensitivity_table(df: pd.DataFrame) -> tuple[pd.DataFrame, str] | None:
    """(table with an ``output`` column, metric) of a Sobol or Morris result, or None when it is not one."""
    key = next((c for c in ("target", "output") if c in df.columns), None)
    metric = next((m for m in ("ST", "S1", "mu_star", "sigma") if m in df.columns), None)
    if key is None or metric is None or "parameter" not in df.columns:
        return None
    return df.rename(columns={key: "output"}), metric


def drivers_from_file(df: pd.DataFrame, metric: str, target_id: str, indicator: str) -> pd.DataFrame:
    """Rows of a sensitivity table for one target (by id, else by indicator), largest ``metric`` first."""
    rows = df[df.output.astype(str) == target_id]
    if rows.empty:
        rows = df[df.output.astype(str) == indicator]
    return rows.dropna(subset=[metric]).sort_values(metric, ascending=False).head(TOP_DRIVERS)


def fit_files(folder=None) -> tuple[pd.DataFrame | None, dict | None]:
    """fit_table.csv and fit.yaml of a calibration folder (default ``calibration/``); None for each one absent.

    fit.yaml is read by its one reader, :func:`innosd.calibration.fitfile.read_fit` (a file reader, not the sampler).
    """
    from ..calibration.fitfile import read_fit

    folder = paths.CALIBRATION if folder is None else folder
    table_path = folder / "fit_table.csv"
    return _fit_table(str(table_path), _stamp(table_path)), read_fit(folder / "fit.yaml")


def _stamp(p) -> tuple:
    try:
        st = p.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return ()


@lru_cache(maxsize=2)
def _fit_table(table_path: str, table_stamp: tuple) -> pd.DataFrame | None:
    if not table_stamp:
        return None
    try:
        return pd.read_csv(table_path)
    except (OSError, ValueError, pd.errors.ParserError):
        return None


def priors() -> dict:
    """Name -> {low, high, prior, unit, why} of calibration/parameters.yaml, through its one reader."""
    from ..calibration.priors import prior_records

    try:
        return prior_records()
    except (OSError, ValueError, KeyError):
        return {}
