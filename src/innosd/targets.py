"""Target verdicts over an ensemble: probability met, predictive interval, first year met."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ensemble import EnsembleResult
from .scenario import Target

VERDICTS = ("on track", "at risk", "off track")


def target_series(result: EnsembleResult, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """The quantity a target compares, (n, T) over years (T,): the indicator, or its change since a year."""
    data = result.data[target.indicator]
    if target.change_since is not None:
        data = data - result.at(target.indicator, target.change_since)[:, None]
    return result.time, data


def met_matrix(values: np.ndarray, target: Target) -> np.ndarray:
    """Boolean array like ``values``: the target's comparison holds."""
    return values >= target.value if target.comparison == ">=" else values <= target.value


def first_year_met(result: EnsembleResult, target: Target) -> np.ndarray:
    """First year (n,) from which the comparison holds in every later year of the horizon; +inf when never.

    Counted after ``change_since`` (or the start). "Sustained" rather than "first touched", so a
    level that is crossed, lost and regained dates from the year it is regained.
    """
    time, series = target_series(result, target)
    after = time > (target.change_since if target.change_since is not None else result.scenario.start)
    ok = met_matrix(series[:, after], target)
    sustained = np.flip(np.logical_and.accumulate(np.flip(ok, axis=1), axis=1), axis=1)
    years = time[after]
    idx = np.argmax(sustained, axis=1)
    return np.where(sustained.any(axis=1), years[idx], np.inf)


def evaluate(result: EnsembleResult) -> pd.DataFrame:
    """One row per target with ``p_met``, ``median``, ``q05``/``q95``, first year met, shortfall and verdict."""
    sc = result.scenario
    rows = []
    for t in sc.targets:
        time, series = target_series(result, t)
        at = series[:, int(np.argmin(np.abs(time - t.year)))]
        met = met_matrix(at, t)
        p = float(met.mean())
        first = first_year_met(result, t)
        gap = (t.value - at) if t.comparison == ">=" else (at - t.value)
        missed = ~met
        shortfall = float(gap[missed].mean()) if missed.any() else 0.0
        finite = np.isfinite(first)
        rows.append({
            "id": t.id,
            "indicator": t.indicator,
            "year": t.year,
            "comparison": t.comparison,
            "threshold": t.value,
            "unit": t.unit,
            "change_since": t.change_since if t.change_since is not None else "",
            "value": float(np.median(at)),
            "met": p >= 0.5,
            "p_met": p,
            "median": float(np.median(at)),
            "q05": float(np.quantile(at, 0.05)),
            "q25": float(np.quantile(at, 0.25)),
            "q75": float(np.quantile(at, 0.75)),
            "q95": float(np.quantile(at, 0.95)),
            "first_year_met": _quantile_year(first, 0.5),
            "first_year_met_median": _quantile_year(first, 0.5),
            "first_year_met_q05": _quantile_year(first, 0.05),
            "first_year_met_q95": _quantile_year(first, 0.95),
            "p_met_by_horizon": float(finite.mean()),
            "shortfall": shortfall,
            "shortfall_pct": 100.0 * shortfall / t.value if t.value else 0.0,
            "verdict": verdict(p, sc.on_track, sc.off_track),
            "source": t.source,
            "quote": t.quote,
            "samples": result.n,
        })
    return pd.DataFrame(rows)


def verdict(p: float, on_track: float = 0.8, off_track: float = 0.2) -> str:
    if p >= on_track:
        return "on track"
    if p <= off_track:
        return "off track"
    return "at risk"


def _quantile_year(first: np.ndarray, q: float) -> float:
    """Quantile of the first year met; NaN when that quantile is 'not within the horizon'."""
    v = np.quantile(first, q, method="inverted_cdf")
    return float(v) if np.isfinite(v) else float("nan")
