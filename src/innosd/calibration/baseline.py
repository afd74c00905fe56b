"""The naive baselines: a log-linear trend (constant growth rate) per series, and carry-forward of the last value.

:func:`fit_trend` fits ordinary least squares of log(value) on year to the series' observed points (including
years before the model horizon); with one point the last value is carried flat; with none there is no baseline
(NaN). The fit table compares the model with it.

The backtest scores the baselines as forecasts with honest predictive distributions, like the model's:

* trend: the regression's prediction interval, a Student t with the residual degrees of freedom
  (:func:`trend_predictive`);
* carry-forward: a driftless random walk in logs, spread sqrt(h) times the series' yearly log-change sd
  (:func:`walk_predictive`).

A series with fewer than :data:`MIN_DF` degrees of freedom of its own (most have 1-4 points before an origin)
uses the spread pooled over every compared series at the same origin (:func:`pooled`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trend:
    """A fitted log-linear trend: log value = level + rate (year - year0), from n points."""

    level: float        # log value at year0
    rate: float         # continuous growth rate a year (0 when flat)
    year0: float
    n: int

    def predict(self, years) -> np.ndarray:
        """The trend's values at ``years`` (NaN without points)."""
        y = np.asarray(years, float)
        if self.n == 0:
            return np.full(y.shape, np.nan)
        return np.exp(self.level + self.rate * (y - self.year0))


def fit_trend(years, values) -> Trend:
    """The log-linear trend of the finite, positive ``values`` at ``years`` (flat with one point)."""
    y = np.asarray(years, float)
    v = np.asarray(values, float)
    ok = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, v = y[ok], v[ok]
    if y.size == 0:
        return Trend(np.nan, np.nan, np.nan, 0)
    if y.size == 1 or np.ptp(y) == 0:
        last = np.argmax(y)
        return Trend(float(np.log(v[last])), 0.0, float(y[last]), int(y.size))
    rate, level = np.polyfit(y - y.max(), np.log(v), 1)
    return Trend(float(level), float(rate), float(y.max()), int(y.size))


# ---------------------------------------------------------------- predictive distributions (backtest)
MIN_DF = 3   # a series' own spread is used from 3 degrees of freedom on; below, the spread pooled over series


@dataclass(frozen=True)
class Spread:
    """A variance estimate on the log scale and its degrees of freedom."""

    s2: float
    df: int


@dataclass(frozen=True)
class Predictive:
    """A Student-t predictive distribution of a log value: ``loc + scale * T(df)``."""

    loc: float
    scale: float
    df: float


def _log_points(years, values) -> tuple[np.ndarray, np.ndarray]:
    """(years, log values) of the finite, positive points, by year."""
    y, v = np.asarray(years, float), np.asarray(values, float)
    ok = np.isfinite(y) & np.isfinite(v) & (v > 0)
    order = np.argsort(y[ok], kind="stable")
    return y[ok][order], np.log(v[ok][order])


def trend_spread(years, values) -> Spread | None:
    """Residual variance of the log-linear trend, RSS / (n - 2); None with fewer than 3 points."""
    y, lv = _log_points(years, values)
    if y.size < 3 or np.ptp(y) == 0:
        return None
    rate, level = np.polyfit(y - y.mean(), lv, 1)
    rss = float(np.sum((lv - level - rate * (y - y.mean())) ** 2))
    return Spread(rss / (y.size - 2), y.size - 2)


def walk_spread(years, values) -> Spread | None:
    """Variance a year of a driftless random walk in logs; None without a change.

    mean(d_k^2 / g_k) over the changes d_k of the log value across gaps of g_k years.
    """
    y, lv = _log_points(years, values)
    gap = np.diff(y)
    ok = gap > 0
    if not ok.any():
        return None
    return Spread(float(np.mean(np.diff(lv)[ok] ** 2 / gap[ok])), int(ok.sum()))


def pooled(spreads) -> Spread | None:
    """The degrees-of-freedom-weighted mean of several series' spreads (None when there is none)."""
    spreads = [s for s in spreads if s is not None and s.df > 0]
    df = sum(s.df for s in spreads)
    return Spread(sum(s.s2 * s.df for s in spreads) / df, df) if df else None


def _spread(own: Spread | None, pool: Spread | None) -> Spread | None:
    return own if own is not None and own.df >= MIN_DF else pool


def walk_predictive(years, values, year: float, pool: Spread | None = None) -> Predictive | None:
    """Carry-forward as a random walk: the last log value, spread sqrt(h) times the yearly log-change sd.

    Parameters
    ----------
    years, values : array_like
        The series' history (values > 0) up to the forecast origin.
    year : float
        The year forecast; h = year - the last observed year.
    pool : Spread, optional
        The spread pooled over all series, used when the series has fewer than :data:`MIN_DF` changes.

    Returns
    -------
    Predictive or None
        None without a point, or without a spread (too few changes and no pool).
    """
    y, lv = _log_points(years, values)
    spread = _spread(walk_spread(years, values), pool)
    if y.size == 0 or spread is None:
        return None
    h = max(float(year) - y[-1], 1.0)
    return Predictive(float(lv[-1]), float(np.sqrt(spread.s2 * h)), float(spread.df))


def trend_predictive(years, values, year: float, pool: Spread | None = None,
                     walk_pool: Spread | None = None) -> Predictive | None:
    """The log-linear trend with its ordinary-least-squares prediction interval.

    The predictive of log value at ``year`` (x0) is the fitted line plus s * sqrt(1 + 1/n + (x0 - mean x)^2 / Sxx)
    times a Student t with the residual degrees of freedom: the classical prediction interval of a regression.
    ``s`` is the series' own residual sd with at least :data:`MIN_DF` degrees of freedom, else ``pool``. With
    one point the trend is flat (:func:`fit_trend`) and the slope unknown: the random walk's predictive
    (with ``walk_pool``) stands in.
    """
    y, lv = _log_points(years, values)
    if y.size == 0:
        return None
    if y.size == 1 or np.ptp(y) == 0:
        return walk_predictive(years, values, year, walk_pool)
    spread = _spread(trend_spread(years, values), pool)
    if spread is None:
        return None
    xbar, sxx = y.mean(), float(np.sum((y - y.mean()) ** 2))
    rate, level = np.polyfit(y - xbar, lv, 1)
    x0 = float(year) - xbar
    return Predictive(float(level + rate * x0), float(np.sqrt(spread.s2 * (1 + 1 / y.size + x0 ** 2 / sxx))),
                      float(spread.df))


def predictive_draws(preds: list[Predictive | None], k: int, rng: np.random.Generator) -> np.ndarray:
    """(k, m) draws of log values from m predictives; a column of NaN where there is none."""
    loc = np.array([p.loc if p else np.nan for p in preds])
    scale = np.array([p.scale if p else np.nan for p in preds])
    df = np.array([p.df if p else 1.0 for p in preds])
    return loc[None, :] + scale[None, :] * rng.standard_t(df, size=(k, len(preds)))
