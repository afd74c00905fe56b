"""Sequential Monte Carlo with adaptive tempering, and convergence diagnostics across independent runs.

A sampler made for a vectorised model: the whole particle population moves at once, so every
likelihood evaluation is ONE engine pass for all particles.

Algorithm (Del Moral, Doucet & Jasra 2006; Chopin & Papaspiliopoulos 2020, ch. 17):

1. Draw N particles from the prior; evaluate the log likelihood l(theta).
2. Tempering: the targets are pi_b(theta) ~ prior(theta) exp(b l(theta)) for 0 = b_0 < b_1 < ... < b_T = 1.
   The next b is chosen by bisection so that the effective sample size of the incremental weights
   exp((b' - b) l) is ``ess_fraction`` N (b' = 1 when that is already reached). The log evidence
   accumulates log mean(exp((b' - b) l)) at each stage.
3. Resample (systematic), then move every particle with random-walk Metropolis steps that leave pi_b'
   invariant. The proposal is N(0, s^2 C), C the particles' covariance: an affine reparametrisation that
   decorrelates parameters trading off against each other (for example base R&D intensity against the
   loop gain). s starts at 2.38 / sqrt(d) and is tuned towards an acceptance of 0.25 from stage to stage.
   Random-walk steps alternate with independence proposals from a multivariate t (5 degrees of freedom)
   fitted to the population, which can move a particle across the whole posterior in one step.
   Steps are repeated until the median particle has moved ``jump`` times the population's own
   spread (squared Mahalanobis distance per dimension from where the stage began), or ``max_moves``;
   the final stage asks for ``final_jump`` to decorrelate the output from its ancestors.

Independent runs (different seeds) move in lockstep (:func:`smc_runs`): each run is a generator that
yields the points it needs evaluated, and one engine pass evaluates the points of every run still going, so
four runs of 1,200 particles cost one pass of 4,800 members per step instead of four of 1,200. Each run
keeps its own random numbers, and a member's log likelihood does not depend on the others in its pass, so
the runs are the same as run one after the other.

One run's resampled particles say nothing about convergence, so :func:`diagnostics` compares
independent runs (different seeds) as chains: split R-hat and bulk ESS (arviz), and the spread of
the log evidence across runs.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import logsumexp


@dataclass
class SMCRun:
    """One SMC run. ``theta`` (N, d) are equally weighted draws from the posterior, ``log_lik`` (N,)."""

    theta: np.ndarray
    log_lik: np.ndarray
    log_evidence: float
    betas: list = field(default_factory=list)          # tempering schedule b_1..b_T
    acceptance: list = field(default_factory=list)     # mean acceptance per stage
    moves: list = field(default_factory=list)          # MCMC steps per stage
    independent_acceptance: list = field(default_factory=list)   # of the independence proposals, per stage
    evaluations: int = 0                               # batched log-likelihood calls (engine passes)

    @property
    def stages(self) -> int:
        """Number of tempering stages run (the length of ``betas``)."""
        return len(self.betas)


def ess(log_w: np.ndarray) -> float:
    """Effective sample size (Kish) of log weights (N,)."""
    w = np.exp(log_w - np.max(log_w))
    return float(w.sum() ** 2 / np.sum(w ** 2))


def systematic_resample(log_w: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Indices (N,) drawn by systematic resampling from normalised weights exp(log_w)."""
    n = log_w.size
    w = np.exp(log_w - logsumexp(log_w))
    c = np.cumsum(w)
    c[-1] = 1.0
    return np.searchsorted(c, (rng.uniform() + np.arange(n)) / n)


def next_beta(log_lik: np.ndarray, beta: float, target: float) -> float:
    """The largest b' in (beta, 1] with ESS(exp((b' - beta) l)) >= target (bisection)."""
    ll = np.where(np.isfinite(log_lik), log_lik, -np.inf)
    if ess((1.0 - beta) * ll) >= target:
        return 1.0
    lo, hi = 0.0, 1.0 - beta
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        if ess(mid * ll) >= target:
            lo = mid
        else:
            hi = mid
    return beta + max(lo, 1e-12)


T_DF = 5.0     # degrees of freedom of the independence proposal (heavier tails than the population)


