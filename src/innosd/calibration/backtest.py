"""Rolling-origin backtest and the files of ``innosd forecast`` / ``innosd backtest``.

For each origin o the model is calibrated on the vintage o (rows with year <= o only) and its predictive
draws are scored on every later observed value up to the last year scored. Two baselines get the same
data: a log-linear trend of the series' own values up to o, and carry-forward of its last value. Scores
are on the log scale so that series of different size weigh alike:

* coverage of the 50% and 90% central predictive intervals (model only; the baselines are points);
* CRPS (continuous ranked probability score, from the draws: E|X - y| - E|X - X'| / 2; for a point
  forecast it is the absolute error) and the 90% interval score (Gneiting & Raftery 2007);
* PIT = P(X <= y), whose histogram is flat for a calibrated forecast.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .baseline import fit_trend
from .calibrate import LAST_DATA_YEAR, CalibrationRun, Settings, calibrate
from .forecast import QCOLS, QUANTILES, forecast_table, predictive_at

METHODS = ("model", "trend", "carry_forward")


def crps_samples(draws: np.ndarray, y: np.ndarray) -> np.ndarray:
    """CRPS (m,) of predictive draws (k, m) at observations y (m,), from the sorted draws."""
    x = np.sort(draws, axis=0)
    k = x.shape[0]
    spread = (2 * np.arange(1, k + 1) - k - 1) @ x / k ** 2        # E|X - X'| / 2
    return np.mean(np.abs(x - y[None, :]), axis=0) - spread


def interval_score(lo: np.ndarray, hi: np.ndarray, y: np.ndarray, alpha: float = 0.1) -> np.ndarray:
    """Interval score of central (1 - alpha) intervals [lo, hi] at y (lower is better)."""
    return (hi - lo) + 2 / alpha * np.clip(lo - y, 0, None) + 2 / alpha * np.clip(y - hi, 0, None)


def held_out(run: CalibrationRun, to_year: int) -> pd.DataFrame:
    """Observed values (not bounds) after the run's vintage up to ``to_year``."""
    obs = run.measurement.comparisons(until=to_year, since=run.settings.until + 1)
    return obs[~obs.censored].reset_index(drop=True)


def score_origin(run: CalibrationRun, to_year: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per held-out observation and method: quantiles, PIT, coverage, CRPS and interval score (log scale)."""
    obs = held_out(run, to_year)
    if obs.empty:
        return pd.DataFrame()
    draws = np.log(np.maximum(predictive_at(run, obs, rng), 1e-300))
    y = np.log(obs.value.to_numpy(float))
    q = np.quantile(draws, QUANTILES, axis=0)
    base = obs[["series", "year", "value"]].rename(columns={"value": "observed"}).assign(
        origin=run.settings.until, horizon=obs.year - run.settings.until)
    model = base.assign(method="model", **{c: np.exp(q[i]) for i, c in enumerate(QCOLS)},
                        pit=np.mean(draws <= y[None, :], axis=0),
                        in50=(y >= q[1]) & (y <= q[3]), in90=(y >= q[0]) & (y <= q[4]),
                        crps_log=crps_samples(draws, y), interval_score90_log=interval_score(q[0], q[4], y))
    frames = [model]
    meas, o = run.measurement, run.settings.until
    for method in METHODS[1:]:
        point = []
        for r in obs.itertuples():
            h = meas.history(r.series, o)
            if h.empty:
                point.append(np.nan)
            elif method == "trend":
                point.append(float(fit_trend(h.year.to_numpy(float), h.value.to_numpy(float)).predict([r.year])[0]))
            else:
                point.append(float(h.value.iloc[-1]))
        point = np.asarray(point)
        frames.append(base.assign(method=method, q50=point, crps_log=np.abs(np.log(point) - y)))
    return pd.concat(frames, ignore_index=True)


def summarise(scores: pd.DataFrame) -> pd.DataFrame:
    """Per origin and method (and over all origins): n, coverage, mean CRPS (all rows, and rows every method scores)."""
    common = scores.groupby(["origin", "series", "year"]).crps_log.transform(lambda c: c.notna().all())
    scores = scores.assign(common=common)
    rows = []
    for (origin, method), g in list(scores.groupby(["origin", "method"])) + [
            (("all", m), scores[scores.method == m]) for m in METHODS]:
        ok = g[g.crps_log.notna()]
        rows.append({"row": "summary", "origin": origin, "method": method, "n": len(ok),
                     "coverage50": ok.in50.astype(float).mean() if method == "model" else np.nan,
                     "coverage90": ok.in90.astype(float).mean() if method == "model" else np.nan,
                     "crps_log": ok.crps_log.mean(), "crps_log_common": ok[ok.common].crps_log.mean(),
                     "n_common": int(ok.common.sum()),
                     "interval_score90_log": ok.interval_score90_log.mean() if method == "model" else np.nan})
    return pd.DataFrame(rows)


def chart(scores: pd.DataFrame, summary: pd.DataFrame, path: Path) -> None:
    """Three panels: mean CRPS by origin and method, model coverage by origin, pooled PIT histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..fonts import use_cjk_font

    use_cjk_font()
    labels = {"model": "模型", "trend": "对数线性趋势", "carry_forward": "沿用上年值"}
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
    per = summary[summary.origin != "all"]
    origins = sorted(per.origin.unique())
    width = 0.8 / len(METHODS)
    for k, m in enumerate(METHODS):
        v = [per[(per.origin == o) & (per.method == m)].crps_log_common.mean() for o in origins]
        axes[0].bar(np.arange(len(origins)) + k * width, v, width, label=labels[m])
    axes[0].set_xticks(np.arange(len(origins)) + width, [str(o) for o in origins])
    axes[0].set(title="CRPS(对数尺度,越低越好)", xlabel="预测起点(数据截至)")
    axes[0].legend(fontsize=8)
    mod = per[per.method == "model"]
    axes[1].plot(mod.origin.astype(int), mod.coverage50, "o-", label="50% 区间")
    axes[1].plot(mod.origin.astype(int), mod.coverage90, "s-", label="90% 区间")
    for level in (0.5, 0.9):
        axes[1].axhline(level, color="grey", lw=0.8, ls="--")
    axes[1].set(title="模型预测区间覆盖率", xlabel="预测起点(数据截至)", ylim=(0, 1.05))
    axes[1].set_xticks([int(o) for o in origins])
    axes[1].legend(fontsize=8)
    pit = scores[scores.method == "model"].pit.dropna()
    axes[2].hist(pit, bins=np.linspace(0, 1, 11), color="tab:blue", edgecolor="white")
    axes[2].axhline(len(pit) / 10, color="grey", lw=0.8, ls="--")
    axes[2].set(title=f"PIT 直方图(n = {len(pit)};平坦为校准良好)", xlabel="P(预测 ≤ 实际)")
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)


