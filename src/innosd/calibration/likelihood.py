"""The one likelihood: log(observed) ~ Normal(log(model), sigma), evaluated for many parameter sets at once.

Every function takes a batch (n, p) and makes ONE engine call for it; there is no per-member loop.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .priors import Priors

BAD_RESIDUAL = 1e3   # least-squares residual for a non-positive or non-finite model value


class Problem:
    """Model + priors + compared observations. Counts engine calls and members simulated."""

    def __init__(self, model, priors: Priors, obs: pd.DataFrame, fixed: dict | None = None):
        if obs.empty:
            raise ValueError("no observations to calibrate on")
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
        self.m = len(self.obs)
        self.engine_calls = 0
        self.members = 0

    # ------------------------------------------------------------ model
    def params(self, x: np.ndarray) -> dict:
        x = np.atleast_2d(x)
        out = {name: x[:, j] for j, name in enumerate(self.priors.names)}
        out.update({k: np.full(x.shape[0], float(v)) for k, v in self.fixed.items()})
        return out

    def simulate(self, x: np.ndarray, outputs, final_time: float | None = None):
        x = np.atleast_2d(x)
        self.engine_calls += 1
        self.members += x.shape[0]
        return self.model.run(n=x.shape[0], params=self.params(x), outputs=list(outputs),
                              final_time=final_time or self.final_time, saveper=1.0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Model values (n, m) at the observations."""
        res = self.simulate(x, self.variables)
        stack = np.stack([np.asarray(res[v]) for v in self.variables])       # (V, n, T)
        cur = stack[self._var, :, self._t]                                    # (m, n)
        prev = stack[self._var, :, np.maximum(self._tprev, 0)]
        return np.where((self._tprev >= 0)[:, None], cur - prev, cur).T

    # ------------------------------------------------------------ likelihood
    def standardised(self, pred: np.ndarray) -> np.ndarray:
        """(log obs - log model) / sigma, (n, m); NaN where the model value is not positive."""
        with np.errstate(all="ignore"):
            lm = np.where(pred > 0, np.log(pred), np.nan)
        return (self.log_obs - lm) / self.sigma

    def log_likelihood(self, pred: np.ndarray) -> np.ndarray:
        r = self.standardised(pred)
        ll = -0.5 * np.sum(r ** 2, axis=1) - np.sum(np.log(self.sigma)) - 0.5 * self.m * np.log(2 * np.pi)
        return np.where(np.all(np.isfinite(r), axis=1), ll, -np.inf)

    def residuals_u(self, U: np.ndarray) -> np.ndarray:
        """Least-squares residuals (n, m + p): standardised log errors, then the prior penalty."""
        U = np.atleast_2d(U)
        r = self.standardised(self.predict(self.priors.to_x(U)))
        r = np.where(np.isfinite(r), r, BAD_RESIDUAL)
        return np.hstack([r, self.priors.penalty_residual(U)])

    def log_prob_z(self, Z: np.ndarray) -> np.ndarray:
        """Unnormalised log posterior density in the sampler's z coordinates, (n,) for Z (n, p)."""
        Z = np.atleast_2d(Z)
        lp = self.priors.log_prior_z(Z)
        ll = self.log_likelihood(self.predict(self.priors.to_x_from_z(Z)))
        return np.where(np.isfinite(ll), ll + lp, -np.inf)
