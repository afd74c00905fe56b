"""The one likelihood, evaluated for many parameter sets at once.

For a compared row i of series group g (measurement.yaml)::

    log(observed_i) = log(model_i) + delta_g + eps_i,   eps_i ~ Normal(0, sigma_i),  delta_g ~ Normal(0, sigma_d[g])

so the row's log error has standard deviation ``sd_i = sqrt(sigma_i^2 + sigma_d[g]^2)``: ``sigma_i`` is the
measurement error (fixed, from measurement.yaml), ``sigma_d[g]`` the model discrepancy of its group (a free
parameter with a half-normal prior). A value row contributes ``log Normal(log obs; log model, sd)``; a lower
bound L (kind lower-bound) is censored and contributes ``log Phi((log model - log L) / sd)``, which is about 0
while the model is above the bound and falls once it is below.

The sampler's coordinates are ``theta = (z, zeta)``: ``z = logit(u)`` for the p model constants (u the prior CDF,
see :mod:`priors`) and ``zeta`` for the g discrepancy groups, with ``sigma_d = |zeta|`` and prior
``zeta ~ Normal(0, scale^2)`` (so sigma_d is half-normal). In log sigma_d a group the data do not need
(sigma_d far below the measurement sigma) has a posterior tail reaching far towards minus infinity, which
random-walk moves explore slowly; in zeta the same posterior is a smooth bump around 0 with Gaussian tails.
Every function takes a batch (n, p + g) and makes ONE engine call for it; there is no per-member loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import log_ndtr

from ..errors import InputError
from .priors import Priors

BAD_RESIDUAL = 1e3   # least-squares residual for a non-positive or non-finite model value
LOG_2PI = float(np.log(2 * np.pi))


class Problem:
    """Model + priors + compared observations (+ discrepancy groups). Counts engine calls and members.

    Parameters
    ----------
    model : CompiledModel
        The engine model.
    priors : Priors
        The p free model constants.
    obs : pandas.DataFrame
        Rows of :meth:`Measurement.comparisons` (columns series, variable, transform, year, value, sigma and,
        optionally, censored and group).
    discrepancy_scale : float, optional
        Scale of the half-normal prior of each sigma_d. ``None`` (or 0): no discrepancy term (g = 0).
    fixed : dict, optional
        Model constants held at a value (name -> float).
    """

    def __init__(self, model, priors: Priors, obs: pd.DataFrame, discrepancy_scale: float | None = None,
                 fixed: dict | None = None):
        if obs.empty:
            raise InputError("observations", "", "no observation to calibrate on", "pass a later --until")
        self.model, self.priors, self.obs = model, priors, obs.reset_index(drop=True)
        self.fixed = dict(fixed or {})
        self.variables = list(dict.fromkeys(self.obs["variable"]))
        t0 = float(model.control["initial_time"])
        self.t0 = t0
        self.final_time = float(max(self.obs.year.max(), t0 + 1))
        years = self.obs.year.to_numpy(float)
        self._var = np.array([self.variables.index(v) for v in self.obs["variable"]])
        self._t = np.rint(years - t0).astype(int)
        diff = (self.obs["transform"] == "annual_difference").to_numpy()
        self._tprev = np.where(diff, self._t - 1, -1)
        self.log_obs = np.log(self.obs.value.to_numpy(float))
        self.sigma = self.obs.sigma.to_numpy(float)
        self.censored = (self.obs["censored"].to_numpy(bool) if "censored" in self.obs
                         else np.zeros(len(self.obs), bool))
        self.m = len(self.obs)
        self.scale = float(discrepancy_scale or 0.0)
        if self.scale > 0:
            group = self.obs["group"] if "group" in self.obs else self.obs["variable"]
            self.groups = tuple(dict.fromkeys(group))
            self._group = np.array([self.groups.index(v) for v in group])
        else:
            self.groups, self._group = (), np.zeros(self.m, int)
        self.engine_calls = 0
        self.members = 0
        #: lever tables every simulation uses (the plan targets known at the vintage, see :mod:`innosd.plan_targets`)
        self.lookups: dict = {}

    # ------------------------------------------------------------ coordinates
    @property
    def p(self) -> int:
        """Number of model constants."""
        return self.priors.p

    @property
    def d(self) -> int:
        """Dimension of the sampler's coordinates: p model constants + g discrepancy sigmas."""
        return self.priors.p + len(self.groups)

    @property
    def names(self) -> tuple[str, ...]:
        """Coordinate names: the model constants, then ``sigma_d.<group>``."""
        return self.priors.names + tuple(f"sigma_d.{g}" for g in self.groups)

    def split(self, theta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Split sampler coordinates theta (n, d) into model constants x (n, p) in model units and sigma_d (n, g)."""
        theta = np.atleast_2d(theta)
        return self.priors.to_x_from_z(theta[:, : self.p]), np.abs(theta[:, self.p:])

    def sample_prior(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Draw ``n`` points (n, d) from the prior in sampler coordinates."""
        z = self.priors.z_of_u(rng.uniform(size=(n, self.p)))
        return np.hstack([z, self.scale * rng.standard_normal((n, len(self.groups)))])

    def log_prior(self, theta: np.ndarray) -> np.ndarray:
        """Log prior density (n,) in sampler coordinates (logistic in z, Normal(0, scale^2) in zeta)."""
        theta = np.atleast_2d(theta)
        lp = self.priors.log_prior_z(theta[:, : self.p])
        if self.groups:
            zeta = theta[:, self.p:]
            lp = lp + np.sum(-0.5 * (zeta / self.scale) ** 2 - np.log(self.scale) - 0.5 * LOG_2PI, axis=1)
        return lp

    def reported(self, theta: np.ndarray) -> np.ndarray:
        """Copy of theta (n, d) with zeta replaced by sigma_d = |zeta|: the coordinates fit.yaml diagnoses."""
        out = np.array(theta, float, copy=True)
        out[:, self.p:] = np.abs(out[:, self.p:])
        return out

    # ------------------------------------------------------------ model
    def params(self, x: np.ndarray) -> dict:
        """Engine parameters for model constants x (n, p): name -> array (n,), the fixed constants included."""
        x = np.atleast_2d(x)
        out = {name: x[:, j] for j, name in enumerate(self.priors.names)}
        out.update({k: np.full(x.shape[0], float(v)) for k, v in self.fixed.items()})
        return out

    def simulate(self, x: np.ndarray, outputs, final_time: float | None = None):
        """One engine pass for the model constants x (n, p); ``outputs`` saved yearly."""
        x = np.atleast_2d(x)
        self.engine_calls += 1
        self.members += x.shape[0]
        return self.model.run(n=x.shape[0], params=self.params(x), lookups=self.lookups, outputs=list(outputs),
                              final_time=final_time or self.final_time, saveper=1.0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Model values (n, m) at the observations for model constants x (n, p)."""
        res = self.simulate(x, self.variables)
        stack = np.stack([np.asarray(res[v]) for v in self.variables])       # (V, n, T)
        cur = stack[self._var, :, self._t]                                    # (m, n)
        prev = stack[self._var, :, np.maximum(self._tprev, 0)]
        return np.where((self._tprev >= 0)[:, None], cur - prev, cur).T

    # ------------------------------------------------------------ likelihood
    def sd(self, sigma_d: np.ndarray | None = None) -> np.ndarray:
        """Total log-scale standard deviation per row: (m,) without discrepancy, (n, m) with sigma_d (n, g)."""
        if sigma_d is None or not self.groups:
            return self.sigma
        return np.sqrt(self.sigma ** 2 + sigma_d[:, self._group] ** 2)

    def errors(self, pred: np.ndarray) -> np.ndarray:
        """Log errors log obs - log model, (n, m); NaN where the model value is not positive."""
        with np.errstate(all="ignore"):
            lm = np.where(pred > 0, np.log(pred), np.nan)
        return self.log_obs - lm

    def log_likelihood(self, pred: np.ndarray, sigma_d: np.ndarray | None = None) -> np.ndarray:
        """Log p(data | model values (n, m), sigma_d (n, g)) -> (n,); -inf where the model is not positive."""
        sd = np.broadcast_to(self.sd(sigma_d), pred.shape)
        r = self.errors(pred) / sd
        c = self.censored
        total = (-0.5 * r[:, ~c] ** 2 - np.log(sd[:, ~c])).sum(axis=1) - 0.5 * LOG_2PI * (~c).sum()
        if c.any():
            total = total + log_ndtr(-r[:, c]).sum(axis=1)
        return np.where(np.all(np.isfinite(r), axis=1), total, -np.inf)

    def log_lik(self, theta: np.ndarray) -> np.ndarray:
        """Log likelihood (n,) of sampler coordinates theta (n, d), one engine pass."""
        x, sd = self.split(theta)
        ll = self.log_likelihood(self.predict(x), sd if self.groups else None)
        return np.where(np.isfinite(ll), ll, -np.inf)

    def log_prob(self, theta: np.ndarray) -> np.ndarray:
        """Unnormalised log posterior (n,) in sampler coordinates."""
        ll = self.log_lik(theta)
        return np.where(np.isfinite(ll), ll + self.log_prior(theta), -np.inf)

    def standardised(self, pred: np.ndarray) -> np.ndarray:
        """Least-squares residuals (n, m) of the data for model values ``pred`` (n, m), at measurement sigma.

        No discrepancy term: (log obs - log model) / sigma for a value; for a lower bound the signed r with
        -r^2/2 = log Phi(...), about 0 above the bound.
        """
        r = self.errors(pred) / self.sigma
        with np.errstate(all="ignore"):
            cens = np.sign(r) * np.sqrt(np.maximum(-2.0 * log_ndtr(-r), 0.0))
        return np.where(self.censored, cens, r)

    def residuals_u(self, U: np.ndarray) -> np.ndarray:
        """Least-squares residuals (n, m + p) in the prior-CDF coordinates U (n, p): data, then prior penalty."""
        U = np.atleast_2d(U)
        r = self.standardised(self.predict(self.priors.to_x(U)))
        r = np.where(np.isfinite(r), r, BAD_RESIDUAL)
        return np.hstack([r, self.priors.penalty_residual(U)])
