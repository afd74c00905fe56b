"""The SMC sampler against posteriors known in closed form, and its diagnostics across runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innosd.calibration.smc import diagnostics, ess, next_beta, smc, smc_runs, systematic_resample

TAU = 3.0      # prior N(0, TAU^2 I)


def _gaussian(d: int, rho: float):
    """Gaussian likelihood N(mu; theta, S) with correlation rho: posterior and evidence in closed form."""
    S = (np.full((d, d), rho) + (1 - rho) * np.eye(d)) * 0.5 ** 2
    mu = np.linspace(-1, 1, d)
    P = np.linalg.inv(S)
    logdet = np.linalg.slogdet(2 * np.pi * S)[1]

    def log_lik(th):
        r = th - mu
        return -0.5 * np.einsum("ni,ij,nj->n", r, P, r) - 0.5 * logdet

    post_cov = np.linalg.inv(np.eye(d) / TAU ** 2 + P)
    post_mean = post_cov @ P @ mu
    C = S + TAU ** 2 * np.eye(d)
    logz = -0.5 * mu @ np.linalg.solve(C, mu) - 0.5 * np.linalg.slogdet(2 * np.pi * C)[1]
    return log_lik, post_mean, post_cov, logz


def _log_prior(th):
    return -0.5 * np.sum(th ** 2, axis=1) / TAU ** 2 - th.shape[1] * np.log(TAU * np.sqrt(2 * np.pi))


def _sample_prior(rng, n, d):
    return rng.standard_normal((n, d)) * TAU


def test_recovers_a_correlated_gaussian_and_its_evidence():
    d = 4
    log_lik, mean, cov, logz = _gaussian(d, 0.95)
    runs = [smc(log_lik, _log_prior, lambda r, n: _sample_prior(r, n, d), 1500, np.random.default_rng(k),
                final_jump=3.0) for k in range(4)]
    th = np.vstack([r.theta for r in runs])
    sd = np.sqrt(np.diag(cov))
    assert np.all(np.abs(th.mean(0) - mean) < 0.05 * sd + 1e-3)
    assert np.allclose(th.std(0), sd, rtol=0.06)
    corr = np.corrcoef(th.T)[0, 1]
    assert corr == pytest.approx(cov[0, 1] / (sd[0] * sd[1]), abs=0.02)
    dg = diagnostics(runs)
    assert dg["rhat_max"] < 1.01 and dg["ess_bulk_min"] > 1000
    assert dg["log_evidence"] == pytest.approx(logz, abs=max(4 * dg["log_evidence_se"], 0.15))


def test_runs_in_lockstep_are_the_runs_one_after_the_other():
    """Four runs evaluated in one pass a step give each run exactly what it gives alone, with fewer calls."""
    d = 3
    log_lik, *_ = _gaussian(d, 0.5)
    calls = []

    def counted(th):
        calls.append(len(th))
        return log_lik(th)

    def prior(rng, n):
        return _sample_prior(rng, n, d)

    alone = [smc(log_lik, _log_prior, prior, 300, np.random.default_rng([7, k])) for k in range(4)]
    together = smc_runs(counted, _log_prior, prior, 300, [np.random.default_rng([7, k]) for k in range(4)])
    for a, b in zip(alone, together, strict=True):
        assert np.array_equal(a.theta, b.theta) and np.array_equal(a.log_lik, b.log_lik)
        assert a.log_evidence == b.log_evidence and a.betas == b.betas and a.moves == b.moves
    # one call a step for all the runs still going: as many calls as the longest run needs
    assert len(calls) == max(r.evaluations for r in alone) < sum(r.evaluations for r in alone)
    assert calls[0] == 4 * 300 and calls[-1] >= 300


def test_recovers_a_banana():
    """Rosenbrock-type banana: theta2 | theta1 ~ N(b theta1^2, 0.3^2), theta1 ~ N(0, 1).

    The prior is flat on a box far wider than the posterior, so E[theta2] = b and Var[theta2] = 0.09 + 2 b^2.
    """
    b = 1.0

    def log_lik(th):
        return -0.5 * th[:, 0] ** 2 - 0.5 * ((th[:, 1] - b * th[:, 0] ** 2) / 0.3) ** 2

    def log_prior(th):
        return np.where(np.all(np.abs(th) < 10, axis=1), 0.0, -np.inf)

    runs = [smc(log_lik, log_prior, lambda r, n: r.uniform(-10, 10, (n, 2)), 2000, np.random.default_rng(10 + k),
                final_jump=3.0) for k in range(2)]
    th = np.vstack([r.theta for r in runs])
    assert th[:, 0].mean() == pytest.approx(0.0, abs=0.06)
    assert th[:, 0].std() == pytest.approx(1.0, rel=0.06)
    assert th[:, 1].mean() == pytest.approx(b, abs=0.08)
    assert th[:, 1].var() == pytest.approx(0.09 + 2 * b ** 2, rel=0.15)
    # the curved ridge: theta2 - b theta1^2 has the conditional spread
    assert (th[:, 1] - b * th[:, 0] ** 2).std() == pytest.approx(0.3, rel=0.1)


def test_same_seed_same_run_other_seed_differs():
    log_lik, *_ = _gaussian(2, 0.5)
    a, b, c = (smc(log_lik, _log_prior, lambda r, n: _sample_prior(r, n, 2), 200, np.random.default_rng(s))
               for s in (1, 1, 2))
    assert np.array_equal(a.theta, b.theta) and a.log_evidence == b.log_evidence
    assert not np.array_equal(a.theta, c.theta)


def test_tempering_ends_at_one_and_increases():
    log_lik, *_ = _gaussian(3, 0.0)
    r = smc(log_lik, _log_prior, lambda g, n: _sample_prior(g, n, 3), 300, np.random.default_rng(0))
    assert r.betas[-1] == 1.0 and np.all(np.diff(r.betas) > 0)
    assert r.evaluations == 1 + sum(r.moves)     # one batched call per step, none per particle


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=5, max_size=60), st.floats(0.1, 0.9))
def test_next_beta_keeps_the_requested_ess(ll, frac):
    ll = np.array(ll)
    target = frac * ll.size
    b = next_beta(ll, 0.0, target)
    assert 0 < b <= 1
    assert ess(b * ll) >= target - 1e-6
    if b < 1:
        assert ess(min(1.0, b * 1.01 + 1e-9) * ll) <= target + 1e-3 * ll.size


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=2, max_size=50).filter(lambda w: sum(w) > 0))
def test_systematic_resampling_copies_each_particle_floor_or_ceil_of_n_w(w):
    w = np.array(w) / np.sum(w)
    n = w.size
    with np.errstate(divide="ignore"):
        idx = systematic_resample(np.log(w), np.random.default_rng(0))
    counts = np.bincount(idx, minlength=n)
    assert counts.sum() == n
    assert np.all(counts >= np.floor(n * w) - 1e-9) and np.all(counts <= np.ceil(n * w) + 1e-9)
