"""Calibration: statistics, baseline, measurement model, priors, batching, determinism, parameter recovery.

Statistics are checked on hand-worked examples; parameters are recovered from synthetic data.
"""

from __future__ import annotations

import re

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
    assert obs.year.min() >= 2016 and obs.year.max() <= 2022
    assert not obs.kind.eq("target").any()
    assert {"tech_transfer_bodies", "startups_incubated", "rd_intensity_pre_census", "lingjun_new"} <= set(obs.series)
    row = obs[(obs.series == "maker_spaces") & (obs.year == 2020)].iloc[0]       # actual-uncertain-year
    assert row.sigma == pytest.approx(np.hypot(0.05, 0.10))
    assert (obs[obs.bridge > 0].sigma > 0.15).all()
    assert meas.history("high_tech_enterprises").year.min() == 2013           # baseline sees pre-2016 rows
    # lower bounds are censored rows that share the group of the variable they bound
    bounds = obs[obs.censored]
    assert set(bounds.kind) == {"lower-bound"}
    bound_groups = set(zip(bounds.series, bounds.group, strict=True))
    assert {("chuying_batch2", "chuying"), ("tech_smes_jan_may", "tech_smes")} <= bound_groups
    assert "lower-bound" not in set(meas.history("tech_contract_turnover").kind)   # bounds are not baseline values


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


def _problem(model, until=2022):
    from innosd.calibration.calibrate import vintage_problem

    return vintage_problem(until, model)[0]


def test_discrepancy_prior_is_half_normal(model):
    """Prior draws of sigma_d = |zeta| follow the half-normal of measurement.yaml; log_prior is zeta's density."""
    from scipy import stats

    pb = _problem(model)
    th = pb.sample_prior(np.random.default_rng(3), 20000)
    sd = pb.split(th)[1]
    assert stats.kstest(sd[:, 0], stats.halfnorm(scale=pb.scale).cdf).pvalue > 0.01
    zeta = np.linspace(-0.5, 0.5, 7)
    one = np.zeros((7, pb.d))
    one[:, pb.p] = zeta
    base = np.zeros((1, pb.d))
    got = pb.log_prior(one) - pb.log_prior(base)
    assert np.allclose(got, stats.norm(scale=pb.scale).logpdf(zeta) - stats.norm(scale=pb.scale).logpdf(0.0))
    assert np.allclose(pb.reported(one)[:, pb.p], np.abs(zeta))


def test_one_engine_pass_per_jacobian_and_per_likelihood_batch(model):
    from innosd.calibration.fit import jacobian_batch

    pb = _problem(model)
    u = np.full(pb.p, 0.5)
    _, J = jacobian_batch(pb, u)
    assert (pb.engine_calls, pb.members) == (1, pb.p + 1)
    assert J.shape == (pb.m + pb.p, pb.p)
    j = pb.priors.names.index("chuying_promotion_rate")       # check one column against a central difference
    e = np.zeros(pb.p)
    e[j] = 1e-4
    central = (pb.residuals_u(u + e)[0] - pb.residuals_u(u - e)[0]) / 2e-4
    assert np.allclose(J[:, j], central, rtol=1e-3, atol=1e-3)
    pb.engine_calls = 0
    pb.log_lik(pb.sample_prior(np.random.default_rng(0), 300))
    assert pb.engine_calls == 1


def test_a_lower_bound_pulls_only_when_violated(model):
    """A censored row changes the likelihood only for parameter sets whose model value is below the bound."""
    from innosd.calibration.likelihood import Problem
    from innosd.calibration.priors import load_priors

    pri = load_priors(model=model)
    row = {"series": "chuying_batch2", "variable": "chuying", "transform": "level", "year": 2021,
           "kind": "lower-bound", "measure": "annual_register", "bridge": 0.0, "sigma": 0.05, "censored": True,
           "group": "chuying"}
    x = pri.to_x(np.random.default_rng(4).uniform(0.2, 0.8, (200, pri.p)))
    probe = Problem(model, pri, pd.DataFrame([{**row, "value": 1.0}]))
    level = probe.predict(x)[:, 0]
    bound = float(np.median(level))
    pb = Problem(model, pri, pd.DataFrame([{**row, "value": bound}]))
    ll = pb.log_likelihood(pb.predict(x))
    above, below = level > bound * 1.3, level < bound / 1.3
    assert above.any() and below.any()
    assert np.all(ll[above] > -1e-3)                    # no pull above the bound
    assert np.all(ll[below] < -5)                        # a strong pull below it
    # monotone: the further below, the lower the likelihood
    order = np.argsort(level[below])
    assert np.all(np.diff(ll[below][order]) >= -1e-12)
    # the same row read as a value would pull from both sides
    pv = Problem(model, pri, pd.DataFrame([{**row, "value": bound, "censored": False, "kind": "actual"}]))
    assert np.all(pv.log_likelihood(pv.predict(x))[above] < -1)


