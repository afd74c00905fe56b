"""MAP by bounded least squares, several starts drawn from the prior, one engine pass per Jacobian.

The optimiser works in the prior-CDF coordinates u in [0, 1]^p. The residuals are the standardised
log errors plus the prior penalty (priors.penalty_residual), so the optimum is the mode of the
posterior density in the sampler's z = logit(u) coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares

from .likelihood import Problem

EPS = 1e-6      # keep u off the bounds (z = logit(u) finite)
H = 1e-6        # forward-difference step in u


@dataclass
class MapResult:
    """The maximum a posteriori fit of the model constants (p of them, m compared observations).

    Attributes
    ----------
    u : numpy.ndarray, shape (p,)
        The MAP in prior-CDF coordinates.
    x : numpy.ndarray, shape (p,)
        The MAP as model constants, each in its parameter's unit.
    cost, chi2 : float
        Half the sum of squared residuals including the prior penalty; the data part alone (not halved).
    residuals : numpy.ndarray, shape (m,)
        Standardised log errors of the observations at the MAP.
    cov_z : numpy.ndarray, shape (p, p)
        Laplace (Gauss-Newton) covariance in the sampler's z = logit(u) coordinates.
    starts : list of dict
        Per start: start index, cost, evaluations, least-squares status.
    nfev, njev : int
        Residual and Jacobian evaluations over all starts (each Jacobian is one engine pass).
    """

    u: np.ndarray
    x: np.ndarray
    cost: float                   # 0.5 * sum(residuals^2) incl. the penalty
    chi2: float                   # sum of squared standardised log errors (data part only)
    residuals: np.ndarray         # standardised log errors at the MAP (m,)
    cov_z: np.ndarray             # Laplace (Gauss-Newton) covariance in z
    starts: list                  # per start: cost, nfev, status
    nfev: int
    njev: int


def jacobian_batch(problem: Problem, u: np.ndarray, h: float = H) -> tuple[np.ndarray, np.ndarray]:
    """(residuals at u, Jacobian) from ONE engine pass of p + 1 members (forward differences)."""
    p = u.size
    step = np.where(u + h <= 1 - EPS, h, -h)          # step inward at the upper bound
    U = np.repeat(u[None, :], p + 1, axis=0)
    U[1 + np.arange(p), np.arange(p)] += step
    R = problem.residuals_u(U)
    return R[0], ((R[1:] - R[0]) / step[:, None]).T


def fit_map(problem: Problem, rng: np.random.Generator, starts: int = 4, max_nfev: int = 60,
            include_default: bool = True, log=None) -> MapResult:
    """Find the posterior mode by bounded least squares from several starts; keep the lowest cost.

    Parameters
    ----------
    problem : Problem
        The likelihood (without discrepancy terms: residuals are at measurement sigma).
    rng : numpy.random.Generator
        Draws the starts from the prior.
    starts : int, default 4
        Number of starts; the first is the parameters' defaults when ``include_default``.
    max_nfev : int, default 60
        Residual evaluations allowed per start.
    include_default : bool, default True
        Start once from parameters.yaml's defaults.
    log : callable, optional
        Called with one line of progress per start.

    Returns
    -------
    MapResult
        The best start's optimum with its Laplace covariance in z.
    """
    pri = problem.priors
    U0 = pri.sample_u(rng, starts)
    if include_default:
        U0[0] = np.clip(pri.to_u(pri.default), 0.02, 0.98)
    U0 = np.clip(U0, 0.02, 0.98)
    cache = {}

    def fun(u):
        key = u.tobytes()
        if key not in cache:
            cache.clear()
            cache[key] = problem.residuals_u(u)[0]
        return cache[key]

    def jac(u):
        r, J = jacobian_batch(problem, u)
        cache.clear()
        cache[u.tobytes()] = r
        return J

    best, runs, nfev, njev = None, [], 0, 0
    for k, u0 in enumerate(U0):
        sol = least_squares(fun, u0, jac=jac, bounds=(EPS, 1 - EPS), method="trf", x_scale=1.0,
                            max_nfev=max_nfev, xtol=1e-8, ftol=1e-8, gtol=1e-8)
        nfev += sol.nfev
        njev += sol.njev or 0
        runs.append({"start": k, "cost": float(sol.cost), "nfev": int(sol.nfev), "status": int(sol.status)})
        if log:
            log(f"  MAP start {k + 1}/{starts}: cost {sol.cost:.3f} after {sol.nfev} evaluations")
        if best is None or sol.cost < best.cost:
            best = sol
    u = best.x
    r, J = jacobian_batch(problem, u)
    dudz = u * (1 - u)
    Jz = J * dudz[None, :]
    cov_z = np.linalg.pinv(Jz.T @ Jz)
    data = r[: problem.m]
    return MapResult(u=u, x=pri.to_x(u), cost=float(0.5 * r @ r), chi2=float(data @ data),
                     residuals=data, cov_z=cov_z, starts=runs, nfev=nfev, njev=njev)
