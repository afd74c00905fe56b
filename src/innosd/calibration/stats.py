"""Fit statistics (R², MAPE, RMSE, Theil's inequality decomposition) and identifiability.

Theil's decomposition follows Sterman (1984), "Appropriate summary statistics for evaluating the
historical fit of system dynamics models", Dynamica 10(2):

    MSE = (mean(S) - mean(A))^2 + (s_S - s_A)^2 + 2 (1 - r) s_S s_A
    U^M = bias share, U^S = unequal-variation share, U^C = unequal-covariation share; they sum to 1.

with S the simulated and A the actual values and population standard deviations (divide by n).
Theil's inequality coefficient U = RMSE / (sqrt(mean S^2) + sqrt(mean A^2)) is 0 for a perfect fit.
With n = 1 the standard deviations are 0, so U^M = 1 for any error; with MSE = 0 the shares are
undefined (NaN). R² = 1 - SS_res / SS_tot needs n >= 2 and variation in A, else NaN.
"""

from __future__ import annotations

import numpy as np

STAT_NAMES = ("n", "r2", "mape", "rmse", "theil_u", "um", "us", "uc")


def fit_stats(actual, simulated) -> dict:
    """Fit statistics of simulated against actual values of one series (pairs with a NaN are dropped).

    Parameters
    ----------
    actual, simulated : array_like, shape (n,)
        Observed and model values at the same years, in the series' unit.

    Returns
    -------
    dict
        The keys of ``STAT_NAMES``: n (pairs used), r2, mape (percent), rmse (the series' unit), theil_u and
        Theil's shares um, us, uc (dimensionless); NaN where undefined (see the module docstring).
    """
    a = np.asarray(actual, float)
    s = np.asarray(simulated, float)
    ok = np.isfinite(a) & np.isfinite(s)
    a, s = a[ok], s[ok]
    n = a.size
    out = {k: np.nan for k in STAT_NAMES}
    out["n"] = n
    if n == 0:
        return out
    err = s - a
    mse = float(np.mean(err ** 2))
    out["rmse"] = float(np.sqrt(mse))
    with np.errstate(all="ignore"):
        out["mape"] = float(np.mean(np.abs(err / a)) * 100)
    ss_tot = float(np.sum((a - a.mean()) ** 2))
    if n >= 2 and ss_tot > 0:
        out["r2"] = 1.0 - float(np.sum(err ** 2)) / ss_tot
    denom = np.sqrt(np.mean(s ** 2)) + np.sqrt(np.mean(a ** 2))
    out["theil_u"] = float(np.sqrt(mse) / denom) if denom > 0 else np.nan
    if mse > 0:
        sa, ss = a.std(), s.std()
        r = float(np.corrcoef(a, s)[0, 1]) if (n >= 2 and sa > 0 and ss > 0) else 0.0
        out["um"] = (s.mean() - a.mean()) ** 2 / mse
        out["us"] = (ss - sa) ** 2 / mse
        out["uc"] = 2 * (1 - r) * ss * sa / mse
    return out


def identifiability(u_draws: np.ndarray, threshold: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Posterior 90% width / prior 90% width, in the prior-CDF coordinate u (so the prior width is 0.9).

    Returns (ratio (p,), identified (p,) bool: ratio < threshold).
    """
    q05, q95 = np.quantile(u_draws, [0.05, 0.95], axis=0)
    ratio = (q95 - q05) / 0.9
    return ratio, ratio < threshold
