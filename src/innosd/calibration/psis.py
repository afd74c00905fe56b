"""Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao & Gabry 2024, JMLR 25(72)).

Importance weights whose distribution has a heavy right tail give estimates with huge (even infinite)
variance. PSIS fits a generalised Pareto distribution to the largest weights and replaces them by the
fitted distribution's expected order statistics, capped at the largest raw weight. The fitted shape k̂
says how far to trust the result: k̂ < 0.7 reliable, above it the estimate is unreliable.

The same algorithm as ``arviz.psislw`` (tested against it), in NumPy only: arviz takes seconds to import,
and ``innosd run`` needs these weights on every run (:mod:`.prior_sensitivity`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["psis", "K_RELIABLE"]

K_RELIABLE = 0.7  #: Pareto k̂ above which PSIS estimates are unreliable (Vehtari et al. 2024)


def psis(log_weights: np.ndarray, reff: float = 1.0) -> tuple[np.ndarray, float]:
    """Pareto-smoothed, normalised importance weights and the tail's shape k̂.

    Parameters
    ----------
    log_weights : numpy.ndarray
        Raw log importance weights (n,), up to a constant.
    reff : float
        Relative efficiency of the draws (effective / actual sample size, in (0, 1]); fewer
        independent draws mean a longer tail is fitted.

    Returns
    -------
    weights : numpy.ndarray
        (n,) smoothed weights summing to 1.
    k : float
        Estimated generalised-Pareto shape of the weights' right tail (``inf`` when the tail has
        fewer than 5 distinct values to fit, e.g. constant weights, which need no smoothing).
    """
    x = np.asarray(log_weights, float).copy()
    n = x.size
    x -= x.max()
    cutoff = -int(np.ceil(min(n / 5.0, 3 * (n / reff) ** 0.5))) - 1
    order = np.argsort(x)
    xcut = max(x[order[cutoff]], np.log(np.finfo(float).tiny))
    tail = np.flatnonzero(x > xcut)
    k = np.inf
    if tail.size > 4:
        tail = tail[np.argsort(x[tail])]
        exceed = np.exp(x[tail]) - np.exp(xcut)
        k, sigma = _gpd_fit(exceed)
        if np.isfinite(k) and sigma > 0:
            probs = (np.arange(tail.size) + 0.5) / tail.size
            x[tail] = np.log(_gpd_quantile(probs, k, sigma) + np.exp(xcut))
            x = np.minimum(x, 0.0)          # no smoothed weight above the largest raw one
    w = np.exp(x - x.max())
    return w / w.sum(), float(k)


def _gpd_fit(x: np.ndarray) -> tuple[float, float]:
    """(k, sigma) of a generalised Pareto fitted to sorted exceedances ``x`` (Zhang & Stephens 2009).

    The empirical-Bayes estimate with the weakly informative prior of Vehtari et al. that pulls k̂
    towards 0.5 by 10 pseudo-observations.
    """
    n = x.size
    m = 30 + int(n ** 0.5)
    b = 1 - np.sqrt(m / (np.arange(1, m + 1) - 0.5))
    b = b / (3 * x[int(n / 4 + 0.5) - 1]) + 1 / x[-1]
    k_b = np.log1p(-b[:, None] * x).mean(axis=1)
    log_lik = n * (np.log(-(b / k_b)) - k_b - 1)
    with np.errstate(over="ignore"):  # a far less likely b gets weight 1 / inf = 0, as intended
        w = 1 / np.exp(log_lik - log_lik[:, None]).sum(axis=1)
    keep = w >= 10 * np.finfo(float).eps
    b, w = b[keep], w[keep] / w[keep].sum()
    b_post = float(np.sum(b * w))
    k = float(np.log1p(-b_post * x).mean())
    sigma = -k / b_post
    return (n * k + 10 * 0.5) / (n + 10), sigma


def _gpd_quantile(p: np.ndarray, k: float, sigma: float) -> np.ndarray:
    """Quantiles of the generalised Pareto with shape ``k`` and scale ``sigma`` at ``p`` in (0, 1)."""
    if abs(k) < np.finfo(float).eps:
        return -sigma * np.log1p(-p)
    return sigma * np.expm1(-k * np.log1p(-p)) / k