def backtest_files(settings: list[Settings], to_year: int, out: Path, progress: bool = True, log=None) -> list[str]:
    """Calibrate every origin, score it, write ``out``/scores.csv and ``out``/backtest.png; returns printable lines."""
    log = log or (lambda *_: None)
    frames = []
    for s in settings:
        log(f"== origin {s.until} ==")
        run = calibrate(s, progress=progress, log=log)
        frames.append(score_origin(run, to_year, np.random.default_rng([s.seed, 7])))
    scores = pd.concat([f for f in frames if not f.empty], ignore_index=True)
    summ = summarise(scores)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    table = pd.concat([scores.assign(row="observation"), summ], ignore_index=True, sort=False)
    first = ["row", "origin", "method", "series", "year", "horizon", "observed"]
    table = table[first + [c for c in table.columns if c not in first]]
    table.to_csv(out / "scores.csv", index=False, float_format="%.6g")
    chart(scores, summ, out / "backtest.png")
    lines = [f"{'origin':>6} {'method':<14} {'n':>3} {'cov50':>6} {'cov90':>6} {'CRPS':>7} {'CRPS common':>11}"]
    for r in summ.itertuples():
        f = (lambda v: "-" if np.isnan(v) else f"{v:.2f}")
        lines.append(f"{r.origin!s:>6} {r.method:<14} {r.n:>3} {f(r.coverage50):>6} {f(r.coverage90):>6} "
                     f"{f(r.crps_log):>7} {f(r.crps_log_common):>11}")
    lines.append(f"wrote {out / 'scores.csv'}, {out / 'backtest.png'}")
    return lines


def forecast_files(settings: Settings, to_year: int, out: Path, progress: bool = True, log=None) -> list[str]:
    """``innosd forecast``: calibrate on the vintage, write forecast-until-YEAR.csv (and -scores.csv when later
    data exist) into ``out``; returns printable lines."""
    from .summary import format_summary

    run = calibrate(settings, progress=progress, log=log)
    rng = np.random.default_rng([settings.seed, 2])
    table = forecast_table(run, to_year, rng)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    f_csv = out / f"forecast-until-{settings.until}.csv"
    table.to_csv(f_csv, index=False, float_format="%.6g")
    lines = [format_summary(run), f"wrote {f_csv}"]
    if settings.until < LAST_DATA_YEAR:
        scores = score_origin(run, LAST_DATA_YEAR, rng)
        if not scores.empty:
            s_csv = out / f"forecast-until-{settings.until}-scores.csv"
            pd.concat([scores.assign(row="observation"), summarise(scores)], ignore_index=True,
                      sort=False).to_csv(s_csv, index=False, float_format="%.6g")
            lines.append(f"wrote {s_csv}")
    return lines