def test_discrepancy_widens_the_likelihood_of_a_misfit(model):
    pb = _problem(model)
    pred = pb.predict(pb.priors.to_x(np.full((1, pb.p), 0.5)))
    pred = pred * np.exp(0.3)                           # every row 30% off
    small = pb.log_likelihood(pred, np.full((1, len(pb.groups)), 0.01))
    large = pb.log_likelihood(pred, np.full((1, len(pb.groups)), 0.3))
    assert large[0] > small[0]


# ------------------------------------------------------------------ vintages
def test_a_vintage_never_reads_a_later_row(model):
    """Poisoning every row after 2020 (absurd values, bounds, new series) leaves the 2020 fit bit-identical."""
    from innosd.calibration.calibrate import Settings, calibrate
    from innosd.calibration.measurement import load_measurement
    from innosd.observed import load_observed

    clean = load_observed()
    poisoned = clean.copy()
    later = poisoned.year > 2020
    poisoned.loc[later, "value"] = poisoned.loc[later, "value"] * 1e6
    poisoned.loc[later, "kind"] = "lower-bound"
    poisoned = pd.concat([poisoned, poisoned[poisoned.indicator == "chuying"].assign(year=2021, value=-5.0)])
    s = Settings(until=2020, particles=60, runs=2, starts=1, max_nfev=3, jump=0.2, final_jump=0.3, seed=3)
    kw = {"model": model, "progress": False}
    a = calibrate(s, measurement=load_measurement(observed=clean), **kw)
    b = calibrate(s, measurement=load_measurement(observed=poisoned), **kw)
    assert a.problem.obs.year.max() <= 2020
    assert np.array_equal(a.theta, b.theta) and np.array_equal(a.log_lik, b.log_lik)
    assert a.map.chi2 == b.map.chi2


def test_a_vintage_with_no_data_is_refused(model):
    from innosd.calibration.calibrate import vintage_problem
    from innosd.errors import InputError

    with pytest.raises(InputError, match="no observation"):
        vintage_problem(2015, model)


# ------------------------------------------------------------------ determinism
def _tiny(model, seed):
    from innosd.calibration.calibrate import Settings, calibrate

    return calibrate(Settings(particles=80, runs=2, seed=seed, starts=1, max_nfev=3, jump=0.2, final_jump=0.3),
                     model=model, progress=False)


def test_same_seed_same_posterior(model):
    a, b, c = _tiny(model, 7), _tiny(model, 7), _tiny(model, 8)
    assert np.array_equal(a.theta, b.theta) and np.array_equal(a.log_lik, b.log_lik)
    assert a.diagnostics["log_evidence"] == b.diagnostics["log_evidence"]
    assert not np.array_equal(a.theta, c.theta)


