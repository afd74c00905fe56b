"""Calibration: statistics on hand-checked examples, baseline, measurement model, priors, batching,
determinism and parameter recovery from synthetic data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from innosd.calibration.baseline import fit_trend
from innosd.calibration.stats import fit_stats, identifiability


# ------------------------------------------------------------------ statistics
def test_perfect_fit():
    s = fit_stats([1.0, 2.0, 4.0], [1.0, 2.0, 4.0])
    assert s["r2"] == 1.0 and s["theil_u"] == 0.0 and s["rmse"] == 0.0 and s["mape"] == 0.0
    assert np.isnan(s["um"])          # shares undefined when MSE = 0


def test_pure_bias_hand_checked():
    s = fit_stats([1, 2, 3], [2, 3, 4])
    assert s["rmse"] == pytest.approx(1.0)
    assert s["r2"] == pytest.approx(1 - 3 / 2)
    assert s["mape"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3 * 100)
    assert (s["um"], s["us"], s["uc"]) == pytest.approx((1.0, 0.0, 0.0))


def test_pure_covariation_hand_checked():
    s = fit_stats([1, 2, 3], [3, 2, 1])           # same mean and spread, r = -1
    assert (s["um"], s["us"], s["uc"]) == pytest.approx((0.0, 0.0, 1.0))


def test_theil_shares_sum_to_one():
    rng = np.random.default_rng(0)
    for n in (1, 2, 5, 30):
        a = rng.uniform(1, 10, n)
        s = fit_stats(a, a * rng.uniform(0.5, 1.5, n) + rng.normal(0, 1, n))
        assert s["um"] + s["us"] + s["uc"] == pytest.approx(1.0)
        assert 0 <= s["theil_u"] <= 1
    one = fit_stats([5.0], [6.0])
    assert one["um"] == pytest.approx(1.0) and np.isnan(one["r2"])


def test_identifiability_ratio():
    rng = np.random.default_rng(1)
    u = np.column_stack([rng.uniform(size=20000), 0.5 + 0.01 * rng.standard_normal(20000)])
    ratio, ident = identifiability(u)
    assert ratio[0] == pytest.approx(1.0, abs=0.03) and ratio[1] < 0.05
    assert list(ident) == [False, True]


# ------------------------------------------------------------------ baseline
def test_baseline_recovers_exponential_rate():
    years = np.array([2013, 2014, 2016, 2019])
    tr = fit_trend(years, 100 * np.exp(0.07 * (years - 2013)))
    assert tr.rate == pytest.approx(0.07, rel=1e-9)
    assert tr.predict([2022])[0] == pytest.approx(100 * np.exp(0.07 * 9), rel=1e-9)


def test_baseline_single_point_is_flat_and_none_is_nan():
    assert fit_trend([2016], [158]).predict([2020])[0] == pytest.approx(158)
    assert np.isnan(fit_trend([], []).predict([2020])[0])


# ------------------------------------------------------------------ measurement and priors
def test_measurement_consistent(model):
    from innosd.calibration.measurement import load_measurement

    meas = load_measurement()
    assert meas.check(model) == []
    obs = meas.comparisons()
    assert obs.year.min() >= 2016 and obs.year.max() <= 2020
    assert not obs.kind.eq("target").any()
    assert {"tech_transfer_bodies", "startups_incubated", "rd_intensity_pre_census", "lingjun_new"} <= set(obs.series)
    row = obs[(obs.series == "maker_spaces") & (obs.year == 2020)].iloc[0]       # actual-uncertain-year
    assert row.sigma == pytest.approx(np.hypot(0.05, 0.10))
    assert (obs[obs.bridge > 0].sigma > 0.15).all()
    assert meas.history("high_tech_enterprises").year.min() == 2013           # baseline sees pre-2016 rows


def test_prior_coordinates(model):
    from innosd.calibration.priors import load_priors

    pri = load_priors(model=model)
    u = np.random.default_rng(2).uniform(size=(50, pri.p))
    x = pri.to_x(u)
    assert np.all(x >= pri.low) and np.all(x <= pri.high)
    assert np.allclose(pri.to_u(x), u)
    z = pri.z_of_u(u)
    assert np.allclose(pri.log_prior_z(z), np.sum(np.log(u) + np.log1p(-u), axis=1))
    r = pri.penalty_residual(u)
    assert np.allclose(-0.5 * np.sum(r ** 2, axis=1), np.sum(np.log(4 * u * (1 - u)), axis=1))


def test_one_engine_pass_per_jacobian_and_per_mcmc_step(model):
    from innosd.calibration.fit import jacobian_batch
    from innosd.calibration.likelihood import Problem
    from innosd.calibration.measurement import load_measurement
    from innosd.calibration.mcmc import run_mcmc
    from innosd.calibration.priors import load_priors

    pri = load_priors(model=model)
    pb = Problem(model, pri, load_measurement().comparisons())
    u = np.full(pri.p, 0.5)
    r, J = jacobian_batch(pb, u)
    assert (pb.engine_calls, pb.members) == (1, pri.p + 1)
    assert J.shape == (pb.m + pri.p, pri.p)
    j = pri.names.index("chuying_promotion_rate")       # check one column against a central difference
    e = np.zeros(pri.p)
    e[j] = 1e-4
    central = (pb.residuals_u(u + e)[0] - pb.residuals_u(u - e)[0]) / 2e-4
    assert np.allclose(J[:, j], central, rtol=1e-3, atol=1e-3)
    pb.engine_calls = 0
    run_mcmc(pb, pri.z_of_u(u), np.eye(pri.p), walkers=16, steps=5, burn=2, seed=0, progress=False)
    assert pb.engine_calls == 1 + 5               # initial log-prob + one per step for all walkers


# ------------------------------------------------------------------ determinism
def _tiny(seed):
    from innosd.calibration.calibrate import Settings, calibrate

    return calibrate(Settings(draws=200, seed=seed, walkers=16, steps=40, burn=10, starts=1, max_nfev=5),
                     progress=False)


def test_same_seed_same_posterior(model):
    a, b, c = _tiny(7), _tiny(7), _tiny(8)
    assert np.array_equal(a.x, b.x) and np.array_equal(a.log_prob, b.log_prob)
    assert not np.array_equal(a.x, c.x)


def test_forecast_and_scores_shape(model):
    from innosd.calibration.calibrate import Settings, calibrate
    from innosd.calibration.forecast import forecast_table, score
    from innosd.indicators import INDICATORS

    run = calibrate(Settings(until=2018, draws=200, seed=1, walkers=16, steps=30, burn=10, starts=1, max_nfev=5),
                    progress=False)
    assert run.problem.obs.year.max() <= 2018
    rng = np.random.default_rng(0)
    tab = forecast_table(run, 2022, rng)
    assert list(tab.columns) == ["indicator", "year", "measure", "q05", "q25", "q50", "q75", "q95", "baseline"]
    assert set(tab.indicator) == set(INDICATORS)
    assert sorted(tab.year.unique()) == list(range(2016, 2023))
    q = tab[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    hte = tab[(tab.indicator == "high_tech_enterprises")]
    assert hte.baseline.notna().all()              # trend from 2013, 2014, 2016, 2017
    per_obs, summ = score(run, rng)
    assert per_obs.year.min() == 2019 and per_obs.year.max() == 2020
    assert 0 <= summ.coverage90.iloc[0] <= 1


# ------------------------------------------------------------------ parameter recovery
def test_parameter_recovery_from_synthetic_data(model):
    """Data generated by the model from known parameters (noise 1%, far below the likelihood's sigma) at the
    real data's years and indicators plus 2017-2018 register years are recovered: the truth lies within the
    posterior 90% interval of every parameter the data identify."""
    from innosd.calibration.fit import fit_map
    from innosd.calibration.likelihood import Problem
    from innosd.calibration.measurement import load_measurement
    from innosd.calibration.mcmc import run_mcmc
    from innosd.calibration.priors import load_priors
    from innosd.calibration.stats import identifiability

    pri = load_priors(model=model)
    real = load_measurement().comparisons()
    extra = [dict(series=s, variable=s, transform="level", year=y, value=1.0, kind="actual", measure="x",
                  bridge=0.0, sigma=0.05) for s in ("tech_smes", "chuying", "dengling", "lingjun") for y in (2017, 2018)]
    obs = pd.concat([real, pd.DataFrame(extra)], ignore_index=True)
    rng = np.random.default_rng(11)
    u_true = rng.uniform(0.25, 0.75, pri.p)
    x_true = pri.to_x(u_true)
    gen = Problem(model, pri, obs)
    obs["value"] = gen.predict(x_true)[0] * np.exp(0.01 * rng.standard_normal(len(obs)))

    pb = Problem(model, pri, obs)
    mp = fit_map(pb, np.random.default_rng(3), starts=2, max_nfev=40)
    assert mp.chi2 < len(obs)                     # data are near-exact: the MAP must fit them
    ch = run_mcmc(pb, pri.z_of_u(mp.u), mp.cov_z, walkers=64, steps=700, burn=300, seed=5, progress=False)
    u = pri.u_of_z(ch.z.reshape(-1, pri.p))
    ratio, ident = identifiability(u)
    assert ident.sum() >= 6, "the synthetic data should identify several parameters"
    q05, q95 = np.quantile(u, [0.05, 0.95], axis=0)
    inside = (u_true >= q05) & (u_true <= q95)
    missed = [n for n, i, ok in zip(pri.names, ident, inside) if i and not ok]
    assert not missed, f"true values outside the 90% interval: {missed}"
    # and the recovery is informative: identified posteriors are centred near the truth
    med = np.median(u, axis=0)
    assert np.all(np.abs(med - u_true)[ident] < 0.5 * ratio[ident] + 0.05)
