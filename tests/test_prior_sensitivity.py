"""Prior sensitivity: Pareto-smoothed importance sampling, exact one-prior scaling, honest errors.

PSIS agrees with arviz's implementation; power-scaling one uniform prior recovers the exact answer
of the Beta(alpha, alpha) prior (where the first-order extrapolation misses it); the reported standard
errors match the spread of repeated estimates; and ``rests_on`` round-trips and names only parameters
that move P(met) beyond their error.
"""

from __future__ import annotations

import arviz as az
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from innosd.calibration.prior_sensitivity import (
    ALPHAS,
    _log_prior_z,
    format_rests_on,
    parse_rests_on,
    scaling_weights,
    structure_weights,
    target_sensitivity,
)
from innosd.calibration.psis import psis


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(50, 3000), scale=st.floats(0.1, 4.0),
       reff=st.sampled_from([1.0, 0.6]))
def test_psis_matches_arviz(seed, n, scale, reff):
    rng = np.random.default_rng(seed)
    lw = scale * rng.standard_t(3, size=n)
    w, k = psis(lw, reff)
    lw_az, k_az = az.psislw(lw.copy(), reff=reff)
    assert np.allclose(w, np.exp(lw_az), rtol=1e-10, atol=1e-14)
    assert k == pytest.approx(float(k_az)) or (np.isinf(k) and np.isinf(k_az))
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()


def test_psis_shape_flags_heavy_tails():
    """Weights (u(1-u))^-1/2 of a uniform u have tail index 2 (k about 0.5: reliable); Pareto(0.5) has k = 2."""
    rng = np.random.default_rng(1)
    u = rng.uniform(size=4000)
    assert psis(-0.5 * np.log(u * (1 - u)))[1] < 0.7
    assert psis(np.log(rng.pareto(0.5, size=4000) + 1))[1] > 1.0


def _one_prior(n: int, seed: int, threshold: float = 0.8):
    """A posterior equal to its uniform prior on u, and 'met' when u > threshold."""
    rng = np.random.default_rng(seed)
    u = rng.uniform(size=(n, 1))
    weights, _ = scaling_weights(_log_prior_z(u))
    return (u[:, 0] > threshold).astype(float), weights


def test_one_prior_scaled_alone_is_exact():
    """P(u > 0.8) under Beta(a, a) priors, from uniform draws: 0.295 (a = 0.5) and 0.104 (a = 2)."""
    met, weights = _one_prior(40_000, 3)
    row = target_sensitivity(met, weights, 1.0, ["x"])
    exact = {a: stats.beta(a, a).sf(0.8) for a in ALPHAS}
    assert row["p_met_prior_wider"] == pytest.approx(exact[0.5], abs=3 * row["p_met_prior_wider_se"] + 1e-3)
    assert row["p_met_prior_narrower"] == pytest.approx(exact[2.0], abs=3 * row["p_met_prior_narrower_se"] + 1e-3)
    # the old first-order extrapolation, Cov(met, log p) * (alpha - 1), is off by far more than the error
    lp = _log_prior_z(np.c_[np.linspace(0, 1, 200_001)[1:-1]])[:, 0]
    slope = np.mean((np.linspace(0, 1, 200_001)[1:-1] > 0.8) * (lp - lp.mean()))
    assert abs(0.2 + slope - exact[2.0]) > 0.04
    assert row["prior_sensitive"] and row["rests_on"].startswith("x (")


def test_a_prior_acting_in_one_structure_moves_only_that_structure():
    """Structure A (60% of members) varies x ~ U(0, 1); structure B holds x at 0.5.

    Rescaling x's prior keeps the 60/40 shares, leaves B's members equally weighted, and inside A is exact
    (Beta(a, a) tail).
    """
    rng = np.random.default_rng(5)
    n_a, n_b = 30_000, 20_000
    u = np.r_[rng.uniform(size=n_a), np.full(n_b, 0.5)]
    labels = np.array(["A"] * n_a + ["B"] * n_b)
    weights, ks = structure_weights(_log_prior_z(u[:, None]), labels)
    for a in range(len(ALPHAS)):
        w = weights[a, 0]
        assert w.sum() == pytest.approx(1.0)
        assert w[:n_a].sum() == pytest.approx(0.6) and w[n_a:].sum() == pytest.approx(0.4)
        assert np.ptp(w[n_a:]) == pytest.approx(0.0, abs=1e-15)
        p_a = np.sum(w[:n_a] * (u[:n_a] > 0.8)) / 0.6
        assert p_a == pytest.approx(stats.beta(ALPHAS[a], ALPHAS[a]).sf(0.8), abs=0.01)
    assert np.all(np.isfinite(ks))


