"""The backtest's baselines are honest forecasts: their predictive intervals cover as often as they claim.

Carry-forward is a random walk in logs with the series' historical log-change spread, the trend carries
its regression prediction interval; on data made by those very processes, 50% and 90% intervals hold
about 50% and 90% of later values. Every method is scored by one function, so the scores compare like
with like, and the report draws its chart from the file the backtest writes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from innosd.calibration.baseline import (
    pooled,
    predictive_draws,
    trend_predictive,
    trend_spread,
    walk_predictive,
    walk_spread,
)
from innosd.calibration.scores import METHODS, score_draws, scores_table

N = 3000  # series per check: the coverage's standard error is about 0.005 at 90%


def _coverage(preds, truth, rng):
    scored = score_draws(predictive_draws(preds, 2000, rng), np.asarray(truth))
    return np.nanmean(scored["in50"]), np.nanmean(scored["in90"]), scored


def test_carry_forward_covers_a_random_walk_as_claimed():
    rng = np.random.default_rng(11)
    preds, truth = [], []
    for _ in range(N):
        sigma = rng.uniform(0.03, 0.3)
        logs = 4 + np.cumsum(rng.normal(0, sigma, size=14))
        h = int(rng.integers(1, 5))
        preds.append(walk_predictive(np.arange(2010, 2020), np.exp(logs[:10]), 2019 + h))
        truth.append(logs[9 + h])
    cov50, cov90, scored = _coverage(preds, truth, rng)
    assert cov90 == pytest.approx(0.9, abs=0.02) and cov50 == pytest.approx(0.5, abs=0.03)
    assert stats.kstest(scored["pit"], "uniform").pvalue > 0.001  # a flat PIT histogram


def test_trend_covers_a_noisy_trend_as_claimed():
    rng = np.random.default_rng(12)
    preds, truth = [], []
    for _ in range(N):
        n = int(rng.integers(5, 10))
        years = np.sort(rng.choice(np.arange(2008, 2020), size=n, replace=False)).astype(float)
        level, rate, sd = rng.normal(5, 1), rng.normal(0.08, 0.05), rng.uniform(0.02, 0.2)
        target = 2019 + int(rng.integers(1, 4))
        preds.append(trend_predictive(years, np.exp(level + rate * (years - 2019) + rng.normal(0, sd, n)), target))
        truth.append(level + rate * (target - 2019) + rng.normal(0, sd))
    cov50, cov90, _ = _coverage(preds, truth, rng)
    assert cov90 == pytest.approx(0.9, abs=0.02) and cov50 == pytest.approx(0.5, abs=0.03)


def test_short_series_borrow_the_pooled_spread_and_still_cover():
    """Two or three points of their own: the spread pooled over the other series of the same origin."""
    rng = np.random.default_rng(13)
    sigma = 0.12
    histories = [(np.arange(2016, 2016 + k), np.exp(3 + np.cumsum(rng.normal(0, sigma, k))))
                 for k in rng.integers(2, 4, size=N)]
    pool = pooled(walk_spread(y, v) for y, v in histories)
    assert pool.s2 == pytest.approx(sigma ** 2, rel=0.05)
    preds = [walk_predictive(y, v, y[-1] + 2, pool) for y, v in histories]
    truth = [np.log(v[-1]) + rng.normal(0, sigma * np.sqrt(2)) for _, v in histories]
    _, cov90, _ = _coverage(preds, truth, rng)
    assert cov90 == pytest.approx(0.9, abs=0.02)
    assert walk_predictive([2019], [5.0], 2021) is None            # no change of its own and no pool: no forecast
    assert trend_predictive([], [], 2021) is None
    assert trend_spread([2018, 2019], [1.0, 2.0]) is None          # a line through two points has no residual


def test_every_method_is_scored_alike_and_compared_on_common_rows():
    rng = np.random.default_rng(14)
    frames = []
    for origin in (2018, 2019):
        y = rng.normal(size=6)
        base = pd.DataFrame({"series": list("abcdef"), "year": 2021, "observed": np.exp(y), "origin": origin,
                             "horizon": 2021 - origin})
        for method in METHODS:
            draws = rng.normal(size=(800, 6))
            if method == "trend":
                draws[:, 0] = np.nan                                # the trend has no forecast of series a
            frames.append(base.assign(method=method, **score_draws(draws, y)))
    table = scores_table(pd.concat(frames, ignore_index=True))
    summary = table[table.row == "summary"].set_index(["origin", "method"])
    assert summary.loc[("all", "model"), "n"] == 12 and summary.loc[("all", "model"), "n_common"] == 10
    assert summary.loc[("all", "trend"), "n"] == 10
    obs = table[table.row == "observation"]
    common = obs[(obs.series != "a") & (obs.method == "model")]
    assert summary.loc[("all", "model"), "crps_log_common"] == pytest.approx(common.crps_log.mean())
    assert summary.loc[("all", "model"), "coverage90_common"] == pytest.approx(common.in90.mean())
    assert list(table.columns[:3]) == ["row", "origin", "method"]


def test_the_report_reads_what_the_backtest_writes(tmp_path):
    from innosd.runfolder import BACKTEST_SCORES, read_backtest

    assert read_backtest(tmp_path) is None                          # absent: the section explains
    rng = np.random.default_rng(15)
    y = rng.normal(size=4)
    base = pd.DataFrame({"series": list("abcd"), "year": 2022, "observed": np.exp(y), "origin": 2020, "horizon": 2})
    scores = pd.concat([base.assign(method=m, **score_draws(rng.normal(size=(300, 4)), y)) for m in METHODS])
    scores_table(scores).to_csv(tmp_path / BACKTEST_SCORES, index=False)
    obs, summary = read_backtest(tmp_path)
    assert len(obs) == 12 and set(summary.method) == set(METHODS)
    (tmp_path / BACKTEST_SCORES).write_text("not,a\nbacktest,file\n")
    assert read_backtest(tmp_path) is None