def _t_draws(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    """Draw ``n`` standard multivariate-t points (n, d), ``T_DF`` degrees of freedom, unit scale matrix."""
    return rng.standard_normal((n, d)) / np.sqrt(rng.chisquare(T_DF, size=(n, 1)) / T_DF)


def _t_logpdf(w: np.ndarray) -> np.ndarray:
    """Log density (n,), up to a constant, of the standard multivariate t at whitened points w (n, d)."""
    return -0.5 * (T_DF + w.shape[1]) * np.log1p(np.sum(w ** 2, axis=1) / T_DF)


def _chol(cov: np.ndarray) -> np.ndarray:
    c = 0.5 * (cov + cov.T)
    w, v = np.linalg.eigh(c)
    c = (v * np.clip(w, 1e-10 * max(w.max(), 1e-12), None)) @ v.T
    return np.linalg.cholesky(c + 1e-12 * np.eye(len(c)))


def smc(log_lik: Callable, log_prior: Callable, sample_prior: Callable, n: int, rng: np.random.Generator, *,
        ess_fraction: float = 0.5, jump: float = 0.5, final_jump: float = 2.0, max_moves: int = 60,
        progress: bool = False, label: str = "SMC") -> SMCRun:
    """Sample a posterior prior(theta) exp(log_lik(theta)) by tempered SMC (one run).

    Parameters
    ----------
    log_lik : callable
        theta (n, d) -> log likelihood (n,); called once per step for the whole population.
    log_prior : callable
        theta (n, d) -> log prior density (n,) (up to a constant).
    sample_prior : callable
        (rng, n) -> n prior draws (n, d).
    n : int
        Number of particles N.
    rng : numpy.random.Generator
        The only source of randomness: the same seed gives the same run.
    ess_fraction : float
        ESS kept at each tempering step, as a fraction of N.
    jump, final_jump : float
        Mean squared Mahalanobis distance per dimension the particles must move in a stage (the last one:
        ``final_jump``) before the next stage starts.
    max_moves : int
        Upper limit on Metropolis steps per stage (the final stage may take five times as many).
    progress : bool
        Show a bar over the tempering exponent on stderr (only when stderr is a terminal).
    label : str
        The bar's label.

    Returns
    -------
    SMCRun
    """
    return smc_runs(log_lik, log_prior, sample_prior, n, [rng], ess_fraction=ess_fraction, jump=jump,
                    final_jump=final_jump, max_moves=max_moves, progress=progress, label=label)[0]


def smc_runs(log_lik: Callable, log_prior: Callable, sample_prior: Callable, n: int,
             rngs: list[np.random.Generator], *, ess_fraction: float = 0.5, jump: float = 0.5,
             final_jump: float = 2.0, max_moves: int = 60, progress: bool = False,
             label: str = "SMC") -> list[SMCRun]:
    """Independent SMC runs, one per generator in ``rngs``, evaluated together (one ``log_lik`` call a step).

    Each run is exactly what :func:`smc` gives with its generator: a run draws only from its own ``rng``,
    and ``log_lik`` must score each row of theta on its own (the model's members are independent). Runs
    that finish early drop out of the shared pass.

    Parameters
    ----------
    log_lik, log_prior, sample_prior, n, ess_fraction, jump, final_jump, max_moves
        As for :func:`smc`; ``log_lik`` receives the stacked points of every run still going
        (up to len(rngs) x n rows).
    rngs : list of numpy.random.Generator
        One per run.
    progress : bool
        One bar on stderr over the slowest run's tempering exponent (only when stderr is a terminal).
    label : str
        The bar's label.

    Returns
    -------
    list of SMCRun
        In the order of ``rngs``.
    """
    from threadpoolctl import threadpool_limits
    from tqdm import tqdm

    # The matrix products here are small (N x d by d x d): a multi-threaded BLAS only spins, and on a
    # loaded machine it is 30 times slower than one thread.
    with threadpool_limits(1, user_api="blas"):
        runs = [_smc(log_prior, sample_prior, n, rng, ess_fraction, jump, final_jump, max_moves) for rng in rngs]
        bar = tqdm(total=1000, desc=f"{label}: β=0", file=sys.stderr, leave=False,
                   disable=not (progress and sys.stderr.isatty()), bar_format="{desc} {bar} {elapsed}")
        pending = {k: next(run) for k, run in enumerate(runs)}   # run -> (the points it waits for, its beta)
        done: dict[int, SMCRun] = {}
        while pending:
            keys = list(pending)
            ll = log_lik(np.vstack([pending[k][0] for k in keys]))
            bounds = np.cumsum([len(pending[k][0]) for k in keys])[:-1]
            pending = {}
            for k, part in zip(keys, np.split(ll, bounds), strict=True):
                try:
                    pending[k] = runs[k].send(part.copy())
                except StopIteration as stop:
                    done[k] = stop.value
            beta = min([b for _, b in pending.values()] or [1.0])
            bar.set_description_str(f"{label}: {len(done)}/{len(runs)} runs done, β={beta:.3g}", refresh=False)
            bar.update(int(1000 * beta) - bar.n)
        bar.close()
    return [done[k] for k in range(len(runs))]


def _smc(log_prior, sample_prior, n, rng, ess_fraction, jump, final_jump, max_moves):
    """One SMC run as a generator.

    It yields the points (n, d) it needs scored, with its tempering exponent so far, and receives their log
    likelihood (n,); its return value (``StopIteration.value``) is the :class:`SMCRun`.
    """
    theta = sample_prior(rng, n)
    ll = yield theta, 0.0
    lp = log_prior(theta)
    evaluations = 1
    d = theta.shape[1]
    scale = 2.38 / np.sqrt(d)
    beta, logz = 0.0, 0.0
    out = SMCRun(theta, ll, 0.0)
    while beta < 1.0:
        new = next_beta(ll, beta, ess_fraction * n)
        inc = (new - beta) * np.where(np.isfinite(ll), ll, -np.inf)
        logz += float(logsumexp(inc) - np.log(n))
        w = np.exp(inc - inc.max())
        w /= w.sum()
        mean = w @ theta
        cov = (theta - mean).T @ ((theta - mean) * w[:, None])
        idx = systematic_resample(inc, rng)
        theta, ll, lp = theta[idx], ll[idx], lp[idx]
        beta = new
        L = _chol(cov)
        Linv = np.linalg.inv(L)
        start = theta.copy()
        final = beta >= 1.0
        need, limit = (final_jump, 5 * max_moves) if final else (jump, max_moves)
        acc_kind, steps = np.zeros(2), 0
        while steps < limit:
            independent = steps % 2 == 1
            if independent:   # independence proposal: a multivariate t fitted to the population
                prop = mean + _t_draws(rng, n, d) @ L.T
                log_q = _t_logpdf((theta - mean) @ Linv.T) - _t_logpdf((prop - mean) @ Linv.T)
            else:             # random walk scaled to the population
                prop = theta + scale * rng.standard_normal(theta.shape) @ L.T
                log_q = 0.0
            lp_new = log_prior(prop)
            ll_new = yield prop, beta
            evaluations += 1
            log_a = beta * (ll_new - ll) + lp_new - lp + log_q
            ok = np.log(rng.uniform(size=n)) < np.where(np.isfinite(log_a), log_a, -np.inf)
            theta[ok], ll[ok], lp[ok] = prop[ok], ll_new[ok], lp_new[ok]
            acc_kind[int(independent)] += ok.mean()
            steps += 1
            moved = np.median(np.sum(((theta - start) @ Linv.T) ** 2, axis=1)) / d
            if moved >= need and steps >= 2:
                break
        rw_acc = acc_kind[0] / ((steps + 1) // 2)
        scale *= float(np.exp(np.clip(rw_acc - 0.25, -0.5, 0.5)))
        acc = acc_kind.sum() / steps
        out.betas.append(beta)
        out.acceptance.append(acc)
        out.independent_acceptance.append(acc_kind[1] / max(steps // 2, 1))
        out.moves.append(steps)
    out.theta, out.log_lik, out.log_evidence, out.evaluations = theta, ll, logz, evaluations
    return out


def diagnostics(runs: list[SMCRun], rng: np.random.Generator | None = None, transform=None) -> dict:
    """Convergence across independent runs treated as chains.

    Parameters
    ----------
    runs : list of SMCRun
        At least two runs with the same number of particles.
    rng : numpy.random.Generator, optional
        Shuffles each run's particles first (they are exchangeable; resampling puts copies side by side).
    transform : callable, optional
        theta (N, d) -> the coordinates to diagnose (default: theta itself).

    Returns
    -------
    dict
        ``rhat`` (d,), ``ess_bulk`` (d,), ``ess_tail`` (d,) arrays; ``rhat_max``, ``ess_bulk_min``,
        ``log_evidence`` (mean over runs), ``log_evidence_se`` (standard error of that mean), ``runs``.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        import arviz as az
    rng = rng or np.random.default_rng(0)
    n = min(len(r.theta) for r in runs)
    transform = transform or (lambda t: t)
    chains = np.stack([transform(r.theta[rng.permutation(len(r.theta))[:n]]) for r in runs])     # (R, N, d)
    ds = az.convert_to_dataset({"theta": chains})
    rhat = np.asarray(az.rhat(ds)["theta"].values, float)
    ess_bulk = np.asarray(az.ess(ds, method="bulk")["theta"].values, float)
    ess_tail = np.asarray(az.ess(ds, method="tail")["theta"].values, float)
    logz = np.array([r.log_evidence for r in runs])
    return {"rhat": rhat, "ess_bulk": ess_bulk, "ess_tail": ess_tail,
            "rhat_max": float(np.max(rhat)), "ess_bulk_min": float(np.min(ess_bulk)),
            "log_evidence": float(logz.mean()),
            "log_evidence_se": float(logz.std(ddof=1) / np.sqrt(len(logz))) if len(logz) > 1 else float("nan"),
            "runs": len(runs)}
