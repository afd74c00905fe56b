"""The naive baseline: a log-linear trend (constant growth rate) per series.

Fitted by ordinary least squares of log(value) on year to the series' observed points (including
years before the model horizon). With one point the last value is carried flat; with none there is
no baseline (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trend:
    level: float        # log value at year0
    rate: float         # continuous growth rate a year (0 when flat)
    year0: float
    n: int

    def predict(self, years) -> np.ndarray:
        y = np.asarray(years, float)
        if self.n == 0:
            return np.full(y.shape, np.nan)
        return np.exp(self.level + self.rate * (y - self.year0))


def fit_trend(years, values) -> Trend:
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