def test_standard_errors_match_the_spread_of_repeated_estimates():
    """The delta-method error of P(met) with narrower priors is the spread of repeated estimates.

    Within 25% of the standard deviation of the estimates over independent ensembles (three priors, one
    that matters).
    """
    estimates, errors = [], []
    for seed in range(150):
        rng = np.random.default_rng(seed)
        u = rng.uniform(size=(1500, 3))
        met = (u[:, 0] + 0.3 * rng.standard_normal(1500) > 0.7).astype(float)
        weights, _ = scaling_weights(_log_prior_z(u))
        row = target_sensitivity(met, weights, 1.0, ["a", "b", "c"])
        estimates.append(row["p_met_prior_narrower"])
        errors.append(row["p_met_prior_narrower_se"])
    assert np.mean(errors) == pytest.approx(np.std(estimates), rel=0.25)


def test_members_sharing_a_draw_inflate_the_error():
    met, weights = _one_prior(2000, 5)
    single = target_sensitivity(met, weights, 1.0, ["x"])
    shared = target_sensitivity(met, weights, 4.0, ["x"])
    assert shared["change_se"] == pytest.approx(2 * single["change_se"])


def test_a_prior_that_does_not_matter_is_not_named():
    rng = np.random.default_rng(7)
    u = rng.uniform(size=(3000, 2))
    met = (u[:, 0] > 0.5).astype(float)  # depends on the first parameter only, through a symmetric threshold
    weights, _ = scaling_weights(_log_prior_z(u))
    row = target_sensitivity(met, weights, 1.0, ["centre", "noise"])
    assert "noise" not in row["rests_on"]
    assert not row["prior_sensitive"]
    assert abs(row["p_met_prior_wider"] - met.mean()) < 3 * row["p_met_prior_wider_se"]


@given(st.lists(st.tuples(st.from_regex(r"[a-z][a-z0-9_]{0,20}", fullmatch=True),
                          st.floats(-1, 1), st.floats(-1, 1)), max_size=3))
def test_rests_on_round_trips(items):
    text = format_rests_on(items)
    back = parse_rests_on(text)
    assert [b[0] for b in back] == [i[0] for i in items]
    assert all(abs(b[1] - i[1]) <= 0.005 + 1e-9 and abs(b[2] - i[2]) <= 0.005 + 1e-9
               for b, i in zip(back, items, strict=True))
    assert parse_rests_on(float("nan")) == [] and parse_rests_on("") == []


def test_the_run_writes_the_columns_the_report_reads(repo):
    """A real run's prior_sensitivity.csv: documented columns, probabilities in [0, 1], errors positive."""
    from innosd.api import run
    from innosd.calibration.prior_sensitivity import COLUMNS, prior_sensitivity

    judged = run(repo / "scenarios" / "tianjin-2027-plan.yaml", samples=300, seed=4)
    df = prior_sensitivity(judged.result, judged.table)
    assert tuple(df.columns) == COLUMNS
    readme = (repo / "reports" / "README.md").read_text(encoding="utf-8")
    for col in COLUMNS:
        assert f"`{col}`" in readme, col
    fc = df[df.kind == "forecast"]
    assert len(fc) == 2 and fc.p_met_prior_wider.between(0, 1).all() and fc.p_met_prior_narrower.between(0, 1).all()
    assert (fc.p_met_prior_wider_se > 0).all() and (fc.change_se > 0).all() and (fc.pareto_k_max < 1).all()
    assert df[df.kind == "assumption"].p_met_prior_wider.isna().all()
