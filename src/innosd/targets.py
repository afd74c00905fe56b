"""Target verdicts over an ensemble: probability met, predictive interval, first year met."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .ensemble import EnsembleResult
from .quantity import target_quantity, target_value
from .scenario_targets import Target

VERDICTS = ("on track", "at risk", "off track")
#: Verdicts of a target whose value no uncertain quantity moves (``kind`` = assumption).
ASSUMPTION_VERDICTS = ("met by assumption", "not met by assumption")


def target_series(result: EnsembleResult, target: Target) -> tuple[np.ndarray, np.ndarray]:
    """The quantity a target compares, (n, T) over years (T,): the indicator, or its change since a year."""
    return result.time, target_quantity(result.time, result.data[target.indicator], target)


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


#: The columns of ``targets.csv`` and of :func:`evaluate`, in order; each is defined in reports/README.md.
#: Per-structure probabilities (``p_met_<structure>``, :func:`columns`) come right after ``p_met_se`` when the
#: model declares structures.
COLUMNS = (
    "id", "label", "indicator", "year", "comparison", "goal", "unit", "change_since", "kind",
    "median", "q05", "q25", "q75", "q95", "p_met", "p_met_se", "verdict",
    "first_year_met", "first_year_met_q05", "first_year_met_q95", "p_met_by_horizon",
    "shortfall", "shortfall_pct", "vintage", "actual", "actual_met", "samples", "source", "quote",
)

#: Relative spread below which a target's value is taken as fixed by the scenario's assumptions.
ASSUMPTION_RTOL = 1e-9


#: Prefix of the per-structure probability columns.
STRUCTURE_PREFIX = "p_met_"


def columns(result: EnsembleResult) -> list[str]:
    """The columns of :func:`evaluate` for ``result``.

    :data:`COLUMNS` with ``p_met_<structure>`` for every structure the model declares inserted after ``p_met_se``.
    """
    cols = list(COLUMNS)
    at = cols.index("p_met_se") + 1
    return cols[:at] + [STRUCTURE_PREFIX + name for name in result.structure_names] + cols[at:]


def evaluate(result: EnsembleResult) -> pd.DataFrame:
    """Judge every target of ``result.scenario`` over the ensemble.

    Parameters
    ----------
    result : EnsembleResult
        The ensemble (n members).

    Returns
    -------
    pandas.DataFrame
        One row per target with the columns :func:`columns` (:data:`COLUMNS`, and ``p_met_<structure>``: the
        share of the structure's members meeting the goal, empty when it has no member or for an
        assumption; ``p_met`` combines the structures by their weights). ``kind`` is ``forecast`` when the
        target's value varies across members and ``assumption`` when no uncertain quantity moves it
        (then ``p_met``/``p_met_se`` are empty and the verdict reads "met by assumption" or "not met
        by assumption"). ``p_met_se`` is the Monte Carlo standard error sqrt(p (1 - p) / n_eff), n_eff the
        ensemble's effective size (members resampled from fewer posterior draws count less).
    """
    sc = result.scenario
    rows = []
    for t in sc.targets:
        at = target_value(result.time, result.data[t.indicator], t)
        met = met_matrix(at, t)
        first = first_year_met(result, t)
        gap = (t.value - at) if t.comparison == ">=" else (at - t.value)
        shortfall = float(gap[~met].mean()) if (~met).any() else 0.0
        median = float(np.median(at))
        fixed = result.n > 1 and float(np.ptp(at)) <= ASSUMPTION_RTOL * max(1.0, abs(median))
        p = float(met.mean())
        per_structure = {STRUCTURE_PREFIX + name: (float(met[result.structures == name].mean())
                                                   if not fixed and (result.structures == name).any() else float("nan"))
                         for name in result.structure_names}
        rows.append({
            "id": t.id,
            "label": t.label,
            "indicator": t.indicator,
            "year": t.year,
            "comparison": t.comparison,
            "goal": t.value,
            "unit": t.unit,
            "change_since": t.change_since if t.change_since is not None else "",
            "kind": "assumption" if fixed else "forecast",
            "median": median,
            "q05": float(np.quantile(at, 0.05)),
            "q25": float(np.quantile(at, 0.25)),
            "q75": float(np.quantile(at, 0.75)),
            "q95": float(np.quantile(at, 0.95)),
            "p_met": float("nan") if fixed else p,
            "p_met_se": float("nan") if fixed else float(np.sqrt(p * (1.0 - p) / (result.n_eff or result.n))),
            **per_structure,
            "verdict": (("met by assumption" if p >= 0.5 else "not met by assumption") if fixed
                        else verdict(p, sc.on_track, sc.off_track)),
            "first_year_met": _quantile_year(first, 0.5),
            "first_year_met_q05": _quantile_year(first, 0.05),
            "first_year_met_q95": _quantile_year(first, 0.95),
            "p_met_by_horizon": float(np.isfinite(first).mean()),
            "shortfall": shortfall,
            "shortfall_pct": 100.0 * shortfall / t.value if t.value else 0.0,
            "vintage": result.calibration.vintage,
            "actual": t.actual["value"] if t.actual else float("nan"),
            "actual_met": bool(met_matrix(np.array([t.actual["value"]]), t)[0]) if t.actual else "",
            "samples": result.n,
            "source": t.source,
            "quote": t.quote,
        })
    return pd.DataFrame(rows, columns=columns(result))


def verdict(p: float, on_track: float = 0.8, off_track: float = 0.2) -> str:
    """The verdict for probability ``p``: on track (>= ``on_track``), off track (<= ``off_track``), else at risk."""
    if p >= on_track:
        return "on track"
    if p <= off_track:
        return "off track"
    return "at risk"


def _quantile_year(first: np.ndarray, q: float) -> float:
    """Quantile of the first year met; NaN when that quantile is 'not within the horizon'."""
    v = np.quantile(first, q, method="inverted_cdf")
    return float(v) if np.isfinite(v) else float("nan")
