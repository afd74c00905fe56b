"""Rolling-origin backtest and the files of ``innosd forecast`` / ``innosd backtest``.

For each origin o the model is calibrated on the vintage o (rows with year <= o only) and its predictive
draws are scored on every later observed value up to the last year scored. Two baselines get the same
data: a log-linear trend of the series' own values up to o, and carry-forward of its last value. Scores
are on the log scale so that series of different size weigh alike:

* coverage of the 50% and 90% central predictive intervals;
* CRPS (continuous ranked probability score, from the draws: E|X - y| - E|X - X'| / 2) and the 90% interval
  score (Gneiting & Raftery 2007);
* PIT = P(X <= y), whose histogram is flat for a calibrated forecast.

The baselines are forecasts with predictive distributions too (:mod:`.baseline`: the trend's regression
prediction interval, carry-forward as a random walk with the series' log-change spread), drawn as many times
as the model and scored by the same function (:mod:`.scores`), so every score compares like with like.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..runfolder import BACKTEST_CHART, BACKTEST_SCORES
from .baseline import pooled, predictive_draws, trend_predictive, trend_spread, walk_predictive, walk_spread
from .calibrate import LAST_DATA_YEAR, CalibrationRun, Settings, calibrate_structures
from .forecast import _runs, forecast_table, predictive_at
from .scores import METHODS, chart, score_draws, scores_table, summarise  # noqa: F401 - METHODS re-exported


def held_out(run: CalibrationRun, to_year: int) -> pd.DataFrame:
    """Observed values (not bounds) after the run's vintage up to ``to_year``."""
    obs = run.measurement.comparisons(until=to_year, since=run.settings.until + 1)
    return obs[~obs.censored].reset_index(drop=True)


def score_origin(runs, to_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per held-out observation and method: quantiles, PIT, coverage, CRPS and interval score (log scale).

    ``runs``: the origin's calibration, one run or one per model structure (pooled by evidence weight). The
    model's predictive draws and both baselines' (:func:`baseline_draws`) are scored by the same function,
    :func:`.scores.score_draws`, with as many draws each.
    """
    runs = _runs(runs)
    run = runs[0]
    obs = held_out(run, to_year)
    if obs.empty:
        return pd.DataFrame()
    draws = np.log(np.maximum(predictive_at(runs, obs, rng), 1e-300))
    y = np.log(obs.value.to_numpy(float))
    base = obs[["series", "year", "value"]].rename(columns={"value": "observed"}).assign(
        origin=run.settings.until, horizon=obs.year - run.settings.until)
    frames = [base.assign(method="model", **score_draws(draws, y))]
    for method, d in baseline_draws(run.measurement, run.settings.until, obs, draws.shape[0], rng).items():
        frames.append(base.assign(method=method, **score_draws(d, y)))
    return pd.concat(frames, ignore_index=True)


def baseline_draws(meas, origin: int, obs: pd.DataFrame, k: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Draws (k, m) of log values from the two baselines, given each series' history up to ``origin``.

    Series with too few points of their own use the spreads pooled over every compared series at the origin
    (:mod:`.baseline`); a series with no history before the origin gets no baseline (a column of NaN).
    """
    hist = {s: meas.history(s, origin) for s in meas.series}
    pool_trend = pooled(trend_spread(h.year, h.value) for h in hist.values())
    pool_walk = pooled(walk_spread(h.year, h.value) for h in hist.values())
    trend, walk = [], []
    for r in obs.itertuples():
        h = hist[r.series] if r.series in hist else meas.history(r.series, origin)
        trend.append(trend_predictive(h.year, h.value, r.year, pool_trend, pool_walk))
        walk.append(walk_predictive(h.year, h.value, r.year, pool_walk))
    return {"trend": predictive_draws(trend, k, rng), "carry_forward": predictive_draws(walk, k, rng)}


def backtest_files(settings: list[Settings], to_year: int, out: Path, progress: bool = True, log=None) -> list[str]:
    """Calibrate every origin, score it, write ``out``/scores.csv and ``out``/backtest.png; returns printable lines."""
    log = log or (lambda *_: None)
    frames = []
    for s in settings:
        log(f"== origin {s.until} ==")
        runs = calibrate_structures(s, progress=progress, log=log)
        frames.append(score_origin(runs, to_year, np.random.default_rng([s.seed, 7])))
    scores = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    summ = summarise(scores)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    scores_table(scores).to_csv(out / BACKTEST_SCORES, index=False, float_format="%.6g")
    _save_chart(scores, summ, out / BACKTEST_CHART)
    lines = ["on the values every method forecasts (common):",
             f"{'origin':>6} {'method':<14} {'n':>3} {'cov50':>6} {'cov90':>6} {'CRPS':>6} {'IS90':>6}"]
    for r in summ.itertuples():
        cells = [_two(v) for v in (r.coverage50_common, r.coverage90_common, r.crps_log_common,
                                   r.interval_score90_log_common)]
        lines.append(f"{r.origin!s:>6} {r.method:<14} {r.n_common:>3} " + " ".join(f"{c:>6}" for c in cells))
    lines.append(f"wrote {out / BACKTEST_SCORES}, {out / BACKTEST_CHART}")
    return lines


def _two(v: float) -> str:
    return "-" if np.isnan(v) else f"{v:.2f}"


def _save_chart(scores: pd.DataFrame, summary: pd.DataFrame, path: Path) -> None:
    """backtest.png: :func:`.scores.chart` in Chinese (the report draws it again in its own language)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..fonts import use_cjk_font

    use_cjk_font()
    fig = chart(scores, summary, "zh")
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def forecast_files(settings: Settings, to_year: int, out: Path, progress: bool = True, log=None) -> list[str]:
    """``innosd forecast``: calibrate on the vintage and write its files; returns printable lines.

    forecast-until-YEAR.csv goes into ``out``, and forecast-until-YEAR-scores.csv when later data exist. When the
    committed calibration of the vintage has the same settings, it is read instead (it is what they would make).
    """
    from .committed import committed_runs, committed_settings
    from .structures import structures_table
    from .summary import format_structures, format_summary

    log = log or (lambda *_: None)
    if committed_settings(settings.until) == settings:
        # the committed calibration of this vintage is what these settings would make again, bit for bit
        log(f"vintage {settings.until}: the committed calibration has these settings; reading it")
        runs = committed_runs(settings.until)
    else:
        runs = calibrate_structures(settings, progress=progress, log=log)
    rng = np.random.default_rng([settings.seed, 2])
    table = forecast_table(runs, to_year, rng)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    f_csv = out / f"forecast-until-{settings.until}.csv"
    table.to_csv(f_csv, index=False, float_format="%.6g")
    lines = [format_summary(r) for r in runs if hasattr(r, "runs")]
    if runs[0].structure is not None:
        lines.append(format_structures(structures_table(settings.until, [r.structure for r in runs],
                                                        [r.diagnostics["log_evidence"] for r in runs],
                                                        [r.diagnostics["log_evidence_se"] for r in runs])))
    lines.append(f"wrote {f_csv}")
    if settings.until < LAST_DATA_YEAR:
        scores = score_origin(runs, LAST_DATA_YEAR, rng)
        if not scores.empty:
            s_csv = out / f"forecast-until-{settings.until}-scores.csv"
            scores_table(scores).to_csv(s_csv, index=False, float_format="%.6g")
            lines.append(f"wrote {s_csv}")
    return lines
