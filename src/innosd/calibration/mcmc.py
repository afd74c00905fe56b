"""Posterior sampling with emcee (vectorize=True: all walkers in ONE engine pass per step) and diagnostics.

An engine call costs a fixed few milliseconds plus ~10 microseconds per member, so the sampler uses
many walkers and few steps:

1. Start: walkers drawn from the Laplace (Gauss-Newton) approximation at the MAP, which is also the
   first proposal covariance. (Importance resampling from it was tried and rejected: in 43 dimensions
   its effective sample size was about 4, so the walkers collapsed onto a few points.)
2. Burn-in: ``rounds`` stages of random-walk Metropolis (emcee ``MHMove`` with a Gaussian proposal whose
   covariance is the pooled covariance of the previous stage, scaled 2.38^2/p and tuned towards an
   acceptance of about 0.25).
3. Kept steps: the proposal is frozen, so every walker is an independent, valid Metropolis chain;
   split R-hat over walkers and emcee's integrated autocorrelation time are computed on this part.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import emcee
import numpy as np
from tqdm import tqdm

from .likelihood import Problem


@dataclass
class Chain:
    z: np.ndarray              # (steps kept, walkers, p)
    log_prob: np.ndarray       # (steps kept, walkers)
    acceptance: np.ndarray     # (walkers,) over the kept steps
    tau: np.ndarray            # (p,) integrated autocorrelation time in steps (emcee, quiet=True)
    rhat: np.ndarray           # (p,) split R-hat over walkers (on u)
    burn: int
    steps: int
    walkers: int

    @property
    def samples(self) -> int:
        return self.z.shape[0] * self.z.shape[1]

    def ess(self) -> np.ndarray:
        return self.samples / np.maximum(self.tau, 1.0)

    def thin(self, draws: int) -> tuple[np.ndarray, np.ndarray]:
        """``draws`` evenly spaced rows of the flattened kept chain (z (k, p), log_prob (k,))."""
        flat = self.z.reshape(-1, self.z.shape[-1])
        lp = self.log_prob.reshape(-1)
        k = min(draws, len(flat))
        idx = np.linspace(0, len(flat) - 1, k).round().astype(int)
        return flat[idx], lp[idx]


def _chol(cov: np.ndarray) -> np.ndarray:
    c = 0.5 * (cov + cov.T)
    w, v = np.linalg.eigh(c)
    c = (v * np.clip(w, 1e-8 * max(w.max(), 1e-12), None)) @ v.T
    return np.linalg.cholesky(c + 1e-12 * np.eye(len(c)))


def gaussian_move(L: np.ndarray) -> emcee.moves.MHMove:
    """Symmetric Gaussian random-walk proposal with a precomputed Cholesky factor (no SVD per step)."""
    def proposal(coords, random):
        return coords + random.randn(*coords.shape) @ L.T, np.zeros(len(coords))
    return emcee.moves.MHMove(proposal, ndim=L.shape[0])


def split_rhat(chains: np.ndarray) -> np.ndarray:
    """Split R-hat (Gelman et al. 2013) for chains (steps, chains, p): each chain cut in two halves."""
    n = chains.shape[0] // 2
    if n < 2:
        return np.full(chains.shape[-1], np.nan)
    halves = np.concatenate([chains[:n], chains[-n:]], axis=1)          # (n, 2c, p)
    W = halves.var(axis=0, ddof=1).mean(axis=0)
    B = n * halves.mean(axis=0).var(axis=0, ddof=1)
    with np.errstate(all="ignore"):
        return np.sqrt(((n - 1) / n * W + B / n) / W)


def autocorr_time(z: np.ndarray, max_walkers: int = 64) -> np.ndarray:
    """emcee's integrated autocorrelation time (quiet=True) on up to ``max_walkers`` evenly chosen walkers."""
    if z.shape[0] < 4:
        return np.full(z.shape[-1], np.nan)
    pick = np.linspace(0, z.shape[1] - 1, min(max_walkers, z.shape[1])).round().astype(int)
    with np.errstate(all="ignore"):
        return np.asarray(emcee.autocorr.integrated_time(z[:, pick], quiet=True, tol=0))


def run_mcmc(problem: Problem, center_z: np.ndarray, cov_z: np.ndarray, walkers: int, steps: int,
             burn: int, seed: int, rounds: int = 3, progress: bool = True) -> Chain:
    """``steps`` Metropolis steps of ``walkers`` walkers, the first ``burn`` adaptive and discarded."""
    if not 0 <= burn < steps:
        raise ValueError("need 0 <= burn < steps")
    rng = np.random.default_rng(seed)
    p = center_z.size
    z0 = center_z + rng.standard_normal((walkers, p)) @ _chol(cov_z).T
    cov = cov_z
    scale = 2.38 ** 2 / p
    state = emcee.State(z0, log_prob=problem.log_prob_z(z0))
    random_state = np.random.RandomState(seed).get_state()
    stages = [burn // rounds + (k < burn % rounds) for k in range(rounds)] if burn else []
    stages = [s for s in stages if s > 0] + [steps - burn]
    bar = tqdm(total=steps, desc="MCMC", unit="step", file=sys.stderr, disable=not progress, leave=False)
    for k, n in enumerate(stages):
        sampler = emcee.EnsembleSampler(walkers, p, problem.log_prob_z, vectorize=True,
                                        moves=gaussian_move(_chol(cov * scale)))
        sampler.random_state = random_state
        for state in sampler.sample(state, iterations=n, skip_initial_state_check=True):
            bar.update(1)
        random_state = sampler.random_state
        if k < len(stages) - 1:
            acc = float(np.mean(sampler.acceptance_fraction))
            flat = sampler.get_chain()[n // 2:].reshape(-1, p)
            if len(flat) > 2 * p:
                cov = np.cov(flat, rowvar=False)
            scale *= float(np.exp(2.0 * (acc - 0.25)))
    bar.close()
    z = sampler.get_chain()
    return Chain(z=z, log_prob=sampler.get_log_prob(), acceptance=np.asarray(sampler.acceptance_fraction),
                 tau=autocorr_time(z), rhat=split_rhat(problem.priors.u_of_z(z)), burn=burn, steps=steps,
                 walkers=walkers)