def test_forecast_table_and_backtest_scores(model):
    from innosd.calibration.backtest import score_origin, summarise
    from innosd.calibration.calibrate import Settings, calibrate
    from innosd.calibration.forecast import COLUMNS, REQUIRED, forecast_table

    run = calibrate(Settings(until=2019, particles=80, runs=2, seed=1, starts=1, max_nfev=3, jump=0.2,
                             final_jump=0.3), model=model, progress=False)
    assert run.problem.obs.year.max() <= 2019
    rng = np.random.default_rng(0)
    tab = forecast_table(run, 2024, rng)
    assert tuple(tab.columns) == COLUMNS
    assert set(REQUIRED) <= set(tab.indicator)
    assert not tab.duplicated(["indicator", "year"]).any()
    assert tab.groupby("indicator").year.apply(lambda y: sorted(y) == list(range(2016, 2025))).all()
    assert (tab[tab.indicator == "lingjun"].measure == "cumulative").all()
    q = tab[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert np.all(np.diff(q, axis=1) >= 0)
    assert tab[tab.indicator == "high_tech_enterprises"].baseline.notna().all()
    # a lever-only indicator gets no predictive noise: its spread is the parameters' only
    built = tab[(tab.indicator == "cumulative_incubators_built") & (tab.year == 2024)].iloc[0]
    assert built.q05 == built.q95
    scores = score_origin(run, 2022, rng)
    model_rows = scores[scores.method == "model"]
    assert model_rows.year.min() == 2020 and model_rows.year.max() <= 2022
    assert model_rows.pit.between(0, 1).all() and (model_rows.crps_log >= 0).all()
    summ = summarise(scores)
    assert set(summ.method) == {"model", "trend", "carry_forward"}
    assert summ[summ.method == "model"].coverage90.between(0, 1).all()
    # the baselines are scored as distributions too: coverage, PIT and interval score wherever they forecast
    base = scores[(scores.method != "model") & scores.crps_log.notna()]
    assert len(base) and base.pit.between(0, 1).all() and base.in90.isin([0, 1]).all()
    assert (base.interval_score90_log > 0).all() and (base.q05 < base.q95).all()
    assert summ[summ.method != "model"].coverage90_common.between(0, 1).all()


def test_crps_of_samples_matches_the_gaussian_formula():
    from scipy import stats

    from innosd.calibration.scores import crps_samples

    x = np.random.default_rng(5).standard_normal((40000, 1))
    y = np.array([0.7])
    exact = 0.7 * (2 * stats.norm.cdf(0.7) - 1) + 2 * stats.norm.pdf(0.7) - 1 / np.sqrt(np.pi)
    assert crps_samples(x, y)[0] == pytest.approx(exact, abs=0.01)


# ------------------------------------------------------------------ parameter recovery
def test_parameter_recovery_from_synthetic_data(model):
    """The SMC sampler recovers known parameters from data the model generated with them.

    Data: the model run from known parameters (noise 1%) at the real data's years and indicators plus
    2017-2018 register years. The truth lies within the posterior 90% interval of every parameter the data
    identify, and identified posteriors are centred near it.
    """
    from innosd.calibration.likelihood import Problem
    from innosd.calibration.measurement import load_measurement
    from innosd.calibration.priors import load_priors
    from innosd.calibration.smc import smc
    from innosd.calibration.stats import identifiability

    pri = load_priors(model=model)
    real = load_measurement().comparisons(until=2020)
    real = real[~real.censored]
    extra = [{"series": s, "variable": s, "transform": "level", "year": y, "value": 1.0, "kind": "actual",
              "measure": "x", "bridge": 0.0, "sigma": 0.05, "censored": False, "group": s}
             for s in ("tech_smes", "chuying", "dengling", "lingjun") for y in (2017, 2018)]
    obs = pd.concat([real, pd.DataFrame(extra)], ignore_index=True)
    rng = np.random.default_rng(11)
    u_true = rng.uniform(0.25, 0.75, pri.p)
    gen = Problem(model, pri, obs)
    obs["value"] = gen.predict(pri.to_x(u_true))[0] * np.exp(0.01 * rng.standard_normal(len(obs)))

    pb = Problem(model, pri, obs)                  # no discrepancy term: the data are the model's own
    run = smc(pb.log_lik, pb.log_prior, pb.sample_prior, 400, np.random.default_rng(5), jump=0.3, final_jump=1.0)
    u = pri.u_of_z(run.theta)
    ratio, ident = identifiability(u)
    assert ident.sum() >= 6, "the synthetic data should identify several parameters"
    q05, q95 = np.quantile(u, [0.05, 0.95], axis=0)
    inside = (u_true >= q05) & (u_true <= q95)
    missed = [n for n, i, ok in zip(pri.names, ident, inside, strict=True) if i and not ok]
    # 90% intervals: with a dozen identified parameters one may miss by chance (P ~ 0.7 that none does)
    assert len(missed) <= max(1, int(0.1 * ident.sum())), f"true values outside the 90% interval: {missed}"
    med = np.median(u, axis=0)
    assert np.all(np.abs(med - u_true)[ident] < 0.5 * ratio[ident] + 0.05)


def test_structures_side_by_side_are_the_structures_one_after_the_other(model):
    """The structures run in worker processes (innosd calibrate); the runs and their log must not change."""
    from innosd.calibration.calibrate import Settings, calibrate_structures

    s = Settings(until=2016, particles=60, runs=2, seed=3, starts=1, max_nfev=3, jump=0.2, final_jump=0.3)
    logs = {1: [], 2: []}
    alone = calibrate_structures(s, model=model, progress=False, log=logs[1].append, workers=1)
    side = calibrate_structures(s, model=model, progress=False, log=logs[2].append, workers=2)
    assert len(alone) == len(side) >= 2
    for a, b in zip(alone, side, strict=True):
        assert a.structure == b.structure
        assert np.array_equal(a.theta, b.theta) and np.array_equal(a.log_lik, b.log_lik)
        assert b.problem.model is model                      # the parent's model, re-attached
    def untimed(lines):                                      # timings differ; the rest of the log does not
        return [re.sub(r"\d+(\.\d+)? s\b", "T s", line) for line in lines]

    assert untimed(logs[1]) == untimed(logs[2]) and logs[1]
